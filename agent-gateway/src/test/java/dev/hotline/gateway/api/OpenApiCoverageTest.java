package dev.hotline.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description in the repository is the gateway's contract: every route the server registers is
 * described there, and nothing is described that the server does not serve.
 */
@Tag("slow")
class OpenApiCoverageTest {

    private static final Path SPEC = Path.of("openapi.yaml");
    private static final java.util.Set<String> METHODS = java.util.Set.of("get", "post", "put", "delete", "patch");

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteIsServed() throws Exception {
        // Registering routes needs the engine's configuration only: an engine that is not started will do.
        var engine = new dev.hotline.app.HotlineEngine(dev.hotline.config.HotlineConfig.defaults(), List.of(), "test");
        Context ctx = new Context(engine.api(), dev.hotline.config.GatewayConfig.DEFAULTS, null, null, null, null, null, null,
                java.time.InstantSource.system(), new ObjectMapper());
        TreeSet<String> served = new TreeSet<>();
        for (var route : Routes.build(ctx).routes()) {
            served.add(route.method() + " " + route.pattern());
        }
        TreeSet<String> described = new TreeSet<>();
        JsonNode paths = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SPEC)).get("paths");
        assertThat(paths).as("%s has a 'paths' section", SPEC.toAbsolutePath()).isNotNull();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
                String op = ops.next();
                if (METHODS.contains(op)) {
                    described.add(op.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        TreeSet<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(described);
        undocumented.removeIf(r -> r.endsWith("/**"));   // static-file fallbacks are described by their pages
        TreeSet<String> unserved = new TreeSet<>(described);
        unserved.removeAll(served);
        unserved.remove("GET /ws");   // the WebSocket upgrade is taken by GatewayHandler before routing
        assertThat(undocumented).as("routes missing from %s", SPEC).isEmpty();
        assertThat(unserved).as("paths in %s that the gateway does not serve", SPEC).isEmpty();
    }
}
