package dev.hotline.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's HTTP API and live WebSocket as the tests call them, bound to one gateway's base URL: requests with an
 * optional bearer token and JSON (or other) body, answers as {@link Reply}, logins, polling until a state is reached.
 */
public final class GatewayClient {

    /** Each request's time limit. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String password;

    /**
     * @param base     the gateway's base URL, as {@code Gateway.url()} gives it
     * @param password the password {@link #login(String)} uses
     */
    public GatewayClient(String base, String password) {
        this.base = base;
        this.password = password;
    }

    public String base() {
        return base;
    }

    /** A request with a JSON body ({@code body} null: none), as the user of {@code token} (null: anonymous). */
    public Reply call(String method, String path, String token, String body) throws Exception {
        return reply(HTTP.send(request(method, path, token, body == null ? null : "application/json", body),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** {@link #call} without waiting for the answer. */
    public CompletableFuture<Reply> send(String method, String path, String token, String body) {
        return HTTP.sendAsync(request(method, path, token, body == null ? null : "application/json", body),
                HttpResponse.BodyHandlers.ofString()).thenApply(GatewayClient::reply);
    }

    /** A request with a body of the given content type ({@code text/yaml} for IVR scripts and calendars). */
    public Reply callText(String method, String path, String token, String contentType, String body)
            throws Exception {
        return reply(HTTP.send(request(method, path, token, contentType, body), HttpResponse.BodyHandlers.ofString()));
    }

    /** Logs {@code user} in with {@code password}, whatever the answer. */
    public Reply tryLogin(String user, String password) throws Exception {
        return call("POST", "/api/login", null, JSON.createObjectNode().put("username", user)
                .put("password", password).toString());
    }

    /** Logs {@code user} in with {@code password}, asserting it works, and answers the token. */
    public String login(String user, String password) throws Exception {
        Reply r = tryLogin(user, password);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    /** Logs {@code user} in with the client's password, asserting it works, and answers the token. */
    public String login(String user) throws Exception {
        return login(user, password);
    }

    /** Polls {@code path} (for up to 5 s) until its JSON answer passes {@code until}, and answers that JSON. */
    public JsonNode awaitJson(String method, String path, String token, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call(method, path, token, null).json();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never reached the expected state; last: " + last);
    }

    /**
     * Opens the live WebSocket as the pages do: a one-time ticket from {@code POST /api/ws/ticket} with {@code token},
     * then {@code /ws?ticket=}; waits for the handshake (a refused one fails as a CompletionException).
     */
    public WebSocket open(String token, WebSocket.Listener listener) throws Exception {
        Reply t = call("POST", "/api/ws/ticket", token, null);
        return openWithTicket(t.status() == 200 ? t.json().get("ticket").asText() : "no-ticket", listener);
    }

    /** Opens the live WebSocket with this ticket, waiting for the handshake. */
    public WebSocket openWithTicket(String ticket, WebSocket.Listener listener) {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?ticket=" + ticket),
                listener).join();
    }

    /** Asserts an API error: that status, a named error, a detail naming {@code detailPart}, no stack trace. */
    public static void assertError(Reply r, int status, String detailPart) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isNotBlank();
        assertThat(r.json().get("detail").asText()).contains(detailPart);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.hotline");
    }

    private HttpRequest request(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    private static Reply reply(HttpResponse<String> r) {
        try {
            JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                    ? JSON.readTree(r.body()) : null;
            return new Reply(r.statusCode(), json, r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException("answer to " + r.request().method() + " " + r.request().uri()
                    + " is not JSON: " + r.body(), e);
        }
    }
}
