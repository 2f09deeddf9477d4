package dev.hotline.app;

import dev.hotline.acd.Acd;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.server.AgiScripts;
import dev.hotline.agi.server.AgiServer;
import dev.hotline.agi.server.DiagnosticScript;
import dev.hotline.agi.server.micrometer.MicrometerAgiMetrics;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AmiServerConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.handoff.CallStarts;
import dev.hotline.handoff.Reconciler;
import dev.hotline.handoff.ResumeScript;
import dev.hotline.ha.Fence;
import dev.hotline.ha.LeasePool;
import dev.hotline.ha.LeaseStore;
import dev.hotline.ha.Leadership;
import dev.hotline.ha.Takeover;
import dev.hotline.ivr.lookup.HttpLookupClient;
import dev.hotline.ivr.metrics.MicrometerIvrMetrics;
import dev.hotline.ivr.runtime.IvrInterpreter;
import dev.hotline.ivr.runtime.IvrRepository;
import dev.hotline.ivr.runtime.IvrScriptHandler;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.metrics.HotlineMetrics;
import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The engine as one object: builds every component from the configuration, starts them in order and stops them
 * in reverse. The CLI's {@code run} and {@code demo} commands and the end-to-end tests all start it here.
 *
 * <p>Order: metrics and the scheduler → call records → a pair's lease (the fence) → AMI connections (built with the
 * fence; started last, with the sink their events go to: the ACD, the reconciler, outbound) → ACD loop with queues and
 * agents →
 * directory (the database's agents, queues and skills over the files', applied to the ACD) → QA (recording
 * policies: the ACD's recording hook) → IVR script
 * repository (validated, hot-reloaded) → FastAGI server (scripts: IVR scripts by name, {@code connect},
 * {@code diag}).
 */
public final class HotlineEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HotlineEngine.class);
    /** How often the database calendars are re-read (changes made by another engine on the same database). */
    static final Duration CALENDAR_REFRESH = Duration.ofSeconds(30);

    private final HotlineConfig config;
    private final List<AgentConfig> agents;
    private final String version;
    private final HotlineMetrics metrics;
    private final dev.hotline.api.EngineApi api = new EngineFacade(this);
    private final InstantSource clock;
    /** The periodic and retry work of every component (database reads and probes, AMI reconnects, late starts). */
    private final Scheduler scheduler;
    private final AgiScripts scripts = new AgiScripts();
    private final Map<String, AmiConnection> ami = new LinkedHashMap<>();
    private Acd acd;
    private dev.hotline.acd.CallRecorder recorder;
    private volatile Reconciler reconciler;
    /** The agents the last takeover restored not ready because their phone talked (null: none, or standby). */
    private volatile dev.hotline.handoff.TakeoverHolds takeoverHolds;
    private dev.hotline.records.CallRecords records;
    private dev.hotline.directory.Directory directory;
    private volatile dev.hotline.callbacks.Callbacks callbacks;
    private Scheduler.Task callbacksStarter;
    private volatile dev.hotline.outbound.Outbound outbound;
    private Scheduler.Task outboundStarter;
    private final Object outboundLock = new Object();
    /** Guarded by outboundLock: a starter installs its dialler only if no stop came after it began. */
    private long outboundGeneration;
    private boolean outboundStopped;
    private volatile IvrRepository ivr;
    private dev.hotline.ivr.calendar.DatabaseCalendars calendars;
    private dev.hotline.records.store.DatabaseHealth databaseHealth;
    private dev.hotline.qa.service.QaService qa;
    private volatile AgiServer agi;
    /** A pair's standby: FastAGI built (its event loops started) but not bound, so a takeover only binds the port. */
    private AgiServer preparedAgi;
    private volatile InetSocketAddress agiAddress;
    private volatile FileBudget fileBudget;
    private volatile boolean halted;
    private volatile boolean closed;
    /** An active/standby pair's lease (null: a single engine, always active). */
    private Leadership leadership;
    private com.zaxxer.hikari.HikariDataSource leasePool;
    private volatile Fence fence = Fence.SINGLE;
    private final List<Takeover> takeoverSteps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private java.util.function.Supplier<Optional<dev.hotline.ivr.calendar.BusinessCalendar>> callbackCalendar;
    /** A pair's engine: counted down when its first takeover has opened FastAGI (start waits a little for it). */
    private final java.util.concurrent.CountDownLatch firstTakeover = new java.util.concurrent.CountDownLatch(1);

    public HotlineEngine(HotlineConfig config, List<AgentConfig> agents, String version) {
        this.config = Objects.requireNonNull(config, "config");
        this.agents = List.copyOf(agents);
        this.version = Objects.requireNonNull(version, "version");
        this.metrics = HotlineMetrics.create(config.engineName());
        this.clock = InstantSource.system();
        this.scheduler = Scheduler.system();
    }

    /** Starts every component; on failure, stops what was started and rethrows. */
    public HotlineEngine start() throws InterruptedException {
        try {
            try {
                records = dev.hotline.records.CallRecords.open(config.database(),
                        dev.hotline.records.RecordsSettings.defaults(config.database().dataDir()), config.queues(),
                        metrics.registry(), clock);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("call records: cannot open the journal under "
                        + config.database().dataDir() + " (" + e.getMessage() + ")", e);
            }
            openPair();   // the fence the AMI connections and the directory are built with
            Fence acting = fence;
            for (AmiServerConfig server : config.amiServers()) {
                // Started last (see below), with the sink their events go to.
                ami.put(server.id(), new AmiConnection(server, scheduler, clock, acting::mayAct));
            }
            acd = new Acd(config.acd(), config.queues(), agents, ami, clock, metrics.registry()).start();
            recorder = new dev.hotline.acd.CallRecorder(records, acd.agents());   // live: directory changes too
            acd.record(recorder);
            // Calls the last engine held when it stopped: resumed calls continue their records, the rest are
            // reconciled with Asterisk's channels once AMI is up.
            // A pair's engine does this when it takes over: on the standby the unfinished calls are the active one's.
            reconciler = new Reconciler(records, ami, clock).agents(acd);
            acd.addAgentListener(change -> reconciler.onAgentChange(change));
            if (leadership == null) {
                reconciler.load(Duration.ofSeconds(10));
            }
            recorder.continuing(id -> reconciler.take(id));
            Acd targets = acd;
            records.reportWithLiveQueues(targets::queueConfigs);
            databaseHealth = new dev.hotline.records.store.DatabaseHealth(records.database(), scheduler, clock,
                    Duration.ofSeconds(5)).start();
            calendars = new dev.hotline.ivr.calendar.DatabaseCalendars(records.database(), scheduler, clock,
                    CALENDAR_REFRESH).start();
            directory = startDirectory();
            // Recording policies, live recording control, retention, scorecards (docs/QA.md).
            qa = new dev.hotline.qa.service.QaService(config.qa(), records.database(), acd, clock,
                    java.time.ZoneId.systemDefault()).start();
            if (leadership != null) {
                qa.retentionOnlyWhile(leadership::mayAct);   // the active engine of a pair deletes recordings
            }
            Optional<dev.hotline.ivr.calendar.BusinessCalendar> callbackFile = loadCallbackCalendar();
            callbackCalendar = callbackCalendar(callbackFile);
            // The dialler's agent transitions (wrap-up ends, agents' waits), to whichever dialler runs now.
            acd.addAgentListener(change -> {
                dev.hotline.outbound.Outbound ob = outbound;
                if (ob != null) {
                    ob.agentChanged(change);
                }
            });
            if (leadership == null) {
                startCallbacks(callbackCalendar);   // a pair's engine starts them when it takes over
                startOutbound();
            } else {
                // A pair's engine dials only while active: the dialler resumes the campaigns from the database on each
                // takeover (a Takeover step) and stops the moment the engine steps down (the standby listener).
                takeoverSteps.addFirst(term -> startOutbound());
            }
            Acd events = acd;
            Consumer<AmiEvent> sink = e -> {
                events.onAmiEvent(e);
                reconciler.onAmiEvent(e);
                dev.hotline.handoff.TakeoverHolds holds = takeoverHolds;
                if (holds != null) {
                    holds.onAmiEvent(e);
                }
                dev.hotline.outbound.Outbound ob = outbound;
                if (ob != null) {
                    ob.onAmiEvent(e);
                }
            };
            ami.values().forEach(c -> c.start(sink));
            // After the agents are defined (and any state rebuilt: commands posted before this one apply first): an
            // agent still talking on a call the last engine connected is put on call from whatever state they have.
            if (leadership == null) {
                reconciler.start(Duration.ofSeconds(30));
            }

            calendars.awaitFirstAttempt(Duration.ofSeconds(4));
            checkCallbackCalendar(callbackFile);
            // Queue nodes are checked against the queues as now defined (files and the directory's).
            Acd liveQueues = acd;
            ivr = new IvrRepository(config.ivrScripts(), config.calendars(), IvrLoader.withLiveQueues(
                    () -> liveQueues.queueConfigs().keySet(), System.getenv())).overlay(calendars::overlay);
            calendars.onChange(() -> {
                IvrRepository r = ivr;
                if (r != null) {
                    r.poll();
                }
            });
            ivr.poll();
            ivr.problems().forEach(p -> log.warn("IVR script not published: {}", p));
            ivr.start(2000);
            IvrInterpreter interpreter = new IvrInterpreter(clock, HttpLookupClient.create(),
                    new MicrometerIvrMetrics(metrics.registry()));
            IvrScriptHandler ivrScripts = IvrScriptHandler.byScriptName(ivr::current, interpreter, acd);
            acd.enableSurvey(ivr::current, interpreter);
            scripts.register("outbound", session -> {
                dev.hotline.outbound.Outbound ob = outbound;
                if (ob == null) {
                    session.setVariable("HOTLINE_ERROR", "outbound not started (database unreachable)");
                    return;
                }
                ob.script().run(session);
            });
            // The handshake with the dialplan (docs/OPERATIONS.md): calls journaled when they reach Hotline, and
            // calls an engine lost taken back through `resume`.
            CallStarts starts = new CallStarts(recorder::started, clock, ami.isEmpty() ? "local" : ami.keySet().iterator().next());
            AgiScript ivrEntry = starts.journaling(ivrScripts);
            Acd queues = acd;
            ResumeScript resume = new ResumeScript(queues, name -> ivr.current().script(name).map(found ->
                    starts.journaling(IvrScriptHandler.forScript(name, ivr::current, interpreter, queues))), clock,
                    metrics.registry());
            AgiScript connect = acd.connectScript();
            scripts.register(ResumeScript.NAME, session -> {
                // A call this engine redirected to be connected whose connect went to the other engine's address
                // (stopped: the pair's HOTLINE_AGI) comes back here through resume: it is connected as planned.
                String call = session.environment().query().getOrDefault("call", "");
                (!call.isEmpty() && queues.knows(call) ? connect : resume).run(session);
            });
            scripts.register("connect", session -> {
                // A redirect the failed engine made just before it stopped lands here for a call this one does not
                // know: take the call back from what its channel carries.
                String call = session.environment().query().getOrDefault("call", session.environment().extension());
                (queues.knows(call) ? connect : resume).run(session);
            });
            scripts.register("callback", session -> {
                dev.hotline.callbacks.Callbacks cb = callbacks;
                if (cb == null) {
                    if (session.environment().query().containsKey("dialstatus")) {
                        // A pair's engine taking over opens FastAGI just before its callbacks start: the dialplan
                        // asks again a second later (no HOTLINE_ERROR, which would end its rounds).
                        return;
                    }
                    session.setVariable("HOTLINE_ERROR", "callbacks not started (database unreachable)");
                    return;
                }
                cb.script().run(session);
            });
            scripts.fallback(name -> ivr.current().script(name).map(s -> ivrEntry));

            fileBudget = FileBudget.plan(FileBudget.openFileLimit(), config.agi().maxSessions(),
                    config.gateway().limits().maxConnections(), config.gateway().limits().reservedFiles());
            fileBudget.warning().ifPresentOrElse(log::warn, () -> log.info(fileBudget.describe()));
            scripts.register(DiagnosticScript.NAME, new DiagnosticScript(config.engineName(), version,
                    this::activeSessions));
            if (leadership == null) {
                openAgi();
            } else {
                startPair();
            }
            log.info("Hotline {} ({}) started from {}: {} queue(s), {} agent(s), IVR scripts {}, AMI servers {}",
                    version, config.engineName(), config.source(), config.queues().size(), agents.size(),
                    ivr.current().scripts().keySet(), ami.keySet());
            return this;
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** FastAGI opens: a single engine at start, a pair's engine when it takes the lease. */
    private synchronized void openAgi() throws InterruptedException {
        if (agi != null) {
            return;
        }
        AgiServer server = preparedAgi != null ? preparedAgi : newAgiServer();
        preparedAgi = null;
        agiAddress = server.start();
        agi = server;
    }

    private AgiServer newAgiServer() {
        return new AgiServer(config.agi(), scripts, new MicrometerAgiMetrics(metrics.registry()))
                .limitSessions(fileBudget.agiSessions());
    }

    /** A pair's engine stepping down: FastAGI closes, so Asterisk's dialplan goes to the other engine. */
    private synchronized void closeAgi() {
        if (agi != null) {
            agi.close(Duration.ZERO);
            agi = null;
            agiAddress = null;
        }
    }

    /**
     * An active/standby pair ({@code ha.enabled}): the lease's own connections and the fence every writer passes;
     * AMI is read-only until this engine holds the lease.
     */
    private void openPair() {
        if (!config.ha().enabled()) {
            return;
        }
        leasePool = LeasePool.open(config.database(), config.ha());
        try {
            records.database().migrate();   // the lease row (V40__ha_lease.sql)
        } catch (java.sql.SQLException e) {
            log.warn("ha: {} (the lease is read once the database answers)", e.getMessage());
        }
        leadership = new Leadership(config.ha(), config.engineName(), new LeaseStore(leasePool, clock,
                config.ha().renewEvery()), System::nanoTime, clock, metrics.registry());
        fence = leadership;
        Leadership lease = leadership;
        records.agentHistoryOnlyWhile(lease::mayAct);
    }

    /** Starts watching the lease; on takeover FastAGI opens, the dialler starts, then the registered steps run. */
    private void startPair() {
        synchronized (this) {
            preparedAgi = newAgiServer();
        }
        leadership.onChange(new Leadership.Listener() {
            @Override
            public void active(long term) {
                log.info("ha: engine {} is active (term {}): reconciling calls, restoring agents, opening FastAGI,"
                        + " starting the callback dialler", config.engineName(), term);
                // Before FastAGI opens: a caller coming back through `resume` finds the record the engine that
                // stopped journaled (its call continues), and finds the agents who were working ready again.
                Reconciler taking = new Reconciler(records, ami, clock).agents(acd);
                taking.load(Duration.ofSeconds(5));
                Reconciler before = reconciler;
                reconciler = taking;
                before.close();
                // An agent restored not ready because their phone talks is made ready when that call is over.
                dev.hotline.handoff.TakeoverHolds holds = new dev.hotline.handoff.TakeoverHolds(acd);
                takeoverHolds = holds;
                dev.hotline.handoff.AgentRestore.restore(records.store(), acd, ami, clock, holds);
                try {
                    openAgi();
                } catch (InterruptedException | RuntimeException e) {
                    log.error("ha: FastAGI could not open after the takeover", e);
                } finally {
                    firstTakeover.countDown();
                }
                startCallbacks(callbackCalendar);
                // Calls held from an earlier term whose channels are gone end now (the ACD's reconciliation); the
                // calls the stopped engine journaled are closed or followed to their end (the handoff's).
                ami.values().forEach(c -> c.listChannelsNow("took over the lease, term " + term));
                taking.start(Duration.ofSeconds(30));
                sweepHolds(holds);
                for (Takeover step : takeoverSteps) {
                    try {
                        step.takeOver(term);
                    } catch (Exception e) {
                        log.error("ha: a takeover step failed", e);
                    }
                }
            }

            @Override
            public void standby(String why) {
                log.warn("ha: engine {} stops acting ({}): FastAGI closed, callback and outbound diallers stopped",
                        config.engineName(), why);
                closeAgi();
                stopCallbacks();
                stopOutbound();
                // Calls this engine was following to their end are the new active engine's to close now.
                Reconciler before = reconciler;
                reconciler = new Reconciler(records, ami, clock).agents(acd);
                before.close();
                takeoverHolds = null;
            }
        }).start();
        // A free lease is taken within a round trip: wait for it, so start() returns with FastAGI open when this
        // engine is the first of its pair; behind an active engine it returns as the standby.
        try {
            Duration wait = config.ha().checkEvery().multipliedBy(2).plusSeconds(2);
            if (leadership.awaitSettled(wait) && leadership.status().role() == dev.hotline.ha.Role.ACTIVE) {
                // The takeover reads the stopped engine's calls (≤ 5 s) and lists Asterisk's channels (≤ 5 s each)
                // before FastAGI opens: returns as soon as it has, the bound only matters when those time out.
                firstTakeover.await(wait.plusSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("ha: engine {} started as {} ({})", config.engineName(), leadership.mayAct() ? "the active engine"
                : "the standby", leadership.status().why());
    }

    /**
     * Every 15 s while {@code holds} is this term's and holds agents: the agents whose phone has no channel any more
     * (a hang-up AMI did not report) are released.
     */
    private void sweepHolds(dev.hotline.handoff.TakeoverHolds holds) {
        // Done once this term's holds are empty or another term's replaced them; until then one sweep per run.
        scheduler.start("takeover-holds", Cadence.untilDone(Duration.ofSeconds(15)), attempt -> {
            if (takeoverHolds != holds || holds.held().isEmpty()) {
                return true;
            }
            holds.sweep(dev.hotline.handoff.AgentRestore.channelsUp(ami));
            return takeoverHolds != holds || holds.held().isEmpty();
        });
    }

    /**
     * Adds a step run each time this engine takes over as the active engine of its pair (call before
     * {@link #start()}; a single engine never runs them). See {@link Takeover}.
     */
    public HotlineEngine onTakeover(Takeover step) {
        takeoverSteps.add(Objects.requireNonNull(step, "step"));
        return this;
    }

    /** The lease of an active/standby pair; empty for a single engine. */
    public Optional<Leadership> leadership() {
        return Optional.ofNullable(leadership);
    }

    /** What guards the writes only the active engine may make ({@link Fence#SINGLE} for a single engine). */
    public Fence fence() {
        return fence;
    }

    /**
     * The directory: the files' agents and queues, with the database's rows over them, applied to the ACD live. Waits
     * a few seconds for the database; while it is unreachable the files stand and the rows are applied when it is
     * back.
     */
    private dev.hotline.directory.Directory startDirectory() {
        Acd target = acd;
        dev.hotline.directory.Directory d = new dev.hotline.directory.Directory(agents, config.queues(),
                records.database(), new dev.hotline.directory.Directory.LiveTarget() {
                    @Override
                    public void defineAgent(AgentConfig agent, boolean disabled) {
                        target.defineAgent(agent, disabled);
                    }

                    @Override
                    public void disableAgent(String agentId, String by) {
                        target.disableAgent(agentId, by);
                    }

                    @Override
                    public void defineQueue(QueueConfig queue, boolean disabled) {
                        target.defineQueue(queue, disabled);
                    }

                    @Override
                    public void disableQueue(String name, String by) {
                        target.disableQueue(name, by);
                    }
                }, fence, scheduler, clock);
        return d.start(Duration.ofSeconds(4));
    }

    /**
     * The engine as its front ends (the agent gateway) see it: narrow interfaces over the parts below, read through on
     * each call. See {@link dev.hotline.api}.
     */
    public dev.hotline.api.EngineApi api() {
        return api;
    }

    /** Agents, queues and skills, live (files as the base, database rows over them). */
    public dev.hotline.directory.Directory directory() {
        return directory;
    }

    /**
     * The calendar {@code acd.callback.calendar} names as the engine sees it at each check: the published IVR
     * catalog's (the file, or the database calendar that replaces it), before the catalog exists the database's or
     * the file's. A name found nowhere (the database was unreachable at start) keeps calling hours closed: no
     * customer is called outside hours by accident.
     */
    private java.util.function.Supplier<Optional<dev.hotline.ivr.calendar.BusinessCalendar>> callbackCalendar(
            Optional<dev.hotline.ivr.calendar.BusinessCalendar> fromFile) {
        Optional<String> name = config.acd().callback().calendar();
        if (name.isEmpty()) {
            return Optional::empty;
        }
        String n = name.get();
        var closed = new dev.hotline.ivr.calendar.BusinessCalendar(n + " (not found: closed)", java.time.ZoneOffset.UTC,
                Map.of(), List.of(), Map.of());
        return () -> {
            IvrRepository r = ivr;
            Optional<dev.hotline.ivr.calendar.BusinessCalendar> c = r != null ? r.current().calendar(n)
                    : Optional.ofNullable(calendars.overlay().get(n)).or(() -> fromFile);
            return Optional.of(c.orElse(closed));
        };
    }

    /** Fails the start when the callback calendar is neither a file nor in a reachable database. */
    private void checkCallbackCalendar(Optional<dev.hotline.ivr.calendar.BusinessCalendar> fromFile) {
        Optional<String> name = config.acd().callback().calendar();
        if (name.isEmpty() || fromFile.isPresent() || calendars.overlay().containsKey(name.get())) {
            return;
        }
        java.nio.file.Path file = config.calendars().resolve(name.get() + ".yaml");
        if (calendars.loaded()) {
            throw new IllegalStateException("acd.callback.calendar: no calendar " + name.get() + " (expected: file "
                    + file + " or an enabled calendar of that name in the database, see docs/ADMIN.md)");
        }
        log.warn("acd.callback.calendar: calendar {} is not in {} and the database is unreachable; no callback is"
                + " placed until it is found", name.get(), file);
    }

    /**
     * The callback calendar named by {@code acd.callback.calendar}, read from the calendars folder; empty when there
     * is no such file (it may be a database calendar).
     */
    private Optional<dev.hotline.ivr.calendar.BusinessCalendar> loadCallbackCalendar() {
        Optional<String> name = config.acd().callback().calendar();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        java.nio.file.Path file = config.calendars().resolve(name.get() + ".yaml");
        if (!java.nio.file.Files.exists(file)) {
            return Optional.empty();
        }
        dev.hotline.yaml.Problems problems = new dev.hotline.yaml.Problems();
        try {
            var root = dev.hotline.yaml.YamlTreeReader.read(file, file.toString());
            return Optional.of(dev.hotline.ivr.calendar.CalendarReader.read(name.get(), root, problems)
                    .orElseThrow(() -> new IllegalStateException("acd.callback.calendar: " + file + ": "
                            + problems.sorted())));
        } catch (java.io.IOException | dev.hotline.yaml.YamlSyntaxException e) {
            throw new IllegalStateException("acd.callback.calendar: cannot read " + file + " (" + e.getMessage()
                    + ")", e);
        }
    }

    /**
     * Callbacks need their table: migrate and load pending callbacks now, or, while the database is unreachable,
     * keep trying every 5 s in the background (the callback key then tells callers callbacks are unavailable).
     */
    private void startCallbacks(
            java.util.function.Supplier<Optional<dev.hotline.ivr.calendar.BusinessCalendar>> calendar) {
        Scheduler.Work attempt = a -> {
            if (callbacks != null) {
                return true;
            }
            try {
                records.database().migrate();
                dev.hotline.callbacks.Callbacks cb = new dev.hotline.callbacks.Callbacks(config.acd().callback(),
                        new dev.hotline.callbacks.CallbackStore(records.database().dataSource(), fence), clock,
                        calendar,
                        acd.callbackPort(), metrics.registry());
                acd.callbacks(cb);
                callbacks = cb.start(Duration.ofSeconds(1));
                return true;
            } catch (java.sql.SQLException | RuntimeException e) {
                log.warn("callbacks: database {} unreachable ({}); retrying in 5 s",
                        records.database().description(), e.toString());
                return false;
            }
        };
        callbacksStarter = scheduler.start("callbacks-start", Cadence.untilDone(Duration.ofSeconds(5)), attempt);
        try {
            callbacksStarter.awaitWorked(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The outbound dialler (docs/OUTBOUND.md; off with {@code outbound.enabled: false}): migrate, load the campaigns
     * and the do-not-call list, or, while the database is unreachable, keep trying every 5 s in the background. A
     * pair's engine runs this on each takeover: contacts the last engine left dialling are pending again, and the
     * running campaigns go on.
     */
    private void startOutbound() {
        if (!config.outbound().enabled()) {
            return;
        }
        var settings = dev.hotline.outbound.Outbound.Settings.of(config.outbound(), config.acd().callback());
        synchronized (outboundLock) {
            if (outbound != null || outboundStarter != null && outboundStarter.active() && !outboundStopped) {
                return;
            }
            outboundStopped = false;
            long generation = ++outboundGeneration;
            outboundStarter = scheduler.start("outbound-start", Cadence.untilDone(Duration.ofSeconds(5)), a -> {
                try {
                    records.database().migrate();
                    var ob = new dev.hotline.outbound.Outbound(settings,
                            new dev.hotline.outbound.OutboundStore(records.database().dataSource()), clock,
                            new dev.hotline.outbound.AcdPort(acd), fence);
                    synchronized (outboundLock) {
                        if (generation != outboundGeneration || outboundStopped) {
                            return true;   // stopped (stepped down) meanwhile: nothing more to do
                        }
                        ob.start(Duration.ofSeconds(1));
                        acd.outbound(ob);
                        outbound = ob;
                    }
                    return true;
                } catch (java.sql.SQLException | RuntimeException e) {
                    log.warn("outbound: database {} unreachable ({}); retrying in 5 s",
                            records.database().description(), e.toString());
                    return false;
                }
            });
        }
    }

    /** A pair's engine stepping down (or a stop): the dialler stops at once; the campaigns stay in the database. */
    private void stopOutbound() {
        synchronized (outboundLock) {
            outboundStopped = true;
            if (outboundStarter != null) {
                outboundStarter.stop();
            }
            dev.hotline.outbound.Outbound ob = outbound;
            if (ob != null) {
                outbound = null;
                ob.close();
                log.info("outbound: dialler stopped");
            }
        }
    }

    /** The one scheduler of the engine's periodic and retry work (the gateway's user table re-reads run on it too). */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The outbound dialler, once started (empty while the database has not been reached). */
    public Optional<dev.hotline.outbound.Outbound> outbound() {
        return Optional.ofNullable(outbound);
    }

    /** A pair's engine stepping down: the dialler stops; its pending callbacks stay in the database. */
    private void stopCallbacks() {
        if (callbacksStarter != null) {
            callbacksStarter.stop();
        }
        dev.hotline.callbacks.Callbacks cb = callbacks;
        if (cb != null) {
            acd.callbacks(null);
            callbacks = null;
            cb.close();
        }
    }

    /** Quality assurance: recording policies and control, retention, scorecards, sampling, the quality report. */
    public dev.hotline.qa.service.QaService qa() {
        return qa;
    }

    /** Queued and scheduled callbacks, once started (empty while the database has not been reached). */
    public Optional<dev.hotline.callbacks.Callbacks> callbacks() {
        return Optional.ofNullable(callbacks);
    }

    /** The reconciliation of calls the last engine held when it stopped (see {@link Reconciler}). */
    public Reconciler reconciler() {
        return reconciler;
    }

    public AgiScripts scripts() {
        return scripts;
    }

    public InetSocketAddress agiAddress() {
        return agiAddress;
    }

    public HotlineMetrics metrics() {
        return metrics;
    }

    public HotlineConfig config() {
        return config;
    }

    /** Call records, agent history and reports. */
    public dev.hotline.records.CallRecords records() {
        return records;
    }

    public Acd acd() {
        return acd;
    }

    public IvrRepository ivr() {
        return ivr;
    }

    /** Whether the records database answers, checked every 5 s in the background. */
    public dev.hotline.records.store.DatabaseHealth databaseHealth() {
        return databaseHealth;
    }

    /** The calendars kept in the database (admin API), laid over the calendar files. */
    public dev.hotline.ivr.calendar.DatabaseCalendars calendars() {
        return calendars;
    }

    public Map<String, AmiConnection> ami() {
        return Map.copyOf(ami);
    }

    /** Calls in a FastAGI session now (connections whose agi_* environment has not arrived are not calls). */
    public int activeSessions() {
        AgiServer server = agi;
        return server == null ? 0 : server.activeSessions();
    }

    /** How the open-file limit is shared between FastAGI, the gateway and the engine's own files (after start). */
    public FileBudget fileBudget() {
        return fileBudget;
    }

    /**
     * Stops the engine the way {@code kill -9} would, for crash tests and the failover bench: the record writer
     * stops first without flushing (what was journaled and fsynced stays, the rest is lost), then every FastAGI
     * connection is cut without handing anything back (Asterisk sees the socket close: AGISTATUS=SUCCESS and no
     * {@code HOTLINE_HANDLED}), then the rest stops. Nothing is written after the first step.
     */
    public void halt() throws InterruptedException {
        if (leadership != null) {
            leadership.abandon();   // as a crash: the lease is not released, the standby waits it out
        }
        if (records != null && !halted) {
            halted = true;
            records.writer().halt();
        }
        if (agi != null) {
            agi.close(Duration.ZERO);
            agi = null;
        }
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AgiServer server;
        AgiServer prepared;
        synchronized (this) {
            server = agi;
            agi = null;
            prepared = preparedAgi;
            preparedAgi = null;
        }
        if (prepared != null) {
            prepared.close(Duration.ZERO);
        }
        if (server != null) {
            server.close();
        }
        // Let call threads cut by the shutdown unwind (and hand their records over) before the writer closes.
        for (int i = 0; i < 100 && acd != null && acd.activeCalls() > 0; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (ivr != null) {
            ivr.close();
        }
        if (callbacksStarter != null) {
            callbacksStarter.stop();
        }
        if (calendars != null) {
            calendars.close();
        }
        if (databaseHealth != null) {
            databaseHealth.close();
        }
        if (callbacks != null) {
            callbacks.close();
        }
        stopOutbound();
        if (qa != null) {
            qa.close();
        }
        if (reconciler != null) {
            reconciler.close();
        }
        if (leadership != null) {
            leadership.close();   // released: the standby takes over at its next check
        }
        if (leasePool != null) {
            leasePool.close();
        }
        ami.values().forEach(AmiConnection::close);
        if (directory != null) {
            directory.close();
        }
        if (acd != null) {
            acd.close();
        }
        if (records != null && halted) {
            records.database().close();   // the writer was halted: nothing of it is closed, as after a crash
        } else if (records != null) {
            records.close();
        }
        scheduler.close();
        metrics.close();
        log.info("Hotline stopped");
    }
}
