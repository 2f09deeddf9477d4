package dev.hotline.gateway.admin;

import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that starts while its database is unreachable must not bring back what the users table had changed: a
 * user disabled there stays disabled and a reset password's old value stays refused, although the seed file still
 * has them as they were. (Before the users snapshot, the seed file's entries applied until the table was read.)
 */
@Tag("slow")
class UsersSnapshotTest {

    static final String SEED_PW = "Seed-pass-123";
    static final String NEW_PW = "Reset-pass-456";

    @TempDir
    Path dir;

    private static int login(TestGateway live, String user, String password) throws Exception {
        return live.client().tryLogin(user, password).status();
    }

    @Test
    void disabledUsersAndOldPasswordsStayRefusedWhenTheDatabaseIsDownAtStart() throws Exception {
        String seedHash = Passwords.hash(SEED_PW, 4);
        String usersFile = "users:\n"
                + "  - {username: root, password_hash: \"" + seedHash + "\", role: admin}\n"
                + "  - {username: ops, password_hash: \"" + seedHash + "\", role: admin}\n"
                + "  - {username: bob, password_hash: \"" + seedHash + "\", role: agent, agent: \"1002\"}\n";
        AgentConfig bob = TestGateway.agent("1002", "team-a", Map.of("sales", 5));

        // First run, database reachable: bob is disabled and root's password reset, in the users table.
        try (TestGateway live = TestGateway.in(dir).agents(bob).usersFile(usersFile).start()) {
            Gateway gateway = live.gateway();
            assertThat(gateway.users().writable()).isTrue();
            assertThat(login(live, "bob", SEED_PW)).isEqualTo(200);
            gateway.users().setEnabled("bob", false, "ops");
            String newHash = Passwords.hash(NEW_PW, 4);
            gateway.users().update("root", u -> new User(u.username(), newHash, u.role(), u.agentId(), u.teams()),
                    "ops");
            assertThat(login(live, "bob", SEED_PW)).isEqualTo(401);
        }

        // Second run, the database does not answer: the seed file's entries must not come back.
        try (TestGateway live = TestGateway.in(dir).agents(bob).usersFile(usersFile)
                .database(TestGateway.unreachableMariaDb(dir.resolve("data"))).start()) {
            Gateway gateway = live.gateway();
            assertThat(gateway.users().writable()).isFalse();
            assertThat(login(live, "bob", SEED_PW)).as("bob was disabled").isEqualTo(401);
            assertThat(login(live, "root", SEED_PW)).as("root's old password").isEqualTo(401);
            assertThat(login(live, "root", NEW_PW)).as("root's new password").isEqualTo(200);
            assertThat(login(live, "ops", SEED_PW)).as("unchanged users log in").isEqualTo(200);
        }
    }
}
