package dev.hotline.gateway.admin;

import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.LiveListener;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The users API keeps its rules when requests overlap or come back later: one user per agent on re-enabling, no
 * lost password reset, never no admin, and a logged-out token's live connection closed. Real HTTP, a real engine on
 * its embedded database, users in the database.
 */
@Tag("slow")
class UsersConsistencyTest {

    static final String PW = "seed-Passw0rd";

    @TempDir
    static Path dir;
    static TestGateway live;
    static UserStore users;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Integer> sales = Map.of("sales", 5);
        live = TestGateway.in(dir)
                .agents(agent("1001", "team-a", sales), agent("1002", "team-a", sales), agent("1003", "team-a", sales))
                .password(PW).usersInDatabase()
                .agentUser("alice", "1001", "team-a").admin("root").admin("ops")
                .start();
        users = live.gateway().users();
        api = live.client();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    // ------------------------------------------------------------------------------------------ review 9

    @Test
    void reEnablingAUserKeepsOneUserPerAgent() throws Exception {
        String root = api.login("root", PW);
        assertThat(api.call("POST", "/api/users", root, "{\"username\":\"ann\",\"password\":\"Plover-pass-11\","
                + "\"role\":\"agent\",\"agentId\":\"1002\"}").status()).isEqualTo(201);
        assertThat(api.call("POST", "/api/users/ann/disable", root, "{}").status()).isEqualTo(200);
        // While ann is disabled, agent 1002 is free for another user.
        assertThat(api.call("POST", "/api/users", root, "{\"username\":\"ben\",\"password\":\"Osprey-pass-12\","
                + "\"role\":\"agent\",\"agentId\":\"1002\"}").status()).isEqualTo(201);

        Reply enable = api.call("POST", "/api/users/ann/enable", root, "{}");
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
            return api.call(first[0], first[1], first[2], first[3]);
        });
        Future<Reply> b = pool.submit(() -> {
            barrier.await();
            return api.call(second[0], second[1], second[2], second[3]);
        });
        return new Reply[] {a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS)};
    }

    @Test
    void aChangeMadeWhileThePasswordIsResetNeverPutsTheOldPasswordBack() throws Exception {
        String root = api.login("root", PW);
        assertThat(api.call("POST", "/api/users", root, "{\"username\":\"cara\",\"password\":\"Avocet-pass-00\","
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
        String root = api.login("root", PW);
        String ops = api.login("ops", PW);
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

    @Test
    void loggingOutClosesThatTokensLiveConnectionOnly() throws Exception {
        String first = api.login("alice", PW);
        String second = api.login("alice", PW);
        LiveListener l1 = new LiveListener();
        LiveListener l2 = new LiveListener();
        api.open(first, l1);
        api.open(second, l2);
        assertThat(String.valueOf(l1.messages.poll(5, TimeUnit.SECONDS))).as("snapshot").contains("\"snapshot\"");
        assertThat(String.valueOf(l2.messages.poll(5, TimeUnit.SECONDS))).as("snapshot").contains("\"snapshot\"");

        assertThat(api.call("POST", "/api/logout", first, null).status()).isEqualTo(204);
        assertThat(l1.closed.get(5, TimeUnit.SECONDS)).as("the logged-out token's connection is closed").isNotNull();
        assertThat(l2.closed).as("the other login's connection stays").isNotDone();
        assertThat(api.call("GET", "/api/me", second, null).status()).isEqualTo(200);
    }
}
