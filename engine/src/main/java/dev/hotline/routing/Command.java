package dev.hotline.routing;

import java.util.Objects;

/** What the world tells the routing core; see {@link RoutingCore#handle(Command)}. */
public sealed interface Command {

    /**
     * Adds a queue, or redefines a known one live (re-enabling it if it was disabled). Queues named by a
     * {@link EscalationStep.MoveToQueue} step must be defined first. A redefinition takes effect at once: waiting
     * calls get the new required skills and levels (with the escalation steps already due replayed), maximum
     * wait, service-level yardstick and strategy; ready agents who now qualify are offered them. Priorities of
     * waiting calls and offers ringing stay as they are.
     */
    record DefineQueue(QueueSpec spec) implements Command {

        public DefineQueue {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * Adds an agent (logged out), or replaces the profile of a known one whatever their state (re-enabling a
     * disabled one, who stays logged out). A ready agent is matched at once against the calls their new profile
     * qualifies them for; an agent on a call or with an offer ringing keeps it, whatever skill they lost.
     */
    record DefineAgent(Agent agent) implements Command {

        public DefineAgent {
            Objects.requireNonNull(agent, "agent");
        }
    }

    /** The agent logs in; they start not ready with reason {@code login}. */
    record LogIn(String agentId) implements Command {

        public LogIn {
            Checks.notBlank("agentId", agentId);
        }
    }

    /** The agent logs out (not while an offer rings or a call is up: a supervisor can force that). */
    record LogOut(String agentId) implements Command {

        public LogOut {
            Checks.notBlank("agentId", agentId);
        }
    }

    /** The agent is ready; ends a wrap-up early. During an offer or a call it cancels a pending not-ready. */
    record SetReady(String agentId) implements Command {

        public SetReady {
            Checks.notBlank("agentId", agentId);
        }
    }

    /** The agent is not ready for {@code reason}; during an offer or a call it takes effect when the call ends. */
    record SetNotReady(String agentId, String reason) implements Command {

        public SetNotReady {
            Checks.notBlank("agentId", agentId);
            Checks.notBlank("reason", reason);
        }
    }

    /** The agent ends their wrap-up. */
    record EndWrapUp(String agentId) implements Command {

        public EndWrapUp {
            Checks.notBlank("agentId", agentId);
        }
    }

    /**
     * A call joins its queue. {@code since} is when it first joined (empty: now); a callback restored after a
     * restart or parked outside calling hours comes back with its original time, so it takes back its place.
     * {@code callback}: the caller's channel is gone and Hotline will call back (see {@link KeepAsCallback}); such
     * a call is admitted even when the queue is full.
     */
    record Enqueue(Call call, java.util.Optional<java.time.Instant> since, boolean callback,
                   java.util.Optional<java.time.Duration> preferredFor) implements Command {

        /**
         * {@code preferredFor}: the call's preferred agent alone may take it for this long after {@code since}
         * (then anyone), whatever the queue's strategy — a scheduled callback's owner first, then the team. Empty:
         * the queue's strategy decides (only {@link Strategy.Preferred} honours a preferred agent).
         */
        public Enqueue {
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(preferredFor, "preferredFor");
            preferredFor.ifPresent(d -> Checks.notNegative("preferredFor", d));
        }

        public Enqueue(Call call, java.util.Optional<java.time.Instant> since, boolean callback) {
            this(call, since, callback, java.util.Optional.empty());
        }

        public Enqueue(Call call) {
            this(call, java.util.Optional.empty(), false);
        }
    }

    /**
     * A waiting call becomes a queued callback: it keeps its place and enqueue time, but the caller has hung up, so
     * no maximum wait, escalation exit or escalation step applies to it any more (it waits, as it is, until an
     * agent is free or it {@link Leave}s).
     */
    record KeepAsCallback(String callId) implements Command {

        public KeepAsCallback {
            Checks.notBlank("callId", callId);
        }
    }

    /** The agent answered the offered call. */
    record OfferAnswered(String callId, String agentId) implements Command {

        public OfferAnswered {
            Checks.notBlank("callId", callId);
            Checks.notBlank("agentId", agentId);
        }
    }

    /**
     * The caller's session is ringing the offered agent's phone itself (Asterisk's {@code Dial}) and will report how
     * the ring ended ({@link OfferAnswered}, {@link OfferRejected} or {@link Leave}): the offer's ring deadline, a
     * safety net for offers nobody acts on, stands down. Without this, an answer AMI could not report (AMI down)
     * would be taken for no answer while the agent talks, and the call offered to a second agent.
     */
    record OfferRinging(String callId, String agentId) implements Command {

        public OfferRinging {
            Checks.notBlank("callId", callId);
            Checks.notBlank("agentId", agentId);
        }
    }

    /**
     * The agent rejected the offered call, or their phone did not answer, was busy or unreachable: {@code reason}
     * ("no answer", "busy", "phone unavailable") is the not-ready reason when the queue's ring-no-answer policy
     * makes the agent not ready (empty: the queue's rejected reason).
     */
    record OfferRejected(String callId, String agentId, java.util.Optional<String> reason) implements Command {

        public OfferRejected {
            Checks.notBlank("callId", callId);
            Checks.notBlank("agentId", agentId);
            java.util.Objects.requireNonNull(reason, "reason");
            reason.ifPresent(r -> Checks.notBlank("reason", r));
        }

        public OfferRejected(String callId, String agentId) {
            this(callId, agentId, java.util.Optional.empty());
        }
    }

    /** The agent's answered call ended; wrap-up starts. */
    record CallEnded(String agentId) implements Command {

        public CallEnded {
            Checks.notBlank("agentId", agentId);
        }
    }

    /**
     * The agent is talking on call {@code callId} (of {@code queue}, answered at {@code answeredAt}) that an engine
     * which stopped had connected: Asterisk's Dial outlived it, this engine only learnt of the call from its record.
     * The agent goes on call for it, from whatever state this engine had them in, and takes no call until
     * {@link AdoptedCallEnded}; then the queue's wrap-up rules apply as after any call. An agent not ready comes out
     * of it not ready with the same reason; one logged out comes out not ready ({@code login}), as after a login.
     * Refused while the agent is reserved for or talking on a call of this engine, or for an unknown queue.
     */
    record AdoptCall(String agentId, String callId, String queue, java.time.Instant answeredAt) implements Command {

        public AdoptCall {
            Checks.notBlank("agentId", agentId);
            Checks.notBlank("callId", callId);
            Checks.notBlank("queue", queue);
            Objects.requireNonNull(answeredAt, "answeredAt");
        }
    }

    /**
     * The adopted call {@code callId} ended ({@link AdoptCall}): like {@link CallEnded}, but only while the agent is
     * still on that call (refused otherwise: a supervisor forced them off it meanwhile).
     */
    record AdoptedCallEnded(String agentId, String callId) implements Command {

        public AdoptedCallEnded {
            Checks.notBlank("agentId", agentId);
            Checks.notBlank("callId", callId);
        }
    }

    /** A waiting or ringing call leaves routing: the caller hung up, accepted a callback, pressed an exit key. */
    record Leave(String callId, String reason) implements Command {

        public Leave {
            Checks.notBlank("callId", callId);
            Checks.notBlank("reason", reason);
        }
    }

    /**
     * A supervisor puts the agent in {@code state}: logged out, ready, not ready or wrap-up (reserved and on call
     * need a call and cannot be forced). An offer pending goes back to its queue head; a call up is considered
     * ended for routing.
     */
    record Force(String agentId, AgentState state, String supervisor) implements Command {

        public Force {
            Checks.notBlank("agentId", agentId);
            Objects.requireNonNull(state, "state");
            Checks.notBlank("supervisor", supervisor);
        }
    }

    /**
     * Gives a waiting call a new priority (a supervisor's decision). It keeps its enqueue time, so its reported
     * wait and its place by wait within the new priority band; only waiting calls qualify (not one ringing an
     * agent). Answered by {@link Decision.CallReprioritised}.
     *
     * <p>{@code onlyIn}: when present, the call must wait in one of these queues when the command applies (after
     * any deadline already due, such as an escalation move, has fired), or the command is rejected — so whoever
     * may re-prioritise the calls of some queues only checks and acts in one step.
     */
    record Reprioritise(String callId, int priority, String by, java.util.Optional<java.util.Set<String>> onlyIn)
            implements Command {

        public Reprioritise {
            Checks.notBlank("callId", callId);
            Checks.range("priority", priority, 0, Integer.MAX_VALUE);
            Checks.notBlank("by", by);
            onlyIn = onlyIn.map(java.util.Set::copyOf);
        }

        /** Any queue. */
        public Reprioritise(String callId, int priority, String by) {
            this(callId, priority, by, java.util.Optional.empty());
        }
    }

    /**
     * Disables an agent: they can no longer log in or be offered calls until a {@link DefineAgent} enables them
     * again. Ready, not ready or in wrap-up: logged out at once. An offer ringing goes back to its queue's head. On a
     * call: the call stays up; they are logged out when its wrap-up ends.
     */
    record DisableAgent(String agentId, String by) implements Command {

        public DisableAgent {
            Checks.notBlank("agentId", agentId);
            Checks.notBlank("by", by);
        }
    }

    /**
     * Disables a queue: it admits no new call ({@link Enqueue} is rejected, escalation moves into it are skipped)
     * while the calls already waiting are still served. A {@link DefineQueue} of the same name enables it again.
     */
    record DisableQueue(String name, String by) implements Command {

        public DisableQueue {
            Checks.notBlank("name", name);
            Checks.notBlank("by", by);
        }
    }

    /** Starts a new day for the least-occupied strategy: calls and talk time today go back to zero. */
    record ResetDailyCounters() implements Command {
    }

    /**
     * Sets the blending rule and which queues carry outbound work (the running campaigns' queues; every other queue
     * is inbound). Sent again whenever they change and, by the dialler, every second: calls of outbound queues that
     * the rule now lets through are matched at once. See {@link BlendRule}.
     */
    record SetBlending(BlendRule rule, java.util.Set<String> outboundQueues) implements Command {

        public SetBlending {
            Objects.requireNonNull(rule, "rule");
            outboundQueues = java.util.Set.copyOf(outboundQueues);
        }
    }
}
