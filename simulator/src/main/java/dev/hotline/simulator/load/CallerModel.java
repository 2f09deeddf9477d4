package dev.hotline.simulator.load;

import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.Reaction;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Random callers: at a menu prompt a caller presses a digit drawn from that menu's probabilities (any prompt not
 * listed uses {@code defaultChoices}; leftover probability means pressing nothing), after {@code thinkTime}; when
 * left waiting, the caller abandons after a patience drawn from {@code patience}; nobody stays longer than
 * {@code maxCallLength}. The digits of a menu are tried in character order, each taking its share of one uniform
 * draw, so a seed gives the same choices in every run.
 *
 * @param menus map of prompt file → (digit → probability); probabilities of one menu sum to at most 1
 */
public record CallerModel(Map<String, Map<Character, Double>> menus, Map<Character, Double> defaultChoices,
                          Distribution thinkTime, Distribution patience, Duration maxCallLength) {

    public CallerModel {
        // Sorted by digit: Map.copyOf's iteration order changes from one JVM run to the next, and the walk over
        // the choices must not, or the same seed would give different callers.
        Map<String, Map<Character, Double>> sortedMenus = new TreeMap<>();
        menus.forEach((file, choices) -> sortedMenus.put(file,
                Collections.unmodifiableSortedMap(new TreeMap<>(choices))));
        menus = Collections.unmodifiableMap(sortedMenus);
        defaultChoices = Collections.unmodifiableSortedMap(new TreeMap<>(defaultChoices));
        Objects.requireNonNull(thinkTime, "thinkTime");
        Objects.requireNonNull(patience, "patience");
        menus.forEach(CallerModel::check);
        check("default", defaultChoices);
        if (maxCallLength.isNegative() || maxCallLength.isZero()) {
            throw new IllegalArgumentException("maxCallLength: " + maxCallLength + " (expected: > 0)");
        }
    }

    /** Presses 1, 2 or 3 at any prompt (30/30/30 %), thinks 1–4 s, waits ~2 min on average, at most 15 min. */
    public static CallerModel typical() {
        return new CallerModel(Map.of(), Map.of('1', 0.3, '2', 0.3, '3', 0.3),
                Distribution.uniform(Duration.ofSeconds(1), Duration.ofSeconds(4)),
                Distribution.exponential(Duration.ofMinutes(2)), Duration.ofMinutes(15));
    }

    private static void check(String menu, Map<Character, Double> choices) {
        double sum = 0;
        for (Map.Entry<Character, Double> choice : choices.entrySet()) {
            if ("0123456789*#".indexOf(choice.getKey()) < 0) {
                throw new IllegalArgumentException("menu " + menu + ": digit '" + choice.getKey()
                        + "' (expected: 0-9, * or #)");
            }
            if (!(choice.getValue() >= 0)) {
                throw new IllegalArgumentException("menu " + menu + ": probability " + choice.getValue()
                        + " for '" + choice.getKey() + "' (expected: >= 0)");
            }
            sum += choice.getValue();
        }
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("menu " + menu + ": probabilities sum to " + sum + " (expected: <= 1)");
        }
    }

    /** One caller; {@code random} must be this call's own generator. */
    public CallerBehaviour newCaller(SplittableRandom random) {
        return new CallerBehaviour() {
            @Override
            public Reaction onPrompt(String file) {
                Map<Character, Double> choices = menus.getOrDefault(file, defaultChoices);
                double draw = random.nextDouble();
                for (Map.Entry<Character, Double> choice : choices.entrySet()) {
                    draw -= choice.getValue();
                    if (draw < 0) {
                        return new Reaction.Press(String.valueOf(choice.getKey()), thinkTime.sample(random));
                    }
                }
                return Reaction.NOTHING;
            }

            @Override
            public Reaction onWait() {
                return new Reaction.HangUp(patience.sample(random));
            }

            @Override
            public Optional<Duration> hangUpAfter() {
                return Optional.of(maxCallLength);
            }
        };
    }
}
