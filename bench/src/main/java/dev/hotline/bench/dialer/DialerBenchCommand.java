package dev.hotline.bench.dialer;

import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Pacer;
import dev.hotline.outbound.sim.DialerSimulation;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A day of one campaign on the same simulated list, dialled progressive and then predictive: contacts per
 * agent-hour, the agents' wait between calls, occupancy and the abandon rate (overall and its worst rolling window)
 * against the cap. The list's answer rate moves through the day (35 % → 20 % → 45 % → 25 %, with machines, busy
 * lines and no-answers), so the pacer has to follow it. Discrete-event time: a day runs in about a second.
 */
@CommandLine.Command(name = "dialer", mixinStandardHelpOptions = true,
        description = "Outbound dialling: predictive vs progressive on the same simulated day.")
public final class DialerBenchCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--agents", defaultValue = "20", description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @CommandLine.Option(names = "--cap", defaultValue = "3", description = "Abandon cap, percent (default: ${DEFAULT-VALUE}).")
    double cap;

    @CommandLine.Option(names = "--seeds", defaultValue = "5", description = "Days run per mode, seeds 1..N (default: ${DEFAULT-VALUE}).")
    int seeds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (agents < 1 || seeds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--agents and --seeds: at least 1");
        }
        Pacer.Settings settings = Pacer.Settings.withCap(cap);
        out.printf("dialer-bench: %d agents, 8-hour day, 2-minute mean talk, 15 s wrap-up, abandon cap %.1f %% over"
                + " %s, %d seed(s)%n", agents, cap, settings.window(), seeds);
        DialerSimulation.Result last = null;
        for (DialMode mode : new DialMode[] {DialMode.PROGRESSIVE, DialMode.PREDICTIVE}) {
            double cph = 0;
            double wait = 0;
            double occupancy = 0;
            double abandon = 0;
            double worst = 0;
            for (long seed = 1; seed <= seeds; seed++) {
                var base = DialerSimulation.Scenario.day(agents, seed);
                var scenario = new DialerSimulation.Scenario(agents, base.day(), base.segments(), base.talkMean(),
                        base.wrapUp(), base.ringTimeout(), Duration.ofSeconds(2), settings, seed);
                last = DialerSimulation.run(scenario, mode);
                out.println("  " + last.line());
                cph += last.contactsPerAgentHour();
                wait += last.agentWaitSeconds();
                occupancy += last.occupancyPct();
                abandon += last.abandonPct();
                worst = Math.max(worst, last.worstWindowAbandonPct());
            }
            out.printf(java.util.Locale.ROOT, "dialer-bench: mode=%s agents=%d contacts_per_agent_hour=%.1f"
                    + " agent_wait_s=%.1f occupancy_pct=%.1f abandon_pct=%.2f worst_window_abandon_pct=%.2f%n",
                    mode.wireName(), agents, cph / seeds, wait / seeds, occupancy / seeds, abandon / seeds, worst);
        }
        out.flush();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DialerBenchCommand()).execute(args));
    }
}
