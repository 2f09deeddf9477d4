package dev.hotline.cli.demo;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.AmiServerConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.yaml.Secret;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The engine and the Asterisk simulator wired to each other over loopback TCP: the simulator's dialplan sends
 * inbound calls to the engine's FastAGI port ({@code from-pstn} → {@code main-menu}) and the connect context
 * ({@code hotline-connect} → {@code connect?call=${EXTEN}}) back to it; the engine logs in to the simulator's
 * AMI. Used by {@code ./hotline demo} and the end-to-end tests.
 */
public final class DemoWorld implements AutoCloseable {

    public static final String AMI_USER = "hotline";
    public static final String AMI_SECRET = "demo-secret";

    private volatile AsteriskSimulator asterisk;
    private volatile HotlineEngine engine;
    private final List<AgentConfig> agents;
    private final AsteriskSimulator.Builder simulatorSpec;

    private DemoWorld(AsteriskSimulator asterisk, HotlineEngine engine, List<AgentConfig> agents,
                      AsteriskSimulator.Builder simulatorSpec) {
        this.asterisk = asterisk;
        this.engine = engine;
        this.agents = List.copyOf(agents);
        this.simulatorSpec = simulatorSpec;
    }

    /**
     * Asterisk is killed with its calls up ({@link AsteriskSimulator#kill}) and, after {@code down}, a new simulated
     * Asterisk starts on the same AMI port with the same dialplan and phones and no calls; the engine reconnects by
     * itself. Returns how many channels were up.
     */
    public int restartAsterisk(Duration down, long seed) throws InterruptedException {
        int port = asterisk.amiPort();
        int up = asterisk.kill();
        try {
            Thread.sleep(down.toMillis());
        } finally {
            // Interrupted or not, the world gets its Asterisk back.
            asterisk = simulatorSpec.amiPort(port).seed(seed).start();
        }
        return up;
    }

    /**
     * Kills the engine as {@code kill -9} would ({@link HotlineEngine#halt}): the simulated Asterisk sees every FastAGI
     * socket close and applies the shipped dialplan's handshake (resume, then the fallback queue).
     */
    public void killEngine() throws InterruptedException {
        engine.halt();
    }

    /** Starts a new engine with the configuration and database of the one before (after {@link #killEngine}). */
    public HotlineEngine startEngineAgain() throws InterruptedException {
        engine = new HotlineEngine(engine.config(), agents, "restarted").start();
        return engine;
    }

    /** Stops the engine and starts a new one with the same configuration and database (the simulator stays up). */
    public HotlineEngine restartEngine() throws InterruptedException {
        HotlineConfig config = engine.config();
        String version = "restarted";
        engine.close();
        engine = new HotlineEngine(config, agents, version).start();
        return engine;
    }

    /**
     * Starts both. {@code base} supplies queues, ACD settings and IVR scripts; the FastAGI port, the AMI server
     * and (unless given) the database are replaced by the demo's own.
     *
     * @param phones how the simulated agent phones behave
     * @param media  how long prompts play
     */
    public static DemoWorld start(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones, Media media,
                                  long seed, String version) throws IOException, InterruptedException {
        return start(base, agents, phones, media, seed, version, java.util.Map.of(), List.of());
    }

    /** As above, with the simulated dialplan reading Hotline's variables as {@code handshake} says. */
    public static DemoWorld start(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones, Media media,
                                  long seed, String version, Handshake handshake)
            throws IOException, InterruptedException {
        return start(base, agents, phones, media, seed, version, java.util.Map.of(), List.of(),
                java.util.Optional.of(handshake));
    }

    /**
     * As above; {@code handshake} empty: the shipped dialplan's ({@code hotline-return}, resuming at this engine).
     */
    public static DemoWorld start(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones, Media media,
                                  long seed, String version, java.util.Optional<Handshake> handshake)
            throws IOException, InterruptedException {
        return start(base, agents, phones, media, seed, version, java.util.Map.of(), List.of(), handshake);
    }

    /**
     * As above, plus simulator contexts that run engine scripts ({@code context → "script?query"}, where
     * {@code ${EXTEN}} is substituted) and extra registered phones (e.g. a supervisor's).
     */
    public static DemoWorld start(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones, Media media,
                                  long seed, String version, java.util.Map<String, String> contexts,
                                  List<String> extraPhones) throws IOException, InterruptedException {
        return start(base, agents, phones, media, seed, version, contexts, extraPhones, java.util.Optional.empty());
    }

    private static DemoWorld start(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones, Media media,
                                   long seed, String version, java.util.Map<String, String> contexts,
                                   List<String> extraPhones, java.util.Optional<Handshake> handshake)
            throws IOException, InterruptedException {
        // The FastAGI port must be known before the simulator's dialplan is built, so it is picked free and then
        // bound; another process can take it in between, so a failed bind is retried with a new port.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(base, agents, phones, media, seed, version, contexts, extraPhones, handshake);
            } catch (IllegalStateException e) {
                if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("cannot listen")) {
                    throw e;
                }
            }
        }
    }

    private static DemoWorld startOnce(HotlineConfig base, List<AgentConfig> agents, EndpointBehaviour phones,
                                       Media media, long seed, String version, java.util.Map<String, String> contexts,
                                       List<String> extraPhones, java.util.Optional<Handshake> handshake)
            throws IOException, InterruptedException {
        int agiPort = freePort();
        String agi = "agi://127.0.0.1:" + agiPort + "/";
        // The simulated Asterisk writes a short WAV per recorded call where Hotline reads them: next to the demo's
        // data, never into a production recordings folder.
        Path recordings = recordingsOf(base);
        AsteriskSimulator.Builder sim = AsteriskSimulator.builder()
                .amiPort(0).amiBind(InetAddress.getLoopbackAddress()).amiCredentials(AMI_USER, AMI_SECRET)
                // The shipped dialplan's handshake unless told otherwise: a call Hotline did not hand back is
                // resumed (15 rounds, 1 s apart), then goes to the fallback queue.
                .media(media).seed(seed).recordings(recordings).handshake(handshake.orElseGet(() ->
                        Handshake.hotline(agi + "resume?call=" + DialplanContext.LINKEDID, java.util.Optional.empty(),
                                15, Duration.ofSeconds(1))))
                // from-pstn and hotline-connect go on after AGI as docker/asterisk/extensions.conf does.
                .context(DialplanContext.inbound("from-pstn", agi + "main-menu?call=" + DialplanContext.LINKEDID)
                        .then(DialplanContext.AfterAgi.HOTLINE_MAIN))
                .context(DialplanContext.redirectTarget(base.acd().connectContext(), agi + "connect?call=${EXTEN}")
                        .then(DialplanContext.AfterAgi.HOTLINE_CONNECT))
                .context(DialplanContext.redirectTarget(base.acd().callback().context(),
                        agi + "callback?id=${EXTEN}"))
                .context(DialplanContext.redirectTarget(dev.hotline.outbound.Outbound.CONTEXT,
                        agi + "outbound?call=${EXTEN}"));
        for (AgentConfig a : agents) {
            for (String endpoint : a.endpoints()) {
                sim.endpoint(endpoint, phones, true);
            }
        }
        contexts.forEach((context, script) -> sim.context(DialplanContext.redirectTarget(context, agi + script)));
        extraPhones.forEach(p -> sim.endpoint(p, phones, true));
        AsteriskSimulator asterisk = sim.start();
        try {
            HotlineConfig config = base
                    .withAgi(new AgiConfig("127.0.0.1", agiPort, AgiConfig.DEFAULTS.allow(), 20_000,
                            base.agi().idleTimeout(), base.agi().commandTimeout(), Duration.ofSeconds(2),
                            base.agi().maxLineLength(), base.agi().maxEnvironmentSize()))
                    .withAmiServers(List.of(new AmiServerConfig("sim", "127.0.0.1", asterisk.amiPort(), AMI_USER,
                            Secret.of(AMI_SECRET), Duration.ofSeconds(5))))
                    .withQa(base.qa().withRecordingsDir(recordings));
            HotlineEngine engine = new HotlineEngine(config, agents, version).start();
            return new DemoWorld(asterisk, engine, agents, sim);
        } catch (RuntimeException | InterruptedException e) {
            asterisk.close();
            throw e;
        }
    }

    /** The recordings folder of a demo or test world: {@code recordings/} in its data folder. */
    public static Path recordingsOf(HotlineConfig config) {
        return config.database().dataDir().toAbsolutePath().normalize().resolve("recordings");
    }

    /** The embedded database under {@code dataDir} (the demo never touches a production database). */
    public static DatabaseConfig embeddedDatabase(Path dataDir) {
        return new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dataDir, "", "", Secret.NONE, 2);
    }

    public AsteriskSimulator asterisk() {
        return asterisk;
    }

    public HotlineEngine engine() {
        return engine;
    }

    /** Waits until the engine's AMI connection to the simulator is up (at most {@code timeout}). */
    public boolean awaitAmi(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (engine.ami().values().stream().allMatch(dev.hotline.ami.AmiConnection::isUp)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        engine.close();
        asterisk.close();
    }
}
