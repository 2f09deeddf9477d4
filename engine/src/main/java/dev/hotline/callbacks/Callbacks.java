package dev.hotline.callbacks;

import dev.hotline.events.CallEvent;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.CallbackConfig;
import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Queued and scheduled callbacks: kept in table {@code callback}, routed by the routing core like calls (a pending
 * callback is a call in the core with its original enqueue time, flagged {@link Command.KeepAsCallback}), dialled
 * agent-first over AMI.
 *
 * <p>An attempt: the core offers the callback to an agent; the agent's endpoint is originated (async) into
 * {@link CallbackConfig#context()}, extension = the callback id. When the agent answers, that context runs
 * {@code callback?id=ID} ({@link #script()}): a whisper (prompt + the number), then {@code EXEC Dial} to the customer
 * through {@link CallbackConfig#trunk()}. Customer answered → completed; no answer / busy → retried after
 * {@code retry_delay}, up to {@code max_attempts}, then failed. Agent did not answer → the agent is made not ready
 * and the callback goes back to the head of the queue, as for calls.
 *
 * <p>Calling hours: outside the calendar's open hours no callback is in the core (they leave it when the calendar
 * closes and come back, in their original order, when it opens), and an attempt is never started.
 *
 * <p>Threads: the ACD loop only calls {@link #owns}, {@link #adopt}, {@link #offered} and {@link #lostFromCore}, which
 * do not block; database writes, AMI outcomes and the timer run on the single {@code callbacks} thread; the
 * customer dial runs on the AGI session's virtual thread.
 */
public final class Callbacks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Callbacks.class);
    private static final Duration AMI_DOWN_RETRY = Duration.ofSeconds(5);
    /**
     * How long a callback whose {@code Enqueue} the routing core refused (queue disabled, or not defined yet) waits
     * before it is offered to the core again.
     */
    public static final Duration ENQUEUE_RETRY = Duration.ofSeconds(30);
    /**
     * Every scheduled callback's id starts with this; no queued callback's (a call's id: Asterisk's linkedid) may,
     * so a scheduled callback can never take over a live call's offers.
     */
    public static final String SCHEDULED_PREFIX = "sched-";

    /** What the callbacks need from the ACD. */
    public interface Port {
        void post(Command command);

        Optional<String> endpointOf(String agentId);

        Duration ringTimeout(String queue);

        Optional<AmiConnection> ami();

        void emit(CallEvent event);

        /** Whether the agent is logged in (an absent owner's callbacks go to the team at once). */
        default boolean loggedIn(String agentId) {
            return true;
        }

        /** How an attempt reaches Asterisk: AMI Originate while AMI is up (tests: a recorder). */
        default Optional<Dialler> dialler() {
            return ami().filter(AmiConnection::isUp).map(a -> a::originate);
        }
    }

    /** AMI Originate, as {@link AmiConnection#originate} (the seam tests count dials at). */
    @FunctionalInterface
    public interface Dialler {
        java.util.concurrent.CompletableFuture<dev.hotline.ami.AmiEvent.OriginateResult> originate(String channel,
                String context, String exten, Duration timeout, String callerId, Map<String, String> variables);
    }

    /**
     * At least this long after a claim of an earlier run (an attempt whose engine stopped during it), plus the ring
     * times, the callback waits before it is dialled again: its ringing has surely ended by then.
     */
    static final Duration DOUBT_MARGIN = Duration.ofSeconds(30);

    private static final class Entry {
        volatile Callback callback;
        volatile boolean inCore;
        volatile boolean busy;
        volatile String agent;
        /** Customer-first: the uniqueid of the customer's channel running the callback script (DialEnd → agent). */
        volatile String customerChannel;
        /** Enqueued with its owner alone eligible (owner first), until {@code owner_first_for} after its due time. */
        volatile boolean ownerFirst;
        /** The core refused its last {@code Enqueue}: not offered again before this. */
        volatile Instant refusedUntil = Instant.MIN;
        /** Why the core refused it (logged once per reason). */
        volatile String refusal = "";
        /**
         * Claimed for an attempt by an engine that stopped during it (found at start or takeover): not dialled again
         * until the attempt is adopted ({@link #script()}) or resolved (its ring times past, the agent's phone free).
         */
        volatile CallbackStore.Claim doubt;
        final AtomicBoolean answered = new AtomicBoolean();

        Entry(Callback callback) {
            this.callback = callback;
        }
    }

    private final CallbackConfig config;
    private final CallbackStore store;
    private final InstantSource clock;
    private final java.util.function.Supplier<Optional<BusinessCalendar>> calendar;
    private final Port port;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("callbacks").daemon().factory());
    private final Counter requested;
    private final Counter completed;
    private final Counter failed;

    public Callbacks(CallbackConfig config, CallbackStore store, InstantSource clock,
                     Optional<BusinessCalendar> calendar, Port port, MeterRegistry registry) {
        this(config, store, clock, () -> calendar, port, registry);
    }

    /**
     * With the calling-hours calendar looked up at every check: the engine's current one (a file calendar, or the
     * database calendar that replaces it), so a change made from the admin API applies to the next callback.
     */
    public Callbacks(CallbackConfig config, CallbackStore store, InstantSource clock,
                     java.util.function.Supplier<Optional<BusinessCalendar>> calendar, Port port,
                     MeterRegistry registry) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.calendar = calendar;
        this.port = port;
        this.requested = Counter.builder("hotline.callbacks.requested").description("Callbacks promised")
                .register(registry);
        this.completed = Counter.builder("hotline.callbacks.completed").description("Callbacks that reached the customer")
                .register(registry);
        this.failed = Counter.builder("hotline.callbacks.failed")
                .description("Callbacks given up after max_attempts").register(registry);
        Gauge.builder("hotline.callbacks.pending", entries, m -> m.values().stream()
                .filter(e -> e.callback.pending()).count()).description("Callbacks not yet made").register(registry);
        Gauge.builder("hotline.callbacks.overdue", this, c -> c.overdue().size())
                .description("Pending callbacks more than overdue_after past their due time").register(registry);
    }

    /**
     * Loads every pending callback from the database (blocking) and starts the timer, which puts them back into
     * routing in their original order once calling hours allow. {@code tickEvery} zero: no timer (tests call
     * {@link #tick()}).
     */
    public Callbacks start(Duration tickEvery) throws SQLException {
        List<Callback> pending = store.pending();
        Map<String, CallbackStore.Claim> claims = store.claims();
        for (Callback c : pending) {
            entries.putIfAbsent(c.id(), new Entry(c));
            CallbackStore.Claim claim = claims.get(c.id());
            if (claim != null) {
                entries.get(c.id()).doubt = claim;
            }
        }
        if (!pending.isEmpty()) {
            log.info("callbacks: {} pending callback(s) restored from the database", pending.size());
        }
        if (!claims.isEmpty()) {
            log.warn("callbacks: {} callback(s) were being dialled when the last engine stopped (term {}): not dialled"
                    + " again until their attempts are resolved: {}", claims.size(), claims.values().stream()
                    .map(CallbackStore.Claim::fence).distinct().toList(), claims.keySet());
        }
        if (!tickEvery.isZero()) {
            thread.scheduleWithFixedDelay(this::tickSafely, 0, tickEvery.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            thread.execute(this::tickSafely);
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * Stores a queued callback for the waiting call {@code callId} (blocking: the caller's session thread). It is
     * not routed as a callback until {@link #adopt} (the call is still waiting in the core under that id).
     */
    public Callback requestQueued(String callId, String queue, String number, String callerName,
                                  Instant enqueuedAt) throws SQLException {
        return requestQueued(callId, queue, number, callerName, enqueuedAt, "");
    }

    /** As {@link #requestQueued(String, String, String, String, Instant)}, with the caller's recorded name. */
    public Callback requestQueued(String callId, String queue, String number, String callerName,
                                  Instant enqueuedAt, String nameFile) throws SQLException {
        if (callId.startsWith(SCHEDULED_PREFIX)) {
            throw new IllegalArgumentException("call id " + callId + " is in the scheduled callbacks' namespace ("
                    + SCHEDULED_PREFIX + "…): refused as a queued callback's id");
        }
        return store.insert(Callback.queued(callId, queue, number, callerName, enqueuedAt).withNameFile(nameFile));
    }

    public CallbackConfig config() {
        return config;
    }

    /**
     * On the ACD loop: from now on the core's call {@code c.id()} is this callback (offers come to
     * {@link #offered}). Never blocks.
     */
    public void adopt(Callback c) {
        adopt(c, true);
    }

    /**
     * As {@link #adopt(Callback)}; {@code inCore} false when the core no longer holds the call (its max wait or an
     * escalation exit ended it while the caller confirmed): the timer then puts it into routing with its original
     * enqueue time, as a callback.
     */
    public void adopt(Callback c, boolean inCore) {
        Entry e = new Entry(c);
        e.inCore = inCore;
        entries.put(c.id(), e);
        requested.increment();
    }

    /** The callback was stored but the call was connected before it became one (blocking). */
    public void withdraw(Callback c, String why) {
        try {
            store.update(c.finished(Callback.Status.CANCELLED, clock.instant(), Optional.empty(), why, 0));
        } catch (SQLException ex) {
            log.error("callback {}: could not mark it cancelled ({}): {}", c.id(), why, ex.toString());
        }
    }

    /**
     * Schedules a callback due at {@code due}, owned by {@code owner} if given (the owner is offered it first), with
     * a note for the agent. Its id is new, in the reserved namespace {@value #SCHEDULED_PREFIX}… (so it can never
     * be a call's id). Idempotent by {@code key} when given: the same user's same key returns the callback stored
     * the first time (which the caller compares with its request). Blocking (database).
     */
    public Callback schedule(String queue, String number, Instant due, Optional<String> owner, String note,
                             Optional<CallbackStore.RequestKey> key) throws SQLException {
        String id = SCHEDULED_PREFIX + java.util.UUID.randomUUID();
        Callback stored = store.insertScheduled(Callback.scheduled(id, queue, number, clock.instant(), due, owner,
                note), key);
        if (stored.pending() && entries.putIfAbsent(stored.id(), new Entry(stored)) == null) {
            requested.increment();
            thread.execute(this::tickSafely);
        }
        return stored;
    }

    /** True if the core's call {@code callId} is a callback (ACD loop; never blocks). */
    public boolean owns(String callId) {
        return entries.containsKey(callId);
    }

    /** Every pending callback, by due time. */
    public List<Callback> pending() {
        return entries.values().stream().map(e -> e.callback).filter(Callback::pending)
                .sorted(Comparator.comparing(Callback::dueAt).thenComparing(Callback::id)).toList();
    }

    /** Pending callbacks more than {@code overdue_after} past their due time: promises being broken. */
    public List<Callback> overdue() {
        Instant limit = clock.instant().minus(config.overdueAfter());
        return pending().stream().filter(c -> c.dueAt().isBefore(limit)).toList();
    }

    public CallbackStore store() {
        return store;
    }

    /** Whether customers may be called at {@code at}. */
    public boolean callingHours(Instant at) {
        return calendar.get().map(c -> c.status(at).state() == BusinessCalendar.State.OPEN).orElse(true);
    }

    // ------------------------------------------------------------------------------------------ routing

    /** On the ACD loop: the core took the callback out of routing (max wait, exit); the timer puts it back. */
    public void lostFromCore(String callId) {
        Entry e = entries.get(callId);
        if (e != null) {
            e.inCore = false;
        }
    }

    /**
     * On the ACD loop: the routing core refused to take the callback into routing ({@code reason}: the queue is
     * disabled, or not defined yet — e.g. created from the directory, which applies it after the callbacks are
     * loaded). It is not in the core: the timer offers it again after {@link #ENQUEUE_RETRY}. Never blocks.
     */
    public void enqueueRefused(String callId, String reason) {
        Entry e = entries.get(callId);
        if (e == null) {
            return;
        }
        e.inCore = false;
        e.ownerFirst = false;
        e.refusedUntil = clock.instant().plus(ENQUEUE_RETRY);
        if (!reason.equals(e.refusal)) {
            log.warn("callback {}: queue {} refused it ({}); tried again every {} until it is accepted",
                    callId, e.callback.queue(), reason, ENQUEUE_RETRY.toSeconds() + " s");
        }
        e.refusal = reason;
    }

    /** On the ACD loop: the core offers the callback to an agent. Hands over to the callbacks thread. */
    public void offered(Decision.Offer offer) {
        thread.execute(() -> attempt(offer));
    }

    /** Puts due callbacks into routing and takes them out when calling hours end. */
    public void tick() {
        Instant now = clock.instant();
        boolean open = callingHours(now);
        List<Entry> ordered = entries.values().stream()
                .sorted(Comparator.comparing((Entry e) -> e.callback.dueAt()).thenComparing(e -> e.callback.id()))
                .toList();
        for (Entry e : ordered) {
            Callback c = e.callback;
            if (!c.pending()) {
                entries.remove(c.id(), e);
                continue;
            }
            if (e.busy) {
                continue;
            }
            if (e.doubt != null) {
                resolveDoubt(e, now);
                continue;
            }
            if (!e.inCore && open && !c.notBefore().isAfter(now) && !c.dueAt().isAfter(now)
                    && !e.refusedUntil.isAfter(now)) {
                // Owner first (whatever the queue's strategy) until owner_first_for after the due time, then the
                // team; an owner who is logged out gives it to the team at once.
                Optional<String> owner = c.owner();
                Optional<Duration> ownerFor = Optional.empty();
                if (owner.isPresent() && port.loggedIn(owner.get())) {
                    ownerFor = Optional.of(config.ownerFirstFor());
                } else if (owner.isPresent()) {
                    log.info("callback {}: owner {} is logged out; offered to queue {} at once", c.id(),
                            owner.get(), c.queue());
                    owner = Optional.empty();
                }
                Map<String, String> data = new java.util.LinkedHashMap<>();
                data.put("callback_number", c.number());
                data.put("callback_note", c.note());
                c.owner().ifPresent(o -> data.put("callback_owner", o));
                data.put("callback_due", c.dueAt().toString());
                Call call = new Call(c.id(), c.queue(), java.util.OptionalInt.empty(), List.of(), Optional.empty(),
                        owner, data);
                e.inCore = true;
                e.ownerFirst = ownerFor.isPresent() && c.dueAt().plus(ownerFor.get()).isAfter(now);
                port.post(new Command.Enqueue(call, Optional.of(c.dueAt()), true, ownerFor));
            } else if (e.inCore && open && e.ownerFirst && c.owner().isPresent()) {
                if (!c.dueAt().plus(config.ownerFirstFor()).isAfter(now)) {
                    e.ownerFirst = false;   // the core widened it to the team by itself
                } else if (!port.loggedIn(c.owner().get())) {
                    // The owner logged out while it waited for them: take it out; the next tick gives it to the team.
                    log.info("callback {}: owner {} logged out; reassigned to queue {}", c.id(), c.owner().get(),
                            c.queue());
                    e.inCore = false;
                    e.ownerFirst = false;
                    port.post(new Command.Leave(c.id(), "owner logged out"));
                }
            } else if (e.inCore && !open) {
                e.inCore = false;
                port.post(new Command.Leave(c.id(), "outside calling hours"));
            }
        }
    }

    /**
     * A callback claimed by an attempt of an earlier run: once its ring times (plus {@link #DOUBT_MARGIN}) have
     * passed and the claimed agent's phone has no channel in Asterisk, the attempt is over and nobody stored its
     * outcome: it counts as an attempt with an unknown result and the callback is retried as after no answer (a
     * customer who did talk may be called once more; never twice at once). Callbacks thread.
     */
    private void resolveDoubt(Entry e, Instant now) {
        CallbackStore.Claim claim = e.doubt;
        Callback c = e.callback;
        Duration rings = config.customerRing().plus(port.ringTimeout(c.queue())).plus(DOUBT_MARGIN);
        if (now.isBefore(claim.at().plus(rings)) || agentOnPhone(claim.agent())) {
            return;
        }
        String result = "unknown: the engine of term " + claim.fence() + " stopped during the attempt";
        Callback next = c.attempts() + 1 >= config.maxAttempts()
                ? c.finished(Callback.Status.FAILED, now, Optional.ofNullable(claim.agent()).filter(a -> !a.isEmpty()),
                        result, c.attempts() + 1)
                : c.retryAt(now.plus(config.retryDelay()), claim.agent(), result);
        synchronized (e) {
            if (e.busy || e.doubt != claim) {
                return;   // adopted meanwhile: its agent answered and the attempt goes on here
            }
            e.doubt = null;
        }
        try {
            store.update(next);
        } catch (SQLException ex) {
            log.warn("callback {}: could not store the end of the attempt of term {} ({}); tried again at the next"
                    + " tick", c.id(), claim.fence(), ex.toString());
            e.doubt = claim;
            return;
        }
        e.callback = next;
        log.warn("callback {}: the attempt by agent {} of term {} ended while no engine held it; {} (attempts {}/{})",
                c.id(), claim.agent(), claim.fence(), next.pending() ? "retried after " + config.retryDelay()
                        : "failed", next.attempts(), config.maxAttempts());
        if (next.pending()) {
            port.emit(new CallEvent.CallbackAttempted(c.id(), now, c.queue(), claim.agent(), result,
                    next.status().name(), next.attempts()));
        } else {
            failed.increment();
            entries.remove(c.id(), e);
        }
    }

    /** Whether Asterisk has a channel of {@code agent}'s phone now (AMI down or slow: assume so, wait). */
    private boolean agentOnPhone(String agent) {
        if (agent == null || agent.isEmpty()) {
            return false;
        }
        Optional<String> endpoint = port.endpointOf(agent);
        Optional<AmiConnection> ami = port.ami();
        if (endpoint.isEmpty() || ami.isEmpty()) {
            return false;
        }
        if (!ami.get().isUp()) {
            return true;
        }
        try {
            String prefix = endpoint.get() + "-";
            return ami.get().channels().get(5, TimeUnit.SECONDS).stream()
                    .anyMatch(ch -> ch.channel().startsWith(prefix));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            return true;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("callbacks: timer failed", e);
        }
    }

    private void attempt(Decision.Offer offer) {
        Entry e = entries.get(offer.callId());
        if (e == null || !e.callback.pending()) {
            port.post(new Command.Leave(offer.callId(), "callback no longer pending"));
            return;
        }
        Callback c = e.callback;
        if (!callingHours(clock.instant())) {
            e.inCore = false;
            port.post(new Command.Leave(c.id(), "outside calling hours"));
            return;
        }
        Optional<String> endpoint = port.endpointOf(offer.agentId());
        if (endpoint.isEmpty()) {
            log.error("callback {}: offered agent {} has no endpoint", c.id(), offer.agentId());
            port.post(new Command.OfferRejected(c.id(), offer.agentId()));
            port.post(new Command.SetNotReady(offer.agentId(), "no endpoint"));
            return;
        }
        if (!store.fence().mayAct()) {
            // A pair's former active engine (paused, cut off): never dial with a stale lease; the active one will.
            log.warn("callback {}: not dialled, this engine does not hold the lease ({})", c.id(), store.fence());
            e.inCore = false;
            port.post(new Command.Leave(c.id(), "engine not active"));
            return;
        }
        Optional<Dialler> ami = port.dialler();
        if (ami.isEmpty()) {
            log.warn("callback {}: AMI is down; trying again in {}", c.id(), AMI_DOWN_RETRY);
            e.inCore = false;
            e.callback = new Callback(c.id(), c.kind(), c.queue(), c.number(), c.callerName(), c.requestedAt(),
                    c.dueAt(), c.owner(), c.note(), c.status(), c.attempts(), clock.instant().plus(AMI_DOWN_RETRY),
                    c.agentId(), c.finishedAt(), c.lastResult());
            port.post(new Command.Leave(c.id(), "AMI down"));
            return;
        }
        // Claimed before the Originate, with this engine's fencing number: a former active engine is refused here,
        // and a callback an earlier attempt still holds is not dialled twice.
        try {
            if (!store.claim(c.id(), offer.agentId(), clock.instant())) {
                CallbackStore.Claim claim = store.claims().get(c.id());
                log.warn("callback {}: not dialled, {}", c.id(), claim == null ? "no longer pending"
                        : "claimed by the attempt of term " + claim.fence() + " (agent " + claim.agent() + ")");
                e.inCore = false;
                e.doubt = claim;
                port.post(new Command.Leave(c.id(), "being dialled by an earlier attempt"));
                return;
            }
        } catch (dev.hotline.ha.FencedOutException fenced) {
            log.warn("callback {}: not dialled, {}", c.id(), fenced.getMessage());
            e.inCore = false;
            port.post(new Command.Leave(c.id(), "engine not active"));
            return;
        } catch (SQLException ex) {
            log.warn("callback {}: not dialled, the claim could not be stored ({}); trying again in {}", c.id(),
                    ex.toString(), AMI_DOWN_RETRY);
            e.inCore = false;
            e.callback = c.notBefore(clock.instant().plus(AMI_DOWN_RETRY), c.lastResult());
            port.post(new Command.Leave(c.id(), "database unreachable"));
            return;
        }
        e.busy = true;
        e.agent = offer.agentId();
        e.answered.set(false);
        e.customerChannel = null;
        if (config.mode() == CallbackConfig.Mode.CUSTOMER_FIRST) {
            callCustomerFirst(e, c, ami.get());
            return;
        }
        String callerId = "\"Callback " + c.number() + "\" <" + c.number() + ">";
        ami.get().originate(endpoint.get(), config.context(), c.id(), port.ringTimeout(c.queue()), callerId,
                Map.of("HOTLINE_CALLBACK", c.id(), "HOTLINE_QUEUE", c.queue())).whenCompleteAsync((r, error) -> {
                    if (r != null && r.answered()) {
                        agentAnswered(e);
                        return;
                    }
                    String why = error != null ? error.getMessage() : r.describe();
                    log.info("callback {}: agent {} did not take it ({})", c.id(), offer.agentId(), why);
                    unclaim(e);
                    e.busy = false;
                    port.post(new Command.OfferRejected(c.id(), offer.agentId()));
                    port.post(new Command.SetNotReady(offer.agentId(), r != null && r.reason() == 5 ? "busy"
                            : error != null ? "phone unavailable" : "no answer"));
                }, thread);
    }

    /**
     * Customer-first: the customer's number is originated through the trunk into the callback context while the
     * agent stays reserved; once the customer answers, {@link #script()} connects them to that agent. Not answered
     * / busy: the agent is freed (ready again) and the attempt counts as for agent-first.
     */
    private void callCustomerFirst(Entry e, Callback c, Dialler ami) {
        String callerId = config.callerIdNumber().isEmpty() ? "" : "<" + config.callerIdNumber() + ">";
        ami.originate(config.dialString(c.number()), config.context(), c.id(), config.customerRing(), callerId,
                Map.of("HOTLINE_CALLBACK", c.id(), "HOTLINE_QUEUE", c.queue(), "HOTLINE_CALLBACK_MODE",
                        config.mode().wireName())).whenCompleteAsync((r, error) -> {
                    if (r != null && r.answered()) {
                        return;   // the customer's channel runs the callback script, which goes on
                    }
                    String status = error != null ? "CHANUNAVAIL" : switch (r.reason()) {
                        case 5 -> "BUSY";
                        case 3, 1 -> "NOANSWER";
                        case 8 -> "CONGESTION";
                        default -> "CHANUNAVAIL";
                    };
                    log.info("callback {}: customer {} did not answer ({}); agent {} freed", c.id(), c.number(),
                            error != null ? error.getMessage() : r.describe(), e.agent);
                    // The agent was only reserved: leaving the core during the offer makes them ready again.
                    port.post(new Command.Leave(c.id(), "customer did not answer"));
                    finishAttempt(e, status, false);
                }, thread);
    }

    /**
     * AMI {@code DialEnd ANSWER} from channel {@code uniqueId}: in customer-first mode, the reserved agent answered
     * the customer's Dial (never blocks; any thread).
     */
    public void dialAnswered(String uniqueId) {
        for (Entry e : entries.values()) {
            if (uniqueId.equals(e.customerChannel) && e.busy) {
                agentAnswered(e);
                return;
            }
        }
    }

    private void agentAnswered(Entry e) {
        if (e.answered.compareAndSet(false, true)) {
            port.post(new Command.OfferAnswered(e.callback.id(), e.agent));
        }
    }

    /** {@code agi://hotline/callback?id=ID}: runs on the agent's originated channel once they answered. */
    public AgiScript script() {
        return session -> {
            String id = session.environment().query().getOrDefault("id", session.environment().extension());
            Entry e = entries.get(id);
            String reported = session.environment().query().getOrDefault("dialstatus", "").strip();
            if (!reported.isEmpty()) {
                reportOutcome(session, id, e, reported);
                return;
            }
            if (e != null && !e.busy && e.doubt != null && config.mode() == CallbackConfig.Mode.AGENT_FIRST) {
                adoptDoubt(e);
            }
            if (e == null || !e.busy || e.agent == null) {
                log.warn("callback script: no callback '{}' being attempted (channel {})", id,
                        session.environment().channel());
                session.setVariable("HOTLINE_ERROR", "unknown callback " + dev.hotline.agi.codec.AgiCommand.sanitize(id));
                return;
            }
            if (config.mode() == CallbackConfig.Mode.CUSTOMER_FIRST) {
                connectCustomer(session, e);
                return;
            }
            agentAnswered(e);
            Callback c = e.callback;
            String status;
            boolean agentGone = false;
            try {
                // The whisper: who is being called back, their recorded name (the note is on the agent's screen).
                session.streamFile("hotline/callback-whisper", "");
                session.sayDigits(c.number(), "");
                playName(session, c);
                if (!config.callerIdNumber().isEmpty()) {
                    session.setVariable("CALLERID(num)", config.callerIdNumber());   // what the customer sees
                }
                long ring = Math.max(1, config.customerRing().toSeconds());
                session.exec("Dial", config.dialString(c.number()) + "," + ring + ",g", Duration.ofHours(12));
                status = session.getVariable("DIALSTATUS").orElse("");
            } catch (AgiHangupException ex) {
                agentGone = true;
                status = "";
            }
            String result = status;
            boolean gone = agentGone;
            port.post(new Command.CallEnded(e.agent));
            thread.execute(() -> finishAttempt(e, result, gone));
            if (!session.isHungUp()) {
                session.hangup();
            }
        };
    }

    /**
     * {@code callback?id=ID&dialstatus=S}: the agent's channel of an attempt whose engine stopped during the customer's
     * {@code Dial} reports how that Dial ended ({@code DIALSTATUS}, which the channel keeps after its AGI ended). The
     * claim of that attempt is closed with this outcome, as if its engine had stored it: {@code ANSWER} → completed
     * (the customer was reached: never called again), anything else → an attempt with that result (retried or
     * failed as usual). A callback not in doubt here (finished, unknown, or attempted by this engine) is refused with
     * {@code HOTLINE_ERROR}, which ends the dialplan's rounds; the agent's channel is hung up once reported.
     */
    private void reportOutcome(dev.hotline.agi.AgiSession session, String id, Entry e, String dialStatus) {
        if (!dialStatus.matches("[A-Za-z]{1,20}")) {
            log.warn("callback {}: reported dial status '{}' is not a DIALSTATUS word (channel {}); refused", id,
                    dev.hotline.agi.codec.AgiCommand.sanitize(dialStatus), session.environment().channel());
            session.setVariable("HOTLINE_ERROR", "bad dialstatus for callback "
                    + dev.hotline.agi.codec.AgiCommand.sanitize(id));
            return;
        }
        CallbackStore.Claim claim = null;
        if (e != null) {
            synchronized (e) {
                if (!e.busy && e.doubt != null) {
                    claim = e.doubt;
                    e.doubt = null;
                    e.agent = claim.agent();
                    e.answered.set(false);
                    e.customerChannel = null;
                    e.busy = true;
                }
            }
        }
        if (claim == null) {
            log.warn("callback {}: dial status {} reported by channel {} for no attempt in doubt here ({}); ignored", id,
                    dialStatus, session.environment().channel(), e == null ? "not pending here"
                            : e.busy ? "being attempted by this engine" : "no claim of a stopped engine");
            session.setVariable("HOTLINE_ERROR", "no callback " + dev.hotline.agi.codec.AgiCommand.sanitize(id)
                    + " in doubt");
            return;
        }
        log.info("callback {}: the attempt of term {} by agent {} ended while its engine was gone: DIALSTATUS={}",
                id, claim.fence(), claim.agent(), dialStatus);
        Entry entry = e;
        thread.execute(() -> finishAttempt(entry, dialStatus, false));
        if (!session.isHungUp()) {
            session.hangup();
        }
    }

    /**
     * The agent of an attempt whose engine stopped while it rang them answered, and their channel came here: this
     * engine carries the attempt on (the customer is dialled from here, once), instead of dialling it again later.
     */
    private void adoptDoubt(Entry e) {
        synchronized (e) {
            CallbackStore.Claim claim = e.doubt;
            if (claim == null || e.busy) {
                return;
            }
            e.doubt = null;
            e.agent = claim.agent();
            e.answered.set(false);
            e.customerChannel = null;
            e.busy = true;
            log.info("callback {}: the attempt of term {} by agent {} answered here; carried on by this engine",
                    e.callback.id(), claim.fence(), claim.agent());
        }
    }

    /** An attempt that never reached anyone: its claim is cleared so the next one may dial. Callbacks thread. */
    private void unclaim(Entry e) {
        try {
            store.update(e.callback);
        } catch (SQLException ex) {
            log.warn("callback {}: could not clear its claim ({}); resolved as an attempt of an earlier run later",
                    e.callback.id(), ex.toString());
            e.doubt = new CallbackStore.Claim(e.callback.id(), store.fence().number(), clock.instant(),
                    e.agent == null ? "" : e.agent);
        }
    }

    /** The caller's recorded name, if any; a missing file is logged, never fatal (the number was said). */
    private static void playName(dev.hotline.agi.AgiSession session, Callback c) {
        if (c.nameFile().isEmpty()) {
            return;
        }
        try {
            session.streamFile(c.nameFile(), "");
        } catch (dev.hotline.agi.AgiCommandException ex) {
            log.warn("callback {}: name recording {} could not be played: {}", c.id(), c.nameFile(), ex.getMessage());
        }
    }

    /**
     * Customer-first, on the customer's answered channel: a short message, then {@code EXEC Dial} to the reserved
     * agent (their recorded name announced to the agent with Dial's {@code A()} option). The agent does not answer:
     * the customer hears {@code hotline/callback-agent-unavailable}, the agent goes not ready, and the callback is
     * tried again after {@code retry_delay} without counting an attempt against the customer.
     */
    private void connectCustomer(dev.hotline.agi.AgiSession session, Entry e) {
        Callback c = e.callback;
        String agent = e.agent;
        e.customerChannel = session.environment().uniqueId();
        Optional<String> endpoint = port.endpointOf(agent);
        String status;
        boolean customerGone = false;
        try {
            session.streamFile("hotline/callback-connecting", "");
            if (endpoint.isEmpty()) {
                status = "CHANUNAVAIL";
            } else {
                long ring = Math.max(1, port.ringTimeout(c.queue()).toSeconds());
                String options = c.nameFile().isEmpty() ? "" : "A(" + c.nameFile() + ")";
                session.exec("Dial", endpoint.get() + "," + ring + (options.isEmpty() ? "" : "," + options),
                        Duration.ofHours(12));
                status = session.getVariable("DIALSTATUS").orElse("");
            }
        } catch (AgiHangupException ex) {
            customerGone = true;
            status = e.answered.get() ? "ANSWER" : "";
        }
        if ("ANSWER".equalsIgnoreCase(status) || e.answered.get()) {
            agentAnswered(e);
            port.post(new Command.CallEnded(agent));
            thread.execute(() -> finishAttempt(e, "ANSWER", false));
        } else if (customerGone) {
            port.post(new Command.Leave(c.id(), "customer hung up before the agent answered"));
            thread.execute(() -> finishAttempt(e, "HANGUP", false));
        } else {
            String reason = switch (status.toUpperCase(java.util.Locale.ROOT)) {
                case "BUSY" -> "busy";
                case "CHANUNAVAIL", "CONGESTION" -> "phone unavailable";
                default -> "no answer";
            };
            log.info("callback {}: customer answered but agent {} did not ({}); the customer is told, the callback"
                    + " is retried after {}", c.id(), agent, status, config.retryDelay());
            // Not ready takes effect when the offer ends, which the Leave does.
            port.post(new Command.SetNotReady(agent, reason));
            port.post(new Command.Leave(c.id(), "agent did not answer"));
            try {
                session.streamFile("hotline/callback-agent-unavailable", "");
            } catch (AgiHangupException | dev.hotline.agi.AgiCommandException ex) {
                // the customer hung up first: nothing to tell them
            }
            thread.execute(() -> agentMissed(e, "agent " + reason));
        }
        if (!session.isHungUp()) {
            session.hangup();
        }
    }

    /** Customer-first: the customer answered but the agent did not. Requeued after the retry delay; nothing lost. */
    private void agentMissed(Entry e, String result) {
        Callback c = e.callback;
        Instant now = clock.instant();
        Callback next = c.notBefore(now.plus(config.retryDelay()), result);
        e.callback = next;
        e.inCore = false;
        e.busy = false;
        e.customerChannel = null;
        try {
            store.update(next);
        } catch (SQLException ex) {
            log.error("callback {}: could not store its state after the agent missed it: {}", c.id(), ex.toString());
        }
        port.emit(new CallEvent.CallbackAttempted(c.id(), now, c.queue(), e.agent, result, next.status().name(),
                next.attempts()));
        tick();
    }

    private void finishAttempt(Entry e, String dialStatus, boolean agentHungUp) {
        Callback c = e.callback;
        Instant now = clock.instant();
        String agent = e.agent;
        Callback next;
        if ("ANSWER".equalsIgnoreCase(dialStatus)) {
            next = c.finished(Callback.Status.COMPLETED, now, Optional.of(agent), "answered", c.attempts() + 1);
            completed.increment();
        } else if (agentHungUp && dialStatus.isEmpty()) {
            // The agent hung up before the customer was dialled: not an attempt at the customer.
            next = c;
        } else {
            String result = switch (dialStatus.toUpperCase(java.util.Locale.ROOT)) {
                case "BUSY" -> "busy";
                case "HANGUP" -> "hung up";
                case "NOANSWER", "CANCEL" -> "no answer";
                case "CHANUNAVAIL", "CONGESTION" -> "unreachable";
                default -> dialStatus.isEmpty() ? "failed" : dialStatus.toLowerCase(java.util.Locale.ROOT);
            };
            if (c.attempts() + 1 >= config.maxAttempts()) {
                next = c.finished(Callback.Status.FAILED, now, Optional.of(agent), result, c.attempts() + 1);
                failed.increment();
            } else {
                next = c.retryAt(now.plus(config.retryDelay()), agent, result);
            }
        }
        e.callback = next;
        e.inCore = false;
        e.busy = false;
        e.customerChannel = null;
        try {
            store.update(next);
        } catch (SQLException ex) {
            log.error("callback {}: could not store its state ({} after attempt {}): {}", c.id(), next.status(),
                    next.attempts(), ex.toString());
        }
        log.info("callback {}: attempt by agent {}: {} → {} (attempts {}/{})", c.id(), agent,
                dialStatus.isEmpty() ? "no dial" : dialStatus, next.status(), next.attempts(), config.maxAttempts());
        port.emit(new CallEvent.CallbackAttempted(c.id(), now, c.queue(), agent, next.lastResult(),
                next.status().name(), next.attempts()));
        if (next.pending()) {
            tick();
        } else {
            entries.remove(c.id(), e);
        }
    }

    /** Runs {@code task} on the callbacks thread and waits for it (tests, shutdown). */
    public void sync(Runnable task) throws InterruptedException {
        try {
            thread.submit(task).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
            throw new IllegalStateException("callbacks thread: " + ex, ex);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
