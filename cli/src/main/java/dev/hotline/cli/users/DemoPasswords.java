package dev.hotline.cli.users;

import dev.hotline.config.ConfigException;
import dev.hotline.config.HotlineConfig;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserSnapshot;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.records.store.AppDatabase;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's users have public passwords ({@code config/demo/users.yaml}, the README): none of them may sign in to a
 * real engine. Finds the enabled users that can: any user whose hash is one of the demo file's, and any user named
 * like a demo user whose password is one of the demo's (checked with bcrypt: only those few names are checked, so a
 * start costs no more than a handful of checks).
 */
public final class DemoPasswords {

    /** The passwords the demo prints. */
    static final List<String> PUBLIC = List.of("demo-agent", "demo-supervisor", "demo-admin");

    private DemoPasswords() {
    }

    /** The file of the demo's users under the Hotline folder. */
    public static Path demoUsersFile(Path home) {
        return home.resolve("config").resolve("demo").resolve("users.yaml");
    }

    /** The enabled users among {@code accounts} who can sign in with a demo password, by username. */
    static List<User> found(Collection<UserAccount> accounts, Path demoUsersFile) throws ConfigException {
        List<User> demo = UserStore.load(demoUsersFile).all();
        Set<String> hashes = demo.stream().map(User::passwordHash).collect(Collectors.toSet());
        Set<String> names = demo.stream().map(User::username).collect(Collectors.toSet());
        return accounts.stream().filter(UserAccount::enabled).map(UserAccount::user)
                .filter(u -> hashes.contains(u.passwordHash()) || names.contains(u.username())
                        && PUBLIC.stream().anyMatch(p -> Passwords.matches(p, u.passwordHash())))
                .sorted(java.util.Comparator.comparing(User::username)).toList();
    }

    /**
     * Looks at the users {@code hotline run}'s gateway would have (the users table of the configured database, the
     * seed file's users it imports, or, while the database is unreachable, the last table read) before anything
     * starts.
     *
     * @return why {@code run} must not start, with how to fix it; empty when no user has a demo password
     */
    public static Optional<String> check(HotlineConfig config, Path home) throws ConfigException {
        List<User> seed = UserStore.load(config.gateway().usersFile()).all();
        try (AppDatabase db = AppDatabase.open(config.database())) {
            UserStore users = UserStore.withDatabase(seed, dev.hotline.app.EngineApis.userStorage(db), InstantSource.system(), Passwords.DEFAULT_COST,
                    config.database().dataDir().resolve(UserSnapshot.FILE_NAME));
            users.reload();
            List<User> found = found(users.accounts(), demoUsersFile(home));
            return found.isEmpty() ? Optional.empty() : Optional.of(refusal(found, db.description()));
        }
    }

    /** Why {@code hotline run} refuses to start, and how to fix it. */
    static String refusal(List<User> users, String where) {
        String list = users.stream().map(u -> u.username() + " (" + u.role().wireName() + ")")
                .collect(Collectors.joining(", "));
        return "these users can sign in with the demo's public passwords (config/demo/users.yaml): " + list
                + ", in " + where + ". They come from a demo that shared this data folder, or from a users file with"
                + " the demo's entries. For each of them: ./hotline user passwd NAME (a new password) or ./hotline"
                + " user disable NAME; then start again. The engine was not started.";
    }
}
