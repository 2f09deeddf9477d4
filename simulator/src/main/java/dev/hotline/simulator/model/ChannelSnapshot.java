package dev.hotline.simulator.model;

import dev.hotline.simulator.ami.AmiMessage;

/**
 * An immutable picture of a channel as AMI shows it. {@link #appendTo} writes the standard snapshot block
 * ({@code Channel … Linkedid}), optionally with a prefix such as {@code Dest} for the second channel of an event.
 */
public record ChannelSnapshot(
        String name,
        ChannelState state,
        String callerIdNum,
        String callerIdName,
        String connectedLineNum,
        String connectedLineName,
        String language,
        String accountCode,
        String context,
        String exten,
        int priority,
        String uniqueid,
        String linkedid,
        String application,
        String applicationData,
        String bridgeId,
        long createdNanos) {

    public AmiMessage.Builder appendTo(AmiMessage.Builder event, String prefix) {
        return event.add(prefix + "Channel", name)
                .add(prefix + "ChannelState", state.code())
                .add(prefix + "ChannelStateDesc", state.description())
                .add(prefix + "CallerIDNum", orUnknown(callerIdNum))
                .add(prefix + "CallerIDName", orUnknown(callerIdName))
                .add(prefix + "ConnectedLineNum", orUnknown(connectedLineNum))
                .add(prefix + "ConnectedLineName", orUnknown(connectedLineName))
                .add(prefix + "Language", language)
                .add(prefix + "AccountCode", accountCode)
                .add(prefix + "Context", context)
                .add(prefix + "Exten", exten)
                .add(prefix + "Priority", priority)
                .add(prefix + "Uniqueid", uniqueid)
                .add(prefix + "Linkedid", linkedid);
    }

    public AmiMessage.Builder appendTo(AmiMessage.Builder event) {
        return appendTo(event, "");
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "<unknown>" : value;
    }
}
