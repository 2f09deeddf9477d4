package dev.hotline.gateway.api;

import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Router;

import java.util.Map;
import java.util.TreeSet;

/** Live queues, the agent board (scoped to the supervisor's teams) and the teams one may watch. */
final class SupervisorApi {

    private final Context ctx;

    SupervisorApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/queues", req -> {
            req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            return ctx.ok(Map.of("queues", ctx.live().queueViews(), "history", ctx.live().history()));
        });
        // Reads the call records: on a worker, not on the event loop.
        r.add("GET", "/api/queues/intervals", true, req -> {
            req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            var today = ctx.live().intervals().orElseThrow(() -> new ApiException(503, "unavailable",
                    "the engine keeps no call records, so there are no interval figures"));
            java.time.LocalDate day;
            String date = req.query("date").orElse(null);
            try {
                day = date == null ? java.time.LocalDate.now(ctx.clock().withZone(today.zone()))
                        : java.time.LocalDate.parse(date);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest("query parameter date: '" + date + "' (expected: YYYY-MM-DD)");
            }
            try {
                return ctx.ok(today.day(day));
            } catch (java.sql.SQLException e) {
                throw new ApiException(503, "database unavailable", "cannot read the call records of " + day
                        + ": " + e.getMessage());
            }
        });
        r.get("/api/agents", req -> {
            User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            String team = req.query("team").orElse(null);
            if (team != null && u.role() == Role.SUPERVISOR && !u.teams().contains(team)) {
                throw ApiException.forbidden("team " + team + " is not one of your teams "
                        + u.teams().stream().sorted().toList());
            }
            return ctx.ok(Map.of("agents", ctx.live().board(u, team)));
        });
        r.get("/api/teams", req -> {
            User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            TreeSet<String> teams = new TreeSet<>();
            for (AgentConfig a : ctx.live().agents().values()) {
                a.teams().stream().filter(t -> u.role() == Role.ADMIN || u.teams().contains(t)).forEach(teams::add);
            }
            return ctx.ok(Map.of("teams", teams));
        });
    }
}
