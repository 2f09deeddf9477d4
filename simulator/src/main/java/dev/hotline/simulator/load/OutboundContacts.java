package dev.hotline.simulator.load;

import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.endpoint.Endpoints;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The people an outbound campaign calls, as simulated phones reached through the trunk ({@code PJSIP/<digits>}):
 * each number is drawn, with the given rates and seed, to be answered by a person (who talks for
 * {@code talk}), answered by a machine, always busy, never answered, or invalid (no such line: the trunk refuses
 * it). The draw is fixed per number, so a retried contact behaves the same way again.
 */
public final class OutboundContacts {

    /** What a number does when dialled. */
    public enum Kind { PERSON, MACHINE, BUSY, NO_ANSWER, INVALID }

    private OutboundContacts() {
    }

    /**
     * Adds one endpoint per number (digits only, as the trunk dials them); returns what each was drawn to be.
     *
     * @param rates the share of each kind (missing kinds 0; the shares must add up to 1 within 0.001)
     */
    public static Map<String, Kind> add(Endpoints endpoints, List<String> numbers, Map<Kind, Double> rates,
                                        Duration answerAfter, Duration talk, long seed) {
        double sum = rates.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1) > 0.001 || rates.values().stream().anyMatch(r -> r < 0)) {
            throw new IllegalArgumentException("outbound rates: " + rates + " (expected: shares >= 0 adding up to 1)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Kind> drawn = new java.util.LinkedHashMap<>();
        for (String number : numbers) {
            double r = random.nextDouble();
            Kind kind = Kind.INVALID;
            double acc = 0;
            for (Kind k : Kind.values()) {
                acc += rates.getOrDefault(k, 0.0);
                if (r < acc) {
                    kind = k;
                    break;
                }
            }
            drawn.put(number, kind);
            if (kind == Kind.INVALID) {
                continue;
            }
            EndpointBehaviour behaviour = new EndpointBehaviour(new Distribution.Fixed(answerAfter),
                    kind == Kind.NO_ANSWER ? 0.0 : 1.0, new Distribution.Fixed(kind == Kind.MACHINE
                    ? Duration.ofSeconds(30) : talk));
            Endpoint e = endpoints.add("PJSIP/" + number, behaviour, true);
            e.busyLine(kind == Kind.BUSY).machine(kind == Kind.MACHINE);
        }
        return drawn;
    }

    /** Every kind's count in a draw. */
    public static Map<Kind, Integer> counts(Map<String, Kind> drawn) {
        Map<Kind, Integer> out = new EnumMap<>(Kind.class);
        drawn.values().forEach(k -> out.merge(k, 1, Integer::sum));
        return out;
    }
}
