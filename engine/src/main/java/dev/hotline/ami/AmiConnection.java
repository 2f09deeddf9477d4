package dev.hotline.ami;

import dev.hotline.config.AmiServerConfig;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.action.AbstractManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.event.ConnectEvent;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One Asterisk server over AMI, through asterisk-java's {@link ManagerConnection}.
 *
 * <p>Threads: asterisk-java reads the socket and calls our listener on its own thread; the listener only
 * translates the event into an {@link AmiEvent} record and hands it to {@code sink}, which must not block
 * (Asterisk drops a client that stops reading for 100 ms). Actions (redirect, list requests) run on a
 * dedicated single thread with a timeout, never on the caller's thread or an event loop.
 *
 * <p>Connection: a task on the engine's {@link Scheduler} logs in, and after a failure or a lost connection retries with
 * exponential backoff (1 s doubling to 30 s). After every (re)connect it reads every device's state
 * ({@code DeviceStateList}) so the engine reconciles agents with what Asterisk knows now, instead of trusting
 * what it knew before the gap. Health changes are logged and published as {@link AmiEvent.ConnectionChanged}.
 */
public final class AmiConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AmiConnection.class);
    private static final Duration ACTION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AmiServerConfig config;
    private final Scheduler scheduler;
    private volatile Consumer<AmiEvent> sink;
    private final InstantSource clock;
    private final ExecutorService actions;
    private volatile Scheduler.Task supervisor;
    private final java.util.concurrent.ConcurrentHashMap<String, DeviceState> snapshot =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong deviceEvents = new java.util.concurrent.atomic.AtomicLong();
    private volatile ManagerConnection connection;
    private volatile AmiEvent.AmiHealth health;
    private volatile boolean closed;

    /** Whether actions may be sent (the engine holds the lease of its pair, or is a single engine). */
    private final java.util.function.BooleanSupplier mayAct;

    /**
     * {@code mayAct}: read-only while it says no — the standby engine of a pair reads events and device states but
     * sends no action that changes a call (Redirect, Originate, Hangup, MixMonitor…), which fail at once instead; a
     * single engine passes {@code () -> true}.
     */
    public AmiConnection(AmiServerConfig config, Scheduler scheduler, InstantSource clock,
                         java.util.function.BooleanSupplier mayAct) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
        this.mayAct = java.util.Objects.requireNonNull(mayAct, "mayAct");
        this.clock = clock;
        this.health = new AmiEvent.AmiHealth(config.id(), AmiEvent.AmiHealth.Status.CONNECTING, clock.instant(),
                "not connected yet");
        this.actions = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("ami-" + config.id()
                + "-actions").factory());
    }

    /**
     * Connects (and keeps reconnecting) and hands every event to {@code sink} from now on; the engine starts AMI
     * last, once everything the events go to is built.
     */
    public AmiConnection start(Consumer<AmiEvent> sink) {
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        supervisor = scheduler.start("ami-" + config.id(), Cadence.refreshEvery(Duration.ofSeconds(1))
                .retryEvery(Duration.ofSeconds(1)).backoffUpTo(MAX_BACKOFF), this::superviseOnce);
        return this;
    }

    public String serverId() {
        return config.id();
    }

    public AmiEvent.AmiHealth health() {
        return health;
    }

    public boolean isUp() {
        return health.status() == AmiEvent.AmiHealth.Status.UP;
    }

    /**
     * One look at the connection (the task {@code ami-<id>}, every second, and at once on a disconnect): nothing to
     * do while asterisk-java holds it (connected, or reconnecting by itself, firing ConnectEvent when back); else log
     * in again. A failed login says why in the health and is retried with backoff (1 s doubling to 30 s).
     */
    private boolean superviseOnce(Scheduler.Attempt attempt) {
        if (closed) {
            return true;
        }
        ManagerConnection c = connection;
        ManagerConnectionState state = c == null ? null : c.getState();
        if (state == ManagerConnectionState.CONNECTED || state == ManagerConnectionState.RECONNECTING) {
            return true;
        }
        if (c != null) {
            setHealth(AmiEvent.AmiHealth.Status.DOWN, "connection lost; reconnecting");
            try {
                c.logoff();
            } catch (RuntimeException ignored) {
                // already gone
            }
            connection = null;
        }
        try {
            connect();
            return true;
        } catch (AuthenticationFailedException e) {
            setHealth(AmiEvent.AmiHealth.Status.DOWN, "login refused for user '" + config.username()
                    + "' (check ami.servers[" + config.id() + "].username/secret and manager.conf)");
            return false;
        } catch (Exception e) {
            setHealth(AmiEvent.AmiHealth.Status.DOWN, "cannot connect to " + config.host() + ":" + config.port()
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); retrying in " + attempt.retryIfFails().toSeconds() + "s");
            return false;
        }
    }

    private void connect() throws Exception {
        ManagerConnectionFactory factory = new ManagerConnectionFactory(config.host(), config.port(),
                config.username(), config.secret().reveal());
        ManagerConnection c = factory.createManagerConnection();
        if (c instanceof org.asteriskjava.manager.internal.ManagerConnectionImpl impl) {
            impl.setSocketTimeout((int) config.connectTimeout().toMillis());
            impl.setDefaultResponseTimeout(ACTION_TIMEOUT.toMillis());
            impl.setKeepAliveAfterAuthenticationFailure(false);
        }
        c.addEventListener(this::onEvent);
        c.login("on");
        connection = c;
        setHealth(AmiEvent.AmiHealth.Status.UP, "logged in to " + config.host() + ":" + config.port());
        resync();
        listChannels("connected");
    }

    /**
     * Asks Asterisk for its channels now and publishes them as a snapshot (a read: allowed on a pair's standby
     * engine too). The engine of a pair runs it when it takes over, so calls it still holds from an earlier term are
     * reconciled with what Asterisk has now. {@code why} goes into the log.
     */
    public void listChannelsNow(String why) {
        if (isUp()) {
            listChannels(why);
        }
    }

    /**
     * Lists the channels Asterisk has ({@code CoreShowChannels}) and publishes them as an
     * {@link AmiEvent.ChannelSnapshot}, so the engine ends the calls whose channels are gone (Asterisk restarted, a
     * hang-up missed while AMI was down). A refused or failed list is logged and publishes nothing.
     */
    private void listChannels(String why) {
        actions.execute(() -> {
            try {
                // ConnectEvent comes while asterisk-java still says RECONNECTING: wait for CONNECTED (up to 5 s).
                ManagerConnection c = connection;
                for (int i = 0; i < 50 && c != null && c.getState() != ManagerConnectionState.CONNECTED && !closed;
                     i++) {
                    Thread.sleep(100);
                    c = connection;
                }
                if (c == null || c.getState() != ManagerConnectionState.CONNECTED) {
                    log.warn("AMI {}: channels not listed ({}): the connection is {}", config.id(), why,
                            c == null ? "gone" : c.getState());
                    return;
                }
                long requested = System.nanoTime();
                org.asteriskjava.manager.ResponseEvents r = c.sendEventGeneratingAction(
                        new org.asteriskjava.manager.action.CoreShowChannelsAction(), ACTION_TIMEOUT.toMillis());
                if (r.getResponse() instanceof ManagerError e) {
                    log.warn("AMI {}: CoreShowChannels refused: {}", config.id(), e.getMessage());
                    return;
                }
                java.util.Set<String> channels = new java.util.HashSet<>();
                java.util.Set<String> uniqueIds = new java.util.HashSet<>();
                for (var e : r.getEvents()) {
                    if (e instanceof org.asteriskjava.manager.event.CoreShowChannelEvent ch) {
                        if (ch.getChannel() != null) {
                            channels.add(ch.getChannel());
                        }
                        if (ch.getUniqueid() != null) {
                            uniqueIds.add(ch.getUniqueid());
                        }
                    }
                }
                sink.accept(new AmiEvent.ChannelSnapshot(config.id(), channels, uniqueIds, requested, why));
            } catch (Exception e) {
                log.warn("AMI {}: listing channels failed: {}", config.id(), e.toString());
            }
        });
    }

    /** Reads every device's state; the list items arrive as DeviceStateChange events (see onEvent). */
    private void resync() {
        snapshot.clear();
        actions.execute(() -> {
            try {
                ManagerConnection c = connection;
                if (c == null) {
                    return;
                }
                ManagerResponse r = c.sendAction(new ListAction("DeviceStateList"), ACTION_TIMEOUT.toMillis());
                if (r instanceof ManagerError) {
                    log.warn("AMI {}: DeviceStateList refused: {}", config.id(), r.getMessage());
                    return;
                }
                // The items follow the response as DeviceStateChange events, and asterisk-java has no class for the
                // closing DeviceStateListComplete; publish once no item has arrived for 150 ms (at most 3 s).
                long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                long seen = -1;
                while (System.nanoTime() < deadline && seen != deviceEvents.get()) {
                    seen = deviceEvents.get();
                    Thread.sleep(150);
                }
                sink.accept(new AmiEvent.DeviceSnapshot(config.id(), snapshot));
            } catch (Exception e) {
                log.warn("AMI {}: device state resync failed: {}", config.id(), e.toString());
            }
        });
    }

    /**
     * A dial's end with a caller channel; empty for the dial an Originate makes itself, whose DialEnd has only the
     * {@code Dest*} headers (no Channel, no Uniqueid; the OriginateResponse reports it). It reached the ACD and
     * failed there with a NullPointerException, one WARN line per Originate.
     */
    java.util.Optional<AmiEvent.DialEnded> dialEnded(DialEndEvent e) {
        if (e.getUniqueId() == null || e.getUniqueId().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new AmiEvent.DialEnded(config.id(), e.getChannel() == null ? "" : e.getChannel(),
                e.getUniqueId(), e.getDestChannel() == null ? "" : e.getDestChannel(),
                e.getDialStatus() == null ? "" : e.getDialStatus()));
    }

    AmiEvent.AttendedTransfer attendedTransfer(org.asteriskjava.manager.event.AttendedTransferEvent e) {
        return new AmiEvent.AttendedTransfer(config.id(), e.getOrigTransfererChannel(), e.getSecondTransfererChannel(),
                e.getTransfereeChannel(), e.getTransferTargetChannel(), e.getDestType(), e.getResult());
    }

    private void onEvent(ManagerEvent event) {
        try {
            switch (event) {
                case DeviceStateChangeEvent e -> {
                    DeviceState state = DeviceState.of(e.getState());
                    snapshot.put(e.getDevice(), state);
                    deviceEvents.incrementAndGet();
                    sink.accept(new AmiEvent.DeviceStateChanged(config.id(), e.getDevice(), state));
                }
                case DialEndEvent e -> dialEnded(e).ifPresent(sink);
                case org.asteriskjava.manager.event.AttendedTransferEvent e -> sink.accept(attendedTransfer(e));
                case HangupEvent e -> sink.accept(new AmiEvent.ChannelHungUp(config.id(), e.getChannel(),
                        e.getUniqueId(), e.getLinkedId(), e.getCause() == null ? 0 : e.getCause(),
                        e.getCauseTxt() == null ? "" : e.getCauseTxt()));
                case OriginateResponseEvent e -> {
                    AmiEvent.OriginateResult result = new AmiEvent.OriginateResult(config.id(),
                            e.getActionId() == null ? "" : e.getActionId(),
                            "Success".equalsIgnoreCase(e.getResponse()), e.getReason() == null ? 0 : e.getReason(),
                            e.getChannel() == null ? "" : e.getChannel(),
                            e.getUniqueId() == null ? "" : e.getUniqueId());
                    CompletableFuture<AmiEvent.OriginateResult> pending = originates.remove(result.actionId());
                    if (pending != null) {
                        pending.complete(result);
                    }
                    sink.accept(result);
                }
                case DisconnectEvent e -> {
                    setHealth(AmiEvent.AmiHealth.Status.DOWN, "disconnected from " + config.host() + ":" + config.port());
                    Scheduler.Task t = supervisor;
                    if (t != null) {
                        t.runNow();
                    }
                }
                case ConnectEvent e -> {
                    if (connection != null) {
                        setHealth(AmiEvent.AmiHealth.Status.UP, "reconnected to " + config.host() + ":" + config.port());
                        resync();
                        listChannels("reconnected");
                    }
                }
                case org.asteriskjava.manager.event.FullyBootedEvent e -> {
                    if (connection != null) {
                        listChannels("Asterisk fully booted");
                    }
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            log.warn("AMI {}: could not handle {}: {}", config.id(), event.getClass().getSimpleName(), e.toString());
        }
    }

    /**
     * Redirects {@code channel} to {@code context,exten,1}. Completes with the reason when Asterisk refuses (e.g.
     * "Redirect failed, channel not up") or AMI is down; never blocks the caller.
     */
    public CompletableFuture<Void> redirect(String channel, String context, String exten) {
        return send(new RedirectAction(channel, context, exten, 1),
                "Redirect " + channel + " to " + context + "," + exten + ",1");
    }

    private AmiException standby(String what) {
        return new AmiException("AMI " + config.id() + ": this engine is standby (it does not hold the lease of the"
                + " pair) and sends no actions; cannot " + what);
    }

    /**
     * Sends an action that answers with a plain {@code Response}, asynchronously: many may be in flight at once (a
     * synchronous send would serialise them behind each response). Completes exceptionally, naming the server and
     * {@code what}, when AMI is down, Asterisk refuses, or no response comes within {@link #ACTION_TIMEOUT}.
     */
    private CompletableFuture<Void> send(org.asteriskjava.manager.action.ManagerAction action, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!mayAct.getAsBoolean()) {
            done.completeExceptionally(standby(what));
            return done;
        }
        ManagerConnection c = connection;
        if (c == null || !isUp()) {
            done.completeExceptionally(new AmiException("AMI " + config.id() + " is down (" + health.detail()
                    + "); cannot " + what));
            return done;
        }
        try {
            c.sendAction(action, r -> {
                if (r instanceof ManagerError || !"Success".equalsIgnoreCase(r.getResponse())) {
                    done.completeExceptionally(new AmiException("AMI " + config.id() + ": " + what + " refused: "
                            + r.getMessage()));
                } else {
                    done.complete(null);
                }
            });
        } catch (Exception e) {
            done.completeExceptionally(new AmiException("AMI " + config.id() + ": " + what + " failed: " + e));
        }
        return done.orTimeout(ACTION_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<AmiEvent.OriginateResult>>
            originates = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong originateIds = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Originates {@code channel} asynchronously ({@code Async: true}); once it answers it runs
     * {@code context,exten,1} with {@code variables} set. Completes with the {@code OriginateResponse} (answered,
     * no answer, busy…), or exceptionally when AMI is down, Asterisk refuses the action, or no response arrives
     * within the ring {@code timeout} plus 10 s. Never blocks the caller.
     */
    public CompletableFuture<AmiEvent.OriginateResult> originate(String channel, String context, String exten,
                                                                 Duration timeout, String callerId,
                                                                 java.util.Map<String, String> variables) {
        CompletableFuture<AmiEvent.OriginateResult> done = new CompletableFuture<>();
        if (!mayAct.getAsBoolean()) {
            done.completeExceptionally(standby("originate " + channel));
            return done;
        }
        ManagerConnection c = connection;
        if (c == null || !isUp()) {
            done.completeExceptionally(new AmiException("AMI " + config.id() + " is down (" + health.detail()
                    + "); cannot originate " + channel));
            return done;
        }
        String actionId = "hotline-orig-" + originateIds.incrementAndGet();
        OriginateAction action = new OriginateAction();
        action.setChannel(channel);
        action.setContext(context);
        action.setExten(exten);
        action.setPriority(1);
        action.setTimeout(timeout.toMillis());
        action.setAsync(true);
        action.setActionId(actionId);
        if (!callerId.isEmpty()) {
            action.setCallerId(callerId);
        }
        if (!variables.isEmpty()) {
            action.setVariables(new java.util.LinkedHashMap<>(variables));
        }
        originates.put(actionId, done);
        try {
            c.sendAction(action, r -> {
                if (r instanceof ManagerError || !"Success".equalsIgnoreCase(r.getResponse())) {
                    originates.remove(actionId);
                    done.completeExceptionally(new AmiException("AMI " + config.id() + ": Originate " + channel
                            + " to " + context + "," + exten + ",1 refused: " + r.getMessage()));
                }
            });
        } catch (Exception e) {
            originates.remove(actionId);
            done.completeExceptionally(new AmiException("AMI " + config.id() + ": Originate " + channel
                    + " failed: " + e));
        }
        done.orTimeout(timeout.plusSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> originates.remove(actionId));
        return done;
    }

    /**
     * Attended transfer ({@code Atxfer}) started from {@code channel} (the agent's leg) to {@code context,exten,1}:
     * Asterisk dials the target for the agent to consult, and completes the transfer when the agent hangs up.
     */
    public CompletableFuture<Void> atxfer(String channel, String context, String exten) {
        return send(new org.asteriskjava.manager.action.AtxferAction(channel, context, exten, 1),
                "Atxfer " + channel + " to " + context + "," + exten + ",1");
    }

    /**
     * Starts recording {@code channel} into {@code file} (relative to Asterisk's monitor folder) with MixMonitor
     * {@code options} ({@code b}: only while bridged), asynchronously.
     */
    public CompletableFuture<Void> mixMonitor(String channel, String file, String options) {
        return send(new org.asteriskjava.manager.action.MixMonitorAction(channel, file, options),
                "MixMonitor " + channel + " into " + file);
    }

    /** Stops every MixMonitor on {@code channel} ({@code StopMixMonitor}); Asterisk closes the file. */
    public CompletableFuture<Void> stopMixMonitor(String channel) {
        return send(new org.asteriskjava.manager.action.StopMixMonitorAction(channel), "StopMixMonitor " + channel);
    }

    /**
     * Mutes ({@code true}) or unmutes the MixMonitor recording of {@code channel} in both directions
     * ({@code MixMonitorMute}, the way to pause a MixMonitor recording on Asterisk 21+: the file gets silence while
     * muted; the Monitor application and its PauseMonitor action were removed in Asterisk 21).
     */
    public CompletableFuture<Void> mixMonitorMute(String channel, boolean mute) {
        return send(new org.asteriskjava.manager.action.MixMonitorMuteAction(channel, "both", mute ? 1 : 0),
                "MixMonitorMute " + channel + (mute ? " on" : " off"));
    }

    /**
     * Every channel Asterisk has now ({@code CoreShowChannels}), read on the actions thread; fails when AMI is down
     * or no complete list arrives within the action timeout.
     */
    public CompletableFuture<java.util.List<LiveChannel>> channels() {
        CompletableFuture<java.util.List<LiveChannel>> done = new CompletableFuture<>();
        try {
            actions.execute(() -> {
                ManagerConnection c = connection;
                if (c == null || !isUp()) {
                    done.completeExceptionally(new AmiException("AMI " + config.id() + " is down (" + health.detail()
                            + "); cannot list channels"));
                    return;
                }
                try {
                    var events = c.sendEventGeneratingAction(
                            new org.asteriskjava.manager.action.CoreShowChannelsAction(), ACTION_TIMEOUT.toMillis());
                    java.util.List<LiveChannel> list = new java.util.ArrayList<>();
                    for (ManagerEvent e : events.getEvents()) {
                        if (e instanceof org.asteriskjava.manager.event.CoreShowChannelEvent ch) {
                            list.add(new LiveChannel(config.id(), ch.getChannel(), ch.getUniqueid(), ch.getLinkedid(),
                                    ch.getApplication()));
                        }
                    }
                    done.complete(java.util.List.copyOf(list));
                } catch (Exception e) {
                    done.completeExceptionally(new AmiException("AMI " + config.id() + ": CoreShowChannels failed: "
                            + e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new AmiException("AMI " + config.id() + " is closed; cannot list channels"));
        }
        return done;
    }

    /** Hangs {@code channel} up ({@code Hangup} action), asynchronously. */
    public CompletableFuture<Void> hangup(String channel) {
        return send(new org.asteriskjava.manager.action.HangupAction(channel), "Hangup " + channel);
    }

    private void setHealth(AmiEvent.AmiHealth.Status status, String detail) {
        AmiEvent.AmiHealth old = health;
        if (old.status() == status && old.detail().equals(detail)) {
            return;
        }
        health = new AmiEvent.AmiHealth(config.id(), status, clock.instant(), detail);
        if (old.status() != status) {
            if (status == AmiEvent.AmiHealth.Status.UP) {
                log.info("AMI {}: up ({})", config.id(), detail);
            } else {
                log.warn("AMI {}: {} ({})", config.id(), status.name().toLowerCase(java.util.Locale.ROOT), detail);
            }
            sink.accept(new AmiEvent.ConnectionChanged(config.id(), health));
        }
    }

    @Override
    public void close() {
        closed = true;
        Scheduler.Task t = supervisor;
        if (t != null) {
            t.stop();
        }
        ManagerConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.logoff();
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        actions.shutdownNow();
    }

    /** A list action asterisk-java has no class for; its items come back as ordinary events. */
    private static final class ListAction extends AbstractManagerAction {
        private static final long serialVersionUID = 1L;
        private final String name;

        ListAction(String name) {
            this.name = name;
        }

        @Override
        public String getAction() {
            return name;
        }
    }

    Instant now() {
        return clock.instant();
    }
}
