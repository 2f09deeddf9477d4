package dev.hotline.ivr.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.hotline.ivr.lookup.HttpLookupClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Lookup nodes against a real HTTP server on 127.0.0.1: answers, errors, slow servers, POST bodies. */
class LookupNodeTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final IvrInterpreter interpreter = new IvrInterpreter(InstantSource.fixed(Instant.EPOCH),
            HttpLookupClient.create(), IvrMetrics.NONE);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crm", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders()
                    .getFirst("X-Token") + " " + body);
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String answer = "{\"customer\": {\"name\": \"Ada\\nLovelace\", \"tier\": \"gold\"},"
                    + " \"accounts\": [{\"id\": 7}]}";
            if (path.endsWith("/broken")) {
                status = 500;
                answer = "oops";
            } else if (path.endsWith("/text")) {
                answer = "not json";
            } else if (path.endsWith("/slow")) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private IvrCatalog script(String path, String method, String timeout) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/crm/" + path;
        return Scripts.catalog("""
                id: main
                entry: a
                nodes:
                  a: {type: set, vars: {account: "12 34&x"}, next: crm}
                  crm:
                    type: lookup
                    method: %s
                    url: "%s?account={vars.account}"
                    headers: {X-Token: "secret-{caller}"}
                    %s
                    timeout: %s
                    fields: {name: customer.name, tier: customer.tier, first: accounts.0.id, none: customer.nope}
                    next: found
                    on_error: fallback
                  found: {type: queue, queue: billing, data: {who: "{vars.name}"}}
                  fallback: {type: queue, queue: operator}
                """.formatted(method, url, method.equals("post") ? "body: {account: \"{vars.account}\"}" : "",
                timeout));
    }

    @Test
    void aGetMapsJsonFieldsIntoVariablesWithValuesUrlEncoded() {
        IvrCallResult r = interpreter.run(script("customers", "get", "2s"), "main", ScriptedSession.caller("0612"));

        assertThat(requests).containsExactly("GET /crm/customers?account=12+34%26x secret-0612 ");
        assertThat(r.vars()).containsEntry("name", "Ada Lovelace").containsEntry("tier", "gold")
                .containsEntry("first", "7").doesNotContainKey("none");
        assertThat(((IvrOutcome.Queue) r.outcome()).data()).containsEntry("who", "Ada Lovelace");
    }

    @Test
    void aPostSendsTheBodyAsJson() {
        IvrCallResult r = interpreter.run(script("customers", "post", "2s"), "main", ScriptedSession.caller("1"));
        assertThat(requests).containsExactly(
                "POST /crm/customers?account=12+34%26x secret-1 {\"account\":\"12 34&x\"}");
        assertThat(r.vars()).containsEntry("tier", "gold");
    }

    @Test
    void anHttpErrorTakesOnError() {
        IvrCallResult r = interpreter.run(script("broken", "get", "2s"), "main", ScriptedSession.caller("1"));
        assertThat(((IvrOutcome.Queue) r.outcome()).queue()).isEqualTo("operator");
        assertThat(r.path().steps()).extracting(IvrEvent::detail).anyMatch(d -> d.startsWith("lookup failed: GET")
                && d.endsWith(": HTTP 500"));
    }

    @Test
    void anAnswerThatIsNotJsonTakesOnError() {
        IvrCallResult r = interpreter.run(script("text", "get", "2s"), "main", ScriptedSession.caller("1"));
        assertThat(((IvrOutcome.Queue) r.outcome()).queue()).isEqualTo("operator");
        assertThat(r.path().steps()).extracting(IvrEvent::detail).anyMatch(d -> d.endsWith("the answer is not JSON"));
    }

    @Test
    void aSlowServerTimesOutAndTakesOnError() {
        IvrCallResult r = interpreter.run(script("slow", "get", "200ms"), "main", ScriptedSession.caller("1"));
        assertThat(((IvrOutcome.Queue) r.outcome()).queue()).isEqualTo("operator");
        assertThat(r.path().steps()).extracting(IvrEvent::detail).anyMatch(d -> d.endsWith("no answer within 200 ms"));
    }

    @Test
    void aServerThatIsDownTakesOnError() {
        IvrCatalog c = script("customers", "get", "2s");
        server.stop(0);
        IvrCallResult r = interpreter.run(c, "main", ScriptedSession.caller("1"));
        assertThat(((IvrOutcome.Queue) r.outcome()).queue()).isEqualTo("operator");
    }
}
