package dev.hotline.outbound;

import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.OutboundConfig;
import dev.hotline.ha.Fence;
import dev.hotline.routing.BlendRule;
import dev.hotline.routing.RoutingCore;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outbound dialler: runs the campaigns, one attempt at a time per contact, through the routing core and AMI.
 *
 * <p>An attempt is a call in the routing core with id {@code ob-<contact id>-<attempt>}, in the campaign's queue, so
 * agents holding inbound and outbound skills are chosen by the same core, which also decides by its blending rule
 * ({@link dev.hotline.routing.BlendRule}) when an agent may take outbound work, and explains each offer; every second
 * the dialler tells the core which queues are outbound and asks it ({@link Port#verdict}) whether, and for how many
 * ready agents, to put work in.
 * <ul>
 * <li><b>preview</b>: the contact enters the core; the core's offer reserves an agent, who sees it
 * ({@link #preview(String)}) and dials or skips it.</li>
 * <li><b>progressive</b>: the same, dialled at once when offered: one call per free agent.</li>
 * <li><b>predictive</b>: the {@link Pacer} decides each second how many contacts to dial ahead of free agents; a
 * contact enters the core only once a person answered, and must be offered within {@link Settings#abandonAfter()}.</li>
 * </ul>
 * Dialling is AMI Originate of the trunk (the customer first) into {@link Settings#context()}, whose dialplan runs
 * {@code AGI(agi://hotline/outbound?call=ID)} ({@link #script()}) on the answered channel: Asterisk's {@code AMD()}
 * where the campaign enables it (a machine hears the campaign's message or is retried), then {@code Dial} of the
 * offered agent. A person who answered and got no agent hears {@code hotline/outbound-abandoned} and the attempt is
 * recorded {@link Outcome#ABANDONED}. Every attempt is a row of {@code outbound_attempt}.
 *
 * <p>Only while the engine {@link Fence#mayAct() may act} (always, for a single engine; the active engine of an HA
 * pair) does the timer put work in and does anything get dialled: a standby never originates a call.
 *
 * <p>Threads: the ACD loop only calls {@link #claims}, which never blocks; the {@code outbound} thread owns the
 * campaigns, the database and the timer; the AGI script runs on the call's virtual thread; AMI events arrive on
 * asterisk-java's thread ({@link #onAmiEvent}, never blocks).
 */
public final class Outbound implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    public static final String CALL_PREFIX = "ob-";
    /** The dialplan context answered customer channels enter (docker/asterisk: runs the outbound script). */
    public static final String CONTEXT = "hotline-outbound";

    /**
     * The engine's {@code outbound:} section, resolved (docs/OUTBOUND.md).
     *
     * @param context        the dialplan context an answered customer channel enters (runs the outbound script)
     * @param trunk          the dial string of a customer, {@code {number}} replaced by the digits
     * @param customerRing   how long a customer's phone rings
     * @param priority       the priority of outbound calls in the routing core
     * @param abandonAfter   a person who answered gets an agent within this, or the call is abandoned
     * @param previewTimeout a preview not dialled nor skipped within this goes back to the list (not an attempt)
     * @param blending       the routing core's blending rule
     * @param pacing         the predictive pacer's settings (each campaign puts its own cap in)
     * @param config         the section itself (a new campaign's defaults)
     */
    public record Settings(String context, String trunk, Duration customerRing, int priority, Duration abandonAfter,
                           Duration previewTimeout, BlendRule blending, Pacer.Settings pacing,
                           OutboundConfig config) {
        public Settings {
            if (!trunk.contains("{number}") || !trunk.contains("/")) {
                throw new IllegalArgumentException("outbound trunk: '" + trunk
                        + "' (expected: a dial string with {number}, e.g. PJSIP/{number}@trunk)");
            }
            java.util.Objects.requireNonNull(abandonAfter, "abandonAfter");
            java.util.Objects.requireNonNull(previewTimeout, "previewTimeout");
            java.util.Objects.requireNonNull(blending, "blending");
            java.util.Objects.requireNonNull(pacing, "pacing");
            java.util.Objects.requireNonNull(config, "config");
        }

        /** From the engine's configuration: the trunk and ring time default to the callbacks' ({@code acd.callback}). */
        public static Settings of(OutboundConfig c, CallbackConfig callback) {
            OutboundConfig.Pacing p = c.pacing();
            return new Settings(c.context(), c.trunk().orElse(callback.trunk()),
                    c.customerRing().orElse(callback.customerRing()), c.priority(), c.abandonAfter(),
                    c.previewTimeout(), c.blending(), new Pacer.Settings(c.abandonCapPct(), p.window(),
                    p.minSamples(), p.initialAnswerRate(), p.brake(), p.maxRatio()), c);
        }

        /** The defaults, with {@code trunk} (tests). */
        public static Settings defaults(String trunk) {
            return of(OutboundConfig.DEFAULTS.withTrunk(trunk), dev.hotline.config.CallbackConfig.DEFAULTS);
        }

        public String dialString(String number) {
            return trunk.replace("{number}", PhoneNumbers.dialDigits(number));
        }
    }

    /** What the dialler needs from the ACD. */
    public interface Port {
        void post(Command command);

        Optional<String> endpointOf(String agentId);

        Duration ringTimeout(String queue);

        /**
         * AMI Originate of {@code channel} into {@code context}/{@code exten}; empty when AMI is down (nothing sent).
         */
        Optional<CompletableFuture<AmiEvent.OriginateResult>> originate(String channel, String context, String exten,
                                                                        Duration timeout, String callerId,
                                                                        Map<String, String> variables);

        Map<String, AgentState> agentStates();

        /** What the routing core's blending rule says now about outbound queue {@code queue}. */
        CompletableFuture<RoutingCore.OutboundVerdict> verdict(String queue);
    }

    /** Whether outbound work may go on now, over the running campaigns, and why (the campaigns page). */
    public record BlendStatus(boolean outboundAllowed, String why) {
    }

    /** One attempt under way. */
    private static final class Live {
        final String callId;
        final Campaign campaign;
        final Contact contact;
        final Instant started;
        volatile String agent;
        volatile Instant offeredAt;
        volatile Instant answeredAt;
        volatile Instant connectedAt;
        volatile String amd = "";
        volatile String customerChannel;
        /** Dialled, or otherwise handled by the agent: a CallLeft from the core no longer releases it. */
        volatile boolean dialled;
        final CompletableFuture<Decision.Offer> offer = new CompletableFuture<>();

        Live(String callId, Campaign campaign, Contact contact, Instant started) {
            this.callId = callId;
            this.campaign = campaign;
            this.contact = contact;
            this.started = started;
        }
    }

    private final Settings settings;
    private final OutboundStore store;
    private final InstantSource clock;
    private final Port port;
    private final DoNotCall doNotCall = new DoNotCall();
    private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();
    private final Map<String, Pacer> pacers = new ConcurrentHashMap<>();
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, Live> previews = new ConcurrentHashMap<>();   // by agent
    private final Map<String, Instant> agentFreeSince = new ConcurrentHashMap<>();
    private final Map<String, Instant> agentBusySince = new ConcurrentHashMap<>();
    private final Map<String, Attempt> lastAttemptOf = new ConcurrentHashMap<>();   // by agent, for the disposition
    private final Map<String, RoutingCore.OutboundVerdict> verdicts = new ConcurrentHashMap<>();
    private final Fence fence;
    private volatile boolean acting = true;
    private final ScheduledExecutorService thread = outboundThread();

    private static ScheduledExecutorService outboundThread() {
        var t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("outbound").daemon()
                .factory());
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);   // a stop does not wait for preview time-outs
        return t;
    }

    /** A single engine's dialler: always acts. */
    public Outbound(Settings settings, OutboundStore store, InstantSource clock, Port port) {
        this(settings, store, clock, port, Fence.SINGLE);
    }

    /** {@code fence}: the lease of an HA pair; nothing is put into routing or dialled while it says no. */
    public Outbound(Settings settings, OutboundStore store, InstantSource clock, Port port, Fence fence) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.port = port;
        this.fence = java.util.Objects.requireNonNull(fence, "fence");
    }

    public Settings settings() {
        return settings;
    }

    /** Loads the campaigns and the do-not-call list (blocking), then ticks every {@code every} (zero: tests tick). */
    public Outbound start(Duration every) throws SQLException {
        for (Campaign c : store.campaigns()) {
            campaigns.put(c.id(), c);
            store.releaseDialling(c.id());
        }
        store.doNotCall().forEach(doNotCall::add);
        if (!every.isZero()) {
            thread.scheduleWithFixedDelay(this::tickSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        log.info("outbound: {} campaign(s), {} number(s) on the do-not-call list", campaigns.size(), doNotCall.size());
        return this;
    }

    public OutboundStore store() {
        return store;
    }

    public DoNotCall doNotCall() {
        return doNotCall;
    }

    /** Whether {@code callId} is an outbound attempt under way (the ACD's invariants: not a phantom call). */
    public boolean owns(String callId) {
        return live.containsKey(callId);
    }

    /** The routing core's last word on the running campaigns (blending), for the page. */
    public BlendStatus blending() {
        List<RoutingCore.OutboundVerdict> now = verdicts.values().stream()
                .sorted(java.util.Comparator.comparing(RoutingCore.OutboundVerdict::queue)).toList();
        if (now.isEmpty()) {
            return new BlendStatus(true, "no campaign running");
        }
        List<String> held = now.stream().filter(v -> !v.allowed()).map(v -> v.queue() + ": " + v.why()).toList();
        return held.isEmpty() ? new BlendStatus(true, now.stream().map(v -> v.queue() + ": " + v.why())
                .collect(java.util.stream.Collectors.joining("; ")))
                : new BlendStatus(false, String.join("; ", held));
    }

    /** The routing core's last verdict on a campaign queue, if it runs. */
    public Optional<RoutingCore.OutboundVerdict> verdict(String queue) {
        return Optional.ofNullable(verdicts.get(queue));
    }

    /** The campaign's pacer (predictive), if it has dialled. */
    public Optional<Pacer> pacer(String campaign) {
        return Optional.ofNullable(pacers.get(campaign));
    }

    // ------------------------------------------------------------------ campaigns (API, outbound thread)

    /** Stores a new or changed campaign (a running one keeps running with the new settings). */
    public Campaign save(Campaign c) throws SQLException {
        return onThread(() -> {
            store.save(c);
            campaigns.put(c.id(), c);
            pacers.remove(c.id());
            return c;
        });
    }

    /** Starts, pauses or stops a campaign. Stopping or pausing leaves calls under way to finish. */
    public Campaign setStatus(String id, Campaign.Status status, String by) throws SQLException {
        return onThread(() -> {
            Campaign c = campaigns.get(id);
            if (c == null) {
                throw new IllegalArgumentException("campaign '" + id + "' does not exist");
            }
            Campaign next = c.withStatus(status, clock.instant(), by);
            store.save(next);
            campaigns.put(id, next);
            if (status != Campaign.Status.RUNNING) {
                withdrawWaiting(id, "campaign " + status.wireName());
            }
            log.info("outbound: campaign {} {} by {}", id, status.wireName(), by);
            return next;
        });
    }

    /** The queues of running campaigns: outbound for the routing core's blending rule, every other one inbound. */
    public java.util.Set<String> campaignQueues() {
        java.util.Set<String> out = new java.util.HashSet<>();
        campaigns.values().stream().filter(c -> c.status() == Campaign.Status.RUNNING).forEach(c -> out.add(c.queue()));
        return out;
    }

    public List<Campaign> campaigns() {
        return campaigns.values().stream().sorted(java.util.Comparator.comparing(Campaign::id)).toList();
    }

    public Optional<Campaign> campaign(String id) {
        return Optional.ofNullable(campaigns.get(id));
    }

    /** Imports a contact list into a campaign (see {@link ContactImport}); the good rows are stored. */
    public ContactImport.Result importContacts(String campaign, java.io.Reader csv, ContactImport.Mapping mapping,
                                               Map<String, String> zonePrefixes) throws SQLException {
        return onThread(() -> {
            Campaign c = campaigns.get(campaign);
            if (c == null) {
                throw new IllegalArgumentException("campaign '" + campaign + "' does not exist");
            }
            ZonePrefixes zones = ZonePrefixes.parse(zonePrefixes, c.defaultZone().getId());
            ContactImport.Result r;
            try {
                r = ContactImport.read(csv, campaign, mapping, zones, store.numbers(campaign),
                        store.contactCount(campaign) + 1L, clock.instant());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("contact list: " + e.getMessage());
            }
            store.insert(r.contacts());
            log.info("outbound: campaign {}: {} contact(s) imported, {} bad row(s), {} duplicate(s)", campaign,
                    r.contacts().size(), r.errors().size(), r.duplicates().size());
            return r;
        });
    }

    public void addDoNotCall(String number, String by) throws SQLException {
        String n = PhoneNumbers.normalize(number);
        onThread(() -> {
            store.addDoNotCall(n, by, clock.instant());
            doNotCall.add(n);
            return null;
        });
    }

    // ------------------------------------------------------------------ preview (API)

    /** The contact previewed to {@code agentId}, if any: the campaign and the contact. */
    public Optional<Map.Entry<Campaign, Contact>> preview(String agentId) {
        Live l = previews.get(agentId);
        return l == null ? Optional.empty() : Optional.of(Map.entry(l.campaign, l.contact));
    }

    /** The agent dials the previewed contact. False when there is none. */
    public boolean previewDial(String agentId) {
        Live l = previews.remove(agentId);
        if (l == null) {
            return false;
        }
        later(() -> dial(l));
        return true;
    }

    /** The agent skips the previewed contact: recorded as {@link Outcome#SKIPPED}. False when there is none. */
    public boolean previewSkip(String agentId) {
        Live l = previews.remove(agentId);
        if (l == null) {
            return false;
        }
        l.dialled = true;   // handled: the core's CallLeft must not put the contact back on the list
        port.post(new Command.Leave(l.callId, "skipped by the agent"));
        later(() -> finish(l, Outcome.SKIPPED));
        return true;
    }

    /** The agent's disposition for their last outbound call. False when they have had none. */
    public boolean disposition(String agentId, String code) {
        Attempt a = lastAttemptOf.get(agentId);
        if (a == null) {
            return false;
        }
        Campaign c = campaigns.get(a.campaign());
        if (c != null && !c.dispositions().isEmpty() && !c.dispositionCodes().contains(code)) {
            throw new IllegalArgumentException("disposition: '" + code + "' (expected one of: "
                    + String.join(", ", c.dispositionCodes()) + ")");
        }
        Attempt withCode = new Attempt(a.id(), a.campaign(), a.contact(), a.number(), a.mode(), a.startedAt(),
                a.answeredAt(), a.endedAt(), a.outcome(), a.amdResult(), a.agent(), a.agentWait(), a.talk(),
                a.wrapUp(), code, c != null && c.rightParty(code));
        lastAttemptOf.put(agentId, withCode);
        later(() -> {
            try {
                store.updateDisposition(withCode);
            } catch (SQLException e) {
                log.error("outbound: attempt {}: disposition not stored: {}", a.id(), e.toString());
            }
        });
        return true;
    }

    // ------------------------------------------------------------------ the ACD loop

    /**
     * On the ACD loop: whether {@code decision} is about an outbound call, handled here (never blocks). The ACD
     * skips the decisions claimed.
     */
    public boolean claims(Decision decision) {
        String id = switch (decision) {
            case Decision.Offer o -> o.callId();
            case Decision.CallLeft l -> l.callId();
            case Decision.MaxWaitReached m -> m.callId();
            case Decision.ExitedQueue x -> x.callId();
            case Decision.CallQueued q -> q.callId();
            case Decision.CallAnswered a -> a.callId();
            case Decision.QueueFull f -> f.callId();
            case Decision.CommandRejected r when r.command() instanceof Command.Enqueue e -> e.call().id();
            default -> null;
        };
        if (id == null || !id.startsWith(CALL_PREFIX)) {
            return false;
        }
        Live l = live.get(id);
        if (l == null || !acting) {
            return true;   // ended, or the dialler stopped: its calls are left alone
        }
        switch (decision) {
            case Decision.Offer o -> {
                l.agent = o.agentId();
                l.offeredAt = clock.instant();
                log.info("outbound: {} offered to agent {} ({}; {})", id, o.agentId(), o.explanation().rule(),
                        o.explanation().blending());
                if (!l.offer.complete(o)) {
                    return true;
                }
                if (l.campaign.mode() == DialMode.PREVIEW) {
                    previews.put(o.agentId(), l);
                    try {
                        thread.schedule(() -> previewExpired(o.agentId(), l), settings.previewTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        return true;   // stopped meanwhile
                    }
                } else if (l.campaign.mode() == DialMode.PROGRESSIVE) {
                    later(() -> dial(l));
                }
            }
            case Decision.CallLeft left when !l.dialled -> later(() -> release(l));
            case Decision.CommandRejected r -> {
                log.warn("outbound: the routing core refused {}: {}", id, r.reason());
                later(() -> release(l));
            }
            default -> { }
        }
        return true;
    }

    /**
     * An agent's state changed (ACD loop; never blocks): the end of the wrap-up after an outbound call is written to
     * its attempt, and a ready agent's wait for the next call starts.
     */
    public void agentChanged(dev.hotline.routing.StateChange change) {
        if (!(change.to() instanceof AgentState.Ready)) {
            return;
        }
        agentFreeSince.put(change.agentId(), change.at());
        if (!(change.from() instanceof AgentState.WrapUp)) {
            return;
        }
        Attempt a = lastAttemptOf.get(change.agentId());
        if (a == null || !a.wrapUp().isZero() || change.at().isBefore(a.endedAt())) {
            return;
        }
        Attempt wrapped = new Attempt(a.id(), a.campaign(), a.contact(), a.number(), a.mode(), a.startedAt(),
                a.answeredAt(), a.endedAt(), a.outcome(), a.amdResult(), a.agent(), a.agentWait(), a.talk(),
                Duration.between(a.endedAt(), change.at()), a.disposition(), a.rightParty());
        if (lastAttemptOf.replace(change.agentId(), a, wrapped)) {
            later(() -> {
                try {
                    store.updateWrapUp(wrapped);
                } catch (SQLException e) {
                    log.error("outbound: attempt {}: wrap-up not stored: {}", a.id(), e.toString());
                }
            });
        }
    }

    /** AMI events (asterisk-java's thread): the agent answered a customer's Dial. */
    public void onAmiEvent(AmiEvent event) {
        if (event instanceof AmiEvent.DialEnded d && "ANSWER".equalsIgnoreCase(d.status())) {
            for (Live l : live.values()) {
                if (d.uniqueId().equals(l.customerChannel) && l.agent != null && l.connectedAt == null) {
                    l.connectedAt = clock.instant();
                    agentBusySince.put(l.agent, l.connectedAt);
                    port.post(new Command.OfferAnswered(l.callId, l.agent));
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------ the timer (outbound thread)

    /**
     * Puts contacts into routing (preview, progressive) or dials ahead (predictive) for every running campaign, as
     * far as the routing core's blending rule allows: it is told which queues are outbound, then asked, per campaign
     * queue, whether outbound work may go on and for how many ready agents. Nothing while this engine may not act.
     */
    public void tick() {
        if (!acting || !fence.mayAct()) {
            return;
        }
        Instant now = clock.instant();
        port.post(new Command.SetBlending(settings.blending(), campaignQueues()));
        java.util.Set<String> running = new java.util.HashSet<>();
        for (Campaign c : campaigns.values()) {
            if (c.status() != Campaign.Status.RUNNING) {
                continue;
            }
            running.add(c.queue());
            try {
                RoutingCore.OutboundVerdict v = port.verdict(c.queue()).get(2, TimeUnit.SECONDS);
                RoutingCore.OutboundVerdict before = verdicts.put(c.queue(), v);
                if (before == null || before.allowed() != v.allowed()) {
                    log.info("outbound: campaign {} (queue {}): {}", c.id(), c.queue(),
                            v.allowed() ? "outbound allowed: " + v.why() : v.why());
                }
                if (!v.allowed()) {
                    withdrawWaiting(c.id(), v.why());
                    continue;
                }
                int free = v.readyAgents();
                if (c.mode() == DialMode.PREDICTIVE) {
                    predictive(c, now, free);
                } else {
                    long waiting = live.values().stream().filter(l -> l.campaign.id().equals(c.id())
                            && l.agent == null).count();
                    for (Contact contact : next(c, now, (int) Math.max(0, free - waiting))) {
                        Live l = begin(c, contact, now);
                        port.post(new Command.Enqueue(call(l), Optional.empty(), true));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException | java.util.concurrent.ExecutionException | TimeoutException e) {
                log.error("outbound: campaign {}: tick failed: {}", c.id(), e.toString());
            }
        }
        verdicts.keySet().retainAll(running);
    }

    private void predictive(Campaign c, Instant now, int free) throws SQLException {
        Pacer pacer = pacers.computeIfAbsent(c.id(), k -> new Pacer(c.pacerSettings(settings.pacing())));
        List<Duration> busyFor = new ArrayList<>();
        agentBusySince.forEach((agent, since) -> busyFor.add(Duration.between(since, now)));
        int inFlight = (int) live.values().stream().filter(l -> l.campaign.id().equals(c.id()) && l.answeredAt == null)
                .count();
        Pacer.Plan plan = pacer.plan(now, free, busyFor, inFlight);
        if (plan.dial() > 0) {
            log.debug("outbound: campaign {}: {}", c.id(), plan.why());
            for (Contact contact : next(c, now, plan.dial())) {
                dial(begin(c, contact, now));
            }
        }
    }

    /** Up to {@code n} contacts to dial now: due, within their calling hours, not on the do-not-call list. */
    private List<Contact> next(Campaign c, Instant now, int n) throws SQLException {
        List<Contact> out = new ArrayList<>();
        if (n <= 0) {
            return out;
        }
        for (Contact contact : store.due(c.id(), now, n * 4 + 10)) {
            if (out.size() >= n) {
                break;
            }
            if (live.values().stream().anyMatch(l -> l.contact.id().equals(contact.id()))) {
                continue;
            }
            if (!c.hours().allows(now, contact.zone())) {
                store.update(new Contact(contact.id(), contact.campaign(), contact.number(), contact.name(),
                        contact.zone(), contact.fields(), contact.line(), contact.status(), contact.attempts(),
                        c.hours().nextOpen(now, contact.zone()), contact.lastOutcome()));
                continue;
            }
            out.add(contact);
        }
        return out;
    }

    private Live begin(Campaign c, Contact contact, Instant now) throws SQLException {
        String id = CALL_PREFIX + contact.id() + "-" + (contact.attempts() + 1);
        Live l = new Live(id, c, contact, now);
        live.put(id, l);
        store.update(contact.withStatus(Contact.Status.DIALLING));
        return l;
    }

    private Call call(Live l) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("campaign", l.campaign.name());
        data.put("contact_number", l.contact.number());
        data.put("contact_name", l.contact.name());
        l.contact.fields().forEach((k, v) -> data.put("contact_" + k, v));
        data.put("mode", l.campaign.mode().wireName());
        return new Call(l.callId, l.campaign.queue(), OptionalInt.of(settings.priority()), List.of(), Optional.empty(),
                Optional.empty(), data);
    }

    /** The do-not-call list is checked here, at dial time; then the customer's phone is originated. */
    private void dial(Live l) {
        Instant now = clock.instant();
        if (!acting || !fence.mayAct()) {
            log.warn("outbound: {}: not dialled, this engine may not act ({}); the contact goes back to the list",
                    l.callId, fence);
            if (l.agent != null) {
                port.post(new Command.Leave(l.callId, "engine not active"));
            }
            release(l);
            return;
        }
        l.dialled = true;
        if (doNotCall.blocks(l.contact.number())) {
            log.info("outbound: {}: {} is on the do-not-call list; not dialled", l.callId, l.contact.number());
            if (l.agent != null) {
                port.post(new Command.Leave(l.callId, "do not call"));
            }
            finish(l, Outcome.DO_NOT_CALL);
            return;
        }
        String callerId = l.campaign.callerId().isEmpty() ? "" : "<" + l.campaign.callerId() + ">";
        Optional<CompletableFuture<AmiEvent.OriginateResult>> originated = port.originate(
                settings.dialString(l.contact.number()), settings.context(), l.callId, settings.customerRing(),
                callerId, Map.of("HOTLINE_OUTBOUND", l.callId, "HOTLINE_CAMPAIGN", l.campaign.id()));
        if (originated.isEmpty()) {
            log.warn("outbound: {}: AMI is down; the contact goes back to the list", l.callId);
            if (l.agent != null) {
                port.post(new Command.Leave(l.callId, "AMI down"));
            }
            release(l);
            return;
        }
        originated.get().whenCompleteAsync((r, error) -> {
                    if (r != null && r.answered()) {
                        return;   // the customer's channel runs the outbound script
                    }
                    Outcome o = error != null ? Outcome.FAILED : switch (r.reason()) {
                        case 5 -> Outcome.BUSY;
                        case 3, 1 -> Outcome.NO_ANSWER;
                        default -> Outcome.FAILED;
                    };
                    if (l.agent != null) {
                        port.post(new Command.Leave(l.callId, "customer " + o.wireName()));
                    }
                    finish(l, o);
                }, thread);
        log.debug("outbound: {} dialling {} at {}", l.callId, l.contact.number(), now);
    }

    /** {@code agi://hotline/outbound?call=ID}: runs on the customer's answered channel. */
    public AgiScript script() {
        return session -> {
            String id = session.environment().query().getOrDefault("call", session.environment().extension());
            Live l = live.get(id);
            if (l == null) {
                log.warn("outbound script: no attempt '{}' under way (channel {})", id, session.environment().channel());
                session.setVariable("HOTLINE_ERROR", "unknown outbound call " + dev.hotline.agi.codec.AgiCommand.sanitize(id));
                return;
            }
            l.answeredAt = clock.instant();
            l.customerChannel = session.environment().uniqueId();
            try {
                connect(session, l);
            } catch (AgiHangupException e) {
                if (l.agent != null && l.connectedAt == null) {
                    port.post(new Command.Leave(l.callId, "customer hung up"));
                }
                if (l.connectedAt != null) {
                    port.post(new Command.CallEnded(l.agent));
                    Duration talk = Duration.between(l.connectedAt, clock.instant());
                    later(() -> finishConnected(l, talk, Optional.empty()));
                } else {
                    later(() -> finish(l, Outcome.ABANDONED));
                }
            } finally {
                if (!session.isHungUp()) {
                    session.hangup();
                }
            }
        };
    }

    private void connect(AgiSession session, Live l) {
        Campaign c = l.campaign;
        if (c.amd()) {
            session.exec("AMD", "", Duration.ofSeconds(10));
            l.amd = session.getVariable("AMDSTATUS").orElse("");
            if ("MACHINE".equalsIgnoreCase(l.amd)) {
                if (l.agent != null) {
                    port.post(new Command.Leave(l.callId, "answering machine"));
                }
                if (c.machineAction() == Campaign.MachineAction.MESSAGE) {
                    playQuietly(session, "hotline/outbound-machine-message");
                }
                later(() -> finish(l, Outcome.MACHINE));
                return;
            }
        }
        Decision.Offer offer;
        if (c.mode() == DialMode.PREDICTIVE) {
            port.post(new Command.Enqueue(call(l), Optional.empty(), true));
            try {
                offer = l.offer.get(settings.abandonAfter().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                offer = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                offer = null;
            }
        } else {
            offer = l.offer.getNow(null);
        }
        Optional<String> endpoint = offer == null ? Optional.empty() : port.endpointOf(offer.agentId());
        if (endpoint.isEmpty()) {
            abandon(session, l, offer == null ? "no agent within " + settings.abandonAfter().toMillis() + " ms"
                    : "agent " + offer.agentId() + " has no phone");
            return;
        }
        Instant freeSince = agentFreeSince.remove(offer.agentId());
        long ring = Math.max(1, port.ringTimeout(c.queue()).toSeconds());
        session.exec("Dial", endpoint.get() + "," + ring, Duration.ofHours(12));
        String status = session.getVariable("DIALSTATUS").orElse("");
        if ("ANSWER".equalsIgnoreCase(status) || l.connectedAt != null) {
            Instant end = clock.instant();
            Instant connected = l.connectedAt != null ? l.connectedAt : end;
            if (l.connectedAt == null) {
                port.post(new Command.OfferAnswered(l.callId, offer.agentId()));
            }
            port.post(new Command.CallEnded(offer.agentId()));
            Optional<Duration> waited = Optional.ofNullable(freeSince).map(f -> Duration.between(f, l.offeredAt));
            later(() -> finishConnected(l, Duration.between(connected, end), waited));
        } else {
            port.post(new Command.SetNotReady(offer.agentId(), "no answer"));
            abandon(session, l, "agent " + offer.agentId() + " did not answer (" + status + ")");
        }
    }

    private void abandon(AgiSession session, Live l, String why) {
        log.info("outbound: {}: abandoned: {}", l.callId, why);
        port.post(new Command.Leave(l.callId, "abandoned: " + why));
        playQuietly(session, "hotline/outbound-abandoned");
        later(() -> finish(l, Outcome.ABANDONED));
    }

    private static void playQuietly(AgiSession session, String prompt) {
        try {
            session.streamFile(prompt, "");
        } catch (AgiCommandException e) {
            log.warn("outbound: prompt {} could not be played: {}", prompt, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ endings (outbound thread)

    private void finishConnected(Live l, Duration talk, Optional<Duration> waited) {
        record(l, Outcome.CONNECTED, talk, waited);
    }

    /** An attempt that did not reach an agent. */
    private void finish(Live l, Outcome outcome) {
        record(l, outcome, Duration.ZERO, Optional.empty());
    }

    private void record(Live l, Outcome outcome, Duration talk, Optional<Duration> waited) {
        if (live.remove(l.callId) == null) {
            return;   // ended already
        }
        Instant now = clock.instant();
        if (l.agent != null) {
            agentBusySince.remove(l.agent);   // free again from the agent's next Ready (agentChanged)
        }
        Attempt a = new Attempt(l.callId.substring(CALL_PREFIX.length()), l.campaign.id(), l.contact.id(),
                l.contact.number(), l.campaign.mode(), l.started, Optional.ofNullable(l.answeredAt), now, outcome,
                l.amd, outcome == Outcome.CONNECTED || l.campaign.mode() != DialMode.PREDICTIVE
                ? Optional.ofNullable(l.agent) : Optional.empty(), waited, talk, Duration.ZERO, "", false);
        if (l.agent != null && outcome == Outcome.CONNECTED) {
            lastAttemptOf.put(l.agent, a);
        }
        Pacer pacer = pacers.get(l.campaign.id());
        if (pacer != null) {
            pacer.attempted(now, outcome, Duration.between(l.started,
                    l.answeredAt != null ? l.answeredAt : now));
            if (outcome == Outcome.CONNECTED) {
                pacer.handled(now, talk);
            }
        }
        int same;
        try {
            same = (int) store.outcomes(l.contact.id()).stream().filter(o -> o == outcome).count();
        } catch (SQLException e) {
            same = l.contact.lastOutcome().filter(o -> o == outcome).isPresent() ? 1 : 0;
        }
        RetryRules.Next next = outcome == Outcome.SKIPPED
                ? new RetryRules.Next.Finish(Contact.Status.FAILED, "skipped by the agent")
                : l.campaign.retry().after(l.contact, outcome, same, now);
        Contact after = switch (next) {
            case RetryRules.Next.Retry r -> l.contact.attempted(outcome, Contact.Status.PENDING, r.at());
            case RetryRules.Next.Finish f -> l.contact.attempted(outcome, f.status(), now);
        };
        try {
            store.insert(a);
            store.update(after);
        } catch (SQLException e) {
            log.error("outbound: attempt {} ({}) not stored: {}", a.id(), outcome.wireName(), e.toString());
        }
        log.info("outbound: {} {} → {}", l.callId, outcome.wireName(), next);
    }

    /** An attempt that never dialled: the contact goes back to the list as it was. */
    private void release(Live l) {
        if (live.remove(l.callId) == null) {
            return;
        }
        try {
            store.update(l.contact);
        } catch (SQLException e) {
            log.error("outbound: contact {} not released: {}", l.contact.id(), e.toString());
        }
    }

    private void previewExpired(String agentId, Live l) {
        if (previews.remove(agentId, l)) {
            log.info("outbound: {}: preview not acted on within {}; back to the list", l.callId,
                    settings.previewTimeout());
            port.post(new Command.Leave(l.callId, "preview timed out"));
            release(l);
        }
    }

    /** Takes the campaign's contacts still waiting in the core (not offered yet) out of it. */
    private void withdrawWaiting(String campaign, String why) {
        for (Live l : List.copyOf(live.values())) {
            if (l.campaign.id().equals(campaign) && l.agent == null && !l.dialled) {
                port.post(new Command.Leave(l.callId, why));
                release(l);
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("outbound: timer failed", e);
        }
    }

    /** Runs {@code task} on the outbound thread; after {@link #close()} it is dropped (logged). */
    private void later(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.warn("outbound: stopped; a late step was dropped (its contact is released at the next start)");
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T onThread(Work<T> work) throws SQLException {
        try {
            return thread.submit(work::run).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("outbound thread busy for 30 s");
        }
    }

    /** Runs {@code task} on the outbound thread and waits (tests). */
    public void sync(Runnable task) throws SQLException {
        onThread(() -> {
            task.run();
            return null;
        });
    }

    /** Stops at once: nothing more is put into routing or dialled (an HA pair's engine stepping down, or a stop). */
    @Override
    public void close() {
        acting = false;
        for (Live l : List.copyOf(live.values())) {
            if (l.connectedAt == null && l.answeredAt == null) {
                port.post(new Command.Leave(l.callId, "dialler stopped"));   // out of routing; not dialled again here
            }
        }
        thread.shutdown();   // attempts already ending are still written
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
