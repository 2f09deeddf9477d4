package dev.hotline.simulator.agi;

import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.clock.Cancellable;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.model.DialOperation;
import dev.hotline.simulator.model.Pbx;
import dev.hotline.simulator.model.SimChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking FastAGI commands of an {@link AgiSession}: each is a {@link Pending} with timers from the simulator's
 * clock that ends by a timer, a DTMF digit, a soft hangup, or (for the commands that poll the AGI socket) a new line
 * from the server. Everything runs on the call's event loop.
 */
final class PendingCommands {

    private static final Logger LOG = LoggerFactory.getLogger(AgiSession.class);

    private PendingCommands() {
    }

    /** A command still running on the channel. Exactly one of its ends calls {@link #finish}. */
    abstract static class Pending {
        final AgiSession session;
        final SimChannel channel;
        final Pbx pbx;
        private final List<Cancellable> timers = new ArrayList<>(2);

        Pending(AgiSession session) {
            this.session = session;
            this.channel = session.channel();
            this.pbx = session.pbx();
        }

        abstract void start();

        abstract void onHangup();

        void onDigit(char digit) {
        }

        /** A new line arrived from the server: true if this command was cut short (its reply, if any, written). */
        boolean interruptedBySocket() {
            return false;
        }

        final Cancellable timer(Duration delay, Runnable task) {
            Cancellable timer = pbx.clock().schedule(channel.loop(), delay, () -> {
                if (session.pending() == this) {
                    task.run();
                }
            });
            timers.add(timer);
            return timer;
        }

        final void cancelTimers() {
            timers.forEach(Cancellable::cancel);
            timers.clear();
        }

        final void finish(String reply) {
            if (session.pending() != this) {
                return;
            }
            cancelTimers();
            session.clearPending();
            if (reply != null) {
                session.write(reply);
            }
        }

        /** Finishes from a timer or digit, then goes on with queued commands. */
        final void complete(String reply) {
            finish(reply);
            session.afterCommand();
        }

        final Optional<CallerBehaviour> caller() {
            return channel.caller();
        }
    }

    /** STREAM FILE, GET OPTION, SAY *, EXEC Playback/Background. */
    static final class Play extends Pending {
        private final String file;
        private final String escape;
        private final long offsetSamples;
        private final Optional<Integer> optionTimeout;
        private final Optional<Duration> fixedLength;
        private boolean application;
        private boolean say;
        private long startedNanos;
        private Duration length = Duration.ZERO;
        private boolean playing;

        Play(AgiSession session, String file, String escape, long offsetSamples, Optional<Integer> optionTimeout) {
            this(session, file, escape, offsetSamples, optionTimeout, null);
        }

        Play(AgiSession session, String file, String escape, long offsetSamples, Optional<Integer> optionTimeout, Duration fixed) {
            super(session);
            this.file = file;
            this.escape = escape;
            this.offsetSamples = offsetSamples;
            this.optionTimeout = optionTimeout;
            this.fixedLength = Optional.ofNullable(fixed);
        }

        Play asApplication() {
            application = true;
            return this;
        }

        /** SAY DIGITS / SAY NUMBER: res_agi answers {@code 200 result=N} without {@code endpos}. */
        Play asSay() {
            say = true;
            return this;
        }

        @Override
        void start() {
            channel.setMusicOnHold(false, "");
            Optional<Duration> known = fixedLength.isPresent() ? fixedLength : pbx.media().length(file);
            if (known.isEmpty()) {
                channel.setVariable("PLAYBACKSTATUS", "FAILED");
                if (application) {
                    // Playback() of a missing file warns and returns 0: EXEC does not fail the session.
                    LOG.warn("file.c: File {} does not exist in any format", file);
                    complete("200 result=0\n");
                } else {
                    session.missingFile(file);
                    complete("200 result=-1 endpos=0\n");
                }
                return;
            }
            Duration skip = Duration.ofMillis(offsetSamples / 8);
            length = known.get().minus(skip).isNegative() ? Duration.ZERO : known.get().minus(skip);
            startedNanos = pbx.clock().nanoTime();
            playing = true;
            caller().ifPresent(c -> session.react(c.onPrompt(file), this));
            timer(length, this::played);
        }

        private void played() {
            playing = false;
            channel.setVariable("PLAYBACKSTATUS", "SUCCESS");
            if (optionTimeout.isPresent() && optionTimeout.get() != 0) {
                int ms = optionTimeout.get();
                if (ms > 0) {
                    timer(Duration.ofMillis(ms), () -> complete(reply(0)));
                }
                return;
            }
            complete(reply(0));
        }

        private String reply(int result) {
            if (say) {
                return "200 result=" + result + "\n";
            }
            if (application) {
                return "200 result=" + Math.min(result, 0) + "\n";
            }
            return "200 result=" + result + " endpos=" + endpos() + "\n";
        }

        private long endpos() {
            long playedMs = playing
                    ? Duration.ofNanos(pbx.clock().nanoTime() - startedNanos).toMillis()
                    : length.toMillis();
            return offsetSamples + Media.samples(Duration.ofMillis(Math.min(playedMs, length.toMillis())));
        }

        @Override
        void onDigit(char digit) {
            if (escape.indexOf(digit) >= 0) {
                complete(reply(digit));
            }
        }

        @Override
        void onHangup() {
            finish(application || say ? "200 result=-1\n" : "200 result=-1 endpos=" + endpos() + "\n");
        }

        @Override
        boolean interruptedBySocket() {
            if (application) {
                return false;
            }
            finish(null);
            return true;
        }
    }

    /** GET DATA: the prompt (any digit cuts it), then digits until max, '#', or a timeout. */
    static final class GetData extends Pending {
        private final String prompt;
        private final Duration firstTimeout;
        private final Duration nextTimeout;
        private final int max;
        private final StringBuilder digits = new StringBuilder();
        private Cancellable wait = Cancellable.NONE;

        GetData(AgiSession session, String prompt, int timeoutMs, int max) {
            super(session);
            this.prompt = prompt;
            Duration timeout = timeoutMs > 0 ? Duration.ofMillis(timeoutMs)
                    : timeoutMs < 0 ? Duration.ofDays(3650) : null;
            this.firstTimeout = timeout != null ? timeout : Duration.ofSeconds(10);
            this.nextTimeout = timeout != null ? timeout : Duration.ofSeconds(5);
            this.max = max;
        }

        @Override
        void start() {
            channel.setMusicOnHold(false, "");
            Duration total = Duration.ZERO;
            for (String file : prompt.split("&")) {
                if (file.isEmpty()) {
                    continue;
                }
                Optional<Duration> length = pbx.media().length(file);
                if (length.isEmpty()) {
                    // app.c stops at the first file it cannot open: -1 once the files before it have played.
                    Runnable fail = () -> {
                        session.missingFile(file);
                        complete("200 result=-1\n");
                    };
                    if (total.isZero()) {
                        fail.run();
                    } else {
                        timer(total, fail);
                    }
                    return;
                }
                total = total.plus(length.get());
            }
            caller().ifPresent(c -> session.react(c.onPrompt(prompt), this));
            if (total.isZero()) {
                waitFor(firstTimeout);
            } else {
                wait = timer(total, () -> waitFor(firstTimeout));
            }
        }

        private void waitFor(Duration timeout) {
            wait.cancel();
            wait = timer(timeout, () -> complete("200 result=" + digits + " (timeout)\n"));
        }

        @Override
        void onDigit(char digit) {
            if (digit == '#') {
                complete("200 result=" + digits + "\n");
                return;
            }
            digits.append(digit);
            if (digits.length() >= max) {
                complete("200 result=" + digits + "\n");
            } else {
                waitFor(nextTimeout);
            }
        }

        @Override
        void onHangup() {
            finish("200 result=-1\n");
        }

        @Override
        boolean interruptedBySocket() {
            finish(null);
            return true;
        }
    }

    /** WAIT FOR DIGIT: the ASCII code of a digit, 0 on timeout, 1 when the server writes (Asterisk polls the socket). */
    static final class WaitForDigit extends Pending {
        private final int timeoutMs;

        WaitForDigit(AgiSession session, int timeoutMs) {
            super(session);
            this.timeoutMs = timeoutMs;
        }

        @Override
        void start() {
            caller().ifPresent(c -> session.react(c.onWait(), this));
            if (timeoutMs >= 0) {
                timer(Duration.ofMillis(timeoutMs), () -> complete("200 result=0\n"));
            }
        }

        @Override
        void onDigit(char digit) {
            complete("200 result=" + (int) digit + "\n");
        }

        @Override
        void onHangup() {
            finish("200 result=-1\n");
        }

        @Override
        boolean interruptedBySocket() {
            finish("200 result=1\n");
            return true;
        }
    }

    /** EXEC Wait / EXEC MusicOnHold: a plain wait; {@code length} null waits until hang-up. */
    static final class Sleep extends Pending {
        private final Duration length;
        private final boolean hold;

        Sleep(AgiSession session, Duration length, boolean hold) {
            super(session);
            this.length = length;
            this.hold = hold;
        }

        @Override
        void start() {
            if (!session.isDead()) {
                caller().ifPresent(c -> session.react(c.onWait(), this));
            }
            if (length != null) {
                timer(length, () -> {
                    if (hold) {
                        channel.setMusicOnHold(false, "");
                    }
                    complete("200 result=0\n");
                });
            }
        }

        @Override
        void onHangup() {
            finish("200 result=-1\n");
        }
    }

    /** RECORD FILE: records until the timeout, an escape digit, or hang-up. */
    static final class Record extends Pending {
        private final String escape;
        private final int timeoutMs;
        private long startedNanos;

        Record(AgiSession session, String escape, int timeoutMs) {
            super(session);
            this.escape = escape;
            this.timeoutMs = timeoutMs;
        }

        @Override
        void start() {
            startedNanos = pbx.clock().nanoTime();
            if (timeoutMs > 0) {
                timer(Duration.ofMillis(timeoutMs), () -> complete("200 result=0 (timeout) endpos=" + endpos() + "\n"));
            }
        }

        private long endpos() {
            return Media.samples(Duration.ofNanos(pbx.clock().nanoTime() - startedNanos));
        }

        @Override
        void onDigit(char digit) {
            if (escape.indexOf(digit) >= 0) {
                complete("200 result=" + (int) digit + " (dtmf) endpos=" + endpos() + "\n");
            }
        }

        @Override
        void onHangup() {
            finish("200 result=-1 (hangup) endpos=" + endpos() + "\n");
        }
    }

    /** EXEC Dial: rings an endpoint through {@link DialOperation}; the reply is Dial's return value. */
    static final class ExecDial extends Pending {
        private DialOperation dial;

        ExecDial(AgiSession session) {
            super(session);
        }

        @Override
        void start() {
        }

        void start(String data) {
            dial = DialOperation.start(channel, data, result -> {
                if (session.socketGone()) {
                    session.returnedToNoServer(this);
                } else {
                    complete("200 result=" + result + "\n");
                }
            });
        }

        @Override
        void onHangup() {
            if (dial != null) {
                dial.callerHungUp();
            }
            if (session.socketGone()) {
                session.returnedToNoServer(this);
            } else {
                finish("200 result=-1\n");
            }
        }
    }
}
