package dev.hotline.simulator.model;

import dev.hotline.simulator.agi.AgiSession;
import dev.hotline.simulator.agi.AgiUrl;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Handshake;
import java.util.List;

/**
 * Runs the dialplan that follows Hotline's {@code AGI()} when {@link Handshake} is on (see there for the rules); kept
 * apart from {@link Pbx} and {@link SimChannel} so the rest of the simulator stays a plain "AGI, then Hangup()".
 * Everything runs on the channel's loop.
 */
final class HandshakeDialplan {

    private static final String ROUND = "SIM_RESUME_ATTEMPT";

    private HandshakeDialplan() {
    }

    /** Before the first AGI of a call in a handshake context: {@code Set(HOTLINE_ENTRY=<script>)}. */
    static void beforeAgi(Handshake handshake, SimChannel channel, AgiUrl url) {
        if (handshake.contexts().contains(channel.context()) && channel.variable("HOTLINE_ENTRY").isEmpty()) {
            String script = url.script();
            int query = script.indexOf('?');
            channel.setVariable("HOTLINE_ENTRY", query < 0 ? script : script.substring(0, query));
        }
    }

    /** The AGI of a handshake context returned and the channel is up: where the dialplan goes next. */
    static boolean afterAgi(Handshake handshake, Pbx pbx, SimChannel channel) {
        if (!handshake.contexts().contains(channel.context()) && channel.variable(ROUND).isEmpty()) {
            return false;
        }
        if ("1".equals(channel.variable("HOTLINE_HANDLED").orElse(""))) {
            String outcome = channel.variable("HOTLINE_OUTCOME").orElse("");
            if (outcome.equals("fallback")) {
                fallback(handshake, pbx, channel);
                return true;
            }
            String target = channel.variable("HOTLINE_TARGET").orElse("");
            channel.setVariable(Handshake.RESULT, ("outcome " + outcome + " " + target).trim());
            pbx.stats().handedBack.increment();
            channel.hangup(HangupCause.NORMAL_CLEARING);
            return true;
        }
        List<String> urls = handshake.resumeUrls();
        if (channel.variable(ROUND).isEmpty() && "FAILURE".equals(channel.variable("AGISTATUS").orElse(""))
                && channel.variable("HOTLINE_CALL_ID").orElse("").isEmpty()) {
            // Hotline unreachable when the call arrived (it never held it): the other engine once, then fallback.
            channel.setVariable(ROUND, "unreachable");
            if (urls.size() > 1) {
                startResume(pbx, channel, urls.get(1));
            } else {
                fallback(handshake, pbx, channel);
            }
            return true;
        }
        if (channel.variable(ROUND).orElse("").equals("unreachable")) {
            fallback(handshake, pbx, channel);
            return true;
        }
        // Hotline lost the call: resume at each engine, round after round, then the fallback queue.
        int attempt = Integer.parseInt(channel.variable(ROUND).orElse("0"));
        int total = handshake.rounds() * urls.size();
        if (urls.isEmpty() || attempt >= total) {
            fallback(handshake, pbx, channel);
            return true;
        }
        channel.setVariable(ROUND, Integer.toString(attempt + 1));
        String url = urls.get(attempt % urls.size());
        if (attempt > 0 && attempt % urls.size() == 0) {
            channel.setMusicOnHold(true, "default");   // MusicOnHold(,1) between rounds
            channel.schedule(handshake.pause(), () -> startResume(pbx, channel, url));
        } else {
            startResume(pbx, channel, url);
        }
        return true;
    }

    private static void startResume(Pbx pbx, SimChannel channel, String url) {
        if (channel.isSoftHungUp() || channel.isDestroyed()) {
            return;
        }
        pbx.stats().resumeAttempts.increment();
        channel.setMusicOnHold(false, "");
        AgiSession.start(pbx, channel, AgiUrl.parse(url.replace(DialplanContext.LINKEDID, channel.linkedid())),
                List.of(), false);
    }

    /** {@code hotline-fallback}: Answer, Queue(hotline-fallback,t,,,300), Playback(ss-noservice), Hangup. */
    private static void fallback(Handshake handshake, Pbx pbx, SimChannel channel) {
        channel.setVariable(Handshake.RESULT, "fallback");
        pbx.stats().fallbacks.increment();
        channel.setMusicOnHold(true, "default");
        channel.schedule(handshake.fallbackWait(), () -> channel.hangup(HangupCause.NORMAL_CLEARING));
    }
}
