package dev.hotline.ivr.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Canned lookup answers for the dry-run, from a JSON file keyed by lookup node name:
 * <pre>
 * { "crm": {"customer": {"tier": "gold", "name": "Ada"}},
 *   "balance": {"$error": "timeout"} }
 * </pre>
 * A node that is not in the file, or whose answer is {@code {"$error": …}}, fails (the script takes
 * {@code on_error}), so both branches can be tried.
 */
public final class StubLookupClient implements LookupClient {

    private final JsonNode answers;

    public StubLookupClient(JsonNode answers) {
        if (!answers.isObject()) {
            throw new IllegalArgumentException("lookup stub: a JSON " + answers.getNodeType()
                    + " (expected: an object keyed by lookup node name)");
        }
        this.answers = answers;
    }

    public static StubLookupClient fromFile(Path file) throws IOException {
        return new StubLookupClient(new ObjectMapper().readTree(file.toFile()));
    }

    /** A stub that fails every lookup (the dry-run without {@code --lookup-stub}). */
    public static StubLookupClient none() {
        return new StubLookupClient(new ObjectMapper().createObjectNode());
    }

    @Override
    public JsonNode fetch(LookupRequest request) throws LookupException {
        JsonNode a = answers.get(request.node());
        if (a == null) {
            throw new LookupException("no answer for lookup node \"" + request.node() + "\" in the stub", null);
        }
        if (a.has("$error")) {
            throw new LookupException("stubbed error: " + a.get("$error").asText(), null);
        }
        return a;
    }
}
