package dev.hotline.gateway.api;

import dev.hotline.gateway.http.Router;

/** Every endpoint of the gateway (described in agent-gateway/openapi.yaml). */
public final class Routes {

    private Routes() {
    }

    public static Router build(Context ctx) {
        Router r = new Router();
        new SystemApi(ctx).register(r);
        new AuthApi(ctx).register(r);
        new AgentApi(ctx).register(r);
        new CallControlApi(ctx).register(r);
        new SupervisorApi(ctx).register(r);
        new AdminApi(ctx).register(r);
        new IvrApi(ctx).register(r);
        new CallbacksApi(ctx).register(r);
        new DirectoryApi(ctx).register(r);
        new UsersApi(ctx).register(r);
        new CalendarsApi(ctx).register(r);
        new RecordingsApi(ctx).register(r);
        new ScorecardsApi(ctx).register(r);
        new QualityApi(ctx).register(r);
        new PhonesApi(ctx).register(r);
        new CampaignsApi(ctx).register(r);
        new OutboundAgentApi(ctx).register(r);
        return StandbyGate.gate(r, ctx);
    }
}
