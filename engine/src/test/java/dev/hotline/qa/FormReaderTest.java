package dev.hotline.qa;

import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FormReaderTest {

    @Test
    void aWellWrittenFormReadsIntoSectionsOfWeightedQuestions() {
        Form f = QaFixtures.form();
        assertThat(f.label()).isEqualTo("standard v1");
        assertThat(f.name()).isEqualTo("Standard call review");
        assertThat(f.sections()).extracting(Form.Section::title).containsExactly("Opening", "Resolution");
        assertThat(f.questions()).extracting(Form.Question::id).containsExactly("greet", "verify", "solved");
        assertThat(f.question("verify").orElseThrow().critical()).isTrue();
        assertThat(f.question("solved").orElseThrow().scale()).isEqualTo(Scale.ONE_TO_FIVE);
        assertThat(f.question("solved").orElseThrow().weight()).isEqualTo(2);
    }

    @Test
    void everyProblemIsReportedWithItsLineAndColumn() {
        String yaml = """
                name: Bad form
                sections:
                  - title: Opening
                    questions:
                      - {id: greet, text: Greeted, scale: yes-no, weight: 0}
                      - {id: greet, text: Again, scale: thumbs}
                  - title: Opening
                    questions: []
                    colour: red
                """;
        FormReader.Result r = FormReader.read(yaml, "form.yaml", "bad", 1, Instant.EPOCH, "root");
        assertThat(r).isInstanceOf(FormReader.Result.Invalid.class);
        assertThat(((FormReader.Result.Invalid) r).problems()).extracting(YamlProblem::toString).containsExactly(
                "form.yaml:5:59: error: sections[0].questions[0].weight: 0 (expected: an integer from 1 to 100)",
                "form.yaml:6:14: error: sections[0].questions[1].id: \"greet\" is used by another question"
                        + " (expected: an id of its own)",
                "form.yaml:6:41: error: sections[0].questions[1].scale: \"thumbs\" (expected: yes-no or 1-5)",
                "form.yaml:7:5: error: sections[1].questions: missing (expected: at least one question)",
                "form.yaml:7:12: error: sections[1].title: \"Opening\" is used by another section"
                        + " (expected: a title of its own)",
                "form.yaml:9:5: error: sections[1].colour: unknown key (expected one of: questions, title)");
    }

    @Test
    void aSyntaxErrorIsOneProblem() {
        FormReader.Result r = FormReader.read("name: [unclosed", "form.yaml", "bad", 1, Instant.EPOCH, "root");
        assertThat(((FormReader.Result.Invalid) r).problems()).hasSize(1);
    }
}
