package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Login (bcrypt check on a worker thread, throttled per username and address), logout (the token is revoked and the
 * live connections opened with it are closed), who am I.
 */
final class AuthApi {

    private final Context ctx;

    AuthApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.add("POST", "/api/login", true, this::login);
        r.post("/api/logout", req -> {
            String token = req.session().token();
            ctx.tokens().revoke(token);
            ctx.live().closeSessionsWithToken(token);   // the token's WebSocket stops receiving at once
            return Response.noContent();
        });
        r.get("/api/me", req -> ctx.ok(user(req.user())));
        r.get("/api/reasons", req -> {
            req.session();
            return ctx.ok(Map.of("reasons", ctx.config().notReadyReasons()));
        });
    }

    private Response login(Request req) {
        ObjectNode body = req.body();
        Request.onlyFields(body, "username", "password");
        String username = Request.text(body, "username", 64);
        String password = Request.text(body, "password", 200);
        Optional<Duration> locked = ctx.throttle().lockedFor(username, req.address());
        if (locked.isPresent()) {
            long s = Math.max(1, locked.get().toSeconds());
            throw new ApiException(429, "too many attempts", "too many failed logins for '" + username
                    + "' from this address; try again in " + s + "s");
        }
        Optional<User> user = ctx.users().find(username);
        boolean ok = user.isPresent() ? Passwords.matches(password, user.get().passwordHash())
                : Passwords.matchesNothing(password);
        if (!ok) {
            ctx.throttle().failed(username, req.address());
            throw ApiException.unauthorized("unknown username or wrong password");
        }
        ctx.throttle().succeeded(username, req.address());
        Session s = ctx.tokens().issue(user.get());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", s.token());
        out.put("expiresAt", s.expires().toString());
        out.put("user", user(s.user()));
        return ctx.ok(out);
    }

    static Map<String, Object> user(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", u.role().wireName());
        m.put("agentId", u.agentId().orElse(null));
        m.put("teams", u.teams().stream().sorted().toList());
        return m;
    }
}
