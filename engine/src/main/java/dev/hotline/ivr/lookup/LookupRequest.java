package dev.hotline.ivr.lookup;

import dev.hotline.ivr.model.Node;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One lookup, with the call's values already substituted.
 *
 * @param node    the lookup node's name (the dry-run stub answers by it)
 * @param body    JSON body fields for POST (empty for GET)
 * @param timeout the whole request must finish within this
 */
public record LookupRequest(String node, Node.Method method, URI uri, Map<String, String> headers,
                            Map<String, String> body, Duration timeout) {

    public LookupRequest {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
        Objects.requireNonNull(timeout, "timeout");
    }
}
