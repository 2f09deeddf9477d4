package dev.hotline.ivr.dryrun;

import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.ivr.lookup.LookupClient;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrCatalog;
import dev.hotline.ivr.runtime.IvrEvent;
import dev.hotline.ivr.runtime.IvrInterpreter;
import dev.hotline.ivr.runtime.IvrMetrics;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a script the way a call would, with no Asterisk: the engine of {@code ./hotline ivr try}. Prints every
 * node, prompt, key and decision, and ends with {@code outcome: … vars={…}}.
 */
public final class DryRun {

    /**
     * What to simulate.
     *
     * @param caller   the caller's number
     * @param dnis     the dialled number
     * @param language the channel's language (the script's default when it has no prompts in it)
     * @param digits   the caller's keys ({@link ConsoleSession}); empty with a keyboard = ask interactively
     * @param at       the time the call happens (business hours)
     */
    public record Options(String caller, String dnis, String language, List<String> digits, Instant at) {
        public Options {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(dnis, "dnis");
            Objects.requireNonNull(language, "language");
            digits = List.copyOf(digits);
            Objects.requireNonNull(at, "at");
        }
    }

    private DryRun() {
    }

    public static IvrCallResult run(IvrCatalog catalog, String scriptId, Options o, LookupClient lookups,
                                    PrintWriter out, Optional<BufferedReader> keyboard) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("agi_network_script", scriptId);
        env.put("agi_uniqueid", "dry-run");
        env.put("agi_channel", "Console/dry-run");
        env.put("agi_callerid", o.caller());
        env.put("agi_dnid", o.dnis());
        env.put("agi_language", o.language());
        env.put("agi_extension", o.dnis());
        ConsoleSession session = new ConsoleSession(new AgiEnvironment(env), out, o.digits(), keyboard);
        out.println("dry-run of " + scriptId + ": caller " + (o.caller().isEmpty() ? "(withheld)" : o.caller())
                + ", dialled " + o.dnis() + ", at " + o.at());
        IvrInterpreter interpreter = new IvrInterpreter(InstantSource.fixed(o.at()), lookups, IvrMetrics.NONE);
        IvrCallResult r = interpreter.run(catalog, scriptId, session, step -> print(step, out));
        out.println(r.summary());
        out.flush();
        return r;
    }

    private static void print(IvrEvent s, PrintWriter out) {
        switch (s.kind()) {
            case VISIT -> out.println("[" + s.script() + "/" + s.node() + "] " + s.detail());
            case KEY, OUTCOME -> {
                // keys are printed by the session as they are read; the outcome line ends the run
            }
            case DECISION -> out.println("  -> " + s.detail());
            case TIMEOUT -> out.println("  timeout: " + s.detail());
            case INVALID -> out.println("  invalid: " + s.detail());
            case ERROR -> out.println("  error: " + s.detail());
            case CALLER_HANGUP -> out.println("  the caller hung up here");
        }
        out.flush();
    }
}
