package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.ami.AmiConnection;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import java.util.List;

/**
 * The routing core's decisions, on the ACD loop thread: agent states, admissions, exits, and offers — handed to the waiting session through an AMI redirect, or for it to dial itself.
 */
final class Dispatcher extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    Dispatcher(AcdContext ctx) {
        super(ctx);
    }

    void onDecisions(List<Decision> decisions) {
        for (Decision d : decisions) {
            dev.hotline.outbound.Outbound ob = ctx.outbound;
            if (ob != null && ob.claims(d)) {
                continue;
            }
            switch (d) {
                case Decision.Offer o -> offer(o);
                case Decision.AgentStateChanged c -> {
                    agentStates.put(c.change().agentId(), c.change().to());
                    AcdContext.tell(ctx.agentListeners, c.change(), java.util.function.Consumer::accept, "agent");
                }
                case Decision.CallQueued q -> calls.get(q.callId()).ifPresent(call -> admitted(call, q));
                case Decision.QueueFull f -> calls.get(f.callId()).ifPresent(call -> call.admission.complete(f));
                case Decision.CallAnswered a -> {
                    // Not looked up in the registry: a call whose Dial returned at once may have ended already.
                    if (!ownedByCallbacks(a.callId())) {
                        emit(new CallEvent.Answered(a.callId(), clock.instant(), a.queue(), a.agentId(), a.waited()));
                    }
                }
                case Decision.MaxWaitReached m -> exit(m.callId(), m);
                case Decision.ExitedQueue x -> exit(x.callId(), x);
                case Decision.CallLeft left when ownedByCallbacks(left.callId()) -> ctx.callbacks.lostFromCore(left.callId());
                case Decision.CommandRejected r when r.command() instanceof Command.Enqueue e && e.callback()
                        && ownedByCallbacks(e.call().id()) -> ctx.callbacks.enqueueRefused(e.call().id(), r.reason());
                case Decision.CommandRejected r when r.command() instanceof Command.Enqueue e
                        && calls.get(e.call().id()).orElse(null) instanceof ActiveCall call -> {
                    log.warn("ACD: routing core refused {}: {}", r.command(), r.reason());
                    call.admission.complete(r);   // e.g. the queue was disabled meanwhile: the caller gets its treatment
                }
                case Decision.CommandRejected r when r.command() instanceof Command.OfferAnswered a
                        && !ctx.ownedElsewhere(a.callId()) -> {
                    // The agent talks, but routing no longer offered the call to them (it was taken back meanwhile):
                    // it must not keep the call, or offer it to an agent nobody would ever release.
                    log.warn("ACD: routing core refused {}: {}; the call leaves routing", r.command(), r.reason());
                    loop.post(new Command.Leave(a.callId(), "answered by agent " + a.agentId()
                            + ", to whom routing no longer offered it"));
                }
                case Decision.CommandRejected r -> log.warn("ACD: routing core refused {}: {}", r.command(), r.reason());
                case Decision.CallReprioritised r -> routed(r);
                case Decision.ProfileChanged r -> routed(r);
                default -> { }
            }
        }
    }

    void routed(Decision d) {
        AcdContext.tell(ctx.routingListeners, d, java.util.function.Consumer::accept, "routing");
    }

    void exit(String callId, Decision d) {
        if (ownedByCallbacks(callId)) {
            ctx.callbacks.lostFromCore(callId);
            return;
        }
        calls.get(callId).ifPresent(call -> call.exit = d);
    }

    /**
     * On the loop: the core took the call in (queued, or offered at once). {@code Queued} is emitted here, on the
     * loop, so that listeners always see it before the {@code Offered} that may follow in the same batch.
     */
    void admitted(ActiveCall call, Decision d) {
        if (call.admission.complete(d)) {
            emit(new CallEvent.Queued(call.id, call.joined, call.queue.name(), call.caller, call.uniqueId,
                    call.channel, call.data));
        }
    }

    /** On the loop: hand the offer to the waiting session, through an AMI redirect if it is blocked in a wait. */
    void offer(Decision.Offer o) {
        if (ownedByCallbacks(o.callId())) {
            ctx.callbacks.offered(o);
            return;
        }
        ActiveCall call = calls.get(o.callId()).orElse(null);
        if (call == null) {
            // The call ended meanwhile (its end posted Leave, which the core applies after this offer): the agent is
            // freed by that Leave, so nothing rings for a call Hotline no longer holds.
            log.info("ACD: offer of ended call {} to agent {} dropped", o.callId(), o.agentId());
            return;
        }
        call.offeredAt = clock.instant();
        boolean onEntry = !call.admission.isDone();
        call.offeredOnEntry = onEntry;
        call.offer = o;
        calls.assign(o.agentId(), call);
        // A session waiting, or playing an announcement, is interrupted by the redirect: both return -1 at once.
        // A session not blocked (e.g. just admitted) dials at its next look, in the same session.
        boolean redirect = call.redirect();
        if (!redirect) {
            call.offered();
        }
        // An agent was free at once: the core offers without queueing. The admission completes only now, with the
        // offer in place, so the entering session dials at once instead of starting hold music (and needing a
        // redirect). Queued is still emitted before Offered.
        admitted(call, o);
        call.offerMade.complete(null);
        if (!redirect) {
            emit(new CallEvent.Offered(o.callId(), clock.instant(), o.queue(), o.agentId(), o.explanation().toString()));
            return;
        }
        AmiConnection server = ami.get(call.server);
        // The redirect goes out before the listeners hear of the offer (they take time on this thread); its failure
        // is handled after they did, so Offered always comes before RedirectFailed.
        java.util.concurrent.CompletableFuture<Void> sent = server == null ? null
                : server.redirect(call.channel, config.connectContext(), call.id);
        emit(new CallEvent.Offered(o.callId(), clock.instant(), o.queue(), o.agentId(), o.explanation().toString()));
        if (sent == null) {
            redirectFailed(call, "no AMI connection configured for server '" + call.server + "'");
            return;
        }
        ctx.redirects.increment();
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                redirectFailed(call, error.getMessage());
            }
        });
    }

    void redirectFailed(ActiveCall call, String reason) {
        ctx.redirectFailures.increment();
        if (call.redirectFailed()) {
            call.wake();   // the session dials by itself, now rather than when its wait ends
        }
        log.warn("ACD call {}: redirect failed ({}); the waiting session will dial at its next wake-up", call.id,
                reason);
        emit(new CallEvent.RedirectFailed(call.id, clock.instant(), reason));
    }
}
