package dev.hotline.gateway.api;

import dev.hotline.config.GatewayConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.Router;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/phones}: what the pages need to offer phones. For an agent, the browser phone (WebRTC) when
 * {@code gateway.phones.webrtc_websocket} is set: the WebSocket, the SIP domain and their endpoints that can be
 * registered from the browser (PJSIP ones; the SIP user is the endpoint's resource); for supervisors and admins
 * the phones to pick from for listen / whisper / barge ({@code gateway.phones.supervisor_phones}). No secret is
 * served: the SIP password is typed by the agent and stays in the browser.
 */
final class PhonesApi {

    private final Context ctx;

    PhonesApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/phones", req -> {
            User u = req.user();
            GatewayConfig.Phones phones = ctx.config().phones();
            Map<String, Object> m = new LinkedHashMap<>();
            if (phones.webrtcWebsocket().isEmpty()) {
                m.put("webrtc", null);
            } else {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("websocket", phones.webrtcWebsocket());
                w.put("domain", phones.webrtcDomain().isEmpty() ? URI.create(phones.webrtcWebsocket()).getHost()
                        : phones.webrtcDomain());
                List<String> endpoints = u.agentId().map(id -> ctx.live().agents().get(id))
                        .map(a -> a.endpoints().stream().filter(e -> e.startsWith("PJSIP/")).toList())
                        .orElse(List.of());
                w.put("endpoints", endpoints);
                m.put("webrtc", w);
            }
            m.put("supervisorPhones", u.role() == Role.AGENT ? List.of() : phones.supervisorPhones());
            return ctx.ok(m);
        });
    }
}
