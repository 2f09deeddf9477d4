package dev.hotline.ami;

import java.util.Objects;

/**
 * A channel Asterisk has now, as {@code CoreShowChannels} lists it.
 *
 * @param server   the {@code ami.servers} id of the Asterisk that has it
 * @param linkedId the call it belongs to (all channels of one call share it)
 */
public record LiveChannel(String server, String channel, String uniqueId, String linkedId, String application) {

    public LiveChannel {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(channel, "channel");
        uniqueId = uniqueId == null ? "" : uniqueId;
        linkedId = linkedId == null || linkedId.isEmpty() ? uniqueId : linkedId;
        application = application == null ? "" : application;
    }
}
