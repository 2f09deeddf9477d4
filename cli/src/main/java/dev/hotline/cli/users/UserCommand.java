package dev.hotline.cli.users;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.cli.Main;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.directory.DirectoryStore;
import dev.hotline.gateway.api.UsersApi;
import dev.hotline.gateway.audit.AuditLog;
import dev.hotline.gateway.auth.PasswordPolicy;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code hotline user add|passwd|disable|enable|list}: the gateway's users, straight in the configured database
 * (embedded or MariaDB), with the rules of the admin page (password policy, one user per agent, an enabled admin
 * stays). How the first admin is made. Works while the engine runs: the embedded database is shared with it
 * (AUTO_SERVER) and a running gateway reads the change within 10 s. Each change is appended to the audit log as
 * {@code cli:<system user>}.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = {"Manage the users of the agent desktop, wallboard and admin pages in the configured database"
                + " (how the first admin is made): ./hotline user add root --role admin."},
        subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.Disable.class,
                UserCommand.Enable.class, UserCommand.ListUsers.class})
public final class UserCommand {

    @ParentCommand
    Main main;

    /** A problem already reported on stderr; the command exits 1. */
    static final class Failed extends Exception {
        Failed() {
            super(null, null, false, false);
        }
    }

    /** What every subcommand shares: the configuration, the database, the user store, the audit log. */
    abstract static class Base implements Callable<Integer> {

        @ParentCommand
        UserCommand parent;

        @Spec
        CommandSpec spec;

        HotlineConfig config;
        AppDatabase db;
        PrintWriter out;
        PrintWriter err;

        abstract int run(UserStore users) throws Failed, IOException, SQLException;

        @Override
        public Integer call() throws Exception {
            out = spec.commandLine().getOut();
            err = spec.commandLine().getErr();
            try {
                config = ConfigLoader.fromSystemEnvironment().load(parent.main.configFile()).resolvedAgainst(
                        Main.home());
            } catch (ConfigException e) {
                e.problems().forEach((YamlProblem p) -> err.println(p));
                err.printf("%s: %d problem(s)%n", parent.main.configFile(), e.problems().size());
                return 1;
            }
            try (AppDatabase db = AppDatabase.open(config.database())) {
                UserStore users = UserStore.withDatabase(List.of(), dev.hotline.app.EngineApis.userStorage(db), InstantSource.system(),
                        Passwords.DEFAULT_COST);
                if (!users.reload()) {
                    err.println("hotline user: " + users.readOnlyReason());
                    return 1;
                }
                this.db = db;
                return run(users);
            } catch (Failed e) {
                return 1;
            } catch (ApiException e) {
                err.println("hotline user: " + e.detail());
                return 1;
            }
        }

        Failed fail(String message) {
            err.println("hotline user " + spec.name() + ": " + message);
            return new Failed();
        }

        UserAccount account(UserStore users, String name) throws Failed {
            return users.account(name).orElseThrow(() -> fail("no user '" + name + "' in "
                    + db.description() + " (see: ./hotline user list)"));
        }

        /** Records the change in the gateway's audit log. */
        void audit(String action, String target, String detail) {
            AuditLog log = new AuditLog(config.gateway().auditFile(), InstantSource.system(), new ObjectMapper());
            log.record("cli:" + System.getProperty("user.name", "?"), "admin", action, target, detail, "local");
            log.close();
        }

        /**
         * A new password: from the console, typed twice without echo, or (no console, or {@code --password-stdin})
         * the first line of standard input. Checked by the admin page's policy.
         */
        String newPassword(String username, boolean fromStdin) throws Failed, IOException {
            Console console = System.console();
            String password;
            if (!fromStdin && console != null) {
                char[] first = console.readPassword("new password for %s: ", username);
                char[] again = console.readPassword("again: ");
                if (first == null || again == null || !new String(first).equals(new String(again))) {
                    throw fail("the two passwords differ; nothing was changed");
                }
                password = new String(first);
            } else {
                password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (password == null) {
                    throw fail("no password on standard input (expected: one line)");
                }
            }
            Optional<String> problem = PasswordPolicy.problem(username, password);
            if (problem.isPresent()) {
                throw fail("the password " + problem.get() + "; nothing was changed");
            }
            return Passwords.hash(password, Passwords.DEFAULT_COST);
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
    static final class Add extends Base {

        @Parameters(paramLabel = "NAME", description = "Username: 1-32 of a-z, 0-9, '.', '-', '_'.")
        String name;

        @Option(names = "--role", required = true, description = "agent, supervisor or admin.")
        String role;

        @Option(names = "--agent", paramLabel = "ID", description = "The agent's work number (agent users).")
        String agent;

        @Option(names = "--team", paramLabel = "TEAM", description = "A team the user belongs to or oversees"
                + " (repeat for several; supervisors need one).")
        List<String> teams = List.of();

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Override
        int run(UserStore users) throws Failed, IOException, SQLException {
            if (!UserStore.NAME.matcher(name).matches()) {
                throw fail("'" + name + "' (expected: 1-32 of a-z, 0-9, '.', '-', '_', starting with a letter or"
                        + " digit)");
            }
            Role r = Role.parse(role).orElseThrow(() -> fail("--role " + role + " (expected: agent, supervisor or"
                    + " admin)"));
            for (String t : teams) {
                if (!UsersApi.TEAM.matcher(t).matches()) {
                    throw fail("--team " + t + " (expected: 1-32 letters, digits, '.', '-', '_')");
                }
            }
            if (r == Role.AGENT && agent == null) {
                throw fail("an agent user needs --agent (the agent's work number)");
            }
            if (r == Role.SUPERVISOR && teams.isEmpty()) {
                throw fail("a supervisor needs --team (the teams they oversee)");
            }
            if (agent != null) {
                Set<String> known = knownAgents();
                if (!known.contains(agent)) {
                    throw fail("--agent " + agent + " is not a configured agent (expected one of: "
                            + String.join(", ", known) + ")");
                }
            }
            if (users.account(name).isPresent()) {
                throw fail("user '" + name + "' exists already (change the password with: ./hotline user passwd "
                        + name + ")");
            }
            String hash = newPassword(name, stdin);
            User u = new User(name, hash, r, Optional.ofNullable(agent), Set.copyOf(teams));
            if (!users.create(u, "cli", UsersApi::invariants)) {
                throw fail("user '" + name + "' exists already");
            }
            audit("user.create", name, "role=" + r.wireName() + (agent == null ? "" : " agent=" + agent)
                    + (teams.isEmpty() ? "" : " teams=" + new TreeSet<>(teams)));
            out.printf("user %s (%s) created in %s; they can sign in now%n", name, r.wireName(), db.description());
            return 0;
        }

        /** The agents of the agents file and those created on the admin page. */
        private Set<String> knownAgents() throws SQLException {
            Set<String> ids = new TreeSet<>();
            try {
                ConfigLoader.fromSystemEnvironment().loadAgents(config.agentsFile()).stream().map(AgentConfig::id)
                        .forEach(ids::add);
            } catch (ConfigException e) {
                err.println("hotline user: " + config.agentsFile() + " has problems (" + e.problems().getFirst()
                        + "); only the database's agents are known");
            }
            new DirectoryStore(db.dataSource()).load().agents().forEach(row -> ids.add(row.id()));
            return ids;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's password (their sign-ins end at once).")
    static final class Passwd extends Base {

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean stdin;

        @Override
        int run(UserStore users) throws Failed, IOException, SQLException {
            account(users, name);
            String hash = newPassword(name, stdin);
            users.update(name, u -> new User(u.username(), hash, u.role(), u.agentId(), u.teams()), "cli",
                    UsersApi::invariants);
            audit("user.password-reset", name, "their tokens were revoked");
            out.printf("password of %s changed in %s%n", name, db.description());
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop a user from signing in (their sign-ins end at once).")
    static final class Disable extends Base {

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        int run(UserStore users) throws Failed, SQLException {
            for (String name : names) {
                account(users, name);
                users.setEnabled(name, false, "cli", UsersApi::invariants);
                audit("user.disable", name, "tokens revoked, live connections closed");
                out.printf("user %s disabled%n", name);
            }
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a disabled user sign in again.")
    static final class Enable extends Base {

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Override
        int run(UserStore users) throws Failed, SQLException {
            for (String name : names) {
                account(users, name);
                users.setEnabled(name, true, "cli", UsersApi::invariants);
                audit("user.enable", name, "may log in again");
                out.printf("user %s enabled%n", name);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users (never their passwords).")
    static final class ListUsers extends Base {

        @Override
        int run(UserStore users) {
            out.printf("%-20s %-10s %-8s %-24s %-8s %s%n", "user", "role", "agent", "teams", "enabled", "updated");
            for (UserAccount a : users.accounts()) {
                User u = a.user();
                out.printf("%-20s %-10s %-8s %-24s %-8s %s by %s%n", u.username(), u.role().wireName(),
                        u.agentId().orElse("-"), u.teams().isEmpty() ? "-" : String.join(",", new TreeSet<>(u.teams())),
                        a.enabled() ? "yes" : "no", a.updatedAt(), a.updatedBy());
            }
            out.printf("%d user(s) in %s%n", users.accounts().size(), db.description());
            return 0;
        }
    }
}
