package dev.hotline.gateway.limits;

import dev.hotline.config.LoginLimits;
import dev.hotline.gateway.audit.AuditEntry;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in under attack: floods do not cost the pages, guessing and spraying are refused with 429 and audited. */
@Tag("slow")
class LoginProtectionTest {

    @TempDir
    Path dir;
    TestGateway live;

    @AfterEach
    void stop() {
        if (live != null) {
            live.close();
        }
    }

    private GatewayClient start(LoginLimits login) throws Exception {
        live = TestGateway.in(dir).admin("root").supervisor("sam", "team-a").gateway(g -> g.withLogin(login))
                .start();
        return live.client();
    }

    private static LoginLimits relaxedWith(int hashThreads, LoginLimits.Rate perAddress, LoginLimits.Rate global,
                                           int sprayUsernames, int maxFailures) {
        LoginLimits r = TestGateway.RELAXED_LOGIN;
        return new LoginLimits(hashThreads, r.hashQueue(), perAddress, global, sprayUsernames, r.sprayWindow(),
                r.sprayLockout(), maxFailures, r.lockout());
    }

    @Test
    void aLoginFloodKeepsTheAgentPageUnderOneSecond() throws Exception {
        // Rates out of the way: every attempt of the flood reaches the password check.
        GatewayClient api = start(relaxedWith(1, TestGateway.RELAXED_LOGIN.perAddress(),
                TestGateway.RELAXED_LOGIN.global(), 10_000, 1_000));
        List<CompletableFuture<Reply>> flood = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int i = 0; i < 300; i++) {
            flood.add(api.send("POST", "/api/login", null, "{\"username\":\"nobody-" + i
                    + "\",\"password\":\"guess-guess\"}").whenComplete((r, e) -> answered.incrementAndGet()));
        }
        // The flood is being worked through: some logins answered, most still waiting for a password check.
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (answered.get() < 10 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(answered.get()).as("logins answered").isBetween(10, 250);

        HttpClient browser = HttpClient.newHttpClient();
        List<Duration> pageTimes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(api.base() + "/agent"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            pageTimes.add(Duration.ofNanos(System.nanoTime() - start));
            assertThat(page.statusCode()).isEqualTo(200);
        }
        int done = answered.get();
        assertThat(pageTimes).as("GET /agent during a login flood (%s of 300 logins answered)", done)
                .allSatisfy(t -> assertThat(t).isLessThan(Duration.ofSeconds(1)));
        assertThat(done).as("the flood was still going while the page was fetched").isLessThan(300);
        System.out.println("GET /agent during a flood of 300 logins: " + pageTimes);
        // The flood is left to drain (or to be cut by the gateway's close): on one hashing thread it takes a while.
        flood.forEach(f -> f.cancel(true));
    }

    @Test
    void sprayingUsernamesFromOneAddressGets429WithRetryAfterAndIsAudited() throws Exception {
        GatewayClient api = start(relaxedWith(0, TestGateway.RELAXED_LOGIN.perAddress(),
                TestGateway.RELAXED_LOGIN.global(), 5, 100));
        for (String name : List.of("admin", "administrator", "support", "test", "operator")) {
            assertError(api.tryLogin(name, "Winter2026!"), 401, "unknown username or wrong password");
        }
        // Even the right password of a real user is refused from that address now.
        Reply refused = api.tryLogin("root", TestGateway.PASSWORD);
        assertError(refused, 429, "too many different usernames failed from this address");
        assertThat(refused.header("Retry-After")).hasValueSatisfying(s -> assertThat(Long.parseLong(s))
                .isBetween(1L, LoginLimits.DEFAULTS.sprayLockout().toSeconds()));
        assertThat(live.gateway().audit().recent()).filteredOn(e -> e.action().equals("login.spraying"))
                .singleElement().satisfies(e -> {
                    assertThat(e.address()).isEqualTo("127.0.0.1");
                    assertThat(e.detail()).contains("5 different usernames", "operator");
                });
    }

    @Test
    void guessingOneUsersPasswordLocksThatPairAndIsAudited() throws Exception {
        GatewayClient api = start(relaxedWith(0, TestGateway.RELAXED_LOGIN.perAddress(),
                TestGateway.RELAXED_LOGIN.global(), 100, 3));
        for (int i = 0; i < 3; i++) {
            assertError(api.tryLogin("sam", "guess-" + i), 401, "wrong password");
        }
        Reply locked = api.tryLogin("sam", TestGateway.PASSWORD);
        assertError(locked, 429, "too many failed logins for 'sam'");
        assertThat(locked.header("Retry-After")).isPresent();
        assertThat(live.gateway().audit().recent()).extracting(AuditEntry::action, AuditEntry::target)
                .contains(org.assertj.core.groups.Tuple.tuple("login.lockout", "sam"));
        assertThat(api.tryLogin("root", TestGateway.PASSWORD).status()).as("other users are not locked")
                .isEqualTo(200);
    }

    @Test
    void attemptsBeyondThePerAddressRateGet429WithRetryAfter() throws Exception {
        GatewayClient api = start(relaxedWith(0, new LoginLimits.Rate(3, 1), TestGateway.RELAXED_LOGIN.global(),
                100, 100));
        for (int i = 0; i < 3; i++) {
            assertThat(api.tryLogin("root", TestGateway.PASSWORD).status()).isEqualTo(200);
        }
        Reply refused = api.tryLogin("root", TestGateway.PASSWORD);
        assertError(refused, 429, "gateway.login.per_address");
        assertThat(Long.parseLong(refused.header("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(live.engine().metrics().registry().find("hotline.gateway.login.refused")
                .tag("reason", "per_address").counter().count()).isEqualTo(1);
    }

    @Test
    void attemptsBeyondTheGlobalRateGet429WithRetryAfter() throws Exception {
        GatewayClient api = start(relaxedWith(0, TestGateway.RELAXED_LOGIN.perAddress(), new LoginLimits.Rate(2, 1),
                100, 100));
        api.tryLogin("root", TestGateway.PASSWORD);
        api.tryLogin("sam", TestGateway.PASSWORD);
        Reply refused = api.tryLogin("sam", TestGateway.PASSWORD);
        assertError(refused, 429, "gateway.login.global");
        assertThat(refused.header("Retry-After")).isPresent();
    }
}
