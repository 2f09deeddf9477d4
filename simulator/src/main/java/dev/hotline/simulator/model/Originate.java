package dev.hotline.simulator.model;

import dev.hotline.simulator.endpoint.Endpoint;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * AMI Originate. {@code Local/exten@context} makes a Local pair whose {@code ;2} half runs the context and whose
 * {@code ;1} half runs the application (or the other context); {@code TECH/resource} rings a simulated endpoint.
 * The future completes with the outcome Asterisk puts in OriginateResponse ({@code Reason} 4 = answered).
 */
public final class Originate {

    /** What was asked: either {@code application}/{@code data} or {@code context}/{@code exten}/{@code priority}. */
    public record Request(String channel, Optional<String> application, String data, String context, String exten,
                          int priority, Duration timeout, String callerIdNum, String callerIdName,
                          java.util.Map<String, String> variables) {

        public Request {
            variables = java.util.Map.copyOf(variables);
        }

        public Request(String channel, Optional<String> application, String data, String context, String exten,
                       int priority, Duration timeout, String callerIdNum, String callerIdName) {
            this(channel, application, data, context, exten, priority, timeout, callerIdNum, callerIdName,
                    java.util.Map.of());
        }
    }

    /** The outcome: {@code reason} as OriginateResponse reports it (0 failed, 3 no answer, 4 answered, 5 busy). */
    public record Result(boolean success, int reason, String channel, String uniqueid) {
    }

    private Originate() {
    }

    public static CompletableFuture<Result> start(Pbx pbx, Request request) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        EventLoop loop = pbx.group().next();
        loop.execute(() -> {
            try {
                if (request.channel().startsWith("Local/")) {
                    local(pbx, loop, request, result);
                } else {
                    endpoint(pbx, loop, request, result);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void local(Pbx pbx, EventLoop loop, Request request, CompletableFuture<Result> result) {
        String target = request.channel().substring("Local/".length());
        int slash = target.indexOf('/');
        if (slash >= 0) {
            target = target.substring(0, slash);
        }
        int at = target.indexOf('@');
        String exten = at < 0 ? target : target.substring(0, at);
        String context = at < 0 ? "default" : target.substring(at + 1);
        String base = "Local/" + exten + "@" + context + "-" + pbx.ids().nextChannelSuffix();
        SimChannel one = pbx.newChannel(loop, base + ";1", "Local", null, ChannelState.DOWN, "", "", context, exten,
                Optional.empty());
        SimChannel two = pbx.newChannel(loop, base + ";2", "Local", one.linkedid(), ChannelState.RING, "", "",
                context, exten, Optional.empty());
        // After the two Newchannel events (still <unknown>) both halves take the Originate's CallerID as caller
        // and connected line (NewCallerid/NewConnectedLine in recording 01), before DialBegin.
        for (SimChannel half : List.of(one, two)) {
            half.setCallerId(request.callerIdNum(), request.callerIdName());
            half.setConnectedLine(request.callerIdNum(), request.callerIdName());
        }
        ChannelSnapshot dest = one.snapshot();
        pbx.events().publish(() -> dest.appendTo(Events.event("DialBegin", "call,all"), "Dest")
                .add("DialString", exten + "@" + context).build());
        if (pbx.dialplan().context(context).isEmpty()) {
            two.hangup(HangupCause.UNKNOWN);
            one.hangup(HangupCause.UNKNOWN);
            pbx.events().publish(() -> Events.deviceStateChange("Local/" + exten + "@" + context, "INVALID"));
            result.complete(new Result(false, 0, request.channel(), "<null>"));
            return;
        }
        // Either half going away takes the other with it, as a Local channel pair does.
        one.ended().thenRun(() -> two.execute(() -> two.hangup(HangupCause.NORMAL_CLEARING)));
        two.ended().thenRun(() -> one.execute(() -> one.hangup(HangupCause.NORMAL_CLEARING)));
        pbx.runDialplan(two);
        if (two.isDestroyed()) {
            result.complete(new Result(false, 1, request.channel(), "<null>"));
            return;
        }
        one.answer();
        ChannelSnapshot answered = one.snapshot();
        pbx.events().publish(() -> answered.appendTo(Events.event("DialEnd", "call,all"), "Dest")
                .add("DialStatus", "ANSWER").build());
        result.complete(new Result(true, 4, one.name(), one.uniqueid()));
        runFirstHalf(pbx, one, request);
    }

    private static void endpoint(Pbx pbx, EventLoop loop, Request request, CompletableFuture<Result> result) {
        Optional<Endpoint> endpoint = pbx.endpoints().find(request.channel());
        Optional<Endpoint.Reservation> reserved = endpoint.flatMap(e -> e.reserve(pbx.newRandom()));
        if (reserved.isEmpty()) {
            boolean busy = endpoint.isPresent() && endpoint.get().isRegistered();
            result.complete(new Result(false, busy ? 5 : 0, request.channel(), "<null>"));
            return;
        }
        Endpoint.Reservation reservation = reserved.get();
        SimChannel channel = pbx.newChannel(loop, request.channel() + "-" + pbx.ids().nextChannelSuffix(),
                request.channel().substring(0, request.channel().indexOf('/')), null, ChannelState.DOWN,
                request.callerIdNum(), request.callerIdName(), request.context(), request.exten(), Optional.empty());
        reservation.attach(channel);
        channel.ended().thenRun(reservation::release);
        channel.setState(ChannelState.RINGING);
        switch (reservation.decision()) {
            case Endpoint.Decision.Answer answer when answer.after().compareTo(request.timeout()) < 0 ->
                    channel.schedule(answer.after(), () -> {
                        channel.answer();
                        reservation.inUse();
                        result.complete(new Result(true, 4, channel.name(), channel.uniqueid()));
                        channel.schedule(answer.talk(), () -> channel.hangup(HangupCause.NORMAL_CLEARING));
                        // Originate's Variable: headers are set on the channel before it runs the context.
                        request.variables().forEach(channel::setVariable);
                        runFirstHalf(pbx, channel, request);
                    });
            default -> channel.schedule(request.timeout(), () -> {
                channel.hangup(HangupCause.NO_ANSWER);
                result.complete(new Result(false, 3, request.channel(), "<null>"));
            });
        }
    }

    /** The originated channel, once up, runs the application, or the given context. */
    private static void runFirstHalf(Pbx pbx, SimChannel channel, Request request) {
        if (request.application().isEmpty()) {
            channel.setLocation(request.context(), request.exten(), request.priority());
            pbx.runDialplan(channel);
            return;
        }
        String app = request.application().get();
        channel.setApplication(app, request.data());
        channel.own(channel::release);
        if (app.equalsIgnoreCase("Wait")) {
            double seconds;
            try {
                seconds = Double.parseDouble(request.data().split(",")[0].trim());
            } catch (NumberFormatException e) {
                seconds = 0;
            }
            channel.schedule(Duration.ofMillis((long) (seconds * 1000)), () -> channel.hangup(
                    HangupCause.NORMAL_CLEARING));
        }
    }
}
