package dev.hotline.cli.users;

import dev.hotline.app.HotlineEngine;
import dev.hotline.cli.Main;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.records.store.AppDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hotline user …} on an embedded database, then the gateway over it; {@code run} and the demo's users. */
@Tag("slow")
class UserCommandTest {

    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final String GOOD = "Corr3ct-horse-battery";

    @TempDir
    Path dir;
    Path config;
    final InputStream stdin = System.in;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void configure() throws Exception {
        System.setProperty("hotline.home", HOME.toString());
        Files.createDirectories(dir.resolve("ivr"));
        Files.createDirectories(dir.resolve("calendars"));
        config = dir.resolve("hotline.yaml");
        Files.writeString(config, """
                agi: {port: %d}
                database: {kind: embedded, data_dir: %s}
                paths: {ivr_scripts: %s, calendars: %s, agents: %s}
                gateway: {port: %d, users: %s, audit_log: %s}
                """.formatted(freePort(), dir.resolve("data"), dir.resolve("ivr"), dir.resolve("calendars"),
                HOME.resolve("config/agents.yaml"), freePort(), dir.resolve("users.yaml"), dir.resolve("audit.log")));
    }

    @AfterEach
    void restore() {
        System.setIn(stdin);
        System.clearProperty("hotline.home");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Result run(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return new Result(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private static int login(String base, String user, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void userAddMakesTheFirstAdminWhoCanThenSignIn() throws Exception {
        Result add = run(GOOD + "\n", "user", "add", "root", "--role", "admin", "--password-stdin");
        assertThat(add.err()).isEmpty();
        assertThat(add.code()).isZero();
        assertThat(add.out()).contains("user root (admin) created in embedded database");

        assertThat(run("Sup3rvisor-pass\n", "user", "add", "sam", "--role", "supervisor", "--team", "team-a",
                "--password-stdin").code()).isZero();
        assertThat(run("Ag3nt-password!\n", "user", "add", "alice", "--role", "agent", "--agent", "1001",
                "--team", "team-a", "--password-stdin").code()).isZero();
        Result passwd = run("N3w-supervisor-pass\n", "user", "passwd", "sam", "--password-stdin");
        assertThat(passwd.code()).as(passwd.err()).isZero();
        assertThat(run("", "user", "disable", "alice").out()).contains("user alice disabled");
        Result list = run("", "user", "list");
        assertThat(list.out()).containsPattern("(?m)^alice +agent +1001 +team-a +no ")
                .containsPattern("(?m)^root +admin +- +- +yes ").contains("3 user(s) in embedded database");
        assertThat(Files.readString(dir.resolve("audit.log"))).contains("\"actor\":\"cli:", "\"action\":\"user"
                + ".create\"", "\"action\":\"user.password-reset\"", "\"action\":\"user.disable\"");

        // The gateway over that database: the users as the commands left them.
        HotlineConfig c = new ConfigLoader(Map.of()).load(config).resolvedAgainst(HOME);
        try (HotlineEngine engine = new HotlineEngine(c.withAgi(c.agi().withPort(0)), List.of(), "test").start();
             Gateway gateway = Gateway.start(engine.api(), c.gateway().withPort(0))) {
            assertThat(login(gateway.url(), "root", GOOD)).isEqualTo(200);
            assertThat(login(gateway.url(), "sam", "N3w-supervisor-pass")).isEqualTo(200);
            assertThat(login(gateway.url(), "sam", "Sup3rvisor-pass")).isEqualTo(401);
            assertThat(login(gateway.url(), "alice", "Ag3nt-password!")).as("disabled").isEqualTo(401);
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatIsWrongAndChangeNothing() {
        assertThat(run("short\n", "user", "add", "root", "--role", "admin", "--password-stdin").err())
                .contains("hotline user add: the password has 5 characters (expected: at least 10)");
        assertThat(run(GOOD + "\n", "user", "add", "x", "--role", "boss").err())
                .contains("--role boss (expected: agent, supervisor or admin)");
        assertThat(run(GOOD + "\n", "user", "add", "bob", "--role", "agent", "--agent", "9999").err())
                .contains("--agent 9999 is not a configured agent (expected one of: 1001, 1002");
        assertThat(run(GOOD + "\n", "user", "add", "tara", "--role", "supervisor").err())
                .contains("a supervisor needs --team");
        assertThat(run(GOOD + "\n", "user", "passwd", "ghost", "--password-stdin").err())
                .contains("no user 'ghost' in embedded database");
        assertThat(run(GOOD + "\n", "user", "add", "root", "--role", "admin", "--password-stdin").code()).isZero();
        Result again = run(GOOD + "\n", "user", "add", "root", "--role", "admin", "--password-stdin");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("user 'root' exists already");
        Result last = run("", "user", "disable", "root");
        assertThat(last.code()).isEqualTo(1);
        assertThat(last.err()).contains("it is the last enabled admin");
        assertThat(run("", "user", "list").out()).contains("1 user(s)");
    }

    @Test
    void runRefusesToStartWhileAUserHasADemoPasswordAndSaysHowToFixIt() throws Exception {
        // A demo that shared this data folder left its users in the table.
        HotlineConfig c = new ConfigLoader(Map.of()).load(config).resolvedAgainst(HOME);
        try (AppDatabase db = AppDatabase.open(c.database())) {
            UserStore users = UserStore.withDatabase(UserStore.load(DemoPasswords.demoUsersFile(HOME)).all(), dev.hotline.app.EngineApis.userStorage(db),
                    InstantSource.system(), 4);
            assertThat(users.reload()).isTrue();
        }
        Result refused = run("", "run");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("hotline run: refusing to start: these users can sign in with the demo's"
                        + " public passwords", "alice (agent)", "root (admin)", "tara (supervisor)",
                "quinn (qa)", "./hotline user passwd NAME", "./hotline user disable NAME", "The engine was not started");

        // The fix it names: a new password for the admin, the others disabled.
        assertThat(run(GOOD + "\n", "user", "passwd", "root", "--password-stdin").code()).isZero();
        assertThat(run("", "user", "disable", "alice", "bruno", "daniel", "sam", "quinn").code()).isZero();
        assertThat(DemoPasswords.check(c, HOME)).hasValueSatisfying(m -> assertThat(m).contains("tara")
                .doesNotContain("root"));
        assertThat(run("", "user", "disable", "tara").code()).isZero();
        assertThat(DemoPasswords.check(c, HOME)).isEmpty();
        assertThat(Passwords.matches(GOOD, new UserStoreView(c).hashOf("root"))).isTrue();
    }

    @Test
    void aUserOfAnotherNameWithADemoHashIsFoundToo() throws Exception {
        var demo = UserStore.load(DemoPasswords.demoUsersFile(HOME)).all();
        var copied = new User("boss", demo.getLast().passwordHash(),
                Role.ADMIN, Optional.empty(), Set.of());
        var fine = new User("alice", Passwords.hash(GOOD, 4),
                Role.AGENT, Optional.of("1001"), Set.of("team-a"));
        var now = Instant.now();
        assertThat(DemoPasswords.found(List.of(UserAccount.imported(copied, now),
                UserAccount.imported(fine, now)), DemoPasswords.demoUsersFile(HOME)))
                .extracting(User::username).containsExactly("boss");
    }

    /** Reads one user's hash straight from the table. */
    private record UserStoreView(HotlineConfig config) {
        String hashOf(String name) throws Exception {
            try (AppDatabase db = AppDatabase.open(config.database())) {
                UserStore users = UserStore.withDatabase(List.of(), dev.hotline.app.EngineApis.userStorage(db), InstantSource.system(), 4);
                users.reload();
                return users.account(name).orElseThrow().user().passwordHash();
            }
        }
    }
}
