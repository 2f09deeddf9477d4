package dev.hotline.ami;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the engine needs to know from AMI, as immutable records. asterisk-java's mutable event beans never leave
 * this package: {@link AmiConnection} translates them on its reader thread and hands the records on.
 */
public sealed interface AmiEvent {

    /** The Asterisk server (its {@code id} in hotline.yaml) the event came from. */
    String server();

    /** A device (phone) changed state: {@code PJSIP/1001} became {@code UNAVAILABLE}, … */
    record DeviceStateChanged(String server, String device, DeviceState state) implements AmiEvent {
        public DeviceStateChanged {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(state, "state");
        }
    }

    /** Every device's state, read after each (re)connect. */
    record DeviceSnapshot(String server, Map<String, DeviceState> devices) implements AmiEvent {
        public DeviceSnapshot {
            devices = Map.copyOf(devices);
        }
    }

    /**
     * The channels Asterisk has now ({@code CoreShowChannels}), listed after every (re)connect and when Asterisk
     * reports it has (re)started ({@code FullyBooted}). {@code requestedNanos} ({@link System#nanoTime()}) is when the
     * list was asked for: a call that started after it may rightly be missing from it.
     */
    record ChannelSnapshot(String server, java.util.Set<String> channels, java.util.Set<String> uniqueIds,
                           long requestedNanos, String why) implements AmiEvent {
        public ChannelSnapshot {
            channels = java.util.Set.copyOf(channels);
            uniqueIds = java.util.Set.copyOf(uniqueIds);
            Objects.requireNonNull(why, "why");
        }

        /**
         * Whether Asterisk listed the channel: by {@code uniqueId} when there is one (a restarted Asterisk reuses
         * channel names such as {@code PJSIP/trunk-00000001}, never uniqueids), else by the {@code channel} name.
         */
        public boolean has(String uniqueId, String channel) {
            if (uniqueId != null && !uniqueId.isEmpty()) {
                return uniqueIds.contains(uniqueId);
            }
            return channel != null && channels.contains(channel);
        }
    }

    /** A Dial from {@code channel} (uniqueid {@code uniqueId}) to {@code destChannel} ended with {@code status}. */
    record DialEnded(String server, String channel, String uniqueId, String destChannel, String status)
            implements AmiEvent {
    }

    /**
     * An attended transfer finished ({@code AttendedTransfer}). {@code origTransfererChannel} is the transferring
     * channel in the transferee's bridge (for AMI Atxfer: the agent's leg, as is {@code secondTransfererChannel});
     * {@code transfereeChannel} the party transferred (the caller); {@code transferTargetChannel} whom they were
     * transferred to; {@code destType} how ({@code Bridge}, {@code App}, {@code Link}, {@code Threeway},
     * {@code Fail}); {@code result} {@code Success}, {@code Fail}, {@code Invalid} or {@code Not Permitted}.
     */
    record AttendedTransfer(String server, String origTransfererChannel, String secondTransfererChannel,
                            String transfereeChannel, String transferTargetChannel, String destType, String result)
            implements AmiEvent {

        public AttendedTransfer {
            origTransfererChannel = Objects.requireNonNullElse(origTransfererChannel, "");
            secondTransfererChannel = Objects.requireNonNullElse(secondTransfererChannel, "");
            transfereeChannel = Objects.requireNonNullElse(transfereeChannel, "");
            transferTargetChannel = Objects.requireNonNullElse(transferTargetChannel, "");
            destType = Objects.requireNonNullElse(destType, "");
            result = Objects.requireNonNullElse(result, "");
        }

        /** Whether the transfer took place ({@code Result: Success}). */
        public boolean succeeded() {
            return "Success".equalsIgnoreCase(result);
        }
    }

    /** A channel hung up. */
    record ChannelHungUp(String server, String channel, String uniqueId, String linkedId, int cause, String causeText)
            implements AmiEvent {
    }

    /**
     * The outcome of an asynchronous Originate ({@code OriginateResponse}): {@code reason} as Asterisk reports it
     * (0 failed, 1 hung up, 3 no answer, 4 answered, 5 busy, 8 congestion).
     */
    record OriginateResult(String server, String actionId, boolean success, int reason, String channel,
                           String uniqueId) implements AmiEvent {

        public static final int ANSWERED = 4;

        public boolean answered() {
            return success && reason == ANSWERED;
        }

        /** What happened, in words, for logs and outcomes. */
        public String describe() {
            return switch (reason) {
                case 4 -> "answered";
                case 3 -> "no answer";
                case 5 -> "busy";
                case 1 -> "hung up";
                case 8 -> "congestion";
                default -> "failed (reason " + reason + ")";
            };
        }
    }

    /** The connection to a server went up or down. */
    record ConnectionChanged(String server, AmiHealth health) implements AmiEvent {
    }

    /** One server's connection health, for /health and logs. */
    record AmiHealth(String server, Status status, Instant since, String detail) {

        public enum Status { CONNECTING, UP, DOWN }

        public AmiHealth {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
