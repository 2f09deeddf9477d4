package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.handoff.Handback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.WaitResult;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.EscalationStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A caller's wait in a queue, on the call's FastAGI session: music, announcements, exit keys, the callback offer, and the move to the agent when an offer comes (dialled here, or after a redirect by the connect session).
 */
final class WaitingSession extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(WaitingSession.class);

    WaitingSession(AcdContext ctx) {
        super(ctx);
    }

    private static final Duration AMI_DOWN_SLICE = Duration.ofSeconds(1);
    private static final Duration REDIRECT_WAIT = Duration.ofSeconds(5);

    void serve(ActiveCall call, AgiSession s, boolean connectSession) {
        call.attach(s);
        Instant lastAnnouncement = clock.instant();
        Instant lastPeriodic = clock.instant();
        boolean music = false;
        boolean offerPending = !connectSession && call.queue.callbackOffer().isPresent();
        if (!connectSession && call.offer == null && !config.offerWait().isZero()) {
            // Queued: an agent freed within a few milliseconds is dialled from here, before any music (no redirect).
            call.awaitOffer(config.offerWait());
        }
        try {
            while (true) {
                if (call.phase() == CallPhase.ENDED) {
                    return;   // ended elsewhere (its channel is gone from Asterisk): nothing left to serve
                }
                Decision.Offer offer = call.offer;
                if (offer != null && call.dial()) {
                    music = false;
                    if (ctx.connect.dial(call, offer, s)) {
                        return;
                    }
                    continue;
                }
                if (call.phase() == CallPhase.REDIRECTING) {
                    // The loop is redirecting this session: wait for it to land (the channel leaves), or to fail.
                    if (s.waitForDigitOrRedirect(REDIRECT_WAIT) instanceof WaitResult.Left) {
                        return;   // redirected: end this session at once so Asterisk starts the connect session
                    }
                    continue;
                }
                Decision exit = call.exit;
                if (exit != null) {
                    leaveForTreatment(call, s, exit);
                    return;
                }
                if (offerPending && call.announce()) {
                    // On joining: a long estimated wait offers a callback before the music starts.
                    offerPending = false;
                    char pressed = ctx.dialogue.offerCallback(call, s);
                    music = false;
                    if (!call.announced()) {
                        continue;   // an offer came meanwhile
                    }
                    if (pressed != 0 && call.offer == null && ctx.dialogue.requestCallback(call, s)) {
                        return;
                    }
                    continue;
                }
                if (!music) {
                    s.musicOn(config.mohClass());
                    music = true;
                }
                Duration slice = nextWake(call, lastAnnouncement);
                var experience = config.experience();
                if (!experience.periodicPrompt().isEmpty()) {
                    Duration untilPeriodic = Duration.between(clock.instant(),
                            lastPeriodic.plus(experience.periodicInterval()));
                    if (untilPeriodic.compareTo(slice) < 0) {
                        slice = untilPeriodic.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100)
                                : untilPeriodic;
                    }
                }
                if (!call.hold()) {
                    continue;   // an offer arrived just now
                }
                WaitResult r = s.waitForDigitOrRedirect(slice);
                if (r instanceof WaitResult.Left) {
                    if (call.betweenSessions()) {
                        return;   // redirected: end this session at once so Asterisk starts the connect session
                    }
                    abandon(call, "caller hung up");
                    return;
                }
                if (!call.unhold()) {
                    continue;   // an offer came while waiting (the redirect failed, or is under way)
                }
                if (r instanceof WaitResult.Digit d) {
                    char key = d.key();
                    QueueTarget target = call.queue.exitKeys().get(key);
                    if (call.queue.isCallbackKey(key)) {
                        music = false;
                        if (ctx.dialogue.requestCallback(call, s)) {
                            return;
                        }
                        continue;
                    }
                    if (target != null) {
                        loop.post(new Command.Leave(call.id, "exit key " + key));
                        emit(new CallEvent.ExitedQueue(call.id, clock.instant(), call.queue.name(),
                                "exit key " + key, target.toString(), Duration.between(call.joined,
                                        clock.instant())));
                        call.done = true;
                        treatment(s, target, call);
                        return;
                    }
                    continue;
                }
                boolean periodicDue = !experience.periodicPrompt().isEmpty()
                        && !clock.instant().isBefore(lastPeriodic.plus(experience.periodicInterval()));
                boolean announceDue = !config.announceInterval().isZero()
                        && !clock.instant().isBefore(lastAnnouncement.plus(config.announceInterval()));
                if ((announceDue || periodicDue) && call.announce()) {
                    if (periodicDue) {
                        playPeriodic(call, s, experience.periodicPrompt());
                        lastPeriodic = clock.instant();
                    }
                    char pressed = 0;
                    if (announceDue) {
                        announce(call, s);
                        pressed = ctx.dialogue.offerCallback(call, s);
                        lastAnnouncement = clock.instant();
                    }
                    music = false;
                    if (call.announced() && pressed != 0 && call.offer == null && ctx.dialogue.requestCallback(call, s)) {
                        return;
                    }
                }
            }
        } catch (AgiHangupException e) {
            if (call.betweenSessions()) {
                return;
            }
            abandon(call, "caller hung up");
        }
    }

    /** When the waiting session must wake next: announcement, max wait, an escalation exit, or 1 s if AMI is down. */
    Duration nextWake(ActiveCall call, Instant lastAnnouncement) {
        Instant now = clock.instant();
        Instant wake = now.plus(Duration.ofMinutes(10));
        if (!config.announceInterval().isZero()) {
            wake = min(wake, lastAnnouncement.plus(config.announceInterval()));
        }
        wake = min(wake, call.joined.plus(call.queue.maxWait()).plusMillis(100));
        for (EscalationStep step : call.queue.escalation()) {
            if (step instanceof EscalationStep.Exit x) {
                wake = min(wake, call.joined.plus(x.after()).plusMillis(100));
            }
        }
        AmiConnection server = ami.get(call.server);
        if (server == null || !server.isUp()) {
            wake = min(wake, now.plus(AMI_DOWN_SLICE));
        }
        Duration d = Duration.between(now, wake);
        return d.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : d;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    void playPeriodic(ActiveCall call, AgiSession s, String prompt) {
        String lang = call.data.getOrDefault("language", "");
        String file = prompt.contains("/") || lang.isBlank() ? prompt : lang + "/" + prompt;
        try {
            s.streamFile(file, "");
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: periodic message {} failed: {}", call.id, file, e.getMessage());
        }
    }

    void announce(ActiveCall call, AgiSession s) {
        try {
            OptionalInt position = loop.ask(core -> core.position(call.id)).get(500, TimeUnit.MILLISECONDS);
            Optional<Duration> ewt = loop.ask(core -> core.estimatedWait(call.id)).get(500, TimeUnit.MILLISECONDS);
            if (position.isPresent()) {
                if (position.getAsInt() == 1) {
                    s.streamFile("queue-youarenext", "");
                } else {
                    s.streamFile("queue-thereare", "");
                    s.sayNumber(position.getAsInt() - 1L, "");
                    s.streamFile("queue-callswaiting", "");
                }
            }
            if (ewt.isPresent() && ewt.get().toMinutes() >= 1) {
                s.streamFile("queue-holdtime", "");
                s.sayNumber(ewt.get().toMinutes(), "");
                s.streamFile("queue-minutes", "");
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("call {}: no announcement ({})", call.id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: announcement failed: {}", call.id, e.getMessage());
        }
    }

    void leaveForTreatment(ActiveCall call, AgiSession s, Decision exit) {
        call.done = true;
        String reason = exit instanceof Decision.MaxWaitReached ? "max wait" : "escalation exit";
        QueueTarget target = call.queue.onTimeout();
        if (exit instanceof Decision.ExitedQueue x) {
            try {
                target = QueueTarget.parse(x.destination());
            } catch (IllegalArgumentException e) {
                log.warn("call {}: escalation exit to '{}': {}", call.id, x.destination(), e.getMessage());
            }
        } else {
            loop.post(new Command.Leave(call.id, "max wait"));
        }
        emit(new CallEvent.ExitedQueue(call.id, clock.instant(), call.queue.name(), reason, target.toString(),
                Duration.between(call.joined, clock.instant())));
        treatment(s, target, call);
    }

    /** Sends a caller leaving a queue where {@code target} says. */
    void treatment(AgiSession s, QueueTarget target, ActiveCall call) {
        if (s.isHungUp()) {
            return;
        }
        try {
            s.musicOff();
        } catch (AgiHangupException e) {
            return;
        }
        switch (target.kind()) {
            case HANGUP -> Handback.hangUp(s, Handback.Outcome.HANGUP);
            case CALLBACK -> Handback.hangUp(s, Handback.Outcome.CALLBACK);
            case VOICEMAIL, TRANSFER -> {
                call.handBack();
                Handback.handBack(s, target.kind() == QueueTarget.Kind.VOICEMAIL ? Handback.Outcome.VOICEMAIL
                        : Handback.Outcome.TRANSFER, target.value());
            }
            case QUEUE -> {
                QueueConfig next = queues.get(target.value());
                calls.end(call, "moved to queue " + target.value());
                if (next != null) {
                    ctx.entry.join(s, next, Map.of(), OptionalInt.empty(), "", call.data);
                } else {
                    Handback.handBack(s, Handback.Outcome.FALLBACK, "unknown queue " + target.value());
                }
            }
        }
    }
}
