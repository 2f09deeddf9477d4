package dev.hotline.cli;

import dev.hotline.bench.agi.AgiBenchCommand;
import dev.hotline.bench.dialer.DialerBenchCommand;
import dev.hotline.bench.route.RouteBenchCommand;
import picocli.CommandLine.Command;

/** {@code hotline bench …}: runnable benchmarks; figures and method are recorded in BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark (figures and method: BENCHMARKS.md).",
        subcommands = {AgiBenchCommand.class, RouteBenchCommand.class, DialerBenchCommand.class,
                dev.hotline.cli.records.RecordsBenchCommand.class, dev.hotline.cli.bench.CallsBenchCommand.class,
                dev.hotline.cli.bench.CpuBenchCommand.class, dev.hotline.cli.bench.FailoverBenchCommand.class})
final class BenchCommand {
}
