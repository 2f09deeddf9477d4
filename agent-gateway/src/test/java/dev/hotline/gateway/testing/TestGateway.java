package dev.hotline.gateway.testing;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.LoginLimits;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QaConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.yaml.Secret;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real engine (no Asterisk: no AMI servers, AGI on a free port) and a real gateway in front of it, both in one
 * folder, for tests over HTTP and WebSocket. Built with {@link #in(Path)}; closing it closes the gateway, then the
 * engine.
 */
public final class TestGateway implements AutoCloseable {

    /** The password of the users added with the builder, unless {@link Builder#password} says otherwise. */
    public static final String PASSWORD = "secret-pw";

    /** The defaults, but with rates and a spraying threshold no test class reaches by accident. */
    public static final LoginLimits RELAXED_LOGIN = new LoginLimits(0, 1_000, new LoginLimits.Rate(100_000, 100_000),
            new LoginLimits.Rate(100_000, 100_000), 10_000, Duration.ofMinutes(5), Duration.ofMinutes(5),
            LoginLimits.DEFAULTS.maxFailures(), LoginLimits.DEFAULTS.lockout());

    private final HotlineEngine engine;
    private final Gateway gateway;
    private final GatewayClient client;

    private TestGateway(HotlineEngine engine, Gateway gateway, String password) {
        this.engine = engine;
        this.gateway = gateway;
        this.client = new GatewayClient(gateway.url(), password);
    }

    /** A test engine and gateway whose scripts, calendars, data, audit log and users file are under {@code dir}. */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /** An agent at site "hq" speaking "en", dialled at PJSIP/{id}. */
    public static AgentConfig agent(String id, String team, Map<String, Integer> skills) {
        return new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id), skills, Set.of(team), "hq", Set.of("en"));
    }

    /** A MariaDB database at {@code data} on a port nothing listens on: the engine starts with its database down. */
    public static DatabaseConfig unreachableMariaDb(Path data) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        return new DatabaseConfig(DatabaseConfig.Kind.MARIADB, data,
                "jdbc:mariadb://127.0.0.1:" + closedPort + "/hotline?connectTimeout=500", "hotline", Secret.NONE, 2);
    }

    public HotlineEngine engine() {
        return engine;
    }

    public Gateway gateway() {
        return gateway;
    }

    /** A client of this gateway whose {@code login(user)} uses the builder's password. */
    public GatewayClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            engine.close();
        }
    }

    /** What the test engine and gateway start with; by default one queue "sales" (skill sales) and no agents. */
    public static final class Builder {
        private final Path dir;
        private final List<QueueConfig> queues = new ArrayList<>();
        private final List<AgentConfig> agents = new ArrayList<>();
        private final List<UserSpec> users = new ArrayList<>();
        private DatabaseConfig database;
        private UnaryOperator<AcdConfig> acd = UnaryOperator.identity();
        private UnaryOperator<GatewayConfig> gatewayConfig = UnaryOperator.identity();
        private UnaryOperator<QaConfig> qaConfig = UnaryOperator.identity();
        private String password = PASSWORD;
        private boolean usersInDatabase;
        private String usersFile;
        private String engineName = "test";
        private dev.hotline.config.HaConfig ha = dev.hotline.config.HaConfig.DEFAULTS;
        private final List<dev.hotline.ha.Takeover> takeovers = new ArrayList<>();

        private record UserSpec(String name, Role role, Optional<String> agentId, Set<String> teams) {
        }

        private Builder(Path dir) {
            this.dir = dir;
            this.database = new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("data"), "", "", Secret.NONE,
                    2);
        }

        public Builder queues(QueueConfig... queues) {
            this.queues.addAll(List.of(queues));
            return this;
        }

        public Builder agents(AgentConfig... agents) {
            this.agents.addAll(List.of(agents));
            return this;
        }

        /** The database (by default the embedded one under the folder's "data"). */
        public Builder database(DatabaseConfig database) {
            this.database = database;
            return this;
        }

        /** Changes the default ACD settings. */
        public Builder acd(UnaryOperator<AcdConfig> change) {
            this.acd = change;
            return this;
        }

        /** Changes the gateway settings (port 0 and the audit log in the folder already set). */
        public Builder gateway(UnaryOperator<GatewayConfig> change) {
            this.gatewayConfig = change;
            return this;
        }

        /** The password of the users added here, and of the client's {@code login(user)}. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder agentUser(String name, String agentId, String... teams) {
            users.add(new UserSpec(name, Role.AGENT, Optional.of(agentId), Set.of(teams)));
            return this;
        }

        public Builder supervisor(String name, String... teams) {
            users.add(new UserSpec(name, Role.SUPERVISOR, Optional.empty(), Set.of(teams)));
            return this;
        }

        /** A QA staff member (role qa). */
        public Builder qaUser(String name) {
            users.add(new UserSpec(name, Role.QA, Optional.empty(), Set.of()));
            return this;
        }

        /** Changes the QA settings (the recordings folder is the test folder's "recordings"). */
        public Builder qa(UnaryOperator<QaConfig> change) {
            this.qaConfig = change;
            return this;
        }

        public Builder admin(String name) {
            users.add(new UserSpec(name, Role.ADMIN, Optional.empty(), Set.of()));
            return this;
        }

        /** The users added here seed the users table of the engine's database (waited for) instead of memory. */
        public Builder usersInDatabase() {
            this.usersInDatabase = true;
            return this;
        }

        /**
         * The gateway reads its users from this users file (written to the folder's "users.yaml"), as in production;
         * the users added here are then not used.
         */
        /** The engine's name ({@code engine.name}; the two engines of a pair need their own). */
        public Builder engineName(String name) {
            this.engineName = name;
            return this;
        }

        /** One engine of an active/standby pair (needs a MariaDB {@link #database}). */
        public Builder ha(dev.hotline.config.HaConfig pair, dev.hotline.ha.Takeover... onTakeover) {
            this.ha = pair;
            this.takeovers.addAll(List.of(onTakeover));
            return this;
        }

        public Builder usersFile(String yaml) {
            this.usersFile = yaml;
            return this;
        }

        public TestGateway start() throws Exception {
            Files.createDirectories(dir.resolve("ivr"));
            Files.createDirectories(dir.resolve("calendars"));
            // 1,000 FastAGI sessions, not 20,000: what the open-file limit leaves the gateway must not depend on the
            // machine's limit (see FileBudget).
            HotlineConfig config = new HotlineConfig("test", engineName, AgiConfig.DEFAULTS.withPort(0)
                    .withMaxSessions(1_000), List.of(),
                    database, dir.resolve("ivr"), dir.resolve("calendars"),
                    queues.isEmpty() ? List.of(QueueConfig.simple("sales", Map.of("sales", 1))) : List.copyOf(queues),
                    acd.apply(HotlineConfig.defaults().acd()), dir.resolve("agents.yaml"))
                    .withQa(qaConfig.apply(QaConfig.DEFAULTS.withRecordingsDir(dir.resolve("recordings"))))
                    .withHa(ha);
            // One test class logs in many times, with many usernames, from one address: the login rates and the
            // spraying lockout are out of the way unless a test sets its own.
            GatewayConfig gc = gatewayConfig.apply(GatewayConfig.DEFAULTS.withPort(0)
                    .withAuditFile(dir.resolve("audit.log")).withLogin(RELAXED_LOGIN));
            HotlineEngine engine = new HotlineEngine(config, List.copyOf(agents), "test");
            takeovers.forEach(engine::onTakeover);
            engine.start();
            try {
                Gateway gateway;
                if (usersFile != null) {
                    Files.writeString(dir.resolve("users.yaml"), usersFile);
                    gateway = Gateway.start(engine.api(), gc.withUsersFile(dir.resolve("users.yaml")));
                } else {
                    gateway = Gateway.start(engine.api(), gc, userStore(engine), InstantSource.system());
                }
                return new TestGateway(engine, gateway, password);
            } catch (Exception | Error e) {
                engine.close();
                throw e;
            }
        }

        private UserStore userStore(HotlineEngine engine) throws InterruptedException {
            String hash = Passwords.hash(password, 4);
            List<User> seed = users.stream().map(u -> new User(u.name(), hash, u.role(), u.agentId(), u.teams()))
                    .toList();
            if (!usersInDatabase) {
                return new UserStore(seed);
            }
            UserStore store = UserStore.withDatabase(seed, engine.api().admin().userStorage().orElseThrow(), InstantSource.system(), 4)
                    .start(engine.scheduler(), Duration.ofHours(1));
            assertThat(store.awaitFirstAttempt(Duration.ofSeconds(10))).isTrue();
            return store;
        }
    }
}
