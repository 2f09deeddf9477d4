package dev.hotline.ivr.runtime;

import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.ChannelState;
import dev.hotline.agi.DigitInput;
import dev.hotline.agi.Playback;
import dev.hotline.agi.Recording;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.agi.codec.AgiReply;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake {@link AgiSession} that plays a script of caller actions: keys pressed while waiting, keys pressed
 * during a prompt (barge-in), silences, and a hang-up at the first command that starts with a given text.
 * Every command is logged as text so tests can assert exactly what Asterisk would have been asked to do.
 */
final class ScriptedSession implements AgiSession {

    private sealed interface Action {
    }

    private record Key(char key) implements Action {
    }

    private record Interrupt(char key) implements Action {
    }

    private record Silence() implements Action {
    }

    private final AgiEnvironment env;
    private final Deque<Action> actions = new ArrayDeque<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, Runnable> hooks = new HashMap<>();
    private String hangUpAt;
    private String failAt;
    private final List<String> missing = new ArrayList<>();
    private boolean hungUp;

    ScriptedSession(String script, String callerId, String dnid, String language) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("agi_network_script", script);
        m.put("agi_uniqueid", "1700000000.1");
        m.put("agi_channel", "PJSIP/trunk-00000001");
        m.put("agi_callerid", callerId);
        m.put("agi_dnid", dnid);
        m.put("agi_language", language);
        m.put("agi_extension", "s");
        env = new AgiEnvironment(m);
    }

    static ScriptedSession caller(String callerId) {
        return new ScriptedSession("main", callerId, "5551000", "en");
    }

    /** The caller presses these keys, one per wait for a key (after the prompt ended). */
    ScriptedSession keys(String keys) {
        keys.chars().forEach(c -> actions.add(new Key((char) c)));
        return this;
    }

    /** The caller presses {@code key} while the next interruptible prompt plays. */
    ScriptedSession bargeIn(char key) {
        actions.add(new Interrupt(key));
        return this;
    }

    /** The caller stays silent through one wait. */
    ScriptedSession silence() {
        actions.add(new Silence());
        return this;
    }

    /** The caller hangs up when a command starting with {@code command} is sent (e.g. "STREAM FILE en/menu"). */
    ScriptedSession hangUpAt(String command) {
        hangUpAt = command;
        return this;
    }

    /** Asterisk answers a command starting with {@code command} with an error. */
    ScriptedSession failAt(String command) {
        failAt = command;
        return this;
    }

    /**
     * Asterisk has no such sound file: a {@code STREAM FILE} of {@code file} answers {@code 200 result=-1 endpos=0}
     * at once on a live channel, which the real session turns into an {@link AgiCommandException}.
     */
    ScriptedSession missingFile(String file) {
        missing.add(file);
        return this;
    }

    /** Runs {@code hook} when a command starting with {@code command} is sent (once). */
    ScriptedSession onCommand(String command, Runnable hook) {
        hooks.put(command, hook);
        return this;
    }

    List<String> log() {
        return List.copyOf(log);
    }

    Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    int actionsLeft() {
        return actions.size();
    }

    private void command(String text, boolean deadSafe) {
        log.add(text);
        for (String prefix : List.copyOf(hooks.keySet())) {
            if (text.startsWith(prefix)) {
                hooks.remove(prefix).run();
            }
        }
        if (hungUp && !deadSafe) {
            throw new AgiHangupException(text + ": channel is gone");
        }
        if (hangUpAt != null && text.startsWith(hangUpAt)) {
            hungUp = true;
            throw new AgiHangupException(text + ": the caller hung up");
        }
        if (failAt != null && text.startsWith(failAt)) {
            throw new AgiCommandException(text + ": 510 Invalid or unknown command");
        }
    }

    private Optional<Character> waitForKey() {
        Action a = actions.poll();
        if (a == null) {
            // The caller script ran out: the caller gives up and hangs up.
            hungUp = true;
            throw new AgiHangupException("the test's caller script has no more actions");
        }
        return switch (a) {
            case Key k -> Optional.of(k.key());
            case Interrupt i -> Optional.of(i.key());
            case Silence s -> Optional.empty();
        };
    }

    private Optional<Character> maybeInterrupt(String escape) {
        if (actions.peek() instanceof Interrupt i && escape.indexOf(i.key()) >= 0) {
            actions.poll();
            return Optional.of(i.key());
        }
        return Optional.empty();
    }

    @Override
    public AgiEnvironment environment() {
        return env;
    }

    @Override
    public void answer() {
        command("ANSWER", false);
    }

    @Override
    public void hangup() {
        command("HANGUP", false);
        hungUp = true;
    }

    @Override
    public Playback streamFile(String file, String escapeDigits) {
        command("STREAM FILE " + file + " \"" + escapeDigits + "\"", false);
        if (missing.contains(file)) {
            throw new AgiCommandException("STREAM FILE " + file + ": failed (200 result=-1 endpos=0); for playback"
                    + " this usually means the sound file does not exist");
        }
        return new Playback(maybeInterrupt(escapeDigits), 8000);
    }

    @Override
    public DigitInput getData(String file, Duration timeout, int maxDigits) {
        throw new UnsupportedOperationException("the interpreter reads keys one by one");
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        command("WAIT FOR DIGIT " + timeout.toMillis(), false);
        return waitForKey();
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        command("SAY DIGITS " + digits + " \"" + escapeDigits + "\"", false);
        return maybeInterrupt(escapeDigits);
    }

    @Override
    public Optional<Character> sayNumber(long number, String escapeDigits) {
        command("SAY NUMBER " + number + " \"" + escapeDigits + "\"", false);
        return maybeInterrupt(escapeDigits);
    }

    @Override
    public void setVariable(String name, String value) {
        command("SET VARIABLE " + name + " " + value, true);
        variables.put(name, value);
    }

    @Override
    public Optional<String> getVariable(String name) {
        command("GET VARIABLE " + name, true);
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public Optional<String> getFullVariable(String expression) {
        command("GET FULL VARIABLE " + expression, true);
        return Optional.empty();
    }

    @Override
    public int exec(String application, String args, Duration maxDuration) {
        command("EXEC " + application + " " + args, true);
        if (application.equals("MSet")) {   // several variables at once, as Asterisk's MSet sets them
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                variables.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return 0;
    }

    @Override
    public void musicOn(String mohClass) {
        command("SET MUSIC ON " + mohClass, false);
    }

    @Override
    public void musicOff() {
        command("SET MUSIC OFF", false);
    }

    @Override
    public Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration,
                                Duration silence, boolean beep) {
        command("RECORD FILE " + file, false);
        return new Recording(Recording.EndReason.SILENCE, Optional.empty(), 0);
    }

    @Override
    public ChannelState channelStatus() {
        command("CHANNEL STATUS", false);
        return ChannelState.UP;
    }

    @Override
    public void verbose(String message, int level) {
        command("VERBOSE " + message, true);
    }

    @Override
    public AgiReply send(AgiCommand cmd, Duration extraWait) {
        String text = cmd.name() + " " + String.join(" ", cmd.args());
        if (hungUp) {
            log.add(text);
            return new AgiReply.DeadChannel("511 Command Not Permitted on a dead channel or intercept routine");
        }
        command(text, false);
        return AgiReply.Success.of(maybeInterrupt(cmd.args().size() > 1 ? cmd.args().get(1) : "")
                .map(c -> String.valueOf((int) c)).orElse("0"));
    }

    @Override
    public boolean isHungUp() {
        return hungUp;
    }
}
