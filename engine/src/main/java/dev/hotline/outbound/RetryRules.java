package dev.hotline.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What happens to a contact after an attempt, per outcome: try again after a delay, up to a number of attempts with
 * that outcome, and never more than {@code maxAttempts} in all. Outcomes without a rule end the contact:
 * {@link Outcome#CONNECTED} as done, the others as failed. An abandoned call is always retried (the person was
 * willing; the dialler failed them) within the total limit, after its rule's delay or 1 hour.
 *
 * @param rules       per outcome: the delay and the most attempts ending that way
 * @param maxAttempts the most attempts for one contact, whatever their outcomes
 */
public record RetryRules(Map<Outcome, Rule> rules, int maxAttempts) {

    /** Retry after {@code delay}, at most {@code limit} times after attempts with this outcome. */
    public record Rule(Duration delay, int limit) {
        public Rule {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delay: " + delay + " (expected: >= 0)");
            }
            if (limit < 1 || limit > 100) {
                throw new IllegalArgumentException("retry limit: " + limit + " (expected: 1-100)");
            }
        }
    }

    /** What to do with the contact after an attempt. */
    public sealed interface Next {
        /** Dial again, not before {@code at}. */
        record Retry(Instant at) implements Next {
        }

        /** No more attempts; {@code status} is DONE or FAILED, {@code why} says which rule ended it. */
        record Finish(Contact.Status status, String why) implements Next {
        }
    }

    private static final Duration ABANDON_DELAY = Duration.ofHours(1);

    public RetryRules {
        EnumMap<Outcome, Rule> copy = new EnumMap<>(Outcome.class);
        copy.putAll(rules);
        for (Outcome o : new Outcome[] {Outcome.CONNECTED, Outcome.SKIPPED, Outcome.DO_NOT_CALL}) {
            if (copy.containsKey(o)) {
                throw new IllegalArgumentException("retry." + o.wireName() + ": not retried (expected rules for:"
                        + " busy, no_answer, machine, failed, abandoned)");
            }
        }
        rules = Map.copyOf(copy);
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("retry.max_attempts: " + maxAttempts + " (expected: 1-100)");
        }
    }

    /** Busy after 10 min (3 times), no answer after 1 h (3), machine after 4 h (2), failed after 1 h (1); 5 in all. */
    public static RetryRules defaults() {
        return new RetryRules(Map.of(
                Outcome.BUSY, new Rule(Duration.ofMinutes(10), 3),
                Outcome.NO_ANSWER, new Rule(Duration.ofHours(1), 3),
                Outcome.MACHINE, new Rule(Duration.ofHours(4), 2),
                Outcome.FAILED, new Rule(Duration.ofHours(1), 1),
                Outcome.ABANDONED, new Rule(ABANDON_DELAY, 2)), 5);
    }

    /**
     * After an attempt ending in {@code outcome} at {@code now}. {@code sameOutcomeBefore}: earlier attempts of this
     * contact that ended the same way (not counting this one).
     */
    public Next after(Contact contact, Outcome outcome, int sameOutcomeBefore, Instant now) {
        int attempts = contact.attempts() + 1;
        if (outcome == Outcome.CONNECTED) {
            return new Next.Finish(Contact.Status.DONE, "reached");
        }
        if (outcome == Outcome.DO_NOT_CALL) {
            return new Next.Finish(Contact.Status.BLOCKED, "on the do-not-call list");
        }
        if (outcome == Outcome.SKIPPED) {
            return new Next.Finish(Contact.Status.FAILED, "skipped by the agent");
        }
        Rule rule = rules.get(outcome);
        if (rule == null && outcome == Outcome.ABANDONED) {
            rule = new Rule(ABANDON_DELAY, maxAttempts);
        }
        if (rule == null) {
            return new Next.Finish(Contact.Status.FAILED, outcome.wireName() + " is not retried");
        }
        if (attempts >= maxAttempts) {
            return new Next.Finish(Contact.Status.FAILED, "max_attempts " + maxAttempts + " reached");
        }
        if (sameOutcomeBefore >= rule.limit()) {
            return new Next.Finish(Contact.Status.FAILED, outcome.wireName() + " retried " + rule.limit()
                    + " time(s) already");
        }
        return new Next.Retry(now.plus(rule.delay()));
    }

    /** The written form: {@code busy=10m/3,no_answer=1h/3;max=5} (outcome=delay/limit, then the total limit). */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Outcome o : Outcome.values()) {
            Rule r = rules.get(o);
            if (r != null) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(o.wireName()).append('=').append(duration(r.delay())).append('/').append(r.limit());
            }
        }
        return sb.append(";max=").append(maxAttempts).toString();
    }

    /** Reads {@link #format()}'s form; a bad part is refused naming it. */
    public static RetryRules parse(String text) {
        String[] halves = text.strip().split(";");
        int max = 5;
        if (halves.length == 2 && halves[1].strip().startsWith("max=")) {
            try {
                max = Integer.parseInt(halves[1].strip().substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("retry: '" + halves[1] + "' (expected: max=<attempts>)");
            }
        } else if (halves.length != 1) {
            throw new IllegalArgumentException("retry: '" + text + "' (expected: outcome=delay/limit,…;max=N)");
        }
        Map<Outcome, Rule> rules = new EnumMap<>(Outcome.class);
        for (String part : halves[0].split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.strip().split("=");
            String[] dl = kv.length == 2 ? kv[1].split("/") : new String[0];
            if (dl.length != 2) {
                throw new IllegalArgumentException("retry: '" + part.strip() + "' (expected: outcome=delay/limit, e.g."
                        + " busy=10m/3)");
            }
            int limit;
            try {
                limit = Integer.parseInt(dl[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("retry: '" + part.strip() + "': limit '" + dl[1] + "' (expected: 1-100)");
            }
            rules.put(Outcome.parse(kv[0]), new Rule(parseDuration(dl[0]), limit));
        }
        return new RetryRules(rules, max);
    }

    /** {@code 90s}, {@code 10m}, {@code 4h}, {@code 1d}. */
    static Duration parseDuration(String text) {
        String t = text.strip();
        if (t.length() >= 2) {
            try {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                switch (t.charAt(t.length() - 1)) {
                    case 's': return Duration.ofSeconds(n);
                    case 'm': return Duration.ofMinutes(n);
                    case 'h': return Duration.ofHours(n);
                    case 'd': return Duration.ofDays(n);
                    default: break;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("retry delay: '" + text + "' (expected: e.g. 90s, 10m, 4h, 1d)");
    }

    private static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0 && s > 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
