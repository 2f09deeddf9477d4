package dev.hotline.ivr.dryrun;

import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.ChannelState;
import dev.hotline.agi.DigitInput;
import dev.hotline.agi.Playback;
import dev.hotline.agi.Recording;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.agi.codec.AgiReply;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * An {@link AgiSession} with no Asterisk behind it, for {@code ./hotline ivr try}: prints what would be played
 * and takes the caller's keys from a list ({@code --digits}) or, when there is none, from the keyboard.
 *
 * <p>Keys: each {@code --digits} item is typed as is ({@code 1}, {@code 12345678#}); {@code t} is a silence (the
 * wait times out) and {@code h} hangs up. When the list is used up, the caller stays silent; after
 * {@value #MAX_SILENCES} silences in a row the caller hangs up, so a dry-run always ends. Prompts always play to
 * the end: keys are only read when the script waits for one.
 */
final class ConsoleSession implements AgiSession {

    static final int MAX_SILENCES = 10;
    private static final char SILENCE = 't';
    private static final char HANG_UP = 'h';

    private final AgiEnvironment env;
    private final PrintWriter out;
    private final Deque<Character> keys = new ArrayDeque<>();
    private final Optional<BufferedReader> keyboard;
    private boolean hungUp;
    private int silences;

    public ConsoleSession(AgiEnvironment env, PrintWriter out, List<String> digits, Optional<BufferedReader> keyboard) {
        this.env = env;
        this.out = out;
        this.keyboard = keyboard;
        for (String d : digits) {
            String item = d.strip();
            if (item.equals("t") || item.equals("h")) {
                keys.add(item.charAt(0));
            } else {
                for (char c : item.toCharArray()) {
                    if ("0123456789*#".indexOf(c) < 0) {
                        throw new IllegalArgumentException("--digits item \"" + d + "\" (expected: keys 0-9 * #, or t"
                                + " for a silence, or h to hang up)");
                    }
                    keys.add(c);
                }
            }
        }
    }

    private void say(String text) {
        out.println("  " + text);
        out.flush();
    }

    private void alive(String what) {
        if (hungUp) {
            throw new AgiHangupException(what + ": the caller has hung up");
        }
    }

    private Optional<Character> nextKey(Duration timeout) {
        alive("WAIT FOR DIGIT");
        if (keys.isEmpty() && keyboard.isPresent()) {
            out.print("  keys? (0-9 * #; empty line = silence; h = hang up) > ");
            out.flush();
            String line;
            try {
                line = keyboard.get().readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null || line.strip().equals("h")) {
                keys.add(HANG_UP);
            } else if (line.isBlank()) {
                keys.add(SILENCE);
            } else {
                line.strip().chars().filter(c -> "0123456789*#".indexOf(c) >= 0).forEach(c -> keys.add((char) c));
            }
        }
        Character k = keys.poll();
        if (k == null) {
            if (++silences > MAX_SILENCES) {
                say("(no more keys: the caller hangs up)");
                hungUp = true;
                throw new AgiHangupException("the dry-run caller hung up");
            }
            k = SILENCE;
        }
        if (k == HANG_UP) {
            say("caller hangs up");
            hungUp = true;
            throw new AgiHangupException("the dry-run caller hung up");
        }
        if (k == SILENCE) {
            say("wait " + timeout.toMillis() + " ms for a key: (silence)");
            return Optional.empty();
        }
        silences = 0;
        say("wait " + timeout.toMillis() + " ms for a key: " + k);
        return Optional.of(k);
    }

    @Override
    public AgiEnvironment environment() {
        return env;
    }

    @Override
    public void answer() {
        alive("ANSWER");
    }

    @Override
    public void hangup() {
        alive("HANGUP");
        say("hang up");
        hungUp = true;
    }

    @Override
    public Playback streamFile(String file, String escapeDigits) {
        alive("STREAM FILE");
        say("play " + file);
        return new Playback(Optional.empty(), 0);
    }

    @Override
    public DigitInput getData(String file, Duration timeout, int maxDigits) {
        streamFile(file, "");
        StringBuilder sb = new StringBuilder();
        while (sb.length() < maxDigits) {
            Optional<Character> k = nextKey(timeout);
            if (k.isEmpty()) {
                return new DigitInput(sb.toString(), true);
            }
            if (k.get() == '#') {
                break;
            }
            sb.append(k.get());
        }
        return new DigitInput(sb.toString(), false);
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        return nextKey(timeout);
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        alive("SAY DIGITS");
        say("say digits " + digits);
        return Optional.empty();
    }

    @Override
    public Optional<Character> sayNumber(long number, String escapeDigits) {
        alive("SAY NUMBER");
        say("say number " + number);
        return Optional.empty();
    }

    @Override
    public void setVariable(String name, String value) {
        say("set " + name + " = " + value);
    }

    @Override
    public Optional<String> getVariable(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<String> getFullVariable(String expression) {
        return Optional.empty();
    }

    @Override
    public int exec(String application, String args, Duration maxDuration) {
        alive("EXEC");
        say("exec " + application + "(" + args + ")");
        return 0;
    }

    @Override
    public void musicOn(String mohClass) {
        alive("SET MUSIC");
        say("music on hold " + mohClass);
    }

    @Override
    public void musicOff() {
        alive("SET MUSIC");
        say("music off");
    }

    @Override
    public Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration,
                                Duration silence, boolean beep) {
        alive("RECORD FILE");
        say("record " + file + "." + format);
        return new Recording(Recording.EndReason.SILENCE, Optional.empty(), 0);
    }

    @Override
    public ChannelState channelStatus() {
        alive("CHANNEL STATUS");
        return ChannelState.UP;
    }

    @Override
    public void verbose(String message, int level) {
        say("verbose " + message);
    }

    @Override
    public AgiReply send(AgiCommand command, Duration extraWait) {
        say("send " + command.name() + " " + String.join(" ", command.args()));
        return hungUp ? new AgiReply.DeadChannel("511 dead channel") : AgiReply.Success.of("0");
    }

    @Override
    public boolean isHungUp() {
        return hungUp;
    }
}
