package dev.hotline.gateway.auth;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link UserStore} in database mode on a real database: H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class UserStoreContract {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final String HASH = Passwords.hash("Seed-pass-123", 4);
    static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000";

    @TempDir
    Path dir;
    AppDatabase db;
    String schema;
    AtomicReference<Instant> now = new AtomicReference<>(T0);

    abstract boolean mariaDb();

    @BeforeEach
    void open() {
        if (!mariaDb()) {
            db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir, "", "", Secret.NONE, 2));
            return;
        }
        schema = "hotline_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "root", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            String message = "MariaDB not reachable at 127.0.0.1:3306: " + e.getMessage();
            if ("1".equals(System.getenv("HOTLINE_REQUIRE_MARIADB"))) {
                throw new AssertionError(message + " (HOTLINE_REQUIRE_MARIADB=1)");
            }
            Assumptions.abort(message);
        }
        db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dir,
                "jdbc:mariadb://127.0.0.1:3306/" + schema, "root", Secret.NONE, 2));
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(ADMIN_URL, "root", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }

    static User user(String name, Role role, String agent, String... teams) {
        return new User(name, HASH, role, Optional.ofNullable(agent), Set.of(teams));
    }

    UserStore store(List<User> seed) {
        return UserStore.withDatabase(seed, dev.hotline.app.EngineApis.userStorage(db), now::get, 4);
    }

    @Test
    void seedUsersAreImportedOnceAndTheRowsWinAfterwards() throws Exception {
        UserStore s = store(List.of(user("alice", Role.AGENT, "1001", "team-a", "team-b"), user("root", Role.ADMIN,
                null)));
        assertThat(s.writable()).isFalse();
        assertThat(s.find("alice")).isPresent();
        assertThat(s.reload()).isTrue();
        assertThat(s.writable()).isTrue();
        UserAccount alice = s.account("alice").orElseThrow();
        assertThat(alice.origin()).isEqualTo("file");
        assertThat(alice.updatedBy()).isEqualTo("users-file");
        assertThat(alice.user().teams()).containsExactlyInAnyOrder("team-a", "team-b");
        assertThat(alice.user().agentId()).contains("1001");

        now.set(T0.plusSeconds(60));
        s.update("alice", u -> new User(u.username(), u.passwordHash(), Role.SUPERVISOR, Optional.empty(),
                Set.of("team-c")), "root");
        // A restart with the same seed file: the row stands; a new file user is imported.
        UserStore again = store(List.of(user("alice", Role.AGENT, "1001", "team-a"), user("bob", Role.AGENT,
                "1002")));
        assertThat(again.reload()).isTrue();
        UserAccount a2 = again.account("alice").orElseThrow();
        assertThat(a2.user().role()).isEqualTo(Role.SUPERVISOR);
        assertThat(a2.user().agentId()).isEmpty();
        assertThat(a2.user().teams()).containsExactly("team-c");
        assertThat(a2.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(a2.createdAt()).isEqualTo(T0);
        assertThat(again.accounts()).extracting(UserAccount::username).containsExactly("alice", "bob", "root");
    }

    @Test
    void createDisableAndEnableAreStoredAndNotifyTheListeners() throws Exception {
        UserStore s = store(List.of(user("root", Role.ADMIN, null)));
        List<String> changed = new ArrayList<>();
        s.reload();
        s.onChange(changed::add);
        User carol = new User("carol", Passwords.hash("Other-pass-456", 4), Role.ADMIN, Optional.empty(), Set.of());
        assertThat(s.create(carol, "root")).isTrue();
        assertThat(s.create(carol, "root")).as("taken").isFalse();
        assertThat(s.setEnabled("carol", false, "root")).isPresent();
        assertThat(s.find("carol")).isEmpty();
        assertThat(s.all()).extracting(User::username).containsExactly("root");
        assertThat(s.current(carol)).isEmpty();
        assertThat(s.setEnabled("ghost", false, "root")).isEmpty();
        assertThat(changed).containsExactly("carol", "carol");

        UserStore again = store(List.of());
        again.reload();
        UserAccount c = again.account("carol").orElseThrow();
        assertThat(c.enabled()).isFalse();
        assertThat(c.origin()).isEqualTo("admin");
        assertThat(Passwords.matches("Other-pass-456", c.user().passwordHash())).isTrue();
        s.setEnabled("carol", true, "root");
        assertThat(again.reload()).isTrue();
        assertThat(again.find("carol")).isPresent();
        assertThat(s.current(new User("carol", HASH, Role.ADMIN, Optional.empty(), Set.of())))
                .as("a session from before a password change").isEmpty();
    }

    @Test
    void withoutADatabaseTheSeedUsersApplyReadOnly() throws Exception {
        db.close();
        db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dir,
                "jdbc:mariadb://127.0.0.1:1/none?connectTimeout=500", "x", Secret.NONE, 1));
        Scheduler scheduler = Scheduler.system();
        UserStore s = store(List.of(user("root", Role.ADMIN, null))).start(scheduler, Duration.ofHours(1));
        try {
            assertThat(s.awaitFirstAttempt(Duration.ofSeconds(10))).isFalse();
            assertThat(s.find("root")).isPresent();
            assertThat(s.writable()).isFalse();
            assertThat(s.readOnlyReason()).contains("has not been reached yet");
            assertThatThrownBy(() -> s.create(user("x", Role.ADMIN, null), "root")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        } finally {
            s.close();
            scheduler.close();
        }
    }
}
