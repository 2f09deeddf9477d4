package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's side of outbound campaigns: the contact previewed to them (preview mode) with the campaign's script
 * and dispositions, dial or skip it, and the disposition of their last outbound call.
 */
final class OutboundAgentApi {

    private final Context ctx;

    OutboundAgentApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/agents/me/preview", this::preview);
        r.post("/api/agents/me/preview/dial", req -> act(req, true));
        r.post("/api/agents/me/preview/skip", req -> act(req, false));
        r.post("/api/agents/me/outbound-disposition", this::disposition);
    }

    private static String agentId(User u) {
        return u.agentId().orElseThrow(() -> ApiException.forbidden("user " + u.username() + " is not an agent"));
    }

    private Response preview(Request req) {
        User u = req.requireRole(Role.AGENT);
        var p = CampaignsApi.service(ctx).preview(agentId(u));
        if (p.isEmpty()) {
            return ctx.ok(Map.of("preview", false));
        }
        var c = p.get().getKey();
        var contact = p.get().getValue();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("preview", true);
        v.put("campaign", c.name());
        v.put("contactId", contact.id());
        v.put("name", contact.name());
        v.put("number", contact.number());
        v.put("zone", contact.zone().getId());
        v.put("fields", contact.fields());
        v.put("attempts", contact.attempts());
        v.put("script", c.script());
        v.put("dispositions", c.dispositionCodes());
        return ctx.ok(v);
    }

    private Response act(Request req, boolean dial) {
        User u = req.requireRole(Role.AGENT);
        var ob = CampaignsApi.service(ctx);
        String agent = agentId(u);
        boolean done = dial ? ob.previewDial(agent) : ob.previewSkip(agent);
        if (!done) {
            throw ApiException.conflict("no contact is being previewed to agent " + agent);
        }
        return ctx.ok(Map.of("done", dial ? "dial" : "skip"));
    }

    private Response disposition(Request req) {
        User u = req.requireRole(Role.AGENT);
        ObjectNode body = req.body();
        Request.onlyFields(body, "code");
        String code = Request.text(body, "code", 32);
        boolean set;
        try {
            set = CampaignsApi.service(ctx).disposition(agentId(u), code);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("code", "field 'code': " + e.getMessage());
        }
        if (!set) {
            throw ApiException.conflict("agent " + agentId(u) + " has had no outbound call to set a disposition for");
        }
        return ctx.ok(Map.of("code", code));
    }
}
