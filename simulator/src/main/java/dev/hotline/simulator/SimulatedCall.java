package dev.hotline.simulator;

import dev.hotline.simulator.model.CallTrace;
import dev.hotline.simulator.model.HangupCause;
import dev.hotline.simulator.model.SimChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A handle on a call placed with {@link AsteriskSimulator#placeCall}: its identity, and remote control. */
public final class SimulatedCall {

    private final SimChannel channel;

    SimulatedCall(SimChannel channel) {
        this.channel = channel;
    }

    /** The caller's channel name, e.g. {@code PJSIP/pstn-00000003}: what AMI and {@code agi_channel} show. */
    public String channelName() {
        return channel.name();
    }

    /** The caller's uniqueid ({@code agi_uniqueid}); also the call's Linkedid. */
    public String uniqueid() {
        return channel.uniqueid();
    }

    /** Presses DTMF digits now, one after the other. */
    public void pressDigits(String digits) {
        String valid = new Reaction.Press(digits, Duration.ZERO).digits();
        channel.execute(() -> valid.chars().forEach(d -> channel.sendDtmf((char) d)));
    }

    /** The caller hangs up now. */
    public void hangUp() {
        channel.execute(channel::callerHangsUp);
    }

    /** What happened to the call so far, as Asterisk saw it (its ground truth). */
    public CallTrace trace() {
        return channel.trace();
    }

    /** Whether the caller's channel is gone (hung up, or Asterisk died). */
    public boolean isGone() {
        return channel.ended().isDone() || channel.trace().endedBy().isPresent();
    }

    /** Completes with the cause once the caller's channel is gone. */
    public CompletableFuture<HangupCause> ended() {
        return channel.ended();
    }

    /** A channel variable (DIALSTATUS, AGISTATUS, …), read on the call's loop. */
    public CompletableFuture<Optional<String>> variable(String name) {
        CompletableFuture<Optional<String>> result = new CompletableFuture<>();
        channel.execute(() -> result.complete(channel.variable(name)));
        return result;
    }

    @Override
    public String toString() {
        return "SimulatedCall[" + channel + "]";
    }
}
