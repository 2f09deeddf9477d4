package dev.hotline.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The schemas of {@code openapi.yaml} applied to JSON the gateway sent: the subset of OpenAPI 3.0 the file uses
 * ({@code $ref}, {@code allOf}, {@code oneOf} / {@code anyOf}, {@code type}, {@code nullable}, {@code enum},
 * {@code required}, {@code properties}, {@code additionalProperties}, {@code items}, {@code format: date-time}).
 * Each problem names where in the body it is and what the schema expected.
 */
public final class OpenApiSchemas {

    private final JsonNode spec;

    private OpenApiSchemas(JsonNode spec) {
        this.spec = spec;
    }

    public static OpenApiSchemas load(Path file) throws IOException {
        return new OpenApiSchemas(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file)));
    }

    public JsonNode spec() {
        return spec;
    }

    /** The JSON schema the spec promises for {@code method path} answering {@code status}, if it describes one. */
    public Optional<JsonNode> responseSchema(String method, String path, int status) {
        JsonNode response = spec.path("paths").path(path).path(method.toLowerCase(Locale.ROOT)).path("responses")
                .path(Integer.toString(status));
        response = resolve(response);
        JsonNode schema = response.path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    /** A named schema of {@code components/schemas}. */
    public JsonNode schema(String name) {
        JsonNode s = spec.path("components").path("schemas").path(name);
        if (s.isMissingNode()) {
            throw new IllegalArgumentException("openapi.yaml has no components/schemas/" + name);
        }
        return s;
    }

    /** Every way {@code value} breaks {@code schema}, as "where: what (expected: …)"; empty when it conforms. */
    public List<String> problems(JsonNode value, JsonNode schema, String where) {
        List<String> out = new ArrayList<>();
        check(value, schema, where, out);
        return out;
    }

    private JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/") || ++hops > 20) {
                throw new IllegalArgumentException("unsupported $ref " + ref);
            }
            JsonNode target = spec;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part.replace("~1", "/").replace("~0", "~"));
            }
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("openapi.yaml: $ref " + ref + " names nothing");
            }
            node = target;
        }
        return node;
    }

    /** {@code allOf} parts merged into one object schema (properties and required lists joined). */
    private JsonNode merged(JsonNode schema) {
        schema = resolve(schema);
        if (!schema.has("allOf")) {
            return schema;
        }
        ObjectNode out = ((ObjectNode) schema).deepCopy();
        out.remove("allOf");
        ObjectNode props = out.has("properties") ? (ObjectNode) out.get("properties") : out.putObject("properties");
        ArrayNode required = out.has("required") ? (ArrayNode) out.get("required") : out.putArray("required");
        for (JsonNode part : schema.get("allOf")) {
            JsonNode p = merged(part);
            p.path("properties").fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
            p.path("required").forEach(required::add);
            if (p.has("type") && !out.has("type")) {
                out.set("type", p.get("type"));
            }
            if (p.path("nullable").asBoolean(false)) {
                out.put("nullable", true);
            }
        }
        return out;
    }

    private void check(JsonNode value, JsonNode schemaNode, String where, List<String> out) {
        JsonNode schema = merged(schemaNode);
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                out.add(where + ": null (expected: " + schema.get("type").asText() + "; the schema is not nullable)");
            }
            return;
        }
        for (String alt : List.of("oneOf", "anyOf")) {
            if (schema.has(alt)) {
                boolean any = false;
                for (JsonNode option : schema.get(alt)) {
                    if (problems(value, option, where).isEmpty()) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    out.add(where + ": " + brief(value) + " (expected: one of the " + alt + " alternatives)");
                }
                return;
            }
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    out.add(where + ": " + brief(value) + " (expected: an object)");
                    return;
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    out.add(where + ": " + brief(value) + " (expected: an array)");
                    return;
                }
                int i = 0;
                for (JsonNode item : value) {
                    if (schema.has("items")) {
                        check(item, schema.get("items"), where + "[" + i + "]", out);
                    }
                    i++;
                }
                return;
            }
            case "string" -> {
                if (!value.isTextual()) {
                    out.add(where + ": " + brief(value) + " (expected: a string)");
                    return;
                }
                if (schema.path("format").asText("").equals("date-time")) {
                    try {
                        OffsetDateTime.parse(value.asText());
                    } catch (DateTimeParseException e) {
                        out.add(where + ": '" + value.asText() + "' (expected: a date-time such as"
                                + " 2026-03-02T09:00:00Z)");
                    }
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    out.add(where + ": " + brief(value) + " (expected: an integer)");
                    return;
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    out.add(where + ": " + brief(value) + " (expected: a number)");
                    return;
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    out.add(where + ": " + brief(value) + " (expected: true or false)");
                    return;
                }
            }
            default -> {
            }
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                out.add(where + ": " + brief(value) + " (expected: one of " + schema.get("enum") + ")");
            }
        }
        if (value.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!value.has(r.asText())) {
                    out.add(where + ": no '" + r.asText() + "' (expected: it is required)");
                }
            }
            JsonNode props = schema.path("properties");
            JsonNode extra = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String at = where + "." + f.getKey();
                if (props.has(f.getKey())) {
                    check(f.getValue(), props.get(f.getKey()), at, out);
                } else if (extra.isBoolean() && !extra.asBoolean()) {
                    out.add(at + ": not described (expected only " + names(props) + ")");
                } else if (extra.isObject()) {
                    check(f.getValue(), extra, at, out);
                }
            }
        }
    }

    private static List<String> names(JsonNode props) {
        List<String> names = new ArrayList<>();
        props.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String brief(JsonNode value) {
        String s = value.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
