package dev.hotline.simulator.agi;

import java.util.Objects;

/**
 * A FastAGI URL, {@code agi://host[:port][/script[?query]]}. {@link #script()} is what Asterisk sends as
 * {@code agi_network_script}: everything after the first {@code /} behind the host, query string included;
 * {@link #request()} is the URL as written in the dialplan ({@code agi_request}).
 */
public record AgiUrl(String host, int port, String script, String request) {

    public static final int DEFAULT_PORT = 4573;

    public AgiUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(request, "request");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("AGI URL host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("AGI URL port: " + port + " (expected: 1..65535)");
        }
    }

    public static AgiUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String prefix = "agi://";
        if (!url.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("AGI URL: '" + url + "' (expected: agi://host[:port][/script])");
        }
        String rest = url.substring(prefix.length());
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String script = slash < 0 ? "" : rest.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            return new AgiUrl(hostPort, DEFAULT_PORT, script, url);
        }
        String portText = hostPort.substring(colon + 1);
        try {
            return new AgiUrl(hostPort.substring(0, colon), Integer.parseInt(portText), script, url);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AGI URL port: '" + portText + "' in '" + url + "' (expected: a number)");
        }
    }
}
