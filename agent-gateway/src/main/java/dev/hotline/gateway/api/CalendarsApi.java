package dev.hotline.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.calendar.CalendarDefinition;
import dev.hotline.ivr.calendar.DatabaseCalendars;
import dev.hotline.ivr.calendar.StoredCalendar;
import dev.hotline.ivr.calendar.TimeRange;
import dev.hotline.ivr.model.Node;
import dev.hotline.yaml.YamlProblem;

import java.sql.SQLException;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Business-hours calendars, for admins: list, view, create or change, disable and enable. A calendar saved here is
 * kept in the database and, while enabled, replaces the calendar file of the same name (or adds one); disabling it
 * brings the file's back. Definitions have the keys of a calendar file ({@code time_zone}, {@code weekly},
 * {@code holidays}, {@code special}) and are validated by the same reader, so the errors name the key
 * ({@code weekly.monday}). A saved change publishes a new IVR catalog at once: {@code hours} nodes of calls that
 * start afterwards, and the callbacks' calling-hours window, use it.
 */
final class CalendarsApi {

    static final int MAX_DEFINITION = 60_000;

    private final Context ctx;

    CalendarsApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/calendars", req -> {
            req.requireRole(Role.ADMIN);
            TreeSet<String> names = new TreeSet<>(files().keySet());
            db().all().forEach(c -> names.add(c.name()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("databaseLoaded", db().loaded());
            m.put("databaseError", db().lastError());
            m.put("calendars", names.stream().map(this::summary).toList());
            return ctx.ok(m);
        });
        r.get("/api/calendars/{name}", req -> {
            req.requireRole(Role.ADMIN);
            String name = req.pathParam("name");
            Optional<StoredCalendar> row = db().find(name);
            BusinessCalendar file = files().get(name);
            if (row.isEmpty() && file == null) {
                throw ApiException.notFound("no calendar '" + name + "' (neither a file in "
                        + ctx.engine().config().calendars() + " nor in the database)");
            }
            Map<String, Object> m = summary(name);
            // What an edit starts from: the database version when there is one (even disabled), else the file's.
            m.put("definitionFrom", row.isPresent() ? "database" : "file");
            m.put("definition", definition(row.map(StoredCalendar::calendar).orElse(file)));
            return ctx.ok(m);
        });
        r.add("PUT", "/api/calendars/{name}", true, this::save);
        r.add("POST", "/api/calendars/{name}/disable", true, req -> enable(req, false));
        r.add("POST", "/api/calendars/{name}/enable", true, req -> enable(req, true));
    }

    private DatabaseCalendars db() {
        return ctx.engine().admin().calendars().orElse(null);
    }

    private Map<String, BusinessCalendar> files() {
        return ctx.engine().admin().ivr().map(ivr -> ivr.fileCalendars()).orElse(Map.of());
    }

    private Map<String, Object> summary(String name) {
        Optional<StoredCalendar> row = db().find(name);
        boolean file = files().containsKey(name);
        Optional<BusinessCalendar> live = ctx.engine().admin().ivr().flatMap(ivr -> ivr.current().calendar(name));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("file", file);
        m.put("inEffect", row.filter(StoredCalendar::enabled).isPresent() ? "database" : file ? "file" : "none");
        m.put("database", row.map(c -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("enabled", c.enabled());
            d.put("createdAt", c.createdAt().toString());
            d.put("updatedAt", c.updatedAt().toString());
            d.put("updatedBy", c.updatedBy());
            return d;
        }).orElse(null));
        m.put("timeZone", live.map(c -> c.zone().getId()).orElse(null));
        live.ifPresent(c -> {
            BusinessCalendar.Status s = c.status(ctx.clock().instant());
            m.put("now", s.state().name().toLowerCase(Locale.ROOT));
            m.put("nowReason", s.reason());
        });
        m.put("usedBy", usedBy(name));
        return m;
    }

    /** The published scripts' {@code hours} nodes and the callbacks window that use calendar {@code name}. */
    private List<String> usedBy(String name) {
        List<String> out = new ArrayList<>();
        if (ctx.engine().admin().ivr().isPresent()) {
            ctx.engine().admin().ivr().get().current().scripts().values().forEach(s -> s.nodes().values().forEach(n -> {
                if (n instanceof Node.Hours h && h.calendar().equals(name)) {
                    out.add("script " + s.id() + " node " + h.name());
                }
            }));
        }
        if (ctx.engine().config().acd().callback().calendar().filter(name::equals).isPresent()) {
            out.add("acd.callback.calendar");
        }
        return out.stream().sorted().toList();
    }

    /** The model as a definition with the calendar file's keys (it reads back to the same calendar). */
    static Map<String, Object> definition(BusinessCalendar c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_zone", c.zone().getId());
        Map<String, Object> weekly = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            List<TimeRange> r = c.weekly().getOrDefault(d, List.of());
            weekly.put(d.name().toLowerCase(Locale.ROOT), r.isEmpty() ? "closed"
                    : r.stream().map(TimeRange::toString).toList());
        }
        m.put("weekly", weekly);
        m.put("holidays", c.holidays().stream().map(h -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("from", h.from().toString());
            x.put("to", h.to().toString());
            x.put("name", h.name());
            return x;
        }).toList());
        List<Map<String, Object>> special = new ArrayList<>();
        c.special().forEach((date, r) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("date", date.toString());
            x.put("hours", r.isEmpty() ? "closed" : r.stream().map(TimeRange::toString).toList());
            special.add(x);
        });
        m.put("special", special);
        return m;
    }

    private Response save(Request req) {
        User admin = req.requireRole(Role.ADMIN);
        String name = req.pathParam("name");
        CalendarDefinition.nameProblem(name).ifPresent(p -> {
            throw ApiException.badField("name", p);
        });
        ObjectNode body = req.body();
        String text;
        try {
            text = ctx.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body cannot be stored: " + e.getOriginalMessage());
        }
        if (text.length() > MAX_DEFINITION) {
            throw ApiException.badRequest("the definition has " + text.length() + " characters (expected: <= "
                    + MAX_DEFINITION + ")");
        }
        boolean existed = db().find(name).isPresent();
        StoredCalendar saved;
        try {
            saved = db().save(name, text, admin.username());
        } catch (DatabaseCalendars.InvalidCalendarException e) {
            return invalid(name, e.problems());
        } catch (SQLException e) {
            throw new ApiException(503, "unavailable", "calendar " + name + " not saved: " + e.getMessage());
        }
        ctx.audit().record(admin.username(), admin.role().wireName(), existed ? "calendar.change" : "calendar.create",
                name, "time_zone=" + saved.calendar().zone().getId() + (files().containsKey(name)
                        ? " (replaces the file calendar)" : ""), req.address());
        Map<String, Object> m = summary(name);
        m.put("definitionFrom", "database");
        m.put("definition", definition(saved.calendar()));
        return ctx.json(existed ? 200 : 201, m);
    }

    /** 400 with every problem and its key path; {@code field} is the first one's, for the page. */
    private Response invalid(String name, List<YamlProblem> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "bad request");
        m.put("detail", "calendar " + name + " not saved: " + String.join("; ", problems.stream()
                .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message()).toList()));
        m.put("field", problems.isEmpty() ? "" : problems.get(0).path());
        m.put("problems", problems.stream().map(p -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("field", p.path());
            x.put("message", p.message());
            x.put("line", p.location().line());
            x.put("column", p.location().column());
            return x;
        }).toList());
        return ctx.json(400, m);
    }

    private Response enable(Request req, boolean on) {
        User admin = req.requireRole(Role.ADMIN);
        String name = req.pathParam("name");
        Request.onlyFields(req.body());
        StoredCalendar row = db().find(name).orElseThrow(() -> ApiException.notFound("no calendar '" + name
                + "' in the database" + (files().containsKey(name) ? " (the file calendar " + name
                + " cannot be disabled here: save a database version, or remove the file)" : "")));
        if (!on && row.enabled() && !files().containsKey(name)) {
            List<String> users = usedBy(name);
            if (!users.isEmpty()) {
                throw ApiException.conflict("calendar " + name + " is used by " + String.join(", ", users)
                        + " and has no file to fall back on (expected: change those first)");
            }
        }
        StoredCalendar after;
        try {
            after = db().setEnabled(name, on, admin.username())
                    .orElseThrow(() -> ApiException.notFound("no calendar '" + name + "' in the database"));
        } catch (SQLException e) {
            throw new ApiException(503, "unavailable", "calendar " + name + " not changed: " + e.getMessage());
        }
        ctx.audit().record(admin.username(), admin.role().wireName(), on ? "calendar.enable" : "calendar.disable",
                name, row.enabled() == on ? "already " + (on ? "enabled" : "disabled")
                        : on ? "in effect again" : files().containsKey(name) ? "the file calendar applies again"
                        : "no longer in effect", req.address());
        Map<String, Object> m = summary(name);
        m.put("enabled", after.enabled());
        return ctx.ok(m);
    }
}
