package dev.hotline.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users API keeps its rules when requests overlap or come back later: one user per agent on re-enabling, no
 * lost password reset, never no admin, and a logged-out token's live connection closed. Real HTTP, a real engine on
 * its embedded database, users in the database.
 */
class UsersConsistencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PW = "seed-Passw0rd";

    @TempDir
    static Path dir;
    static HotlineEngine engine;
    static Gateway gateway;
    static UserStore users;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("ivr"));
        Files.createDirectories(dir.resolve("calendars"));
        HotlineConfig d = HotlineConfig.defaults();
        HotlineConfig config = new HotlineConfig("test", "test", AgiConfig.DEFAULTS.withPort(0), List.of(),
                new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("data"), "", "",
                        dev.hotline.yaml.Secret.NONE, 2), dir.resolve("ivr"), dir.resolve("calendars"),
                List.of(QueueConfig.simple("sales", Map.of("sales", 1))), d.acd(), dir.resolve("agents.yaml"));
        List<AgentConfig> agents = List.of(agent("1001"), agent("1002"), agent("1003"));
        engine = new HotlineEngine(config, agents, "test").start();
        String hash = Passwords.hash(PW, 4);
        users = UserStore.withDatabase(List.of(
                new User("alice", hash, Role.AGENT, Optional.of("1001"), Set.of("team-a")),
                new User("root", hash, Role.ADMIN, Optional.empty(), Set.of()),
                new User("ops", hash, Role.ADMIN, Optional.empty(), Set.of())),
                engine.records().database(), InstantSource.system(), 4).start(Duration.ofHours(1));
        assertThat(users.awaitFirstAttempt(Duration.ofSeconds(10))).isTrue();
        gateway = Gateway.start(engine, GatewayConfig.DEFAULTS.withPort(0).withAuditFile(dir.resolve("audit.log")),
                users, InstantSource.system());
        base = gateway.url();
    }

    private static AgentConfig agent(String id) {
        return new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id), Map.of("sales", 5), Set.of("team-a"), "hq",
                Set.of("en"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    record Reply(int status, JsonNode json, String text) {
    }

    static Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? JSON.readTree(r.body()) : null;
        return new Reply(r.statusCode(), json, r.body());
    }

    static String login(String user, String password) throws Exception {
        Reply r = call("POST", "/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"" + password
                + "\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    // ------------------------------------------------------------------------------------------ review 9

    @Test
    void reEnablingAUserKeepsOneUserPerAgent() throws Exception {
        String root = login("root", PW);
        assertThat(call("POST", "/api/users", root, "{\"username\":\"ann\",\"password\":\"Plover-pass-11\","
                + "\"role\":\"agent\",\"agentId\":\"1002\"}").status()).isEqualTo(201);
        assertThat(call("POST", "/api/users/ann/disable", root, "{}").status()).isEqualTo(200);
        // While ann is disabled, agent 1002 is free for another user.
        assertThat(call("POST", "/api/users", root, "{\"username\":\"ben\",\"password\":\"Osprey-pass-12\","
                + "\"role\":\"agent\",\"agentId\":\"1002\"}").status()).isEqualTo(201);

        Reply enable = call("POST", "/api/users/ann/enable", root, "{}");
        assertThat(enable.status()).as(enable.text()).isEqualTo(409);
        assertThat(enable.json().get("detail").asText()).contains("agent 1002 is already user 'ben'");
        assertThat(users.account("ann").orElseThrow().enabled()).as("ann stays disabled").isFalse();
    }

    // ------------------------------------------------------------------------------------------ review 10

    /** Runs both requests at the same moment, on two threads, the first {@code lagNanos} after the second. */
    private static Reply[] together(ExecutorService pool, long lagNanos, String[] first, String[] second)
            throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        Future<Reply> a = pool.submit(() -> {
            barrier.await();
            long until = System.nanoTime() + lagNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return call(first[0], first[1], first[2], first[3]);
        });
        Future<Reply> b = pool.submit(() -> {
            barrier.await();
            return call(second[0], second[1], second[2], second[3]);
        });
        return new Reply[] {a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)};
    }

    @Test
    void aChangeMadeWhileThePasswordIsResetNeverPutsTheOldPasswordBack() throws Exception {
        String root = login("root", PW);
        assertThat(call("POST", "/api/users", root, "{\"username\":\"cara\",\"password\":\"Avocet-pass-00\","
                + "\"role\":\"supervisor\",\"teams\":[\"team-a\"]}").status()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // The reset hashes the password before writing: the change, started a little later, reads the user
            // before the reset's write and writes after it. Lags from 0 to 4 ms cover that window.
            for (int i = 1; i <= 40; i++) {
                String password = "Avocet-pass-" + (100 + i);
                Reply[] r = together(pool, TimeUnit.MICROSECONDS.toNanos(100L * i),
                        new String[] {"PATCH", "/api/users/cara", root, "{\"teams\":[\"team-" + i + "\"]}"},
                        new String[] {"POST", "/api/users/cara/password", root, "{\"password\":\"" + password
                                + "\"}"});
                assertThat(r[0].status()).as(r[0].text()).isEqualTo(200);
                assertThat(r[1].status()).as(r[1].text()).isEqualTo(200);
                User now = users.account("cara").orElseThrow().user();
                assertThat(Passwords.matches(password, now.passwordHash()))
                        .as("round %d: the reset password stands", i).isTrue();
                assertThat(now.teams()).as("round %d: the change stands", i).containsExactly("team-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoAdminsDisablingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 1; i <= 30; i++) {
                try {
                    adminRound(pool, i);
                } finally {
                    // Back to two admins for the next round (and the other tests).
                    for (UserAccount a : users.accounts()) {
                        if (!a.enabled() && a.user().role() == Role.ADMIN) {
                            users.setEnabled(a.username(), true, "test");
                        }
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void adminRound(ExecutorService pool, int i) throws Exception {
        String root = login("root", PW);
        String ops = login("ops", PW);
        Reply[] r = together(pool, TimeUnit.MICROSECONDS.toNanos(50L * (i % 10)),
                new String[] {"POST", "/api/users/ops/disable", root, "{}"},
                new String[] {"POST", "/api/users/root/disable", ops, "{}"});
        long enabledAdmins = users.accounts().stream()
                .filter(a -> a.enabled() && a.user().role() == Role.ADMIN).count();
        assertThat(enabledAdmins).as("round %d: %s / %s", i, r[0].text(), r[1].text()).isEqualTo(1);
        // The other one is refused: as the last admin (409), or because its own token died with the first disable
        // (401), depending on which step the first one overlapped.
        Reply done = r[0].status() == 200 ? r[0] : r[1];
        Reply refused = done == r[0] ? r[1] : r[0];
        assertThat(done.status()).isEqualTo(200);
        assertThat(refused.status()).as(refused.text()).isIn(401, 409);
        if (refused.status() == 409) {
            assertThat(refused.json().get("detail").asText()).contains("last enabled admin");
        }
    }

    // ------------------------------------------------------------------------------------------ review 12

    static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            messages.add(data.toString());
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
    }

    @Test
    void loggingOutClosesThatTokensLiveConnectionOnly() throws Exception {
        String first = login("alice", PW);
        String second = login("alice", PW);
        Listener l1 = new Listener();
        Listener l2 = new Listener();
        HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=" + first), l1)
                .join();
        HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=" + second), l2)
                .join();
        assertThat(l1.messages.poll(5, TimeUnit.SECONDS)).as("snapshot").contains("\"snapshot\"");
        assertThat(l2.messages.poll(5, TimeUnit.SECONDS)).as("snapshot").contains("\"snapshot\"");

        assertThat(call("POST", "/api/logout", first, null).status()).isEqualTo(204);
        assertThat(l1.closed.get(5, TimeUnit.SECONDS)).as("the logged-out token's connection is closed").isNotNull();
        assertThat(l2.closed).as("the other login's connection stays").isNotDone();
        assertThat(call("GET", "/api/me", second, null).status()).isEqualTo(200);
    }
}
