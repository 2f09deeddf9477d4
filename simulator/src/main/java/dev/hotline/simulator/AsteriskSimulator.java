package dev.hotline.simulator;

import dev.hotline.simulator.ami.AmiServer;
import dev.hotline.simulator.ami.EventFilter;
import dev.hotline.simulator.ami.EventSink;
import dev.hotline.simulator.ami.ManagerConf;
import dev.hotline.simulator.clock.RealClock;
import dev.hotline.simulator.clock.SimClock;
import dev.hotline.simulator.dialplan.Dialplan;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.endpoint.Endpoints;
import dev.hotline.simulator.model.ChannelState;
import dev.hotline.simulator.model.Pbx;
import dev.hotline.simulator.model.SimChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A simulated Asterisk 22: an AMI server, FastAGI sessions for its calls, a small dialplan and agent phones.
 *
 * <pre>{@code
 * try (AsteriskSimulator asterisk = AsteriskSimulator.builder()
 *         .context(DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + agiPort + "/main-menu"))
 *         .context(DialplanContext.redirectTarget("hotline-connect", "agi://127.0.0.1:" + agiPort + "/connect?call=${EXTEN}"))
 *         .endpoint("PJSIP/1001")
 *         .start()) {
 *     SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("5551234").build());
 *     asterisk.endpoint("PJSIP/1001").answerNext(Duration.ofMillis(500), Duration.ofSeconds(20));
 *     // connect an AMI client to asterisk.amiPort() …
 * }
 * }</pre>
 */
public final class AsteriskSimulator implements AutoCloseable {

    private final EventLoopGroup group;
    private final Pbx pbx;
    private final Optional<AmiServer> ami;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private AsteriskSimulator(EventLoopGroup group, Pbx pbx, Optional<AmiServer> ami) {
        this.group = group;
        this.pbx = pbx;
        this.ami = ami;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The AMI port actually bound (useful with port 0). */
    public int amiPort() {
        return ami.orElseThrow(() -> new IllegalStateException("the AMI server is disabled (amiPort(-1))")).port();
    }

    /**
     * AMI down: connections cut, the port refuses new ones until {@link #amiUp()}; calls go on (as with
     * {@code manager stop}, or a firewall between Hotline and Asterisk).
     */
    public void amiDown() {
        ami.orElseThrow(() -> new IllegalStateException("the AMI server is disabled (amiPort(-1))")).stopListening();
    }

    /** AMI back on the same port after {@link #amiDown()}. */
    public void amiUp() {
        if (closed.get()) {
            return;   // killed meanwhile: a restarted simulator has its own AMI
        }
        ami.orElseThrow(() -> new IllegalStateException("the AMI server is disabled (amiPort(-1))")).startListening();
    }

    /**
     * Asterisk dies (kill -9): every channel vanishes without a {@code Hangup} event, every FastAGI and AMI socket
     * closes. The calls' traces say {@link dev.hotline.simulator.model.CallTrace.EndedBy#ASTERISK_GONE}. The
     * simulator cannot be used afterwards; start another with the same AMI port to "restart Asterisk".
     *
     * @return the calls that were up
     */
    public int kill() {
        int up = pbx.markAllGone();
        // Closed explicitly first: an event loop shutting down could miss a socket still being set up.
        pbx.closeAgiSockets();
        dropAmiConnections();
        close();
        return up;
    }

    /** Cuts every AMI connection, as a network failure would; clients reconnect by themselves. */
    public int dropAmiConnections() {
        return ami.map(AmiServer::dropConnections).orElse(0);
    }

    public Pbx pbx() {
        return pbx;
    }

    /** The endpoint named {@code name}, e.g. {@code PJSIP/1001}. */
    public Endpoint endpoint(String name) {
        return pbx.endpoints().find(name).orElseThrow(() -> new IllegalArgumentException(
                "no endpoint " + name + " (known: " + pbx.endpoints().all().stream().map(Endpoint::name).toList()
                        + ")"));
    }

    /**
     * An inbound PSTN call to {@code script.extension()} entering {@code context}: a channel
     * {@code PJSIP/pstn-<n>} rings, the context answers it and starts its FastAGI session.
     */
    public SimulatedCall placeCall(String context, CallerScript script) {
        Objects.requireNonNull(script, "script");
        return placeCall(context, script.extension(), script.callerIdNum(), script.callerIdName(), script.start());
    }

    /** An inbound call driven by any {@link CallerBehaviour} (the load generator's random callers). */
    public SimulatedCall placeCall(String context, String extension, String callerIdNum, String callerIdName,
                                   CallerBehaviour caller) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(caller, "caller");
        if (pbx.dialplan().context(context).isEmpty()) {
            throw new IllegalArgumentException("no dialplan context " + context + " (known: "
                    + pbx.dialplan().contexts().keySet() + ")");
        }
        EventLoop loop = group.next();
        SimChannel channel = pbx.newChannel(loop, "PJSIP/pstn-" + pbx.ids().nextChannelSuffix(), "PJSIP", null,
                ChannelState.RING, callerIdNum, callerIdName, context, extension, Optional.of(caller));
        pbx.stats().callsStarted.increment();
        channel.ended().thenRun(pbx.stats().callsEnded::increment);
        loop.execute(() -> {
            caller.hangUpAfter().ifPresent(after -> channel.schedule(after, channel::callerHangsUp));
            pbx.runDialplan(channel);
        });
        return new SimulatedCall(channel);
    }

    /** AMI events written to logged-in clients so far (after manager.conf's filter); 0 without AMI. */
    /** Accepts one more AMI user, e.g. one per engine of a pair (no AMI server: refused). */
    public void addAmiUser(String user, String secret) {
        ami.orElseThrow(() -> new IllegalStateException("the simulator has no AMI server (amiPort -1)"))
                .addUser(user, secret);
    }

    /** Tells {@code log} of every call-changing AMI action (Originate, Redirect, Hangup, …) and who sent it. */
    public void onAmiAction(dev.hotline.simulator.ami.AmiServer.ActionLog log) {
        ami.ifPresent(server -> server.actionLog(log));
    }

    public long amiEventsSent() {
        return ami.map(AmiServer::eventsSent).orElse(0L);
    }

    public SimulatorSummary summary() {
        Pbx.Stats s = pbx.stats();
        return new SimulatorSummary(s.callsStarted.sum(), s.callsEnded.sum(), pbx.activeChannels(),
                s.agiSessions.sum(), s.agiConnectFailures.sum(), s.agiCommands.sum(), s.dialsAnswered.sum(),
                s.abandons.sum());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ami.ifPresent(AmiServer::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static final class Builder {
        private SimClock clock = RealClock.INSTANCE;
        private final List<DialplanContext> contexts = new ArrayList<>();
        private final Map<String, EndpointSpec> endpoints = new LinkedHashMap<>();
        private Media media = Media.everyFile(Duration.ofSeconds(3));
        private Handshake handshake = Handshake.shipped();
        private int amiPort = 0;
        private InetAddress amiBind = InetAddress.getLoopbackAddress();
        private String amiUser = "acd";
        private String amiSecret = "acdsecret";
        private long seed = 1;
        private Optional<Path> recordings = Optional.empty();
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Optional<Path> managerConf = Optional.empty();

        private record EndpointSpec(EndpointBehaviour behaviour, boolean registered) {
        }

        private Builder() {
        }

        public Builder clock(SimClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder context(DialplanContext context) {
            contexts.add(Objects.requireNonNull(context, "context"));
            return this;
        }

        /** How the dialplan of Hotline's contexts reads the handshake variables (default: the shipped dialplan). */
        public Builder handshake(Handshake value) {
            this.handshake = Objects.requireNonNull(value, "handshake");
            return this;
        }

        public Builder media(Media value) {
            this.media = Objects.requireNonNull(value, "media");
            return this;
        }

        /** A registered phone with the default behaviour (answers after 2 s, talks ~3 min). */
        public Builder endpoint(String name) {
            return endpoint(name, EndpointBehaviour.DEFAULT, true);
        }

        public Builder endpoint(String name, EndpointBehaviour behaviour, boolean registered) {
            if (endpoints.put(name, new EndpointSpec(behaviour, registered)) != null) {
                throw new IllegalArgumentException("endpoint defined twice: " + name);
            }
            return this;
        }

        /** The AMI TCP port: 0 for an ephemeral port (the default), -1 for no AMI server. */
        public Builder amiPort(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("amiPort: " + port + " (expected: -1, 0 or 1..65535)");
            }
            this.amiPort = port;
            return this;
        }

        public Builder amiBind(InetAddress address) {
            this.amiBind = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder amiCredentials(String user, String secret) {
            if (user.isBlank()) {
                throw new IllegalArgumentException("AMI user is blank");
            }
            this.amiUser = user;
            this.amiSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** Writes a short WAV file per MixMonitor recording into {@code dir} (Asterisk's monitor folder). */
        public Builder recordings(Path dir) {
            this.recordings = Optional.of(dir);
            return this;
        }

        /**
         * Honours an Asterisk {@code manager.conf} for the AMI user: only the classes of its {@code read} and the
         * events its {@code eventfilter}s let through are sent (see {@link ManagerConf}); credentials stay those of
         * {@link #amiCredentials}. {@link #start} fails naming the file and line on a section or filter it cannot
         * read.
         */
        public Builder managerConf(Path file) {
            this.managerConf = Optional.of(file);
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder threads(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads: " + count + " (expected: >= 1)");
            }
            this.threads = count;
            return this;
        }

        public AsteriskSimulator start() {
            EventFilter eventFilter = EventFilter.NONE;
            if (managerConf.isPresent()) {
                try {
                    eventFilter = ManagerConf.forUser(managerConf.get(), amiUser);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read " + managerConf.get() + ": " + e, e);
                }
            }
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                    new DefaultThreadFactory("simulator"), NioIoHandler.newFactory());
            try {
                Pbx[] holder = new Pbx[1];
                Endpoints phones = new Endpoints(() -> holder[0] == null ? EventSink.NONE : holder[0].events());
                Pbx pbx = new Pbx(clock, group, Dialplan.of(contexts), media, phones, seed);
                holder[0] = pbx;
                pbx.setHandshake(handshake);
                recordings.ifPresent(dir -> pbx.recordings().writeInto(dir));
                endpoints.forEach((name, spec) -> phones.add(name, spec.behaviour, spec.registered));
                Optional<AmiServer> ami = Optional.empty();
                if (amiPort >= 0) {
                    AmiServer server = AmiServer.start(pbx, new InetSocketAddress(amiBind, amiPort), amiUser,
                            amiSecret, eventFilter);
                    pbx.setEvents(server);
                    ami = Optional.of(server);
                }
                return new AsteriskSimulator(group, pbx, ami);
            } catch (RuntimeException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw e;
            }
        }
    }
}
