package dev.hotline.qa.service;

import dev.hotline.acd.Acd;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QaConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.events.CallEvent;
import dev.hotline.qa.Answer;
import dev.hotline.qa.Calibration;
import dev.hotline.qa.CandidateCall;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.FormReader;
import dev.hotline.qa.LiveRecording;
import dev.hotline.qa.Progress;
import dev.hotline.qa.QualityReport;
import dev.hotline.qa.RecordingFiles;
import dev.hotline.qa.RecordingHook;
import dev.hotline.qa.RecordingPolicy;
import dev.hotline.qa.Retention;
import dev.hotline.qa.SamplingPlan;
import dev.hotline.qa.SamplingProposer;
import dev.hotline.qa.store.QaStore;
import dev.hotline.records.model.CallId;
import dev.hotline.records.store.AppDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Quality assurance at run time (docs/QA.md): decides which calls are recorded (the ACD's {@link RecordingHook}),
 * follows each call's recording while it goes on (on-demand start and stop, pause and resume over AMI), finds
 * recordings in {@code qa.recordings_dir}, deletes them after {@code qa.retention_days} with a report, and carries
 * out the scorecard, sampling and report operations on the {@link QaStore}. The decisions themselves are the pure
 * classes of {@code dev.hotline.qa}.
 *
 * <p>Threads: the hook runs on call threads and only reads the policies (a volatile map) and the live recordings
 * (a concurrent map); the one {@code qa} thread loads policies (retrying while the database is down), writes
 * recording events and runs retention every hour. The other methods block on the database and are called from
 * gateway workers or the CLI.
 */
public final class QaService implements RecordingHook, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QaService.class);
    /** How often retention looks for expired recordings (and the first look, after start). */
    static final Duration RETENTION_EVERY = Duration.ofHours(1);
    static final Duration RETENTION_FIRST = Duration.ofMinutes(1);
    /** Months the report's trend covers. */
    public static final int TREND_MONTHS = 6;

    private final QaConfig config;
    private final AppDatabase database;
    private final QaStore store;
    private final Acd acd;
    private final InstantSource clock;
    private final ZoneId zone;
    private final ScheduledExecutorService worker;
    private volatile Map<String, RecordingPolicy> policies = Map.of();
    private volatile boolean ready;
    private volatile String notReady = "the QA tables have not been loaded yet";
    private final Map<String, LiveRecording> live = new ConcurrentHashMap<>();
    /** Deleted files whose report row could not be written yet (database down): written at the next run. */
    private final List<Retention.StoredFile> unreported = new ArrayList<>();

    public QaService(QaConfig config, AppDatabase database, Acd acd, InstantSource clock, ZoneId zone) {
        this.config = config;
        this.database = database;
        this.store = new QaStore(database.dataSource());
        this.acd = acd;
        this.clock = clock;
        this.zone = zone;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qa");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Becomes the ACD's recording hook, listens for calls ending, and loads the policies in the background (every
     * 5 s until the database answers; meanwhile each queue records by its {@code record:} flag).
     */
    public QaService start() {
        acd.recordingHook(this);
        acd.addListener(this::onCallEvent);
        worker.execute(this::load);
        if (config.retentionDays() > 0) {
            worker.scheduleWithFixedDelay(this::retentionQuietly, RETENTION_FIRST.toMillis(),
                    RETENTION_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    private void load() {
        try {
            database.migrate();
            reloadPolicies();
            seedForms();
            ready = true;
            log.info("qa: {} recording policies loaded; recordings in {}, kept {}", policies.size(),
                    config.recordingsDir(), config.retentionDays() == 0 ? "forever"
                            : config.retentionDays() + " days");
        } catch (SQLException | RuntimeException e) {
            notReady = "the database is unreachable (" + e.getMessage() + ")";
            log.warn("qa: database {} unreachable ({}); retrying in 5 s", database.description(), e.toString());
            worker.schedule(this::load, 5, TimeUnit.SECONDS);
        }
    }

    /**
     * Imports the forms of {@code qa.forms} ({@code <id>.yaml}) whose id the database does not have yet, as their
     * version 1 by "file"; a file that does not read is logged with its problems and left out.
     */
    private void seedForms() throws SQLException {
        Path dir = config.formsDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> known = new HashSet<>();
        store.forms().forEach(f -> known.add(f.id()));
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            log.warn("qa: cannot list the forms folder {} ({})", dir, e.toString());
            return;
        }
        for (Path p : files) {
            String id = p.getFileName().toString().replaceFirst("\\.yaml$", "");
            if (known.contains(id) || !Form.ID.matcher(id).matches()) {
                continue;
            }
            try {
                String text = Files.readString(p);
                switch (FormReader.read(text, p.toString(), id, 1, clock.instant(), "file")) {
                    case FormReader.Result.Ok ok -> {
                        store.saveVersion(ok.form(), text);
                        log.info("qa: form {} imported from {}", id, p);
                    }
                    case FormReader.Result.Invalid bad -> bad.problems().forEach(pr -> log.error("qa: form not"
                            + " imported: {}", pr));
                }
            } catch (IOException e) {
                log.warn("qa: cannot read form file {} ({})", p, e.toString());
            }
        }
    }

    /** Waits until the QA tables are loaded, at most {@code timeout}; true when they are. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!ready && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return ready;
    }

    /** Empty when ready; otherwise why not (the gateway answers 503 with it). */
    public Optional<String> unavailable() {
        return ready ? Optional.empty() : Optional.of(notReady);
    }

    public QaConfig config() {
        return config;
    }

    public QaStore store() {
        return store;
    }

    public ZoneId zone() {
        return zone;
    }

    public InstantSource clock() {
        return clock;
    }

    // ------------------------------------------------------------------------------------------ policies

    private void reloadPolicies() throws SQLException {
        Map<String, RecordingPolicy> m = new LinkedHashMap<>();
        store.policies().forEach(p -> m.put(p.queue(), p));
        policies = Map.copyOf(m);
    }

    /** The policy {@code queue} records by now: the stored one, or its {@code record:} flag. */
    public RecordingPolicy policyFor(String queue) {
        RecordingPolicy p = policies.get(queue);
        if (p != null) {
            return p;
        }
        QueueConfig q = acd.queueConfigs().get(queue);
        return RecordingPolicy.fromQueueFlag(queue, q != null && q.record());
    }

    /** Every queue's policy now, by queue name; {@code stored} tells which were set (the others follow the flag). */
    public Map<String, RecordingPolicy> effectivePolicies() {
        Map<String, RecordingPolicy> out = new LinkedHashMap<>();
        acd.queueConfigs().keySet().stream().sorted().forEach(q -> out.put(q, policyFor(q)));
        return out;
    }

    public boolean storedPolicy(String queue) {
        return policies.containsKey(queue);
    }

    /** Stores a queue's policy and applies it to the next call answered (a queue that exists). */
    public void savePolicy(RecordingPolicy p, String by) throws SQLException {
        if (!acd.queueConfigs().containsKey(p.queue())) {
            throw new IllegalArgumentException("unknown queue '" + p.queue() + "' (expected one of: "
                    + String.join(", ", acd.queueConfigs().keySet().stream().sorted().toList()) + ")");
        }
        store.savePolicy(p, clock.instant(), by);
        reloadPolicies();
    }

    /** Removes a queue's policy: it records by its {@code record:} flag again. False when it had none. */
    public boolean resetPolicy(String queue) throws SQLException {
        boolean removed = store.deletePolicy(queue);
        reloadPolicies();
        return removed;
    }

    // ------------------------------------------------------------------------------------------ the ACD's hook

    /**
     * The id of the call's record ({@code server/linkedid}, as {@code acd.CallRecorder} makes it) from the ACD's call
     * id: recording events are stored under it, so the QA pages find them next to the call record.
     */
    public static String recordKey(String server, String callId) {
        return new CallId(cut(server, CallId.MAX_SERVER_ID), cut(callId, CallId.MAX_LINKED_ID)).value();
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    @Override
    public Optional<String> recordingFor(String queue, boolean queueRecords, String server, String callId,
                                         String agentId, Instant at) {
        RecordingPolicy p = policies.get(queue);
        if (p == null) {
            p = RecordingPolicy.fromQueueFlag(queue, queueRecords);
        }
        if (!p.records(callId)) {
            return Optional.empty();
        }
        String file = RecordingFiles.fileFor(LocalDate.ofInstant(at, zone), callId, agentId);
        LiveRecording r = LiveRecording.started(recordKey(server, callId), file, false, at, "policy");
        live.put(callId, r);
        remember(r, r.events().getFirst());
        return Optional.of(file);
    }

    @Override
    public void failed(String callId, String file, String reason) {
        live.computeIfPresent(callId, (k, r) -> r.file().equals(file) ? null : r);
    }

    /** A call's agent leg ended: Asterisk closes its recording with the channel, so it is no longer live. */
    void onCallEvent(CallEvent e) {
        if (e instanceof CallEvent.Ended ended) {
            live.remove(ended.callId());
        } else if (e instanceof CallEvent.Abandoned a) {
            live.remove(a.callId());
        }
    }

    /** Writes a recording event on the qa thread (a database hiccup loses only the history line; logged). */
    private void remember(LiveRecording r, LiveRecording.Event e) {
        worker.execute(() -> {
            try {
                store.addRecordingEvent(r.callId(), r.file(), r.onDemand(), e);
            } catch (SQLException | RuntimeException ex) {
                log.warn("qa: call {}: recording {} of {} not stored ({})", r.callId(), e.action().wireName(),
                        r.file(), ex.toString());
            }
        });
    }

    // ------------------------------------------------------------------------------------------ live control

    /** The call's recording while the call goes on, by the ACD's call id (the linkedid). */
    public Optional<LiveRecording> liveRecording(String callId) {
        return Optional.ofNullable(live.get(callId));
    }

    /** An action on a recording refused by the rules ({@code forbidden}) or by its state (a conflict). */
    public static final class Refused extends RuntimeException {
        private final boolean forbidden;

        Refused(boolean forbidden, String message) {
            super(message, null, false, false);
            this.forbidden = forbidden;
        }

        public boolean forbidden() {
            return forbidden;
        }
    }

    /**
     * Starts, stops, pauses or resumes the recording of the call {@code agentId} is on, as {@code actor} ({@code by}:
     * username). Completes with the recording after Asterisk did it; fails with {@link Refused} when the rules or the
     * recording's state do not allow it, or with the AMI error.
     */
    public CompletableFuture<LiveRecording> control(String agentId, LiveRecording.Action action,
                                                    RecordingPolicy.Actor actor, String by) {
        Optional<Acd.LiveCall> call = acd.liveCall(agentId);
        if (call.isEmpty()) {
            return CompletableFuture.failedFuture(new Refused(false, "agent " + agentId + " is not on a call"));
        }
        Acd.LiveCall c = call.get();
        RecordingPolicy policy = policyFor(c.queue());
        Optional<LiveRecording> current = liveRecording(c.callId());
        Optional<LiveRecording.Refusal> refusal = LiveRecording.check(action, actor, policy, current);
        if (refusal.isPresent()) {
            return CompletableFuture.failedFuture(new Refused(refusal.get().forbidden(), refusal.get().reason()));
        }
        Instant at = clock.instant();
        return switch (action) {
            case START -> {
                String file = RecordingFiles.fileFor(LocalDate.ofInstant(at, zone), c.callId(), agentId);
                yield c.ami().mixMonitor(c.channel(), file, "b").thenApply(ok -> {
                    LiveRecording r = LiveRecording.started(recordKey(c.ami().serverId(), c.callId()), file, true, at,
                            by);
                    if (live.putIfAbsent(c.callId(), r) != null) {
                        throw new Refused(false, "the call was recorded meanwhile");
                    }
                    remember(r, r.events().getFirst());
                    return r;
                });
            }
            case STOP -> c.ami().stopMixMonitor(c.channel()).thenApply(ok -> apply(c.callId(), action, at, by));
            case PAUSE -> c.ami().mixMonitorMute(c.channel(), true).thenApply(ok -> apply(c.callId(), action, at, by));
            case RESUME -> c.ami().mixMonitorMute(c.channel(), false)
                    .thenApply(ok -> apply(c.callId(), action, at, by));
        };
    }

    private LiveRecording apply(String callId, LiveRecording.Action action, Instant at, String by) {
        LiveRecording[] out = new LiveRecording[1];
        live.compute(callId, (k, r) -> {
            if (r == null) {
                throw new Refused(false, "the call ended meanwhile");
            }
            try {
                out[0] = r.apply(action, at, by);
            } catch (IllegalStateException e) {
                throw new Refused(false, e.getMessage());
            }
            return out[0];
        });
        remember(out[0], out[0].events().getLast());
        return out[0];
    }

    // ------------------------------------------------------------------------------------------ files, retention

    /** The recording file {@code name} under the recordings folder, when it is a safe name and the file exists. */
    public Optional<Path> file(String name) {
        return RecordingFiles.resolve(config.recordingsDir(), name).filter(Files::isRegularFile);
    }

    /**
     * What one retention run did.
     *
     * @param cutoff   files last written before this were due
     * @param deleted  the files deleted
     * @param failed   files that could not be deleted, with why
     * @param reported whether the deletions are in the deletion report (false: the database was down; they are
     *                 written at the next run and are in the log meanwhile)
     */
    public record RetentionRun(Instant at, Optional<Instant> cutoff, List<Retention.StoredFile> deleted,
                               Map<String, String> failed, boolean reported) {
    }

    /** Deletes the recordings past {@code qa.retention_days} now, and reports them. */
    public synchronized RetentionRun runRetention() throws IOException {
        Instant now = clock.instant();
        int days = config.retentionDays();
        Instant cutoff = Retention.cutoff(now, days);
        List<Retention.StoredFile> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        if (cutoff != null) {
            Path root = config.recordingsDir();
            for (Retention.StoredFile f : Retention.expired(list(root), now, days)) {
                Path p = RecordingFiles.resolve(root, f.name()).orElse(null);
                try {
                    if (p != null && Files.deleteIfExists(p)) {
                        deleted.add(f);
                        log.info("qa: retention deleted recording {} ({} bytes, last written {})", f.name(), f.size(),
                                f.modified());
                    }
                } catch (IOException e) {
                    failed.put(f.name(), e.toString());
                    log.warn("qa: retention could not delete recording {}: {}", f.name(), e.toString());
                }
            }
            removeEmptyFolders(root.resolve(RecordingFiles.PREFIX));
        }
        unreported.addAll(deleted);
        boolean reported = true;
        if (!unreported.isEmpty()) {
            try {
                store.addDeletions(List.copyOf(unreported), now, "retention " + days + " days");
                unreported.clear();
            } catch (SQLException e) {
                reported = false;
                log.warn("qa: {} deleted recording(s) not yet in the deletion report ({}); retried at the next run",
                        unreported.size(), e.getMessage());
            }
        }
        return new RetentionRun(now, Optional.ofNullable(cutoff), List.copyOf(deleted), failed, reported);
    }

    /** Whether the hourly retention runs here (false on a pair's standby engine: the active one deletes). */
    private volatile java.util.function.BooleanSupplier retentionActive = () -> true;

    /** The hourly retention runs only while {@code active} says so (the active engine of a pair). */
    public QaService retentionOnlyWhile(java.util.function.BooleanSupplier active) {
        this.retentionActive = java.util.Objects.requireNonNull(active, "active");
        return this;
    }

    private void retentionQuietly() {
        if (!retentionActive.getAsBoolean()) {
            return;
        }
        try {
            RetentionRun r = runRetention();
            if (!r.deleted().isEmpty() || !r.failed().isEmpty()) {
                log.info("qa: retention ({} days): {} recording(s) deleted, {} could not be", config.retentionDays(),
                        r.deleted().size(), r.failed().size());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("qa: retention run failed: {}", e.toString());
        }
    }

    /** Hotline's recordings under {@code root} (its {@code hotline/} folder only: other files are not ours). */
    static List<Retention.StoredFile> list(Path root) throws IOException {
        Path base = root.resolve(RecordingFiles.PREFIX);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<Retention.StoredFile> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try {
                    out.add(new Retention.StoredFile(root.relativize(p).toString().replace('\\', '/'), Files.size(p),
                            Files.getLastModifiedTime(p).toInstant()));
                } catch (IOException e) {
                    log.debug("qa: {} vanished while listing ({})", p, e.toString());
                }
            }
        }
        return out;
    }

    private static void removeEmptyFolders(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(base)) {
            dirs = all.filter(Files::isDirectory).filter(d -> !d.equals(base))
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path d : dirs) {
            try (Stream<Path> in = Files.list(d)) {
                if (in.findAny().isEmpty()) {
                    Files.deleteIfExists(d);
                }
            } catch (IOException e) {
                log.debug("qa: folder {} left ({})", d, e.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ evaluations

    /** A refusal of a QA operation because of what is stored (unknown call, form disabled, …): a 404/409/400. */
    public static final class Problem extends RuntimeException {
        public enum Kind { NOT_FOUND, CONFLICT, INVALID }

        private final Kind kind;

        Problem(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }

    /**
     * Scores a call on the current version of {@code formId}. The call must have been answered by an agent; a second
     * (non-calibration) evaluation of a call is refused: a second opinion is a calibration.
     */
    public Evaluation submit(String callId, String formId, List<Answer> answers, String comments,
                             boolean calibration, String evaluator) throws SQLException {
        QaStore.CallRow call = store.call(callId).orElseThrow(() -> new Problem(Problem.Kind.NOT_FOUND,
                "no call " + callId + " in the call records"));
        String agent = call.agentId().orElseThrow(() -> new Problem(Problem.Kind.CONFLICT, "call " + callId
                + " was not answered by an agent (outcome " + call.outcome().toLowerCase(Locale.ROOT)
                + "): there is nothing to score"));
        QaStore.FormSummary summary = store.forms().stream().filter(f -> f.id().equals(formId)).findFirst()
                .orElseThrow(() -> new Problem(Problem.Kind.NOT_FOUND, "no form " + formId));
        if (!summary.enabled()) {
            throw new Problem(Problem.Kind.CONFLICT, "form " + formId + " is disabled (expected: an enabled form)");
        }
        Form form = store.form(formId, summary.currentVersion()).orElseThrow();
        List<Evaluation> existing = store.evaluations(QaStore.EvaluationQuery.all().call(callId));
        if (!calibration) {
            Optional<Evaluation> first = existing.stream().filter(Evaluation::counts).findFirst();
            if (first.isPresent()) {
                throw new Problem(Problem.Kind.CONFLICT, "call " + callId + " is already evaluated (" + first.get().id()
                        + " by " + first.get().evaluator() + "); score it again in calibration mode to compare");
            }
        }
        Evaluation e;
        try {
            e = Evaluation.submit("ev-" + UUID.randomUUID(), callId, agent, call.startedAt(), form, evaluator,
                    calibration, answers, comments, clock.instant());
        } catch (IllegalArgumentException ex) {
            throw new Problem(Problem.Kind.INVALID, ex.getMessage());
        }
        store.insertEvaluation(e);
        return e;
    }

    /** One evaluation by id. */
    public Evaluation evaluation(String id) throws SQLException {
        return store.evaluations(QaStore.EvaluationQuery.all().id(id)).stream().findFirst()
                .orElseThrow(() -> new Problem(Problem.Kind.NOT_FOUND, "no evaluation " + id));
    }

    /** The agent acknowledges or disputes their evaluation (the caller checked it is theirs). */
    public Evaluation respond(String id, boolean dispute, String comment) throws SQLException {
        Evaluation e = evaluation(id);
        Evaluation next;
        try {
            next = dispute ? e.dispute(comment, clock.instant()) : e.acknowledge(comment, clock.instant());
        } catch (IllegalStateException ex) {
            throw new Problem(Problem.Kind.CONFLICT, ex.getMessage());
        } catch (IllegalArgumentException ex) {
            throw new Problem(Problem.Kind.INVALID, ex.getMessage());
        }
        if (!store.updateStatus(next, e.status())) {
            throw new Problem(Problem.Kind.CONFLICT, "evaluation " + id + " changed meanwhile; reload it");
        }
        return next;
    }

    /** QA settles a dispute. */
    public Evaluation resolve(String id, String by, String comment) throws SQLException {
        Evaluation e = evaluation(id);
        Evaluation next;
        try {
            next = e.resolve(by, comment, clock.instant());
        } catch (IllegalStateException ex) {
            throw new Problem(Problem.Kind.CONFLICT, ex.getMessage());
        }
        if (!store.updateStatus(next, e.status())) {
            throw new Problem(Problem.Kind.CONFLICT, "evaluation " + id + " changed meanwhile; reload it");
        }
        return next;
    }

    /**
     * The calibration view of a call: its evaluations (calibrations included) on the form version most of them used,
     * compared question by question.
     */
    public Calibration.Comparison calibration(String callId) throws SQLException {
        List<Evaluation> all = store.evaluations(QaStore.EvaluationQuery.all().call(callId));
        Map<Evaluation.FormRef, List<Evaluation>> byForm = new LinkedHashMap<>();
        all.stream().sorted(Comparator.comparing(Evaluation::createdAt))
                .forEach(e -> byForm.computeIfAbsent(e.form(), k -> new ArrayList<>()).add(e));
        var best = byForm.entrySet().stream().max(Comparator.comparingInt(en -> en.getValue().size()))
                .filter(en -> en.getValue().size() >= 2)
                .orElseThrow(() -> new Problem(Problem.Kind.CONFLICT, "call " + callId + " has " + all.size()
                        + " evaluation(s) on one form version; calibration needs two (QA and a team lead)"));
        Form form = store.form(best.getKey().id(), best.getKey().version()).orElseThrow();
        return Calibration.compare(form, best.getValue());
    }

    // ------------------------------------------------------------------------------------------ sampling

    /** [start, end) of {@code month} in the report zone. */
    public Instant[] bounds(YearMonth month) {
        return new Instant[] {month.atDay(1).atStartOfDay(zone).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant()};
    }

    /** Every agent's plan: their own or the default (the stored default, or the built-in one). */
    public Map<String, SamplingPlan> plans(Set<String> agents) throws SQLException {
        Map<String, SamplingPlan> stored = store.plans();
        SamplingPlan fallback = stored.getOrDefault(QaStore.DEFAULT_PLAN, SamplingPlan.DEFAULT);
        Map<String, SamplingPlan> out = new LinkedHashMap<>();
        agents.stream().sorted().forEach(a -> out.put(a, Progress.planOf(a, stored, fallback)));
        return out;
    }

    /** The agents as now defined, with their teams. */
    public Map<String, Set<String>> agentTeams() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        acd.agents().values().stream().sorted(Comparator.comparing(AgentConfig::id))
                .forEach(a -> out.put(a.id(), a.teams()));
        return out;
    }

    /** The calls to score next for {@code agentId} in {@code month}. */
    public List<SamplingProposer.Proposal> propose(String agentId, YearMonth month) throws SQLException {
        Instant[] b = bounds(month);
        List<CandidateCall> calls = store.candidates(b[0], b[1], Optional.of(agentId));
        Set<String> evaluated = evaluatedCalls(agentId, b);
        SamplingPlan plan = plans(Set.of(agentId)).get(agentId);
        return SamplingProposer.propose(plan, calls, evaluated, (agentId + "@" + month).hashCode());
    }

    private Set<String> evaluatedCalls(String agentId, Instant[] b) throws SQLException {
        Set<String> out = new HashSet<>();
        store.evaluations(QaStore.EvaluationQuery.all().agent(agentId).between(b[0], b[1]).withoutCalibrations())
                .forEach(e -> out.add(e.callId()));
        return out;
    }

    /** Sampling progress in {@code month}: per agent of {@code agents}, per QA staff member, and the due status. */
    public record ProgressView(YearMonth month, List<Progress.AgentProgress> agents,
                               List<Progress.EvaluatorProgress> evaluators, Progress.DueStatus due,
                               Progress.DueStatus nextDue) {
    }

    public ProgressView progress(YearMonth month, Set<String> agents) throws SQLException {
        Instant[] b = bounds(month);
        Map<String, SamplingPlan> plans = plans(agents);
        Map<String, List<CandidateCall>> calls = new LinkedHashMap<>();
        store.candidates(b[0], b[1], Optional.empty())
                .forEach(c -> calls.computeIfAbsent(c.agentId(), k -> new ArrayList<>()).add(c));
        Map<String, Set<String>> evaluated = new LinkedHashMap<>();
        store.evaluations(QaStore.EvaluationQuery.all().between(b[0], b[1]).withoutCalibrations())
                .forEach(e -> evaluated.computeIfAbsent(e.agentId(), k -> new HashSet<>()).add(e.callId()));
        List<Progress.AgentProgress> rows = new ArrayList<>();
        plans.forEach((a, plan) -> rows.add(Progress.agent(a, plan, calls.getOrDefault(a, List.of()),
                evaluated.getOrDefault(a, Set.of()))));
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        List<Progress.EvaluatorProgress> evaluators = Progress.evaluators(plans,
                store.evaluationsByEvaluator(b[0], b[1]));
        YearMonth dueMonth = Progress.monthDue(today, config.reportDueDay());
        Progress.DueStatus due = Progress.due(month, today, config.reportDueDay(), config.warnDays(), rows);
        Progress.DueStatus next = dueMonth.equals(month) ? due : progress(dueMonth, agents).due();
        return new ProgressView(month, rows, evaluators, due, next);
    }

    // ------------------------------------------------------------------------------------------ report

    /** The monthly quality report of {@code month} over every agent (and the agents evaluated since gone). */
    public QualityReport report(YearMonth month) throws SQLException {
        return report(store, month, zone, agentTeams());
    }

    /**
     * The monthly quality report from {@code store} alone (the CLI's {@code hotline report --by qa}): {@code
     * agentTeams} are the agents as defined, with their teams; plans are the stored ones or the default.
     */
    public static QualityReport report(QaStore store, YearMonth month, ZoneId zone,
                                       Map<String, Set<String>> agentTeams) throws SQLException {
        Instant from = month.minusMonths(TREND_MONTHS - 1).atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<Evaluation> evaluations = store.evaluations(QaStore.EvaluationQuery.all().between(from, to)
                .limit(1_000_000));
        Set<String> agents = new HashSet<>(agentTeams.keySet());
        evaluations.forEach(e -> agents.add(e.agentId()));
        Map<String, SamplingPlan> stored = store.plans();
        SamplingPlan fallback = stored.getOrDefault(QaStore.DEFAULT_PLAN, SamplingPlan.DEFAULT);
        Map<String, SamplingPlan> plans = new LinkedHashMap<>();
        agents.forEach(a -> plans.put(a, Progress.planOf(a, stored, fallback)));
        return QualityReport.of(month, TREND_MONTHS, agentTeams, plans, evaluations, zone);
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
