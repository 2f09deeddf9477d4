package dev.hotline.gateway.auth;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The users snapshot: what a gateway whose database is unreachable at start lets log in. */
@Tag("slow")
class UserSnapshotTest {

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final String SEED_HASH = Passwords.hash("Seed-pass-123", 4);

    @TempDir
    Path dir;
    AppDatabase db;
    Path file;

    @BeforeEach
    void open() {
        db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("db"), "", "",
                Secret.NONE, 2));
        file = dir.resolve("data").resolve(UserSnapshot.FILE_NAME);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static User user(String name, Role role, String agent) {
        return new User(name, SEED_HASH, role, Optional.ofNullable(agent), Set.of());
    }

    /** A database that never answers. */
    static AppDatabase down() {
        DataSource ds = (DataSource) Proxy.newProxyInstance(UserSnapshotTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    throw new SQLException("Connection refused", "08001");
                });
        return AppDatabase.of(ds, "MariaDB at db:3306 (down)");
    }

    UserStore store(AppDatabase database, List<User> seed) {
        return UserStore.withDatabase(seed, dev.hotline.app.EngineApis.userStorage(database), InstantSource.fixed(T0), 4, file);
    }

    @Test
    void theSnapshotIsOwnerOnlyAndFollowsEveryChange() throws Exception {
        UserStore s = store(db, List.of(user("root", Role.ADMIN, null), user("bob", Role.AGENT, "1002")));
        assertThat(s.reload()).isTrue();
        assertThat(file).exists();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(Files.readString(file)).contains("\"bob\"").contains("\"enabled\" : true");
        s.setEnabled("bob", false, "root");
        assertThat(Files.readString(file)).contains("\"enabled\" : false");
        assertThat(new UserSnapshot(file).read()).isInstanceOfSatisfying(UserSnapshot.Result.Users.class,
                u -> assertThat(u.accounts()).filteredOn(a -> a.username().equals("bob"))
                        .singleElement().satisfies(a -> assertThat(a.enabled()).isFalse()));
    }

    @Test
    void withTheDatabaseDownAtStartTheLastTableReadAppliesAndNewSeedUsersToo() throws Exception {
        UserStore first = store(db, List.of(user("root", Role.ADMIN, null), user("bob", Role.AGENT, "1002")));
        assertThat(first.reload()).isTrue();
        first.setEnabled("bob", false, "root");

        // Later, "carl" was added to the seed file; the database does not answer at this start.
        UserStore second = store(down(), List.of(user("root", Role.ADMIN, null), user("bob", Role.AGENT, "1002"),
                user("carl", Role.ADMIN, null)));
        assertThat(second.reload()).isFalse();
        assertThat(second.find("bob")).as("disabled in the table").isEmpty();
        assertThat(second.find("root")).isPresent();
        assertThat(second.find("carl")).as("new in the seed file: the table will import it").isPresent();
        assertThat(second.writable()).isFalse();
        assertThat(second.readOnlyReason()).contains("has not been reached yet")
                .contains("the users as last read from it apply").contains(file.toString());
    }

    @Test
    void anUnusableSnapshotLetsNobodyInUntilTheTableIsRead() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\": 1, \"takenAt\": \"2026-03-01T00:00:00Z\", \"users\": [{\"username\":"
                + " \"root\", \"passwordHash\": \"plain-text\", \"role\": \"admin\"}]}");
        UserStore down = store(down(), List.of(user("root", Role.ADMIN, null)));
        assertThat(down.reload()).isFalse();
        assertThat(down.find("root")).isEmpty();
        assertThat(down.readOnlyReason()).contains("nobody can log in").contains("not a bcrypt hash");

        UserStore up = store(db, List.of(user("root", Role.ADMIN, null)));
        assertThat(up.find("root")).isEmpty();
        assertThat(up.reload()).isTrue();
        assertThat(up.find("root")).as("the table was read").isPresent();
        assertThat(new UserSnapshot(file).read()).as("and the snapshot written again")
                .isInstanceOf(UserSnapshot.Result.Users.class);
    }

    @Test
    void noSnapshotYetMeansTheSeedFileApplies() {
        UserStore s = store(down(), List.of(user("root", Role.ADMIN, null)));
        assertThat(s.reload()).isFalse();
        assertThat(s.find("root")).isPresent();
        assertThat(s.readOnlyReason()).contains("the seed file's users apply");
    }

    @Test
    void aSnapshotReadableByOthersIsMadeOwnerOnly() throws Exception {
        UserStore s = store(db, List.of(user("root", Role.ADMIN, null)));
        assertThat(s.reload()).isTrue();
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new UserSnapshot(file).read()).isInstanceOf(UserSnapshot.Result.Users.class);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
