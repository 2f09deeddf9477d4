package dev.hotline.cli.ivr;

import dev.hotline.ivr.dryrun.DryRun;
import dev.hotline.ivr.lookup.HttpLookupClient;
import dev.hotline.ivr.lookup.LookupClient;
import dev.hotline.ivr.lookup.StubLookupClient;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hotline ivr …}: work with IVR scripts. */
@Command(name = "ivr", mixinStandardHelpOptions = true, description = "Work with IVR scripts.",
        subcommands = {IvrCommand.Try.class})
public final class IvrCommand {

    /** {@code hotline ivr try SCRIPT …}: runs a script with no Asterisk. */
    @Command(name = "try", mixinStandardHelpOptions = true,
            description = {"Run an IVR script without Asterisk: prints each prompt and decision and ends with",
                    "'outcome: <queue NAME|transfer TARGET|voicemail BOX|hangup> vars={...}'.",
                    "Keys come from --digits, else from the keyboard."})
    static final class Try implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SCRIPT", description = "Script id (e.g. main-menu).")
        String script;

        @Option(names = "--caller", paramLabel = "N", description = "Caller's number (default: ${DEFAULT-VALUE}).",
                defaultValue = "0600000000")
        String caller;

        @Option(names = "--dnis", paramLabel = "N", description = "Dialled number (default: ${DEFAULT-VALUE}).",
                defaultValue = "1000")
        String dnis;

        @Option(names = "--lang", paramLabel = "L", description = "Channel language (default: ${DEFAULT-VALUE}).",
                defaultValue = "en")
        String lang;

        @Option(names = "--digits", split = ",", paramLabel = "KEYS",
                description = {"Caller's keys in order, e.g. 1,3,1234#: an input ends with # or at its maximum length;",
                        "t = a silence (the wait times out), h = hang up. When used up, the caller stays silent."})
        List<String> digits;

        @Option(names = "--at", paramLabel = "ISO-TIME",
                description = "When the call happens, e.g. 2026-03-02T22:30:00+01:00 (default: now).")
        String at;

        @Option(names = "--lookup-stub", paramLabel = "FILE",
                description = "JSON answers for lookup nodes, keyed by node name (default: real HTTP lookups).")
        Path lookupStub;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Instant when;
            try {
                when = at == null ? Instant.now() : OffsetDateTime.parse(at).toInstant();
            } catch (DateTimeParseException e) {
                err.println("--at " + at + ": not a time (expected: ISO-8601 with offset, e.g."
                        + " 2026-03-02T22:30:00+01:00)");
                return 2;
            }
            Optional<CliContext> ctx = CliContext.load(spec, err);
            if (ctx.isEmpty()) {
                return 1;
            }
            IvrLoader.Validation v = ctx.get().loader().validate(List.of(ctx.get().scriptsDir()),
                    ctx.get().calendarsDir(), Set.of());
            if (v.catalog().script(script).isEmpty()) {
                v.problems().stream().filter(p -> p.severity() == YamlProblem.Severity.ERROR).forEach(err::println);
                err.println(script + ": no valid script with this id in " + ctx.get().scriptsDir() + " (valid: "
                        + v.catalog().scripts().keySet().stream().sorted().toList() + ")");
                return 1;
            }
            LookupClient lookups;
            try {
                lookups = lookupStub == null ? HttpLookupClient.create() : StubLookupClient.fromFile(lookupStub);
            } catch (IOException | IllegalArgumentException e) {
                err.println("--lookup-stub " + lookupStub + ": " + e.getMessage());
                return 2;
            }
            Optional<BufferedReader> keyboard = digits == null
                    ? Optional.of(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
                    : Optional.empty();
            try {
                DryRun.run(v.catalog(), script, new DryRun.Options(caller, dnis, lang,
                        digits == null ? List.of() : digits, when), lookups, out, keyboard);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            return 0;
        }
    }
}
