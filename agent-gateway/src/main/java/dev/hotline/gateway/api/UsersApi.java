package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.PasswordPolicy;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserAccount;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Users, for admins: list, view, create, change (role, agent, teams), reset a password, disable and enable. Changes
 * are written to the database first (503 while it is unreachable), take effect at once (a disabled user's tokens
 * stop working at their next use, their live connections close) and are audited. Password hashes are never
 * returned. Two rules keep the gateway administrable: an admin cannot disable themselves, and the last enabled
 * admin cannot be disabled or lose the admin role. The rules that depend on other users (that one, and one enabled
 * user per agent) are checked under the user store's lock when the change is written ({@link #invariants}), so
 * overlapping requests cannot both pass them; a change only sets the fields it was sent. {@code hotline user} keeps
 * the same rules ({@link #invariants}, {@link #TEAM}).
 */
public final class UsersApi {

    /** Team names: what a comma-separated column can hold. */
    public static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private final Context ctx;

    UsersApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/users", req -> {
            req.requireRole(Role.ADMIN);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("writable", ctx.users().writable());
            m.put("readOnlyReason", ctx.users().readOnlyReason());
            m.put("users", ctx.users().accounts().stream().map(UsersApi::view).toList());
            return ctx.ok(m);
        });
        r.get("/api/users/{username}", req -> {
            req.requireRole(Role.ADMIN);
            return ctx.ok(view(account(req)));
        });
        // Hashing and the database block: on a worker.
        r.add("POST", "/api/users", true, this::create);
        r.add("PATCH", "/api/users/{username}", true, this::change);
        r.add("POST", "/api/users/{username}/password", true, this::password);
        r.add("POST", "/api/users/{username}/disable", true, req -> enable(req, false));
        r.add("POST", "/api/users/{username}/enable", true, req -> enable(req, true));
    }

    static Map<String, Object> view(UserAccount a) {
        Map<String, Object> m = AuthApi.user(a.user());
        m.put("enabled", a.enabled());
        m.put("origin", a.origin());
        m.put("createdAt", a.createdAt().toString());
        m.put("updatedAt", a.updatedAt().toString());
        m.put("updatedBy", a.updatedBy());
        return m;
    }

    private UserAccount account(Request req) {
        String name = req.pathParam("username");
        return ctx.users().account(name).orElseThrow(() -> ApiException.notFound("no user '" + name + "'"));
    }

    private Response create(Request req) {
        User admin = req.requireRole(Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "username", "password", "role", "agentId", "teams");
        String username = Request.text(body, "username", 32);
        if (!UserStore.NAME.matcher(username).matches()) {
            throw ApiException.badField("username", "field 'username' is '" + username
                    + "' (expected: 1-32 of a-z, 0-9, '.', '-', '_', starting with a letter or digit)");
        }
        String password = Request.text(body, "password", 200);
        Role role = role(Request.text(body, "role", 16));
        Optional<String> agent = agentId(body).orElse(Optional.empty());
        Set<String> teams = teams(body).orElse(Set.of());
        checkShape(role, agent, teams);
        if (ctx.users().account(username).isPresent()) {
            throw new ApiException(409, "conflict", "user '" + username + "' exists already (change it with PATCH"
                    + " /api/users/" + username + ")", "username");
        }
        checkPassword(username, password);
        User u = new User(username, Passwords.hash(password, ctx.users().hashCost()), role, agent, teams);
        boolean created = write(() -> ctx.users().create(u, admin.username(), UsersApi::invariants));
        if (!created) {
            throw new ApiException(409, "conflict", "user '" + username + "' exists already", "username");
        }
        audit(req, admin, "user.create", username, describe(u));
        return ctx.json(201, view(ctx.users().account(username).orElseThrow()));
    }

    private Response change(Request req) {
        User admin = req.requireRole(Role.ADMIN);
        UserAccount before = account(req);
        ObjectNode body = req.body();
        Request.onlyFields(body, "role", "agentId", "teams");
        if (body.isEmpty()) {
            throw ApiException.badRequest("nothing to change (expected: one or more of role, agentId, teams;"
                    + " a password with POST /api/users/" + before.username() + "/password)");
        }
        User old = before.user();
        Optional<Role> newRole = body.has("role") ? Optional.of(role(Request.text(body, "role", 16)))
                : Optional.empty();
        Optional<Optional<String>> newAgent = agentId(body);
        Optional<Set<String>> newTeams = teams(body);
        // Only the fields sent are changed, on the user as they are when the change is written: a password reset
        // (or another change) made meanwhile is kept. The rules are checked then too, under the store's lock.
        UserAccount after = write(() -> ctx.users().update(old.username(), x -> {
            Role role = newRole.orElse(x.role());
            Optional<String> agent = newAgent.orElse(x.agentId());
            Set<String> teams = newTeams.orElse(x.teams());
            checkShape(role, agent, teams);
            return new User(x.username(), x.passwordHash(), role, agent, teams);
        }, admin.username(), UsersApi::invariants))
                .orElseThrow(() -> ApiException.notFound("no user '" + old.username() + "'"));
        audit(req, admin, "user.change", old.username(), changes(old, after.user()));
        return ctx.ok(view(after));
    }

    private Response password(Request req) {
        User admin = req.requireRole(Role.ADMIN);
        UserAccount before = account(req);
        ObjectNode body = req.body();
        Request.onlyFields(body, "password");
        String password = Request.text(body, "password", 200);
        checkPassword(before.username(), password);
        String hash = Passwords.hash(password, ctx.users().hashCost());
        UserAccount after = write(() -> ctx.users().update(before.username(), u -> new User(u.username(), hash,
                u.role(), u.agentId(), u.teams()), admin.username(), UsersApi::invariants))
                .orElseThrow(() -> ApiException.notFound("no user '" + before.username() + "'"));
        audit(req, admin, "user.password-reset", before.username(), "their tokens were revoked");
        return ctx.ok(view(after));
    }

    private Response enable(Request req, boolean on) {
        User admin = req.requireRole(Role.ADMIN);
        UserAccount before = account(req);
        Request.onlyFields(req.body());
        if (!on) {
            if (before.username().equals(admin.username())) {
                throw ApiException.conflict("you cannot disable yourself (" + admin.username()
                        + "); another admin can");
            }
        }
        // Re-enabling checks the agent is still free; disabling that another admin stays — both under the store's
        // lock, against the users as they are then.
        UserAccount after = write(() -> ctx.users().setEnabled(before.username(), on, admin.username(),
                UsersApi::invariants))
                .orElseThrow(() -> ApiException.notFound("no user '" + before.username() + "'"));
        audit(req, admin, on ? "user.enable" : "user.disable", before.username(),
                before.enabled() == on ? "already " + (on ? "enabled" : "disabled") : on ? "may log in again"
                        : "tokens revoked, live connections closed");
        return ctx.ok(view(after));
    }

    // ------------------------------------------------------------------------------------------ checks

    private static Role role(String text) {
        return Role.parse(text).orElseThrow(() -> ApiException.badField("role", "field 'role' is '" + text
                + "' (expected: " + Role.expected() + ")"));
    }

    /** Empty when absent; present-and-empty when null (cleared). */
    private Optional<Optional<String>> agentId(ObjectNode body) {
        if (!body.has("agentId")) {
            return Optional.empty();
        }
        if (body.get("agentId").isNull()) {
            return Optional.of(Optional.empty());
        }
        String id = Request.text(body, "agentId", 32);
        if (!ctx.live().agents().containsKey(id)) {
            throw ApiException.badField("agentId", "field 'agentId' is '" + id + "', not a configured agent"
                    + " (expected one of: " + String.join(", ", new TreeSet<>(ctx.live().agents().keySet())) + ")");
        }
        return Optional.of(Optional.of(id));
    }

    private static Optional<Set<String>> teams(ObjectNode body) {
        if (!body.has("teams")) {
            return Optional.empty();
        }
        JsonNode n = body.get("teams");
        if (!n.isArray()) {
            throw ApiException.badField("teams", "field 'teams' is a " + n.getNodeType().name().toLowerCase()
                    + " (expected: a list of team names, e.g. [\"team-a\"])");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            if (!t.isTextual() || !TEAM.matcher(t.textValue()).matches()) {
                throw ApiException.badField("teams", "field 'teams[" + i + "]' is " + t
                        + " (expected: a team name of 1-32 letters, digits, '.', '-', '_')");
            }
            out.add(t.textValue());
        }
        return Optional.of(Set.copyOf(out));
    }

    private static void checkShape(Role role, Optional<String> agent, Set<String> teams) {
        if (role == Role.AGENT && agent.isEmpty()) {
            throw ApiException.badField("agentId", "field 'agentId' is missing (expected: the agent's work number;"
                    + " an agent user needs one)");
        }
        if (role == Role.SUPERVISOR && teams.isEmpty()) {
            throw ApiException.badField("teams", "field 'teams' is empty (expected: the teams this supervisor"
                    + " oversees, e.g. [\"team-a\"])");
        }
    }

    /**
     * The rules every write keeps, checked by {@link UserStore} under its lock against the users as they are at that
     * moment (two changes at once cannot both pass a check only one may pass):
     * <ul>
     *   <li>one enabled user per agent: two logins acting as the same agent could not be told apart in the audit
     *       log (a user being created, changed or re-enabled onto an agent another enabled user has is refused);</li>
     *   <li>an enabled admin stays: the last one cannot be disabled or lose the admin role.</li>
     * </ul>
     */
    public static void invariants(Optional<UserAccount> before, UserAccount after,
                                  java.util.Collection<UserAccount> all) {
        User u = after.user();
        if (after.enabled() && u.agentId().isPresent()) {
            all.stream().filter(a -> a.enabled() && !a.username().equals(u.username())
                            && a.user().agentId().equals(u.agentId()))
                    .findFirst().ifPresent(a -> {
                        throw new ApiException(409, "conflict", "agent " + u.agentId().get() + " is already user '"
                                + a.username() + "' (expected: one user per agent; disable or change that user"
                                + " first)", "agentId");
                    });
        }
        boolean wasAdmin = before.map(b -> b.enabled() && b.user().role() == Role.ADMIN).orElse(false);
        boolean isAdmin = after.enabled() && u.role() == Role.ADMIN;
        if (wasAdmin && !isAdmin) {
            boolean other = all.stream().anyMatch(a -> a.enabled() && a.user().role() == Role.ADMIN
                    && !a.username().equals(u.username()));
            if (!other) {
                throw ApiException.conflict("cannot " + (after.enabled() ? "change the role of" : "disable") + " '"
                        + u.username() + "': it is the last enabled admin (expected: make another user admin"
                        + " first)");
            }
        }
    }

    private static void checkPassword(String username, String password) {
        PasswordPolicy.problem(username, password).ifPresent(p -> {
            throw ApiException.badField("password", "field 'password' " + p);
        });
    }

    // ------------------------------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface Write<T> {
        T run() throws SQLException;
    }

    /** Runs a database write; an unreachable database is a 503 that says what was not saved. */
    private <T> T write(Write<T> w) {
        try {
            return w.run();
        } catch (SQLException e) {
            throw new ApiException(503, "unavailable", "users cannot be changed now: " + e.getMessage());
        }
    }

    private void audit(Request req, User admin, String action, String target, String detail) {
        ctx.audit().record(admin.username(), admin.role().wireName(), action, target, detail, req.address());
    }

    private static String describe(User u) {
        return "role=" + u.role().wireName() + u.agentId().map(a -> " agent=" + a).orElse("")
                + (u.teams().isEmpty() ? "" : " teams=" + new TreeSet<>(u.teams()));
    }

    private static String changes(User before, User after) {
        List<String> out = new ArrayList<>();
        if (before.role() != after.role()) {
            out.add("role " + before.role().wireName() + " -> " + after.role().wireName());
        }
        if (!before.agentId().equals(after.agentId())) {
            out.add("agent " + before.agentId().orElse("-") + " -> " + after.agentId().orElse("-"));
        }
        if (!before.teams().equals(after.teams())) {
            out.add("teams " + new TreeSet<>(before.teams()) + " -> " + new TreeSet<>(after.teams()));
        }
        return out.isEmpty() ? "no change" : String.join(", ", out);
    }
}
