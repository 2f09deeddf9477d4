package dev.hotline.qa;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What the ACD asks when it dials an agent for a call: is this call recorded, and into which file. The ACD then
 * starts MixMonitor with that file and, if Asterisk refuses, says so through {@link #failed}. The default answers by
 * the queue's {@code record:} flag, as Hotline did before recording policies; the QA service answers by the
 * queue's policy (docs/QA.md).
 */
public interface RecordingHook {

    /**
     * The file to record the call into (relative to Asterisk's monitor folder), or empty when it is not recorded.
     * Called on the call's own thread; must not block.
     *
     * @param queue        the queue the call is answered from
     * @param queueRecords the queue's {@code record:} flag in the configuration
     * @param server       the Asterisk server (AMI id) the call is on
     * @param callId       the call's id in the ACD (Asterisk's linkedid)
     */
    Optional<String> recordingFor(String queue, boolean queueRecords, String server, String callId, String agentId,
                                  Instant at);

    /** Asterisk refused or did not answer MixMonitor for this call: it goes on unrecorded. */
    default void failed(String callId, String file, String reason) {
    }

    /** By the queue's flag: every call of a queue with {@code record: true}, none of the others. */
    RecordingHook QUEUE_FLAG = (queue, queueRecords, server, callId, agentId, at) -> queueRecords
            ? Optional.of(RecordingFiles.fileFor(LocalDate.ofInstant(at, ZoneId.systemDefault()), callId, agentId))
            : Optional.empty();
}
