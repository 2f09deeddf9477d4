package dev.hotline.simulator.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A blocking AMI client for tests: raw lines in, messages (ordered key/value pairs) out. */
public final class AmiTestClient implements AutoCloseable {

    /** One message as received: keys in order; {@link #get} is case-insensitive. */
    public record Message(List<String> keys, List<String> values) {
        public String get(String key) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equalsIgnoreCase(key)) {
                    return values.get(i);
                }
            }
            return null;
        }

        public Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                map.putIfAbsent(keys.get(i), values.get(i));
            }
            return map;
        }
    }

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public AmiTestClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    public String readLine() throws IOException {
        return in.readLine();
    }

    public void send(String... headerLines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The next message, or null at EOF. */
    public Message read() throws IOException {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (!keys.isEmpty()) {
                    return new Message(keys, values);
                }
                continue;
            }
            int colon = line.indexOf(':');
            keys.add(line.substring(0, colon));
            values.add(line.substring(colon + 1).stripLeading());
        }
        return keys.isEmpty() ? null : new Message(keys, values);
    }

    /** The next message that is not an unsolicited event (it has {@code Response:} or the given ActionID). */
    public Message readReply(String actionId) throws IOException {
        while (true) {
            Message message = read();
            if (message == null || actionId.equals(message.get("ActionID"))) {
                return message;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
