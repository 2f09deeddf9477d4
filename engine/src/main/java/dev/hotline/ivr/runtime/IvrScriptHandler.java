package dev.hotline.ivr.runtime;

import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.handoff.Handback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The FastAGI entry point of IVR scripts: register it with the FastAGI server under a script's id (or as the
 * handler for every name, with {@link #byScriptName}). Each call takes the catalog current when it starts and
 * finishes on it, runs the interpreter, and hands the result to the outcome handler.
 */
public final class IvrScriptHandler implements AgiScript {

    private static final Logger LOG = LoggerFactory.getLogger(IvrScriptHandler.class);

    private final Supplier<IvrCatalog> catalog;
    private final Optional<String> scriptId;
    private final IvrInterpreter interpreter;
    private final IvrOutcomeHandler outcomes;

    private IvrScriptHandler(Supplier<IvrCatalog> catalog, Optional<String> scriptId, IvrInterpreter interpreter,
                             IvrOutcomeHandler outcomes) {
        this.catalog = catalog;
        this.scriptId = scriptId;
        this.interpreter = interpreter;
        this.outcomes = outcomes;
    }

    /** Runs the script {@code scriptId} (e.g. registered as {@code agi://host/main-menu}). */
    public static IvrScriptHandler forScript(String scriptId, Supplier<IvrCatalog> catalog, IvrInterpreter interpreter,
                                             IvrOutcomeHandler outcomes) {
        return new IvrScriptHandler(catalog, Optional.of(scriptId), interpreter, outcomes);
    }

    /** Runs the script named by the call's {@code agi_network_script} (one handler for every script). */
    public static IvrScriptHandler byScriptName(Supplier<IvrCatalog> catalog, IvrInterpreter interpreter,
                                                IvrOutcomeHandler outcomes) {
        return new IvrScriptHandler(catalog, Optional.empty(), interpreter, outcomes);
    }

    @Override
    public void run(AgiSession session) throws Exception {
        IvrCatalog pinned = catalog.get();
        String id = scriptId.orElseGet(() -> session.environment().script());
        if (pinned.script(id).isEmpty()) {
            LOG.warn("call {}: no valid IVR script \"{}\" (published: {})", session.environment().uniqueId(), id,
                    pinned.scripts().keySet());
            session.verbose("Hotline: no valid IVR script " + id, 1);
            Handback.handBack(session, Handback.Outcome.FALLBACK, "no valid IVR script " + AgiCommand.sanitize(id));
            return;
        }
        IvrCallResult result = interpreter.run(pinned, id, session);
        outcomes.handle(result, session);
    }
}
