package dev.hotline.simulator.model;

import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.agi.AgiSession;
import dev.hotline.simulator.agi.AgiUrl;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dialplan after a FastAGI session of one of Hotline's contexts ends: the {@link Handshake} picks the
 * route, this class plays it on the channel — {@code Hangup()}, the fallback queue (hold music until the caller
 * gives up or the queue's time-out), {@code VoiceMail()}, a transfer, or a second {@code AGI()} to resume. Each
 * route is written to the channel's {@link CallTrace}.
 */
final class DialplanRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(DialplanRoutes.class);
    /**
     * How long the simulated {@code Dial()} of a transfer target lasts before the channel goes away, when the
     * dialplan has no {@code hotline-transfer} context of its own.
     */
    static final Duration TRANSFER_LENGTH = Duration.ofSeconds(1);

    private DialplanRoutes() {
    }

    /** The channel's AGI returned (not hung up, not redirected): go on as its context says. */
    static void afterAgi(Pbx pbx, SimChannel channel) {
        Optional<DialplanContext> context = pbx.dialplan().context(channel.context());
        DialplanContext.AfterAgi after = context.map(DialplanContext::after).orElse(DialplanContext.AfterAgi.HANGUP);
        if (after == DialplanContext.AfterAgi.HANGUP) {
            channel.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        Handshake handshake = pbx.handshake();
        Handshake.Route route = handshake.route(after, channel::variable);
        switch (route) {
            case Handshake.Route.Hangup hangup -> {
                channel.trace().route("hangup");
                channel.hangup(HangupCause.NORMAL_CLEARING);
            }
            case Handshake.Route.Fallback fallback -> fallback(channel, handshake, fallback.why());
            case Handshake.Route.Voicemail voicemail -> {
                channel.trace().route("voicemail:" + voicemail.box());
                channel.setLocation("hotline-outcome", "s", 7);
                hold(channel, "VoiceMail", voicemail.box() + ",u", handshake.voicemailLength(), false);
            }
            case Handshake.Route.Transfer transfer -> {
                channel.trace().route("transfer:" + transfer.target());
                channel.setLocation("hotline-transfer", transfer.target(), 1);
                if (pbx.dialplan().context("hotline-transfer").isPresent()) {
                    pbx.runDialplan(channel);
                } else {
                    hold(channel, "Dial", "PJSIP/" + transfer.target(), TRANSFER_LENGTH, false);
                }
            }
            case Handshake.Route.Resume resume -> {
                channel.trace().route("resume");
                channel.setVariable(Handshake.RESUME_TRIED, Integer.toString(resume.attempt()));
                AgiUrl url = AgiUrl.parse(resume.url().replace("${EXTEN}", channel.exten())
                        .replace(DialplanContext.LINKEDID, channel.linkedid()));
                if (resume.pause().isZero()) {
                    AgiSession.start(pbx, channel, url, List.of(), false);
                } else {
                    // MusicOnHold(,1) between rounds: the caller hears hold music while no engine answers.
                    channel.setMusicOnHold(true, "default");
                    channel.schedule(resume.pause(), () -> {
                        if (!channel.isSoftHungUp() && !channel.isDestroyed()) {
                            channel.setMusicOnHold(false, "");
                            AgiSession.start(pbx, channel, url, List.of(), false);
                        }
                    });
                }
            }
        }
    }

    private static void fallback(SimChannel channel, Handshake handshake, String why) {
        // The log line of the shipped dialplan's NoOp, so a soak or a test log reads like Asterisk's.
        LOG.info("Executing [s@hotline-fallback:1] NoOp(\"{}\", \"Hotline unreachable ({}): fallback queue\")",
                channel.name(), why);
        channel.trace().route("fallback");
        channel.setLocation("hotline-fallback", "s", 3);
        channel.answer();
        hold(channel, "Queue", "hotline-fallback,t,,,300", handshake.fallbackWait(), true);
        channel.caller().ifPresent(caller -> {
            if (caller.onWait() instanceof Reaction.HangUp hangUp) {
                channel.startPatience(hangUp.after());
            }
        });
    }

    /** Runs an application for {@code length} (hold music or not), then {@code Hangup()}. */
    private static void hold(SimChannel channel, String app, String data, Duration length, boolean music) {
        channel.setApplication(app, data);
        channel.own(new ChannelOwner() {
            @Override
            public void onSoftHangup() {
                channel.release();
            }
        });
        if (music) {
            channel.setMusicOnHold(true, "default");
        }
        channel.schedule(length, () -> channel.hangup(HangupCause.NORMAL_CLEARING));
    }
}
