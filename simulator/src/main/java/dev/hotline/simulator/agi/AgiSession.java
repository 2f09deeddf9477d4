package dev.hotline.simulator.agi;

import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.model.ChannelOwner;
import dev.hotline.simulator.model.HangupCause;
import dev.hotline.simulator.model.Pbx;
import dev.hotline.simulator.model.SimChannel;
import dev.hotline.simulator.agi.PendingCommands.ExecDial;
import dev.hotline.simulator.agi.PendingCommands.GetData;
import dev.hotline.simulator.agi.PendingCommands.Pending;
import dev.hotline.simulator.agi.PendingCommands.Play;
import dev.hotline.simulator.agi.PendingCommands.Record;
import dev.hotline.simulator.agi.PendingCommands.Sleep;
import dev.hotline.simulator.agi.PendingCommands.WaitForDigit;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.string.StringEncoder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI session, Asterisk's side: connects to the server, sends the {@code agi_*} environment, answers
 * commands, and ends as res_agi.c's {@code run_agi()} does.
 *
 * <p>Design: everything runs on the call's event loop. A blocking command (STREAM FILE, GET DATA, WAIT FOR DIGIT,
 * EXEC …) becomes a {@link Pending} ({@link PendingCommands}) with timers from the simulator's clock; it ends by a timer, a DTMF digit, a soft
 * hangup, or (for the commands that poll the AGI socket) a new line from the server. On a soft hangup the pending
 * command answers {@code 200 result=-1}, then the unsolicited {@code HANGUP} line follows and the session is dead:
 * channel commands get 511. The session ends only when the server closes its side (then Asterisk writes one more
 * {@code HANGUP} and closes), or at once with {@code AGIEXITONHANGUP}. Only then is the channel released, which
 * starts the Redirect target's session, if any.
 */
public final class AgiSession extends ChannelInboundHandlerAdapter implements ChannelOwner {

    private static final Logger LOG = LoggerFactory.getLogger(AgiSession.class);
    static final String VERSION = "22.10.1";
    static final String DEAD = "511 Command Not Permitted on a dead channel or intercept routine\n";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DIGIT_GAP = Duration.ofMillis(150);
    /** RESULT_SHOWUSAGE: no reply can contain a NUL, so this cannot clash with one. */
    private static final String SHOW_USAGE = "\u0000usage";
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");

    private final Pbx pbx;
    private final SimChannel channel;
    private final AgiUrl url;
    private final List<String> args;
    private final boolean exitOnHangup;
    private final Deque<String> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Pending pending;
    private boolean dead;
    private boolean serverEof;
    private boolean ended;
    private boolean failed;
    /** The server's socket closed while an application (Dial) ran: the session ends when it returns. */
    private boolean socketGone;
    /** res_agi's sticky FAILURE: a command failed on a live channel; the session goes on, AGISTATUS says FAILURE. */
    private boolean commandFailed;
    private int commands;

    private AgiSession(Pbx pbx, SimChannel channel, AgiUrl url, List<String> args, boolean exitOnHangup) {
        this.pbx = pbx;
        this.channel = channel;
        this.url = url;
        this.args = List.copyOf(args);
        this.exitOnHangup = exitOnHangup;
    }

    /** Starts AGI on {@code channel} (on its loop): the channel is owned by the session until it ends. */
    public static void start(Pbx pbx, SimChannel channel, AgiUrl url, List<String> args, boolean exitOnHangup) {
        AgiSession session = new AgiSession(pbx, channel, url, args, exitOnHangup);
        channel.own(session);
        channel.setApplication("AGI", url.request() + (args.isEmpty() ? "" : "," + String.join(",", args)));
        pbx.stats().agiSessions.increment();
        new Bootstrap()
                .group(channel.loop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel socket) {
                        socket.pipeline().addLast(new AgiLineDecoder(), new StringEncoder(StandardCharsets.UTF_8),
                                session);
                    }
                })
                .connect(url.host(), url.port())
                .addListener((ChannelFutureListener) future -> {
                    if (!future.isSuccess()) {
                        session.connectFailed(future.cause());
                    }
                });
    }

    private void connectFailed(Throwable cause) {
        LOG.debug("Connecting to '{}:{}' failed for url '{}': {}", url.host(), url.port(), url.request(),
                cause.toString());
        pbx.stats().agiConnectFailures.increment();
        failed = true;
        finishSession();
    }

    // ---- Netty callbacks -------------------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        pbx.agiSocketOpened(context.channel());
        context.writeAndFlush(environment());
        if (channel.isSoftHungUp()) {
            sendHangupLine();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        String line = (String) msg;
        if (ended) {
            return;
        }
        pbx.stats().agiCommands.increment();
        commands++;
        if (pending != null) {
            if (!pending.interruptedBySocket()) {
                queued.addLast(line);
                return;
            }
        }
        handle(line);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            serverEof = true;
            if (pending == null && queued.isEmpty()) {
                endOnEof();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!ended && pending instanceof PendingCommands.ExecDial) {
            // res_agi is inside Dial, which runs to its end: Asterisk notices the server is gone only when Dial
            // returns and it cannot write the reply (the caller and the agent go on talking meanwhile).
            socketGone = true;
            return;
        }
        if (!ended) {
            ended = true;
            cancelPending();
            finishSession();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("AGI socket of {} failed: {}", channel.name(), cause.toString());
        context.close();
    }

    // ---- channel callbacks -----------------------------------------------------------------------------------

    @Override
    public void onSoftHangup() {
        if (ended) {
            return;
        }
        if (pending != null) {
            pending.onHangup();
        }
        if (ctx != null) {
            sendHangupLine();
        }
    }

    @Override
    public void onDtmf(char digit) {
        if (pending != null && !dead) {
            pending.onDigit(digit);
        }
    }

    // ---- the session -----------------------------------------------------------------------------------------

    private String environment() {
        StringBuilder env = new StringBuilder(640);
        line(env, "agi_network", "yes");
        line(env, "agi_network_script", url.script());
        line(env, "agi_request", url.request());
        line(env, "agi_channel", channel.name());
        line(env, "agi_language", "en");
        line(env, "agi_type", channel.type());
        line(env, "agi_uniqueid", channel.uniqueid());
        line(env, "agi_version", VERSION);
        line(env, "agi_callerid", orUnknown(channel.callerIdNum()));
        line(env, "agi_calleridname", orUnknown(channel.callerIdName()));
        line(env, "agi_callingpres", "0");
        line(env, "agi_callingani2", "0");
        line(env, "agi_callington", "0");
        line(env, "agi_callingtns", "0");
        line(env, "agi_dnid", "unknown");
        line(env, "agi_rdnis", "unknown");
        line(env, "agi_context", channel.context());
        line(env, "agi_extension", channel.exten());
        line(env, "agi_priority", Integer.toString(channel.priority()));
        line(env, "agi_enhanced", "0.0");
        line(env, "agi_accountcode", "");
        line(env, "agi_threadid", Long.toString(channel.threadId()));
        for (int i = 0; i < args.size(); i++) {
            line(env, "agi_arg_" + (i + 1), args.get(i));
        }
        return env.append('\n').toString();
    }

    private static void line(StringBuilder env, String key, String value) {
        env.append(key).append(": ").append(value).append('\n');
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "unknown" : value;
    }

    private void sendHangupLine() {
        if (dead) {
            return;
        }
        dead = true;
        write("HANGUP\n");
        if (exitOnHangup) {
            ended = true;
            cancelPending();
            ctx.writeAndFlush("HANGUP\n").addListener(ChannelFutureListener.CLOSE);
            finishSession();
        }
    }

    private void endOnEof() {
        if (ended) {
            return;
        }
        ended = true;
        ctx.writeAndFlush("HANGUP\n").addListener(ChannelFutureListener.CLOSE);
        finishSession();
    }

    /**
     * AGISTATUS as run_agi() leaves it: FAILURE after a failed connect, a {@code failure} line, or any command that
     * failed on a live channel (sticky, whatever came after); else HANGUP when the channel was hung up; else SUCCESS —
     * also when the server's socket simply closed in the middle of the session (a crash looks like a normal end).
     */
    private void finishSession() {
        String status = failed || commandFailed ? "FAILURE" : dead || channel.isSoftHungUp() ? "HANGUP" : "SUCCESS";
        channel.setVariable("AGISTATUS", status);
        channel.trace().session(new dev.hotline.simulator.model.CallTrace.Session(url.script(), commands, status,
                channel.isMusicOnHold()));
        channel.release();
    }

    /** A sound file the simulated Asterisk does not have: Asterisk's warning, and the session's sticky FAILURE. */
    void missingFile(String file) {
        LOG.warn("file.c: File {} does not exist in any format", file);
        if (!isDead()) {
            commandFailed = true;
        }
    }

    void write(String text) {
        if (ctx != null && !ended) {
            ctx.writeAndFlush(text);
        }
    }

    boolean isDead() {
        return dead || channel.isSoftHungUp();
    }

    void afterCommand() {
        while (pending == null && !queued.isEmpty() && !ended) {
            handle(queued.removeFirst());
        }
        if (pending == null && serverEof && queued.isEmpty()) {
            endOnEof();
        }
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancelTimers();
            pending = null;
        }
    }

    private void handle(String line) {
        if (line.regionMatches(true, 0, "failure", 0, 7)) {
            failed = true;
            ended = true;
            ctx.close();
            finishSession();
            return;
        }
        List<String> argv = AgiArgs.parse(line);
        AgiCommand command = AgiCommand.find(argv);
        if (command == null) {
            write("510 Invalid or unknown command\n");
        } else if (isDead() && !command.allowedDead()) {
            write(DEAD);
        } else {
            String reply = run(command, argv);
            if (SHOW_USAGE.equals(reply)) {
                write(AgiUsage.reply(command.usageKey()));
            } else if (reply != null) {
                write(reply);
            }
        }
        afterCommand();
    }

    /** Runs a command: returns the reply, {@link #SHOW_USAGE}, or null when a {@link Pending} will answer. */
    private String run(AgiCommand command, List<String> argv) {
        int argc = argv.size();
        return switch (command) {
            case ANSWER -> {
                channel.answer();
                yield "200 result=0\n";
            }
            case CHANNEL_STATUS -> {
                if (argc == 2) {
                    yield "200 result=" + channel.state().code() + "\n";
                } else if (argc == 3) {
                    yield pbx.channel(argv.get(2)).map(c -> "200 result=" + c.snapshot().state().code() + "\n")
                            .orElse("200 result=-1\n");
                }
                yield SHOW_USAGE;
            }
            case DATABASE_GET -> {
                if (argc != 4) {
                    yield SHOW_USAGE;
                }
                String value = pbx.database().get(argv.get(2) + "/" + argv.get(3));
                yield value == null ? "200 result=0\n" : "200 result=1 (" + value + ")\n";
            }
            case DATABASE_PUT -> {
                if (argc != 5) {
                    yield SHOW_USAGE;
                }
                pbx.database().put(argv.get(2) + "/" + argv.get(3), argv.get(4));
                yield "200 result=1\n";
            }
            case DATABASE_DEL -> {
                if (argc != 4) {
                    yield SHOW_USAGE;
                }
                yield pbx.database().remove(argv.get(2) + "/" + argv.get(3)) != null
                        ? "200 result=1\n" : "200 result=0\n";
            }
            case EXEC -> {
                if (argc < 2) {
                    yield SHOW_USAGE;
                }
                yield exec(argv.get(1), argc >= 3 ? argv.get(2) : "");
            }
            case GET_DATA -> {
                if (argc < 3 || argc > 5) {
                    yield SHOW_USAGE;
                }
                int timeout = argc >= 4 ? atoi(argv.get(3)) : 0;
                int max = argc >= 5 ? atoi(argv.get(4)) : 1024;
                begin(new GetData(this, argv.get(2), timeout, max));
                yield null;
            }
            case GET_FULL_VARIABLE -> {
                if (argc != 4 && argc != 5) {
                    yield SHOW_USAGE;
                }
                Optional<SimChannel> target = argc == 5 ? pbx.channel(argv.get(4)) : Optional.of(channel);
                yield target.map(c -> "200 result=1 (" + substitute(c, argv.get(3)) + ")\n").orElse("200 result=0\n");
            }
            case GET_OPTION -> {
                if (argc != 4 && argc != 5) {
                    yield SHOW_USAGE;
                }
                int timeout = argc == 5 ? atoi(argv.get(4)) : 5000;
                begin(new Play(this, argv.get(2), argv.get(3), 0, Optional.of(timeout)));
                yield null;
            }
            case GET_VARIABLE -> {
                if (argc != 3) {
                    yield SHOW_USAGE;
                }
                yield lookup(channel, argv.get(2)).map(v -> "200 result=1 (" + v + ")\n").orElse("200 result=0\n");
            }
            case HANGUP -> {
                if (argc == 1) {
                    write("200 result=1\n");
                    channel.hangup(HangupCause.NORMAL_CLEARING);
                    yield null;
                } else if (argc == 2) {
                    Optional<SimChannel> target = pbx.channel(argv.get(1));
                    target.ifPresent(c -> c.execute(() -> c.hangup(HangupCause.NORMAL_CLEARING)));
                    yield target.isPresent() ? "200 result=1\n" : "200 result=-1\n";
                }
                yield SHOW_USAGE;
            }
            case NOOP -> "200 result=0\n";
            case RECORD_FILE -> {
                if (argc < 6) {
                    yield SHOW_USAGE;
                }
                begin(new Record(this, argv.get(4), atoi(argv.get(5))));
                yield null;
            }
            case SAY_DIGITS -> {
                if (argc != 4) {
                    yield SHOW_USAGE;
                }
                begin(new Play(this, "digits/" + argv.get(2), argv.get(3), 0, Optional.empty(),
                        digitsLength(argv.get(2))).asSay());
                yield null;
            }
            case SAY_NUMBER -> {
                if (argc != 4 && argc != 5) {
                    yield SHOW_USAGE;
                }
                begin(new Play(this, "digits/" + argv.get(2), argv.get(3), 0, Optional.empty(),
                        Duration.ofMillis(600L * argv.get(2).length())).asSay());
                yield null;
            }
            case SET_AUTOHANGUP -> {
                if (argc != 3) {
                    yield SHOW_USAGE;
                }
                int seconds = atoi(argv.get(2));
                if (seconds > 0) {
                    channel.schedule(Duration.ofSeconds(seconds), () -> channel.hangup(HangupCause.NORMAL_CLEARING));
                }
                yield "200 result=0\n";
            }
            case SET_CALLERID -> argc != 3 ? SHOW_USAGE : "200 result=1\n";
            case SET_CONTEXT, SET_EXTENSION, SET_PRIORITY -> argc != 3 ? SHOW_USAGE : "200 result=0\n";
            case SET_MUSIC -> {
                if (argc < 3 || argc > 4) {
                    yield SHOW_USAGE;
                }
                String onOff = argv.get(2).toLowerCase(Locale.ROOT);
                if (onOff.equals("on")) {
                    channel.setMusicOnHold(true, argc == 4 ? argv.get(3) : "default");
                } else if (onOff.equals("off")) {
                    channel.setMusicOnHold(false, "");
                }
                yield "200 result=0\n";
            }
            case SET_VARIABLE -> {
                if (argc != 4) {
                    yield SHOW_USAGE;
                }
                channel.setVariable(argv.get(2), argv.get(3));
                yield "200 result=1\n";
            }
            case STREAM_FILE -> {
                if (argc != 4 && argc != 5) {
                    yield SHOW_USAGE;
                }
                long offset = argc == 5 ? Math.max(0, atoi(argv.get(4))) : 0;
                begin(new Play(this, argv.get(2), argv.get(3), offset, Optional.empty()));
                yield null;
            }
            case VERBOSE -> argc < 2 || argc > 3 ? SHOW_USAGE : "200 result=1\n";
            case WAIT_FOR_DIGIT -> {
                if (argc != 4) {
                    yield SHOW_USAGE;
                }
                begin(new WaitForDigit(this, atoi(argv.get(3))));
                yield null;
            }
        };
    }

    /** C's atoi: leading digits with an optional sign, 0 when there are none. */
    static int atoi(String text) {
        Matcher m = Pattern.compile("^\\s*([+-]?\\d+)").matcher(text);
        if (!m.find()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return m.group(1).startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    private static Optional<String> lookup(SimChannel c, String name) {
        return switch (name) {
            case "CHANNEL" -> Optional.of(c.name());
            case "CONTEXT" -> Optional.of(c.context());
            case "EXTEN" -> Optional.of(c.exten());
            case "PRIORITY" -> Optional.of(Integer.toString(c.priority()));
            case "UNIQUEID" -> Optional.of(c.uniqueid());
            case "CALLERID(num)" -> Optional.of(c.callerIdNum());
            case "CALLERID(name)" -> Optional.of(c.callerIdName());
            case "CHANNEL(linkedid)" -> Optional.of(c.linkedid());
            default -> c.variable(name);
        };
    }

    private static String substitute(SimChannel c, String expression) {
        Matcher m = EXPRESSION.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(lookup(c, m.group(1)).orElse("")));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- EXEC -------------------------------------------------------------------------------------------------

    private String exec(String app, String data) {
        String[] parts = data.split(",", -1);
        return switch (app.toLowerCase(Locale.ROOT)) {
            case "answer" -> {
                channel.answer();
                yield "200 result=0\n";
            }
            case "noop", "verbose", "log" -> "200 result=0\n";
            case "mset" -> {
                // MSet(name1=value1,name2=value2,…): several variables in one application.
                for (String pair : parts) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        channel.setVariable(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                yield "200 result=0\n";
            }
            case "set" -> {
                int eq = data.indexOf('=');
                if (eq > 0) {
                    channel.setVariable(data.substring(0, eq), data.substring(eq + 1));
                }
                yield "200 result=0\n";
            }
            case "mixmonitor" -> {
                channel.setVariable("MIXMONITOR_FILENAME", parts[0]);
                yield channel.pbx().recordings().start(channel.name(), parts[0], channel.ended()) ? "200 result=0\n"
                        : "200 result=-1\n";
            }
            case "hangup" -> {
                write("200 result=-1\n");
                channel.hangup(HangupCause.NORMAL_CLEARING);
                yield null;
            }
            case "wait" -> {
                begin(new Sleep(this, seconds(parts[0]), false));
                yield null;
            }
            case "musiconhold" -> {
                channel.setMusicOnHold(true, parts[0].isEmpty() ? "default" : parts[0]);
                Duration length = parts.length > 1 && !parts[1].isEmpty() ? seconds(parts[1]) : null;
                begin(new Sleep(this, length, true));
                yield null;
            }
            case "playback", "background" -> {
                begin(new Play(this, parts[0], app.equalsIgnoreCase("background") ? "0123456789*#" : "", 0,
                        Optional.empty()).asApplication());
                yield null;
            }
            case "amd" -> {
                // Asterisk's AMD(): MACHINE on a line the simulation marks as a machine, else HUMAN.
                String device = channel.name().contains("-")
                        ? channel.name().substring(0, channel.name().lastIndexOf('-')) : channel.name();
                boolean machine = channel.pbx().endpoints().find(device)
                        .map(dev.hotline.simulator.endpoint.Endpoint::isMachine).orElse(false);
                channel.setVariable("AMDSTATUS", machine ? "MACHINE" : "HUMAN");
                channel.setVariable("AMDCAUSE", machine ? "INITIALSILENCE-2500-2500" : "HUMAN-300-1000");
                yield "200 result=0\n";
            }
            case "dial" -> {
                ExecDial dial = new ExecDial(this);
                begin(dial);
                dial.start(data);
                yield null;
            }
            default -> "200 result=-2\n";
        };
    }

    /**
     * SAY DIGITS plays one file per character ({@code digits/0} … {@code digits/9}, {@code digits/star}…): the sum of
     * their lengths in the media, 500 ms (a typical digit file) for a file the media does not list.
     */
    private Duration digitsLength(String digits) {
        Duration total = Duration.ZERO;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            String file = "digits/" + (c == '*' ? "star" : c == '#' ? "pound" : String.valueOf(c));
            total = total.plus(pbx.media().length(file).orElse(Duration.ofMillis(500)));
        }
        return total;
    }

    private static Duration seconds(String text) {
        try {
            double value = Double.parseDouble(text.trim());
            return Duration.ofNanos((long) (Math.max(0, value) * 1e9));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    // ---- pending commands ---------------------------------------------------------------------------------------

    Pending pending() {
        return pending;
    }

    /** True once the server's socket closed while Dial ran (see {@link #channelInactive}). */
    boolean socketGone() {
        return socketGone;
    }

    /** Dial returned after the server's socket closed: the AGI ends now (AGISTATUS from the channel's state). */
    void returnedToNoServer(Pending from) {
        if (pending != from || ended) {
            return;
        }
        from.finish(null);
        ended = true;
        finishSession();
    }

    void clearPending() {
        pending = null;
    }

    SimChannel channel() {
        return channel;
    }

    Pbx pbx() {
        return pbx;
    }

    private void begin(Pending command) {
        pending = command;
        command.start();
    }

    void react(Reaction reaction, Pending owner) {
        switch (reaction) {
            case Reaction.Press press -> {
                for (int i = 0; i < press.digits().length(); i++) {
                    char digit = press.digits().charAt(i);
                    owner.timer(press.after().plus(DIGIT_GAP.multipliedBy(i)), () -> channel.sendDtmf(digit));
                }
            }
            case Reaction.HangUp hangUp -> channel.startPatience(hangUp.after());
            case Reaction.Nothing nothing -> { }
        }
    }

}
