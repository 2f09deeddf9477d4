package dev.hotline.cli.records;

import dev.hotline.cli.Main;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.qa.Answer;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.FormReader;
import dev.hotline.qa.SamplingPlan;
import dev.hotline.qa.store.QaStore;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hotline report --by qa}: the monthly quality report from the database, as a table and as CSV. */
@Tag("slow")
class QaReportCommandTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    Result run(Path config, String... args) {
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return new Result(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Test
    void theMonthlyQualityReportPerAgentTeamAndInTotal() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(dir.resolve("agents.yaml"), """
                agents:
                  - {id: "1001", name: A, endpoint: PJSIP/1001, skills: {support: 5}, teams: [team-a]}
                  - {id: "1004", name: D, endpoint: PJSIP/1004, skills: {support: 5}, teams: [team-b]}
                """);
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, """
                database:
                  kind: embedded
                  data_dir: %s
                paths:
                  agents: %s
                qa:
                  report_due_day: 20
                """.formatted(data, dir.resolve("agents.yaml")));
        String yaml = """
                name: Review
                sections:
                  - title: Opening
                    questions:
                      - {id: greet, text: Greeted, scale: yes-no, weight: 1}
                      - {id: verify, text: Verified, scale: yes-no, weight: 1, critical: true}
                """;
        Instant nov = Instant.parse("2026-11-10T10:00:00Z");
        try (AppDatabase db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, data, "", "",
                Secret.NONE, 2))) {
            db.migrate();
            QaStore store = new QaStore(db.dataSource());
            Form form = store.saveVersion(((FormReader.Result.Ok) FormReader.read(yaml, "t", "review", 1, nov, "root"))
                    .form(), yaml);
            store.savePlan("1001", SamplingPlan.of(2, 5, "", Optional.empty()), nov, "quinn");
            // 1001: 100 and 50 (greet "no"); 1004: a critical failure (0).
            store.insertEvaluation(Evaluation.submit("e1", "pbx1/1", "1001", nov, form, "quinn", false,
                    List.of(new Answer("greet", "yes"), new Answer("verify", "yes")), "", nov));
            store.insertEvaluation(Evaluation.submit("e2", "pbx1/2", "1001", nov, form, "quinn", false,
                    List.of(new Answer("greet", "no"), new Answer("verify", "yes")), "", nov));
            store.insertEvaluation(Evaluation.submit("e3", "pbx1/3", "1004", nov, form, "quinn", false,
                    List.of(new Answer("greet", "yes"), new Answer("verify", "no")), "", nov));
        }
        Result table = run(config, "report", "--by", "qa", "--from", "2026-11-01", "--zone", "UTC");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).startsWith("Quality report 2026-11 (calls begun in the month; due 2026-12-20)");
        assertThat(table.out()).containsPattern("(?m)^agent +1001 +team-a +1 +2 +2 +75\\.0 +0 ");
        assertThat(table.out()).containsPattern("(?m)^agent +1004 +team-b +1 +1 +1 +0\\.0 +1 ");
        assertThat(table.out()).containsPattern("(?m)^all +\\* +team-a team-b +2 +3 +3 +50\\.0 +1 ");

        Result csv = run(config, "report", "--by", "qa", "--from", "2026-11-15", "--zone", "UTC", "--format", "csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        assertThat(csv.out()).startsWith("level,id,teams,agents,planned,done,average_score,critical_failures,")
                .contains("\r\nteam,team-a,team-a,1,2,2,75.0,0,0,0,0,0,75.0,")
                .contains("\r\nall,*,team-a team-b,2,3,3,50.0,1,0,0,0,0,66.7,");
    }
}
