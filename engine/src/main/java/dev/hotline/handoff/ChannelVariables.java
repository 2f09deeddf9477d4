package dev.hotline.handoff;

import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiSession;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sets several channel variables in one FastAGI round trip: {@code EXEC MSet name1=value1,name2=value2,…}. MSet
 * splits on commas and strips quotes, so a value holding a comma, a quote, a backslash or a vertical bar is set with
 * {@code SET VARIABLE} one by one instead (correct, only slower), as is everything when the switch has no MSet
 * (result {@code -2}). Values never hold control characters: the caller sanitises outside data.
 */
public final class ChannelVariables {

    /** What MSet passes through unchanged. */
    private static final Pattern PLAIN = Pattern.compile("[^,\"'\\\\|\\p{Cntrl}]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ChannelVariables() {
    }

    /**
     * Sets {@code variables} on the channel, in their iteration order (the last one set last when they go one by
     * one: put a marker the dialplan tests last). Works on a dead channel too, as variable commands do.
     */
    public static void setAll(AgiSession session, Map<String, String> variables) {
        variables.keySet().forEach(name -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("channel variable name '" + name
                        + "' (expected: letters, digits and _, not starting with a digit)");
            }
        });
        if (variables.size() > 1 && !session.isHungUp()
                && variables.values().stream().allMatch(v -> PLAIN.matcher(v).matches())) {
            StringBuilder args = new StringBuilder(128);
            variables.forEach((name, value) -> args.append(args.isEmpty() ? "" : ",").append(name).append('=')
                    .append(value));
            try {
                session.exec("MSet", args.toString(), java.time.Duration.ZERO);
                return;
            } catch (AgiCommandException e) {
                // No MSet on this switch: one by one below.
            }
        }
        variables.forEach(session::setVariable);
    }
}
