package dev.hotline.records.report;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTableTest {

    final ReportTable table = new ReportTable(List.of("queue", "offered", "sl"),
            List.of(Arrays.asList("support", 12L, 50.0), Arrays.asList("a,\"b\"", 3L, null)));

    @Test
    void textIsAlignedWithNumbersOnTheRight() {
        assertThat(table.render(ReportTable.Format.TABLE)).isEqualTo("""
                queue    offered    sl
                support       12  50.0
                a,"b"          3
                """);
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndLeavesMissingValuesEmpty() {
        assertThat(table.render(ReportTable.Format.CSV))
                .isEqualTo("queue,offered,sl\r\nsupport,12,50.0\r\n\"a,\"\"b\"\"\",3,\r\n");
    }

    @Test
    void jsonHasOneObjectPerRowWithNullForMissingValues() {
        assertThat(table.render(ReportTable.Format.JSON).replaceAll("\\s", ""))
                .isEqualTo("[{\"queue\":\"support\",\"offered\":12,\"sl\":50.0},"
                        + "{\"queue\":\"a,\\\"b\\\"\",\"offered\":3,\"sl\":null}]");
    }

    @Test
    void queueRowsRenderPercentagesAndSeconds() {
        KpiCalculator calc = new KpiCalculator(ZoneOffset.UTC, q -> KpiCalculatorTest.SUPPORT);
        List<QueueKpis> rows = calc.queues(ScriptedDay.calls(), ScriptedDay.at("09:00:00"),
                ScriptedDay.at("09:30:00"), Grouping.M30, Optional.of("support"));
        String csv = ReportTable.ofQueues(rows, ZoneOffset.UTC).render(ReportTable.Format.CSV);
        assertThat(csv).contains("2025-03-03 09:00,support,6,4,2,1,0,0,50.0,60.0,17.8,13.5,21.0,120.0,15.0,20.0,1,0,0,0,"
                + "2,50.0,4.0,inquiry=1 repair=1");
    }
}
