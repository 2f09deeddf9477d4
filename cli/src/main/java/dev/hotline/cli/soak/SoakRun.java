package dev.hotline.cli.soak;

import dev.hotline.cli.demo.DemoSounds;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.records.model.CallRecord;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.CallerModel;
import dev.hotline.simulator.load.Distribution;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One soak: the engine and the Asterisk simulator in this process (as {@code ./hotline demo} runs them), random
 * callers, the chosen {@link Fault}s at intervals, then a drain, a settle, and {@link SoakChecks}. See docs/SOAK.md.
 */
public final class SoakRun {

    /**
     * @param duration     how long callers arrive and faults are injected
     * @param faults       which faults
     * @param rate         callers per minute (Poisson)
     * @param seed         random seed (callers, phones, fault order)
     * @param every        how often to print a progress line
     * @param drain        after {@code duration}, how long callers still on the line may finish before they hang up
     * @param settle       then how long the engine has to end its calls and free its agents
     * @param phantomAfter how long the engine may keep treating a call whose channel is gone before it counts
     * @param handshake    how the simulated dialplan reads Hotline's variables; empty: as the shipped
     *                     docker/asterisk/extensions.conf does ({@code hotline-return}: the marker, resume, then the
     *                     fallback queue)
     * @param dataDir      the run's embedded database (unless {@code mariadb}) and journal
     * @param mariadb      a MariaDB server for the run's records (a new database, dropped at the end), needed by
     *                     {@link Fault#SLOW_DB}
     */
    public record Settings(Duration duration, Set<Fault> faults, double rate, long seed, Duration every,
                           Duration drain, Duration settle, Duration phantomAfter, Optional<Handshake> handshake,
                           Path dataDir, Optional<MariaDb> mariadb) {
    }

    /** A MariaDB server: {@code jdbc:mariadb://host:port}, user and password. */
    public record MariaDb(String url, String user, String password) {
    }

    /** How long the fault windows last. */
    static final Duration AMI_DOWN = Duration.ofSeconds(20);
    static final Duration ASTERISK_DOWN = Duration.ofSeconds(5);
    static final Duration NO_ANSWER_WINDOW = Duration.ofSeconds(30);
    static final Duration OVERLOAD_WINDOW = Duration.ofSeconds(15);
    static final Duration SLOW_DB_WINDOW = Duration.ofSeconds(30);
    static final Duration SLOW_DB_DELAY = Duration.ofMillis(200);
    static final int OVERLOAD_FACTOR = 10;
    /** Queues hold at most this many waiting callers during a soak, so overload fills them. */
    static final int QUEUE_LENGTH = 2;
    /**
     * The first round's order: load first, so the later faults (and the Asterisk restart last) find calls in every
     * phase — in the IVR, waiting in full queues, ringing agents who do not answer, talking.
     */
    static final List<Fault> FIRST_ROUND = List.of(Fault.OVERLOAD, Fault.NO_ANSWER, Fault.AMI_CUT, Fault.AMI_DOWN,
            Fault.ASTERISK_RESTART, Fault.SLOW_DB);

    private final HotlineConfig base;
    private final List<AgentConfig> staff;
    private final Settings settings;
    private final PrintWriter out;
    private final Map<String, SimulatedCall> calls = new ConcurrentHashMap<>();
    private final List<SimulatedCall> placed = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> goneSince = new HashMap<>();
    private final Set<String> phantoms = ConcurrentHashMap.newKeySet();
    private volatile boolean arriving = true;
    private volatile boolean asteriskDown;
    private volatile int rateFactor = 1;
    private final Set<String> faultsOn = ConcurrentHashMap.newKeySet();
    private DemoWorld world;
    private SoakDatabase database;

    public SoakRun(HotlineConfig base, List<AgentConfig> staff, Settings settings, PrintWriter out) {
        this.base = base;
        this.staff = List.copyOf(staff);
        this.settings = settings;
        this.out = out;
    }

    /** The configuration's queues and scripts with the soak's limits: short queues, quick rings and wrap-ups. */
    static HotlineConfig soakConfig(HotlineConfig c, dev.hotline.config.DatabaseConfig db) {
        List<QueueConfig> queues = new ArrayList<>();
        for (QueueConfig q : c.queues()) {
            queues.add(new QueueConfig(q.name(), q.skills(), q.priority(), q.serviceLevelPct(), q.serviceLevelTime(),
                    Duration.ofSeconds(45), QUEUE_LENGTH, Duration.ofSeconds(2), Duration.ofSeconds(8),
                    q.strategy(), q.onTimeout(), q.exitKeys(), q.escalation(), Optional.empty(), false,
                    q.wallboard()));
        }
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                db, c.ivrScripts(), c.calendars(), queues,
                c.acd().withAnnounceInterval(Duration.ofSeconds(15)), c.agentsFile(), c.gateway(), c.qa());
    }

    public SoakResult run(String version) throws Exception {
        EndpointBehaviour phones = new EndpointBehaviour(
                Distribution.uniform(Duration.ofMillis(500), Duration.ofSeconds(3)), 0.95,
                Distribution.exponential(Duration.ofSeconds(20)));
        Instant started = Instant.now();
        SplittableRandom random = new SplittableRandom(settings.seed());
        // Arrivals and the callers' digits on their own threads: a slow answer from the engine to the observers
        // (phantom samples, progress lines) must not delay callers.
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "soak-callers");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService observers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-observers");
            t.setDaemon(true);
            return t;
        });
        Thread faults = null;
        if (settings.mariadb().isPresent()) {
            MariaDb server = settings.mariadb().get();
            database = SoakDatabase.create(server.url(), server.user(), server.password());
            out.printf("soak: records in MariaDB database %s (through a delaying proxy for slow-db)%n", database.name());
        }
        HotlineConfig config = soakConfig(base, database != null ? database.config(settings.dataDir())
                : DemoWorld.embeddedDatabase(settings.dataDir()));
        try {
            world = DemoWorld.start(config, staff, phones, DemoSounds.of(config, Duration.ofMillis(800)),
                settings.seed(), version, settings.handshake());
        } catch (RuntimeException | java.io.IOException | InterruptedException e) {
            if (database != null) {
                database.close();
            }
            throw e;
        }
        try {
            if (!world.awaitAmi(Duration.ofSeconds(10))) {
                throw new IllegalStateException("the engine could not log in to the simulator's AMI");
            }
            world.engine().acd().loginAllReady();
            long heapBefore = usedHeap();   // engine and simulator started, no call yet
            CallerModel callers = new CallerModel(Map.of(
                    "lang/choose", Map.of('1', 0.6, '2', 0.3),
                    "en/main-menu", Map.of('1', 0.35, '2', 0.35, '3', 0.15, '0', 0.1),
                    "fr/main-menu", Map.of('1', 0.35, '2', 0.35, '3', 0.15, '0', 0.1)),
                    Map.of(), Distribution.uniform(Duration.ofMillis(300), Duration.ofSeconds(2)),
                    Distribution.exponential(Duration.ofSeconds(45)), Duration.ofMinutes(5));
            arrive(timers, callers, random.split());
            observers.scheduleAtFixedRate(this::samplePhantoms, 1, 1, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            observers.scheduleAtFixedRate(() -> progress(t0), settings.every().toMillis(), settings.every().toMillis(),
                    TimeUnit.MILLISECONDS);
            SplittableRandom faultRandom = random.split();
            faults = new Thread(() -> injectFaults(t0, faultRandom), "soak-faults");
            faults.setDaemon(true);
            faults.start();
            Thread.sleep(settings.duration().toMillis());
            arriving = false;
            faults.interrupt();
            faults.join(TimeUnit.SECONDS.toMillis(30));
            out.printf("soak: %d callers placed; draining (up to %ds), then settling (up to %ds)%n", placed.size(),
                    settings.drain().toSeconds(), settings.settle().toSeconds());
            out.flush();
            drain();
            settle();
            timers.shutdownNow();
            observers.shutdownNow();
            world.engine().records().writer().awaitStored(Duration.ofSeconds(30));
            List<String> recordIds = new ArrayList<>();
            for (CallRecord r : world.engine().records().store().calls(started.minusSeconds(60),
                    Instant.now().plusSeconds(60), Duration.ofHours(1))) {
                recordIds.add(r.callId().linkedId());
            }
            SoakChecks.EngineEnd end = new SoakChecks.EngineEnd(world.engine().acd().activeCalls(),
                    world.engine().activeSessions(), world.engine().acd().agentStates(), Instant.now());
            List<SoakCall> truth = placed.stream().map(SoakCall::of).toList();
            SoakResult result = SoakChecks.count(truth, recordIds, Set.copyOf(phantoms), end)
                    .withWatchRepairs(world.engine().acd().watchRepairs());
            result.details().forEach(d -> out.println("  " + d));
            out.printf(Locale.ROOT, "  memory: heap used %d MB before the first call, %d MB after the run (after GC,"
                    + " engine and simulator still up)%n", heapBefore >> 20, usedHeap() >> 20);
            return result;
        } finally {
            arriving = false;
            timers.shutdownNow();
            observers.shutdownNow();
            if (faults != null) {
                faults.interrupt();
            }
            try {
                world.close();
            } catch (RuntimeException e) {
                out.println("soak: stopping the engine and the simulator: " + e);
            }
            if (database != null) {
                database.close();
            }
        }
    }

    // ---- callers -----------------------------------------------------------------------------------------------

    private void arrive(ScheduledExecutorService timers, CallerModel callers, SplittableRandom random) {
        double perSecond = settings.rate() * rateFactor / 60.0;
        long gapNanos = (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
        timers.schedule(() -> {
            if (!arriving) {
                return;
            }
            try {
                if (!asteriskDown) {
                    place(timers, callers, random);
                }
            } catch (RuntimeException e) {
                // Asterisk is being restarted under the arrival: this caller never existed.
            }
            arrive(timers, callers, random);
        }, gapNanos, TimeUnit.NANOSECONDS);
    }

    private void place(ScheduledExecutorService timers, CallerModel callers, SplittableRandom random) {
        CallerBehaviour caller = callers.newCaller(random.split());
        if (settings.faults().contains(Fault.HANGUPS) && random.nextInt(3) == 0) {
            caller = hangingUpWithin(caller, Duration.ofMillis(200 + random.nextLong(40_000)));
        }
        String number = "06" + (10_000_000 + random.nextInt(90_000_000));
        SimulatedCall call = world.asterisk().placeCall("from-pstn", "5551234", number, "Soak " + number.substring(6),
                caller);
        calls.put(call.uniqueid(), call);
        placed.add(call);
        if (settings.faults().contains(Fault.DTMF_LOST) && random.nextInt(3) == 0) {
            int presses = 1 + random.nextInt(3);
            for (int i = 0; i < presses; i++) {
                char digit = "0123456789*#".charAt(random.nextInt(12));
                timers.schedule(() -> {
                    if (!call.isGone()) {
                        call.pressDigits(String.valueOf(digit));
                    }
                }, random.nextLong(20_000), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The same caller, hanging up {@code after} the call started whatever is happening then. */
    static CallerBehaviour hangingUpWithin(CallerBehaviour caller, Duration after) {
        return new CallerBehaviour() {
            @Override
            public Reaction onPrompt(String file) {
                return caller.onPrompt(file);
            }

            @Override
            public Reaction onWait() {
                return caller.onWait();
            }

            @Override
            public Optional<Duration> hangUpAfter() {
                return Optional.of(after);
            }
        };
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    /**
     * Scheduled faults in turn, one every interval, in the first three quarters of the run; the rest is calm. Each
     * fault runs in its own thread, so a long one (AMI down, agents not answering) overlaps the next.
     */
    private void injectFaults(long t0, SplittableRandom random) {
        List<Fault> scheduled = settings.faults().stream().filter(Fault::scheduled).toList();
        if (scheduled.isEmpty()) {
            return;
        }
        long activeMs = settings.duration().toMillis() * 3 / 4;
        long interval = Math.max(2_000, Math.min(120_000, activeMs / (scheduled.size() + 1)));
        List<Fault> order = new ArrayList<>(FIRST_ROUND.stream().filter(scheduled::contains).toList());
        List<Thread> running = new ArrayList<>();
        try {
            for (int i = 0; ; i++) {
                long at = interval * (i + 1);
                if (at > activeMs) {
                    // The calm quarter: faults still on run their course until the run ends (interrupt).
                    Thread.sleep(Long.MAX_VALUE);
                }
                long sleep = at - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                if (i % order.size() == 0 && i > 0) {
                    java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
                }
                Fault fault = order.get(i % order.size());
                Thread t = new Thread(() -> {
                    try {
                        inject(fault);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        out.printf("soak: fault %s failed: %s%n", fault.label(), e);
                        out.flush();
                    }
                }, "soak-fault-" + fault.label());
                t.setDaemon(true);
                t.start();
                running.add(t);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The run is over: faults still on end now (AMI back up, phones answering, arrivals at the normal rate).
            running.forEach(Thread::interrupt);
            for (Thread t : running) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void inject(Fault fault) throws InterruptedException {
        faultsOn.add(fault.label());
        out.printf("soak: fault %s (%d calls up)%n", fault.label(), world.asterisk().pbx().activeChannels());
        out.flush();
        try {
            switch (fault) {
                case ASTERISK_RESTART -> {
                    asteriskDown = true;
                    try {
                        synchronized (this) {
                            int up = world.restartAsterisk(ASTERISK_DOWN, settings.seed() + System.nanoTime());
                            out.printf("soak: Asterisk killed with %d channels up, restarted after %ds%n", up,
                                    ASTERISK_DOWN.toSeconds());
                            out.flush();
                        }
                    } finally {
                        asteriskDown = false;
                    }
                }
                case AMI_CUT -> world.asterisk().dropAmiConnections();
                case AMI_DOWN -> {
                    AsteriskSimulator asterisk = world.asterisk();
                    asterisk.amiDown();
                    try {
                        Thread.sleep(AMI_DOWN.toMillis());
                    } finally {
                        asterisk.amiUp();
                    }
                }
                case NO_ANSWER -> {
                    AsteriskSimulator asterisk = world.asterisk();
                    Map<Endpoint, EndpointBehaviour> before = new HashMap<>();
                    for (Endpoint phone : asterisk.pbx().endpoints().all()) {
                        before.put(phone, phoneBehaviour(phone));
                        EndpointBehaviour b = before.get(phone);
                        phone.setBehaviour(new EndpointBehaviour(b.answerDelay(), 0.0, b.talkTime(),
                                b.transferAtOnce()));
                    }
                    try {
                        Thread.sleep(NO_ANSWER_WINDOW.toMillis());
                    } finally {
                        before.forEach(Endpoint::setBehaviour);
                    }
                }
                case OVERLOAD -> {
                    rateFactor = OVERLOAD_FACTOR;
                    try {
                        Thread.sleep(OVERLOAD_WINDOW.toMillis());
                    } finally {
                        rateFactor = 1;
                    }
                }
                case SLOW_DB -> {
                    if (database == null) {
                        return;   // SoakCommand refuses slow-db without --mariadb
                    }
                    database.proxy().delay(SLOW_DB_DELAY);
                    try {
                        Thread.sleep(SLOW_DB_WINDOW.toMillis());
                    } finally {
                        database.proxy().delay(Duration.ZERO);
                    }
                }
                case HANGUPS, DTMF_LOST -> {
                    // they act on callers as they arrive
                }
            }
        } finally {
            faultsOn.remove(fault.label());
        }
    }

    private static EndpointBehaviour phoneBehaviour(Endpoint phone) {
        return phone.behaviour();
    }

    // ---- observation -------------------------------------------------------------------------------------------

    /** Engine calls (waiting, offered, talking) whose channel is gone, for longer than {@code phantomAfter}. */
    private void samplePhantoms() {
        try {
            Set<String> treated = new HashSet<>();
            for (AgentState state : world.engine().acd().agentStates().values()) {
                if (state instanceof AgentState.Reserved r) {
                    treated.add(r.callId());
                } else if (state instanceof AgentState.OnCall c) {
                    treated.add(c.callId());
                }
            }
            world.engine().acd().waitingCalls().get(2, TimeUnit.SECONDS).forEach(w -> treated.add(w.callId()));
            Instant now = Instant.now();
            synchronized (goneSince) {
                goneSince.keySet().retainAll(treated);
                for (String id : treated) {
                    SimulatedCall call = calls.get(id);
                    if (call != null && !call.isGone()) {
                        goneSince.remove(id);
                        continue;
                    }
                    Instant since = goneSince.computeIfAbsent(id, k -> now);
                    if (Duration.between(since, now).compareTo(settings.phantomAfter()) > 0) {
                        phantoms.add(id);
                    }
                }
            }
        } catch (Exception e) {
            // the engine is busy or being stopped: the next sample counts
        }
    }

    private void progress(long t0) {
        long up = placed.stream().filter(c -> !c.isGone()).count();
        Map<String, AgentState> agents = world.engine().acd().agentStates();
        long ready = agents.values().stream().filter(s -> s instanceof AgentState.Ready).count();
        long notReady = agents.values().stream().filter(s -> s instanceof AgentState.NotReady).count();
        out.printf(Locale.ROOT, "[%4ds] callers %d (up %d) | engine calls %d, sessions %d | agents ready %d,"
                        + " not ready %d | phantoms %d | fault %s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), placed.size(), up,
                world.engine().acd().activeCalls(), world.engine().activeSessions(), ready, notReady,
                phantoms.size(), faultsOn.isEmpty() ? "-" : String.join("+", new java.util.TreeSet<>(faultsOn)));
        out.flush();
    }

    // ---- the end -----------------------------------------------------------------------------------------------

    /** Callers still up may finish for {@code drain}; whoever is left then hangs up. */
    private void drain() throws InterruptedException {
        long end = System.nanoTime() + settings.drain().toNanos();
        while (System.nanoTime() < end && placed.stream().anyMatch(c -> !c.isGone())) {
            Thread.sleep(250);
        }
        placed.stream().filter(c -> !c.isGone()).forEach(SimulatedCall::hangUp);
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < gone && placed.stream().anyMatch(c -> !c.isGone())) {
            Thread.sleep(100);
        }
    }

    /** Waits for the engine to have no call, no session and no stuck agent, at most {@code settle}. */
    private void settle() throws InterruptedException {
        long end = System.nanoTime() + settings.settle().toNanos();
        while (System.nanoTime() < end) {
            Instant now = Instant.now();
            boolean quiet = world.engine().acd().activeCalls() == 0 && world.engine().activeSessions() == 0
                    && world.engine().acd().agentStates().values().stream().noneMatch(s -> SoakChecks.stuck(s, now));
            if (quiet) {
                return;
            }
            Thread.sleep(250);
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
