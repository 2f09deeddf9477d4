package dev.hotline.agi.server;

import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.AgiTimeoutException;
import dev.hotline.agi.ChannelState;
import dev.hotline.agi.DigitInput;
import dev.hotline.agi.Playback;
import dev.hotline.agi.Recording;
import dev.hotline.agi.WaitResult;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.agi.codec.AgiHangup;
import dev.hotline.agi.codec.AgiProtocolException;
import dev.hotline.agi.codec.AgiReply;
import dev.hotline.handoff.Handback;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One FastAGI connection: the Netty handler that receives decoded messages on the event loop, and the
 * {@link AgiSession} the call's virtual thread drives.
 *
 * <p>Threads: the event loop only completes futures and flips flags; the virtual thread writes commands and
 * blocks on the reply future. AGI allows one outstanding command, so there is one {@code pending} slot. A reply
 * with nothing pending, a protocol error, a timeout or the idle check closes the connection; a pending command
 * then fails with {@link AgiHangupException} so the call logic unwinds.
 *
 * <p>End of session: when the script returns, the server half-closes (shutdown output), Asterisk answers with a
 * last {@code HANGUP} line and closes its side, and the connection closes on that EOF (or after
 * {@link #CLOSE_WAIT} if Asterisk does not close). A hard close would make Asterisk log a connection reset.
 */
final class AgiConnection extends ChannelInboundHandlerAdapter implements AgiSession {

    private static final Logger log = LoggerFactory.getLogger(AgiConnection.class);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** Time allowed for a prompt to play before the digits of GET DATA start to count. */
    private static final Duration PROMPT_ALLOWANCE = Duration.ofMinutes(2);
    private static final Duration PLAYBACK_ALLOWANCE = Duration.ofMinutes(30);

    private final AgiServer server;
    private final long id;
    private final Duration commandTimeout;
    private final AgiMetrics metrics;

    private Channel channel;
    private volatile AgiEnvironment environment;
    private volatile CompletableFuture<AgiReply> pending;
    private volatile AgiCommand pendingCommand;
    private volatile Duration pendingLimit;
    private volatile long deadlineNanos;
    private final long openedNanos;
    private volatile long lastActivityNanos;
    private volatile boolean hungUp;
    private volatile boolean eof;
    private volatile boolean scriptDone;
    private volatile AgiMetrics.Outcome outcome;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String closeReason;

    AgiConnection(AgiServer server, long id, Duration commandTimeout, AgiMetrics metrics, long openedNanos) {
        this.server = server;
        this.id = id;
        this.commandTimeout = commandTimeout;
        this.metrics = metrics;
        this.openedNanos = openedNanos;
        this.lastActivityNanos = openedNanos;
    }

    // ---------------------------------------------------------------- event loop side

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        metrics.sessionStarted();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = server.nanoTime();
        switch ((dev.hotline.agi.codec.AgiInbound) msg) {
            case AgiEnvironment env -> start(env);
            case AgiHangup h -> hungUp = true;
            case AgiReply.Trying t -> { } // interim (GOSUB): the real reply follows
            case AgiReply reply -> complete(reply);
        }
    }

    private void start(AgiEnvironment env) {
        if (environment != null) {
            protocolError("second_environment", "a second agi_* environment block in one session");
            return;
        }
        environment = env;
        server.callStarted();
        Thread.ofVirtual().name("agi-" + id).start(this::runScript);
    }

    private void complete(AgiReply reply) {
        CompletableFuture<AgiReply> p = pending;
        if (p == null || environment == null) {
            protocolError("unsolicited_reply", "a reply with no command pending: " + reply);
            return;
        }
        pending = null;
        p.complete(reply);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            eof = true;
            hungUp = true;
            failPending("Asterisk closed the connection");
            if (scriptDone || environment == null) {
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof AgiProtocolException p) {
            protocolError(p.reason(), p.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("FastAGI session {} ({}): {}", id, describe(), cause.toString());
            ctx.close();
        } else {
            log.warn("FastAGI session {} ({}): unexpected error; closing", id, describe(), cause);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        eof = true;
        hungUp = true;
        failPending(closeReason != null ? closeReason : "connection closed");
        if (environment == null) {
            // Never started a script: Asterisk gave up, or the environment was refused.
            outcome(closeReason != null ? outcome : AgiMetrics.Outcome.HANGUP);
            end();
        } else if (scriptDone) {
            end();
        }
        // Otherwise the script thread ends the session when it unwinds.
    }

    private void protocolError(String reason, String message) {
        metrics.protocolError(reason);
        closeReason = "protocol error: " + message;
        outcome(AgiMetrics.Outcome.PROTOCOL_ERROR);
        log.warn("FastAGI session {} ({}) closed: protocol error: {}", id, describe(), message);
        channel.close();
    }

    private void failPending(String why) {
        CompletableFuture<AgiReply> p = pending;
        if (p != null) {
            pending = null;
            p.completeExceptionally(new AgiHangupException(why));
        }
    }

    // ---------------------------------------------------------------- call thread side

    private void runScript() {
        AgiEnvironment env = environment;
        String name = env.script();
        try {
            Optional<AgiScript> script = server.router().find(name);
            if (script.isEmpty()) {
                log.warn("FastAGI session {} ({}): unknown script '{}' (request {}); the dialplan continues",
                        id, describe(), name, env.get("agi_request").orElse("?"));
                outcome(AgiMetrics.Outcome.UNKNOWN_SCRIPT);
                setVariable("HOTLINE_ERROR", "unknown script '" + AgiCommand.sanitize(name) + "'");
                Handback.handBack(this, Handback.Outcome.FALLBACK, "unknown script " + AgiCommand.sanitize(name));
            } else {
                script.get().run(this);
                outcome(hungUp ? AgiMetrics.Outcome.HANGUP : AgiMetrics.Outcome.COMPLETED);
            }
        } catch (AgiHangupException e) {
            outcome(AgiMetrics.Outcome.HANGUP);
            log.debug("FastAGI session {} ({}): {}", id, describe(), e.getMessage());
        } catch (AgiTimeoutException e) {
            outcome(AgiMetrics.Outcome.TIMEOUT);
            log.warn("FastAGI session {} ({}): {}", id, describe(), e.getMessage());
        } catch (InterruptedException e) {
            outcome(AgiMetrics.Outcome.SHUTDOWN);
        } catch (Exception | Error e) {
            outcome(AgiMetrics.Outcome.ERROR);
            log.error("FastAGI session {} ({}): script '{}' failed", id, describe(), name, e);
        } finally {
            finish();
        }
    }

    /** Half-closes so Asterisk writes its last HANGUP and closes; closes hard after {@link #CLOSE_WAIT}. */
    private void finish() {
        scriptDone = true;
        if (channel.eventLoop().isShuttingDown()) {
            channel.close();
            end();
            return;
        }
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                end();
                return;
            }
            if (eof) {
                channel.close();
                return;
            }
            ((SocketChannel) channel).shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                }
            });
            var closeTimer = channel.eventLoop().schedule(() -> {
                if (channel.isActive()) {
                    log.debug("FastAGI session {}: Asterisk did not close within {}; closing", id, CLOSE_WAIT);
                    channel.close();
                }
            }, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> closeTimer.cancel(false));
        });
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            metrics.sessionEnded(outcome == null ? AgiMetrics.Outcome.HANGUP : outcome);
            server.sessionEnded(this);
        }
    }

    private void outcome(AgiMetrics.Outcome o) {
        if (outcome == null) {
            outcome = o;
        }
    }

    String describe() {
        AgiEnvironment env = environment;
        return env == null ? "from " + (channel == null ? "?" : channel.remoteAddress())
                : env.channel() + " uniqueid " + env.uniqueId();
    }

    void closeForShutdown() {
        closeReason = "engine shutting down";
        outcome(AgiMetrics.Outcome.SHUTDOWN);
        channel.close();
    }

    boolean started() {
        return environment != null;
    }

    // ---------------------------------------------------------------- AgiSession

    @Override
    public AgiEnvironment environment() {
        return environment;
    }

    private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public boolean isHungUp() {
        return hungUp;
    }

    @Override
    public AgiReply send(AgiCommand command, Duration extraWait) {
        if (eof || !channel.isActive()) {
            hungUp = true;
            throw new AgiHangupException(command.name() + ": the connection to Asterisk is closed");
        }
        if (pending != null) {
            throw new IllegalStateException(command.name() + ": another command is still waiting for its reply"
                    + " (AGI allows one at a time; a session belongs to one thread)");
        }
        Duration limit = commandTimeout.plus(extraWait);
        CompletableFuture<AgiReply> reply = new CompletableFuture<>();
        long start = server.nanoTime();
        pendingCommand = command;
        pendingLimit = limit;
        deadlineNanos = start + limit.toNanos();
        pending = reply;
        lastActivityNanos = start;
        // A failed write closes the channel, and channelInactive fails the pending reply.
        channel.writeAndFlush(command, channel.voidPromise());
        if (eof) {
            failPending("Asterisk closed the connection");
        }
        try {
            // No per-command timer: AgiServer's sweeper fails replies past their deadline (see checkDeadline).
            AgiReply r = reply.get();
            metrics.commandCompleted(command.name(), Duration.ofNanos(server.nanoTime() - start));
            return r;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgiTimeoutException t) {
                throw t;
            }
            if (e.getCause() instanceof AgiHangupException h) {
                throw new AgiHangupException(command.name() + ": " + h.getMessage());
            }
            throw new AgiHangupException(command.name() + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new AgiHangupException(command.name() + ": interrupted (engine shutting down)");
        }
    }

    /**
     * Called by the server's sweeper (every 100 ms, on an event loop): fails a reply that is past its deadline
     * and closes the session, since a late reply would be taken for the next command's.
     */
    void checkDeadline(long nowNanos) {
        if (environment == null && nowNanos - openedNanos > server.config().environmentTimeout().toNanos()
                && channel != null && channel.isActive()) {
            closeReason = "no complete agi_* environment within " + server.config().environmentTimeout();
            outcome(AgiMetrics.Outcome.ENVIRONMENT_TIMEOUT);
            server.environmentTimedOut(this);
            channel.close();
            return;
        }
        CompletableFuture<AgiReply> p = pending;
        if (p == null && nowNanos - lastActivityNanos > server.config().idleTimeout().toNanos() && channel.isActive()) {
            closeReason = "idle: nothing received for " + server.config().idleTimeout() + " with no command pending";
            log.warn("FastAGI session {} ({}): {}; closing", id, describe(), closeReason);
            outcome(AgiMetrics.Outcome.IDLE);
            channel.close();
            return;
        }
        if (p != null && nowNanos - deadlineNanos > 0) {
            pending = null;
            AgiCommand command = pendingCommand;
            closeReason = command + ": no reply within " + pendingLimit;
            outcome(AgiMetrics.Outcome.TIMEOUT);
            p.completeExceptionally(new AgiTimeoutException(command + ": no reply from Asterisk within "
                    + pendingLimit + "; session closed"));
            channel.close();
        }
    }

    /** Sends a command, turning 510/511/520 into exceptions; {@code -1} is left to the caller. */
    private AgiReply.Success call(AgiCommand command, Duration extraWait) {
        if (hungUp && !command.deadSafe()) {
            throw new AgiHangupException(command.name() + ": the caller has hung up");
        }
        AgiReply reply = send(command, extraWait);
        return switch (reply) {
            case AgiReply.Success s -> s;
            case AgiReply.DeadChannel d -> {
                hungUp = true;
                throw new AgiHangupException(command.name() + ": the caller has hung up (511 " + d.text() + ")");
            }
            case AgiReply.InvalidCommand i ->
                    throw new AgiCommandException(command + ": Asterisk does not know this command (510 " + i.text() + ")");
            case AgiReply.Usage u -> throw new AgiCommandException(command + ": invalid syntax (520 "
                    + (u.lines().isEmpty() ? "" : u.lines().get(0).strip()) + ")");
            case AgiReply.Trying t -> throw new AgiCommandException(command + ": unexpected interim reply " + t);
        };
    }

    /** Like {@link #call} but a {@code -1} result means a hang-up or a failure, told apart by a probe. */
    private AgiReply.Success channelCall(AgiCommand command, Duration extraWait) {
        AgiReply.Success s = call(command, extraWait);
        if (s.isFailure()) {
            throw failure(command, s);
        }
        return s;
    }

    /**
     * Asterisk answers {@code -1} both when the caller hung up and when the command failed (a missing sound
     * file). After a hang-up the channel is dead, so a {@code CHANNEL STATUS} probe gets 511; otherwise the
     * command really failed.
     */
    private RuntimeException failure(AgiCommand command, AgiReply.Success s) {
        if (!hungUp) {
            AgiReply probe = send(AgiCommand.of("CHANNEL STATUS"), Duration.ZERO);
            if (probe instanceof AgiReply.DeadChannel) {
                hungUp = true;
            }
        }
        if (hungUp) {
            return new AgiHangupException(command.name() + ": the caller has hung up");
        }
        return new AgiCommandException(command + ": failed (200 result=-1" + s.extra().map(e -> " " + e).orElse("")
                + "); for playback this usually means the sound file does not exist");
    }

    private static Optional<Character> digit(long code) {
        return code > 0 && code < 128 ? Optional.of((char) code) : Optional.empty();
    }

    @Override
    public void answer() {
        channelCall(AgiCommand.of("ANSWER"), Duration.ZERO);
    }

    @Override
    public void hangup() {
        call(AgiCommand.of("HANGUP"), Duration.ZERO);
        hungUp = true;
    }

    @Override
    public Playback streamFile(String file, String escapeDigits) {
        AgiReply.Success s = channelCall(AgiCommand.of("STREAM FILE", file, escapeDigits), PLAYBACK_ALLOWANCE);
        return new Playback(digit(s.resultCode()), s.endpos().orElse(0));
    }

    @Override
    public DigitInput getData(String file, Duration timeout, int maxDigits) {
        if (maxDigits < 1 || maxDigits > 1024) {
            throw new IllegalArgumentException("maxDigits: " + maxDigits + " (expected: 1..1024)");
        }
        AgiReply.Success s = channelCall(AgiCommand.of("GET DATA", file, Long.toString(timeout.toMillis()),
                Integer.toString(maxDigits)), timeout.multipliedBy(maxDigits + 1L).plus(PROMPT_ALLOWANCE));
        return new DigitInput(s.result(), s.extra().filter("timeout"::equals).isPresent());
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        AgiReply.Success s = channelCall(AgiCommand.of("WAIT FOR DIGIT", Long.toString(timeout.toMillis())), timeout);
        return digit(s.resultCode());
    }

    /**
     * The longest single {@code WAIT FOR DIGIT} that {@link #waitForDigitOrRedirect} sends: Asterisk cannot cut a
     * wait short from the AGI side, so a {@link #wake()} is seen at the end of the current slice, at most this late.
     */
    static final Duration WAKE_SLICE = Duration.ofSeconds(2);

    @Override
    public WaitResult waitForDigitOrRedirect(Duration timeout) {
        long end = server.nanoTime() + timeout.toNanos();
        while (true) {
            if (woken.getAndSet(false)) {
                return new WaitResult.Woken();
            }
            long left = end - server.nanoTime();
            if (left <= 0) {
                return new WaitResult.TimedOut();
            }
            Duration slice = Duration.ofMillis(Math.max(1, Math.min(left, WAKE_SLICE.toNanos()) / 1_000_000));
            AgiReply r;
            try {
                r = send(AgiCommand.of("WAIT FOR DIGIT", Long.toString(slice.toMillis())), slice);
            } catch (AgiHangupException e) {
                return new WaitResult.Left();
            }
            if (r instanceof AgiReply.DeadChannel || r instanceof AgiReply.Success ok && ok.isFailure()) {
                return new WaitResult.Left();
            }
            long code = r instanceof AgiReply.Success ok ? ok.resultCode() : 0;
            if (code > 0) {
                return new WaitResult.Digit((char) code);
            }
        }
    }

    @Override
    public void wake() {
        woken.set(true);
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        return digit(channelCall(AgiCommand.of("SAY DIGITS", digits, escapeDigits), PLAYBACK_ALLOWANCE).resultCode());
    }

    @Override
    public Optional<Character> sayNumber(long number, String escapeDigits) {
        return digit(channelCall(AgiCommand.of("SAY NUMBER", Long.toString(number), escapeDigits),
                PLAYBACK_ALLOWANCE).resultCode());
    }

    @Override
    public void setVariable(String name, String value) {
        call(AgiCommand.deadSafe("SET VARIABLE", name, value), Duration.ZERO);
    }

    @Override
    public Optional<String> getVariable(String name) {
        AgiReply.Success s = call(AgiCommand.deadSafe("GET VARIABLE", name), Duration.ZERO);
        return s.resultCode() == 1 ? Optional.of(s.extra().orElse("")) : Optional.empty();
    }

    @Override
    public Optional<String> getFullVariable(String expression) {
        AgiReply.Success s = call(AgiCommand.deadSafe("GET FULL VARIABLE", expression), Duration.ZERO);
        return s.resultCode() == 1 ? s.extra().filter(v -> !v.isEmpty()) : Optional.empty();
    }

    @Override
    public int exec(String application, String args, Duration maxDuration) {
        AgiCommand command = AgiCommand.of("EXEC", application, args);
        AgiReply.Success s = call(command, maxDuration);
        if (s.resultCode() == -2) {
            throw new AgiCommandException(command + ": no such dialplan application (200 result=-2)");
        }
        if (s.isFailure()) {
            throw failure(command, s);
        }
        return (int) s.resultCode();
    }

    @Override
    public void musicOn(String mohClass) {
        channelCall(mohClass.isEmpty() ? AgiCommand.of("SET MUSIC", "ON") : AgiCommand.of("SET MUSIC", "ON", mohClass),
                Duration.ZERO);
    }

    @Override
    public void musicOff() {
        channelCall(AgiCommand.of("SET MUSIC", "OFF"), Duration.ZERO);
    }

    @Override
    public Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration,
                                Duration silence, boolean beep) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(file, format, escapeDigits,
                Long.toString(maxDuration.toMillis())));
        if (beep) {
            args.add("BEEP");
        }
        if (!silence.isZero()) {
            args.add("s=" + Math.max(1, silence.toSeconds()));
        }
        AgiCommand command = new AgiCommand(java.util.List.of("RECORD", "FILE"), args, false);
        AgiReply.Success s = call(command, maxDuration.plus(Duration.ofSeconds(5)));
        String why = s.extra().orElse("");
        long endpos = s.endpos().orElse(0);
        if (why.equals("hangup") || (s.isFailure() && hungUp)) {
            return new Recording(Recording.EndReason.HANGUP, Optional.empty(), endpos);
        }
        if (s.isFailure()) {
            throw failure(command, s);
        }
        if (why.equals("dtmf")) {
            return new Recording(Recording.EndReason.DIGIT, digit(s.resultCode()), endpos);
        }
        // Asterisk reports both the time limit and silence as "(timeout)". At 8 kHz (Asterisk's usual rate) a
        // recording that stopped well before the limit stopped on silence.
        long limitSamples = maxDuration.minusSeconds(1).toMillis() * 8;
        if (why.equals("timeout") && !silence.isZero() && endpos < limitSamples) {
            return new Recording(Recording.EndReason.SILENCE, Optional.empty(), endpos);
        }
        if (why.startsWith("randomerror") || why.startsWith("writefile")) {
            throw new AgiCommandException(command + ": recording failed (" + why + ")");
        }
        return new Recording(Recording.EndReason.TIMEOUT, Optional.empty(), endpos);
    }

    @Override
    public ChannelState channelStatus() {
        return ChannelState.of(channelCall(AgiCommand.of("CHANNEL STATUS"), Duration.ZERO).resultCode());
    }

    @Override
    public void verbose(String message, int level) {
        call(AgiCommand.deadSafe("VERBOSE", AgiCommand.sanitize(message), Integer.toString(Math.max(1, Math.min(4, level)))),
                Duration.ZERO);
    }
}
