package dev.hotline.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.User;
import io.netty.handler.codec.http.HttpHeaders;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as handlers see it: method, path, path parameters, query, JSON body, client address and the
 * session its bearer token names. The accessors throw {@link ApiException}s that name what is wrong.
 */
public final class Request {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final byte[] body;
    private final String contentType;
    private final String address;
    private final Optional<Session> session;
    private final ObjectMapper json;
    private Map<String, String> pathParams = Map.of();
    private HttpHeaders headers;

    public Request(String method, String path, Map<String, List<String>> query, byte[] body, String contentType,
                   String address, Optional<Session> session, ObjectMapper json) {
        this.method = method;
        this.path = path;
        this.query = Map.copyOf(query);
        this.body = body;
        this.contentType = contentType;
        this.address = address;
        this.session = session;
        this.json = json;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    void headers(HttpHeaders headers) {
        this.headers = headers;
    }

    /** A request header (e.g. {@code Range}), if sent. */
    public Optional<String> header(String name) {
        return headers == null ? Optional.empty() : Optional.ofNullable(headers.get(name));
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String address() {
        return address;
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public Optional<String> query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public Optional<Session> optionalSession() {
        return session;
    }

    /** The caller's session; 401 without a valid token. */
    public Session session() {
        return session.orElseThrow(() -> ApiException.unauthorized(
                "missing or expired token (expected: header 'Authorization: Bearer <token>' from POST /api/login)"));
    }

    public User user() {
        return session().user();
    }

    /** The caller, who must hold one of {@code roles}; 403 otherwise. */
    public User requireRole(Role... roles) {
        User u = user();
        if (Arrays.stream(roles).noneMatch(r -> r == u.role())) {
            throw ApiException.forbidden("role " + u.role().wireName() + " may not " + method + " " + path
                    + " (expected: " + String.join(" or ", Arrays.stream(roles).map(Role::wireName).toList()) + ")");
        }
        return u;
    }

    /** The body as a JSON object; an empty body is an empty object. 400 when it is not a JSON object. */
    public ObjectNode body() {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        if (contentType != null && !contentType.isBlank() && !contentType.toLowerCase().startsWith("application/json")) {
            throw new ApiException(415, "unsupported media type", "Content-Type " + contentType
                    + " (expected: application/json)");
        }
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field '")) {
                String key = m.substring("Duplicate field '".length(), m.lastIndexOf('\''));
                var at = e.getLocation();
                throw ApiException.badField(key, "body has the key '" + key + "' twice" + (at == null ? ""
                        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                        + " (expected: each key once)");
            }
            throw ApiException.badRequest("body is not valid JSON: " + m);
        } catch (IOException e) {
            throw ApiException.badRequest("body is not valid JSON: " + e.getMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiException.badRequest("body is " + (n == null ? "empty" : "a JSON " + n.getNodeType()
                    .name().toLowerCase()) + " (expected: a JSON object)");
        }
        return o;
    }

    /**
     * The body as UTF-8 text (e.g. a YAML script), for a route that takes text rather than JSON; 400 when it is
     * empty or not valid UTF-8, 415 when it is declared JSON or binary.
     */
    public String bodyText(String what) {
        if (contentType != null && !contentType.isBlank()) {
            String ct = contentType.toLowerCase(java.util.Locale.ROOT);
            if (!(ct.startsWith("text/") || ct.contains("yaml"))) {
                throw new ApiException(415, "unsupported media type", "Content-Type " + contentType
                        + " (expected: " + what + " as text/yaml, application/yaml or text/plain)");
            }
        }
        if (body.length == 0) {
            throw ApiException.badRequest("body is empty (expected: " + what + ")");
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ApiException.badRequest("body is not valid UTF-8 (expected: " + what + ")");
        }
    }

    /** A required text field of the body. */
    public static String text(ObjectNode body, String field, int maxLength) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.badField(field, "field '" + field + "' is missing (expected: text)");
        }
        return checkText(n, field, maxLength);
    }

    public static Optional<String> optionalText(ObjectNode body, String field, int maxLength) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(checkText(n, field, maxLength));
    }

    private static String checkText(JsonNode n, String field, int maxLength) {
        if (!n.isTextual()) {
            throw ApiException.badField(field, "field '" + field + "' is a " + n.getNodeType().name().toLowerCase()
                    + " (expected: text)");
        }
        String s = n.textValue();
        if (s.isBlank()) {
            throw ApiException.badField(field, "field '" + field + "' is empty (expected: text)");
        }
        if (s.length() > maxLength) {
            throw ApiException.badField(field, "field '" + field + "' has " + s.length() + " characters (expected: <= "
                    + maxLength + ")");
        }
        return s;
    }

    /** 400 when the body has fields other than {@code allowed}: a typo must not pass silently. */
    public static void onlyFields(ObjectNode body, String... allowed) {
        List<String> ok = List.of(allowed);
        body.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) {
                throw ApiException.badField(f, "unknown field '" + f + "' (expected: "
                        + (ok.isEmpty() ? "no fields" : String.join(", ", ok)) + ")");
            }
        });
    }
}
