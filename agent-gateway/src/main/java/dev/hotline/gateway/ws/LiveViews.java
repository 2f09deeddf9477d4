package dev.hotline.gateway.ws;

import dev.hotline.api.AgentControl;
import dev.hotline.api.AgentStatus;
import dev.hotline.api.LiveBoard;
import dev.hotline.api.WaitingCall;
import dev.hotline.callbacks.Callback;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.events.LiveStats;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.ivr.runtime.IvrCatalog;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The live views the pages show, read from the {@link LiveModel} and the engine's definitions (agents, queues, who
 * serves which queue): one agent, the board, the queues with their alerts, the waiting calls, the history, a
 * subscriber's snapshot. Builds JSON-ready maps; sends nothing ({@link LiveHub} does).
 */
public final class LiveViews {

    private final LiveModel model;
    private final LiveBoard board;
    private final AgentControl agentControl;
    /** The ACD's live map: the directory changes it. */
    private final Map<String, AgentConfig> agents;
    private final InstantSource clock;
    private final Supplier<IvrCatalog> ivr;
    private final Supplier<Optional<Callbacks>> callbacks;
    private final Supplier<TodayIntervals> intervals;

    /**
     * @param ivr       the scripts the screen pop's IVR choices and the queues' opening hours are told from
     * @param callbacks the engine's callbacks (overdue ones alert on the queue), present once they started
     * @param intervals today's chart (null until there is one)
     */
    public LiveViews(LiveModel model, LiveBoard board, AgentControl agentControl, InstantSource clock,
                     Supplier<IvrCatalog> ivr, Supplier<Optional<Callbacks>> callbacks,
                     Supplier<TodayIntervals> intervals) {
        this.model = model;
        this.board = board;
        this.agentControl = agentControl;
        this.agents = agentControl.all();
        this.clock = clock;
        this.ivr = ivr;
        this.callbacks = callbacks;
        this.intervals = intervals;
    }

    public Map<String, AgentConfig> agents() {
        return agents;
    }

    public List<QueueConfig> queues() {
        return List.copyOf(board.queues().values());
    }

    /** The agent's state: as last observed, else as the engine has it now. */
    public AgentStatus state(String agentId) {
        return model.observed(agentId).map(LiveModel.Observed::state)
                .orElseGet(() -> board.agentStates().getOrDefault(agentId, AgentStatus.LOGGED_OUT));
    }

    /** One agent as the pages show them: identity, state, reason, time in state, current call. */
    public LiveJson.Agent agentView(String agentId) {
        AgentConfig a = agents.get(agentId);
        Optional<LiveModel.Observed> o = model.observed(agentId);
        AgentStatus s = o.map(LiveModel.Observed::state).orElse(AgentStatus.LOGGED_OUT);
        Instant since = o.map(LiveModel.Observed::since).orElseGet(clock::instant);
        boolean notReady = s.kind() == AgentStatus.Kind.NOT_READY;
        String callId = s.withCall() ? s.callId().orElse(null) : null;
        return new LiveJson.Agent(agentId, a == null ? agentId : a.name(), a == null ? Set.of() : a.teams(),
                a == null ? Map.of() : a.skills(), a == null ? List.of() : a.queues().stream().sorted().toList(),
                agentControl.disabled().contains(agentId), a == null ? List.of() : a.endpoints(), s.kind().wireName(),
                notReady ? s.reason().orElse(null) : null,
                // A ring-no-answer pause ends by itself: when the agent is ready again.
                notReady ? s.until().map(Instant::toString).orElse(null) : null,
                since.toString(), Math.max(0, Duration.between(since, clock.instant()).toSeconds()),
                s.kind() == AgentStatus.Kind.WRAP_UP ? s.until().map(Instant::toString).orElse(null) : null,
                callId == null ? null : callView(callId, model.call(callId)), lastCallView(agentId).orElse(null),
                model.pendingNotReady(agentId).map(reason -> new LiveJson.Next("not-ready", reason)).orElse(null));
    }

    /** A call as the screen pop shows it: queue, caller, the IVR's data and choices in words, waited, talking. */
    public LiveJson.CallPop callView(String callId, Optional<LiveModel.Call> call) {
        if (call.isEmpty()) {
            return new LiveJson.CallPop(callId, null, null, null, null, null, null, null, null);
        }
        LiveModel.Call c = call.get();
        Instant end = c.answeredAt().orElseGet(clock::instant);
        return new LiveJson.CallPop(callId, c.queue(), c.caller(), c.data(),
                IvrChoices.inWords(c.data().get("ivr_path"), ivr.get()),
                Duration.between(c.queuedAt(), end).toSeconds(),
                c.answeredAt().map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null), null, null);
    }

    /** The agent's last call as it ended: the call's view with its talk time and end. */
    public Optional<LiveJson.CallPop> lastCallView(String agentId) {
        return model.lastCall(agentId).map(e -> callView(e.callId(), e.call()).ended(e.talk().toSeconds(),
                e.endedAt().toString()));
    }

    /** Every agent {@code user} oversees (supervisors: their teams; admins: all), optionally one team. */
    public List<LiveJson.Agent> board(User user, String team) {
        return agents.values().stream()
                .filter(a -> user.oversees(a.teams()))
                .filter(a -> team == null || a.teams().contains(team))
                .map(a -> agentView(a.id())).toList();
    }

    /** Live figures of every queue, with alerts. */
    public List<Map<String, Object>> queueViews() {
        Instant now = clock.instant();
        Map<String, LiveStats.QueueCounters> counters = new HashMap<>();
        model.counters().forEach(c -> counters.put(c.queue(), c));
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> disabledQueues = board.disabledQueues();
        Set<String> disabledAgents = agentControl.disabled();
        for (QueueConfig q : board.queues().values()) {
            List<LiveModel.Call> waiting = model.waitingIn(q.name());
            Duration longest = waiting.stream().map(c -> Duration.between(c.queuedAt(), now))
                    .max(Duration::compareTo).orElse(Duration.ZERO);
            Map<String, Integer> byState = new LinkedHashMap<>();
            for (String s : List.of("ready", "ringing", "on-call", "wrap-up", "not-ready", "logged-out")) {
                byState.put(s, 0);
            }
            for (AgentConfig a : agents.values()) {
                if (serves(a, q, disabledAgents)) {
                    AgentStatus s = model.observed(a.id()).map(LiveModel.Observed::state)
                            .orElse(AgentStatus.LOGGED_OUT);
                    byState.merge(s.kind().wireName(), 1, Integer::sum);
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
            // The routing core's own estimate (the one callers hear) for the last caller in line; none when no
            // agent staffs the queue.
            v.put("estimatedWaitSeconds", waiting.isEmpty() ? Long.valueOf(0)
                    : model.estimatedWait(q.name()).map(Duration::toSeconds).orElse(null));
            v.put("offered", c == null ? 0 : c.offered());
            v.put("answered", c == null ? 0 : c.answered());
            v.put("abandoned", c == null ? 0 : c.abandoned());
            v.put("exited", c == null ? 0 : c.exited());
            v.put("serviceLevel", sl < 0 ? null : sl);
            TodayIntervals ti = intervals.get();
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
        TodayIntervals ti = intervals.get();
        java.time.ZoneId zone = ti == null ? java.time.ZoneId.systemDefault() : ti.zone();
        try {
            return openingHours.slots(ivr.get(), queue, java.time.LocalDate.ofInstant(now, zone), zone,
                    (int) TodayIntervals.INTERVAL_MINUTES);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    // ------------------------------------------------------------------------------------------ callbacks

    /**
     * Callbacks of queue {@code q} more than {@code acd.callback.overdue_after} past their due time: the queue view
     * gets {@code overdueCallbacks: {count, oldestDueAt, oldestOverdueMinutes}} (count 0 when none) and, when there
     * are some, an alert such as "2 callbacks overdue, the oldest due 75 min ago". Reads the callbacks' memory only.
     */
    private void overdueCallbacks(QueueConfig q, Map<String, Object> view, List<String> alerts, Instant now) {
        Optional<Callbacks> service = callbacks.get();
        List<Callback> overdue = service.isEmpty() ? List.of()
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


    // ------------------------------------------------------------------------------------------ history, waiting

    /** Service level samples per queue, oldest first (one every 10 s, the last hour). */
    public Map<String, List<LiveJson.Sample>> history() {
        Map<String, List<LiveJson.Sample>> out = new LinkedHashMap<>();
        for (QueueConfig q : board.queues().values()) {
            out.put(q.name(), model.history(q.name()).stream().map(s -> new LiveJson.Sample(s.at().toString(),
                    s.serviceLevel() < 0 ? null : s.serviceLevel(), s.offered())).toList());
        }
        return out;
    }

    /** The waiting calls in queue order with their priority, as last read from the routing core. */
    public List<LiveJson.WaitingCall> waiting() {
        Instant now = clock.instant();
        return model.waiting().stream().map(w -> waitingCall(w, now,
                model.call(w.callId()).map(LiveModel.Call::caller).orElse(null))).toList();
    }

    /** A waiting call as the pages and {@code GET /api/calls/waiting} show it. */
    public static LiveJson.WaitingCall waitingCall(WaitingCall w, Instant now, String caller) {
        return new LiveJson.WaitingCall(w.callId(), w.queue(), w.priority(), w.position(), w.since().toString(),
                Math.max(0, Duration.between(w.since(), now).toSeconds()), caller, w.callback());
    }

    /** The waiting calls {@code user} may see: admins all; supervisors those in queues their teams' agents serve. */
    public List<LiveJson.WaitingCall> waitingFor(User user) {
        if (user.role() == Role.ADMIN) {
            return waiting();
        }
        Set<String> mine = queuesServedBy(user);
        return waiting().stream().filter(w -> mine.contains(w.queue())).toList();
    }

    /**
     * The queues served by an enabled agent of {@code user}'s teams (explicit membership, and the skills the queue
     * needs or an escalation alternative; see {@link #serves}).
     */
    public Set<String> queuesServedBy(User user) {
        Set<String> out = new java.util.TreeSet<>();
        Set<String> disabledAgents = agentControl.disabled();
        for (AgentConfig a : agents.values()) {
            if (user.oversees(a.teams())) {
                for (QueueConfig q : board.queues().values()) {
                    if (serves(a, q, disabledAgents)) {
                        out.add(q.name());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code a} serves {@code q}: enabled and, as the engine judges it ({@link LiveBoard#mayServe}), a
     * member holding the skills at the level its escalation accepts or one of its alternatives.
     */
    private boolean serves(AgentConfig a, QueueConfig q, Set<String> disabledAgents) {
        return !disabledAgents.contains(a.id()) && board.mayServe(a, q);
    }

    /** What a new subscriber gets first: their own state (agents) or queues, board and history (the others). */
    public LiveJson.Snapshot snapshot(User u, String at) {
        LiveJson.Agent me = u.agentId().filter(agents::containsKey).map(this::agentView).orElse(null);
        LiveJson.User user = new LiveJson.User(u.username(), u.role().wireName());
        if (u.role() == Role.AGENT) {
            return new LiveJson.Snapshot("snapshot", at, user, me, null, null, null, null, null);
        }
        TodayIntervals ti = intervals.get();
        return new LiveJson.Snapshot("snapshot", at, user, me, queueViews(), board(u, null), history(),
                ti == null ? null : ti.today(), waitingFor(u));
    }
}
