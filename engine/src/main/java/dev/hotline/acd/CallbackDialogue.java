package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.handoff.Handback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.Command;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dialogue with a waiting caller about a callback: the offer when the estimated wait is long, the caller's number confirmed or entered, their name recorded, and the waiting call turned into the callback in place.
 */
final class CallbackDialogue extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(CallbackDialogue.class);

    CallbackDialogue(AcdContext ctx) {
        super(ctx);
    }

    /**
     * The caller pressed the callback key: confirm their number (caller id: 1 to confirm, 2 to enter another) or
     * enter one, store the callback, and turn the waiting call into it — same call id, same place in the queue.
     * Returns true when the caller was told and hung up; false when they stay waiting (no number, storage failed,
     * or an agent was assigned meanwhile: then the offer is dialled as usual).
     */
    boolean requestCallback(ActiveCall call, AgiSession s) {
        dev.hotline.callbacks.Callbacks service = ctx.callbacks;
        s.musicOff();
        if (service == null) {
            log.warn("call {}: callback key pressed but ctx.callbacks are not enabled in this engine", call.id);
            s.streamFile("hotline/callback-unavailable", "");
            return false;
        }
        String number = call.caller.replaceAll("[^0-9+]", "");
        boolean confirmed = false;
        if (number.length() >= 2) {
            s.streamFile("hotline/callback-your-number", "");
            s.sayDigits(number, "");
            confirmed = "1".equals(s.getData("hotline/callback-confirm", Duration.ofSeconds(5), 1).digits());
        }
        if (!confirmed) {
            number = s.getData("hotline/callback-enter-number", Duration.ofSeconds(10), 20).digits()
                    .replaceAll("[^0-9]", "");
        }
        if (number.length() < 2) {
            s.streamFile("hotline/callback-no-number", "");
            return false;
        }
        String nameFile = recordName(call, s, service.config());
        dev.hotline.callbacks.Callback stored;
        try {
            stored = service.requestQueued(call.id, call.queue.name(), number, "", call.joined, nameFile);
        } catch (java.sql.SQLException | RuntimeException e) {
            log.error("call {}: could not store the callback to {} ({}); the caller keeps waiting", call.id, number,
                    e.toString());
            s.streamFile("hotline/callback-unavailable", "");
            return false;
        }
        enum Conversion { KEPT_WAITING, IN_CORE, LEFT_CORE }
        Conversion converted;
        try {
            // On the loop, so that no offer (and no max wait or escalation exit) can slip between the check and the
            // switch. The core may have dropped the call while the caller confirmed their number (max wait, an
            // escalation exit): the callback then starts outside the core, and its timer puts it back in routing
            // with the call's original time.
            converted = loop.ask(core -> {
                if (call.offer != null) {
                    return Conversion.KEPT_WAITING;
                }
                boolean held = core.queueOf(call.id).isPresent();
                service.adopt(stored, held);
                return held ? Conversion.IN_CORE : Conversion.LEFT_CORE;
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            converted = Conversion.KEPT_WAITING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            converted = Conversion.KEPT_WAITING;
        }
        if (converted == Conversion.KEPT_WAITING) {
            service.withdraw(stored, "agent assigned while confirming");
            return false;
        }
        if (converted == Conversion.IN_CORE) {
            // Should the core drop it before this arrives, the exit is reported to the callbacks (they own the id
            // now), which put it back: the refusal of this command is then harmless.
            loop.post(new Command.KeepAsCallback(call.id));
        } else {
            log.info("call {}: the queue's wait ended while the caller confirmed their callback ({}); the callback"
                    + " re-enters routing with its original place", call.id, call.exit);
        }
        call.done = true;
        emit(new CallEvent.CallbackRequested(call.id, clock.instant(), call.queue.name(), number,
                Duration.between(call.joined, clock.instant())));
        try {
            s.streamFile("hotline/callback-confirmed", "");
            Handback.hangUp(s, Handback.Outcome.CALLBACK);
        } catch (AgiHangupException e) {
            // hung up already: the callback stands
        }
        return true;
    }

    /**
     * The queue's {@code callback_offer}: if the caller's estimated wait is above its threshold (or no agent is
     * staffed, so the wait has no end in sight) the offer prompt plays, interruptible by the offer key. Returns the
     * key if the caller pressed it (during the prompt or within 3 s after), else 0. Never offered to a callback's
     * own session or once callbacks are not running.
     */
    char offerCallback(ActiveCall call, AgiSession s) {
        QueueConfig.CallbackOffer offer = call.queue.callbackOffer().orElse(null);
        if (offer == null || ctx.callbacks == null || call.offer != null) {
            return 0;
        }
        try {
            Optional<Optional<Duration>> ewt = loop.ask(core -> core.position(call.id).isPresent()
                    ? Optional.of(core.estimatedWait(call.id)) : Optional.<Optional<Duration>>empty())
                    .get(500, TimeUnit.MILLISECONDS);
            if (ewt.isEmpty()) {
                return 0;   // ringing an agent already, or gone
            }
            boolean longWait = ewt.get().map(d -> d.compareTo(offer.afterEwt()) > 0).orElse(true);
            if (!longWait) {
                return 0;
            }
            s.musicOff();
            ctx.callbackOffers.increment();
            call.callbacksOffered++;
            s.setVariable(dev.hotline.handoff.QueuePlace.CALLBACKS_OFFERED, Integer.toString(call.callbacksOffered));
            log.debug("call {}: callback offered (estimated wait {})", call.id,
                    ewt.get().map(Duration::toString).orElse("unknown"));
            String key = String.valueOf(offer.key());
            dev.hotline.agi.Playback p = s.streamFile(offer.prompt(), key);
            if (p.digit().isPresent()) {
                return p.digit().get();
            }
            dev.hotline.agi.DigitInput more = s.getData("silence/1", Duration.ofSeconds(3), 1);
            return more.digits().equals(key) ? offer.key() : 0;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("call {}: no callback offer ({})", call.id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: callback offer failed: {}", call.id, e.getMessage());
        }
        return 0;
    }

    /**
     * {@code acd.callback.record_name}: the caller says their name after a beep ({@code RECORD FILE}, up to the
     * configured length, {@code #} or 2 s of silence ends it), played to the agent before the customer is dialled.
     * Returns the file (no extension), or "" when not asked, nothing was recorded or recording failed.
     */
    String recordName(ActiveCall call, AgiSession s, dev.hotline.config.CallbackConfig cb) {
        if (!cb.recordsName()) {
            return "";
        }
        String file = cb.nameFile(call.id);
        try {
            s.streamFile("hotline/callback-say-name", "");
            dev.hotline.agi.Recording r = s.recordFile(file, "wav", "#", cb.recordName(), Duration.ofSeconds(2),
                    true);
            if (r.endReason() == dev.hotline.agi.Recording.EndReason.HANGUP || r.endpos() <= 0) {
                return "";
            }
            return file;
        } catch (dev.hotline.agi.AgiCommandException e) {
            log.warn("call {}: recording the caller's name to {} failed: {}", call.id, file, e.getMessage());
            return "";
        }
    }
}
