package dev.hotline.acd;

import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.ChannelState;
import dev.hotline.agi.DigitInput;
import dev.hotline.agi.Playback;
import dev.hotline.agi.Recording;
import dev.hotline.agi.WaitResult;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.agi.codec.AgiReply;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A scripted caller's FastAGI session for the ACD's waiting and connect logic: each wait for a key blocks until the
 * test says how it ends ({@link #press}, {@link #hangUp}, {@link #redirectAway}) or {@link #wake()} is called; each
 * {@code Dial} blocks until the test says how the agent's phone answered ({@link #dialEnds}). Every command is
 * logged; the test thread awaits what the session is doing ({@link #awaitWaiting}, {@link #awaitDialling}).
 */
final class FakeCallSession implements AgiSession {

    private final AgiEnvironment env;
    private final String linkedId;
    private final Deque<WaitResult> waitOutcomes = new ArrayDeque<>();
    private final Deque<String> dialOutcomes = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private boolean woken;
    private boolean hungUp;
    /** The FastAGI connection is gone (Asterisk killed): every command fails, variable commands too. */
    private boolean lost;
    private int waiting;
    private int dialling;
    private int waitsStarted;
    private int wokenCount;
    private boolean patient;

    FakeCallSession(String uniqueId, String linkedId, String script, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("agi_network_script", script);
        m.put("agi_uniqueid", uniqueId);
        m.put("agi_channel", "PJSIP/trunk-" + uniqueId);
        m.put("agi_callerid", "0612345678");
        m.put("agi_dnid", "5551000");
        m.put("agi_extension", "s");
        m.putAll(extra);
        this.env = new AgiEnvironment(m);
        this.linkedId = linkedId;
    }

    /** A caller whose channel's uniqueid and linkedid are {@code id}, in the IVR's script. */
    static FakeCallSession caller(String id) {
        return new FakeCallSession(id, id, "main", Map.of());
    }

    /** The connect session Asterisk starts for {@code callId} after a redirect ({@code connect?call=ID}). */
    static FakeCallSession connect(String uniqueId, String callId) {
        return new FakeCallSession(uniqueId, callId, "connect?call=" + callId, Map.of());
    }

    // ---- the test's side ----

    /** Waits for a key never time out: they end only by what the test does, or by a wake. */
    synchronized FakeCallSession patient() {
        patient = true;
        return this;
    }

    synchronized FakeCallSession press(char key) {
        waitOutcomes.add(new WaitResult.Digit(key));
        notifyAll();
        return this;
    }

    /** The caller hangs up: the current (or next) wait returns {@link WaitResult.Left}, and so does every command. */
    synchronized FakeCallSession hangUp() {
        hungUp = true;
        waitOutcomes.add(new WaitResult.Left());
        dialOutcomes.add("HANGUP");
        notifyAll();
        return this;
    }

    /**
     * The FastAGI connection closes (Asterisk killed): the pending Dial or wait ends at once and every later command,
     * variable commands too, fails with {@link AgiHangupException}.
     */
    synchronized FakeCallSession connectionLost() {
        hungUp = true;
        lost = true;
        waitOutcomes.add(new WaitResult.Left());
        dialOutcomes.add("LOST");
        notifyAll();
        return this;
    }

    /** A redirect takes the channel away: the wait returns {@link WaitResult.Left}. */
    synchronized FakeCallSession redirectAway() {
        hungUp = true;
        waitOutcomes.add(new WaitResult.Left());
        notifyAll();
        return this;
    }

    /** The next Dial ends with {@code dialStatus} (ANSWER, NOANSWER, BUSY, CHANUNAVAIL) or HANGUP (caller gone). */
    synchronized FakeCallSession dialEnds(String dialStatus) {
        dialOutcomes.add(dialStatus);
        notifyAll();
        return this;
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    synchronized Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    synchronized int wokenCount() {
        return wokenCount;
    }

    /** Waits until the session has started its {@code n}-th wait for a key and is blocked in it. */
    synchronized void awaitWaiting(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(waiting > 0 && waitsStarted >= n)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the session did not start wait " + n + "; log: " + log);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until the session has sent {@code Dial} and is blocked in it. */
    synchronized void awaitDialling() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (dialling == 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the session did not dial; log: " + log);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private void command(String text) {
        log.add(text);
        notifyAll();
        if (hungUp) {
            throw new AgiHangupException(text + ": the channel is gone");
        }
    }

    // ---- AgiSession ----

    @Override
    public AgiEnvironment environment() {
        return env;
    }

    @Override
    public synchronized WaitResult waitForDigitOrRedirect(Duration timeout) {
        log.add("WAIT " + timeout.toMillis());
        waitsStarted++;
        waiting++;
        notifyAll();
        try {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!waitOutcomes.isEmpty()) {
                    return waitOutcomes.poll();
                }
                if (woken) {
                    woken = false;
                    return new WaitResult.Woken();
                }
                if (hungUp) {
                    return new WaitResult.Left();
                }
                long left = patient ? TimeUnit.SECONDS.toNanos(1) : end - System.nanoTime();
                if (left <= 0) {
                    return new WaitResult.TimedOut();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WaitResult.Left();
        } finally {
            waiting--;
        }
    }

    @Override
    public synchronized void wake() {
        woken = true;
        wokenCount++;
        notifyAll();
    }

    @Override
    public synchronized int exec(String application, String args, Duration maxDuration) {
        command("EXEC " + application + " " + args);
        if (application.equals("MSet")) {   // several variables at once, as Asterisk's MSet sets them
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                variables.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (!application.equals("Dial")) {
            return 0;
        }
        dialling++;
        notifyAll();
        try {
            while (dialOutcomes.isEmpty()) {
                wait();
            }
            String status = dialOutcomes.poll();
            if (status.equals("LOST")) {
                throw new AgiHangupException("Dial: connection closed");
            }
            if (status.equals("HANGUP")) {
                hungUp = true;
                variables.put("DIALSTATUS", "CANCEL");
                throw new AgiHangupException("Dial: the caller hung up");
            }
            variables.put("DIALSTATUS", status);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgiHangupException("interrupted");
        } finally {
            dialling--;
        }
    }

    @Override
    public synchronized void answer() {
        command("ANSWER");
    }

    @Override
    public synchronized void hangup() {
        command("HANGUP");
        hungUp = true;
    }

    @Override
    public synchronized Playback streamFile(String file, String escapeDigits) {
        command("STREAM FILE " + file);
        return new Playback(Optional.empty(), 8000);
    }

    @Override
    public synchronized DigitInput getData(String file, Duration timeout, int maxDigits) {
        command("GET DATA " + file);
        return new DigitInput("", true);
    }

    @Override
    public synchronized Optional<Character> waitForDigit(Duration timeout) {
        command("WAIT FOR DIGIT " + timeout.toMillis());
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Character> sayDigits(String digits, String escapeDigits) {
        command("SAY DIGITS " + digits);
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Character> sayNumber(long number, String escapeDigits) {
        command("SAY NUMBER " + number);
        return Optional.empty();
    }

    @Override
    public synchronized void setVariable(String name, String value) {
        if (lost) {
            throw new AgiHangupException("SET VARIABLE: the connection to Asterisk is closed");
        }
        log.add("SET VARIABLE " + name + " " + value);
        variables.put(name, value);
    }

    @Override
    public synchronized Optional<String> getVariable(String name) {
        log.add("GET VARIABLE " + name);
        if (lost) {
            throw new AgiHangupException("GET VARIABLE: the connection to Asterisk is closed");
        }
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public synchronized Optional<String> getFullVariable(String expression) {
        return expression.equals("${CHANNEL(linkedid)}") ? Optional.of(linkedId) : Optional.empty();
    }

    @Override
    public synchronized void musicOn(String mohClass) {
        command("SET MUSIC ON " + mohClass);
    }

    @Override
    public synchronized void musicOff() {
        command("SET MUSIC OFF");
    }

    @Override
    public synchronized Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration,
                                             Duration silence, boolean beep) {
        throw new UnsupportedOperationException("no recording in these tests");
    }

    @Override
    public ChannelState channelStatus() {
        return ChannelState.UP;
    }

    @Override
    public synchronized void verbose(String message, int level) {
        log.add("VERBOSE " + message);
    }

    @Override
    public AgiReply send(AgiCommand command, Duration extraWait) {
        throw new AssertionError("the ACD sent a raw AGI command: " + command);
    }

    @Override
    public synchronized boolean isHungUp() {
        return hungUp;
    }
}
