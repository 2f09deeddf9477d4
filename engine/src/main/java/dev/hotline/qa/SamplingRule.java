package dev.hotline.qa;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * "At least one call of this kind" in an agent's monthly sample, written as text in plans:
 * {@code disposition:complaint} (the agent's disposition code), {@code long:10m} (talk time at least that),
 * {@code low-csat:2} (survey score at most that).
 */
public sealed interface SamplingRule {

    Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    boolean matches(CandidateCall call);

    /** As written in a plan. */
    String text();

    /** A call the agent gave this disposition code. */
    record Disposition(String code) implements SamplingRule {
        public Disposition {
            Objects.requireNonNull(code, "code");
            if (!CODE.matcher(code).matches()) {
                throw new IllegalArgumentException("disposition:" + code + " (expected: a disposition code)");
            }
        }

        @Override
        public boolean matches(CandidateCall call) {
            return call.disposition().filter(code::equals).isPresent();
        }

        @Override
        public String text() {
            return "disposition:" + code;
        }
    }

    /** A call whose talk time is at least {@code atLeast}. */
    record LongCall(Duration atLeast) implements SamplingRule {
        public LongCall {
            Objects.requireNonNull(atLeast, "atLeast");
            if (atLeast.isNegative() || atLeast.isZero()) {
                throw new IllegalArgumentException("long:" + atLeast + " (expected: a talk time > 0)");
            }
        }

        @Override
        public boolean matches(CandidateCall call) {
            return call.talk().compareTo(atLeast) >= 0;
        }

        @Override
        public String text() {
            long s = atLeast.toSeconds();
            return "long:" + (s % 60 == 0 ? s / 60 + "m" : s + "s");
        }
    }

    /** A call whose survey score is at most {@code atMost}. */
    record LowCsat(int atMost) implements SamplingRule {
        public LowCsat {
            if (atMost < 0 || atMost > 10) {
                throw new IllegalArgumentException("low-csat:" + atMost + " (expected: a score from 0 to 10)");
            }
        }

        @Override
        public boolean matches(CandidateCall call) {
            return call.csat().isPresent() && call.csat().getAsInt() <= atMost;
        }

        @Override
        public String text() {
            return "low-csat:" + atMost;
        }
    }

    /** One rule as written; throws naming the text and what is expected. */
    static SamplingRule parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        String arg = colon < 0 ? "" : t.substring(colon + 1).strip();
        String expected = " (expected: disposition:CODE, long:DURATION such as long:10m, or low-csat:N)";
        try {
            return switch (kind) {
                case "disposition" -> new Disposition(arg);
                case "long" -> new LongCall(duration(arg));
                case "low-csat" -> new LowCsat(Integer.parseInt(arg));
                default -> throw new IllegalArgumentException("unknown rule");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sampling rule '" + text.strip() + "'" + expected);
        }
    }

    /** Comma-separated rules; empty text is no rule. */
    static List<SamplingRule> parseList(String text) {
        List<SamplingRule> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return List.copyOf(out);
    }

    /** The rules as written, comma-separated. */
    static String format(List<SamplingRule> rules) {
        return String.join(", ", rules.stream().map(SamplingRule::text).toList());
    }

    private static Duration duration(String arg) {
        var m = Pattern.compile("(\\d{1,5})(s|m|h)").matcher(arg);
        if (!m.matches()) {
            throw new IllegalArgumentException(arg);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
