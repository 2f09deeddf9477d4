package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.outbound.CallingHours;
import dev.hotline.outbound.Campaign;
import dev.hotline.outbound.CampaignReport;
import dev.hotline.outbound.ContactImport;
import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Outbound;
import dev.hotline.outbound.RetryRules;
import dev.hotline.outbound.ZonePrefixes;

import java.io.StringReader;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Outbound campaigns for supervisors and admins (docs/OUTBOUND.md): list them with their lists' progress and the
 * blending rule's last word, create or change one, import a contact list (CSV as the body, the column mapping in the
 * query; bad rows answered by line), start / pause / stop, the campaign report, and the do-not-call list. Every
 * change is audited.
 */
final class CampaignsApi {

    private final Context ctx;

    CampaignsApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        // All blocking: the campaigns' changes are written to the database before the answer.
        r.add("GET", "/api/campaigns", true, this::list);
        r.add("POST", "/api/campaigns", true, this::save);
        r.add("POST", "/api/campaigns/{id}/contacts", true, this::importContacts);
        r.add("POST", "/api/campaigns/{id}/start", true, req -> status(req, Campaign.Status.RUNNING));
        r.add("POST", "/api/campaigns/{id}/pause", true, req -> status(req, Campaign.Status.PAUSED));
        r.add("POST", "/api/campaigns/{id}/stop", true, req -> status(req, Campaign.Status.STOPPED));
        r.add("GET", "/api/campaigns/report", true, this::report);
        r.add("POST", "/api/do-not-call", true, this::doNotCall);
    }

    static Outbound service(Context ctx) {
        return ctx.engine().outbound().orElseThrow(() -> new ApiException(503, "service unavailable",
                "outbound campaigns are not running (the database has not been reached yet); try again shortly"));
    }

    private Response list(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        Outbound ob = service(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Campaign c : ob.campaigns()) {
            Map<String, Object> v = view(c);
            try {
                Map<String, Integer> counts = new LinkedHashMap<>();
                ob.store().statusCounts(c.id()).forEach((s, n) -> counts.put(s.name().toLowerCase(), n));
                v.put("contacts", counts);
            } catch (SQLException e) {
                throw new ApiException(503, "database unavailable", "cannot read the contacts of " + c.id() + ": "
                        + e.getMessage());
            }
            ob.pacer(c.id()).ifPresent(p -> v.put("abandonPct", round(p.abandonPct(ctx.clock().instant()))));
            out.add(v);
        }
        return ctx.ok(Map.of("campaigns", out, "blending", Map.of("outboundAllowed",
                ob.blending().outboundAllowed(), "why", ob.blending().why())));
    }

    private static Map<String, Object> view(Campaign c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", c.id());
        v.put("name", c.name());
        v.put("queue", c.queue());
        v.put("mode", c.mode().wireName());
        v.put("status", c.status().wireName());
        v.put("callerId", c.callerId());
        v.put("hours", c.hours().from() + "-" + c.hours().to());
        v.put("days", c.hours().days().stream().sorted().map(d -> d.name().substring(0, 3).toLowerCase()).toList());
        v.put("zone", c.defaultZone().getId());
        v.put("retry", c.retry().format());
        v.put("amd", c.amd());
        v.put("machineAction", c.machineAction().wireName());
        v.put("abandonCap", c.abandonCapPct());
        v.put("script", c.script());
        v.put("dispositions", c.dispositions());
        v.put("updatedAt", c.updatedAt().toString());
        v.put("updatedBy", c.updatedBy());
        return v;
    }

    private Response save(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "id", "name", "queue", "mode", "callerId", "hours", "days", "zone", "retry", "amd",
                "machineAction", "abandonCap", "script", "dispositions");
        String id = Request.text(body, "id", 64);
        String queue = Request.text(body, "queue", 64);
        if (!ctx.engine().board().queues().containsKey(queue)) {
            throw ApiException.badField("queue", "field 'queue': unknown queue '" + queue + "' (expected one of: "
                    + String.join(", ", new TreeMap<>(ctx.engine().board().queues()).keySet()) + ")");
        }
        Outbound ob = service(ctx);
        Campaign.Status status = ob.campaign(id).map(Campaign::status).orElse(Campaign.Status.DRAFT);
        // What the request leaves out: the engine's outbound defaults (hotline.yaml, outbound:).
        var defaults = ob.settings().config();
        Campaign c;
        try {
            List<String> dispositions = new ArrayList<>();
            JsonNode d = body.get("dispositions");
            if (d != null && !d.isArray()) {
                throw ApiException.badField("dispositions", "field 'dispositions': expected a list of codes");
            }
            if (d != null) {
                d.forEach(n -> dispositions.add(n.asText()));
            }
            c = new Campaign(id, Request.optionalText(body, "name", 128).orElse(id), queue,
                    field("mode", () -> DialMode.parse(Request.optionalText(body, "mode", 16).orElse("progressive"))),
                    Request.optionalText(body, "callerId", 21).orElse(""),
                    field("hours", () -> CallingHours.parse(Request.optionalText(body, "hours", 16).orElse("09:00-20:00"),
                            Request.optionalText(body, "days", 64).orElse("mon-fri"))),
                    field("zone", () -> ZonePrefixes.zone("field 'zone'", Request.optionalText(body, "zone", 64)
                            .orElse(ZoneId.systemDefault().getId()))),
                    field("retry", () -> Request.optionalText(body, "retry", 512).map(RetryRules::parse)
                            .orElse(RetryRules.defaults())),
                    body.has("amd") ? body.get("amd").asBoolean(defaults.amd()) : defaults.amd(),
                    field("machineAction", () -> Campaign.MachineAction.parse(
                            Request.optionalText(body, "machineAction", 16).orElse(defaults.machineAction().wireName()))),
                    body.has("abandonCap") ? body.get("abandonCap").asDouble(-1) : defaults.abandonCapPct(),
                    Request.optionalText(body, "script", 4000).orElse(""), dispositions, status,
                    ctx.clock().instant(), u.username());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        try {
            ob.save(c);
        } catch (SQLException e) {
            throw new ApiException(503, "database unavailable", "the campaign could not be stored: " + e.getMessage());
        }
        ctx.audit().record(u.username(), u.role().wireName(), "campaign.save", c.id(),
                "queue=" + c.queue() + " mode=" + c.mode().wireName(), req.address());
        return ctx.ok(view(c));
    }

    private interface Parse<T> {
        T get();
    }

    /** Runs a parse; a refusal names the field. */
    private static <T> T field(String name, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(name, "field '" + name + "': " + e.getMessage());
        }
    }

    private Response importContacts(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        String id = req.pathParam("id");
        Outbound ob = service(ctx);
        if (ob.campaign(id).isEmpty()) {
            throw ApiException.notFound("campaign '" + id + "' does not exist");
        }
        String csv = req.bodyText("the contact list (CSV, header first)");
        ContactImport.Mapping mapping;
        try {
            mapping = new ContactImport.Mapping(req.query("number").orElse("number"), req.query("name"),
                    req.query("zone"), req.query("fields").map(f -> List.of(f.split(","))).orElse(List.of()));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Map<String, String> prefixes = new LinkedHashMap<>();
        req.query("zonePrefixes").ifPresent(p -> {
            for (String pair : p.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw ApiException.badRequest("query parameter zonePrefixes: '" + pair
                            + "' (expected: prefix=Zone/Name, comma-separated)");
                }
                prefixes.put(kv[0].strip(), kv[1].strip());
            }
        });
        ContactImport.Result r;
        try {
            r = ob.importContacts(id, new StringReader(csv), mapping, prefixes);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (SQLException e) {
            throw new ApiException(503, "database unavailable", "the contacts could not be stored: " + e.getMessage());
        }
        ctx.audit().record(u.username(), u.role().wireName(), "campaign.import", id, "rows=" + r.rows()
                + " imported=" + r.contacts().size() + " errors=" + r.errors().size() + " duplicates="
                + r.duplicates().size(), req.address());
        return ctx.ok(Map.of("rows", r.rows(), "imported", r.contacts().size(),
                "errors", r.errors().stream().map(e -> Map.of("line", e.line(), "message", e.message())).toList(),
                "duplicates", r.duplicates().stream().map(d -> Map.of("line", d.line(), "number", d.number(),
                        "firstLine", d.firstLine())).toList()));
    }

    private Response status(Request req, Campaign.Status status) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        String id = req.pathParam("id");
        Outbound ob = service(ctx);
        if (ob.campaign(id).isEmpty()) {
            throw ApiException.notFound("campaign '" + id + "' does not exist");
        }
        Campaign c;
        try {
            c = ob.setStatus(id, status, u.username());
        } catch (SQLException e) {
            throw new ApiException(503, "database unavailable", "the campaign could not be changed: " + e.getMessage());
        }
        ctx.audit().record(u.username(), u.role().wireName(), "campaign." + switch (status) {
            case RUNNING -> "start";
            case PAUSED -> "pause";
            default -> "stop";
        }, id, "", req.address());
        return ctx.ok(view(c));
    }

    private Response report(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        Outbound ob = service(ctx);
        Instant to = req.query("to").map(t -> instant("to", t)).orElse(ctx.clock().instant().plusSeconds(60));
        Instant from = req.query("from").map(t -> instant("from", t)).orElse(to.minus(java.time.Duration.ofDays(1)));
        Map<String, Campaign> campaigns = new TreeMap<>();
        ob.campaigns().forEach(c -> campaigns.put(c.id(), c));
        try {
            var attempts = ob.store().attempts(Optional.empty(), from, to);
            ZoneId zone = ZoneId.systemDefault();
            return ctx.ok(Map.of("columns", CampaignReport.COLUMNS,
                    "rows", CampaignReport.lines(campaigns, attempts, CampaignReport.listSizes(ob.store(),
                            campaigns.values())).stream().map(CampaignReport::cells).toList(),
                    "hourColumns", CampaignReport.HOUR_COLUMNS,
                    "hours", CampaignReport.hours(campaigns, attempts, zone).stream()
                            .map(h -> CampaignReport.cells(h, zone)).toList()));
        } catch (SQLException e) {
            throw new ApiException(503, "database unavailable", "cannot read the attempts: " + e.getMessage());
        }
    }

    private static Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("query parameter " + name + ": '" + text
                    + "' (expected: an instant such as 2026-12-07T09:00:00Z)");
        }
    }

    private Response doNotCall(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "number");
        String number = Request.text(body, "number", 40);
        try {
            service(ctx).addDoNotCall(number, u.username());
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("number", "field 'number': " + e.getMessage());
        } catch (SQLException e) {
            throw new ApiException(503, "database unavailable", "the number could not be stored: " + e.getMessage());
        }
        ctx.audit().record(u.username(), u.role().wireName(), "donotcall.add", number, "", req.address());
        return ctx.json(201, Map.of("number", number));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
