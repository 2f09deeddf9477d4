package dev.hotline.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.Reaction;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Seeded statistics of the arrival, caller and duration models: right on average, and the same for the same seed. */
class LoadModelsTest {

    private static final int N = 100_000;

    @Test
    void poissonGapsHaveTheMeanAndSpreadOfTheRate() {
        ArrivalModel model = ArrivalModel.flat(30);
        SplittableRandom random = new SplittableRandom(42);
        double[] gaps = new double[N];
        for (int i = 0; i < N; i++) {
            gaps[i] = model.nextGap(random, LocalTime.NOON).toNanos() / 1e9;
        }
        double mean = mean(gaps);
        assertThat(mean).as("mean gap at 30/min").isCloseTo(2.0, within(0.02));
        assertThat(stdDev(gaps, mean)).as("exponential: sd = mean").isCloseTo(2.0, within(0.04));
        long withinOneMean = java.util.Arrays.stream(gaps).filter(g -> g <= 2.0).count();
        assertThat(withinOneMean / (double) N).as("P(gap <= mean) = 1 - 1/e").isCloseTo(1 - Math.exp(-1), within(0.01));
    }

    @Test
    void hourlyWeightsScaleTheRateOfThatHour() {
        List<Double> weights = new ArrayList<>(Collections.nCopies(24, 1.0));
        weights.set(9, 4.0);
        weights.set(3, 0.25);
        ArrivalModel model = new ArrivalModel(6, weights);
        assertThat(meanGapSeconds(model, LocalTime.of(9, 30))).isCloseTo(2.5, within(0.05));
        assertThat(meanGapSeconds(model, LocalTime.of(3, 0))).isCloseTo(40, within(0.8));
        assertThat(meanGapSeconds(model, LocalTime.of(14, 0))).isCloseTo(10, within(0.2));
    }

    @Test
    void arrivalsAreTheSameForTheSameSeedAndDifferForAnother() {
        ArrivalModel model = ArrivalModel.flat(12);
        assertThat(gaps(model, 7)).isEqualTo(gaps(model, 7)).isNotEqualTo(gaps(model, 8));
    }

    @Test
    void menuChoicesFollowTheirProbabilitiesAndLeftoverMeansNoPress() {
        CallerModel model = new CallerModel(Map.of("main-menu", Map.of('1', 0.5, '2', 0.2, '#', 0.1)),
                Map.of('9', 1.0), Distribution.uniform(Duration.ofSeconds(1), Duration.ofSeconds(3)),
                Distribution.fixed(Duration.ofMinutes(1)), Duration.ofMinutes(10));
        SplittableRandom random = new SplittableRandom(3);
        Map<String, Integer> counts = new TreeMap<>();
        long thinkNanos = 0;
        for (int i = 0; i < N; i++) {
            Reaction reaction = model.newCaller(random.split()).onPrompt("main-menu");
            String key = reaction instanceof Reaction.Press press ? press.digits() : "nothing";
            counts.merge(key, 1, Integer::sum);
            if (reaction instanceof Reaction.Press press) {
                thinkNanos += press.after().toNanos();
                assertThat(press.after()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("1", "2", "#", "nothing");
        assertThat(counts.get("1") / (double) N).isCloseTo(0.5, within(0.01));
        assertThat(counts.get("2") / (double) N).isCloseTo(0.2, within(0.01));
        assertThat(counts.get("#") / (double) N).isCloseTo(0.1, within(0.01));
        assertThat(counts.get("nothing") / (double) N).isCloseTo(0.2, within(0.01));
        assertThat(thinkNanos / 1e9 / (N - counts.get("nothing"))).as("mean think time").isCloseTo(2.0, within(0.02));

        Reaction other = model.newCaller(new SplittableRandom(1)).onPrompt("some-other-prompt");
        assertThat(other).isInstanceOf(Reaction.Press.class);
        assertThat(((Reaction.Press) other).digits()).as("unlisted prompt uses the default choices").isEqualTo("9");
    }

    @Test
    void theSameSeedGivesTheSameChoicesWhateverOrderTheMenuMapHas() {
        Map<Character, Double> ascending = new LinkedHashMap<>();
        ascending.put('1', 0.3);
        ascending.put('2', 0.3);
        ascending.put('3', 0.3);
        Map<Character, Double> descending = new LinkedHashMap<>();
        descending.put('3', 0.3);
        descending.put('2', 0.3);
        descending.put('1', 0.3);
        List<String> first = choices(ascending, 11);
        assertThat(first).isEqualTo(choices(descending, 11)).isEqualTo(choices(new HashMap<>(ascending), 11));
        assertThat(first).isNotEqualTo(choices(ascending, 12));
        // The documented rule: digits are tried in order ('#' < '*' < '0'…'9'), each taking its share of [0, 1).
        SplittableRandom expected = new SplittableRandom(11);
        List<String> byRule = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            double draw = expected.nextDouble();
            byRule.add(draw < 0.3 ? "1" : draw < 0.6 ? "2" : draw < 0.9 ? "3" : "-");
        }
        assertThat(first).isEqualTo(byRule);
    }

    @Test
    void patienceIsExponentialWithItsMean() {
        CallerModel model = CallerModel.typical();
        SplittableRandom random = new SplittableRandom(5);
        double[] patience = new double[N];
        for (int i = 0; i < N; i++) {
            CallerBehaviour caller = model.newCaller(random.split());
            assertThat(caller.hangUpAfter()).contains(Duration.ofMinutes(15));
            patience[i] = ((Reaction.HangUp) caller.onWait()).after().toNanos() / 1e9;
        }
        double mean = mean(patience);
        assertThat(mean).isCloseTo(120, within(1.5));
        assertThat(stdDev(patience, mean)).isCloseTo(120, within(2.5));
        double median = java.util.Arrays.stream(patience).sorted().toArray()[N / 2];
        assertThat(median).as("median = mean * ln 2").isCloseTo(120 * Math.log(2), within(1.5));
    }

    @Test
    void distributionsAreDeterministicAndWithinBounds() {
        Distribution uniform = Distribution.uniform(Duration.ofMillis(500), Duration.ofMillis(1500));
        SplittableRandom random = new SplittableRandom(9);
        double sum = 0;
        for (int i = 0; i < N; i++) {
            Duration d = uniform.sample(random);
            assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
            sum += d.toNanos() / 1e6;
        }
        assertThat(sum / N).isCloseTo(1000, within(5.0));
        assertThat(Distribution.uniform(Duration.ofSeconds(2), Duration.ofSeconds(2)).sample(random))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(Distribution.fixed(Duration.ofSeconds(7)).sample(random)).isEqualTo(Duration.ofSeconds(7));
        Distribution exponential = Distribution.exponential(Duration.ofSeconds(30));
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            Duration x = exponential.sample(a);
            assertThat(x).isEqualTo(exponential.sample(b));
            assertThat(x.isNegative()).isFalse();
        }
    }

    private static List<String> choices(Map<Character, Double> menu, long seed) {
        CallerModel model = new CallerModel(Map.of(), menu, Distribution.fixed(Duration.ofSeconds(1)),
                Distribution.fixed(Duration.ofMinutes(1)), Duration.ofMinutes(10));
        CallerBehaviour caller = model.newCaller(new SplittableRandom(seed));
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            choices.add(caller.onPrompt("menu") instanceof Reaction.Press press ? press.digits() : "-");
        }
        return choices;
    }

    private static List<Duration> gaps(ArrivalModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Duration> gaps = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            gaps.add(model.nextGap(random, LocalTime.NOON));
        }
        return gaps;
    }

    private static double meanGapSeconds(ArrivalModel model, LocalTime at) {
        SplittableRandom random = new SplittableRandom(17);
        double sum = 0;
        for (int i = 0; i < N; i++) {
            sum += model.nextGap(random, at).toNanos() / 1e9;
        }
        return sum / N;
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElseThrow();
    }

    private static double stdDev(double[] values, double mean) {
        return Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
    }
}
