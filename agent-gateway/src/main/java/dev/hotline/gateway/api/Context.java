package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.api.EngineApi;
import dev.hotline.config.GatewayConfig;
import dev.hotline.gateway.audit.AuditLog;
import dev.hotline.gateway.auth.LoginGuard;
import dev.hotline.gateway.auth.Tokens;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.ws.LiveHub;

import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the API handlers share.
 *
 * @param logins         sign-in rates and lock-outs
 * @param passwordChecks the bounded pool password checks run on (never the workers that serve pages and the API)
 */
public record Context(EngineApi engine, GatewayConfig config, UserStore users, Tokens tokens,
                      LoginGuard logins, Executor passwordChecks, AuditLog audit, LiveHub live, InstantSource clock,
                      ObjectMapper json) {

    Response json(int status, Object body) {
        try {
            return new Response(status, "application/json", json.writeValueAsBytes(body), Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ApiException(500, "internal error", "cannot encode the response: " + e.getOriginalMessage());
        }
    }

    /** The engine's IVR repository; 503 before the engine has started it. */
    dev.hotline.ivr.runtime.IvrRepository ivr() {
        return engine.admin().ivr().orElseThrow(() -> new ApiException(503, "unavailable",
                "the IVR repository is not running (the engine has not started it)"));
    }

    Response ok(Object body) {
        return json(200, body);
    }
}
