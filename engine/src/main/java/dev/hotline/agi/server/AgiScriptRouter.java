package dev.hotline.agi.server;

import dev.hotline.agi.AgiScript;

import java.util.Optional;

/**
 * Picks the call logic for a session from its script name ({@code agi_network_script} without the query).
 * IVR scripts, the call flow's {@code connect} script and the built-in {@code diag} script are found here.
 */
@FunctionalInterface
public interface AgiScriptRouter {

    Optional<AgiScript> find(String scriptName);
}
