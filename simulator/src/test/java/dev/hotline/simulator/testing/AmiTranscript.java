package dev.hotline.simulator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The messages Asterisk sent in a readable AMI transcript ({@code <<<} blocks), in order. */
public final class AmiTranscript {

    private AmiTranscript() {
    }

    public static List<AmiTestClient.Message> received(String resource) {
        try (InputStream in = AmiTranscript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            List<AmiTestClient.Message> messages = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].matches("^\\[[ 0-9.|:]+\\] <<<$")) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                List<String> values = new ArrayList<>();
                for (i++; i < lines.length && !lines[i].isEmpty(); i++) {
                    int colon = lines[i].indexOf(':');
                    keys.add(lines[i].substring(0, colon));
                    values.add(lines[i].substring(colon + 1).stripLeading());
                }
                messages.add(new AmiTestClient.Message(keys, values));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first received message with this ActionID and Event (null: a response). */
    public static AmiTestClient.Message find(List<AmiTestClient.Message> messages, String actionId, String event) {
        return messages.stream()
                .filter(m -> actionId == null || actionId.equals(m.get("ActionID")))
                .filter(m -> event == null ? m.get("Event") == null : event.equals(m.get("Event")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message ActionID=" + actionId + " Event=" + event));
    }
}
