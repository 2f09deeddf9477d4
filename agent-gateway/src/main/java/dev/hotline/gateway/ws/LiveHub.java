package dev.hotline.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.api.AgentChange;
import dev.hotline.api.AgentControl;
import dev.hotline.api.AgentStatus;
import dev.hotline.api.LiveBoard;
import dev.hotline.api.WaitingCall;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.directory.Directory;
import dev.hotline.events.CallEvent;
import dev.hotline.events.CallEventListener;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.WebSocketEndpoint;
import dev.hotline.ivr.runtime.IvrCatalog;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The live push to the pages: feeds the {@link LiveModel} from the engine's {@link LiveBoard} on its own thread
 * ({@code gateway-live}), and pushes the {@link LiveViews} to WebSocket subscribers — agents their own state and
 * screen pops, supervisors and admins queues, agents and waiting calls.
 *
 * <p>Design: call events ({@link CallEventListener}) give queues, waiting calls and screen pops; agent state
 * changes come from {@link LiveBoard#addAgentListener} with the engine's own timestamps, so "time in state" is exact
 * (states older than the gateway count from its start, from a snapshot taken when it subscribes). The engine calls
 * both listeners on its loop thread: they only hand the change to the hub's own thread. Queue figures are pushed
 * to supervisors and admins at most once a second, only when they changed. Every push is a Netty
 * {@code writeAndFlush}, which never blocks the caller.
 */
public final class LiveHub implements CallEventListener, WebSocketEndpoint, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);
    static final long QUEUE_PUSH_MILLIS = 1000;
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    private final LiveBoard board;
    private final LiveModel model;
    private final LiveViews views;
    private volatile TodayIntervals intervals;
    private volatile Supplier<IvrCatalog> ivr = () -> IvrCatalog.EMPTY;
    private volatile Supplier<Optional<Callbacks>> callbacks = Optional::empty;
    private final InstantSource clock;
    private final ObjectMapper json;
    private final Map<Channel, Session> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-live");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;
    private volatile String lastQueues = "";
    private Instant nextSample;

    public LiveHub(LiveBoard board, AgentControl agentControl, List<QueueConfig> queues, InstantSource clock,
                   ObjectMapper json) {
        this.board = board;
        this.clock = clock;
        this.json = json;
        this.model = new LiveModel(queues, LocalDate.ofInstant(clock.instant(), ZoneId.systemDefault()));
        this.views = new LiveViews(model, board, agentControl, clock, () -> ivr.get(), () -> callbacks.get(),
                () -> intervals);
        nextSample = clock.instant();
    }

    /**
     * Registers with the engine for agent changes and call events, then takes the snapshot of the states before it
     * (a change that arrives meanwhile wins over the snapshot: it is newer and exactly timed); starts the queue
     * pushes.
     */
    public LiveHub start() {
        board.addAgentListener(this::onAgentChange);
        model.agentsBefore(board.agentStates(), clock.instant());
        board.addCallListener(this);
        board.addWaitingListener(this::onWaitingChanged);
        timer.scheduleWithFixedDelay(this::tick, QUEUE_PUSH_MILLIS, QUEUE_PUSH_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Runs {@code task} on the hub's thread, unless closing. */
    private void onHubThread(Runnable task) {
        if (closed) {
            return;
        }
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** On the engine's loop: hands the change to the hub's thread, which applies changes in the engine's order. */
    private void onAgentChange(AgentChange change) {
        onHubThread(() -> {
            model.on(change);
            agentChanged(change.agentId());
        });
    }

    // ------------------------------------------------------------------------------------------ views

    /** The model the views are read from. */
    public LiveModel model() {
        return model;
    }

    /** The views the pages are shown. */
    public LiveViews views() {
        return views;
    }

    public List<QueueConfig> queues() {
        return views.queues();
    }

    public Map<String, AgentConfig> agents() {
        return views.agents();
    }

    public LiveJson.Agent agentView(String agentId) {
        return views.agentView(agentId);
    }

    /** The scripts the screen pop's IVR choices are told from (the engine's published catalog). */
    public LiveHub ivr(Supplier<IvrCatalog> catalog) {
        this.ivr = catalog;
        return this;
    }

    /** Overdue callbacks come from {@code source} (the engine's callbacks, present once they started). */
    public LiveHub callbacks(Supplier<Optional<Callbacks>> source) {
        this.callbacks = source;
        return this;
    }

    /**
     * An agent asked for not ready while ringing or on a call: the routing core keeps it for the end of the call
     * and its wrap-up; the desktop shows it as what comes next ({@code next} in the agent's view). Pushed at once.
     */
    public void notReadyRequested(String agentId, String reason) {
        if (state(agentId).withCall()) {
            model.notReadyRequested(agentId, reason);
            onHubThread(() -> agentChanged(agentId));
        }
    }

    /** Ready (or log out) asked for: a pending not ready is forgotten, as the routing core forgets it. */
    public void notReadyCancelled(String agentId) {
        if (model.notReadyCancelled(agentId)) {
            onHubThread(() -> agentChanged(agentId));
        }
    }

    /** The id of the agent's last ended call, if the gateway saw it end. */
    public Optional<String> lastCallId(String agentId) {
        return model.lastCall(agentId).map(LiveModel.EndedCall::callId);
    }

    public static String stateName(AgentStatus s) {
        return s.kind().wireName();
    }

    public AgentStatus state(String agentId) {
        return views.state(agentId);
    }

    public List<LiveJson.Agent> board(User user, String team) {
        return views.board(user, team);
    }

    public List<Map<String, Object>> queueViews() {
        return views.queueViews();
    }

    public Map<String, List<LiveJson.Sample>> history() {
        return views.history();
    }

    public List<LiveJson.WaitingCall> waiting() {
        return views.waiting();
    }

    public List<LiveJson.WaitingCall> waitingFor(User user) {
        return views.waitingFor(user);
    }

    public Set<String> queuesServedBy(User user) {
        return views.queuesServedBy(user);
    }

    // ------------------------------------------------------------------------------------------ call events

    /**
     * On the thread that emits the event (often the ACD loop): handed to the hub's thread, which feeds the model,
     * builds the views and encodes the pushes (JSON) off the loop, in the engine's order with agent changes.
     */
    @Override
    public void on(CallEvent event) {
        if (closed) {
            return;
        }
        model.count(event);
        onHubThread(() -> apply(event));
    }

    private void apply(CallEvent event) {
        Optional<LiveModel.Call> call = model.apply(event);
        String at = now();
        switch (event) {
            case CallEvent.Offered o -> {
                LiveJson.CallPop pop = views.callView(o.callId(), call);
                toAgent(o.agentId(), new LiveJson.CallMessage("offer", at, new LiveJson.CallPop(pop.callId(),
                        o.queue(), pop.caller(), pop.data(), pop.ivrChoices(), pop.waitedSeconds(),
                        pop.talkingSeconds(), null, null), o.agentId(), o.explanation()));
            }
            case CallEvent.Answered a -> {
                LiveJson.CallPop pop = views.callView(a.callId(), call);
                toAgent(a.agentId(), new LiveJson.CallMessage("connected", at, new LiveJson.CallPop(pop.callId(),
                        a.queue(), pop.caller(), pop.data(), pop.ivrChoices(), a.waited().toSeconds(),
                        pop.talkingSeconds(), null, null), null, null));
            }
            case CallEvent.Ended e -> {
                if (e.agentId() != null) {
                    toAgent(e.agentId(), new LiveJson.Ended("ended", at, e.callId(), e.talk().toSeconds(),
                            e.hungUpFirst(), views.lastCallView(e.agentId()).orElse(null)));
                }
            }
            case CallEvent.OfferFailed f ->
                    toAgent(f.agentId(), new LiveJson.OfferWithdrawn("offer-withdrawn", at, f.callId(),
                            f.dialStatus()));
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------------------------------ timer

    private void tick() {
        try {
            Instant now = clock.instant();
            newDay(now);
            if (!now.isBefore(nextSample)) {
                nextSample = now.plus(SAMPLE_EVERY);
                model.sample(now);
            }
            refreshWaiting(false);
            if (subscribers.values().stream().anyMatch(s -> s.user().role() != Role.AGENT)) {
                List<Map<String, Object>> q = views.queueViews();
                String text = json.writeValueAsString(q);
                if (!text.equals(lastQueues)) {
                    lastQueues = text;
                    String out = json.writeValueAsString(new LiveJson.Queues("queues", now(), q));
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

    private void agentChanged(String agentId) {
        LiveJson.AgentMessage m = new LiveJson.AgentMessage("agent", now(), views.agentView(agentId));
        AgentConfig a = views.agents().get(agentId);
        send(m, s -> agentId.equals(s.user().agentId().orElse(null))
                || a != null && s.user().role() != Role.AGENT && s.user().oversees(a.teams()));
    }

    private void toAgent(String agentId, Record m) {
        send(m, s -> agentId.equals(s.user().agentId().orElse(null)) && s.user().role() == Role.AGENT);
    }

    private void send(Record m, Predicate<Session> to) {
        if (subscribers.isEmpty()) {
            return;
        }
        String text;
        try {
            text = json.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            log.warn("gateway live view: cannot encode {} ({})", m.getClass().getSimpleName(), e.toString());
            return;
        }
        subscribers.forEach((ch, s) -> {
            if (to.test(s)) {
                ch.writeAndFlush(new TextWebSocketFrame(text));
            }
        });
    }

    private String now() {
        return clock.instant().toString();
    }

    // ------------------------------------------------------------------------------------------ directory and waiting calls

    /**
     * Pushes directory changes as deltas: a changed agent as an {@code agent} message (to themselves and whoever
     * oversees them), a changed queue as a {@code queue} message (its live view, with its definition summary) to
     * supervisors and admins, a skill as a {@code directory} message. Called on the directory's thread: hands over.
     */
    public void watch(Directory directory) {
        directory.addListener((kind, id) -> onHubThread(() -> directoryChanged(kind, id)));
    }

    private void directoryChanged(String kind, String id) {
        switch (kind) {
            case "agent" -> agentChanged(id);
            case "queue" -> {
                QueueConfig defined = board.queues().get(id);
                if (defined != null) {
                    model.define(defined);
                }
                views.queueViews().stream().filter(v -> id.equals(v.get("name"))).findFirst().ifPresent(v ->
                        send(new LiveJson.Queue("queue", now(), v), s -> s.user().role() != Role.AGENT));
                refreshWaiting(true);
            }
            default -> {
                send(new LiveJson.Directory("directory", now(), kind, id), s -> s.user().role() != Role.AGENT);
                if (kind.equals("directory")) {   // the database's rows were applied over the files
                    views.agents().keySet().forEach(this::agentChanged);
                }
            }
        }
    }

    /** On the engine's loop: a re-prioritised call or a profile change; refresh the waiting list on the hub's thread. */
    private void onWaitingChanged() {
        onHubThread(() -> refreshWaiting(true));
    }

    /** On the hub's thread: reads the waiting calls from the engine; pushes them when they changed (or always). */
    private void refreshWaiting(boolean push) {
        List<WaitingCall> list;
        try {
            list = board.waitingCalls().get(1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("gateway live view: cannot read the waiting calls ({})", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean changed = model.waiting(list);
        if (!push && !changed) {
            return;
        }
        subscribers.forEach((ch, s) -> {
            if (s.user().role() != Role.AGENT) {
                var m = new LiveJson.Waiting("waiting", now(), views.waitingFor(s.user()));
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
    public LiveJson.Snapshot snapshot(Session session) {
        return views.snapshot(session.user(), now());
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
            // the snapshot's waiting calls are up to a second old: a fresh list follows at once
            onHubThread(() -> refreshWaiting(true));
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
        Record m = switch (type) {
            case "ping" -> new LiveJson.Reply("pong", now(), null);
            case "snapshot" -> snapshot(session);
            default -> new LiveJson.Reply("error", now(),
                    "unknown message (expected: {\"type\":\"ping\"} or {\"type\":\"snapshot\"})");
        };
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

    // ------------------------------------------------------------------------------------------ today by interval

    /**
     * Feeds the wallboard's chart and "service level this interval" from the call records; each new view is
     * pushed to supervisors and admins as an {@code intervals} message.
     */
    public LiveHub intervals(TodayIntervals today) {
        this.intervals = today;
        today.start(view -> send(new LiveJson.Intervals("intervals", now(), view),
                s -> s.user().role() != Role.AGENT));
        return this;
    }

    public Optional<TodayIntervals> intervals() {
        return Optional.ofNullable(intervals);
    }

    /** At local midnight today's live counters start again from zero, as reports' days do. */
    private void newDay(Instant now) {
        TodayIntervals ti = intervals;
        model.newDay(LocalDate.ofInstant(now, ti == null ? ZoneId.systemDefault() : ti.zone()), views.queues());
    }

    /** Stops pushing; the engine keeps the listeners (they have no remove), which ignore events from now on. */
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
