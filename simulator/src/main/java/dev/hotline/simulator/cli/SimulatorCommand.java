package dev.hotline.simulator.cli;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.ArrivalModel;
import dev.hotline.simulator.load.CallerModel;
import dev.hotline.simulator.load.Distribution;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalTime;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hotline simulator}: a simulated Asterisk 22 that a real Hotline can be pointed at. */
@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = "Runs a simulated Asterisk 22 (AMI + FastAGI) with agent phones and random callers.")
public final class SimulatorCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorCommand.class);

    @Option(names = "--ami-port", defaultValue = "5038", description = "AMI TCP port (default: ${DEFAULT-VALUE}).")
    int amiPort;

    @Option(names = "--ami-bind", defaultValue = "127.0.0.1", description = "AMI bind address (default: ${DEFAULT-VALUE}).")
    String amiBind;

    @Option(names = "--ami-user", defaultValue = "acd", description = "AMI user (default: ${DEFAULT-VALUE}).")
    String amiUser;

    @Option(names = "--ami-secret", defaultValue = "acdsecret", description = "AMI secret (default: ${DEFAULT-VALUE}).")
    String amiSecret;

    @Option(names = "--agi-target", defaultValue = "127.0.0.1:4573",
            description = "host:port of the FastAGI server (default: ${DEFAULT-VALUE}).")
    String agiTarget;

    @Option(names = "--agi-script", defaultValue = "main-menu",
            description = "Script of inbound calls (default: ${DEFAULT-VALUE}).")
    String agiScript;

    /** Set here, not as the option's defaultValue: picocli would expand the dialplan's ${EXTEN} there (to null). */
    @Option(names = "--connect-script",
            description = "Script of the Redirect target context hotline-connect (default: connect?call=$${EXTEN}).")
    String connectScript = "connect?call=${EXTEN}";

    @Option(names = "--callers-per-minute", defaultValue = "6",
            description = "Mean Poisson arrival rate (default: ${DEFAULT-VALUE}; 0: no random callers).")
    double callersPerMinute;

    @Option(names = "--agents", defaultValue = "10",
            description = "Agent phones PJSIP/1001… (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--answer-probability", defaultValue = "0.9",
            description = "Chance an agent answers a ring (default: ${DEFAULT-VALUE}).")
    double answerProbability;

    @Option(names = "--mean-handle-time", defaultValue = "PT3M",
            description = "Mean agent talk time, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration meanHandleTime;

    @Option(names = "--mean-patience", defaultValue = "PT2M",
            description = "Mean caller patience while waiting, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration meanPatience;

    @Option(names = "--duration", description = "Stop after this long, ISO-8601 (e.g. PT10M); default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--summary-interval", defaultValue = "PT10S",
            description = "How often to log the one-line summary (default: ${DEFAULT-VALUE}).")
    Duration summaryInterval;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--manager-conf", description = "An Asterisk manager.conf whose section for --ami-user sets the"
            + " event classes (read) and eventfilters the AMI client gets, as Asterisk does (e.g."
            + " docker/asterisk/manager.conf with --ami-user hotline).")
    java.nio.file.Path managerConf;

    @Option(names = "--threads", defaultValue = "2", description = "Event-loop threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--sounds", paramLabel = "DIR", description = "An Asterisk sounds folder: only its files exist"
            + " (en/welcome.wav plays as en/welcome); any other file fails as on Asterisk. Default: every file exists.")
    java.nio.file.Path sounds;

    @Option(names = "--sound-list", paramLabel = "FILE", description = "A file of sound names, one a line"
            + " (en/welcome, queue-youarenext …; # comments): only those exist. With --sounds: both.")
    java.nio.file.Path soundList;

    @Option(names = "--sound-length", defaultValue = "PT1.5S",
            description = "How long each known sound plays, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration soundLength;

    @Option(names = "--handshake", defaultValue = "marker", paramLabel = "marker|agistatus",
            description = "How from-pstn and hotline-connect go on after AGI: marker (the shipped extensions.conf's"
                    + " hotline-return: HOTLINE_HANDLED; a lost call re-enters --resume-script, 15 rounds 1 s apart,"
                    + " then the fallback queue) or agistatus (the dialplan before the marker: FAILURE → fallback"
                    + " queue). Default: ${DEFAULT-VALUE}.")
    String handshake;

    @Option(names = "--resume-script", paramLabel = "SCRIPT",
            description = "With --handshake marker: the script a lost call re-enters (default: resume?call= and the"
                    + " call's linkedid, as the shipped dialplan).")
    String resumeScript;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String agiBase = "agi://" + agiTarget + "/";
        Handshake mode;
        Media media;
        try {
            mode = handshake(agiBase);
            media = media();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("hotline simulator: " + e.getMessage());
            return 2;
        }
        AsteriskSimulator.Builder builder = AsteriskSimulator.builder()
                .amiPort(amiPort).amiBind(InetAddress.getByName(amiBind)).amiCredentials(amiUser, amiSecret)
                .seed(seed).threads(threads).media(media).handshake(mode)
                .context(DialplanContext.inbound("from-pstn", agiBase + agiScript)
                        .then(DialplanContext.AfterAgi.HOTLINE_MAIN))
                .context(DialplanContext.redirectTarget("hotline-connect", agiBase + connectScript)
                        .then(DialplanContext.AfterAgi.HOTLINE_CONNECT));
        if (managerConf != null) {
            builder.managerConf(managerConf);
        }
        EndpointBehaviour phones = new EndpointBehaviour(
                Distribution.uniform(Duration.ofSeconds(1), Duration.ofSeconds(5)), answerProbability,
                Distribution.exponential(meanHandleTime));
        for (int i = 0; i < agents; i++) {
            builder.endpoint("PJSIP/" + (1001 + i), phones, true);
        }
        CallerModel callers = new CallerModel(java.util.Map.of(), CallerModel.typical().defaultChoices(),
                CallerModel.typical().thinkTime(), Distribution.exponential(meanPatience), Duration.ofMinutes(30));
        CountDownLatch stop = new CountDownLatch(1);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "simulator-arrivals");
            thread.setDaemon(true);
            return thread;
        });
        try (AsteriskSimulator asterisk = builder.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            LOG.info("simulated Asterisk 22: AMI on {}:{}, FastAGI to {}, {} agents, {} callers/min", amiBind,
                    asterisk.amiPort(), agiTarget, agents, callersPerMinute);
            SplittableRandom random = new SplittableRandom(seed);
            if (callersPerMinute > 0) {
                ArrivalModel arrivals = ArrivalModel.flat(callersPerMinute);
                scheduleArrival(timers, asterisk, arrivals, callers, random);
            }
            timers.scheduleAtFixedRate(() -> LOG.info("{}", asterisk.summary().oneLine()),
                    summaryInterval.toMillis(), summaryInterval.toMillis(), TimeUnit.MILLISECONDS);
            if (duration != null) {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stop.await();
            }
            LOG.info("stopping: {}", asterisk.summary().oneLine());
        } finally {
            timers.shutdownNow();
        }
        return 0;
    }

    Handshake handshake(String agiBase) {
        return switch (handshake.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "agistatus" -> Handshake.shipped();
            case "marker" -> Handshake.hotline(agiBase + (resumeScript == null ? "resume?call="
                    + DialplanContext.LINKEDID : resumeScript), java.util.Optional.empty(), 15, Duration.ofSeconds(1));
            default -> throw new IllegalArgumentException("--handshake: '" + handshake
                    + "' (expected: agistatus or marker)");
        };
    }

    private Media media() {
        if (sounds == null && soundList == null) {
            return Media.everyFile(soundLength);
        }
        Media media = sounds != null ? Media.folder(sounds, soundLength) : Media.files(java.util.List.of(), soundLength);
        if (soundList != null) {
            java.util.List<String> names;
            try {
                names = java.nio.file.Files.readAllLines(soundList).stream().map(String::trim)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--sound-list " + soundList + ": cannot read (" + e.getMessage()
                        + ")");
            }
            media = media.plus(names, soundLength);
        }
        return media;
    }

    private void scheduleArrival(ScheduledExecutorService timers, AsteriskSimulator asterisk, ArrivalModel arrivals,
                                 CallerModel callers, SplittableRandom random) {
        Duration gap = arrivals.nextGap(random, LocalTime.now());
        timers.schedule(() -> {
            String number = "06" + (10_000_000 + random.nextInt(90_000_000));
            asterisk.placeCall("from-pstn", "5551234", number, "PSTN Caller", callers.newCaller(random.split()));
            scheduleArrival(timers, asterisk, arrivals, callers, random);
        }, gap.toNanos(), TimeUnit.NANOSECONDS);
    }
}
