package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.events.CallEventListener;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrOutcomeHandler;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The call flow from IVR to agent: the glue between the FastAGI sessions of a call, the routing core (through
 * {@link AcdLoop}) and Asterisk (through AMI).
 *
 * <p>A call's life:
 * <ol>
 *   <li>The IVR ends with a {@code queue} outcome ({@link #handle}): the call gets an id (Asterisk's linkedid),
 *       joins the routing core and its session waits with music on hold: {@code WAIT FOR DIGIT} until the next
 *       announcement or known deadline — no polling. Position and estimated wait are announced every
 *       {@code acd.announce_interval}; a queue's exit keys end the wait.</li>
 *   <li>The core assigns an agent ({@code Offer}). The loop redirects the waiting channel over AMI into
 *       {@code acd.connect_context}; the pending {@code WAIT FOR DIGIT} returns {@code -1} at once and the session
 *       ends immediately (not waiting for the {@code HANGUP} line, which Asterisk's Nagle delays by ~40 ms), so
 *       Asterisk starts the {@code connect?call=ID} session within milliseconds.</li>
 *   <li>The connect session ({@link #connectScript()}) runs {@code EXEC Dial} to the agent's endpoint with the
 *       queue's ring timeout. AMI's {@code DialEnd ANSWER} marks the offer answered; when Dial returns the agent
 *       goes to wrap-up. No answer / busy / unavailable: the queue's ring-no-answer policy decides the agent's
 *       state and the call returns to the queue at its old position, waiting again in this session.</li>
 *   <li>If the redirect fails (AMI down, channel refused) the waiting session is woken and dials by itself; waiting
 *       sessions are also woken when AMI goes down or comes back. After every AMI (re)connect Asterisk's channels
 *       are listed and the calls whose channel is gone end ({@link AmiReactions}).</li>
 * </ol>
 * Synchronisation between the loop and a call's session thread is the call's {@link CallPhase}, changed only
 * through {@link ActiveCall}'s named transitions: the loop redirects only a session that is blocked in a wait, and
 * a session dials only an offer the loop did not hand to a redirect. Every call is held by one
 * {@link CallRegistry}, and {@link CallRegistry#end} is the one place it leaves.
 *
 * <p>This class is the ACD's face; each of its jobs is a part of its own, sharing one {@link AcdContext}:
 * {@link LiveDefinitions}, {@link QueueEntry}, {@link WaitingSession}, {@link CallbackDialogue},
 * {@link ConnectSession}, {@link Dispatcher} (the routing core's decisions), {@link AmiReactions},
 * {@link CallControl} (the gateway's transfers, hang-ups, listen/whisper/barge) and {@link CallWatch} (invariants).
 */
public final class Acd implements IvrOutcomeHandler, dev.hotline.handoff.ResumeScript.Queues,
        dev.hotline.handoff.Reconciler.Agents, dev.hotline.handoff.AgentRestore.Agents,
        dev.hotline.handoff.TakeoverHolds.Agents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Acd.class);

    private final AcdContext ctx;
    private final CallWatch watch;

    public Acd(AcdConfig config, List<QueueConfig> queueConfigs, List<AgentConfig> agentConfigs,
               Map<String, AmiConnection> ami, InstantSource clock, MeterRegistry registry) {
        this.ctx = new AcdContext(config, ami, clock, registry);
        queueConfigs.forEach(q -> ctx.queues.put(q.name(), q));
        agentConfigs.forEach(a -> {
            ctx.agents.put(a.id(), a);
            a.endpoints().forEach(e -> ctx.agentsByEndpoint.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>())
                    .add(a.id()));
        });
        ctx.loop = new AcdLoop(clock, decisions -> ctx.dispatcher.onDecisions(decisions));
        ctx.definitions = new LiveDefinitions(ctx, queueConfigs.stream().map(QueueConfig::name).toList());
        ctx.dispatcher = new Dispatcher(ctx);
        ctx.control = new CallControl(ctx);
        ctx.amiReactions = new AmiReactions(ctx);
        ctx.entry = new QueueEntry(ctx);
        ctx.waiting = new WaitingSession(ctx);
        ctx.dialogue = new CallbackDialogue(ctx);
        ctx.connect = new ConnectSession(ctx);
        this.watch = new CallWatch(ctx.calls, this::agentStates, ctx::ownedElsewhere, ctx.loop, registry);
    }

    /** Starts the loop and defines every queue and agent in the routing core. */
    public Acd start() {
        ctx.loop.start();
        watch.start();
        for (QueueConfig q : ctx.definitions.definitionOrder()) {
            ctx.loop.post(new Command.DefineQueue(ctx.definitions.spec(q)));
        }
        for (AgentConfig a : ctx.agents.values()) {
            ctx.loop.post(new Command.DefineAgent(a.toAgent()));
        }
        return this;
    }

    // ------------------------------------------------------------------------------------------ live directory

    /**
     * Adds or redefines a queue live (the directory's change, already validated and stored): the routing core
     * applies it at once to the calls waiting there. {@code disabled}: known but admitting no new calls.
     */
    public void defineQueue(QueueConfig queue, boolean disabled) {
        ctx.definitions.defineQueue(queue, disabled);
    }

    /** Disables a queue: new callers get its timeout treatment; the calls waiting are still served. */
    public void disableQueue(String name, String by) {
        ctx.definitions.disableQueue(name, by);
    }

    /**
     * Adds or redefines an agent live: a ready agent is matched at once with the calls their new skills and
     * queues qualify them for; a call in progress stays. {@code disabled}: known but logged out and unable to log in.
     */
    public void defineAgent(AgentConfig agent, boolean disabled) {
        ctx.definitions.defineAgent(agent, disabled);
    }

    /** Disables an agent: logged out now (or when the call in progress is done); no login until enabled. */
    public void disableAgent(String agentId, String by) {
        ctx.definitions.disableAgent(agentId, by);
    }

    public Set<String> disabledAgents() {
        return Set.copyOf(ctx.disabledAgents);
    }

    public Set<String> disabledQueues() {
        return Set.copyOf(ctx.disabledQueues);
    }

    /** The queues as now defined, by name. */
    public Map<String, QueueConfig> queueConfigs() {
        return java.util.Collections.unmodifiableMap(ctx.queues);
    }

    /**
     * A supervisor's new priority for a waiting call; completes with {@link Decision.CallReprioritised} or the
     * routing core's {@link Decision.CommandRejected} (unknown call, not waiting).
     */
    public java.util.concurrent.CompletableFuture<Decision> reprioritise(String callId, int priority, String by) {
        return reprioritise(callId, priority, by, Optional.empty());
    }

    /**
     * As {@link #reprioritise(String, int, String)}, only for a call waiting in one of {@code onlyIn} (when present)
     * at the moment the core applies it — an escalation move due meanwhile included — or it is rejected.
     */
    public java.util.concurrent.CompletableFuture<Decision> reprioritise(String callId, int priority, String by,
                                                                         Optional<Set<String>> onlyIn) {
        Command c = new Command.Reprioritise(callId, priority, by, onlyIn);
        return ctx.loop.submit(c).thenApply(out -> out.stream()
                .filter(d -> d instanceof Decision.CallReprioritised done && done.callId().equals(callId)
                        || d instanceof Decision.CommandRejected refused && refused.command() == c)
                .findFirst().orElseThrow(() -> new IllegalStateException("the routing core did not answer " + c)));
    }

    /** Every waiting call with its queue, priority and position, as the routing core has them now. */
    public java.util.concurrent.CompletableFuture<List<dev.hotline.routing.RoutingCore.WaitingCall>> waitingCalls() {
        return ctx.loop.ask(dev.hotline.routing.RoutingCore::waiting);
    }

    /** What the routing core's blending rule says now about outbound queue {@code queue} (the dialler asks). */
    public java.util.concurrent.CompletableFuture<dev.hotline.routing.RoutingCore.OutboundVerdict> outboundVerdict(
            String queue) {
        return ctx.loop.ask(core -> core.outbound(queue));
    }

    /** The ctx.queues an agent counts for now (explicit membership and skills), as the routing core has them. */
    public java.util.concurrent.CompletableFuture<List<String>> queuesOf(String agentId) {
        return ctx.loop.ask(core -> core.queuesOf(agentId));
    }

    /**
     * Receives the routing core's reports of live changes ({@link Decision.CallReprioritised},
     * {@link Decision.ProfileChanged}) on the ACD loop thread: be quick, never block.
     */
    public void addRoutingListener(java.util.function.Consumer<Decision> listener) {
        ctx.routingListeners.add(listener);
    }

    /** Routes ctx.callbacks through {@code service} from now on (the callback exit key works only with one). */
    public void callbacks(dev.hotline.callbacks.Callbacks service) {
        ctx.callbacks = service;
    }

    /** Hands the routing core's decisions about outbound calls to {@code dialler} from now on. */
    public void outbound(dev.hotline.outbound.Outbound dialler) {
        ctx.outbound = dialler;
    }

    /** What {@link dev.hotline.callbacks.Callbacks} needs from the ACD. */
    public dev.hotline.callbacks.Callbacks.Port callbackPort() {
        return new dev.hotline.callbacks.Callbacks.Port() {
            @Override
            public void post(Command command) {
                ctx.loop.post(command);
            }

            @Override
            public Optional<String> endpointOf(String agentId) {
                AgentConfig a = ctx.agents.get(agentId);
                return a == null || a.endpoints().isEmpty() ? Optional.empty() : Optional.of(a.endpoints().get(0));
            }

            @Override
            public Duration ringTimeout(String queue) {
                QueueConfig q = ctx.queues.get(queue);
                return q == null ? Duration.ofSeconds(20) : q.ringTimeout();
            }

            @Override
            public Optional<AmiConnection> ami() {
                return ctx.ami.values().stream().findFirst();
            }

            @Override
            public void emit(CallEvent event) {
                ctx.emit(event);
            }

            @Override
            public boolean loggedIn(String agentId) {
                AgentState s = ctx.agentStates.get(agentId);
                return s != null && !(s instanceof AgentState.LoggedOut);
            }
        };
    }

    public void addListener(CallEventListener listener) {
        ctx.listeners.add(listener);
    }

    /** Receives every agent state transition (on the ACD loop thread: be quick, never block). */
    public void addAgentListener(java.util.function.Consumer<dev.hotline.routing.StateChange> listener) {
        ctx.agentListeners.add(listener);
    }

    /**
     * Lets {@code acd.survey_script} run after calls: when the agent hangs up first, the caller (still up, thanks to
     * Dial's {@code g}) hears the survey script, and the answers go on the call record.
     */
    public void enableSurvey(java.util.function.Supplier<dev.hotline.ivr.runtime.IvrCatalog> catalog,
                             dev.hotline.ivr.runtime.IvrInterpreter interpreter) {
        ctx.surveyCatalog = catalog;
        ctx.surveyInterpreter = interpreter;
    }

    /** Records every call and agent transition through {@code ctx.recorder} from now on. */
    public void record(CallRecorder callRecorder) {
        ctx.recorder = callRecorder;
        ctx.listeners.add(callRecorder);
        ctx.agentListeners.add(callRecorder::agentState);
    }

    public void login(String agentId) {
        ctx.loop.post(new Command.LogIn(agentId));
    }

    public void ready(String agentId) {
        ctx.loop.post(new Command.SetReady(agentId));
    }

    public void notReady(String agentId, String reason) {
        ctx.loop.post(new Command.SetNotReady(agentId, reason));
    }

    public void logout(String agentId) {
        ctx.loop.post(new Command.LogOut(agentId));
    }

    public void endWrapUp(String agentId) {
        ctx.loop.post(new Command.EndWrapUp(agentId));
    }

    /** Logs every enabled agent in and makes them ready (the demo's shift start). */
    public void loginAllReady() {
        for (String id : ctx.agents.keySet()) {
            if (ctx.disabledAgents.contains(id)) {
                continue;
            }
            ctx.loop.post(new Command.LogIn(id));
            if (!ctx.unavailableByDevice.contains(id)) {
                ctx.loop.post(new Command.SetReady(id));
            }
        }
    }

    /** Every agent's current state, as last decided by the routing core. */
    public Map<String, AgentState> agentStates() {
        return Map.copyOf(ctx.agentStates);
    }

    public int activeCalls() {
        return ctx.calls.size();
    }

    /** The invariants as last checked (every {@link CallWatch#EVERY}); see {@link Invariants}. */
    public Invariants invariants() {
        return watch.last();
    }

    /** Checks the invariants now (a violation counts once two checks in a row see it). */
    public Invariants checkInvariants() {
        return watch.check();
    }

    /**
     * How many times the invariant watch had to release an agent or remove a waiting call because no other path
     * ended them (metric {@code hotline_acd_watch_repairs_total}); 0 when every call ended where it should.
     */
    public long watchRepairs() {
        return watch.repairs();
    }

    /** The ctx.agents as now defined (disabled ones included, see {@link #disabledAgents()}), by work number. */
    public Map<String, AgentConfig> agents() {
        return java.util.Collections.unmodifiableMap(ctx.agents);
    }

    /** What a supervisor's phone does on an agent's call. */
    public enum SpyMode { LISTEN, WHISPER, BARGE }

    /**
     * The call {@code agentId} is connected to, for acting on its recording: the call's id and current queue, the
     * caller's channel (where MixMonitor runs) and the AMI connection that owns it.
     */
    public record LiveCall(String callId, String queue, String channel, AmiConnection ami) {
    }

    /** Decides, when an agent is dialled, whether the call is recorded and into which file (the QA service's). */
    public void recordingHook(dev.hotline.qa.RecordingHook hook) {
        ctx.recordingHook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** The agent's disposition code and notes for their last call; false if they have had no call yet. */
    public boolean disposition(String agentId, String code, String notes) {
        CallRecorder r = ctx.recorder;
        return r != null && r.disposition(agentId, code, notes);
    }

    // ------------------------------------------------------------------------------------------ call control

    /**
     * Blind transfer: the caller connected to {@code agentId} is redirected to {@code acd.transfer_context,target,1}
     * (an extension, a number, or anything that context dials), or with {@code queue:NAME} into that queue, keeping
     * the call's id and record; the agent's leg ends and goes to wrap-up.
     */
    public java.util.concurrent.CompletableFuture<Void> transfer(String agentId, String target) {
        return ctx.control.transfer(agentId, target);
    }

    /** Attended transfer through Asterisk's {@code Atxfer} on the agent's leg (see {@link CallControl}). */
    public java.util.concurrent.CompletableFuture<Void> transferAttended(String agentId, String target) {
        return ctx.control.transferAttended(agentId, target);
    }

    /** Ends the call {@code agentId} is on (the agent hung up from the desktop). */
    public java.util.concurrent.CompletableFuture<Void> hangup(String agentId) {
        return ctx.control.hangup(agentId);
    }

    /**
     * Listen, whisper or barge: originates {@code supervisorEndpoint} into {@code acd.spy_context,<mode>,1} with
     * {@code SPY_TARGET} set to the agent's endpoint, where the dialplan runs {@code ChanSpy}.
     */
    public java.util.concurrent.CompletableFuture<AmiEvent.OriginateResult> spy(String supervisorEndpoint,
                                                                                String agentId, SpyMode mode) {
        return ctx.control.spy(supervisorEndpoint, agentId, mode);
    }

    /** The call {@code agentId} is connected to now, if any (see {@link LiveCall}). */
    public Optional<LiveCall> liveCall(String agentId) {
        return ctx.control.liveCall(agentId);
    }

    // ------------------------------------------------------------------------------------------ calls

    /** Called on asterisk-java's thread: translate and hand over, never block. */
    public void onAmiEvent(AmiEvent event) {
        ctx.amiReactions.onAmiEvent(event);
    }

    @Override
    public void handle(IvrCallResult result, AgiSession session) throws Exception {
        ctx.entry.handle(result, session);
    }

    /** Joins {@code queue} and serves the call until it is connected, abandoned or leaves the queue. */
    /**
     * A waiting caller taken back after an engine failure ({@code resume} script): the same call id, queue,
     * priority and join time, so the caller keeps their waited time and their order; the record continues.
     */
    @Override
    public void resume(AgiSession session, dev.hotline.handoff.QueuePlace place) {
        ctx.entry.resume(session, place);
    }

    /**
     * An agent talking on a call a stopped engine connected (the handoff's reconciler follows it): on call for
     * routing, offered nothing, until {@link #adoptedEnded}.
     */
    @Override
    public void adopt(String agentId, String callId, String queue, java.time.Instant answeredAt) {
        // A takeover's restore made a talking agent not ready for this very call: ready again after it.
        ctx.loop.post(new Command.AdoptCall(agentId, callId, queue, answeredAt,
                Optional.of(dev.hotline.handoff.AgentRestore.ON_CALL_REASON)));
    }

    /** The adopted call ended: the agent is released by the queue's rules, if still on it. */
    @Override
    public void adoptedEnded(String agentId, String callId) {
        ctx.loop.post(new Command.AdoptedCallEnded(agentId, callId));
    }

    /** Calls {@code held} says someone else holds: the invariant watch leaves their agents alone. */
    @Override
    public void heldElsewhere(java.util.function.Predicate<String> held) {
        ctx.heldElsewhere.add(held);
    }

    /** True while {@code callId} is one of this engine's calls (waiting, ringing or connected). */
    public boolean knows(String callId) {
        return ctx.calls.get(callId).isPresent();
    }

    public void join(AgiSession session, QueueConfig queue, Map<String, Integer> skills, OptionalInt priority,
                     String language, Map<String, String> data) {
        ctx.entry.join(session, queue, skills, priority, language, data);
    }

    /** {@code agi://hotline/connect?call=ID}: the session Asterisk starts after the redirect. */
    public AgiScript connectScript() {
        return ctx.connect.connectScript();
    }

    /**
     * Ends every call still held, recorded as what it was: one waiting or ringing is abandoned, a connected one ends
     * ("system"). At shutdown (calls whose sessions the shutdown cut without finishing them), and by the demo before
     * its closing table, so the table and {@code hotline report} count the same calls. Returns how many ended.
     */
    public int endHeldCalls(String reason) {
        List<ActiveCall> left = List.copyOf(ctx.calls.all());
        left.forEach(call -> ctx.endAbruptly(call, reason));
        if (!left.isEmpty()) {
            log.info("ACD: {} calls still held ended ({}): {}", left.size(), reason,
                    left.stream().map(c -> c.id).toList());
        }
        return left.size();
    }

    @Override
    public void close() {
        watch.close();
        endHeldCalls("engine stopped");
        ctx.loop.close();
    }
}
