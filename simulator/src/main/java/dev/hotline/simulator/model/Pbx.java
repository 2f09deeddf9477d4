package dev.hotline.simulator.model;

import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.agi.AgiSession;
import dev.hotline.simulator.ami.EventSink;
import dev.hotline.simulator.clock.SimClock;
import dev.hotline.simulator.dialplan.Dialplan;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.Endpoints;
import dev.hotline.simulator.recording.MixMonitorRecorder;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulated Asterisk core: the channel registry, the dialplan, the sound files, the endpoints, and where
 * events go. Channels are created here and run their dialplan through {@link #runDialplan}.
 */
public final class Pbx {

    private final SimClock clock;
    private final IdGenerator ids;
    private final EventLoopGroup group;
    private final Dialplan dialplan;
    private final Media media;
    private final Endpoints endpoints;
    private final SplittableRandom seedSource;
    private final Map<String, SimChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, String> database = new ConcurrentHashMap<>();
    /** Every open FastAGI socket, so a killed Asterisk closes them all at once. */
    private final java.util.Set<io.netty.channel.Channel> agiSockets = ConcurrentHashMap.newKeySet();
    private final Stats stats = new Stats();
    private volatile EventSink events = EventSink.NONE;
    private volatile Handshake handshake = Handshake.shipped();
    /** Asterisk is being killed: no dialplan runs any more (no new FastAGI connection). */
    private volatile boolean dying;
    private final MixMonitorRecorder recordings;

    public Pbx(SimClock clock, EventLoopGroup group, Dialplan dialplan, Media media, Endpoints endpoints, long seed) {
        this.clock = clock;
        this.ids = new IdGenerator(clock);
        this.group = group;
        this.dialplan = dialplan;
        this.media = media;
        this.endpoints = endpoints;
        this.seedSource = new SplittableRandom(seed);
        this.recordings = new MixMonitorRecorder(clock);
    }

    /** MixMonitor recordings: written as WAV files when a recordings folder is set. */
    public MixMonitorRecorder recordings() {
        return recordings;
    }

    /** Counters for the periodic summary and the load report. */
    public static final class Stats {
        public final LongAdder callsStarted = new LongAdder();
        public final LongAdder callsEnded = new LongAdder();
        public final LongAdder agiSessions = new LongAdder();
        public final LongAdder agiConnectFailures = new LongAdder();
        public final LongAdder agiCommands = new LongAdder();
        public final LongAdder dialsAnswered = new LongAdder();
        public final LongAdder abandons = new LongAdder();
    }


    public SimClock clock() {
        return clock;
    }

    public IdGenerator ids() {
        return ids;
    }

    public EventLoopGroup group() {
        return group;
    }

    public Dialplan dialplan() {
        return dialplan;
    }

    public Media media() {
        return media;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public EventSink events() {
        return events;
    }

    public void setEvents(EventSink sink) {
        this.events = sink;
    }

    /** How the dialplan of Hotline's contexts reads the variables Hotline leaves on a channel. */
    public Handshake handshake() {
        return handshake;
    }

    public void setHandshake(Handshake value) {
        this.handshake = java.util.Objects.requireNonNull(value, "handshake");
    }

    /** AGI returned on {@code channel}: its context's next priorities ({@link DialplanContext#after()}). */
    void afterAgi(SimChannel channel) {
        if (dying) {
            channel.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        DialplanRoutes.afterAgi(this, channel);
    }

    public Stats stats() {
        return stats;
    }

    public Map<String, String> database() {
        return database;
    }

    public synchronized SplittableRandom newRandom() {
        return seedSource.split();
    }

    public List<SimChannel> channels() {
        return List.copyOf(channels.values());
    }

    public Optional<SimChannel> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    /** Asterisk is about to die: every channel's trace says it ended with Asterisk. Returns how many were up. */
    public int markAllGone() {
        dying = true;
        List<SimChannel> up = channels();
        up.forEach(channel -> channel.trace().ended(CallTrace.EndedBy.ASTERISK_GONE));
        return up.size();
    }

    /** A FastAGI socket opened; it leaves the set when it closes. */
    public void agiSocketOpened(io.netty.channel.Channel socket) {
        agiSockets.add(socket);
        socket.closeFuture().addListener(f -> agiSockets.remove(socket));
    }

    /** Closes every FastAGI socket now (a dying Asterisk's sockets all close, whatever the calls were doing). */
    public void closeAgiSockets() {
        for (io.netty.channel.Channel socket : List.copyOf(agiSockets)) {
            socket.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    public int activeChannels() {
        return channels.size();
    }

    /**
     * Creates a channel and announces it ({@code Newchannel}). {@code linkedid} is the uniqueid of the call's first
     * channel, or {@code null} for a new call.
     */
    public SimChannel newChannel(EventLoop loop, String name, String type, String linkedid, ChannelState state,
                                 String callerIdNum, String callerIdName, String context, String exten,
                                 Optional<CallerBehaviour> caller) {
        String uniqueid = ids.nextUniqueid();
        SimChannel channel = new SimChannel(this, loop, name, type, uniqueid, linkedid == null ? uniqueid : linkedid,
                state, callerIdNum, callerIdName, context, exten, newRandom(), caller);
        channels.put(name, channel);
        ChannelSnapshot snapshot = channel.snapshot();
        events.publish(() -> SimChannel.newChannelEvent(snapshot));
        return channel;
    }

    void unregister(SimChannel channel) {
        channels.remove(channel.name(), channel);
    }

    /**
     * Runs the channel's current context: answer if the context says so, then a FastAGI session. A context the
     * dialplan does not know has no extension to run, so the channel hangs up.
     */
    public void runDialplan(SimChannel channel) {
        Optional<DialplanContext> found = dialplan.context(channel.context());
        if (found.isEmpty() || dying) {
            channel.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        DialplanContext context = found.get();
        channel.setLocation(context.name(), channel.exten(), context.agiPriority());
        if (context.answer()) {
            channel.answer();
        }
        var url = context.urlFor(channel.exten(), channel.linkedid());
        if (context.after() == DialplanContext.AfterAgi.HOTLINE_MAIN && handshake.mode() == Handshake.Mode.MARKER
                && channel.variable(Handshake.ENTRY).isEmpty()) {
            // from-pstn's Set(HOTLINE_ENTRY=main-menu): where resume finds the script the call entered with.
            String script = url.script();
            int query = script.indexOf('?');
            channel.setVariable(Handshake.ENTRY, query < 0 ? script : script.substring(0, query));
        }
        AgiSession.start(this, channel, url, context.argsFor(channel.exten()),
                context.exitOnHangup());
    }
}
