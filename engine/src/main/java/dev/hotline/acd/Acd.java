package dev.hotline.acd;

import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.WaitResult;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiReply;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrOutcome;
import dev.hotline.ivr.runtime.IvrOutcomeHandler;
import dev.hotline.routing.Agent;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.EscalationStep;
import dev.hotline.routing.QueueSpec;
import dev.hotline.routing.Strategy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The call flow from IVR to agent: the glue between the FastAGI sessions of a call, the routing core (through
 * {@link AcdLoop}) and Asterisk (through AMI).
 *
 * <p>A call's life:
 * <ol>
 *   <li>The IVR ends with a {@code queue} outcome ({@link #handle}): the call gets an id (Asterisk's linkedid),
 *       joins the routing core and its session waits with music on hold: {@code WAIT FOR DIGIT} until the next
 *       announcement or known deadline — no polling. Position and estimated wait are announced every
 *       {@code acd.announce_interval}; a queue's exit keys end the wait.</li>
 *   <li>The core assigns an agent ({@code Offer}). The loop redirects the waiting channel over AMI into
 *       {@code acd.connect_context}; the pending {@code WAIT FOR DIGIT} returns {@code -1} at once and the session
 *       ends immediately (not waiting for the {@code HANGUP} line, which Asterisk's Nagle delays by ~40 ms), so
 *       Asterisk starts the {@code connect?call=ID} session within milliseconds.</li>
 *   <li>The connect session ({@link #connectScript()}) runs {@code EXEC Dial} to the agent's endpoint with the
 *       queue's ring timeout. AMI's {@code DialEnd ANSWER} marks the offer answered; when Dial returns the agent
 *       goes to wrap-up. No answer / busy / unavailable: the agent goes not ready with that reason and the call
 *       returns to the queue at its old position, waiting again in this session.</li>
 *   <li>If the redirect fails (AMI down, channel refused) the waiting session dials by itself at its next
 *       wake-up; while AMI is down waits are cut to 1 s so that wake-up comes soon. Both are counted.</li>
 * </ol>
 * Synchronisation between the loop and a call's session thread is the call's {@link CallPhase}, changed only
 * through {@link ActiveCall}'s named transitions: the loop redirects only a session that is blocked in a wait, and
 * a session dials only an offer the loop did not hand to a redirect. Every call is held by one
 * {@link CallRegistry}, and {@link CallRegistry#end} is the one place it leaves.
 */
public final class Acd implements IvrOutcomeHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Acd.class);
    private static final Duration AMI_DOWN_SLICE = Duration.ofSeconds(1);
    private static final Duration REDIRECT_WAIT = Duration.ofSeconds(5);

    private final AcdConfig config;
    /** Changed live by the directory (see {@link #defineQueue}, {@link #defineAgent}); read from any thread. */
    private final Map<String, QueueConfig> queues = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The configured queues' names in file order: {@link #start()} keeps it where escalation moves allow. */
    private final List<String> fileOrder;
    private final Map<String, AgentConfig> agents = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Set<String> disabledQueues = ConcurrentHashMap.newKeySet();
    private final Set<String> disabledAgents = ConcurrentHashMap.newKeySet();
    private final List<java.util.function.Consumer<Decision>> routingListeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> agentsByEndpoint = new ConcurrentHashMap<>();
    private final Map<String, AmiConnection> ami;
    private final InstantSource clock;
    private final AcdLoop loop;
    private final CallRegistry calls = new CallRegistry();
    private final CallWatch watch;
    private final Map<String, AgentState> agentStates = new ConcurrentHashMap<>();
    private final Set<String> unavailableByDevice = ConcurrentHashMap.newKeySet();
    private final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<dev.hotline.routing.StateChange>> agentListeners =
            new CopyOnWriteArrayList<>();
    private volatile CallRecorder recorder;
    private volatile java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> surveyCatalog;
    private volatile dev.hotline.ivr.runtime.IvrInterpreter surveyInterpreter;
    private volatile dev.hotline.callbacks.Callbacks callbacks;
    /** The outbound dialler, if running: it claims the decisions about its own calls (docs/OUTBOUND.md). */
    private volatile dev.hotline.outbound.Outbound outbound;
    private final Counter redirects;
    private final Counter redirectFailures;
    private final Counter callbackOffers;
    private final Counter recordingFailures;
    private volatile dev.hotline.qa.RecordingHook recordingHook = dev.hotline.qa.RecordingHook.QUEUE_FLAG;
    private final Timer dispatch;

    public Acd(AcdConfig config, List<QueueConfig> queueConfigs, List<AgentConfig> agentConfigs,
               Map<String, AmiConnection> ami, InstantSource clock, MeterRegistry registry) {
        this.config = config;
        queueConfigs.forEach(q -> queues.put(q.name(), q));
        this.fileOrder = queueConfigs.stream().map(QueueConfig::name).toList();
        agentConfigs.forEach(a -> {
            agents.put(a.id(), a);
            a.endpoints().forEach(e -> agentsByEndpoint.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>())
                    .add(a.id()));
        });
        this.ami = Map.copyOf(ami);
        this.clock = clock;
        this.loop = new AcdLoop(clock, this::onDecisions);
        this.redirects = Counter.builder("hotline.acd.redirects").description("Waiting callers redirected to an agent")
                .register(registry);
        this.redirectFailures = Counter.builder("hotline.acd.redirect.failures")
                .description("Redirects that failed (the waiting session dialled by itself)").register(registry);
        this.callbackOffers = Counter.builder("hotline.acd.callback.offers")
                .description("Callback offers played to callers with a long estimated wait").register(registry);
        this.recordingFailures = Counter.builder("hotline.acd.recording.failures")
                .description("Recordings that could not start (MixMonitor refused); the calls went on").register(registry);
        this.dispatch = Timer.builder("hotline.acd.dispatch").description("From the offer to Dial sent")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99).register(registry);
        io.micrometer.core.instrument.Gauge.builder("hotline.acd.calls.active", calls, CallRegistry::size)
                .description("Calls in queue or connected").register(registry);
        this.watch = new CallWatch(calls, this::agentStates,
                id -> ownedByCallbacks(id) || outbound != null && outbound.owns(id), loop, registry);
    }

    /** Starts the loop and defines every queue and agent in the routing core. */
    public Acd start() {
        loop.start();
        watch.start();
        for (QueueConfig q : definitionOrder()) {
            loop.post(new Command.DefineQueue(spec(q)));
        }
        for (AgentConfig a : agents.values()) {
            loop.post(new Command.DefineAgent(a.toAgent()));
        }
        return this;
    }

    /**
     * The queues in file order, except that a queue comes after the queues its escalation moves calls to (the
     * routing core refuses a move to a queue it does not know yet). A cycle, which the loader refuses, is left in
     * file order (the core then refuses the queue that closes it).
     */
    private List<QueueConfig> definitionOrder() {
        List<QueueConfig> pending = new ArrayList<>();
        fileOrder.forEach(name -> pending.add(queues.get(name)));
        queues.values().stream().filter(q -> !fileOrder.contains(q.name())).forEach(pending::add);
        Set<String> names = Set.copyOf(queues.keySet());
        Set<String> defined = new java.util.HashSet<>();
        List<QueueConfig> order = new ArrayList<>();
        while (!pending.isEmpty()) {
            QueueConfig next = pending.stream().filter(q -> q.escalation().stream().allMatch(s ->
                    !(s instanceof EscalationStep.MoveToQueue m) || defined.contains(m.queue())
                            || !names.contains(m.queue()))).findFirst().orElse(pending.getFirst());
            pending.remove(next);
            defined.add(next.name());
            order.add(next);
        }
        return order;
    }

    // ------------------------------------------------------------------------------------------ live directory

    /**
     * Adds or redefines a queue live (the directory's change, already validated and stored): the routing core
     * applies it at once to the calls waiting there. {@code disabled}: known but admitting no new calls.
     */
    public void defineQueue(QueueConfig queue, boolean disabled) {
        QueueSpec spec = spec(queue);   // throws for what the routing core would refuse, before anything changes
        queues.put(queue.name(), queue);
        loop.post(new Command.DefineQueue(spec));
        if (disabled) {
            disableQueue(queue.name(), "directory");
        } else {
            disabledQueues.remove(queue.name());
        }
    }

    /** Disables a queue: new callers get its timeout treatment; the calls waiting are still served. */
    public void disableQueue(String name, String by) {
        disabledQueues.add(name);
        loop.post(new Command.DisableQueue(name, by));
    }

    /**
     * Adds or redefines an agent live: a ready agent is matched at once with the calls their new skills and
     * queues qualify them for; a call in progress stays. {@code disabled}: known but logged out and unable to log in.
     */
    public void defineAgent(AgentConfig agent, boolean disabled) {
        AgentConfig old = agents.put(agent.id(), agent);
        if (old != null) {
            old.endpoints().forEach(e -> agentsByEndpoint.computeIfPresent(e, (k, ids) -> {
                ids.remove(agent.id());
                return ids.isEmpty() ? null : ids;
            }));
        }
        agent.endpoints().forEach(e -> agentsByEndpoint.compute(e, (k, ids) -> {
            List<String> list = ids == null ? new CopyOnWriteArrayList<>() : ids;
            if (!list.contains(agent.id())) {
                list.add(agent.id());
            }
            return list;
        }));
        loop.post(new Command.DefineAgent(agent.toAgent()));
        if (disabled) {
            disableAgent(agent.id(), "directory");
        } else {
            disabledAgents.remove(agent.id());
        }
    }

    /** Disables an agent: logged out now (or when the call in progress is done); no login until enabled. */
    public void disableAgent(String agentId, String by) {
        disabledAgents.add(agentId);
        loop.post(new Command.DisableAgent(agentId, by));
    }

    public Set<String> disabledAgents() {
        return Set.copyOf(disabledAgents);
    }

    public Set<String> disabledQueues() {
        return Set.copyOf(disabledQueues);
    }

    /** The queues as now defined, by name. */
    public Map<String, QueueConfig> queueConfigs() {
        return java.util.Collections.unmodifiableMap(queues);
    }

    /**
     * A supervisor's new priority for a waiting call; completes with {@link Decision.CallReprioritised} or the
     * routing core's {@link Decision.CommandRejected} (unknown call, not waiting).
     */
    public java.util.concurrent.CompletableFuture<Decision> reprioritise(String callId, int priority, String by) {
        return reprioritise(callId, priority, by, Optional.empty());
    }

    /**
     * As {@link #reprioritise(String, int, String)}, only for a call waiting in one of {@code onlyIn} (when present)
     * at the moment the core applies it — an escalation move due meanwhile included — or it is rejected.
     */
    public java.util.concurrent.CompletableFuture<Decision> reprioritise(String callId, int priority, String by,
                                                                         Optional<Set<String>> onlyIn) {
        Command c = new Command.Reprioritise(callId, priority, by, onlyIn);
        return loop.submit(c).thenApply(out -> out.stream()
                .filter(d -> d instanceof Decision.CallReprioritised done && done.callId().equals(callId)
                        || d instanceof Decision.CommandRejected refused && refused.command() == c)
                .findFirst().orElseThrow(() -> new IllegalStateException("the routing core did not answer " + c)));
    }

    /** Every waiting call with its queue, priority and position, as the routing core has them now. */
    public java.util.concurrent.CompletableFuture<List<dev.hotline.routing.RoutingCore.WaitingCall>> waitingCalls() {
        return loop.ask(dev.hotline.routing.RoutingCore::waiting);
    }

    /** The queues an agent counts for now (explicit membership and skills), as the routing core has them. */
    public java.util.concurrent.CompletableFuture<List<String>> queuesOf(String agentId) {
        return loop.ask(core -> core.queuesOf(agentId));
    }

    /**
     * Receives the routing core's reports of live changes ({@link Decision.CallReprioritised},
     * {@link Decision.ProfileChanged}) on the ACD loop thread: be quick, never block.
     */
    public void addRoutingListener(java.util.function.Consumer<Decision> listener) {
        routingListeners.add(listener);
    }

    /** Hands the routing core's decisions about outbound calls to {@code dialler} from now on. */
    public void outbound(dev.hotline.outbound.Outbound dialler) {
        this.outbound = dialler;
    }

    /** Routes callbacks through {@code service} from now on (the callback exit key works only with one). */
    public void callbacks(dev.hotline.callbacks.Callbacks service) {
        this.callbacks = service;
    }

    /** What {@link dev.hotline.callbacks.Callbacks} needs from the ACD. */
    public dev.hotline.callbacks.Callbacks.Port callbackPort() {
        return new dev.hotline.callbacks.Callbacks.Port() {
            @Override
            public void post(Command command) {
                loop.post(command);
            }

            @Override
            public Optional<String> endpointOf(String agentId) {
                AgentConfig a = agents.get(agentId);
                return a == null || a.endpoints().isEmpty() ? Optional.empty() : Optional.of(a.endpoints().get(0));
            }

            @Override
            public Duration ringTimeout(String queue) {
                QueueConfig q = queues.get(queue);
                return q == null ? Duration.ofSeconds(20) : q.ringTimeout();
            }

            @Override
            public Optional<AmiConnection> ami() {
                return ami.values().stream().findFirst();
            }

            @Override
            public void emit(CallEvent event) {
                Acd.this.emit(event);
            }

            @Override
            public boolean loggedIn(String agentId) {
                AgentState s = agentStates.get(agentId);
                return s != null && !(s instanceof AgentState.LoggedOut);
            }
        };
    }

    public void addListener(CallEventListener listener) {
        listeners.add(listener);
    }

    /** Receives every agent state transition (on the ACD loop thread: be quick, never block). */
    public void addAgentListener(java.util.function.Consumer<dev.hotline.routing.StateChange> listener) {
        agentListeners.add(listener);
    }

    /**
     * Lets {@code acd.survey_script} run after calls: when the agent hangs up first, the caller (still up, thanks to
     * Dial's {@code g}) hears the survey script, and the answers go on the call record.
     */
    public void enableSurvey(java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> catalog,
                             dev.hotline.ivr.runtime.IvrInterpreter interpreter) {
        this.surveyCatalog = catalog;
        this.surveyInterpreter = interpreter;
    }

    /** Records every call and agent transition through {@code recorder} from now on. */
    public void record(CallRecorder callRecorder) {
        this.recorder = callRecorder;
        listeners.add(callRecorder);
        agentListeners.add(callRecorder::agentState);
    }

    private void emit(CallEvent e) {
        tell(listeners, e, CallEventListener::on, "call event");
    }

    /** Hands {@code event} to every listener; one that throws is logged and the others still hear it. */
    private static <L, T> void tell(Iterable<L> to, T event, java.util.function.BiConsumer<L, T> call, String kind) {
        for (L l : to) {
            try {
                call.accept(l, event);
            } catch (RuntimeException e) {
                log.warn("{} listener failed on {}: {}", kind, event, e.toString());
            }
        }
    }

    /**
     * The routing core's queue from configuration. The core's ring timer is a safety net (the connect session's
     * Dial enforces the real ring timeout), so it gets the announcement interval and a grace on top: a waiting
     * session whose redirect failed dials at its next wake-up, which may be that far away.
     */
    private QueueSpec spec(QueueConfig q) {
        QueueSpec.Builder b = QueueSpec.builder(q.name())
                .defaultPriority(q.priority())
                .serviceLevel(q.serviceLevelPct() / 100.0, q.serviceLevelTime())
                .maxWait(q.maxWait())
                .maxLength(q.maxLength())
                .ringTimeout(q.ringTimeout().plus(config.announceInterval()).plusSeconds(5)
                        .plus(customerFirstReservation()))
                .noAnswerReason("no answer")
                .rejectedReason("no answer")
                .ringNoAnswer(q.ringNoAnswer().orElse(config.ringNoAnswer()))
                .strategy(switch (q.strategy()) {
                    case LONGEST_IDLE -> new Strategy.LongestIdle();
                    case MOST_SKILLED -> new Strategy.MostSkilled();
                    case LEAST_OCCUPIED -> new Strategy.LeastOccupied();
                    case ROUND_ROBIN -> new Strategy.RoundRobin();
                    case PREFERRED_AGENT -> new Strategy.Preferred(Duration.ofSeconds(30), new Strategy.LongestIdle());
                });
        if (q.wrapUp().isZero()) {
            b.wrapUp(Duration.ZERO);
        } else {
            b.wrapUp(q.wrapUp());
        }
        q.skills().forEach(b::require);
        q.escalation().forEach(b::escalate);
        return b.build();
    }

    /**
     * Customer-first callbacks keep the offered agent reserved while the customer's phone rings: the core's safety
     * net must outlast that ring too.
     */
    private Duration customerFirstReservation() {
        var cb = config.callback();
        return cb.mode() == dev.hotline.config.CallbackConfig.Mode.CUSTOMER_FIRST ? cb.customerRing().plusSeconds(5)
                : Duration.ZERO;
    }

    // ------------------------------------------------------------------------------------------ agent operations

    public void login(String agentId) {
        loop.post(new Command.LogIn(agentId));
    }

    public void ready(String agentId) {
        loop.post(new Command.SetReady(agentId));
    }

    public void notReady(String agentId, String reason) {
        loop.post(new Command.SetNotReady(agentId, reason));
    }

    public void logout(String agentId) {
        loop.post(new Command.LogOut(agentId));
    }

    public void endWrapUp(String agentId) {
        loop.post(new Command.EndWrapUp(agentId));
    }

    /** Logs every enabled agent in and makes them ready (the demo's shift start). */
    public void loginAllReady() {
        for (String id : agents.keySet()) {
            if (disabledAgents.contains(id)) {
                continue;
            }
            loop.post(new Command.LogIn(id));
            if (!unavailableByDevice.contains(id)) {
                loop.post(new Command.SetReady(id));
            }
        }
    }

    /** Every agent's current state, as last decided by the routing core. */
    public Map<String, AgentState> agentStates() {
        return Map.copyOf(agentStates);
    }

    public int activeCalls() {
        return calls.size();
    }

    /** The invariants as last checked (every {@link CallWatch#EVERY}); see {@link Invariants}. */
    public Invariants invariants() {
        return watch.last();
    }

    /** Checks the invariants now (a violation counts once two checks in a row see it). */
    public Invariants checkInvariants() {
        return watch.check();
    }

    /** The agents as now defined (disabled ones included, see {@link #disabledAgents()}), by work number. */
    public Map<String, AgentConfig> agents() {
        return java.util.Collections.unmodifiableMap(agents);
    }

    // ------------------------------------------------------------------------------------------ call control

    /** What a supervisor's phone does on an agent's call. */
    public enum SpyMode { LISTEN, WHISPER, BARGE }

    private static final java.util.regex.Pattern TARGET = java.util.regex.Pattern.compile("[0-9A-Za-z_*#+-]{1,40}");

    /** The call {@code agentId} is connected to, if any. */
    private Optional<ActiveCall> callOf(String agentId) {
        return agentStates.get(agentId) instanceof AgentState.OnCall on ? calls.get(on.callId()) : Optional.empty();
    }

    /** The call {@code agentId} is connected to and the AMI connection that owns it; throws naming what is missing. */
    private record Connected(ActiveCall call, AmiConnection server) {
    }

    private Connected connected(String agentId) {
        ActiveCall c = callOf(agentId).orElseThrow(() -> new IllegalStateException("agent " + agentId
                + " is not on a call"));
        AmiConnection server = ami.get(c.server);
        if (server == null) {
            throw new IllegalStateException("no AMI connection for server '" + c.server + "'");
        }
        return new Connected(c, server);
    }

    private static String badTarget(String target) {
        return "transfer target '" + target + "' (expected: queue:NAME, or 1-40 of digits, letters, * # + - _)";
    }

    private static <T> java.util.concurrent.CompletableFuture<T> failed(String message) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(message));
    }

    /**
     * Blind transfer: the caller connected to {@code agentId} is redirected to {@code acd.transfer_context,target,1}
     * (an extension, a number, or anything that context dials); the agent's leg ends and goes to wrap-up.
     */
    public java.util.concurrent.CompletableFuture<Void> transfer(String agentId, String target) {
        if (target != null && target.startsWith("queue:")) {
            return transferToQueue(agentId, target.substring("queue:".length()));
        }
        if (target == null || !TARGET.matcher(target).matches()) {
            return failed(badTarget(target));
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        c.endedBy = "transfer";
        return server.redirect(c.channel, config.transferContext(), target).whenComplete((ok, e) -> {
            if (e == null) {
                emit(new CallEvent.Transferred(c.id, clock.instant(), agentId, target, false));
            } else {
                c.endedBy = null;
            }
        });
    }

    /**
     * Blind transfer to a queue: the caller is redirected into the connect context again; the agent's leg ends
     * (wrap-up) and the next session re-enqueues the call in {@code queueName}, where it waits like a new arrival,
     * keeping its call id and its call record (one record, two queue visits).
     */
    private java.util.concurrent.CompletableFuture<Void> transferToQueue(String agentId, String queueName) {
        QueueConfig q = queues.get(queueName);
        if (q == null) {
            return failed("transfer to unknown queue '" + queueName + "' (expected one of: "
                    + String.join(", ", queues.keySet()) + ")");
        }
        if (disabledQueues.contains(queueName)) {
            return failed("transfer to queue '" + queueName + "', which is disabled");
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        if (!c.transferToQueue()) {   // from now on the ending agent leg does not end the call
            return failed("call " + c.id + " is " + c.phase() + " (expected: connected to agent " + agentId + ")");
        }
        c.requeueTo = q;
        c.endedBy = "transfer";
        return server.redirect(c.channel, config.connectContext(), c.id).whenComplete((ok, e) -> {
            if (e != null) {
                c.requeueTo = null;
                c.endedBy = null;
                c.transferFailed();
            }
        });
    }

    /** The session Asterisk started after a transfer to a queue: the call waits in its new queue. */
    private void requeue(ActiveCall call, AgiSession s) {
        QueueConfig q = call.requeueTo;
        call.requeueTo = null;
        call.offer = null;
        call.answered = false;
        call.answeredAt = null;
        call.endedBy = null;
        call.exit = null;
        call.agentChannel = null;
        call.agentLegClosed.set(false);
        call.queue = q;
        call.joined = clock.instant();
        call.admission = new java.util.concurrent.CompletableFuture<>();
        call.channel = s.environment().channel();
        call.requeued();
        String language = call.data.getOrDefault("language", "");
        loop.post(new Command.Enqueue(new Call(call.id, q.name(), OptionalInt.empty(), List.of(),
                language.isBlank() ? Optional.empty() : Optional.of(language), Optional.empty(), call.data)));
        if (admit(call, s)) {
            serve(call, s, false);
        }
    }

    /**
     * Attended transfer: Asterisk's {@code Atxfer} on the agent's leg puts the caller on hold and dials
     * {@code acd.transfer_context,target,1} for the agent to consult. The returned future completes when Asterisk
     * has started that ("Atxfer successfully queued"); the transfer itself is recorded only when Asterisk reports
     * it done ({@code AttendedTransfer} with {@code Result: Success} for this agent's channel, which happens when
     * the agent hangs up while the target is up). If the target does not answer or hangs up first, the agent is
     * back with the caller and the call simply goes on; nothing is recorded as transferred.
     */
    public java.util.concurrent.CompletableFuture<Void> transferAttended(String agentId, String target) {
        if (target == null || !TARGET.matcher(target).matches()) {
            return failed(badTarget(target));
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        if (c.agentChannel == null) {
            return failed("the agent's channel of call " + c.id + " is not known yet (no DialEnd from AMI)");
        }
        // Registered before the action goes out: AttendedTransfer may be read before the action's response is.
        String agentChannel = c.agentChannel;
        c.attended = new ActiveCall.PendingAttended(agentId, target);
        calls.pendingTransfer(c.server, agentChannel, c);
        return server.atxfer(agentChannel, config.transferContext(), target).whenComplete((ok, e) -> {
            if (e != null) {
                calls.dropPendingTransfer(c.server, agentChannel, c);
                c.attended = null;
            } else {
                log.info("call {}: agent {} is consulting {} (attended transfer pending)", c.id, agentId, target);
            }
        });
    }

    /**
     * Asterisk completed an attended transfer. One Hotline started (matched by the agent's channel, the
     * {@code OrigTransfererChannel}) is recorded: {@code Transferred(attended)}, and the agent's leg ends now
     * ("transfer"), though the caller's Dial goes on with the target. Others (made from a phone's own transfer key)
     * are not Hotline's to record.
     */
    private void attendedTransferred(AmiEvent.AttendedTransfer t) {
        ActiveCall call = calls.takePendingTransfer(t.server(), t.origTransfererChannel())
                .or(() -> calls.takePendingTransfer(t.server(), t.secondTransfererChannel())).orElse(null);
        ActiveCall.PendingAttended p = call == null ? null : call.attended;
        if (p == null) {
            log.debug("AMI {}: attended transfer by {} was not started by Hotline; not recorded", t.server(),
                    t.origTransfererChannel());
            return;
        }
        call.attended = null;
        call.endedBy = "transfer";
        emit(new CallEvent.Transferred(call.id, clock.instant(), p.agentId(), p.target(), true));
        if (call.agentLegClosed.compareAndSet(false, true)) {
            loop.post(new Command.CallEnded(p.agentId()));
            calls.release(p.agentId(), call);
            Duration talk = Duration.between(call.answeredAt == null ? clock.instant() : call.answeredAt,
                    clock.instant());
            emit(new CallEvent.Ended(call.id, clock.instant(), p.agentId(), "transfer", talk));
        }
    }

    /** Ends the call {@code agentId} is on (the agent hung up from the desktop). */
    public java.util.concurrent.CompletableFuture<Void> hangup(String agentId) {
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        c.endedBy = "agent";
        return server.hangup(c.channel);
    }

    /**
     * Listen, whisper or barge: originates {@code supervisorEndpoint} into {@code acd.spy_context,<mode>,1} with
     * {@code SPY_TARGET} set to the agent's endpoint, where the dialplan runs {@code ChanSpy}. The audit of who
     * listened to whom is the caller's (the gateway's) job.
     */
    public java.util.concurrent.CompletableFuture<AmiEvent.OriginateResult> spy(String supervisorEndpoint,
                                                                                String agentId, SpyMode mode) {
        AgentConfig agent = agents.get(agentId);
        if (agent == null || agent.endpoints().isEmpty()) {
            return failed("unknown agent " + agentId);
        }
        if (supervisorEndpoint == null || !AgentConfig.ENDPOINT.matcher(supervisorEndpoint).matches()) {
            return failed("supervisor endpoint '" + supervisorEndpoint + "' (expected: e.g. PJSIP/2001)");
        }
        String server = callOf(agentId).map(c -> c.server)
                .orElse(ami.isEmpty() ? "" : ami.keySet().iterator().next());
        AmiConnection connection = ami.get(server);
        if (connection == null) {
            return failed("no AMI connection for server '" + server + "'");
        }
        return connection.originate(supervisorEndpoint, config.spyContext(),
                mode.name().toLowerCase(java.util.Locale.ROOT), Duration.ofSeconds(30), "Hotline supervisor",
                Map.of("SPY_TARGET", agent.endpoints().get(0)));
    }

    /**
     * The call {@code agentId} is connected to, for acting on its recording: the call's id and current queue, the
     * caller's channel (where MixMonitor runs) and the AMI connection that owns it.
     */
    public record LiveCall(String callId, String queue, String channel, AmiConnection ami) {
    }

    /** The call {@code agentId} is connected to now, if any (see {@link LiveCall}). */
    public Optional<LiveCall> liveCall(String agentId) {
        return callOf(agentId).flatMap(c -> Optional.ofNullable(ami.get(c.server))
                .map(server -> new LiveCall(c.id, c.queue.name(), c.channel, server)));
    }

    /** Decides, when an agent is dialled, whether the call is recorded and into which file (the QA service's). */
    public void recordingHook(dev.hotline.qa.RecordingHook hook) {
        this.recordingHook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** The agent's disposition code and notes for their last call; false if they have had no call yet. */
    public boolean disposition(String agentId, String code, String notes) {
        CallRecorder r = recorder;
        return r != null && r.disposition(agentId, code, notes);
    }

    // ------------------------------------------------------------------------------------------ decisions (loop)

    private void onDecisions(List<Decision> decisions) {
        for (Decision d : decisions) {
            dev.hotline.outbound.Outbound ob = outbound;
            if (ob != null && ob.claims(d)) {
                continue;
            }
            switch (d) {
                case Decision.Offer o -> offer(o);
                case Decision.AgentStateChanged c -> {
                    agentStates.put(c.change().agentId(), c.change().to());
                    tell(agentListeners, c.change(), java.util.function.Consumer::accept, "agent");
                }
                case Decision.CallQueued q -> calls.get(q.callId()).ifPresent(call -> admitted(call, q));
                case Decision.QueueFull f -> calls.get(f.callId()).ifPresent(call -> call.admission.complete(f));
                case Decision.CallAnswered a -> {
                    // Not looked up in the registry: a call whose Dial returned at once may have ended already.
                    if (!ownedByCallbacks(a.callId())) {
                        emit(new CallEvent.Answered(a.callId(), clock.instant(), a.queue(), a.agentId(), a.waited()));
                    }
                }
                case Decision.MaxWaitReached m -> exit(m.callId(), m);
                case Decision.ExitedQueue x -> exit(x.callId(), x);
                case Decision.CallLeft left when ownedByCallbacks(left.callId()) -> callbacks.lostFromCore(left.callId());
                case Decision.CommandRejected r when r.command() instanceof Command.Enqueue e && e.callback()
                        && ownedByCallbacks(e.call().id()) -> callbacks.enqueueRefused(e.call().id(), r.reason());
                case Decision.CommandRejected r when r.command() instanceof Command.Enqueue e
                        && calls.get(e.call().id()).orElse(null) instanceof ActiveCall call -> {
                    log.warn("ACD: routing core refused {}: {}", r.command(), r.reason());
                    call.admission.complete(r);   // e.g. the queue was disabled meanwhile: the caller gets its treatment
                }
                case Decision.CommandRejected r -> log.warn("ACD: routing core refused {}: {}", r.command(), r.reason());
                case Decision.CallReprioritised r -> routed(r);
                case Decision.ProfileChanged r -> routed(r);
                default -> { }
            }
        }
    }

    private void routed(Decision d) {
        tell(routingListeners, d, java.util.function.Consumer::accept, "routing");
    }

    private boolean ownedByCallbacks(String callId) {
        dev.hotline.callbacks.Callbacks cb = callbacks;
        return cb != null && cb.owns(callId);
    }

    private void exit(String callId, Decision d) {
        if (ownedByCallbacks(callId)) {
            callbacks.lostFromCore(callId);
            return;
        }
        calls.get(callId).ifPresent(call -> call.exit = d);
    }

    /**
     * On the loop: the core took the call in (queued, or offered at once). {@code Queued} is emitted here, on the
     * loop, so that listeners always see it before the {@code Offered} that may follow in the same batch.
     */
    private void admitted(ActiveCall call, Decision d) {
        if (call.admission.complete(d)) {
            emit(new CallEvent.Queued(call.id, clock.instant(), call.queue.name(), call.caller, call.uniqueId,
                    call.channel, call.data));
        }
    }

    /** On the loop: hand the offer to the waiting session, through an AMI redirect if it is blocked in a wait. */
    private void offer(Decision.Offer o) {
        if (ownedByCallbacks(o.callId())) {
            callbacks.offered(o);
            return;
        }
        ActiveCall call = calls.get(o.callId()).orElse(null);
        if (call == null) {
            // The call ended meanwhile (its end posted Leave, which the core applies after this offer): the agent is
            // freed by that Leave, so nothing rings for a call Hotline no longer holds.
            log.info("ACD: offer of ended call {} to agent {} dropped", o.callId(), o.agentId());
            return;
        }
        call.offeredAt = clock.instant();
        admitted(call, o);   // an agent was free at once: the core offers without queueing
        call.offer = o;
        calls.assign(o.agentId(), call);
        emit(new CallEvent.Offered(o.callId(), clock.instant(), o.queue(), o.agentId(), o.explanation().toString()));
        // A session waiting, or playing an announcement, is interrupted by the redirect: both return -1 at once.
        if (call.redirect()) {
            AmiConnection server = ami.get(call.server);
            if (server == null) {
                redirectFailed(call, "no AMI connection configured for server '" + call.server + "'");
                return;
            }
            redirects.increment();
            server.redirect(call.channel, config.connectContext(), call.id).whenComplete((ok, error) -> {
                if (error != null) {
                    redirectFailed(call, error.getMessage());
                }
            });
        } else {
            call.offered();
        }
    }

    private void redirectFailed(ActiveCall call, String reason) {
        redirectFailures.increment();
        if (call.redirectFailed()) {
            call.wake();   // the session dials by itself, now rather than when its wait ends
        }
        log.warn("ACD call {}: redirect failed ({}); the waiting session will dial at its next wake-up", call.id,
                reason);
        emit(new CallEvent.RedirectFailed(call.id, clock.instant(), reason));
    }

    // ------------------------------------------------------------------------------------------ AMI events

    /** Called on asterisk-java's thread: translate and hand over, never block. */
    public void onAmiEvent(AmiEvent event) {
        switch (event) {
            case AmiEvent.DialEnded d when "ANSWER".equalsIgnoreCase(d.status()) -> {
                // An Originate's DialEnd has no calling channel (no uniqueid): not a queued caller's Dial.
                ActiveCall call = calls.byUniqueId(d.server(), d.uniqueId()).orElse(null);
                if (call != null) {
                    call.agentChannel = d.destChannel();
                    answered(call);
                }
                dev.hotline.callbacks.Callbacks cb = callbacks;
                if (call == null && cb != null && d.uniqueId() != null) {
                    cb.dialAnswered(d.uniqueId());   // customer-first: the reserved agent answered the customer
                }
            }
            case AmiEvent.AttendedTransfer t when t.succeeded() -> attendedTransferred(t);
            case AmiEvent.ChannelHungUp h -> {
                // The agent's leg is gone: an attended transfer not reported done by now did not happen.
                calls.takePendingTransfer(h.server(), h.channel()).ifPresent(c -> {
                    ActiveCall.PendingAttended p = c.attended;
                    c.attended = null;
                    if (p != null) {
                        log.info("call {}: agent {} hung up without the attended transfer to {} completing", c.id,
                                p.agentId(), p.target());
                    }
                });
                callerHungUp(h);
            }
            case AmiEvent.DeviceStateChanged c -> device(c.device(), c.state().reachable());
            case AmiEvent.ConnectionChanged c -> connectionChanged(c);
            case AmiEvent.ChannelSnapshot snapshot -> reconcile(snapshot);
            case AmiEvent.DeviceSnapshot s -> {
                for (String endpoint : agentsByEndpoint.keySet()) {
                    dev.hotline.ami.DeviceState state = s.devices().get(endpoint);
                    if (state != null) {
                        device(endpoint, state.reachable());
                    }
                }
            }
            default -> { }
        }
    }

    /**
     * AMI to a server went down or came back: every session of a call on it waiting now looks again at once (while AMI
     * is down its waits are cut to {@link #AMI_DOWN_SLICE}, and an agent reserved meanwhile is dialled from the
     * session since no redirect can reach it).
     */
    private void connectionChanged(AmiEvent.ConnectionChanged c) {
        for (ActiveCall call : calls.all()) {
            if (call.server.equals(c.server())) {
                call.wake();
            }
        }
    }

    /**
     * Asterisk listed its channels (after a (re)connect, or a restart): every call on that server whose caller channel
     * is not among them — and that existed when the list was asked for — ends now. One still waiting or ringing is
     * abandoned (the agent reserved for it is released, back to ready); a connected one ends ("system") and its agent
     * goes to wrap-up. Calls whose channels exist go on as they were.
     */
    private void reconcile(AmiEvent.ChannelSnapshot snapshot) {
        List<String> gone = new ArrayList<>();
        for (ActiveCall call : calls.all()) {
            if (!call.server.equals(snapshot.server()) || call.createdNanos - snapshot.requestedNanos() > 0
                    || snapshot.has(call.uniqueId, call.channel)) {
                continue;
            }
            endAbruptly(call, "channel gone from Asterisk");
            gone.add(call.id);
        }
        if (gone.isEmpty()) {
            log.info("AMI {}: {} calls held, every channel present ({})", snapshot.server(), calls.size(),
                    snapshot.why());
        } else {
            log.warn("AMI {}: {} calls ended, their channels gone from Asterisk ({}): {}", snapshot.server(),
                    gone.size(), snapshot.why(), gone);
        }
    }

    /**
     * Ends a call no session will finish (its caller channel is gone from Asterisk, the engine stops), with what
     * happened on its record: abandoned if no agent had answered, else ended by "system".
     */
    private void endAbruptly(ActiveCall call, String reason) {
        Decision.Offer offer = call.offer;
        if (call.answered && offer != null) {
            if (call.agentLegClosed.compareAndSet(false, true)) {
                loop.post(new Command.CallEnded(offer.agentId()));
                Instant at = clock.instant();
                emit(new CallEvent.Ended(call.id, at, offer.agentId(), "system",
                        Duration.between(call.answeredAt == null ? at : call.answeredAt, at)));
            }
            call.done = true;
        } else {
            abandon(call, reason);
        }
        calls.end(call, reason);
        call.wake();
    }

    /**
     * A caller's channel hung up while no session held the call (a redirect was carrying it to the connect
     * context): no session will see the hang-up, so the call is abandoned and ended here.
     */
    private void callerHungUp(AmiEvent.ChannelHungUp h) {
        calls.byUniqueId(h.server(), h.uniqueId()).ifPresent(call -> {
            if (call.betweenSessions() && !call.hasSession() && call.requeueTo == null && !call.answered) {
                abandon(call, "caller hung up while being redirected");
                calls.end(call, "caller hung up while being redirected");
            }
        });
    }

    /**
     * An agent's phone became unreachable (unregistered) or reachable again. Unreachable: the agent is made not
     * ready with reason "phone unavailable" so no call is sent where it cannot ring; reachable again: an agent
     * Hotline made not ready for that reason is made ready.
     */
    private void device(String endpoint, boolean reachable) {
        for (String agentId : agentsByEndpoint.getOrDefault(endpoint, List.of())) {
            if (!reachable && unavailableByDevice.add(agentId)) {
                AgentState s = agentStates.get(agentId);
                if (s instanceof AgentState.Ready) {
                    loop.post(new Command.SetNotReady(agentId, "phone unavailable"));
                }
            } else if (reachable && unavailableByDevice.remove(agentId)) {
                AgentState s = agentStates.get(agentId);
                if (s instanceof AgentState.NotReady nr && nr.reason().equals("phone unavailable")) {
                    loop.post(new Command.SetReady(agentId));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ IVR outcome

    @Override
    public void handle(IvrCallResult result, AgiSession session) throws Exception {
        if (result.outcome() instanceof IvrOutcome.Queue q) {
            QueueConfig queue = queues.get(q.queue());
            if (queue == null) {
                log.warn("call {}: IVR chose unknown queue '{}'; back to the dialplan", result.uniqueId(), q.queue());
                session.setVariable("HOTLINE_ERROR", "unknown queue " + AgiCommand.sanitize(q.queue()));
                recordIvrOnly(result, session);
                return;
            }
            Map<String, String> data = new LinkedHashMap<>(result.vars());
            data.putAll(q.data());   // what the queue node hands the agent (screen pop)
            data.put("ivr_path", String.join(",", result.path().nodes()));
            if (result.language() != null && !result.language().isBlank()) {
                data.putIfAbsent("language", result.language());
            }
            join(session, queue, q.skills(), q.priority(), result.language(), data, result);
            return;
        }
        recordIvrOnly(result, session);
        if (result.outcome() instanceof IvrOutcome.Hangup h && h.cause() == IvrOutcome.Hangup.Cause.SCRIPT) {
            if (!session.isHungUp()) {
                session.hangup();
            }
        } else if (!session.isHungUp()) {
            IvrOutcomeHandler.CHANNEL_VARIABLES.handle(result, session);
        }
    }

    private void recordIvrOnly(IvrCallResult result, AgiSession session) {
        CallRecorder r = recorder;
        if (r != null) {
            var env = session.environment();
            r.ivrFinished(serverOf(session), callIdOf(session), result, env.dnid().orElse(env.extension()), false);
        }
    }

    private String serverOf(AgiSession session) {
        return session.environment().query().getOrDefault("server",
                ami.isEmpty() ? "local" : ami.keySet().iterator().next());
    }

    /**
     * The call's id: Asterisk's linkedid (all channels of one call share it), else the uniqueid. Asked even after the
     * caller hung up (a variable command still runs then), so a call that ends in the IVR is recorded under the same
     * id as one that reaches a queue.
     */
    static String callIdOf(AgiSession session) {
        String unique = session.environment().uniqueId();
        try {
            String linked = session.getFullVariable("${CHANNEL(linkedid)}").orElse(unique);
            return linked.isBlank() ? unique : linked;
        } catch (dev.hotline.agi.AgiException e) {
            return unique;
        }
    }

    /** Joins {@code queue} and serves the call until it is connected, abandoned or leaves the queue. */
    public void join(AgiSession session, QueueConfig queue, Map<String, Integer> skills, OptionalInt priority,
                     String language, Map<String, String> data) {
        join(session, queue, skills, priority, language, data, null);
    }

    private void join(AgiSession session, QueueConfig queue, Map<String, Integer> skills, OptionalInt priority,
                      String language, Map<String, String> data, IvrCallResult ivr) {
        var env = session.environment();
        String server = serverOf(session);
        String id = callIdOf(session);
        ActiveCall call = new ActiveCall(id, server, env.uniqueId(), env.channel(), env.callerId().orElse(""), queue,
                clock.instant(), data);
        if (!calls.add(call)) {
            log.warn("call {}: already in a queue (channel {}); this second join is refused", id, env.channel());
            session.setVariable("HOTLINE_ERROR", "call " + AgiCommand.sanitize(id) + " is already in a queue");
            return;
        }
        call.attach(session);
        CallRecorder r = recorder;
        if (r != null && ivr != null) {
            r.ivrFinished(server, id, ivr, env.dnid().orElse(env.extension()), true);
        }
        try {
            Call c = new Call(id, queue.name(), priority, skills.entrySet().stream()
                    .map(e -> new dev.hotline.routing.SkillRequirement(e.getKey(), e.getValue())).toList(),
                    language == null || language.isBlank() ? Optional.empty() : Optional.of(language),
                    Optional.empty(), data);
            loop.post(new Command.Enqueue(c));
            if (admit(call, session)) {
                serve(call, session, false);
            }
        } finally {
            sessionEnded(call, session);
        }
    }

    /**
     * Waits for the routing core's answer to the call's {@code Enqueue}: true when it was taken in; false when it
     * was refused (a full or disabled queue: the caller got the queue's timeout treatment) or no answer came.
     */
    private boolean admit(ActiveCall call, AgiSession session) {
        QueueConfig queue = call.queue;
        try {
            Decision admitted = call.admission.get(5, TimeUnit.SECONDS);
            if (admitted instanceof Decision.QueueFull || admitted instanceof Decision.CommandRejected) {
                String why = admitted instanceof Decision.QueueFull full ? "queue full"
                        : "queue disabled";
                log.info("call {}: queue {} refused the call ({})", call.id, queue.name(),
                        admitted instanceof Decision.CommandRejected refused ? refused.reason() : why);
                emit(new CallEvent.ExitedQueue(call.id, clock.instant(), queue.name(), why,
                        queue.onTimeout().toString(), Duration.ZERO));
                call.done = true;   // never in routing: nothing to leave
                treatment(session, queue.onTimeout(), call);
                return false;
            }
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.error("call {}: the routing core did not admit the call ({}); back to the dialplan", call.id,
                    e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A session of {@code call} is over. Unless a redirect is carrying the call to its next session, the call ends
     * here: one whose outcome was not decided (the session failed, the core never answered) leaves routing and is
     * recorded as abandoned, so nothing stays behind in the core, the registry or the records.
     */
    private void sessionEnded(ActiveCall call, AgiSession session) {
        call.detach(session);
        if (call.betweenSessions()) {
            return;
        }
        if (!call.done && !call.answered) {
            abandon(call, session.isHungUp() ? "caller hung up" : "session ended");
        }
        calls.end(call, call.done ? "finished" : "session ended");
    }

    /** {@code agi://hotline/connect?call=ID}: the session Asterisk starts after the redirect. */
    public AgiScript connectScript() {
        return session -> {
            String id = session.environment().query().get("call");
            if (id == null || id.isBlank() || id.equals("null")) {
                id = session.environment().extension();
            }
            ActiveCall call = calls.get(id).orElse(null);
            if (call == null) {
                log.warn("connect: unknown call '{}' (channel {}, script {}); back to the dialplan", id,
                        session.environment().channel(), session.environment().script());
                session.setVariable("HOTLINE_ERROR", "unknown call " + AgiCommand.sanitize(id));
                return;
            }
            call.attach(session);
            try {
                if (call.requeueTo != null) {
                    requeue(call, session);
                    return;
                }
                call.channel = session.environment().channel();
                if (!call.landed() && call.phase() != CallPhase.OFFERED) {
                    log.warn("connect: call {} is {} (expected: redirecting to an agent); back to the dialplan", id,
                            call.phase());
                    session.setVariable("HOTLINE_ERROR", "call " + AgiCommand.sanitize(id) + " is not offered");
                    return;
                }
                serve(call, session, true);
            } finally {
                sessionEnded(call, session);
            }
        };
    }

    // ------------------------------------------------------------------------------------------ a call's session

    private void serve(ActiveCall call, AgiSession s, boolean connectSession) {
        call.attach(s);
        Instant lastAnnouncement = clock.instant();
        Instant lastPeriodic = clock.instant();
        boolean music = false;
        boolean offerPending = !connectSession && call.queue.callbackOffer().isPresent();
        try {
            while (true) {
                if (call.phase() == CallPhase.ENDED) {
                    return;   // ended elsewhere (its channel is gone from Asterisk): nothing left to serve
                }
                Decision.Offer offer = call.offer;
                if (offer != null && call.dial()) {
                    music = false;
                    if (dial(call, offer, s)) {
                        return;
                    }
                    continue;
                }
                if (call.phase() == CallPhase.REDIRECTING) {
                    // The loop is redirecting this session: wait for it to land (the channel leaves), or to fail.
                    if (s.waitForDigitOrRedirect(REDIRECT_WAIT) instanceof WaitResult.Left) {
                        return;   // redirected: end this session at once so Asterisk starts the connect session
                    }
                    continue;
                }
                Decision exit = call.exit;
                if (exit != null) {
                    leaveForTreatment(call, s, exit);
                    return;
                }
                if (offerPending && call.announce()) {
                    // On joining: a long estimated wait offers a callback before the music starts.
                    offerPending = false;
                    char pressed = offerCallback(call, s);
                    music = false;
                    if (!call.announced()) {
                        continue;   // an offer came meanwhile
                    }
                    if (pressed != 0 && call.offer == null && requestCallback(call, s)) {
                        return;
                    }
                    continue;
                }
                if (!music) {
                    s.musicOn(config.mohClass());
                    music = true;
                }
                Duration slice = nextWake(call, lastAnnouncement);
                var experience = config.experience();
                if (!experience.periodicPrompt().isEmpty()) {
                    Duration untilPeriodic = Duration.between(clock.instant(),
                            lastPeriodic.plus(experience.periodicInterval()));
                    if (untilPeriodic.compareTo(slice) < 0) {
                        slice = untilPeriodic.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                                : untilPeriodic;
                    }
                }
                if (!call.hold()) {
                    continue;   // an offer arrived just now
                }
                WaitResult r = s.waitForDigitOrRedirect(slice);
                if (r instanceof WaitResult.Left) {
                    if (call.betweenSessions()) {
                        return;   // redirected: end this session at once so Asterisk starts the connect session
                    }
                    abandon(call, "caller hung up");
                    return;
                }
                if (!call.unhold()) {
                    continue;   // an offer came while waiting (the redirect failed, or is under way)
                }
                if (r instanceof WaitResult.Digit d) {
                    char key = d.key();
                    QueueTarget target = call.queue.exitKeys().get(key);
                    if (call.queue.isCallbackKey(key)) {
                        music = false;
                        if (requestCallback(call, s)) {
                            return;
                        }
                        continue;
                    }
                    if (target != null) {
                        loop.post(new Command.Leave(call.id, "exit key " + key));
                        emit(new CallEvent.ExitedQueue(call.id, clock.instant(), call.queue.name(),
                                "exit key " + key, target.toString(), Duration.between(call.joined,
                                        clock.instant())));
                        call.done = true;
                        treatment(s, target, call);
                        return;
                    }
                    continue;
                }
                boolean periodicDue = !experience.periodicPrompt().isEmpty()
                        && !clock.instant().isBefore(lastPeriodic.plus(experience.periodicInterval()));
                boolean announceDue = !config.announceInterval().isZero()
                        && !clock.instant().isBefore(lastAnnouncement.plus(config.announceInterval()));
                if ((announceDue || periodicDue) && call.announce()) {
                    if (periodicDue) {
                        playPeriodic(call, s, experience.periodicPrompt());
                        lastPeriodic = clock.instant();
                    }
                    char pressed = 0;
                    if (announceDue) {
                        announce(call, s);
                        pressed = offerCallback(call, s);
                        lastAnnouncement = clock.instant();
                    }
                    music = false;
                    if (call.announced() && pressed != 0 && call.offer == null && requestCallback(call, s)) {
                        return;
                    }
                }
            }
        } catch (AgiHangupException e) {
            if (call.betweenSessions()) {
                return;
            }
            abandon(call, "caller hung up");
        }
    }

    /**
     * The caller pressed the callback key: confirm their number (caller id: 1 to confirm, 2 to enter another) or
     * enter one, store the callback, and turn the waiting call into it — same call id, same place in the queue.
     * Returns true when the caller was told and hung up; false when they stay waiting (no number, storage failed,
     * or an agent was assigned meanwhile: then the offer is dialled as usual).
     */
    private boolean requestCallback(ActiveCall call, AgiSession s) {
        dev.hotline.callbacks.Callbacks service = callbacks;
        s.musicOff();
        if (service == null) {
            log.warn("call {}: callback key pressed but callbacks are not enabled in this engine", call.id);
            s.streamFile("hotline/callback-unavailable", "");
            return false;
        }
        String number = call.caller.replaceAll("[^0-9+]", "");
        boolean confirmed = false;
        if (number.length() >= 2) {
            s.streamFile("hotline/callback-your-number", "");
            s.sayDigits(number, "");
            confirmed = "1".equals(s.getData("hotline/callback-confirm", Duration.ofSeconds(5), 1).digits());
        }
        if (!confirmed) {
            number = s.getData("hotline/callback-enter-number", Duration.ofSeconds(10), 20).digits()
                    .replaceAll("[^0-9]", "");
        }
        if (number.length() < 2) {
            s.streamFile("hotline/callback-no-number", "");
            return false;
        }
        String nameFile = recordName(call, s, service.config());
        dev.hotline.callbacks.Callback stored;
        try {
            stored = service.requestQueued(call.id, call.queue.name(), number, "", call.joined, nameFile);
        } catch (java.sql.SQLException | RuntimeException e) {
            log.error("call {}: could not store the callback to {} ({}); the caller keeps waiting", call.id, number,
                    e.toString());
            s.streamFile("hotline/callback-unavailable", "");
            return false;
        }
        enum Conversion { KEPT_WAITING, IN_CORE, LEFT_CORE }
        Conversion converted;
        try {
            // On the loop, so that no offer (and no max wait or escalation exit) can slip between the check and the
            // switch. The core may have dropped the call while the caller confirmed their number (max wait, an
            // escalation exit): the callback then starts outside the core, and its timer puts it back in routing
            // with the call's original time.
            converted = loop.ask(core -> {
                if (call.offer != null) {
                    return Conversion.KEPT_WAITING;
                }
                boolean held = core.queueOf(call.id).isPresent();
                service.adopt(stored, held);
                return held ? Conversion.IN_CORE : Conversion.LEFT_CORE;
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            converted = Conversion.KEPT_WAITING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            converted = Conversion.KEPT_WAITING;
        }
        if (converted == Conversion.KEPT_WAITING) {
            service.withdraw(stored, "agent assigned while confirming");
            return false;
        }
        if (converted == Conversion.IN_CORE) {
            // Should the core drop it before this arrives, the exit is reported to the callbacks (they own the id
            // now), which put it back: the refusal of this command is then harmless.
            loop.post(new Command.KeepAsCallback(call.id));
        } else {
            log.info("call {}: the queue's wait ended while the caller confirmed their callback ({}); the callback"
                    + " re-enters routing with its original place", call.id, call.exit);
        }
        call.done = true;
        emit(new CallEvent.CallbackRequested(call.id, clock.instant(), call.queue.name(), number,
                Duration.between(call.joined, clock.instant())));
        try {
            s.streamFile("hotline/callback-confirmed", "");
            s.hangup();
        } catch (AgiHangupException e) {
            // hung up already: the callback stands
        }
        return true;
    }

    /**
     * The queue's {@code callback_offer}: if the caller's estimated wait is above its threshold (or no agent is
     * staffed, so the wait has no end in sight) the offer prompt plays, interruptible by the offer key. Returns the
     * key if the caller pressed it (during the prompt or within 3 s after), else 0. Never offered to a callback's
     * own session or once callbacks are not running.
     */
    private char offerCallback(ActiveCall call, AgiSession s) {
        QueueConfig.CallbackOffer offer = call.queue.callbackOffer().orElse(null);
        if (offer == null || callbacks == null || call.offer != null) {
            return 0;
        }
        try {
            Optional<Optional<Duration>> ewt = loop.ask(core -> core.position(call.id).isPresent()
                    ? Optional.of(core.estimatedWait(call.id)) : Optional.<Optional<Duration>>empty())
                    .get(500, TimeUnit.MILLISECONDS);
            if (ewt.isEmpty()) {
                return 0;   // ringing an agent already, or gone
            }
            boolean longWait = ewt.get().map(d -> d.compareTo(offer.afterEwt()) > 0).orElse(true);
            if (!longWait) {
                return 0;
            }
            s.musicOff();
            callbackOffers.increment();
            log.debug("call {}: callback offered (estimated wait {})", call.id,
                    ewt.get().map(Duration::toString).orElse("unknown"));
            String key = String.valueOf(offer.key());
            dev.hotline.agi.Playback p = s.streamFile(offer.prompt(), key);
            if (p.digit().isPresent()) {
                return p.digit().get();
            }
            dev.hotline.agi.DigitInput more = s.getData("silence/1", Duration.ofSeconds(3), 1);
            return more.digits().equals(key) ? offer.key() : 0;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("call {}: no callback offer ({})", call.id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: callback offer failed: {}", call.id, e.getMessage());
        }
        return 0;
    }

    /**
     * {@code acd.callback.record_name}: the caller says their name after a beep ({@code RECORD FILE}, up to the
     * configured length, {@code #} or 2 s of silence ends it), played to the agent before the customer is dialled.
     * Returns the file (no extension), or "" when not asked, nothing was recorded or recording failed.
     */
    private String recordName(ActiveCall call, AgiSession s, dev.hotline.config.CallbackConfig cb) {
        if (!cb.recordsName()) {
            return "";
        }
        String file = cb.nameFile(call.id);
        try {
            s.streamFile("hotline/callback-say-name", "");
            dev.hotline.agi.Recording r = s.recordFile(file, "wav", "#", cb.recordName(), Duration.ofSeconds(2),
                    true);
            if (r.endReason() == dev.hotline.agi.Recording.EndReason.HANGUP || r.endpos() <= 0) {
                return "";
            }
            return file;
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: recording the caller's name to {} failed: {}", call.id, file, e.getMessage());
            return "";
        }
    }

    /** When the waiting session must wake next: announcement, max wait, an escalation exit, or 1 s if AMI is down. */
    private Duration nextWake(ActiveCall call, Instant lastAnnouncement) {
        Instant now = clock.instant();
        Instant wake = now.plus(Duration.ofMinutes(10));
        if (!config.announceInterval().isZero()) {
            wake = min(wake, lastAnnouncement.plus(config.announceInterval()));
        }
        wake = min(wake, call.joined.plus(call.queue.maxWait()).plusMillis(100));
        for (EscalationStep step : call.queue.escalation()) {
            if (step instanceof EscalationStep.Exit x) {
                wake = min(wake, call.joined.plus(x.after()).plusMillis(100));
            }
        }
        AmiConnection server = ami.get(call.server);
        if (server == null || !server.isUp()) {
            wake = min(wake, now.plus(AMI_DOWN_SLICE));
        }
        Duration d = Duration.between(now, wake);
        return d.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : d;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void playPeriodic(ActiveCall call, AgiSession s, String prompt) {
        String lang = call.data.getOrDefault("language", "");
        String file = prompt.contains("/") || lang.isBlank() ? prompt : lang + "/" + prompt;
        try {
            s.streamFile(file, "");
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: periodic message {} failed: {}", call.id, file, e.getMessage());
        }
    }

    private void announce(ActiveCall call, AgiSession s) {
        try {
            OptionalInt position = loop.ask(core -> core.position(call.id)).get(500, TimeUnit.MILLISECONDS);
            Optional<Duration> ewt = loop.ask(core -> core.estimatedWait(call.id)).get(500, TimeUnit.MILLISECONDS);
            if (position.isPresent()) {
                if (position.getAsInt() == 1) {
                    s.streamFile("queue-youarenext", "");
                } else {
                    s.streamFile("queue-thereare", "");
                    s.sayNumber(position.getAsInt() - 1L, "");
                    s.streamFile("queue-callswaiting", "");
                }
            }
            if (ewt.isPresent() && ewt.get().toMinutes() >= 1) {
                s.streamFile("queue-holdtime", "");
                s.sayNumber(ewt.get().toMinutes(), "");
                s.streamFile("queue-minutes", "");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("call {}: no announcement ({})", call.id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: announcement failed: {}", call.id, e.getMessage());
        }
    }

    /**
     * Records the call into {@code file} (as {@link #recordingHook} chose it): MixMonitor on the caller's channel with
     * option {@code b}, so only the bridged conversation is recorded (not the ring), under Asterisk's monitor folder.
     * A refusal is logged and the call goes on unrecorded: a recording never costs a call.
     */
    private void startRecording(ActiveCall call, String file, AgiSession s) {
        try {
            int result = s.exec("MixMonitor", file + ",b", Duration.ofSeconds(5));
            if (result != 0) {
                throw new dev.hotline.agi.AgiCommandException("EXEC MixMonitor returned " + result);
            }
            CallRecorder r = recorder;
            if (r != null) {
                r.recording(call.id, file);
            }
        } catch (dev.hotline.agi.AgiCommandException | dev.hotline.agi.AgiTimeoutException e) {
            recordingFailures.increment();
            recordingHook.failed(call.id, file, e.getMessage());
            log.warn("call {}: recording to {} could not start ({}); the call goes on unrecorded", call.id, file,
                    e.getMessage());
        }
    }

    /**
     * Rings the offered agent from this session. Returns true when the call is finished (connected and ended, or
     * the caller hung up); false when the agent did not answer and the call is back in the queue.
     */
    private boolean dial(ActiveCall call, Decision.Offer offer, AgiSession s) {
        AgentConfig agent = agents.get(offer.agentId());
        String endpoint = agent == null || agent.endpoints().isEmpty() ? null : agent.endpoints().get(0);
        if (endpoint == null) {
            log.error("call {}: offered agent {} has no endpoint", call.id, offer.agentId());
            retryAfterNoAnswer(call, offer, "no endpoint");
            return false;
        }
        long ringSeconds = Math.max(1, call.queue.ringTimeout().toSeconds());
        // 'g': when the agent hangs up, Dial returns and the caller's channel stays up (who hung up first is then
        // known, and the caller can be sent on, e.g. to a survey); without it Asterisk hangs the caller up too.
        String options = config.dialOptions().contains("g") ? config.dialOptions() : "g" + config.dialOptions();
        String args = endpoint + "," + ringSeconds + "," + options;
        Instant offeredAt = call.offeredAt;
        dispatch.record(Duration.between(offeredAt == null ? clock.instant() : offeredAt, clock.instant()));
        boolean callerGone = false;
        try {
            // Whether and where to record: the queue's recording policy (qa), or its record flag by default.
            recordingHook.recordingFor(call.queue.name(), call.queue.record(), call.server, call.id,
                    offer.agentId(), clock.instant()).ifPresent(file -> startRecording(call, file, s));
            s.exec("Dial", args, Duration.ofHours(12));
        } catch (AgiHangupException e) {
            callerGone = true;
        }
        String status;
        try {
            status = s.getVariable("DIALSTATUS").orElse("");
            // For the dialplan and CDRs after this call; set after Dial so nothing delays the ring.
            s.setVariable("HOTLINE_CALL_ID", call.id);
            s.setVariable("HOTLINE_AGENT", offer.agentId());
            s.setVariable("HOTLINE_QUEUE", offer.queue());
        } catch (AgiHangupException e) {
            // The connection itself is gone (engine stopping, Asterisk lost): judge by what AMI told us.
            status = call.answered ? "ANSWER" : "";
            callerGone = true;
        }
        if ("ANSWER".equalsIgnoreCase(status)) {
            answered(call);
            calls.release(offer.agentId(), call);
            if (!call.agentLegClosed.compareAndSet(false, true)) {
                // An attended transfer already ended the agent's leg; Dial returned when the target hung up.
                call.done = true;
                return true;
            }
            loop.post(new Command.CallEnded(offer.agentId()));
            Duration talk = Duration.between(call.answeredAt == null ? clock.instant() : call.answeredAt,
                    clock.instant());
            if (call.requeueTo != null) {
                // Transferred to a queue: the agent's leg is over, the call goes on in the next session.
                emit(new CallEvent.Transferred(call.id, clock.instant(), offer.agentId(),
                        "queue:" + call.requeueTo.name(), false));
                emit(new CallEvent.Ended(call.id, clock.instant(), offer.agentId(), "transfer", talk));
                return true;
            }
            String first = call.endedBy != null ? call.endedBy : callerGone ? "caller" : "agent";
            emit(new CallEvent.Ended(call.id, clock.instant(), offer.agentId(), first, talk));
            call.done = true;
            if (!callerGone && !s.isHungUp() && call.endedBy == null) {
                survey(call, s);
                if (!s.isHungUp()) {
                    s.hangup();
                }
            }
            return true;
        }
        if (callerGone) {
            abandon(call, "caller hung up while the agent's phone rang");
            return true;
        }
        emit(new CallEvent.OfferFailed(call.id, clock.instant(), offer.agentId(), status));
        retryAfterNoAnswer(call, offer, switch (status.toUpperCase(java.util.Locale.ROOT)) {
            case "BUSY" -> "busy";
            case "CHANUNAVAIL", "CONGESTION" -> "phone unavailable";
            default -> "no answer";
        });
        return false;
    }

    /** Runs the after-call survey on the caller's session, if one is configured and published. */
    private void survey(ActiveCall call, AgiSession s) {
        String script = config.experience().surveyScript();
        var catalog = surveyCatalog;
        var interpreter = surveyInterpreter;
        if (script.isEmpty() || catalog == null || interpreter == null) {
            return;
        }
        if (catalog.get().script(script).isEmpty()) {
            log.warn("call {}: survey script '{}' is not published; no survey", call.id, script);
            return;
        }
        IvrCallResult result = interpreter.run(catalog.get(), script, s);
        CallRecorder r = recorder;
        if (r != null && !result.survey().isEmpty()) {
            r.survey(call.id, result.survey().get(result.survey().size() - 1).score());
        }
    }

    /**
     * The offered agent answered (AMI's DialEnd, or Dial's return, whichever comes first): the call is connected and
     * the routing core hears it once.
     */
    private void answered(ActiveCall call) {
        Decision.Offer o = call.offer;
        if (o != null && call.connect()) {
            call.answeredAt = clock.instant();
            call.answered = true;
            loop.post(new Command.OfferAnswered(call.id, o.agentId()));
        }
    }

    private void retryAfterNoAnswer(ActiveCall call, Decision.Offer offer, String reason) {
        call.offer = null;
        calls.release(offer.agentId(), call);
        call.unanswered();
        // One command: the queue's ring-no-answer policy decides the agent's state, with this reason (one row).
        loop.post(new Command.OfferRejected(call.id, offer.agentId(), Optional.of(reason)));
    }

    private void abandon(ActiveCall call, String reason) {
        if (call.answered) {
            return;   // connected calls end through dial(), not here
        }
        if (!call.done) {
            call.done = true;
            loop.post(new Command.Leave(call.id, reason));
            emit(new CallEvent.Abandoned(call.id, clock.instant(), call.queue.name(),
                    Duration.between(call.joined, clock.instant())));
        }
    }

    private void leaveForTreatment(ActiveCall call, AgiSession s, Decision exit) {
        call.done = true;
        String reason = exit instanceof Decision.MaxWaitReached ? "max wait" : "escalation exit";
        QueueTarget target = call.queue.onTimeout();
        if (exit instanceof Decision.ExitedQueue x) {
            try {
                target = QueueTarget.parse(x.destination());
            } catch (IllegalArgumentException e) {
                log.warn("call {}: escalation exit to '{}': {}", call.id, x.destination(), e.getMessage());
            }
        } else {
            loop.post(new Command.Leave(call.id, "max wait"));
        }
        emit(new CallEvent.ExitedQueue(call.id, clock.instant(), call.queue.name(), reason, target.toString(),
                Duration.between(call.joined, clock.instant())));
        treatment(s, target, call);
    }

    /** Sends a caller leaving a queue where {@code target} says. */
    private void treatment(AgiSession s, QueueTarget target, ActiveCall call) {
        if (s.isHungUp()) {
            return;
        }
        try {
            s.musicOff();
        } catch (AgiHangupException e) {
            return;
        }
        switch (target.kind()) {
            case HANGUP, CALLBACK -> s.hangup();
            case VOICEMAIL, TRANSFER -> {
                call.handBack();
                s.setVariable("HOTLINE_OUTCOME", target.kind().name().toLowerCase(java.util.Locale.ROOT));
                s.setVariable("HOTLINE_TARGET", target.value());
            }
            case QUEUE -> {
                QueueConfig next = queues.get(target.value());
                calls.end(call, "moved to queue " + target.value());
                if (next != null) {
                    join(s, next, Map.of(), OptionalInt.empty(), "", call.data);
                }
            }
        }
    }

    @Override
    public void close() {
        watch.close();
        // Calls still held now (their sessions cut by the shutdown did not finish them) end here, recorded, so
        // nothing is left open: one still waiting or ringing is abandoned, a connected one ends ("system").
        List<ActiveCall> left = List.copyOf(calls.all());
        left.forEach(call -> endAbruptly(call, "engine stopped"));
        if (!left.isEmpty()) {
            log.info("ACD: {} calls still held at shutdown ended: {}", left.size(),
                    left.stream().map(c -> c.id).toList());
        }
        loop.close();
    }
}
