package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.LoginGuard;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.Tokens;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import io.micrometer.core.instrument.Counter;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Login (bcrypt check on the password pool, behind the {@link LoginGuard}'s rates and lock-outs), logout (the token
 * is revoked and the live connections opened with it are closed), who am I, and the one-time ticket that opens the
 * live WebSocket (so the token never travels in a URL).
 */
final class AuthApi {

    /** Why logins are refused before a password check, as counted in {@code hotline.gateway.login.refused}. */
    private static final List<String> REFUSALS = List.of("spraying", "lockout", "per_address", "global", "busy");

    private final Context ctx;
    private final Map<String, Counter> refused = new HashMap<>();

    AuthApi(Context ctx) {
        this.ctx = ctx;
        for (String reason : REFUSALS) {
            refused.put(reason, Counter.builder("hotline.gateway.login.refused")
                    .description("Logins refused before any password check").tag("reason", reason)
                    .register(ctx.engine().health().registry()));
        }
    }

    void register(Router r) {
        r.async("POST", "/api/login", this::login);
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
        r.post("/api/ws/ticket", req -> {
            Session s = req.session();
            Tokens.Ticket t = ctx.tokens().ticket(s);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ticket", t.value());
            out.put("expiresAt", t.expires().toString());
            return ctx.ok(out);
        });
    }

    /**
     * Checked on the event loop: the body, then the rates and lock-outs ({@link LoginGuard}), refused with 429 and
     * {@code Retry-After} before any hashing. The password check itself runs on the bounded password pool; when its
     * queue is full the login is refused the same way, so a flood never reaches the threads that serve the pages.
     */
    private CompletionStage<Response> login(Request req) {
        ObjectNode body = req.body();
        Request.onlyFields(body, "username", "password");
        String username = Request.text(body, "username", 64);
        String password = Request.text(body, "password", 200);
        Optional<LoginGuard.Refusal> refusal = ctx.logins().check(username, req.address());
        if (refusal.isPresent()) {
            refused.get(refusal.get().reason()).increment();
            throw ApiException.tooManyRequests(refusal.get().detail(), refusal.get().retryAfter());
        }
        try {
            return CompletableFuture.supplyAsync(() -> check(username, password, req.address()),
                    ctx.passwordChecks());
        } catch (RejectedExecutionException e) {
            refused.get("busy").increment();
            throw ApiException.tooManyRequests("too many logins waiting for a password check (gateway.login"
                    + ".hash_queue); try again in a second", Duration.ofSeconds(1));
        }
    }

    private Response check(String username, String password, String address) {
        Optional<User> user = ctx.users().find(username);
        boolean ok = user.isPresent() ? Passwords.matches(password, user.get().passwordHash())
                : Passwords.matchesNothing(password);
        if (!ok) {
            ctx.logins().failed(username, address);
            throw ApiException.unauthorized("unknown username or wrong password");
        }
        ctx.logins().succeeded(username, address);
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
