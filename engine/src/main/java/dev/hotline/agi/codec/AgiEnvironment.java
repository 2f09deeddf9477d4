package dev.hotline.agi.codec;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code agi_*} block Asterisk sends when a session starts, in the order received. Unknown keys (newer
 * Asterisk versions add some) are kept. Asterisk writes {@code unknown} for absent caller name, DNID and RDNIS;
 * the typed accessors turn that into an empty {@link Optional}.
 */
public record AgiEnvironment(Map<String, String> values) implements AgiInbound {

    public AgiEnvironment {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    private String value(String key) {
        return values.getOrDefault(key, "");
    }

    private Optional<String> known(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() || v.equals("unknown") ? Optional.empty() : Optional.of(v);
    }

    /** {@code agi_network_script} as sent: the path after the host, query string included. */
    public String networkScript() {
        return value("agi_network_script");
    }

    /** The script name: {@code agi_network_script} without its query string and leading slashes. */
    public String script() {
        String s = networkScript();
        int q = s.indexOf('?');
        s = q < 0 ? s : s.substring(0, q);
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }

    /** Query parameters of the script URL ({@code connect?call=42} → {@code call=42}), URL-decoded. */
    public Map<String, String> query() {
        String s = networkScript();
        int q = s.indexOf('?');
        if (q < 0) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : s.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(decode(k), decode(v));
        }
        return Collections.unmodifiableMap(out);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** The dialplan arguments {@code agi_arg_1 … agi_arg_N}. */
    public List<String> args() {
        List<String> out = new ArrayList<>();
        for (int i = 1; values.containsKey("agi_arg_" + i); i++) {
            out.add(values.get("agi_arg_" + i));
        }
        return List.copyOf(out);
    }

    public String channel() {
        return value("agi_channel");
    }

    public String uniqueId() {
        return value("agi_uniqueid");
    }

    public String language() {
        return value("agi_language");
    }

    public Optional<String> callerId() {
        return known("agi_callerid");
    }

    public Optional<String> callerIdName() {
        return known("agi_calleridname");
    }

    public Optional<String> dnid() {
        return known("agi_dnid");
    }

    public String context() {
        return value("agi_context");
    }

    public String extension() {
        return value("agi_extension");
    }

    public String asteriskVersion() {
        return value("agi_version");
    }
}
