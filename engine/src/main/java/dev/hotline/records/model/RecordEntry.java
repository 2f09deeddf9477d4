package dev.hotline.records.model;

/** What the record writer stores: a call record or an agent state transition. */
public sealed interface RecordEntry permits CallRecord, AgentStateChange {
}
