package dev.hotline.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.acd.Acd;
import dev.hotline.acd.CallEvent;
import dev.hotline.acd.CallEventListener;
import dev.hotline.acd.LiveStats;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.WebSocketEndpoint;
import dev.hotline.routing.AgentState;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live view of the contact centre, kept from the ACD's call events, and its WebSocket subscribers.
 *
 * <p>Design: call events ({@link CallEventListener}) give queues, waiting calls and screen pops; agent state
 * changes come from {@link Acd#addAgentListener} with the engine's own timestamps, so "time in state" is exact
 * (states older than the gateway count from its start, from a snapshot taken when it subscribes). The ACD calls
 * both listeners on its loop thread: they only hand the change to the hub's own thread. Queue figures are pushed
 * to supervisors and admins at most once a second, only when they changed. Every push is a Netty
 * {@code writeAndFlush}, which never blocks the caller.
 */
public final class LiveHub implements CallEventListener, WebSocketEndpoint, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    static final long QUEUE_PUSH_MILLIS = 1000;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final int SAMPLES = 360;

    /** A call the gateway has seen queue, as long as it is in Hotline's hands. */
    private static final class LiveCall {
        final String id;
        final String queue;
        final String caller;
        final Instant queuedAt;
        volatile String agentId;
        volatile Instant answeredAt;
        /** IVR-collected data for the screen pop (account, CRM fields, language, IVR path). */
        volatile Map<String, String> data = Map.of();

        LiveCall(String id, String queue, String caller, Instant queuedAt) {
            this.id = id;
            this.queue = queue;
            this.caller = caller;
            this.queuedAt = queuedAt;
        }
    }

    private record Observed(AgentState state, Instant since) {
    }

    private final Acd acd;
    /** The ACD's live maps: the directory changes them (see "directory and waiting calls" below). */
    private final Map<String, AgentConfig> agents;
    /** Today's counters; replaced at local midnight (zone of {@link #intervals}, else the system's). */
    private volatile LiveStats stats;
    private volatile java.time.LocalDate statsDay;
    private volatile TodayIntervals intervals;
    private final InstantSource clock;
    private final ObjectMapper json;
    private final Map<String, LiveCall> calls = new ConcurrentHashMap<>();
    private final Map<String, Observed> observed = new ConcurrentHashMap<>();
    /** Each agent's last call as it ended (the screen pop their wrap-up and disposition are about). */
    private final Map<String, Map<String, Object>> lastCalls = new ConcurrentHashMap<>();
    /** Not ready asked for during a call: the routing core applies it when the call and its wrap-up end. */
    private final Map<String, String> pendingNotReady = new ConcurrentHashMap<>();
    private volatile java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> ivr =
            () -> dev.hotline.ivr.runtime.IvrCatalog.EMPTY;
    private final Map<Channel, Session> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Deque<Map<String, Object>>> history = new ConcurrentHashMap<>();
    private final AtomicLong talkMillis = new AtomicLong();
    private final AtomicLong talked = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-live");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private volatile String lastQueues = "";
    private Instant nextSample;

    public LiveHub(Acd acd, List<QueueConfig> queues, InstantSource clock, ObjectMapper json) {
        this.acd = acd;
        this.agents = acd.agents();
        this.stats = new LiveStats(queues);
        this.statsDay = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneId.systemDefault());
        this.clock = clock;
        this.json = json;
        Instant now = clock.instant();
        queues.forEach(q -> history.put(q.name(), new ArrayDeque<>()));
        nextSample = now;
    }

    /**
     * Registers with the ACD for agent changes and call events, then takes the snapshot of the states before it
     * (a change that arrives meanwhile wins over the snapshot: it is newer and exactly timed); starts the queue
     * pushes.
     */
    public LiveHub start() {
        acd.addAgentListener(this::onAgentChange);
        Instant now = clock.instant();
        acd.agentStates().forEach((id, s) -> observed.putIfAbsent(id, new Observed(s, now)));
        acd.addListener(this);
        acd.addRoutingListener(this::onRouting);
        timer.scheduleWithFixedDelay(this::tick, QUEUE_PUSH_MILLIS, QUEUE_PUSH_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** On the ACD loop: hands the change to the hub's thread, which applies changes in the engine's order. */
    private void onAgentChange(dev.hotline.routing.StateChange change) {
        if (closed) {
            return;
        }
        try {
            timer.execute(() -> {
                observed.put(change.agentId(), new Observed(change.to(), change.at()));
                if (!(change.to() instanceof AgentState.Reserved || change.to() instanceof AgentState.OnCall
                        || change.to() instanceof AgentState.WrapUp)) {
                    pendingNotReady.remove(change.agentId());   // applied, or dropped with the call
                }
                agentChanged(change.agentId());
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    // ------------------------------------------------------------------------------------------ views

    public List<QueueConfig> queues() {
        return List.copyOf(acd.queueConfigs().values());
    }

    public Map<String, AgentConfig> agents() {
        return agents;
    }

    /** One agent as the pages show them: identity, state, reason, time in state, current call. */
    public Map<String, Object> agentView(String agentId) {
        AgentConfig a = agents.get(agentId);
        Observed o = observed.get(agentId);
        AgentState s = o == null ? new AgentState.LoggedOut() : o.state();
        Instant since = o == null ? clock.instant() : o.since();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", agentId);
        v.put("name", a == null ? agentId : a.name());
        v.put("teams", a == null ? List.of() : a.teams());
        v.put("skills", a == null ? Map.of() : a.skills());
        v.put("queues", a == null ? List.of() : a.queues().stream().sorted().toList());
        v.put("disabled", acd.disabledAgents().contains(agentId));
        v.put("endpoints", a == null ? List.of() : a.endpoints());
        v.put("state", stateName(s));
        v.put("reason", s instanceof AgentState.NotReady nr ? nr.reason() : null);
        // A ring-no-answer pause ends by itself: when the agent is ready again.
        v.put("readyAt", s instanceof AgentState.NotReady nr ? nr.until().map(Instant::toString).orElse(null) : null);
        v.put("since", since.toString());
        v.put("secondsInState", Math.max(0, Duration.between(since, clock.instant()).toSeconds()));
        String callId = switch (s) {
            case AgentState.Reserved r -> r.callId();
            case AgentState.OnCall c -> c.callId();
            default -> null;
        };
        if (s instanceof AgentState.WrapUp w) {
            v.put("wrapUpUntil", w.until().map(Instant::toString).orElse(null));
        }
        LiveCall call = callId == null ? null : calls.get(callId);
        v.put("call", callId == null ? null : callView(callId, call));
        v.put("lastCall", lastCalls.get(agentId));
        String next = pendingNotReady.get(agentId);
        Map<String, Object> nextView = null;
        if (next != null) {
            nextView = new LinkedHashMap<>();
            nextView.put("state", "not-ready");
            nextView.put("reason", next);
        }
        v.put("next", nextView);
        return v;
    }

    /** The scripts the screen pop's IVR choices are told from (the engine's published catalog). */
    public LiveHub ivr(java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> catalog) {
        this.ivr = catalog;
        return this;
    }

    /**
     * An agent asked for not ready while ringing or on a call: the routing core keeps it for the end of the call
     * and its wrap-up; the desktop shows it as what comes next ({@code next} in the agent's view). Pushed at once.
     */
    public void notReadyRequested(String agentId, String reason) {
        AgentState s = state(agentId);
        if (s instanceof AgentState.Reserved || s instanceof AgentState.OnCall) {
            pendingNotReady.put(agentId, reason);
            pushAgent(agentId);
        }
    }

    /** Ready (or log out) asked for: a pending not ready is forgotten, as the routing core forgets it. */
    public void notReadyCancelled(String agentId) {
        if (pendingNotReady.remove(agentId) != null) {
            pushAgent(agentId);
        }
    }

    /** The id of the agent's last ended call, if the gateway saw it end. */
    public java.util.Optional<String> lastCallId(String agentId) {
        return java.util.Optional.ofNullable(lastCalls.get(agentId)).map(c -> (String) c.get("callId"));
    }

    private void pushAgent(String agentId) {
        if (closed) {
            return;
        }
        try {
            timer.execute(() -> agentChanged(agentId));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    public static String stateName(AgentState s) {
        return switch (s) {
            case AgentState.LoggedOut x -> "logged-out";
            case AgentState.Ready x -> "ready";
            case AgentState.NotReady x -> "not-ready";
            case AgentState.Reserved x -> "ringing";
            case AgentState.OnCall x -> "on-call";
            case AgentState.WrapUp x -> "wrap-up";
        };
    }

    public AgentState state(String agentId) {
        Observed o = observed.get(agentId);
        return o == null ? acd.agentStates().getOrDefault(agentId, new AgentState.LoggedOut()) : o.state();
    }

    private Map<String, Object> callView(String callId, LiveCall call) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("callId", callId);
        if (call != null) {
            v.put("queue", call.queue);
            v.put("caller", call.caller);
            v.put("data", call.data);
            v.put("ivrChoices", IvrChoices.inWords(call.data.get("ivr_path"), ivr.get()));
            Instant end = call.answeredAt == null ? clock.instant() : call.answeredAt;
            v.put("waitedSeconds", Duration.between(call.queuedAt, end).toSeconds());
            if (call.answeredAt != null) {
                v.put("talkingSeconds", Duration.between(call.answeredAt, clock.instant()).toSeconds());
            }
        }
        return v;
    }

    /** Every agent {@code user} oversees (supervisors: their teams; admins: all), optionally one team. */
    public List<Map<String, Object>> board(User user, String team) {
        return agents.values().stream()
                .filter(a -> user.oversees(a.teams()))
                .filter(a -> team == null || a.teams().contains(team))
                .map(a -> agentView(a.id())).toList();
    }

    /** Live figures of every queue, with alerts. */
    public List<Map<String, Object>> queueViews() {
        Instant now = clock.instant();
        Map<String, LiveStats.QueueCounters> counters = new HashMap<>();
        stats.snapshot().forEach(c -> counters.put(c.queue(), c));
        Map<String, AgentState> states = new HashMap<>();
        observed.forEach((id, o) -> states.put(id, o.state()));
        long handled = talked.get();
        Duration aht = handled == 0 ? Duration.ofMinutes(3) : Duration.ofMillis(talkMillis.get() / handled);
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> disabledQueues = acd.disabledQueues();
        Set<String> disabledAgents = acd.disabledAgents();
        for (QueueConfig q : acd.queueConfigs().values()) {
            List<LiveCall> waiting = calls.values().stream()
                    .filter(c -> c.queue.equals(q.name()) && c.answeredAt == null).toList();
            Duration longest = waiting.stream().map(c -> Duration.between(c.queuedAt, now))
                    .max(Duration::compareTo).orElse(Duration.ZERO);
            Map<String, Integer> byState = new LinkedHashMap<>();
            for (String s : List.of("ready", "ringing", "on-call", "wrap-up", "not-ready", "logged-out")) {
                byState.put(s, 0);
            }
            int staffed = 0;
            for (AgentConfig a : agents.values()) {
                if (serves(a, q, disabledAgents)) {
                    AgentState s = states.getOrDefault(a.id(), new AgentState.LoggedOut());
                    byState.merge(stateName(s), 1, Integer::sum);
                    staffed += s.staffed() ? 1 : 0;
                }
            }
            LiveStats.QueueCounters c = counters.get(q.name());
            double sl = c == null ? -1 : c.serviceLevel();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", q.name());
            v.put("disabled", disabledQueues.contains(q.name()));
            v.put("skills", q.skills());
            v.put("strategy", dev.hotline.yaml.Fields.wireName(q.strategy()));
            v.put("waiting", waiting.size());
            v.put("longestWaitSeconds", longest.toSeconds());
            // Rough on purpose: callers ahead × mean talk time ÷ agents staffing the queue.
            v.put("estimatedWaitSeconds", waiting.isEmpty() ? 0
                    : aht.multipliedBy(waiting.size()).dividedBy(Math.max(1, staffed)).toSeconds());
            v.put("offered", c == null ? 0 : c.offered());
            v.put("answered", c == null ? 0 : c.answered());
            v.put("abandoned", c == null ? 0 : c.abandoned());
            v.put("exited", c == null ? 0 : c.exited());
            v.put("serviceLevel", sl < 0 ? null : sl);
            TodayIntervals ti = intervals;
            java.util.OptionalDouble slNow = ti == null ? java.util.OptionalDouble.empty()
                    : ti.currentServiceLevel(q.name());
            v.put("serviceLevelInterval", slNow.isPresent() ? slNow.getAsDouble() : null);
            v.put("serviceLevelTarget", Map.of("percent", q.serviceLevelPct(),
                    "withinSeconds", q.serviceLevelTime().toSeconds()));
            v.put("averageSpeedOfAnswerSeconds", c == null ? 0 : c.averageSpeedOfAnswer().toSeconds());
            v.put("maxWaitSeconds", q.maxWait().toSeconds());
            v.put("agents", byState);
            List<String> alerts = new ArrayList<>();
            if (sl >= 0 && sl * 100 < q.serviceLevelPct()) {
                alerts.add(String.format(java.util.Locale.ROOT, "service level %d%% is below the %d%% target",
                        Math.round(sl * 100), q.serviceLevelPct()));
            }
            if (longest.compareTo(q.serviceLevelTime()) > 0 && !waiting.isEmpty()) {
                alerts.add("a caller has waited " + longest.toSeconds() + "s, past the service-level time of "
                        + q.serviceLevelTime().toSeconds() + "s");
            }
            if (longest.compareTo(q.maxWait()) >= 0) {
                alerts.add("a caller has waited " + longest.toSeconds() + "s, the queue's maximum");
            }
            overdueCallbacks(q, v, alerts, now);
            v.put("alerts", alerts);
            long offered = c == null ? 0 : c.offered();
            Double abandonedPct = offered == 0 ? null : 100.0 * (c == null ? 0 : c.abandoned()) / offered;
            v.put("abandonedPercent", abandonedPct);
            QueueConfig.Thresholds t = q.thresholds();
            v.put("thresholds", thresholdsView(t));
            Map<String, String> status = new LinkedHashMap<>();
            status.put("waiting", level(waiting.size(), t.waitingWarn(), t.waitingAlert()));
            status.put("longestWait", level(longest.toSeconds(), t.longestWaitWarn().toSeconds(),
                    t.longestWaitAlert().toSeconds()));
            long asa = c == null ? 0 : c.averageSpeedOfAnswer().toSeconds();
            status.put("asa", c == null || c.answered() == 0 ? "ok"
                    : level(asa, t.asaWarn().toSeconds(), t.asaAlert().toSeconds()));
            status.put("abandoned", abandonedPct == null ? "ok"
                    : level(abandonedPct, t.abandonedWarnPct(), t.abandonedAlertPct()));
            status.put("serviceLevel", sl < 0 ? "ok" : sl * 100 < t.serviceLevelAlertPct() ? "alert"
                    : sl * 100 < q.serviceLevelPct() ? "warn" : "ok");
            v.put("status", status);
            v.put("openSlots", openSlots(q.name(), now));
            out.add(v);
        }
        return out;
    }

    private static String level(double value, double warn, double alert) {
        return value >= alert ? "alert" : value >= warn ? "warn" : "ok";
    }

    private static Map<String, Object> thresholdsView(QueueConfig.Thresholds t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("waiting", warnAlert(t.waitingWarn(), t.waitingAlert()));
        m.put("longestWaitSeconds", warnAlert(t.longestWaitWarn().toSeconds(), t.longestWaitAlert().toSeconds()));
        m.put("asaSeconds", warnAlert(t.asaWarn().toSeconds(), t.asaAlert().toSeconds()));
        m.put("abandonedPercent", warnAlert(t.abandonedWarnPct(), t.abandonedAlertPct()));
        m.put("serviceLevelAlertPercent", t.serviceLevelAlertPct());
        return m;
    }

    private static Map<String, Object> warnAlert(long warn, long alert) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("warn", warn);
        m.put("alert", alert);
        return m;
    }

    private final OpeningHours openingHours = new OpeningHours();

    /**
     * Today's open 15-minute slots of the queue, as runs {@code [from, to)} (empty: open all day), from the calendars
     * of the IVR hours nodes that lead to it: the wallboard's chart shows these hours, not the whole day.
     */
    private List<int[]> openSlots(String queue, Instant now) {
        TodayIntervals ti = intervals;
        java.time.ZoneId zone = ti == null ? java.time.ZoneId.systemDefault() : ti.zone();
        try {
            return openingHours.slots(ivr.get(), queue, java.time.LocalDate.ofInstant(now, zone), zone,
                    (int) TodayIntervals.INTERVAL_MINUTES);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------ callbacks

    private volatile java.util.function.Supplier<java.util.Optional<dev.hotline.callbacks.Callbacks>> callbacks =
            java.util.Optional::empty;

    /** Overdue callbacks come from {@code source} (the engine's callbacks, present once they started). */
    public LiveHub callbacks(java.util.function.Supplier<java.util.Optional<dev.hotline.callbacks.Callbacks>> source) {
        this.callbacks = source;
        return this;
    }

    /**
     * Callbacks of queue {@code q} more than {@code acd.callback.overdue_after} past their due time: the queue view
     * gets {@code overdueCallbacks: {count, oldestDueAt, oldestOverdueMinutes}} (count 0 when none) and, when there
     * are some, an alert such as "2 callbacks overdue, the oldest due 75 min ago". Reads the callbacks' memory only.
     */
    private void overdueCallbacks(QueueConfig q, Map<String, Object> view, List<String> alerts, Instant now) {
        java.util.Optional<dev.hotline.callbacks.Callbacks> service = callbacks.get();
        List<dev.hotline.callbacks.Callback> overdue = service.isEmpty() ? List.of()
                : service.get().overdue().stream().filter(c -> c.queue().equals(q.name())).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", overdue.size());
        if (!overdue.isEmpty()) {
            Instant oldest = overdue.getFirst().dueAt();   // overdue() is in due order
            long minutes = Duration.between(oldest, now).toMinutes();
            m.put("oldestDueAt", oldest.toString());
            m.put("oldestOverdueMinutes", minutes);
            alerts.add(overdue.size() + (overdue.size() == 1 ? " callback" : " callbacks")
                    + " overdue, the oldest due " + minutes + " min ago");
        }
        view.put("overdueCallbacks", m);
    }

    /** Service level samples per queue, oldest first (one every 10 s, the last hour). */
    public Map<String, List<Map<String, Object>>> history() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        for (QueueConfig q : acd.queueConfigs().values()) {
            Deque<Map<String, Object>> h = history.computeIfAbsent(q.name(), k -> new ArrayDeque<>());
            synchronized (h) {
                out.put(q.name(), List.copyOf(h));
            }
        }
        return out;
    }

    /**
     * Whether {@code a} serves {@code q}: enabled, a member of it (an empty membership: every queue), and holding
     * every skill it requires at the lowest level its escalation accepts ({@code lower_min_level}), or one of its
     * escalation alternatives ({@code add_skill}) at that step's level — the calls the routing core could offer the
     * agent, a call's own skills and language aside.
     */
    static boolean serves(AgentConfig a, QueueConfig q, Set<String> disabledAgents) {
        if (disabledAgents.contains(a.id()) || !(a.queues().isEmpty() || a.queues().contains(q.name()))) {
            return false;
        }
        Map<String, Integer> lowest = new HashMap<>(q.skills());
        boolean all = true;
        for (var step : q.escalation()) {
            if (step instanceof dev.hotline.routing.EscalationStep.LowerMinLevel l && lowest.containsKey(l.skill())) {
                lowest.merge(l.skill(), l.level(), Math::min);
            }
        }
        for (var r : lowest.entrySet()) {
            if (a.skills().getOrDefault(r.getKey(), 0) < r.getValue()) {
                all = false;
                break;
            }
        }
        return all || q.escalation().stream().anyMatch(step -> step instanceof dev.hotline.routing.EscalationStep.AddSkill
                s && a.skills().getOrDefault(s.skill(), 0) >= s.level());
    }

    // ------------------------------------------------------------------------------------------ call events

    /**
     * On the thread that emits the event (often the ACD loop): counted at once, then handed to the hub's thread,
     * which builds the views and encodes the pushes (JSON) off the loop, in the engine's order with agent changes.
     */
    @Override
    public void on(CallEvent event) {
        if (closed) {
            return;
        }
        stats.on(event);
        try {
            timer.execute(() -> apply(event));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void apply(CallEvent event) {
        switch (event) {
            case CallEvent.Queued q -> {
                LiveCall live = new LiveCall(q.callId(), q.queue(), q.caller(), q.at());
                live.data = q.data();
                calls.put(q.callId(), live);
            }
            case CallEvent.Offered o -> {
                LiveCall c = calls.get(o.callId());
                if (c != null) {
                    c.agentId = o.agentId();
                }
                Map<String, Object> m = message("offer");
                m.putAll(callView(o.callId(), c));
                m.put("queue", o.queue());
                m.put("agentId", o.agentId());
                m.put("explanation", o.explanation());
                toAgent(o.agentId(), m);
            }
            case CallEvent.Answered a -> {
                LiveCall c = calls.get(a.callId());
                if (c != null) {
                    c.answeredAt = a.at();
                    c.agentId = a.agentId();
                }
                Map<String, Object> m = message("connected");
                m.putAll(callView(a.callId(), c));
                m.put("queue", a.queue());
                m.put("waitedSeconds", a.waited().toSeconds());
                toAgent(a.agentId(), m);
            }
            case CallEvent.Ended e -> {
                LiveCall ended = calls.remove(e.callId());
                if (e.agentId() != null) {
                    Map<String, Object> last = callView(e.callId(), ended);
                    last.remove("talkingSeconds");
                    last.put("talkSeconds", e.talk().toSeconds());
                    last.put("endedAt", e.at().toString());
                    lastCalls.put(e.agentId(), last);
                }
                talkMillis.addAndGet(e.talk().toMillis());
                talked.incrementAndGet();
                Map<String, Object> m = message("ended");
                m.put("callId", e.callId());
                m.put("talkSeconds", e.talk().toSeconds());
                m.put("hungUpFirst", e.hungUpFirst());
                if (e.agentId() != null) {
                    m.put("lastCall", lastCalls.get(e.agentId()));
                    toAgent(e.agentId(), m);
                }
            }
            case CallEvent.OfferFailed f -> {
                LiveCall c = calls.get(f.callId());
                if (c != null) {
                    c.agentId = null;
                }
                Map<String, Object> m = message("offer-withdrawn");
                m.put("callId", f.callId());
                m.put("dialStatus", f.dialStatus());
                toAgent(f.agentId(), m);
            }
            case CallEvent.Abandoned a -> calls.remove(a.callId());
            case CallEvent.ExitedQueue x -> calls.remove(x.callId());
            case CallEvent.CallbackRequested cb -> calls.remove(cb.callId());
            case CallEvent.CallbackAttempted cb -> { }
            case CallEvent.RedirectFailed r -> { }
            case CallEvent.Transferred t -> { }
        }
    }

    // ------------------------------------------------------------------------------------------ timer

    private void tick() {
        try {
            Instant now = clock.instant();
            newDay(now);
            if (!now.isBefore(nextSample)) {
                nextSample = now.plus(SAMPLE_EVERY);
                sample(now);
            }
            refreshWaiting(false);
            if (subscribers.values().stream().anyMatch(s -> s.user().role() != Role.AGENT)) {
                List<Map<String, Object>> q = queueViews();
                String text = json.writeValueAsString(q);
                if (!text.equals(lastQueues)) {
                    lastQueues = text;
                    Map<String, Object> m = message("queues");
                    m.put("queues", q);
                    String out = json.writeValueAsString(m);
                    subscribers.forEach((ch, s) -> {
                        if (s.user().role() != Role.AGENT) {
                            ch.writeAndFlush(new TextWebSocketFrame(out));
                        }
                    });
                }
            }
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("gateway live view: tick failed ({})", e.toString());
        }
    }

    private void sample(Instant now) {
        for (LiveStats.QueueCounters c : stats.snapshot()) {
            Deque<Map<String, Object>> h = history.computeIfAbsent(c.queue(), k -> new ArrayDeque<>());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("at", now.toString());
            double sl = c.serviceLevel();
            p.put("serviceLevel", sl < 0 ? null : sl);
            p.put("offered", c.offered());
            synchronized (h) {
                h.addLast(p);
                while (h.size() > SAMPLES) {
                    h.removeFirst();
                }
            }
        }
    }

    private void agentChanged(String agentId) {
        Map<String, Object> m = message("agent");
        m.put("agent", agentView(agentId));
        AgentConfig a = agents.get(agentId);
        send(m, s -> agentId.equals(s.user().agentId().orElse(null))
                || a != null && s.user().role() != Role.AGENT && s.user().oversees(a.teams()));
    }

    private void toAgent(String agentId, Map<String, Object> m) {
        send(m, s -> agentId.equals(s.user().agentId().orElse(null)) && s.user().role() == Role.AGENT);
    }

    private void send(Map<String, Object> m, java.util.function.Predicate<Session> to) {
        if (subscribers.isEmpty()) {
            return;
        }
        String text;
        try {
            text = json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            log.warn("gateway live view: cannot encode {} ({})", m.get("type"), e.toString());
            return;
        }
        subscribers.forEach((ch, s) -> {
            if (to.test(s)) {
                ch.writeAndFlush(new TextWebSocketFrame(text));
            }
        });
    }

    private Map<String, Object> message(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("at", clock.instant().toString());
        return m;
    }

    // ------------------------------------------------------------------------------------------ directory and waiting calls

    /**
     * Pushes directory changes as deltas: a changed agent as an {@code agent} message (to themselves and whoever
     * oversees them), a changed queue as a {@code queue} message (its live view, with its definition summary) to
     * supervisors and admins, a skill as a {@code directory} message. Called on the directory's thread: hands over.
     */
    public void watch(dev.hotline.directory.Directory directory) {
        directory.addListener((kind, id) -> {
            if (closed) {
                return;
            }
            try {
                timer.execute(() -> directoryChanged(kind, id));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        });
    }

    private void directoryChanged(String kind, String id) {
        switch (kind) {
            case "agent" -> agentChanged(id);
            case "queue" -> {
                QueueConfig defined = acd.queueConfigs().get(id);
                if (defined != null) {
                    stats.define(defined);
                }
                queueViews().stream().filter(v -> id.equals(v.get("name"))).findFirst().ifPresent(v -> {
                    Map<String, Object> m = message("queue");
                    m.put("queue", v);
                    send(m, s -> s.user().role() != Role.AGENT);
                });
                refreshWaiting(true);
            }
            default -> {
                Map<String, Object> m = message("directory");
                m.put("kind", kind);
                m.put("id", id);
                send(m, s -> s.user().role() != Role.AGENT);
                if (kind.equals("directory")) {   // the database's rows were applied over the files
                    agents.keySet().forEach(this::agentChanged);
                }
            }
        }
    }

    /** On the ACD loop: a re-prioritised call or a profile change; refresh the waiting list on the hub's thread. */
    private void onRouting(dev.hotline.routing.Decision d) {
        if (closed) {
            return;
        }
        try {
            timer.execute(() -> refreshWaiting(true));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private volatile List<Map<String, Object>> waiting = List.of();
    private String lastWaiting = "";

    /** The waiting calls in queue order with their priority, as last read from the routing core. */
    public List<Map<String, Object>> waiting() {
        return waiting;
    }

    /** The waiting calls {@code user} may see: admins all; supervisors those in queues their teams' agents serve. */
    public List<Map<String, Object>> waitingFor(User user) {
        if (user.role() == Role.ADMIN) {
            return waiting;
        }
        Set<String> mine = queuesServedBy(user);
        return waiting.stream().filter(w -> mine.contains((String) w.get("queue"))).toList();
    }

    /**
     * The queues served by an enabled agent of {@code user}'s teams (explicit membership, and the skills the queue
     * needs or an escalation alternative; see {@link #serves}).
     */
    public Set<String> queuesServedBy(User user) {
        Set<String> out = new java.util.TreeSet<>();
        Set<String> disabledAgents = acd.disabledAgents();
        for (AgentConfig a : agents.values()) {
            if (user.oversees(a.teams())) {
                for (QueueConfig q : acd.queueConfigs().values()) {
                    if (serves(a, q, disabledAgents)) {
                        out.add(q.name());
                    }
                }
            }
        }
        return out;
    }

    /** On the hub's thread: reads the waiting calls from the ACD loop; pushes them when they changed (or always). */
    private void refreshWaiting(boolean push) {
        List<dev.hotline.routing.RoutingCore.WaitingCall> list;
        try {
            list = acd.waitingCalls().get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("gateway live view: cannot read the waiting calls ({})", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Instant now = clock.instant();
        List<Map<String, Object>> views = new ArrayList<>();
        for (var w : list) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("callId", w.callId());
            v.put("queue", w.queue());
            v.put("priority", w.priority());
            v.put("position", w.position());
            v.put("since", w.since().toString());
            v.put("waitedSeconds", Math.max(0, Duration.between(w.since(), now).toSeconds()));
            LiveCall c = calls.get(w.callId());
            v.put("caller", c == null ? null : c.caller);
            v.put("callback", w.callback());
            views.add(v);
        }
        waiting = List.copyOf(views);
        // Compare without the ever-growing wait, so a steady queue is not re-sent every second.
        String key = list.stream().map(w -> w.callId() + "/" + w.queue() + "/" + w.priority() + "/" + w.position())
                .reduce("", (a, b) -> a + "," + b);
        if (!push && key.equals(lastWaiting)) {
            return;
        }
        lastWaiting = key;
        subscribers.forEach((ch, s) -> {
            if (s.user().role() != Role.AGENT) {
                Map<String, Object> m = message("waiting");
                m.put("calls", waitingFor(s.user()));
                try {
                    ch.writeAndFlush(new TextWebSocketFrame(json.writeValueAsString(m)));
                } catch (JsonProcessingException e) {
                    log.warn("gateway live view: cannot encode the waiting calls ({})", e.toString());
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------ WebSocket

    /** What a new subscriber gets first: their own state (agents) or queues, board and history (the others). */
    public Map<String, Object> snapshot(Session session) {
        User u = session.user();
        Map<String, Object> m = message("snapshot");
        m.put("user", Map.of("username", u.username(), "role", u.role().wireName()));
        m.put("me", u.agentId().filter(agents::containsKey).map(this::agentView).orElse(null));
        if (u.role() != Role.AGENT) {
            m.put("queues", queueViews());
            m.put("agents", board(u, null));
            m.put("history", history());
            TodayIntervals ti = intervals;
            m.put("intervals", ti == null ? null : ti.today());
            m.put("waiting", waitingFor(u));
        }
        return m;
    }

    @Override
    public void opened(Channel channel, Session session) {
        if (closed) {
            channel.close();
            return;
        }
        subscribers.put(channel, session);
        try {
            channel.writeAndFlush(new TextWebSocketFrame(json.writeValueAsString(snapshot(session))));
        } catch (JsonProcessingException e) {
            log.warn("gateway live view: cannot encode a snapshot ({})", e.toString());
        }
        if (session.user().role() != Role.AGENT) {
            try {   // the snapshot's waiting calls are up to a second old: a fresh list follows at once
                timer.execute(() -> refreshWaiting(true));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
        // A session that expires while connected is closed at its expiry.
        long ms = Math.max(0, Duration.between(clock.instant(), session.expires()).toMillis());
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void message(Channel channel, Session session, String text) {
        String type;
        try {
            type = json.readTree(text).path("type").asText("");
        } catch (JsonProcessingException e) {
            type = "";
        }
        Map<String, Object> m;
        if (type.equals("ping")) {
            m = message("pong");
        } else if (type.equals("snapshot")) {
            m = snapshot(session);
        } else {
            m = message("error");
            m.put("detail", "unknown message (expected: {\"type\":\"ping\"} or {\"type\":\"snapshot\"})");
        }
        try {
            channel.writeAndFlush(new TextWebSocketFrame(json.writeValueAsString(m)));
        } catch (JsonProcessingException e) {
            log.warn("gateway live view: cannot encode a reply ({})", e.toString());
        }
    }

    @Override
    public void closed(Channel channel) {
        subscribers.remove(channel);
    }

    /**
     * Closes the live connections of {@code username} (disabled, password reset, role changed): the page reconnects
     * with its token, which then either works with the user's new role and teams or is refused.
     */
    public void closeSessionsOf(String username) {
        subscribers.forEach((ch, s) -> {
            if (s.user().username().equals(username)) {
                subscribers.remove(ch);
                ch.close();
            }
        });
    }

    /**
     * Closes the live connections opened with {@code token} (the token was revoked: logout). The user's other
     * logins keep theirs.
     */
    public void closeSessionsWithToken(String token) {
        subscribers.forEach((ch, s) -> {
            if (s.token().equals(token)) {
                subscribers.remove(ch);
                ch.close();
            }
        });
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Stops pushing; the ACD keeps the listener (it has no remove), which ignores events from now on. */
    // ------------------------------------------------------------------------------------------ today by interval

    /**
     * Feeds the wallboard's chart and "service level this interval" from the call records; each new view is
     * pushed to supervisors and admins as an {@code intervals} message.
     */
    public LiveHub intervals(TodayIntervals today) {
        this.intervals = today;
        today.start(view -> {
            Map<String, Object> m = message("intervals");
            m.put("intervals", view);
            send(m, s -> s.user().role() != Role.AGENT);
        });
        return this;
    }

    public java.util.Optional<TodayIntervals> intervals() {
        return java.util.Optional.ofNullable(intervals);
    }

    /** At local midnight today's live counters start again from zero, as reports' days do. */
    private void newDay(Instant now) {
        TodayIntervals ti = intervals;
        java.time.LocalDate day = java.time.LocalDate.ofInstant(now,
                ti == null ? java.time.ZoneId.systemDefault() : ti.zone());
        if (!day.equals(statsDay)) {
            statsDay = day;
            stats = new LiveStats(queues());
            talkMillis.set(0);
            talked.set(0);
        }
    }

    @Override
    public void close() {
        closed = true;
        TodayIntervals ti = intervals;
        if (ti != null) {
            ti.close();
        }
        timer.shutdownNow();
        subscribers.keySet().forEach(Channel::close);
        subscribers.clear();
    }
}
