package dev.hotline.cli.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of the soak's MariaDB: while a delay is set, every chunk the engine sends waits
 * that long before it goes on, so each database round trip is that much slower ("slow database"). Nothing is lost
 * or reordered. One virtual thread per direction per connection.
 */
final class DelayProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile long delayMillis;

    private DelayProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on a free loopback port and forwards to {@code target}. */
    static DelayProxy start(InetSocketAddress target) throws IOException {
        DelayProxy proxy = new DelayProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        Thread.ofVirtual().name("soak-db-proxy").start(proxy::accept);
        return proxy;
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on each chunk towards the database waits {@code delay} ({@code ZERO}: none). */
    void delay(Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    upstream.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsDatabase) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long wait = towardsDatabase ? delayMillis : 0;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.forEach(this::closeQuietly);
    }
}
