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
    private final Stats stats = new Stats();
    private volatile EventSink events = EventSink.NONE;
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
        /** Handshake mode: calls Hotline handed back with HOTLINE_HANDLED=1 (fallback outcome excluded). */
        public final LongAdder handedBack = new LongAdder();
        /** Handshake mode: AGI(…/resume) attempts for calls Hotline lost. */
        public final LongAdder resumeAttempts = new LongAdder();
        /** Handshake mode: calls sent to the fallback queue. */
        public final LongAdder fallbacks = new LongAdder();
    }

    private volatile Optional<Handshake> handshake = Optional.empty();

    /** Turns on the shipped dialplan's hand-back rules after Hotline's AGI ({@link Handshake}). */
    public void handshake(Handshake rules) {
        this.handshake = Optional.of(rules);
    }

    public Optional<Handshake> handshake() {
        return handshake;
    }

    /** The owner released an up channel that was not redirected: the dialplan's next priority. */
    void dialplanGoesOn(SimChannel channel) {
        Optional<Handshake> rules = handshake;
        if (rules.isEmpty() || !HandshakeDialplan.afterAgi(rules.get(), this, channel)) {
            channel.hangup(HangupCause.NORMAL_CLEARING);   // the simulator's contexts end with Hangup()
        }
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
        if (found.isEmpty()) {
            channel.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        DialplanContext context = found.get();
        channel.setLocation(context.name(), channel.exten(), context.agiPriority());
        if (context.answer()) {
            channel.answer();
        }
        var url = context.urlFor(channel.exten(), channel.linkedid());
        handshake.ifPresent(rules -> HandshakeDialplan.beforeAgi(rules, channel, url));
        AgiSession.start(this, channel, url, context.argsFor(channel.exten()),
                context.exitOnHangup());
    }
}
