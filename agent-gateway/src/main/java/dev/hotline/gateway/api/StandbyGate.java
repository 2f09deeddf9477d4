package dev.hotline.gateway.api;

import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Router;
import dev.hotline.api.HaStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway of a pair's standby engine is read-only: every request that changes something (any method but GET)
 * is answered 503 {@code standby}, naming the active engine and its address, except signing in and out and the
 * WebSocket ticket (so agents can still read the standby's pages). A single engine is never gated. {@code GET
 * /api/ha} (no sign-in) tells the pages' banner which engine is active.
 */
final class StandbyGate {

    /** Changes a standby still accepts: they touch only this gateway's sessions. */
    private static final Set<String> ALWAYS = Set.of("/api/login", "/api/logout", "/api/ws/ticket");

    private StandbyGate() {
    }

    /** {@code routes} with every changing route refused while {@code ctx}'s engine is standby. */
    static Router gate(Router routes, Context ctx) {
        Router out = new Router();
        for (Router.Route r : routes.routes()) {
            if (r.method().equals("GET") || ALWAYS.contains(r.pattern())) {
                add(out, r);
            } else if (r.async() != null) {
                out.async(r.method(), r.pattern(), req -> {
                    refuseWhileStandby(ctx);
                    return r.async().handle(req);
                });
            } else {
                out.add(r.method(), r.pattern(), r.blocking(), req -> {
                    refuseWhileStandby(ctx);
                    return r.handler().handle(req);
                });
            }
        }
        out.get("/api/ha", req -> ctx.json(200, body(ctx)));
        return out;
    }

    private static void add(Router out, Router.Route r) {
        if (r.async() != null) {
            out.async(r.method(), r.pattern(), r.async());
        } else {
            out.add(r.method(), r.pattern(), r.blocking(), r.handler());
        }
    }

    static void refuseWhileStandby(Context ctx) {
        var ha = ctx.engine().ha();
        Optional<HaStatus.Pair> pair = ha.pair();
        if (pair.isPresent() && !pair.get().active()) {
            HaStatus.Pair s = pair.get();
            throw new ApiException(503, "standby", "engine " + ha.engineName() + " is the standby engine and"
                    + " its pages are read-only; " + (s.activeEngine().isEmpty() ? "no engine is active yet"
                    : "engine " + s.activeEngine() + " is active" + (s.activeUrl().isEmpty() ? ""
                    : " at " + s.activeUrl())) + ": make changes there");
        }
    }

    /** The {@code ha} part of {@code /health} and the body of {@code /api/ha}. */
    static Map<String, Object> body(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        var ha = ctx.engine().ha();
        m.put("engine", ha.engineName());
        Optional<HaStatus.Pair> pair = ha.pair();
        if (pair.isEmpty()) {
            m.put("mode", "single");
            m.put("role", "active");
            return m;
        }
        HaStatus.Pair s = pair.get();
        m.put("mode", "pair");
        m.put("role", s.active() ? "active" : "standby");
        m.put("fence", s.fence());
        m.put("activeEngine", s.activeEngine());
        m.put("activeUrl", s.activeUrl());
        m.put("since", s.since().toString());
        m.put("why", s.why());
        return m;
    }
}
