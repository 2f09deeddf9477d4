package dev.hotline.directory;

import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.QueueConfig;
import dev.hotline.directory.DirectoryException.Kind;
import dev.hotline.ha.Fence;
import dev.hotline.ha.FencedOutException;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.routing.EscalationStep;
import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Agents, queues and the skill catalogue, live: the configuration files are the base, and rows written through the
 * admin API (table {@code directory_*}, {@code V3__directory.sql}) override or extend them by id. Every change is
 * validated by the configuration loader's own rules ({@link ConfigLoader#parseAgent}, {@link ConfigLoader#parseQueue})
 * plus the directory's cross-checks (skills from the catalogue, queues that exist), then written to the database,
 * then applied to the routing core through the {@link LiveTarget} (the ACD, which posts to its loop). A database
 * that cannot be reached fails the change with {@link Kind#UNAVAILABLE} before anything is applied.
 *
 * <p>Threads: reads ({@link #agents()}, …) are non-blocking snapshots from any thread. Writes run one at a time on
 * the directory's own thread and answer through a {@link CompletableFuture}; no caller (Netty event loop, ACD loop)
 * ever waits for the database.
 */
public final class Directory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Directory.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    /** Where changes take effect: the ACD in the engine, a recorder in tests. Must not block. */
    public interface LiveTarget {
        void defineAgent(AgentConfig agent, boolean disabled);

        void disableAgent(String agentId, String by);

        void defineQueue(QueueConfig queue, boolean disabled);

        void disableQueue(String name, String by);
    }

    /** Told after every applied change ({@code kind}: agent, queue or skill), on the directory's thread. */
    public interface Listener {
        void changed(String kind, String id);
    }

    private final Map<String, AgentConfig> fileAgents = new LinkedHashMap<>();
    private final Map<String, QueueConfig> fileQueues = new LinkedHashMap<>();
    private final Set<String> fileSkills = new TreeSet<>();
    private final Map<String, Entry<AgentConfig>> agents = new ConcurrentHashMap<>();
    private final Map<String, Entry<QueueConfig>> queues = new ConcurrentHashMap<>();
    private final Map<String, Entry<SkillConfig>> skills = new ConcurrentHashMap<>();
    private final AppDatabase database;
    private final DirectoryStore store;
    private final LiveTarget target;
    private final InstantSource clock;
    private final ConfigLoader loader = new ConfigLoader(Map.of());
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "directory");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean loaded;
    private volatile boolean closed;
    private volatile String lastLoadProblem = "";
    private final Scheduler scheduler;
    private volatile Scheduler.Task retrier;

    /**
     * The directory over the files' agents and queues (their skills seed the catalogue); {@code target} already
     * knows them. {@code fence}: a change is stored only while this engine may act (the lease of an active/standby
     * pair; refused with {@link Kind#UNAVAILABLE} and the active engine's name otherwise), {@link Fence#SINGLE} for a
     * single engine. Call {@link #start} to read the database's rows.
     */
    public Directory(List<AgentConfig> fileAgents, List<QueueConfig> fileQueues, AppDatabase database,
                     LiveTarget target, Fence fence, Scheduler scheduler, InstantSource clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.store = new DirectoryStore(database.dataSource()).fence(Objects.requireNonNull(fence, "fence"));
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (QueueConfig q : fileQueues) {
            this.fileQueues.put(q.name(), q);
            queues.put(q.name(), Entry.fromFile(q));
            fileSkills.addAll(q.skills().keySet());
            q.escalation().forEach(s -> skillOf(s).ifPresent(fileSkills::add));
        }
        for (AgentConfig a : fileAgents) {
            this.fileAgents.put(a.id(), a);
            agents.put(a.id(), Entry.fromFile(a));
            fileSkills.addAll(a.skills().keySet());
        }
        for (String s : fileSkills) {
            if (dev.hotline.config.QueueConfig.NAME.matcher(s).matches()) {
                skills.put(s, Entry.fromFile(new SkillConfig(s, "")));
            }
        }
    }

    /**
     * Reads the database's rows and applies them, waiting up to {@code wait}; while the database is unreachable
     * the files stand and a background retry (every 5 s) applies the rows as soon as it is back.
     */
    public Directory start(Duration wait) {
        // ensureLoaded logs why the database could not be read: the retries are quiet.
        Scheduler.Task task = scheduler.start("directory-load", Cadence.untilDone(RETRY), a -> {
            if (closed) {
                return true;
            }
            try {
                thread.submit(this::ensureLoaded).get();
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                return false;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return true;   // closed meanwhile
            }
        });
        retrier = task;
        try {
            task.awaitWorked(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Whether the database's rows have been read (false while it has been unreachable since the start). */
    public boolean loaded() {
        return loaded;
    }

    /** Why the rows could not be read, if they could not. */
    public String loadProblem() {
        return lastLoadProblem;
    }

    // ------------------------------------------------------------------------------------------ reads

    public List<Entry<AgentConfig>> agents() {
        return agents.values().stream().sorted(Comparator.comparing(e -> e.value().id())).toList();
    }

    public Optional<Entry<AgentConfig>> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    public List<Entry<QueueConfig>> queues() {
        return queues.values().stream().sorted(Comparator.comparing(e -> e.value().name())).toList();
    }

    public Optional<Entry<QueueConfig>> queue(String name) {
        return Optional.ofNullable(queues.get(name));
    }

    public List<Entry<SkillConfig>> skills() {
        return skills.values().stream().sorted(Comparator.comparing(e -> e.value().name())).toList();
    }

    public Optional<Entry<SkillConfig>> skill(String name) {
        return Optional.ofNullable(skills.get(name));
    }

    // ------------------------------------------------------------------------------------------ agents

    /** A new agent from a definition document (JSON or YAML text with the keys of an agents.yaml entry). */
    public CompletableFuture<Change<AgentConfig>> createAgent(String document, String by) {
        return run(() -> {
            AgentConfig a = parseAgent(document);
            if (agents.containsKey(a.id())) {
                throw new DirectoryException(Kind.CONFLICT, "agent " + a.id() + " already exists (expected: a new "
                        + "work number, or a change of agent " + a.id() + ")");
            }
            return saveAgent(a, Optional.empty(), false, by);
        });
    }

    /** Replaces agent {@code id}'s definition; it keeps its enabled/disabled state. */
    public CompletableFuture<Change<AgentConfig>> replaceAgent(String id, String document, String by) {
        return run(() -> {
            Entry<AgentConfig> before = existingAgent(id);
            AgentConfig a = parseAgent(document);
            sameId("id", id, a.id());
            return saveAgent(a, Optional.of(before), before.disabled(), by);
        });
    }

    /**
     * Changes some keys of agent {@code id}'s definition (e.g. {@code skills}, {@code queues}): the current
     * document with {@code fields} put over it, validated whole.
     */
    public CompletableFuture<Change<AgentConfig>> patchAgent(String id, Map<String, Object> fields, String by) {
        return run(() -> {
            Entry<AgentConfig> before = existingAgent(id);
            Map<String, Object> doc = Documents.agent(before.value());
            doc.putAll(fields);
            AgentConfig a = parseAgent(Documents.json(doc));
            sameId("id", id, a.id());
            return saveAgent(a, Optional.of(before), before.disabled(), by);
        });
    }

    public CompletableFuture<Change<AgentConfig>> setAgentEnabled(String id, boolean enabled, String by) {
        return run(() -> {
            Entry<AgentConfig> before = existingAgent(id);
            if (before.disabled() != enabled) {
                throw new DirectoryException(Kind.CONFLICT, "agent " + id + " is already "
                        + (enabled ? "enabled" : "disabled"));
            }
            return saveAgent(before.value(), Optional.of(before), !enabled, by);
        });
    }

    private Entry<AgentConfig> existingAgent(String id) {
        Entry<AgentConfig> e = agents.get(id);
        if (e == null) {
            throw new DirectoryException(Kind.NOT_FOUND, "no agent with work number " + id);
        }
        return e;
    }

    private AgentConfig parseAgent(String document) {
        AgentConfig a;
        try {
            a = loader.parseAgent(document, "body");
        } catch (ConfigException e) {
            throw invalid("agent", e.problems());
        }
        return a;
    }

    private Change<AgentConfig> saveAgent(AgentConfig a, Optional<Entry<AgentConfig>> before, boolean disabled,
                                          String by) {
        List<YamlProblem> problems = new ArrayList<>();
        Set<String> had = before.map(e -> e.value().skills().keySet()).orElse(Set.of());
        for (String skill : new TreeSet<>(a.skills().keySet())) {
            if (!had.contains(skill)) {
                checkSkill(skill, "skills." + skill, problems);
            }
        }
        for (String q : new TreeSet<>(a.queues())) {
            if (!queues.containsKey(q)) {
                problems.add(problem("queues", "unknown queue '" + q + "' (expected one of: "
                        + String.join(", ", new TreeSet<>(queues.keySet())) + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw invalid("agent", problems);
        }
        Instant now = clock.instant();
        persist(() -> store.saveAgent(new DirectoryStore.Row(a.id(), Documents.json(Documents.agent(a)), disabled,
                now, by)));
        Entry<AgentConfig> after = new Entry<>(a, disabled, fileAgents.containsKey(a.id()) ? Entry.Origin.OVERRIDDEN
                : Entry.Origin.DATABASE, Optional.of(now), by);
        agents.put(a.id(), after);
        boolean wasDisabled = before.map(Entry::disabled).orElse(false);
        if (disabled && before.isPresent() && !wasDisabled && before.get().value().equals(a)) {
            target.disableAgent(a.id(), by);
        } else {
            target.defineAgent(a, disabled);
        }
        notify("agent", a.id());
        return new Change<>(before, after);
    }

    // ------------------------------------------------------------------------------------------ queues

    /** A new queue from a definition document (the keys of a hotline.yaml {@code queues:} item). */
    public CompletableFuture<Change<QueueConfig>> createQueue(String document, String by) {
        return run(() -> {
            QueueConfig q = parseQueue(document);
            if (queues.containsKey(q.name())) {
                throw new DirectoryException(Kind.CONFLICT, "queue " + q.name() + " already exists (expected: a new "
                        + "name, or a change of queue " + q.name() + ")");
            }
            return saveQueue(q, Optional.empty(), false, by);
        });
    }

    public CompletableFuture<Change<QueueConfig>> replaceQueue(String name, String document, String by) {
        return run(() -> {
            Entry<QueueConfig> before = existingQueue(name);
            QueueConfig q = parseQueue(document);
            sameId("name", name, q.name());
            return saveQueue(q, Optional.of(before), before.disabled(), by);
        });
    }

    /** Changes some keys of queue {@code name}'s definition (skills, service_level, max_wait, strategy, …). */
    public CompletableFuture<Change<QueueConfig>> patchQueue(String name, Map<String, Object> fields, String by) {
        return run(() -> {
            Entry<QueueConfig> before = existingQueue(name);
            Map<String, Object> doc = Documents.queue(before.value());
            doc.putAll(fields);
            QueueConfig q = parseQueue(Documents.json(doc));
            sameId("name", name, q.name());
            return saveQueue(q, Optional.of(before), before.disabled(), by);
        });
    }

    public CompletableFuture<Change<QueueConfig>> setQueueEnabled(String name, boolean enabled, String by) {
        return run(() -> {
            Entry<QueueConfig> before = existingQueue(name);
            if (before.disabled() != enabled) {
                throw new DirectoryException(Kind.CONFLICT, "queue " + name + " is already "
                        + (enabled ? "enabled" : "disabled"));
            }
            return saveQueue(before.value(), Optional.of(before), !enabled, by);
        });
    }

    private Entry<QueueConfig> existingQueue(String name) {
        Entry<QueueConfig> e = queues.get(name);
        if (e == null) {
            throw new DirectoryException(Kind.NOT_FOUND, "no queue named " + name);
        }
        return e;
    }

    private QueueConfig parseQueue(String document) {
        try {
            Map<String, QueueConfig> now = new java.util.HashMap<>();
            queues.forEach((name, e) -> now.put(name, e.value()));
            return loader.parseQueue(document, "body", now);   // moves that would lead back are refused too
        } catch (ConfigException e) {
            throw invalid("queue", e.problems());
        }
    }

    private Change<QueueConfig> saveQueue(QueueConfig q, Optional<Entry<QueueConfig>> before, boolean disabled,
                                          String by) {
        List<YamlProblem> problems = new ArrayList<>();
        Set<String> had = new HashSet<>();
        before.ifPresent(e -> {
            had.addAll(e.value().skills().keySet());
            e.value().escalation().forEach(s -> skillOf(s).ifPresent(had::add));
        });
        for (String skill : new TreeSet<>(q.skills().keySet())) {
            if (!had.contains(skill)) {
                checkSkill(skill, "skills." + skill, problems);
            }
        }
        for (EscalationStep s : q.escalation()) {
            skillOf(s).filter(skill -> !had.contains(skill)).ifPresent(skill -> checkSkill(skill, "escalation",
                    problems));
        }
        if (!problems.isEmpty()) {
            throw invalid("queue", problems);
        }
        Instant now = clock.instant();
        persist(() -> store.saveQueue(new DirectoryStore.Row(q.name(), Documents.json(Documents.queue(q)), disabled,
                now, by)));
        Entry<QueueConfig> after = new Entry<>(q, disabled, fileQueues.containsKey(q.name())
                ? Entry.Origin.OVERRIDDEN : Entry.Origin.DATABASE, Optional.of(now), by);
        queues.put(q.name(), after);
        boolean wasDisabled = before.map(Entry::disabled).orElse(false);
        if (disabled && before.isPresent() && !wasDisabled && before.get().value().equals(q)) {
            target.disableQueue(q.name(), by);
        } else {
            target.defineQueue(q, disabled);
        }
        notify("queue", q.name());
        return new Change<>(before, after);
    }

    // ------------------------------------------------------------------------------------------ skills

    public CompletableFuture<Change<SkillConfig>> createSkill(String name, String description, String by) {
        return run(() -> {
            SkillConfig s = skillConfig(name, description);
            if (skills.containsKey(name)) {
                throw new DirectoryException(Kind.CONFLICT, "skill " + name + " already exists (expected: a new "
                        + "name, or a change of skill " + name + ")");
            }
            return saveSkill(s, Optional.empty(), false, by);
        });
    }

    public CompletableFuture<Change<SkillConfig>> describeSkill(String name, String description, String by) {
        return run(() -> {
            Entry<SkillConfig> before = existingSkill(name);
            return saveSkill(skillConfig(name, description), Optional.of(before), before.disabled(), by);
        });
    }

    /**
     * Enables or disables a skill. A disabled skill can no longer be given to an agent or required by a queue that
     * does not have it yet; those that have it keep it (routing is unchanged).
     */
    public CompletableFuture<Change<SkillConfig>> setSkillEnabled(String name, boolean enabled, String by) {
        return run(() -> {
            Entry<SkillConfig> before = existingSkill(name);
            if (before.disabled() != enabled) {
                throw new DirectoryException(Kind.CONFLICT, "skill " + name + " is already "
                        + (enabled ? "enabled" : "disabled"));
            }
            return saveSkill(before.value(), Optional.of(before), !enabled, by);
        });
    }

    private Entry<SkillConfig> existingSkill(String name) {
        Entry<SkillConfig> e = skills.get(name);
        if (e == null) {
            throw new DirectoryException(Kind.NOT_FOUND, "no skill named " + name);
        }
        return e;
    }

    private static SkillConfig skillConfig(String name, String description) {
        try {
            return new SkillConfig(name, description);
        } catch (IllegalArgumentException e) {
            throw new DirectoryException(Kind.INVALID, "skill: " + e.getMessage(), List.of(problem(
                    e.getMessage().startsWith("name") ? "name" : "description", e.getMessage().substring(
                            e.getMessage().indexOf(':') + 2))));
        }
    }

    private Change<SkillConfig> saveSkill(SkillConfig s, Optional<Entry<SkillConfig>> before, boolean disabled,
                                          String by) {
        Instant now = clock.instant();
        persist(() -> store.saveSkill(new DirectoryStore.SkillRow(s.name(), s.description(), disabled, now, by)));
        Entry<SkillConfig> after = new Entry<>(s, disabled, fileSkills.contains(s.name()) ? Entry.Origin.OVERRIDDEN
                : Entry.Origin.DATABASE, Optional.of(now), by);
        skills.put(s.name(), after);
        notify("skill", s.name());
        return new Change<>(before, after);
    }

    private void checkSkill(String skill, String path, List<YamlProblem> problems) {
        Entry<SkillConfig> e = skills.get(skill);
        List<String> enabled = skills.values().stream().filter(x -> !x.disabled()).map(x -> x.value().name())
                .sorted().toList();
        if (e == null) {
            problems.add(problem(path, "unknown skill '" + skill + "' (expected one of: " + String.join(", ", enabled)
                    + "; an admin adds skills to the catalogue first)"));
        } else if (e.disabled()) {
            problems.add(problem(path, "skill '" + skill + "' is disabled (expected one of: "
                    + String.join(", ", enabled) + ")"));
        }
    }

    private static Optional<String> skillOf(EscalationStep s) {
        return switch (s) {
            case EscalationStep.AddSkill a -> Optional.of(a.skill());
            case EscalationStep.LowerMinLevel l -> Optional.of(l.skill());
            default -> Optional.empty();
        };
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private static YamlProblem problem(String path, String message) {
        return YamlProblem.error(new YamlLocation("body", 1, 1), path, message);
    }

    private static DirectoryException invalid(String what, List<YamlProblem> problems) {
        StringBuilder b = new StringBuilder("invalid " + what + ": ");
        for (int i = 0; i < problems.size(); i++) {
            YamlProblem p = problems.get(i);
            b.append(i == 0 ? "" : "; ").append(p.path().isEmpty() ? "" : p.path() + ": ").append(p.message());
        }
        return new DirectoryException(Kind.INVALID, b.toString(), problems);
    }

    private static void sameId(String key, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new DirectoryException(Kind.INVALID, key + ": '" + actual + "' (expected: '" + expected
                    + "', the " + key + " being changed; a new " + key + " is a new entry)",
                    List.of(problem(key, "'" + actual + "' (expected: '" + expected + "')")));
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    /** Writes to the database first: nothing is applied when that fails. */
    private void persist(SqlAction action) {
        try {
            action.run();
        } catch (FencedOutException e) {
            throw new DirectoryException(Kind.UNAVAILABLE, e.getMessage() + "; nothing was changed");
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private DirectoryException unavailable(Exception e) {
        return new DirectoryException(Kind.UNAVAILABLE, "database " + database.description() + " is unreachable ("
                + rootMessage(e) + "); nothing was changed, try again when it is back");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private <T> CompletableFuture<T> run(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                ensureLoaded();   // the rows first, so a change is checked against what is really in effect
                return work.get();
            }, thread);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DirectoryException(Kind.UNAVAILABLE, "the directory is closed"));
        }
    }

    private void notify(String kind, String id) {
        for (Listener l : listeners) {
            try {
                l.changed(kind, id);
            } catch (RuntimeException e) {
                log.warn("directory listener failed on {} {}: {}", kind, id, e.toString());
            }
        }
    }

    /** On the directory's thread: reads and applies the database's rows once; throws UNAVAILABLE while it cannot. */
    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        DirectoryStore.Contents contents;
        try {
            database.migrate();
            contents = store.load();
        } catch (SQLException | RuntimeException e) {
            lastLoadProblem = rootMessage(e);
            log.warn("directory: database {} unreachable ({}); agents and queues come from the files until it is "
                    + "back", database.description(), lastLoadProblem);
            throw unavailable(e);
        }
        apply(contents);
        loaded = true;
        lastLoadProblem = "";
    }

    private void apply(DirectoryStore.Contents contents) {
        for (DirectoryStore.SkillRow row : contents.skills()) {
            try {
                SkillConfig s = new SkillConfig(row.name(), row.description());
                skills.put(s.name(), new Entry<>(s, row.disabled(), fileSkills.contains(s.name())
                        ? Entry.Origin.OVERRIDDEN : Entry.Origin.DATABASE, Optional.of(row.updatedAt()),
                        row.updatedBy()));
            } catch (IllegalArgumentException e) {
                log.error("directory: skill row {} ignored: {}", row.name(), e.getMessage());
            }
        }
        applyQueues(contents.queues());
        for (DirectoryStore.Row row : contents.agents()) {
            try {
                AgentConfig a = loader.parseAgent(row.definition(), "directory_agent " + row.id());
                if (!a.id().equals(row.id())) {
                    throw new IllegalStateException("the definition names agent " + a.id());
                }
                agents.put(a.id(), new Entry<>(a, row.disabled(), fileAgents.containsKey(a.id())
                        ? Entry.Origin.OVERRIDDEN : Entry.Origin.DATABASE, Optional.of(row.updatedAt()),
                        row.updatedBy()));
                target.defineAgent(a, row.disabled());
            } catch (ConfigException | RuntimeException e) {
                log.error("directory: agent row {} ignored (the file's definition, if any, stands): {}", row.id(),
                        e instanceof ConfigException c ? c.problems() : e.getMessage());
            }
        }
        log.info("directory: {} agent row(s), {} queue row(s), {} skill row(s) read over the files",
                contents.agents().size(), contents.queues().size(), contents.skills().size());
        notify("directory", "");
    }

    /**
     * The stored queue rows, checked and applied. Rows are taken in the order they were written; one that fails the
     * loader's rules, or whose escalation moves would lead back to it through the queues accepted so far (files and
     * earlier rows: only rows written before those checks existed can), is skipped with an error and the file's
     * definition, if any, stands. The accepted rows are then defined move targets first (the routing core needs
     * them defined); a row whose target is not defined, or that the target refuses, is skipped too — never stopping
     * the rest.
     */
    private void applyQueues(List<DirectoryStore.Row> rows) {
        Set<String> names = new HashSet<>(queues.keySet());
        rows.forEach(r -> names.add(r.id()));
        List<DirectoryStore.Row> written = new ArrayList<>(rows);
        written.sort(Comparator.comparing(DirectoryStore.Row::updatedAt).thenComparing(DirectoryStore.Row::id));
        Map<String, List<String>> moves = new java.util.HashMap<>();
        fileQueues.forEach((name, q) -> moves.put(name, ConfigLoader.moveTargets(q)));
        Map<String, QueueConfig> accepted = new LinkedHashMap<>();
        Map<String, DirectoryStore.Row> rowOf = new java.util.HashMap<>();
        for (DirectoryStore.Row row : written) {
            try {
                QueueConfig q = loader.parseQueue(row.definition(), "directory_queue " + row.id(), names);
                if (!q.name().equals(row.id())) {
                    throw new IllegalStateException("the definition names queue " + q.name());
                }
                Map<String, List<String>> with = new java.util.HashMap<>(moves);
                with.put(q.name(), ConfigLoader.moveTargets(q));
                for (String target : ConfigLoader.moveTargets(q)) {
                    if (ConfigLoader.leadsBack(q.name(), target, with)) {
                        throw new IllegalStateException("escalation move_to " + target + " leads back to " + q.name()
                                + " (expected: moves that never return to a queue they left)");
                    }
                }
                moves.put(q.name(), ConfigLoader.moveTargets(q));
                accepted.put(q.name(), q);
                rowOf.put(q.name(), row);
            } catch (ConfigException | RuntimeException e) {
                log.error("directory: queue row {} ignored (the file's definition, if any, stands): {}", row.id(),
                        e instanceof ConfigException c ? c.problems() : e.getMessage());
            }
        }
        Set<String> defined = new HashSet<>(fileQueues.keySet());
        List<QueueConfig> pending = new ArrayList<>(accepted.values());
        while (!pending.isEmpty()) {
            QueueConfig next = pending.stream().filter(q -> defined.containsAll(ConfigLoader.moveTargets(q)))
                    .findFirst().orElse(null);
            if (next == null) {
                pending.forEach(q -> log.error("directory: queue row {} ignored (the file's definition, if any, "
                        + "stands): it moves calls to a queue that is not defined ({})", q.name(),
                        ConfigLoader.moveTargets(q).stream().filter(t -> !defined.contains(t)).toList()));
                break;
            }
            pending.remove(next);
            DirectoryStore.Row row = rowOf.get(next.name());
            try {
                target.defineQueue(next, row.disabled());
            } catch (RuntimeException e) {
                log.error("directory: queue row {} ignored (the file's definition, if any, stands): {}", next.name(),
                        e.getMessage());
                continue;
            }
            defined.add(next.name());
            queues.put(next.name(), new Entry<>(next, row.disabled(), fileQueues.containsKey(next.name())
                    ? Entry.Origin.OVERRIDDEN : Entry.Origin.DATABASE, Optional.of(row.updatedAt()), row.updatedBy()));
        }
    }

    @Override
    public void close() {
        closed = true;
        Scheduler.Task t = retrier;
        if (t != null) {
            t.stop();
        }
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
