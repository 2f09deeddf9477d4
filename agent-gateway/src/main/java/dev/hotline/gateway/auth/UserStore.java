package dev.hotline.gateway.auth;

import dev.hotline.config.ConfigException;
import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gateway's users. Two modes:
 * <ul>
 *   <li><b>seed only</b> ({@link #load}, {@link #UserStore(List)}): the users of the seed file ({@code users:} list
 *       with {@code username}, {@code password_hash}, {@code role}, {@code agent}, {@code teams}), read once and never
 *       changed; the admin API's changes are refused.</li>
 *   <li><b>database</b> ({@link #withDatabase}): table {@code gateway_user} is the truth. Every seed-file user whose
 *       username is absent from the table is imported into it (at the first connection and at every refresh); from
 *       then on the row wins and the file's entry for that username is ignored. Until the database is first
 *       reached the users of the last table read apply, read-only, from the snapshot file kept in the data folder
 *       ({@link UserSnapshot}; the seed users while there is none yet; nobody if it is unusable). Changes are written to the table first, then to the in-memory
 *       snapshot every login and token check reads (so a disabled user's tokens stop working at once), then the
 *       change listeners run. The table is re-read every {@code refresh} for changes made by another gateway.</li>
 * </ul>
 * Seed-file problems are reported with file, line and path, like hotline.yaml's. Plain-text passwords are refused
 * there: only bcrypt hashes are accepted.
 */
public final class UserStore implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UserStore.class);
    /** Usernames; also used by the admin API. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    private static final java.time.Duration RETRY = java.time.Duration.ofSeconds(5);

    private final List<User> seed;
    private final dev.hotline.api.UserStorage database;
    private final UserTable table;
    private final java.time.InstantSource clock;
    private final int hashCost;
    private final Object lock = new Object();
    private final List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Map<String, UserAccount> accounts;
    private volatile boolean persistent;
    private volatile String lastError = "";
    /** The last users table read, in the data folder; null: none kept (seed-only mode, tests). */
    private final UserSnapshot snapshot;
    /** What applies until the table is first read (seed file, snapshot, or nobody). */
    private final String beforeTable;
    private volatile String snapshotError = "";
    private volatile Scheduler.Task loader;

    /** Seed only: these users, read-only. */
    public UserStore(List<User> users) {
        this(users, null, java.time.InstantSource.system(), Passwords.DEFAULT_COST, null);
    }

    private UserStore(List<User> users, dev.hotline.api.UserStorage database,
                      java.time.InstantSource clock, int hashCost, Path snapshotFile) {
        Map<String, User> m = new LinkedHashMap<>();
        users.forEach(u -> m.put(u.username(), u));
        this.seed = List.copyOf(m.values());
        this.database = database;
        this.table = database == null ? null : new UserTable(database.dataSource());
        this.clock = clock;
        this.hashCost = hashCost;
        this.snapshot = snapshotFile == null ? null : new UserSnapshot(snapshotFile);
        java.time.Instant now = clock.instant();
        Map<String, UserAccount> a = new LinkedHashMap<>();
        UserSnapshot.Result kept = snapshot == null ? new UserSnapshot.Result.Absent() : snapshot.read();
        switch (kept) {
            case UserSnapshot.Result.Absent x -> {
                seed.forEach(u -> a.put(u.username(), UserAccount.imported(u, now)));
                beforeTable = "the seed file's users apply";
            }
            case UserSnapshot.Result.Users last -> {
                // The table as last read wins, as it would once reached; a seed user it did not have yet is what
                // the table will import.
                last.accounts().forEach(u -> a.put(u.username(), u));
                seed.forEach(u -> a.putIfAbsent(u.username(), UserAccount.imported(u, now)));
                beforeTable = "the users as last read from it apply (snapshot " + snapshot.file() + " of "
                        + last.takenAt() + ")";
            }
            case UserSnapshot.Result.Unusable bad -> {
                // Which seed entries the table had changed is unknown: nobody rather than a disabled user.
                log.error("gateway users: snapshot {} is unusable ({}); nobody can log in until the users table is"
                        + " read", snapshot.file(), bad.reason());
                beforeTable = "nobody can log in (the users snapshot " + snapshot.file() + " is unusable: "
                        + bad.reason() + ")";
            }
        }
        this.accounts = Map.copyOf(a);
    }

    /**
     * Database mode over the engine's records database, seeded with {@code seed}; call {@link #start} to connect.
     *
     * @param hashCost bcrypt cost of the passwords the admin API sets
     */
    public static UserStore withDatabase(List<User> seed, dev.hotline.api.UserStorage database,
                                         java.time.InstantSource clock, int hashCost) {
        return new UserStore(seed, java.util.Objects.requireNonNull(database, "database"), clock, hashCost, null);
    }

    /**
     * As {@link #withDatabase(List, dev.hotline.api.UserStorage, java.time.InstantSource, int)},
     * keeping the last users table read in {@code snapshotFile} ({@link UserSnapshot}, owner-only): while the
     * database has not been reached since the start, the users as last read from it apply (read-only) instead of the
     * seed file's, so a user disabled or a password reset in the table stays so. No snapshot yet: the seed file's
     * users apply; an unusable snapshot: nobody can log in until the table is read.
     */
    public static UserStore withDatabase(List<User> seed, dev.hotline.api.UserStorage database,
                                         java.time.InstantSource clock, int hashCost, Path snapshotFile) {
        return new UserStore(seed, java.util.Objects.requireNonNull(database, "database"), clock, hashCost,
                java.util.Objects.requireNonNull(snapshotFile, "snapshotFile"));
    }

    /**
     * Database mode: starts the loader on the engine's {@code scheduler} (now, then every {@code refresh}; every 5 s
     * while unreachable).
     */
    public UserStore start(Scheduler scheduler, java.time.Duration refresh) {
        if (table != null) {
            loader = scheduler.start("gateway-users", Cadence.refreshEvery(refresh).retryEvery(RETRY), a -> reload());
        }
        return this;
    }

    /** Waits for the first connection attempt; true when the table has been read. */
    public boolean awaitFirstAttempt(java.time.Duration timeout) throws InterruptedException {
        Scheduler.Task t = loader;
        if (t != null) {
            t.awaitFirstRun(timeout);
        }
        return persistent;
    }

    /**
     * Migrates, imports the seed users absent from the table and re-reads it. Users whose row changed run the
     * listeners.
     *
     * @return whether the table was read
     */
    public boolean reload() {
        if (table == null) {
            return false;
        }
        try {
            database.migrate();
            java.time.Instant now = clock.instant();
            int imported = 0;
            for (User u : seed) {
                if (!accounts.containsKey(u.username()) || !persistent) {
                    imported += table.insert(UserAccount.imported(u, now)) ? 1 : 0;
                }
            }
            List<UserAccount> rows;
            List<String> changed = new ArrayList<>();
            // Read under the lock: a change written meanwhile must not be replaced by an older read.
            synchronized (lock) {
                rows = table.all();
                Map<String, UserAccount> m = new LinkedHashMap<>();
                rows.forEach(a -> m.put(a.username(), a));
                Map<String, UserAccount> before = accounts;
                m.forEach((name, a) -> {
                    UserAccount b = before.get(name);
                    if (b == null || !b.user().equals(a.user()) || b.enabled() != a.enabled()) {
                        changed.add(name);
                    }
                });
                accounts = Map.copyOf(m);
                if (!persistent || !changed.isEmpty() || !snapshotError.isEmpty()) {
                    keepSnapshot();
                }
            }
            if (!persistent) {
                log.info("gateway users: {} in {} ({} imported from the seed file)", rows.size(),
                        database.description(), imported);
            }
            persistent = true;
            lastError = "";
            changed.forEach(this::changed);
            return true;
        } catch (java.sql.SQLException | RuntimeException e) {
            if (lastError.isEmpty()) {
                log.warn("gateway users: database {} unreachable ({}); {}", database.description(), e.toString(),
                        persistent ? "the last users read stay, read-only" : beforeTable + ", read-only");
            }
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            return false;
        }
    }

    /** Run with the username after every change of a user (the gateway closes their live connections). */
    public void onChange(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
    }

    private void changed(String username) {
        for (var l : listeners) {
            try {
                l.accept(username);
            } catch (RuntimeException e) {
                log.warn("gateway users: change listener failed for {} ({})", username, e.toString());
            }
        }
    }

    /** The enabled user of that name: who may log in. */
    public Optional<User> find(String username) {
        UserAccount a = accounts.get(username);
        return a != null && a.enabled() ? Optional.of(a.user()) : Optional.empty();
    }

    /** The enabled users, by username. */
    public List<User> all() {
        return accounts.values().stream().filter(UserAccount::enabled).map(UserAccount::user)
                .sorted(java.util.Comparator.comparing(User::username)).toList();
    }

    /** Every user, enabled or not, by username. */
    public List<UserAccount> accounts() {
        return accounts.values().stream().sorted(java.util.Comparator.comparing(UserAccount::username)).toList();
    }

    public Optional<UserAccount> account(String username) {
        return Optional.ofNullable(accounts.get(username));
    }

    /**
     * What a session's user is now: empty when the user was disabled or their password reset (the token dies),
     * else the current role, agent and teams.
     */
    public Optional<User> current(User sessionUser) {
        return find(sessionUser.username()).filter(u -> u.passwordHash().equals(sessionUser.passwordHash()));
    }

    /** Whether changes can be written now (database mode, table reached). */
    public boolean writable() {
        return table != null && persistent;
    }

    /** Why changes are refused now; empty when {@link #writable()}. */
    public String readOnlyReason() {
        if (table == null) {
            return "users come from the seed file only (no database): change the file and restart";
        }
        return persistent ? "" : "the users table in " + database.description() + " has not been reached yet ("
                + lastError + "); " + beforeTable + " read-only until it is";
    }

    /** Writes the snapshot of {@link #accounts} (under {@link #lock}, so an older one never replaces a newer one). */
    private void keepSnapshot() {
        if (snapshot == null) {
            return;
        }
        try {
            snapshot.write(accounts.values(), clock.instant());
            if (!snapshotError.isEmpty()) {
                log.info("gateway users: snapshot {} written again", snapshot.file());
            }
            snapshotError = "";
        } catch (java.io.IOException | RuntimeException e) {
            if (snapshotError.isEmpty()) {
                log.warn("gateway users: cannot write the users snapshot {} ({}); a start while the database is"
                        + " unreachable would use an older one", snapshot.file(), e.toString());
            }
            snapshotError = e.toString();
        }
    }

    public int hashCost() {
        return hashCost;
    }

    /**
     * A rule a change must keep, checked under the store's lock against the users as they are at that moment (so
     * two changes made at once cannot both pass a check that only one of them may pass, e.g. "another admin stays").
     * It refuses the change by throwing; nothing is written then.
     */
    @FunctionalInterface
    public interface Rule {
        /** No rule. */
        Rule NONE = (before, after, all) -> { };

        /**
         * @param before the user before the change; empty when it is being created
         * @param after  the user as the change would leave it
         * @param all    every user as they are now (including {@code before})
         */
        void check(Optional<UserAccount> before, UserAccount after, java.util.Collection<UserAccount> all);
    }

    /** Creates a user; false when the username is taken. */
    public boolean create(User u, String by) throws java.sql.SQLException {
        return create(u, by, Rule.NONE);
    }

    /** Creates a user if {@code rule} allows it; false when the username is taken. */
    public boolean create(User u, String by, Rule rule) throws java.sql.SQLException {
        requireWritable();
        java.time.Instant now = clock.instant();
        UserAccount a = new UserAccount(u, true, UserAccount.FROM_ADMIN, now, now, by);
        synchronized (lock) {
            if (accounts.containsKey(u.username())) {
                return false;
            }
            rule.check(Optional.empty(), a, accounts.values());
            if (!table.insert(a)) {
                return false;
            }
            Map<String, UserAccount> m = new LinkedHashMap<>(accounts);
            m.put(u.username(), a);
            accounts = Map.copyOf(m);
            keepSnapshot();
        }
        changed(u.username());
        return true;
    }

    /**
     * Replaces a user's role, agent, teams or password hash; empty when there is no such user. {@code change} is
     * applied to the user as they are when the change is written (under the lock), so it must only set what it
     * changes: a concurrent change of another field (e.g. a password reset) is kept.
     */
    public Optional<UserAccount> update(String username, java.util.function.UnaryOperator<User> change, String by)
            throws java.sql.SQLException {
        return update(username, change, by, Rule.NONE);
    }

    /** As {@link #update(String, java.util.function.UnaryOperator, String)}, if {@code rule} allows it. */
    public Optional<UserAccount> update(String username, java.util.function.UnaryOperator<User> change, String by,
                                        Rule rule) throws java.sql.SQLException {
        return write(username, a -> a.changed(change.apply(a.user()), clock.instant(), by), rule);
    }

    /** Enables or disables a user; empty when there is no such user. */
    public Optional<UserAccount> setEnabled(String username, boolean enabled, String by)
            throws java.sql.SQLException {
        return setEnabled(username, enabled, by, Rule.NONE);
    }

    /** Enables or disables a user if {@code rule} allows it; empty when there is no such user. */
    public Optional<UserAccount> setEnabled(String username, boolean enabled, String by, Rule rule)
            throws java.sql.SQLException {
        return write(username, a -> a.withEnabled(enabled, clock.instant(), by), rule);
    }

    private Optional<UserAccount> write(String username, java.util.function.UnaryOperator<UserAccount> change,
                                        Rule rule) throws java.sql.SQLException {
        requireWritable();
        UserAccount after;
        synchronized (lock) {
            UserAccount before = accounts.get(username);
            if (before == null) {
                return Optional.empty();
            }
            after = change.apply(before);
            rule.check(Optional.of(before), after, accounts.values());
            if (!table.update(after)) {
                return Optional.empty();
            }
            Map<String, UserAccount> m = new LinkedHashMap<>(accounts);
            m.put(username, after);
            accounts = Map.copyOf(m);
            keepSnapshot();
        }
        changed(username);
        return Optional.of(after);
    }

    private void requireWritable() throws java.sql.SQLException {
        if (!writable()) {
            throw new java.sql.SQLException(readOnlyReason(), "08001");
        }
    }

    @Override
    public void close() {
        Scheduler.Task t = loader;
        if (t != null) {
            t.stop();
        }
    }

    /** Reads {@code file}; an absent file means no users (the gateway then serves only health and metrics). */
    public static UserStore load(Path file) throws ConfigException {
        if (!Files.exists(file)) {
            return new UserStore(List.of());
        }
        String name = file.toString();
        YamlNode root;
        try {
            root = YamlTreeReader.read(file, name);
        } catch (IOException e) {
            throw new ConfigException(List.of(YamlProblem.error(new YamlLocation(name, 1, 1), "",
                    "cannot read file: " + e.getMessage())));
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(e.problem()));
        }
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, Map.of());
        List<User> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Fields u : top.sections("users")) {
            boolean ok = true;
            String username = u.requiredString("username");
            if (username != null && !NAME.matcher(username).matches()) {
                u.invalid("username", "\"" + username + "\" (expected: 1-32 of a-z, 0-9, '.', '-', '_')");
                ok = false;
            } else if (username != null && !names.add(username)) {
                u.invalid("username", "\"" + username + "\" is used twice (expected: a unique username)");
                ok = false;
            }
            String hash = u.requiredString("password_hash");
            if (hash != null && !Passwords.looksLikeBcrypt(hash)) {
                u.invalid("password_hash", "not a bcrypt hash (expected: $2a$/$2b$/$2y$ + cost + 53 characters;"
                        + " never a plain password)");
                ok = false;
            }
            String roleText = u.requiredString("role");
            Optional<Role> role = roleText == null ? Optional.empty() : Role.parse(roleText);
            if (roleText != null && role.isEmpty()) {
                u.invalid("role", "\"" + roleText + "\" (expected: " + Role.expected() + ")");
            }
            String agent = u.string("agent", null);
            List<String> teams = u.strings("teams", List.of(), t -> t.isBlank() ? "a team name" : null);
            if (role.orElse(null) == Role.AGENT && agent == null) {
                u.missing("agent", "the agent's work number, e.g. \"1001\"");
                ok = false;
            }
            if (role.orElse(null) == Role.SUPERVISOR && teams.isEmpty()) {
                u.missing("teams", "the teams this supervisor oversees, e.g. [team-a]");
                ok = false;
            }
            u.finish();
            if (ok && username != null && hash != null && role.isPresent()) {
                out.add(new User(username, hash, role.get(), Optional.ofNullable(agent), java.util.Set.copyOf(teams)));
            }
        }
        top.finish();
        if (problems.hasErrors()) {
            throw new ConfigException(problems.sorted());
        }
        return new UserStore(out);
    }
}
