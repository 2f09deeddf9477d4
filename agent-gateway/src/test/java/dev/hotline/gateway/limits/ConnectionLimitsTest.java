package dev.hotline.gateway.limits;

import dev.hotline.config.GatewayLimits;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.LiveListener;
import dev.hotline.gateway.testing.TestGateway;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's connection caps and time-outs over real sockets. Time-outs are set short here (a few hundred
 * milliseconds): the tests wait for the server to close, they do not sleep.
 */
@Tag("slow")
class ConnectionLimitsTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;
    TestGateway live;
    InetSocketAddress address;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private GatewayClient start(GatewayLimits limits) throws Exception {
        live = TestGateway.in(dir).supervisor("sam", "team-a").gateway(g -> g.withLimits(limits)).start();
        address = live.gateway().address();
        return live.client();
    }

    private double count(String name, String reason) {
        Counter c = live.engine().metrics().registry().find(name).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", address.getPort()), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the server closes; what it sent. A reset counts as closed. */
    private static String readToClose(Socket s) throws IOException {
        StringBuilder out = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException e) {
            assertThat(e).hasMessageContaining("reset");
        }
        return out.toString();
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void connectionsBeyondThePerAddressCapAreClosedAtOnceAndCounted() throws Exception {
        start(GatewayLimits.DEFAULTS.withMaxConnections(100, 10));
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                held.add(connect());
            }
            // Admitted on two event loops: wait until all ten are in before the eleventh.
            var open = live.engine().metrics().registry().find("hotline.gateway.connections").gauge();
            for (int i = 0; i < 500 && open.value() < 10; i++) {
                Thread.sleep(10);
            }
            assertThat(open.value()).isEqualTo(10);
            try (Socket eleventh = connect()) {
                assertThat(readToClose(eleventh)).isEmpty();
            }
            assertThat(count("hotline.gateway.refused", "max_connections_per_address")).isEqualTo(1);
            // The ten admitted ones still get answers.
            write(held.getFirst(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(readToClose(held.getFirst())).startsWith("HTTP/1.1 ");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingOrTricklesItsHeadIsClosedAtTheDeadline() throws Exception {
        start(GatewayLimits.DEFAULTS.withTimeouts(SHORT, Duration.ofMinutes(1), Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        try (Socket silent = connect(); Socket trickle = connect()) {
            write(trickle, "GET /health HTTP/1.1\r\n");
            write(trickle, "Host: x\r\n");   // ... and never the blank line
            assertThat(readToClose(silent)).isEmpty();
            assertThat(readToClose(trickle)).isEmpty();
        }
        assertThat(count("hotline.gateway.timeouts", "request_head")).isEqualTo(2);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheKeepAliveTimeout() throws Exception {
        start(GatewayLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(10), SHORT, Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
        try (Socket s = connect()) {
            write(s, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            // One response (kept alive), then nothing until the server closes.
            assertThat(readToClose(s)).startsWith("HTTP/1.1 ").containsOnlyOnce("HTTP/1.1 ");
        }
        assertThat(count("hotline.gateway.timeouts", "keep_alive")).isEqualTo(1);
        assertThat(count("hotline.gateway.timeouts", "request_head")).isZero();
    }

    @Test
    void aWebSocketThatAnswersPingsStaysAndOneThatIgnoresThemIsClosed() throws Exception {
        // Pings every 200 ms; 2 s for the pong: the deaf socket is closed within ~2.2 s, while a client that
        // answers is never near the limit, even on a loaded machine (its pong can be delayed by GC or scheduling).
        GatewayClient api = start(GatewayLimits.DEFAULTS.withTimeouts(Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(2)));
        String sam = api.login("sam");
        LiveListener browser = new LiveListener();
        var ws = api.open(sam, browser);   // java.net.http answers pings by itself, as browsers do
        assertThat(browser.next("snapshot")).isNotNull();

        try (Socket deaf = connect()) {
            String ticket = api.call("POST", "/api/ws/ticket", sam, null).json().get("ticket").asText();
            write(deaf, "GET /ws?ticket=" + ticket + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            // The upgrade, the snapshot, pings: then, unanswered, the close.
            assertThat(readToClose(deaf)).startsWith("HTTP/1.1 101");
        }
        assertThat(count("hotline.gateway.timeouts", "websocket")).isEqualTo(1);
        assertThat(browser.closed).as("the answering one is still open").isNotDone();
        ws.sendText("{\"type\":\"ping\"}", true);
        assertThat(browser.next("pong")).isNotNull();
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
    }
}
