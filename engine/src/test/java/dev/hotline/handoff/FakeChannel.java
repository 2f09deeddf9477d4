package dev.hotline.handoff;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel as the handshake sees it: variables, {@code EXEC MSet} (unless the switch has none), {@code GET FULL
 * VARIABLE} of {@code ${NAME}} expressions, hang-up. Every round trip is logged as its command line.
 */
final class FakeChannel implements AgiSession {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_]+)}");
    final Map<String, String> variables = new LinkedHashMap<>();
    final List<String> log = new ArrayList<>();
    private final AgiEnvironment env;
    boolean mset = true;
    boolean hungUp;

    FakeChannel() {
        env = new AgiEnvironment(Map.of("agi_network_script", "resume", "agi_channel", "PJSIP/trunk-00000001",
                "agi_uniqueid", "1700000000.1", "agi_callerid", "0612345678"));
    }

    @Override
    public AgiEnvironment environment() {
        return env;
    }

    @Override
    public void answer() {
        log.add("ANSWER");
    }

    @Override
    public void hangup() {
        log.add("HANGUP");
        hungUp = true;
    }

    @Override
    public Playback streamFile(String file, String escapeDigits) {
        throw new UnsupportedOperationException("STREAM FILE");
    }

    @Override
    public DigitInput getData(String file, Duration timeout, int maxDigits) {
        throw new UnsupportedOperationException("GET DATA");
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        throw new UnsupportedOperationException("WAIT FOR DIGIT");
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        throw new UnsupportedOperationException("SAY DIGITS");
    }

    @Override
    public Optional<Character> sayNumber(long number, String escapeDigits) {
        throw new UnsupportedOperationException("SAY NUMBER");
    }

    @Override
    public void setVariable(String name, String value) {
        log.add("SET VARIABLE " + name + " " + value);
        variables.put(name, value);
    }

    @Override
    public Optional<String> getVariable(String name) {
        log.add("GET VARIABLE " + name);
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public Optional<String> getFullVariable(String expression) {
        log.add("GET FULL VARIABLE " + expression);
        Matcher m = VAR.matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
    }

    @Override
    public int exec(String application, String args, Duration maxDuration) {
        if (hungUp) {
            throw new AgiHangupException("hung up");
        }
        log.add("EXEC " + application + " " + args);
        if (!mset || !application.equals("MSet")) {
            throw new AgiCommandException("EXEC " + application + ": no such dialplan application (200 result=-2)");
        }
        for (String pair : args.split(",")) {
            int eq = pair.indexOf('=');
            variables.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return 0;
    }

    @Override
    public void musicOn(String mohClass) {
        log.add("SET MUSIC ON");
    }

    @Override
    public void musicOff() {
        log.add("SET MUSIC OFF");
    }

    @Override
    public Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration,
                                Duration silence, boolean beep) {
        throw new UnsupportedOperationException("RECORD FILE");
    }

    @Override
    public ChannelState channelStatus() {
        throw new UnsupportedOperationException("CHANNEL STATUS");
    }

    @Override
    public void verbose(String message, int level) {
        log.add("VERBOSE " + message);
    }

    @Override
    public AgiReply send(AgiCommand command, Duration extraWait) {
        throw new UnsupportedOperationException(command.toString());
    }

    @Override
    public boolean isHungUp() {
        return hungUp;
    }
}
