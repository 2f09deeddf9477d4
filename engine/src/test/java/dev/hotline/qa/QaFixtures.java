package dev.hotline.qa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A small scorecard and calls for the QA tests. */
final class QaFixtures {

    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    /** Opening: greet (yes-no, 1), verify (yes-no, 1, critical); Resolution: solved (1-5, 2). */
    static final String FORM_YAML = """
            name: Standard call review
            sections:
              - title: Opening
                questions:
                  - {id: greet, text: Greeted the caller, scale: yes-no, weight: 1}
                  - {id: verify, text: Checked the caller's identity, scale: yes-no, weight: 1, critical: true}
              - title: Resolution
                questions:
                  - {id: solved, text: Solved the problem, scale: 1-5, weight: 2}
            """;

    private QaFixtures() {
    }

    static Form form() {
        return ((FormReader.Result.Ok) FormReader.read(FORM_YAML, "form.yaml", "standard", 1, T0, "root")).form();
    }

    static List<Answer> answers(String greet, String verify, String solved) {
        return List.of(new Answer("greet", greet), new Answer("verify", verify), new Answer("solved", solved));
    }

    static Evaluation evaluation(String id, String agent, Instant callStart, String greet, String verify,
                                 String solved) {
        return Evaluation.submit(id, "call-" + id, agent, callStart, form(), "quinn", false,
                answers(greet, verify, solved), "", callStart.plus(Duration.ofDays(1)));
    }

    static CandidateCall call(String id, int minute, String disposition, int talkMinutes, Integer csat,
                              boolean recorded) {
        return new CandidateCall(id, "1001", "support", T0.plusSeconds(60L * minute),
                Duration.ofMinutes(talkMinutes), Optional.ofNullable(disposition),
                csat == null ? OptionalInt.empty() : OptionalInt.of(csat), recorded);
    }
}
