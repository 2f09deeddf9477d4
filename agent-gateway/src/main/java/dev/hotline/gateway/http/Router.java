package dev.hotline.gateway.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Routes by method and path; a path pattern segment {@code {name}} matches one segment and becomes a path
 * parameter. A path that exists with another method answers 405 with the allowed methods.
 */
public final class Router {

    /** Handles one request on a Netty event loop (quick, non-blocking) or, when {@code blocking}, on a worker. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    /**
     * Handles one request on a Netty event loop without blocking and answers later: the response is written when
     * the future completes (an {@link ApiException} failure becomes its JSON error).
     */
    @FunctionalInterface
    public interface AsyncHandler {
        java.util.concurrent.CompletionStage<Response> handle(Request request) throws Exception;
    }

    /** {@code handler} or {@code async} is set, never both. */
    public record Route(String method, String pattern, boolean blocking, Handler handler, AsyncHandler async) {
        public Route(String method, String pattern, boolean blocking, Handler handler) {
            this(method, pattern, blocking, handler, null);
        }
    }

    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String pattern, Handler h) {
        routes.add(new Route("GET", pattern, false, h));
        return this;
    }

    public Router post(String pattern, Handler h) {
        routes.add(new Route("POST", pattern, false, h));
        return this;
    }

    public Router add(String method, String pattern, boolean blocking, Handler h) {
        routes.add(new Route(method, pattern, blocking, h));
        return this;
    }

    /** A route answered when the handler's future completes (engine calls that wait for Asterisk). */
    public Router async(String method, String pattern, AsyncHandler h) {
        routes.add(new Route(method, pattern, false, null, h));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The route for this request; 404 or 405 as an {@link ApiException} when none. */
    public Match match(String method, String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = matchPath(r.pattern(), path);
            if (params.isPresent()) {
                if (r.method().equals(method) || r.method().equals("GET") && method.equals("HEAD")) {
                    return new Match(r, params.get());
                }
                allowed.add(r.method());
            }
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, "method not allowed", method + " " + path + " (expected: "
                    + String.join(" or ", allowed) + ")");
        }
        throw ApiException.notFound("no such endpoint: " + method + " " + path + " (see openapi.yaml)");
    }

    static Optional<Map<String, String>> matchPath(String pattern, String path) {
        if (pattern.endsWith("/**")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.startsWith(prefix) ? Optional.of(Map.of("rest", path.substring(prefix.length())))
                    : Optional.empty();
        }
        String[] p = pattern.split("/", -1);
        String[] s = path.split("/", -1);
        if (p.length != s.length) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < p.length; i++) {
            if (p[i].startsWith("{") && p[i].endsWith("}")) {
                if (s[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(p[i].substring(1, p[i].length() - 1), s[i]);
            } else if (!p[i].equals(s[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}
