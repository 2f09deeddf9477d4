package dev.hotline.routing;

import dev.hotline.routing.AgentState.LoggedOut;
import dev.hotline.routing.AgentState.NotReady;
import dev.hotline.routing.AgentState.OnCall;
import dev.hotline.routing.AgentState.Ready;
import dev.hotline.routing.AgentState.Reserved;
import dev.hotline.routing.AgentState.WrapUp;
import dev.hotline.routing.Decision.AgentStateChanged;
import dev.hotline.routing.ReadyIndex.Ordering;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The ACD routing core: agents, queues and waiting calls in memory, driven by {@link Command}s on one thread,
 * answering with {@link Decision}s. No I/O, no locks, no threads of its own; time comes from an injected
 * {@link InstantSource}, so tests and the simulator run it at any speed.
 *
 * <h2>Driving it</h2>
 * The owner thread drains an event queue and calls {@link #handle(Command)} for each event, acting on the decisions
 * it returns (ring an agent, announce a callback, send the caller to voicemail, log a state change). Between events
 * it sleeps until {@link #nextDeadline()} (or the next event, whichever comes first) and then calls {@link #tick()}.
 * {@code handle} fires any deadline already due before applying its command, so the order of events is the order of
 * time. Nothing polls per call: each call and each agent holds at most one deadline in one sorted set.
 *
 * <h2>Invariant and dispatch</h2>
 * Between commands, no ready agent is eligible for any waiting call. So there are only two moments to match:
 * <ul>
 * <li><b>A call arrives</b> (or its eligibility widens by escalation, or it goes back after an unanswered offer):
 * its queue's strategy scans a {@link ReadyIndex} — the ready agents holding one skill, kept in a {@link TreeSet}
 * per sort order in use (longest ready; level then longest ready; calls today, talk today, then longest ready;
 * registration order). It scans the smallest index among the call's required skills, in strategy order, and
 * takes the first agent who is eligible (every required skill at its minimum level, the caller's language, the
 * preferred agent while the preference lasts). Escalation alternatives scan their skill's index too and the best
 * by the same order wins. Typically the first agent scanned fits: O(log agents).</li>
 * <li><b>An agent becomes ready</b>: each queue the agent can serve (precomputed from their skills) keeps its
 * waiting calls in a {@link TreeSet} ordered by priority (higher first) then original enqueue time. For each queue
 * the first eligible call is a candidate (usually its head); among candidates the highest priority wins, then the
 * highest <em>service-level risk</em>, {@code risk = waited / threshold} where {@code waited} counts from when the
 * call first joined a queue and {@code threshold} is its queue's service-level time (1.0 means the call is at the
 * threshold now). Risk puts a 25 s call in a 20 s queue (1.25) ahead of a 50 s call in a 60 s queue (0.83): the
 * call whose queue's promise is most nearly broken goes first, and a call that missed it keeps gaining, so nothing
 * starves. Cost: O(queues of the agent × log calls).</li>
 * </ul>
 * Every offer carries an {@link Explanation}: the rule, the pool size, how many candidates were looked at, and the
 * winner's and runners-up's scores.
 *
 * <h2>Blending inbound and outbound work</h2>
 * Queues named by {@link Command.SetBlending} carry outbound work (the dialler's campaigns); the others are inbound.
 * Unless the {@link BlendRule} is {@code priority}, an agent who becomes ready takes an inbound call before any
 * outbound one, and an outbound call is eligible only for an agent the rule lets through now: every inbound queue
 * the agent serves meets its service level over the rule's rolling window (finished visits counted here, as they
 * finish) and has no caller waiting past its service-level time ({@code service-level}), or has no caller waiting at
 * all ({@code inbound-idle}). Because the rule depends on time and on other calls, the invariant above holds with
 * "eligible" read at the moment: whenever something may have opened the rule (a visit finished, a new
 * {@code SetBlending}, which the dialler sends every second), the outbound calls waiting are matched again. Offers
 * say what the rule decided ({@link Explanation#blending()}); {@link #outbound(String)} answers the dialler.
 *
 * <h2>Offers, requeues and escalation</h2>
 * An offer reserves the agent and arms the call's ring deadline. Unanswered or rejected offers put the agent not
 * ready (with the queue's configured reason) and the call back at the head of its priority band: its sort key
 * becomes one nanosecond less than the head's, while its enqueue time (and so its reported wait, risk and
 * escalation clock) is unchanged. Escalation steps are data evaluated when the call's deadline fires; priority
 * changes and moves re-insert the call under its original enqueue time, so it keeps its place by wait.
 *
 * <h2>Live changes</h2>
 * Profiles and queues change while calls wait ({@link Command.DefineAgent} of a known agent,
 * {@link Command.DefineQueue} of a known queue, {@link Command.DisableAgent}, {@link Command.DisableQueue}) and the
 * invariant above is restored in the same command: a ready agent whose profile changed is matched like an agent
 * becoming ready; every call waiting in a redefined queue is matched like a call arriving. An agent's queues are
 * those whose skills they hold, narrowed by the profile's explicit {@link Agent#queues()} membership when it is not
 * empty; {@code eligible} checks membership too, so the per-skill ready indexes need no per-queue copy. A
 * supervisor's {@link Command.Reprioritise} moves a waiting call to another priority band under its original enqueue
 * time (its place by wait there: a head place won by an unanswered offer belongs to the old band), so its waited time
 * and risk are unchanged; it does not change any agent's eligibility, so no matching is needed. A disabled agent in
 * wrap-up who asks for ready or not ready ends the wrap-up logged out, as the disabling promised.
 *
 * <h2>Position and estimated wait</h2>
 * Position is the rank in the queue's order (O(position), asked for at announcement time only). The estimate is
 * {@code position × mean handle time / staffed agents}: the n-th caller is served after about n agents free up,
 * and staffed agents free up at {@code staffed / handle time} per second. Mean handle time (talk + wrap-up) is an
 * exponentially weighted mean of the queue's calls, seeded by {@link QueueSpec#assumedHandleTime()}. Unlike
 * app_queue's {@code |hold average + 30 - waited|}, it grows with position and shrinks with staff.
 */
public final class RoutingCore {

    /** Weight of the newest call in the mean handle time. */
    private static final double HANDLE_TIME_WEIGHT = 0.1;
    /** Index key of the all-agents index used by queues that require no skill. */
    private static final String ANY = "";
    /** How many ranked candidates an explanation lists: the winner and two runners-up. */
    private static final int EXPLAINED = 3;

    private final InstantSource clock;
    private final Map<String, QueueSlot> queues = new HashMap<>();
    private final Map<String, AgentSlot> agents = new HashMap<>();
    private final Map<String, CallSlot> calls = new HashMap<>();
    private final Map<String, ReadyIndex> indexes = new HashMap<>();
    private final TreeSet<Timer> timers = new TreeSet<>();
    private long seq;
    private int nextOrdinal;
    private Instant now;
    private List<Decision> out = new ArrayList<>();
    /** How agents share inbound and outbound work ({@link Command.SetBlending}). */
    private BlendRule blendRule = BlendRule.DEFAULT;
    private java.util.Set<String> outboundQueues = java.util.Set.of();
    /** Something happened that may let the rule give waiting outbound calls to ready agents (see rematchOutbound). */
    private boolean outboundMayOpen;
    /**
     * While a pass over many agents runs (re-matching outbound calls, a verdict), each inbound queue's denial is
     * worked out once: nothing in such a pass changes an inbound queue. Null otherwise.
     */
    private Map<QueueSlot, Optional<String>> denials;

    public RoutingCore(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.now = clock.instant();
    }

    /**
     * Fires the deadlines due by the clock's time, then applies {@code command}, and returns what to do, in order.
     * Commands that do not fit the current state come back as {@link Decision.CommandRejected}; nothing throws for
     * them, since late and duplicate events are normal in telephony.
     */
    public List<Decision> handle(Command command) {
        Objects.requireNonNull(command, "command");
        out = new ArrayList<>(4);
        Instant t = clock.instant();
        fireTimers(t);
        advanceTo(t);
        apply(command);
        rematchOutboundIfOpened();
        return out;
    }

    /** Fires the deadlines due by the clock's time. */
    public List<Decision> tick() {
        out = new ArrayList<>(4);
        Instant t = clock.instant();
        fireTimers(t);
        advanceTo(t);
        rematchOutboundIfOpened();
        return out;
    }

    /** When {@link #tick()} next has something to do, if ever. */
    public Optional<Instant> nextDeadline() {
        return timers.isEmpty() ? Optional.empty() : Optional.of(timers.first().at());
    }

    // ---- queries ----

    /** A snapshot of one agent. */
    public record AgentView(Agent profile, AgentState state, Instant since, int callsToday, Duration talkToday) {
    }

    /** A snapshot of one queue. */
    public record QueueView(QueueSpec spec, int waiting, int staffed, Duration meanHandleTime) {
    }

    public Optional<AgentView> agent(String agentId) {
        AgentSlot a = agents.get(agentId);
        return a == null ? Optional.empty() : Optional.of(new AgentView(a.profile, a.state, a.since, a.callsToday,
                Duration.ofNanos(a.talkNanosToday)));
    }

    public Optional<QueueView> queue(String name) {
        QueueSlot q = queues.get(name);
        return q == null ? Optional.empty() : Optional.of(new QueueView(q.spec, q.waiting.size(), q.staffed,
                Duration.ofNanos((long) (q.handleSeconds * 1e9))));
    }

    /** The call's 1-based place in its queue, or empty if it is not waiting (unknown, or ringing an agent). */
    public OptionalInt position(String callId) {
        CallSlot c = calls.get(callId);
        return c == null || c.offeredTo != null ? OptionalInt.empty() : OptionalInt.of(position(c));
    }

    /** The position-aware wait estimate for a waiting call; empty when nobody staffs its queue. */
    public Optional<Duration> estimatedWait(String callId) {
        CallSlot c = calls.get(callId);
        return c == null || c.offeredTo != null ? Optional.empty() : estimatedWait(c);
    }

    /** The queue a waiting or ringing call is in now (escalation may have moved it). */
    public Optional<String> queueOf(String callId) {
        CallSlot c = calls.get(callId);
        return c == null ? Optional.empty() : Optional.of(c.queue.name);
    }

    /**
     * A waiting call as a supervisor sees it: where, at which priority and place, since when, and the same wait
     * estimate the caller hears ({@link #estimatedWait(String)}; empty when nobody staffs its queue).
     */
    public record WaitingCall(String callId, String queue, int priority, int position, Instant since,
                              boolean callback, Optional<Duration> estimatedWait) {
    }

    /** Every waiting call (not those ringing an agent), queue by queue in queue order. */
    public List<WaitingCall> waiting() {
        List<WaitingCall> list = new ArrayList<>();
        for (QueueSlot q : queues.values()) {
            int position = 0;
            for (CallSlot c : q.waiting) {
                position++;
                list.add(new WaitingCall(c.id(), q.name, c.priority, position, c.enqueuedAt, c.callback,
                        estimatedWait(q, position)));
            }
        }
        return list;
    }

    /** Whether the agent is disabled (empty if unknown). */
    public Optional<Boolean> agentDisabled(String agentId) {
        AgentSlot a = agents.get(agentId);
        return a == null ? Optional.empty() : Optional.of(a.disabled);
    }

    /** Whether the queue is disabled (empty if unknown). */
    public Optional<Boolean> queueDisabled(String name) {
        QueueSlot q = queues.get(name);
        return q == null ? Optional.empty() : Optional.of(q.disabled);
    }

    /** Names of the queues the agent counts for now (membership, skills and escalation alternatives). */
    public List<String> queuesOf(String agentId) {
        AgentSlot a = agents.get(agentId);
        return a == null ? List.of() : a.queues.stream().map(q -> q.name).sorted().toList();
    }

    /**
     * What the blending rule says now about outbound queue {@code queue}, for the dialler: {@code allowed} while every
     * inbound queue sharing its agents (agents logged in who serve both) passes the rule; {@code readyAgents}: the
     * ready agents serving it whom the rule lets take outbound work now (the core still decides agent by agent).
     */
    public record OutboundVerdict(String queue, boolean allowed, int readyAgents, String why) {
    }

    /**
     * See {@link OutboundVerdict}. Like every query, it reads the core at the time of its last command or tick (a
     * query fires no deadline): the dialler sends {@link Command.SetBlending} just before it asks.
     */
    public OutboundVerdict outbound(String queueName) {
        QueueSlot q = queues.get(queueName);
        if (q == null) {
            return new OutboundVerdict(queueName, false, 0, "unknown queue " + queueName);
        }
        denials = new HashMap<>();
        try {
            return verdict(q);
        } finally {
            denials = null;
        }
    }

    private OutboundVerdict verdict(QueueSlot q) {
        String queueName = q.name;
        boolean byPriority = blendRule.mode() == BlendRule.Mode.PRIORITY;
        java.util.Set<QueueSlot> shared = new java.util.HashSet<>();
        int ready = 0;
        for (AgentSlot a : agents.values()) {
            if (!a.queues.contains(q) || a.state instanceof LoggedOut) {
                continue;
            }
            for (QueueSlot other : a.queues) {
                if (!other.outbound && other != q) {
                    shared.add(other);
                }
            }
            if (a.state instanceof Ready && (a.skipUntil == null || !a.skipUntil.isAfter(now))
                    && (byPriority || outboundDenial(a) == null)) {
                ready++;
            }
        }
        if (byPriority) {
            return new OutboundVerdict(queueName, true, ready, "blending rule priority (calls compete by priority)");
        }
        List<QueueSlot> sorted = new ArrayList<>(shared);
        sorted.sort((x, y) -> x.name.compareTo(y.name));
        for (QueueSlot inbound : sorted) {
            String denial = inboundDenial(inbound);
            if (denial != null) {
                return new OutboundVerdict(queueName, false, ready, denial);
            }
        }
        return new OutboundVerdict(queueName, true, ready, sorted.isEmpty()
                ? "no inbound queue shares the agents of " + queueName : allowedWhy(sorted));
    }

    /** The blending rule in force. */
    public BlendRule blendRule() {
        return blendRule;
    }

    /** Calls waiting in all queues (not counting those ringing an agent). */
    public int waitingCalls() {
        int n = 0;
        for (QueueSlot q : queues.values()) {
            n += q.waiting.size();
        }
        return n;
    }

    // ---- commands ----

    private void apply(Command command) {
        switch (command) {
            case Command.DefineQueue c -> defineQueue(c);
            case Command.DefineAgent c -> defineAgent(c);
            case Command.LogIn c -> logIn(c);
            case Command.LogOut c -> logOut(c);
            case Command.SetReady c -> setReady(c);
            case Command.SetNotReady c -> setNotReady(c);
            case Command.EndWrapUp c -> endWrapUp(c);
            case Command.Enqueue c -> enqueue(c);
            case Command.KeepAsCallback c -> keepAsCallback(c);
            case Command.OfferAnswered c -> offerAnswered(c);
            case Command.OfferRinging c -> offerRinging(c);
            case Command.OfferRejected c -> offerRejected(c);
            case Command.CallEnded c -> callEnded(c);
            case Command.AdoptCall c -> adoptCall(c);
            case Command.AdoptedCallEnded c -> adoptedCallEnded(c);
            case Command.Leave c -> leave(c);
            case Command.Force c -> force(c);
            case Command.ResetDailyCounters c -> resetDailyCounters();
            case Command.Reprioritise c -> reprioritise(c);
            case Command.DisableAgent c -> disableAgent(c);
            case Command.DisableQueue c -> disableQueue(c);
            case Command.SetBlending c -> setBlending(c);
        }
    }

    private void reject(Command command, String reason) {
        out.add(new Decision.CommandRejected(command, reason));
    }

    private void defineQueue(Command.DefineQueue command) {
        QueueSpec spec = command.spec();
        QueueSlot existing = queues.get(spec.name());
        List<String> alternativeSkills = new ArrayList<>();
        for (EscalationStep step : spec.escalation()) {
            if (step instanceof EscalationStep.MoveToQueue m && !queues.containsKey(m.queue())) {
                reject(command, "queue " + spec.name() + " escalates to unknown queue " + m.queue()
                        + " (expected: a queue defined before it)");
                return;
            }
            if (step instanceof EscalationStep.AddSkill a && !alternativeSkills.contains(a.skill())) {
                alternativeSkills.add(a.skill());
            }
        }
        Ordering ordering = switch (spec.strategy().ranking()) {
            case Strategy.LongestIdle s -> Ordering.IDLE;
            case Strategy.MostSkilled s -> Ordering.SKILL;
            case Strategy.LeastOccupied s -> Ordering.OCCUPANCY;
            case Strategy.RoundRobin s -> Ordering.ORDINAL;
            case Strategy.Preferred s -> throw new AssertionError("ranking() never returns a preference");
        };
        List<ReadyIndex> base = new ArrayList<>();
        if (spec.requirements().isEmpty()) {
            base.add(index(ANY, ordering));
        } else if (ordering == Ordering.SKILL) {
            base.add(index(spec.requirements().getFirst().skill(), ordering));
        } else {
            for (SkillRequirement r : spec.requirements()) {
                base.add(index(r.skill(), ordering));
            }
        }
        List<ReadyIndex> alternatives = new ArrayList<>();
        for (String skill : alternativeSkills) {
            alternatives.add(index(skill, ordering));
        }
        if (existing != null) {
            redefineQueue(existing, spec, base, alternatives, ordering);
            return;
        }
        QueueSlot q = new QueueSlot(spec, base, alternatives, ordering);
        q.outbound = outboundQueues.contains(spec.name());
        queues.put(spec.name(), q);
        for (AgentSlot a : agents.values()) {
            if (serves(a, q)) {
                a.queues.add(q);
                if (a.state.staffed()) {
                    q.staffed++;
                }
            }
        }
    }

    /**
     * A live redefinition: new configuration, agents' memberships recomputed, every waiting call re-derived from
     * the new requirements (escalation steps already due replayed, except priority raises, moves and exits, which
     * happened or not under the old definition), its deadline re-armed, and matched again against ready agents.
     */
    private void redefineQueue(QueueSlot q, QueueSpec spec, List<ReadyIndex> base, List<ReadyIndex> alternatives,
                               Ordering ordering) {
        boolean wasDisabled = q.disabled;
        q.configure(spec, base, alternatives, ordering);
        q.disabled = false;
        for (AgentSlot a : agents.values()) {
            boolean had = a.queues.contains(q);
            boolean has = serves(a, q);
            if (had != has) {
                if (has) {
                    a.queues.add(q);
                } else {
                    a.queues.remove(q);
                }
                if (a.state.staffed()) {
                    q.staffed += has ? 1 : -1;
                }
            }
        }
        List<CallSlot> waiting = new ArrayList<>(q.waiting);
        for (CallSlot c : waiting) {
            c.requireFrom(spec);
            c.nextStep = 0;
            List<EscalationStep> steps = spec.escalation();
            while (c.nextStep < steps.size() && !c.enqueuedAt.plus(steps.get(c.nextStep).after()).isAfter(now)) {
                switch (steps.get(c.nextStep)) {
                    case EscalationStep.LowerMinLevel l -> c.lowerLevel(l.skill(), l.level());
                    case EscalationStep.AddSkill a -> c.alternatives.add(new SkillRequirement(a.skill(), a.level()));
                    default -> { }
                }
                c.nextStep++;
            }
            if (!(spec.strategy() instanceof Strategy.Preferred) && c.preferenceUntil == null) {
                c.preferenceExpired = true;   // an owner-first window set by the Enqueue keeps its own end
            }
        }
        out.add(new Decision.ProfileChanged("queue", q.name, true, wasDisabled ? "enabled and redefined"
                : "redefined"));
        for (CallSlot c : waiting) {
            if (c.offeredTo != null || !q.waiting.contains(c)) {
                continue;
            }
            Choice choice = chooseAgent(c);
            if (choice != null) {
                offer(c, choice);
            } else {
                armCallTimer(c);
            }
        }
    }

    /** The index of {@code skill}, maintaining {@code ordering}, created and seeded from ready agents if new. */
    private ReadyIndex index(String skill, Ordering ordering) {
        ReadyIndex index = indexes.get(skill);
        if (index == null) {
            index = new ReadyIndex(skill);
            indexes.put(skill, index);
            List<AgentSlot> ready = new ArrayList<>();
            for (AgentSlot a : agents.values()) {
                if (a.state instanceof Ready && (skill.equals(ANY) || a.profile.skills().containsKey(skill))) {
                    ready.add(a);
                }
            }
            index.enable(ordering, ready);
        } else if (!index.has(ordering)) {
            index.enable(ordering, index.members());
        }
        return index;
    }

    /** Whether the agent counts for {@code q}: enabled, a member of it, and {@link #canServe} it. */
    private static boolean serves(AgentSlot a, QueueSlot q) {
        return !a.disabled && a.profile.member(q.name) && canServe(a.profile, q);
    }

    /** Whether the agent could ever take a call of {@code q}: holds every required skill, or an alternative. */
    private static boolean canServe(Agent agent, QueueSlot q) {
        boolean all = true;
        for (SkillRequirement r : q.spec.requirements()) {
            if (!agent.skills().containsKey(r.skill())) {
                all = false;
                break;
            }
        }
        if (all) {
            return true;
        }
        for (ReadyIndex alternative : q.alternativeIndexes) {
            if (agent.skills().containsKey(alternative.skill)) {
                return true;
            }
        }
        return false;
    }

    private void defineAgent(Command.DefineAgent command) {
        Agent profile = command.agent();
        AgentSlot a = agents.get(profile.id());
        if (a == null) {
            a = new AgentSlot(profile, nextOrdinal++, now);
            agents.put(profile.id(), a);
            for (QueueSlot q : queues.values()) {
                if (serves(a, q)) {
                    a.queues.add(q);
                }
            }
            return;
        }
        boolean wasDisabled = a.disabled;
        boolean ready = a.state instanceof Ready;
        boolean staffed = a.state.staffed();
        if (ready) {
            leaveIndexes(a);
        }
        if (staffed) {
            a.queues.forEach(q -> q.staffed--);
        }
        a.profile = profile;
        a.disabled = false;
        a.queues = new ArrayList<>();
        for (QueueSlot q : queues.values()) {
            if (serves(a, q)) {
                a.queues.add(q);
            }
        }
        if (staffed) {
            a.queues.forEach(q -> q.staffed++);
        }
        out.add(new Decision.ProfileChanged("agent", a.id(), true, wasDisabled ? "enabled and redefined"
                : "redefined"));
        if (ready) {
            joinIndexes(a);
            assignAgent(a);
        }
    }

    private void disableAgent(Command.DisableAgent command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        if (a.disabled) {
            reject(command, "agent " + a.id() + " is already disabled");
            return;
        }
        String cause = "disabled by " + command.by();
        a.pendingNotReady = null;
        switch (a.state) {
            case Reserved r -> {
                CallSlot offered = calls.get(r.callId());
                offered.offeredTo = null;
                setState(a, new LoggedOut(), cause);
                requeueAtHead(offered, cause);
            }
            case OnCall s -> { }   // the call stays up; logged out after it (see afterWork)
            case WrapUp s -> {
                recordHandleTime(a);
                setState(a, new LoggedOut(), cause);
            }
            case LoggedOut s -> { }
            default -> setState(a, new LoggedOut(), cause);
        }
        a.disabled = true;
        if (a.state.staffed()) {
            a.queues.forEach(q -> q.staffed--);
        }
        a.queues = new ArrayList<>();
        out.add(new Decision.ProfileChanged("agent", a.id(), false, cause));
    }

    private void disableQueue(Command.DisableQueue command) {
        QueueSlot q = queues.get(command.name());
        if (q == null) {
            reject(command, "unknown queue " + command.name());
            return;
        }
        if (q.disabled) {
            reject(command, "queue " + q.name + " is already disabled");
            return;
        }
        q.disabled = true;
        out.add(new Decision.ProfileChanged("queue", q.name, false, "disabled by " + command.by() + " ("
                + q.waiting.size() + " waiting call(s) stay and are served)"));
    }

    private void reprioritise(Command.Reprioritise command) {
        CallSlot c = calls.get(command.callId());
        if (c == null) {
            reject(command, "call " + command.callId() + " is not in routing (it was answered, left, or never "
                    + "queued)");
            return;
        }
        if (c.offeredTo != null) {
            reject(command, "call " + c.id() + " is ringing agent " + c.offeredTo.id()
                    + " (expected: a waiting call)");
            return;
        }
        if (command.onlyIn().isPresent() && !command.onlyIn().get().contains(c.queue.name)) {
            reject(command, "call " + c.id() + " waits in queue " + c.queue.name + " (expected: a call in "
                    + String.join(", ", new TreeSet<>(command.onlyIn().get())) + ")");
            return;
        }
        int from = c.priority;
        QueueSlot q = c.queue;
        q.waiting.remove(c);
        if (command.priority() != c.priority) {
            c.sortKey = nanos(c.enqueuedAt);   // its place by wait in the new band, not the old band's head
        }
        c.priority = command.priority();
        q.waiting.add(c);
        out.add(new Decision.CallReprioritised(c.id(), q.name, from, c.priority, position(c),
                Duration.between(c.enqueuedAt, now), command.by()));
    }

    private AgentSlot agentFor(Command command, String agentId) {
        AgentSlot a = agents.get(agentId);
        if (a == null) {
            reject(command, "unknown agent " + agentId);
        }
        return a;
    }

    private void logIn(Command.LogIn command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        if (a.disabled) {
            reject(command, "agent " + a.id() + " is disabled (expected: an admin enables them first)");
            return;
        }
        if (!(a.state instanceof LoggedOut)) {
            reject(command, "agent " + a.id() + " is already logged in (state: " + a.state + ")");
            return;
        }
        setState(a, new NotReady("login"), "login");
    }

    private void logOut(Command.LogOut command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        switch (a.state) {
            case Ready s -> setState(a, new LoggedOut(), "logout");
            case NotReady s -> setState(a, new LoggedOut(), "logout");
            case WrapUp s -> {
                recordHandleTime(a);
                setState(a, new LoggedOut(), "logout");
            }
            case LoggedOut s -> reject(command, "agent " + a.id() + " is already logged out");
            case Reserved s -> reject(command, "agent " + a.id() + " has call " + s.callId() + " ringing "
                    + "(expected: answer or reject it first, or a supervisor's Force)");
            case OnCall s -> reject(command, "agent " + a.id() + " is on call " + s.callId()
                    + " (expected: end the call first, or a supervisor's Force)");
        }
        a.pendingNotReady = null;
    }

    /**
     * The agent a ready / not-ready command is for; null when the command is answered here: unknown agent, or a
     * disabled one (in wrap-up they are logged out, as promised when they were disabled; otherwise refused).
     */
    private AgentSlot workingAgent(Command command, String agentId) {
        AgentSlot a = agentFor(command, agentId);
        if (a == null) {
            return null;
        }
        if (a.disabled && a.state instanceof WrapUp) {
            finishWrapUp(a, "agent ended wrap-up");
            return null;
        }
        if (a.disabled && !(a.state instanceof OnCall)) {
            reject(command, "agent " + a.id() + " is disabled (expected: an admin enables them first)");
            return null;
        }
        return a;
    }

    private void setReady(Command.SetReady command) {
        AgentSlot a = workingAgent(command, command.agentId());
        if (a == null) {
            return;
        }
        switch (a.state) {
            case NotReady s -> becomeReady(a, "agent ready");
            case WrapUp s -> {
                recordHandleTime(a);
                becomeReady(a, "agent ended wrap-up");
            }
            case Reserved s -> a.pendingNotReady = null;
            case OnCall s -> a.pendingNotReady = null;
            case Ready s -> reject(command, "agent " + a.id() + " is already ready");
            case LoggedOut s -> reject(command, "agent " + a.id() + " is logged out (expected: log in first)");
        }
    }

    private void setNotReady(Command.SetNotReady command) {
        AgentSlot a = workingAgent(command, command.agentId());
        if (a == null) {
            return;
        }
        switch (a.state) {
            case Ready s -> setState(a, new NotReady(command.reason()), "agent not ready");
            case NotReady s -> setState(a, new NotReady(command.reason()), "agent not ready");
            case WrapUp s -> {
                recordHandleTime(a);
                setState(a, new NotReady(command.reason()), "agent not ready");
            }
            case Reserved s -> a.pendingNotReady = command.reason();
            case OnCall s -> a.pendingNotReady = command.reason();
            case LoggedOut s -> reject(command, "agent " + a.id() + " is logged out (expected: log in first)");
        }
    }

    private void endWrapUp(Command.EndWrapUp command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        if (!(a.state instanceof WrapUp)) {
            reject(command, "agent " + a.id() + " is not in wrap-up (state: " + a.state + ")");
            return;
        }
        finishWrapUp(a, "agent ended wrap-up");
    }

    private void enqueue(Command.Enqueue command) {
        Call call = command.call();
        if (calls.containsKey(call.id())) {
            reject(command, "call " + call.id() + " is already in routing");
            return;
        }
        QueueSlot q = queues.get(call.queue());
        if (q == null) {
            reject(command, "unknown queue " + call.queue());
            return;
        }
        if (q.disabled) {
            reject(command, "queue " + q.name + " is disabled (expected: an enabled queue)");
            return;
        }
        CallSlot c = new CallSlot(call, seq++, command.since().orElse(now), q,
                call.priority().orElse(q.spec.defaultPriority()));
        c.callback = command.callback();
        if (command.preferredFor().isPresent() && call.preferredAgent().isPresent()) {
            c.preferenceUntil = c.enqueuedAt.plus(command.preferredFor().get());
            c.preferenceExpired = !c.preferenceUntil.isAfter(now);
        } else {
            c.preferenceExpired = !(q.spec.strategy() instanceof Strategy.Preferred p)
                    || call.preferredAgent().isEmpty() || p.fallbackAfter().isZero();
        }
        Choice choice = chooseAgent(c);
        if (choice != null) {
            calls.put(call.id(), c);
            offer(c, choice);
            return;
        }
        if (!c.callback && q.waiting.size() >= q.spec.maxLength()) {
            out.add(new Decision.QueueFull(call.id(), q.name, q.waiting.size(), q.spec.maxLength()));
            return;
        }
        calls.put(call.id(), c);
        q.waiting.add(c);
        out.add(new Decision.CallQueued(call.id(), q.name, c.priority));
        armCallTimer(c);
    }

    private void keepAsCallback(Command.KeepAsCallback command) {
        CallSlot c = calls.get(command.callId());
        if (c == null) {
            reject(command, "call " + command.callId() + " is not in routing");
            return;
        }
        finishedVisit(c, false);
        c.callback = true;
        armCallTimer(c);
    }

    /** The call offered to {@code agentId}, or null (and a rejection) if that is not what is ringing. */
    private CallSlot ringing(Command command, String callId, String agentId) {
        CallSlot c = calls.get(callId);
        if (c == null || c.offeredTo == null || !c.offeredTo.id().equals(agentId)) {
            String actually = c == null ? "not in routing"
                    : c.offeredTo == null ? "waiting in queue " + c.queue.name
                    : "ringing agent " + c.offeredTo.id();
            reject(command, "call " + callId + " is not ringing agent " + agentId + " (it is " + actually + ")");
            return null;
        }
        return c;
    }

    private void offerAnswered(Command.OfferAnswered command) {
        CallSlot c = ringing(command, command.callId(), command.agentId());
        if (c == null) {
            return;
        }
        AgentSlot a = c.offeredTo;
        forget(c);
        finishedVisit(c, true);
        a.callId = c.id();
        a.callQueue = c.queue;
        a.talkStart = now;
        a.callsToday++;
        setState(a, new OnCall(c.id()), "answered");
        out.add(new Decision.CallAnswered(c.id(), a.id(), c.queue.name, Duration.between(c.enqueuedAt, now)));
    }

    private void offerRinging(Command.OfferRinging command) {
        CallSlot c = ringing(command, command.callId(), command.agentId());
        if (c != null && !c.ringReported) {
            c.ringReported = true;
            armCallTimer(c);
        }
    }

    private void offerRejected(Command.OfferRejected command) {
        CallSlot c = ringing(command, command.callId(), command.agentId());
        if (c != null) {
            unanswered(c, command.reason().orElse(c.queue.spec.rejectedReason()), "offer rejected");
        }
    }

    /**
     * An offer failed through the agent: the queue's ring-no-answer policy says what becomes of the agent (not ready
     * with {@code reason} for a while or until they act, or ready but skipped for a while); the call goes back to
     * its band's head.
     */
    private void unanswered(CallSlot c, String reason, String cause) {
        AgentSlot a = c.offeredTo;
        c.offeredTo = null;
        a.pendingNotReady = null;
        String why = cause + " (call " + c.id() + ")";
        switch (c.queue.spec.ringNoAnswer()) {
            case RingNoAnswer.Pause p -> setState(a, new NotReady(reason, Optional.of(now.plus(p.duration()))), why);
            case RingNoAnswer.UntilAgent u -> setState(a, new NotReady(reason), why);
            case RingNoAnswer.Skip s -> {
                setState(a, new Ready(), why + ", skipped for " + s.duration().toSeconds() + "s");
                a.skipUntil = now.plus(s.duration());
                a.timer = new Timer(a.skipUntil, seq++, a);
                timers.add(a.timer);
            }
        }
        requeueAtHead(c, cause);
    }

    private void requeueAtHead(CallSlot c, String cause) {
        QueueSlot q = c.queue;
        CallSlot head = null;
        for (CallSlot w : q.waiting) {
            // Skip the higher bands; the first call of this band (if any) is the head to go before.
            if (w.priority <= c.priority) {
                head = w.priority == c.priority ? w : null;
                break;
            }
        }
        if (head != null && head.sortKey <= c.sortKey) {
            c.sortKey = head.sortKey - 1;
        }
        q.waiting.add(c);
        out.add(new Decision.CallRequeued(c.id(), q.name, cause));
        Choice choice = chooseAgent(c);
        if (choice != null) {
            offer(c, choice);
        } else {
            armCallTimer(c);
        }
    }

    private void callEnded(Command.CallEnded command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        if (!(a.state instanceof OnCall)) {
            reject(command, "agent " + a.id() + " is not on a call (state: " + a.state + ")");
            return;
        }
        endTalk(a);
        Optional<Duration> wrapUp = a.callQueue.spec.wrapUp();
        if (wrapUp.isEmpty()) {
            setState(a, new WrapUp(Optional.empty()), "call ended");
        } else if (wrapUp.get().isZero()) {
            recordHandleTime(a);
            afterWork(a, "call ended");
        } else {
            setState(a, new WrapUp(Optional.of(now.plus(wrapUp.get()))), "call ended");
        }
    }

    private void adoptCall(Command.AdoptCall command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        QueueSlot q = queues.get(command.queue());
        if (q == null) {
            reject(command, "unknown queue " + command.queue());
            return;
        }
        String pending;
        switch (a.state) {
            case Reserved s -> {
                reject(command, "agent " + a.id() + " has call " + s.callId() + " ringing");
                return;
            }
            case OnCall s -> {
                reject(command, "agent " + a.id() + " is on call " + s.callId());
                return;
            }
            case WrapUp s -> {
                recordHandleTime(a);
                pending = a.pendingNotReady;
            }
            case NotReady s -> pending = s.until().isPresent()
                    || command.standsForTheCall().filter(s.reason()::equals).isPresent() ? null : s.reason();
            case LoggedOut s -> pending = "login";
            case Ready s -> pending = null;
        }
        a.callId = command.callId();
        a.callQueue = q;
        a.talkStart = command.answeredAt().isAfter(now) ? now : command.answeredAt();
        a.callsToday++;
        setState(a, new OnCall(command.callId()), "adopted call " + command.callId() + " (connected by an engine"
                + " that stopped)");
        a.pendingNotReady = pending;
    }

    private void adoptedCallEnded(Command.AdoptedCallEnded command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        if (!(a.state instanceof OnCall on) || !on.callId().equals(command.callId())) {
            reject(command, "agent " + a.id() + " is not on call " + command.callId() + " (state: " + a.state + ")");
            return;
        }
        callEnded(new Command.CallEnded(a.id()));
    }

    private void endTalk(AgentSlot a) {
        a.lastTalkNanos = Duration.between(a.talkStart, now).toNanos();
        a.talkNanosToday += a.lastTalkNanos;
    }

    private void finishWrapUp(AgentSlot a, String cause) {
        recordHandleTime(a);
        afterWork(a, cause);
    }

    /** Ready again after a call, unless the agent asked for a break meanwhile. */
    private void afterWork(AgentSlot a, String cause) {
        a.callId = null;
        if (a.disabled) {
            a.pendingNotReady = null;
            setState(a, new LoggedOut(), cause + ", logged out: disabled");
        } else if (a.pendingNotReady != null) {
            String reason = a.pendingNotReady;
            a.pendingNotReady = null;
            setState(a, new NotReady(reason), cause + ", not ready as requested");
        } else {
            becomeReady(a, cause);
        }
    }

    /** Folds the last call's talk plus the wrap-up so far into its queue's mean handle time. */
    private void recordHandleTime(AgentSlot a) {
        if (a.callQueue == null || a.callId == null) {
            return;
        }
        long wrapNanos = a.state instanceof WrapUp ? Duration.between(a.since, now).toNanos() : 0;
        double seconds = (a.lastTalkNanos + wrapNanos) / 1e9;
        QueueSlot q = a.callQueue;
        q.handleSeconds += HANDLE_TIME_WEIGHT * (seconds - q.handleSeconds);
        a.callId = null;
    }

    private void leave(Command.Leave command) {
        CallSlot c = calls.get(command.callId());
        if (c == null) {
            reject(command, "call " + command.callId() + " is not in routing");
            return;
        }
        AgentSlot a = c.offeredTo;
        forget(c);
        finishedVisit(c, false);
        c.queue.waiting.remove(c);
        out.add(new Decision.CallLeft(c.id(), c.queue.name, Duration.between(c.enqueuedAt, now), command.reason()));
        if (a != null) {
            c.offeredTo = null;
            afterWork(a, "caller left during offer of " + c.id());
        }
    }

    private void force(Command.Force command) {
        AgentSlot a = agentFor(command, command.agentId());
        if (a == null) {
            return;
        }
        AgentState target = command.state();
        if (target instanceof Reserved || target instanceof OnCall) {
            reject(command, "cannot force agent " + a.id() + " to " + target
                    + " (expected: logged out, ready, not ready or wrap-up)");
            return;
        }
        if (target.equals(a.state)) {
            reject(command, "agent " + a.id() + " is already " + target);
            return;
        }
        if (a.disabled && !(target instanceof LoggedOut)) {
            reject(command, "agent " + a.id() + " is disabled (expected: only a forced logout)");
            return;
        }
        String cause = "forced by " + command.supervisor();
        a.pendingNotReady = null;
        CallSlot offered = null;
        if (a.state instanceof Reserved r) {
            offered = calls.get(r.callId());
            offered.offeredTo = null;
        } else if (a.state instanceof OnCall) {
            endTalk(a);
            if (target instanceof WrapUp) {
                // The call is over for routing; its wrap-up is what the supervisor forced.
            } else {
                recordHandleTime(a);
            }
        } else if (a.state instanceof WrapUp) {
            recordHandleTime(a);
        }
        setState(a, target, cause);
        if (offered != null) {
            requeueAtHead(offered, cause);
        }
        if (a.state instanceof Ready) {
            assignAgent(a);
        }
    }

    private void resetDailyCounters() {
        for (AgentSlot a : agents.values()) {
            boolean ready = a.state instanceof Ready;
            if (ready) {
                leaveIndexes(a);
            }
            a.callsToday = 0;
            a.talkNanosToday = 0;
            if (ready) {
                joinIndexes(a);
            }
        }
    }

    // ---- agent state ----

    private void becomeReady(AgentSlot a, String cause) {
        setState(a, new Ready(), cause);
        assignAgent(a);
    }

    /** The one place agent state changes: keeps the ready indexes, staffing counts and wrap-up deadline in step. */
    private void setState(AgentSlot a, AgentState to, String cause) {
        AgentState from = a.state;
        if (from instanceof Ready) {
            leaveIndexes(a);
        }
        if (from.staffed() != to.staffed()) {
            int delta = to.staffed() ? 1 : -1;
            for (QueueSlot q : a.queues) {
                q.staffed += delta;
            }
        }
        a.state = to;
        a.since = now;
        if (to instanceof Ready) {
            a.readyKey = nanos(now);
            joinIndexes(a);
        }
        if (a.timer != null) {
            timers.remove(a.timer);
            a.timer = null;
        }
        a.skipUntil = null;
        if (to instanceof WrapUp w && w.until().isPresent()) {
            a.timer = new Timer(w.until().get(), seq++, a);
            timers.add(a.timer);
        } else if (to instanceof NotReady n && n.until().isPresent()) {
            a.timer = new Timer(n.until().get(), seq++, a);
            timers.add(a.timer);
        }
        out.add(new AgentStateChanged(new StateChange(a.id(), from, to, now, cause)));
    }

    private void joinIndexes(AgentSlot a) {
        for (String skill : a.profile.skills().keySet()) {
            ReadyIndex index = indexes.get(skill);
            if (index != null) {
                index.add(a);
            }
        }
        ReadyIndex any = indexes.get(ANY);
        if (any != null) {
            any.add(a);
        }
    }

    private void leaveIndexes(AgentSlot a) {
        for (String skill : a.profile.skills().keySet()) {
            ReadyIndex index = indexes.get(skill);
            if (index != null) {
                index.remove(a);
            }
        }
        ReadyIndex any = indexes.get(ANY);
        if (any != null) {
            any.remove(a);
        }
    }

    // ---- matching ----

    private record Choice(AgentSlot agent, Explanation explanation) {
    }

    private boolean eligible(AgentSlot a, CallSlot c) {
        if (a.disabled || !a.profile.member(c.queue.name) || a.skipUntil != null && a.skipUntil.isAfter(now)) {
            return false;
        }
        if (!c.preferenceExpired && !a.id().equals(c.call.preferredAgent().orElseThrow())) {
            return false;
        }
        if (c.language != null && !a.profile.languages().contains(c.language)) {
            return false;
        }
        if (!skilled(a, c)) {
            return false;
        }
        // Outbound work only when the blending rule lets this agent take it now.
        return !c.queue.outbound || blendRule.mode() == BlendRule.Mode.PRIORITY || outboundDenial(a) == null;
    }

    private static boolean skilled(AgentSlot a, CallSlot c) {
        Map<String, Integer> held = a.profile.skills();
        boolean all = true;
        for (int i = 0; i < c.skills.length; i++) {
            Integer level = held.get(c.skills[i]);
            if (level == null || level < c.levels[i]) {
                all = false;
                break;
            }
        }
        if (all) {
            return true;
        }
        for (SkillRequirement alternative : c.alternatives) {
            if (a.profile.level(alternative.skill()) >= alternative.minLevel()) {
                return true;
            }
        }
        return false;
    }

    /** The best ready agent for a call by its queue's strategy, or null if none is eligible. */
    private Choice chooseAgent(CallSlot c) {
        QueueSlot q = c.queue;
        if (!c.preferenceExpired) {
            AgentSlot p = agents.get(c.call.preferredAgent().orElseThrow());
            if (p != null && p.state instanceof Ready && eligible(p, c)) {
                return new Choice(p, new Explanation("preferred", "preferred", 1, 1,
                        List.of(new Explanation.Score(p.id(), 1))));
            }
            return null;
        }
        ReadyIndex primary = q.baseIndexes.getFirst();
        for (int i = 1; i < q.baseIndexes.size(); i++) {
            if (q.baseIndexes.get(i).size() < primary.size()) {
                primary = q.baseIndexes.get(i);
            }
        }
        List<AgentSlot> ranked = new ArrayList<>(EXPLAINED);
        int pool = primary.size();
        int examined = scan(primary, q, c, ranked);
        for (SkillRequirement alternative : c.alternatives) {
            ReadyIndex index = indexes.get(alternative.skill());
            pool += index.size();
            examined += scan(index, q, c, ranked);
        }
        if (ranked.isEmpty()) {
            return null;
        }
        if (!c.alternatives.isEmpty()) {
            ranked.sort((x, y) -> Double.compare(rank(q, c, y), rank(q, c, x)));
            while (ranked.size() > EXPLAINED) {
                ranked.removeLast();
            }
        }
        List<Explanation.Score> scores = new ArrayList<>(ranked.size());
        for (AgentSlot a : ranked) {
            scores.add(new Explanation.Score(a.id(), score(q, c, a)));
        }
        Explanation explanation = new Explanation(ruleName(q), scoreName(q), pool, examined, scores);
        if (q.outbound) {
            explanation = explanation.blended("outbound allowed: " + outboundAllowedWhy(ranked.getFirst()));
        }
        return new Choice(ranked.getFirst(), explanation);
    }

    /** Adds up to {@link #EXPLAINED} eligible agents from {@code index} in strategy order; returns how many it saw. */
    private int scan(ReadyIndex index, QueueSlot q, CallSlot c, List<AgentSlot> ranked) {
        NavigableSet<AgentSlot> set = index.view(q.ordering);
        int limit = ranked.size() + EXPLAINED;
        if (q.ordering != Ordering.ORDINAL) {
            return collect(set, c, ranked, limit);
        }
        // Round-robin: from just after the agent this queue offered to last, wrapping around.
        AgentSlot probe = AgentSlot.probe(q.lastOrdinal);
        int examined = collect(set.tailSet(probe, false), c, ranked, limit);
        if (ranked.size() < limit) {
            examined += collect(set.headSet(probe, true), c, ranked, limit);
        }
        return examined;
    }

    private int collect(Collection<AgentSlot> inOrder, CallSlot c, List<AgentSlot> ranked, int limit) {
        int examined = 0;
        for (AgentSlot a : inOrder) {
            if (ranked.size() >= limit) {
                break;
            }
            examined++;
            if (eligible(a, c) && !ranked.contains(a)) {
                ranked.add(a);
            }
        }
        return examined;
    }

    /** The strategy's score of an agent; higher ranks first (used to merge candidates from several indexes). */
    private double rank(QueueSlot q, CallSlot c, AgentSlot a) {
        return switch (q.ordering) {
            case IDLE -> -a.readyKey;
            case SKILL -> a.profile.level(q.spec.requirements().getFirst().skill()) * 1e19 - a.readyKey;
            case OCCUPANCY -> -(a.callsToday * 1e15 + a.talkNanosToday / 1e9);
            case ORDINAL -> -Math.floorMod(a.ordinal - q.lastOrdinal - 1, Math.max(1, nextOrdinal));
        };
    }

    /** The score an explanation shows, in the unit {@link #scoreName(QueueSlot)} names. */
    private double score(QueueSlot q, CallSlot c, AgentSlot a) {
        return switch (q.ordering) {
            case IDLE -> (nanos(now) - a.readyKey) / 1e9;
            case SKILL -> a.profile.level(q.spec.requirements().getFirst().skill());
            case OCCUPANCY -> a.callsToday;
            case ORDINAL -> Math.floorMod(a.ordinal - q.lastOrdinal - 1, Math.max(1, nextOrdinal));
        };
    }

    private static String ruleName(QueueSlot q) {
        return switch (q.ordering) {
            case IDLE -> "longest-idle";
            case SKILL -> "most-skilled";
            case OCCUPANCY -> "least-occupied";
            case ORDINAL -> "round-robin";
        };
    }

    private static String scoreName(QueueSlot q) {
        return switch (q.ordering) {
            case IDLE -> "idle seconds";
            case SKILL -> "level in " + q.spec.requirements().getFirst().skill();
            case OCCUPANCY -> "calls today";
            case ORDINAL -> "places after last agent";
        };
    }

    /** Which of an agent's queues {@link #pick} looks at. */
    private enum Work { ALL, INBOUND, OUTBOUND }

    /** A call an agent picked, and why. */
    private record Pick(CallSlot call, Explanation explanation) {
    }

    /**
     * A ready agent picks the waiting call most at risk among the queues they serve (see the class note). Unless the
     * blending rule is {@code priority}, inbound calls come first: outbound calls are looked at only when no inbound
     * call fits, and only those the rule lets this agent take ({@link #eligible}).
     */
    private void assignAgent(AgentSlot a) {
        if (blendRule.mode() == BlendRule.Mode.PRIORITY) {
            Pick pick = pick(a, Work.ALL);
            if (pick != null) {
                offer(pick.call(), new Choice(a, pick.call().queue.outbound ? pick.explanation().blended(
                        "outbound allowed: blending rule priority (calls compete by priority)") : pick.explanation()));
            }
            return;
        }
        Pick pick = pick(a, Work.INBOUND);
        if (pick != null) {
            String waiting = outboundWaiting(a);
            offer(pick.call(), new Choice(a, waiting.isEmpty() ? pick.explanation() : pick.explanation().blended(
                    "inbound first: " + pick.call().id() + " of queue " + pick.call().queue.name
                            + " before the outbound work waiting in " + waiting)));
            return;
        }
        pick = pick(a, Work.OUTBOUND);
        if (pick != null) {
            offer(pick.call(), new Choice(a, pick.explanation().blended("outbound allowed: " + outboundAllowedWhy(a))));
        }
    }

    /** The outbound queues of {@code a} with calls waiting, by name ("" if none). */
    private static String outboundWaiting(AgentSlot a) {
        List<String> names = new ArrayList<>();
        for (QueueSlot q : a.queues) {
            if (q.outbound && !q.waiting.isEmpty()) {
                names.add(q.name);
            }
        }
        names.sort(null);
        return String.join(", ", names);
    }

    private Pick pick(AgentSlot a, Work work) {
        CallSlot best = null;
        double bestRisk = 0;
        List<CallSlot> candidates = null;
        int pool = 0;
        int examined = 0;
        for (QueueSlot q : a.queues) {
            if (q.waiting.isEmpty() || work == Work.INBOUND && q.outbound || work == Work.OUTBOUND && !q.outbound) {
                continue;
            }
            pool += q.waiting.size();
            for (CallSlot c : q.waiting) {
                examined++;
                if (!eligible(a, c)) {
                    continue;
                }
                double risk = risk(c);
                if (best == null) {
                    best = c;
                    bestRisk = risk;
                } else {
                    if (candidates == null) {
                        candidates = new ArrayList<>();
                        candidates.add(best);
                    }
                    candidates.add(c);
                    if (c.priority > best.priority || c.priority == best.priority
                            && (risk > bestRisk || risk == bestRisk && c.sortKey < best.sortKey)) {
                        best = c;
                        bestRisk = risk;
                    }
                }
                break;
            }
        }
        if (best == null) {
            return null;
        }
        List<Explanation.Score> scores;
        if (candidates == null) {
            scores = List.of(new Explanation.Score(best.id(), bestRisk));
        } else {
            candidates.sort((x, y) -> x.priority != y.priority ? Integer.compare(y.priority, x.priority)
                    : Double.compare(risk(y), risk(x)));
            candidates.remove(best);
            candidates.addFirst(best);
            scores = new ArrayList<>();
            for (CallSlot c : candidates.subList(0, Math.min(EXPLAINED, candidates.size()))) {
                scores.add(new Explanation.Score(c.id(), risk(c)));
            }
        }
        return new Pick(best, new Explanation("service-level-risk", "risk", pool, examined, scores));
    }

    // ---- blending (see BlendRule) ----

    /** Which queues carry outbound work, and the rule. */
    private void setBlending(Command.SetBlending command) {
        blendRule = command.rule();
        outboundQueues = command.outboundQueues();
        for (QueueSlot q : queues.values()) {
            q.outbound = command.outboundQueues().contains(q.name);
        }
        outboundMayOpen = true;   // and the window moved on: old misses may have left it
    }

    /** A visit of a queue is over (answered, left, exited, maximum wait, kept as a callback): counted once. */
    private void finishedVisit(CallSlot c, boolean answered) {
        if (c.callback) {
            return;   // a kept callback was counted when it became one; outbound and restored callbacks never
        }
        QueueSlot q = c.queue;
        long at = nanos(now);
        q.visit(at, answered && at - nanos(c.enqueuedAt) <= q.spec.serviceLevel().threshold().toNanos());
        q.forgetVisitsBefore(at - blendRule.window().toNanos());
        outboundMayOpen = true;
    }

    private void rematchOutboundIfOpened() {
        if (!outboundMayOpen) {
            return;
        }
        outboundMayOpen = false;
        if (blendRule.mode() == BlendRule.Mode.PRIORITY || outboundQueues.isEmpty()) {
            return;   // nothing was held back
        }
        denials = new HashMap<>();
        try {
            // Only the outbound queues (a pure inbound centre pays nothing here at each finished visit).
            for (String name : outboundQueues) {
                QueueSlot q = queues.get(name);
                if (q == null || !q.outbound || q.waiting.isEmpty()) {
                    continue;
                }
                for (CallSlot c : new ArrayList<>(q.waiting)) {
                    if (c.offeredTo == null && q.waiting.contains(c)) {
                        Choice choice = chooseAgent(c);
                        if (choice != null) {
                            offer(c, choice);   // an outbound call leaves an outbound queue: no inbound queue changes
                        }
                    }
                }
            }
        } finally {
            denials = null;
        }
    }

    /** Why the rule keeps {@code a} from outbound work now (the first inbound queue of theirs it holds back), or null. */
    private String outboundDenial(AgentSlot a) {
        for (QueueSlot q : a.queues) {
            if (!q.outbound) {
                String denial = inboundDenial(q);
                if (denial != null) {
                    return denial;
                }
            }
        }
        return null;
    }

    /** Why inbound queue {@code q} holds outbound work back now under the rule, or null. */
    private String inboundDenial(QueueSlot q) {
        if (blendRule.mode() == BlendRule.Mode.PRIORITY) {
            return null;
        }
        if (denials != null) {
            return denials.computeIfAbsent(q, k -> Optional.ofNullable(judge(k))).orElse(null);
        }
        return judge(q);
    }

    private String judge(QueueSlot q) {
        Instant oldest = null;
        for (CallSlot c : q.waiting) {
            if (!c.callback && (oldest == null || c.enqueuedAt.isBefore(oldest))) {
                oldest = c.enqueuedAt;
            }
        }
        long waited = oldest == null ? 0 : Duration.between(oldest, now).toSeconds();
        if (blendRule.mode() == BlendRule.Mode.INBOUND_IDLE) {
            return oldest == null ? null : "inbound first: queue " + q.name + " has a caller waiting (" + waited
                    + " s)";
        }
        Duration threshold = q.spec.serviceLevel().threshold();
        if (oldest != null && Duration.between(oldest, now).compareTo(threshold) >= 0) {
            return "inbound first: queue " + q.name + " has a caller waiting " + waited + " s (service-level time "
                    + threshold.toSeconds() + " s)";
        }
        q.forgetVisitsBefore(nanos(now.minus(blendRule.window())));
        if (q.visits.size() >= blendRule.minCalls()
                && q.visitsInTime < q.spec.serviceLevel().fraction() * q.visits.size()) {
            return String.format(java.util.Locale.ROOT, "inbound first: queue %s at service level %.0f%% over %s"
                    + " (target %.0f%%)", q.name, 100.0 * q.visitsInTime / q.visits.size(), window(),
                    100 * q.spec.serviceLevel().fraction());
        }
        return null;
    }

    private String window() {
        Duration w = blendRule.window();
        return w.toSecondsPart() == 0 && w.toMinutesPart() == 0 ? w.toHours() + " h"
                : w.toSecondsPart() == 0 ? w.toMinutes() + " min" : w.toSeconds() + " s";
    }

    /** Why the rule lets {@code a} take outbound work (called when it does). */
    private String outboundAllowedWhy(AgentSlot a) {
        if (blendRule.mode() == BlendRule.Mode.PRIORITY) {
            return "blending rule priority (calls compete by priority)";
        }
        List<QueueSlot> inbound = new ArrayList<>();
        for (QueueSlot q : a.queues) {
            if (!q.outbound) {
                inbound.add(q);
            }
        }
        if (inbound.isEmpty()) {
            return "agent " + a.id() + " serves no inbound queue";
        }
        return "agent " + a.id() + ": " + allowedWhy(inbound);
    }

    /** The rule's "yes" over {@code inbound}, with each queue's figure. */
    private String allowedWhy(Collection<QueueSlot> inbound) {
        List<QueueSlot> sorted = new ArrayList<>(inbound);
        sorted.sort((x, y) -> x.name.compareTo(y.name));
        List<String> parts = new ArrayList<>();
        for (QueueSlot q : sorted) {
            if (blendRule.mode() == BlendRule.Mode.INBOUND_IDLE) {
                parts.add(q.name);
            } else if (q.visits.size() < blendRule.minCalls()) {
                parts.add(q.name + " " + q.visits.size() + " call(s) over " + window());
            } else {
                parts.add(String.format(java.util.Locale.ROOT, "%s %.0f%% (target %.0f%%)", q.name,
                        100.0 * q.visitsInTime / q.visits.size(), 100 * q.spec.serviceLevel().fraction()));
            }
        }
        return (blendRule.mode() == BlendRule.Mode.INBOUND_IDLE ? "no caller waits in inbound queue(s) "
                : "every inbound queue meets its service level: ") + String.join(", ", parts);
    }

    private double risk(CallSlot c) {
        return (nanos(now) - nanos(c.enqueuedAt)) / 1e9 / c.queue.thresholdSeconds;
    }

    private void offer(CallSlot c, Choice choice) {
        AgentSlot a = choice.agent();
        QueueSlot q = c.queue;
        q.waiting.remove(c);
        c.offeredTo = a;
        c.ringReported = false;
        c.ringDeadline = now.plus(q.spec.ringTimeout());
        q.lastOrdinal = a.ordinal;
        setState(a, new Reserved(c.id()), "offer");
        out.add(new Decision.Offer(c.id(), a.id(), q.name, c.ringDeadline, choice.explanation()));
        armCallTimer(c);
    }

    // ---- time ----

    private void advanceTo(Instant t) {
        if (t.isAfter(now)) {
            now = t;
        }
    }

    private void fireTimers(Instant limit) {
        while (!timers.isEmpty() && !timers.first().at().isAfter(limit)) {
            Timer t = timers.pollFirst();
            advanceTo(t.at());
            switch (t.owner()) {
                case CallSlot c -> {
                    c.timer = null;
                    fireCall(c);
                }
                case AgentSlot a -> {
                    a.timer = null;
                    if (a.state instanceof WrapUp) {
                        finishWrapUp(a, "wrap-up time over");
                    } else if (a.state instanceof NotReady n && n.until().isPresent()) {
                        becomeReady(a, "no-answer pause over");
                    } else if (a.state instanceof Ready && a.skipUntil != null) {
                        a.skipUntil = null;
                        assignAgent(a);
                    }
                }
                default -> throw new AssertionError("timer owner " + t.owner());
            }
        }
    }

    /**
     * Re-arms the call's one deadline: ring timeout while offered (none once the caller's session reports the ring),
     * else the nearest escalation/preference/max wait.
     */
    private void armCallTimer(CallSlot c) {
        if (c.timer != null) {
            timers.remove(c.timer);
        }
        Instant at;
        if (c.offeredTo != null && c.ringReported) {
            c.timer = null;   // the caller's session reports how the ring ends (Command.OfferRinging)
            return;
        } else if (c.offeredTo != null) {
            at = c.ringDeadline;
        } else if (c.callback) {
            if (c.preferenceExpired || c.preferenceUntil == null) {
                c.timer = null;   // a callback waits as it is: no max wait, no escalation
                return;
            }
            at = c.preferenceUntil;   // only its owner's preference ends
        } else {
            QueueSpec spec = c.queue.spec;
            at = c.enqueuedAt.plus(spec.maxWait());
            if (c.nextStep < spec.escalation().size()) {
                at = min(at, c.enqueuedAt.plus(spec.escalation().get(c.nextStep).after()));
            }
            if (!c.preferenceExpired && c.preferenceUntil != null) {
                at = min(at, c.preferenceUntil);
            } else if (!c.preferenceExpired && spec.strategy() instanceof Strategy.Preferred p) {
                at = min(at, c.enqueuedAt.plus(p.fallbackAfter()));
            }
        }
        c.timer = new Timer(at, seq++, c);
        timers.add(c.timer);
    }

    private void fireCall(CallSlot c) {
        if (c.offeredTo != null) {
            out.add(new Decision.OfferTimedOut(c.id(), c.offeredTo.id()));
            unanswered(c, c.queue.spec.noAnswerReason(), "no answer");
            return;
        }
        boolean widened = false;
        if (!c.preferenceExpired && c.preferenceUntil != null) {
            if (!c.preferenceUntil.isAfter(now)) {
                c.preferenceExpired = true;
                widened = true;
            }
        } else if (!c.preferenceExpired && c.queue.spec.strategy() instanceof Strategy.Preferred p
                && !c.enqueuedAt.plus(p.fallbackAfter()).isAfter(now)) {
            c.preferenceExpired = true;
            widened = true;
        }
        if (c.callback && c.offeredTo == null) {
            // A callback has no max wait or escalation: only its owner's preference could end here.
            if (widened) {
                Choice choice = chooseAgent(c);
                if (choice != null) {
                    offer(c, choice);
                    return;
                }
            }
            armCallTimer(c);
            return;
        }
        while (c.nextStep < c.queue.spec.escalation().size()) {
            EscalationStep step = c.queue.spec.escalation().get(c.nextStep);
            if (c.enqueuedAt.plus(step.after()).isAfter(now)) {
                break;
            }
            c.nextStep++;
            QueueSlot q = c.queue;
            switch (step) {
                case EscalationStep.LowerMinLevel s -> {
                    widened |= c.lowerLevel(s.skill(), s.level());
                    out.add(new Decision.Escalated(c.id(), q.name, step));
                }
                case EscalationStep.AddSkill s -> {
                    c.alternatives.add(new SkillRequirement(s.skill(), s.level()));
                    widened = true;
                    out.add(new Decision.Escalated(c.id(), q.name, step));
                }
                case EscalationStep.RaisePriority s -> {
                    q.waiting.remove(c);
                    c.priority += s.by();
                    c.sortKey = nanos(c.enqueuedAt);
                    q.waiting.add(c);
                    out.add(new Decision.Escalated(c.id(), q.name, step));
                }
                case EscalationStep.MoveToQueue s -> {
                    QueueSlot target = queues.get(s.queue());
                    if (!target.disabled) {   // a disabled queue admits no one, moved calls included
                        moveTo(c, target);
                        widened = true;
                        out.add(new Decision.Escalated(c.id(), q.name, step));
                    }
                }
                case EscalationStep.OfferCallback s ->
                        out.add(new Decision.CallbackOffered(c.id(), q.name, position(c), estimatedWait(c)));
                case EscalationStep.Exit s -> {
                    forget(c);
                    finishedVisit(c, false);
                    q.waiting.remove(c);
                    out.add(new Decision.ExitedQueue(c.id(), q.name, s.destination(),
                            Duration.between(c.enqueuedAt, now)));
                    return;
                }
            }
        }
        if (!c.enqueuedAt.plus(c.queue.spec.maxWait()).isAfter(now)) {
            forget(c);
            finishedVisit(c, false);
            c.queue.waiting.remove(c);
            out.add(new Decision.MaxWaitReached(c.id(), c.queue.name, Duration.between(c.enqueuedAt, now)));
            return;
        }
        if (widened) {
            Choice choice = chooseAgent(c);
            if (choice != null) {
                offer(c, choice);
                return;
            }
        }
        armCallTimer(c);
    }

    /** Moves a waiting call to {@code target} under its original enqueue time; target's steps already due are skipped
     *  (so two queues moving calls to each other cannot loop at once). */
    private void moveTo(CallSlot c, QueueSlot target) {
        c.queue.waiting.remove(c);
        c.queue = target;
        c.requireFrom(target.spec);
        List<EscalationStep> steps = target.spec.escalation();
        c.nextStep = 0;
        while (c.nextStep < steps.size() && !c.enqueuedAt.plus(steps.get(c.nextStep).after()).isAfter(now)) {
            c.nextStep++;
        }
        c.sortKey = nanos(c.enqueuedAt);   // by its wait among the target's calls (a head place was the old queue's)
        target.waiting.add(c);
    }

    /** Removes a call from routing: it will fire no deadline. */
    private void forget(CallSlot c) {
        calls.remove(c.id());
        if (c.timer != null) {
            timers.remove(c.timer);
            c.timer = null;
        }
    }

    private int position(CallSlot c) {
        return c.queue.waiting.headSet(c, false).size() + 1;
    }

    private Optional<Duration> estimatedWait(CallSlot c) {
        return estimatedWait(c.queue, position(c));
    }

    /** The estimate of the {@code position}-th caller of {@code q} (see the class comment): the one formula. */
    private static Optional<Duration> estimatedWait(QueueSlot q, int position) {
        if (q.staffed == 0) {
            return Optional.empty();
        }
        double seconds = position * q.handleSeconds / q.staffed;
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
