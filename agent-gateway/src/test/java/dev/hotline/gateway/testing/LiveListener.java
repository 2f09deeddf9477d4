package dev.hotline.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Collects the live WebSocket's messages (as JSON) and how it closed; open it with {@link GatewayClient#open}. */
public final class LiveListener implements WebSocket.Listener {

    /** Every message received and not yet taken by {@link #next}, oldest first. */
    public final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    /** Completes with the close status code when the server closes the socket (-1 on an error). */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
            try {
                messages.add(GatewayClient.JSON.readTree(part.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            part.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
    }

    /** The next message of {@code type} (within 5 s), skipping others. */
    public JsonNode next(String type) throws InterruptedException {
        return next(type, m -> true, "no '" + type + "' message within 5 s");
    }

    /** The next message of {@code type} that passes {@code matching} (within 5 s), skipping others. */
    public JsonNode next(String type, Predicate<JsonNode> matching) throws InterruptedException {
        return next(type, matching, "no matching '" + type + "' message within 5 s");
    }

    private JsonNode next(String type, Predicate<JsonNode> matching, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.get("type").asText().equals(type) && matching.test(m)) {
                return m;
            }
        }
        throw new AssertionError(failure);
    }
}
