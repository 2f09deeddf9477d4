package dev.hotline.agi.server;

import dev.hotline.agi.AgiScript;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The script names the FastAGI server answers to. Built-in scripts are registered at start-up; IVR scripts come
 * from a fallback router (the IVR repository) so a newly published script is found without re-registering.
 */
public final class AgiScripts implements AgiScriptRouter {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Map<String, AgiScript> scripts = new ConcurrentHashMap<>();
    private volatile AgiScriptRouter fallback = name -> Optional.empty();

    /** Registers a script under a name; a name may be registered once. */
    public AgiScripts register(String name, AgiScript script) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("script name: '" + name + "' (expected: letters, digits, '_', '.', '-')");
        }
        if (scripts.putIfAbsent(name, script) != null) {
            throw new IllegalArgumentException("script name: '" + name + "' is already registered");
        }
        return this;
    }

    /** Where names not registered here are looked up (e.g. the IVR script repository). */
    public AgiScripts fallback(AgiScriptRouter router) {
        this.fallback = router;
        return this;
    }

    @Override
    public Optional<AgiScript> find(String name) {
        AgiScript s = scripts.get(name);
        return s != null ? Optional.of(s) : fallback.find(name);
    }
}
