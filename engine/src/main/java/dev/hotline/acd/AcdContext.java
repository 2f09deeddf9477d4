package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.events.CallEventListener;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.StateChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the parts of the ACD share: settings, clock, loop, the {@link CallRegistry}, the live definitions' maps, the
 * agents' states as the routing core last decided them, the listeners, the services plugged in after start, the
 * meters — and the parts themselves, so one can hand a call to another (the waiting session to the connect session,
 * a treatment back to the queue entry). Also the few steps every part takes the same way: emitting an event,
 * abandoning a call, ending one no session will finish.
 */
final class AcdContext {

    private static final Logger log = LoggerFactory.getLogger(AcdContext.class);

    final AcdConfig config;
    final InstantSource clock;
    final Map<String, AmiConnection> ami;
    final CallRegistry calls = new CallRegistry();
    /** Changed live by the directory (see {@link LiveDefinitions}); read from any thread. */
    final Map<String, QueueConfig> queues = new ConcurrentSkipListMap<>();
    final Map<String, AgentConfig> agents = new ConcurrentSkipListMap<>();
    final Set<String> disabledQueues = ConcurrentHashMap.newKeySet();
    final Set<String> disabledAgents = ConcurrentHashMap.newKeySet();
    final Map<String, List<String>> agentsByEndpoint = new ConcurrentHashMap<>();
    final Map<String, AgentState> agentStates = new ConcurrentHashMap<>();
    /** Agents Hotline made not ready because their phone is unreachable. */
    final Set<String> unavailableByDevice = ConcurrentHashMap.newKeySet();
    final List<CallEventListener> listeners = new CopyOnWriteArrayList<>();
    final List<Consumer<StateChange>> agentListeners = new CopyOnWriteArrayList<>();
    final List<Consumer<Decision>> routingListeners = new CopyOnWriteArrayList<>();
    /** Other holders of calls the ACD's registry does not hold (the handoff's reconciler: adopted calls). */
    final List<java.util.function.Predicate<String>> heldElsewhere = new CopyOnWriteArrayList<>();
    final Counter redirects;
    final Counter redirectFailures;
    final Counter callbackOffers;
    final Counter recordingFailures;
    final Timer dispatch;
    /** From the queue node to Dial sent, for a caller offered a free agent on entry (dialled in the same session). */
    final Timer entryDispatch;

    volatile CallRecorder recorder;
    volatile java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> surveyCatalog;
    volatile dev.hotline.ivr.runtime.IvrInterpreter surveyInterpreter;
    volatile dev.hotline.callbacks.Callbacks callbacks;
    /** The outbound dialler, if running: it claims the decisions about its own calls (docs/OUTBOUND.md). */
    volatile dev.hotline.outbound.Outbound outbound;
    volatile dev.hotline.qa.RecordingHook recordingHook = dev.hotline.qa.RecordingHook.QUEUE_FLAG;

    // Set once by Acd's constructor, before anything runs.
    AcdLoop loop;
    LiveDefinitions definitions;
    Dispatcher dispatcher;
    CallControl control;
    AmiReactions amiReactions;
    QueueEntry entry;
    WaitingSession waiting;
    CallbackDialogue dialogue;
    ConnectSession connect;

    AcdContext(AcdConfig config, Map<String, AmiConnection> ami, InstantSource clock, MeterRegistry registry) {
        this.config = config;
        this.ami = Map.copyOf(ami);
        this.clock = clock;
        this.redirects = Counter.builder("hotline.acd.redirects").description("Waiting callers redirected to an agent")
                .register(registry);
        this.redirectFailures = Counter.builder("hotline.acd.redirect.failures")
                .description("Redirects that failed (the waiting session dialled by itself)").register(registry);
        this.callbackOffers = Counter.builder("hotline.acd.callback.offers")
                .description("Callback offers played to callers with a long estimated wait").register(registry);
        this.recordingFailures = Counter.builder("hotline.acd.recording.failures")
                .description("Recordings that could not start (MixMonitor refused); the calls went on").register(registry);
        this.dispatch = Timer.builder("hotline.acd.dispatch").description("From the offer to Dial sent")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.entryDispatch = Timer.builder("hotline.acd.dispatch.entry")
                .description("From the queue node to Dial sent, for a caller with a free agent")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.95, 0.99).register(registry);
        io.micrometer.core.instrument.Gauge.builder("hotline.acd.calls.active", calls, CallRegistry::size)
                .description("Calls in queue or connected").register(registry);
    }

    void emit(CallEvent e) {
        tell(listeners, e, CallEventListener::on, "call event");
    }

    /** Hands {@code event} to every listener; one that throws is logged and the others still hear it. */
    static <L, T> void tell(Iterable<L> to, T event, BiConsumer<L, T> call, String kind) {
        for (L l : to) {
            try {
                call.accept(l, event);
            } catch (RuntimeException e) {
                log.warn("{} listener failed on {}: {}", kind, event, e.toString());
            }
        }
    }

    boolean ownedByCallbacks(String callId) {
        dev.hotline.callbacks.Callbacks cb = callbacks;
        return cb != null && cb.owns(callId);
    }

    /** Call ids held outside the ACD's registry: callbacks, outbound attempts, and those named here (handoff). */
    boolean ownedElsewhere(String callId) {
        dev.hotline.outbound.Outbound ob = outbound;
        return ownedByCallbacks(callId) || ob != null && ob.owns(callId)
                || heldElsewhere.stream().anyMatch(held -> held.test(callId));
    }

    /**
     * The caller left before an agent answered: the call leaves routing (freeing an agent reserved for it) and is
     * recorded as abandoned, once. Connected calls end through {@link #endInRouting}, not here. Atomic with
     * {@link #answered} (both hold the call's lock), so an answer AMI reports at the same moment either comes first
     * (and this does nothing) or is not made at all.
     */
    void abandon(ActiveCall call, String reason) {
        synchronized (call) {
            if (call.answered) {
                return;
            }
            if (!call.done) {
                call.done = true;
                loop.post(new Command.Leave(call.id, reason));
                emit(new CallEvent.Abandoned(call.id, clock.instant(), call.queue.name(),
                        Duration.between(call.joined, clock.instant())));
            }
        }
    }

    /**
     * The offered agent answered (AMI's DialEnd, or Dial's return, whichever comes first): the call is connected and
     * the routing core hears it once — unless the call was abandoned first.
     */
    void answered(ActiveCall call) {
        synchronized (call) {
            Decision.Offer o = call.dialled != null ? call.dialled : call.offer;
            if (o != null && !call.done && call.connect()) {
                call.answeredAt = clock.instant();
                call.answered = true;
                loop.post(new Command.OfferAnswered(call.id, o.agentId()));
            }
        }
    }

    /**
     * Whatever routing still holds for the call is released, once: an answered call's agent leg ends (the agent goes
     * to wrap-up by the queue's rules, the call is recorded as ended with {@code hungUpFirst}); a call not answered
     * leaves routing as abandoned (the agent reserved for it is ready again, without a missed-ring pause: their phone
     * did not fail). Every path that ends a call without its normal end (a lost FastAGI connection, a channel gone
     * from Asterisk, the engine stopping) comes through here.
     */
    void endInRouting(ActiveCall call, String reason, String hungUpFirst) {
        synchronized (call) {
            Decision.Offer offer = call.dialled != null ? call.dialled : call.offer;
            if (call.answered && offer != null) {
                if (call.agentLegClosed.compareAndSet(false, true)) {
                    releaseAgent(call, offer.agentId());   // once, unless AMI's hang-up of the agent's leg did
                    Instant at = clock.instant();
                    emit(new CallEvent.Ended(call.id, at, offer.agentId(), hungUpFirst,
                            Duration.between(call.answeredAt == null ? at : call.answeredAt, at)));
                }
                call.done = true;
            } else {
                abandon(call, reason);
            }
        }
    }

    /**
     * The agent's part of the connected {@code call} is over: the routing core hears {@code CallEnded} (wrap-up, or
     * ready and the next caller) once, whoever notices first.
     */
    void releaseAgent(ActiveCall call, String agentId) {
        calls.release(agentId, call);
        if (call.agentReleased.compareAndSet(false, true)) {
            loop.post(new Command.CallEnded(agentId));
        }
    }

    /**
     * Ends a call no session will finish (its caller channel is gone from Asterisk, the engine stops), with what
     * happened on its record: abandoned if no agent had answered, else ended by "system".
     */
    void endAbruptly(ActiveCall call, String reason) {
        endInRouting(call, reason, "system");
        calls.end(call, reason);
        call.wake();
    }
}
