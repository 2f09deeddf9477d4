package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.callbacks.Callback;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engine + simulator: customer-first callbacks (the customer is called first and connected to the reserved agent;
 * an agent who does not answer costs the customer nothing), the caller's recorded name, and the callback offered
 * when the estimated wait is long.
 */
@Tag("slow")
class CallbackModesE2ETest {

    private static final Path HOME = Path.of("..");
    private static final String CUSTOMER = "0612345678";

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();
    private final List<dev.hotline.routing.StateChange> agentChanges = new CopyOnWriteArrayList<>();

    /** Queue support: callback key 2, or (with {@code offer}) only the offer; agents take 6 s per call. */
    private static HotlineConfig config(CallbackConfig.Mode mode, Duration recordName,
                                        Optional<QueueConfig.CallbackOffer> offer) throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        Map<Character, QueueTarget> keys = offer.isPresent() ? Map.of()
                : Map.of('2', new QueueTarget(QueueTarget.Kind.CALLBACK, ""));
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofMillis(300),
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(), keys, List.of(),
                q.name().equals("support") ? offer : Optional.empty())).toList();
        CallbackConfig callback = new CallbackConfig("hotline-callback", "PJSIP/{number}", Duration.ofSeconds(2), 3,
                Duration.ofMillis(300), Optional.empty(), Duration.ofHours(1), "", mode, recordName, "names",
                Duration.ofMinutes(10));
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), "", callback), c.agentsFile());
    }

    /**
     * Engine + simulator with agent 1004 logged in (not ready); the agent's phone answers with probability
     * {@code agentAnswers}, the customer's with {@code customerAnswers} and stays on for {@code customerTalk}.
     */
    private void start(HotlineConfig config, double agentAnswers, double customerAnswers, Duration customerTalk)
            throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        world = DemoWorld.start(config, agents, new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(150)),
                agentAnswers, new Distribution.Fixed(Duration.ofSeconds(6))), Media.everyFile(Duration.ofMillis(50)), 7,
                "test");
        world.engine().acd().addListener(events::add);
        world.engine().acd().addAgentListener(agentChanges::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().login("1004");
        world.asterisk().pbx().endpoints().add("PJSIP/" + CUSTOMER, new EndpointBehaviour(
                new Distribution.Fixed(Duration.ofMillis(150)), customerAnswers, new Distribution.Fixed(customerTalk)),
                true);
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private CallEvent.CallbackRequested requestCallbackByKey() throws InterruptedException {
        world.asterisk().placeCall("from-pstn", Calls.toSupport(CUSTOMER)
                .whileWaiting(new Reaction.Press("2", Duration.ofMillis(200)))
                .atPrompt("hotline/callback-confirm", new Reaction.Press("1", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        return await(CallEvent.CallbackRequested.class, e -> true);
    }

    private <T extends CallEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(25));
    }

    private AgentState agentState() {
        return world.engine().acd().agentStates().get("1004");
    }

    // ------------------------------------------------------------------------------------------ customer-first

    @Test
    void customerFirstCallsTheCustomerThenConnectsTheReservedAgentAndKeepsTheRecordedName() throws Exception {
        start(config(CallbackConfig.Mode.CUSTOMER_FIRST, Duration.ofSeconds(1), Optional.empty()), 1.0, 1.0,
                Duration.ofSeconds(4));
        CallEvent.CallbackRequested requested = requestCallbackByKey();
        var service = world.engine().callbacks().orElseThrow();
        Callback stored = service.store().find(requested.callId()).orElseThrow();
        assertThat(stored.nameFile()).as("the caller's name was recorded (RECORD FILE, 1 s max)")
                .isEqualTo("names/callback-" + requested.callId().replaceAll("[^A-Za-z0-9_-]", "_"));

        world.engine().acd().ready("1004");
        CallEvent.CallbackAttempted done = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()));
        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(done.result()).isEqualTo("answered");
        assertThat(done.agentId()).isEqualTo("1004");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(service.store().find(requested.callId()).orElseThrow().status())
                .isEqualTo(Callback.Status.COMPLETED);
        // The agent took a call: wrap-up (300 ms) and ready again, never made not ready.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(agentState() instanceof AgentState.Ready) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(agentState()).isInstanceOf(AgentState.Ready.class);
    }

    @Test
    void customerFirstNeverRingsTheAgentWhenTheCustomerDoesNotAnswer() throws Exception {
        start(config(CallbackConfig.Mode.CUSTOMER_FIRST, Duration.ZERO, Optional.empty()), 1.0, 0.0,
                Duration.ofSeconds(4));
        CallEvent.CallbackRequested requested = requestCallbackByKey();
        world.engine().acd().ready("1004");
        CallEvent.CallbackAttempted first = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()) && e.attempts() == 1);
        assertThat(first.result()).isEqualTo("no answer");
        assertThat(first.status()).isEqualTo("PENDING");
        CallEvent.CallbackAttempted last = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()) && e.attempts() == 3);
        assertThat(last.status()).isEqualTo("FAILED");
        // Agent-first would have rung (and connected) the agent each time; here they were only reserved while the
        // customer's phone rang, then ready again: never on a call, never made not ready.
        assertThat(agentChanges).filteredOn(c -> c.agentId().equals("1004")).extracting(c -> c.to().getClass().getSimpleName())
                .doesNotContain("OnCall").contains("Reserved");
        assertThat(agentChanges).filteredOn(c -> c.agentId().equals("1004") && c.to() instanceof AgentState.NotReady)
                .extracting(c -> ((AgentState.NotReady) c.to()).reason()).containsOnly("login");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(agentState() instanceof AgentState.Ready) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(agentState()).isInstanceOf(AgentState.Ready.class);
    }

    @Test
    void customerFirstWhenTheAgentDoesNotAnswerTheCustomerIsToldAndTheCallbackIsKeptWithoutCountingAnAttempt()
            throws Exception {
        start(config(CallbackConfig.Mode.CUSTOMER_FIRST, Duration.ZERO, Optional.empty()), 0.0, 1.0,
                Duration.ofSeconds(20));
        CallEvent.CallbackRequested requested = requestCallbackByKey();
        world.engine().acd().ready("1004");
        CallEvent.CallbackAttempted missed = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()));
        assertThat(missed.result()).isEqualTo("agent no answer");
        assertThat(missed.status()).isEqualTo("PENDING");
        assertThat(missed.attempts()).as("the customer was not at fault").isZero();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(agentState() instanceof AgentState.NotReady) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(agentState()).isInstanceOfSatisfying(AgentState.NotReady.class,
                nr -> assertThat(nr.reason()).isEqualTo("no answer"));
        var service = world.engine().callbacks().orElseThrow();
        Callback kept = service.store().find(requested.callId()).orElseThrow();
        assertThat(kept.status()).isEqualTo(Callback.Status.PENDING);
        assertThat(kept.attempts()).isZero();
        assertThat(kept.lastResult()).isEqualTo("agent no answer");
        assertThat(service.pending()).extracting(Callback::id).containsExactly(requested.callId());
    }

    // ------------------------------------------------------------------------------------------ EWT offer

    /**
     * Agent 1004 is ready; a first caller occupies them (6 s). A second caller joins: 1 caller ahead of none,
     * 1 agent staffed, assumed handle time 180 s, so the estimated wait is 180 s. The offer plays if that is above
     * the queue's {@code after_ewt}; the second caller presses 3 whenever they hear it.
     */
    private Optional<CallEvent.CallbackRequested> secondCallerWithEwt180s(Duration afterEwt) throws Exception {
        start(config(CallbackConfig.Mode.AGENT_FIRST, Duration.ZERO, Optional.of(new QueueConfig.CallbackOffer(
                afterEwt, '3', "hotline/callback-offer"))), 1.0, 1.0, Duration.ofSeconds(1));
        world.engine().acd().ready("1004");
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0699999999").hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered first = await(CallEvent.Answered.class, e -> true);
        world.asterisk().placeCall("from-pstn", Calls.toSupport(CUSTOMER)
                .atPrompt("hotline/callback-offer", new Reaction.Press("3", Duration.ofMillis(20)))
                .atPrompt("hotline/callback-confirm", new Reaction.Press("1", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Queued second = await(CallEvent.Queued.class, e -> !e.callId().equals(first.callId()));
        // Either the caller takes the offer, or they wait and reach the agent after the first call.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            for (CallEvent e : events) {
                if (e instanceof CallEvent.CallbackRequested r && r.callId().equals(second.callId())) {
                    return Optional.of(r);
                }
                if (e instanceof CallEvent.Answered a && a.callId().equals(second.callId())) {
                    return Optional.empty();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the second caller was neither called back nor answered: " + events);
    }

    @Test
    void aWaitAboveTheThresholdOffersACallbackWhichTheCallerTakes() throws Exception {
        Optional<CallEvent.CallbackRequested> requested = secondCallerWithEwt180s(Duration.ofSeconds(60));
        assertThat(requested).as("offered (180 s > 60 s) and taken").hasValueSatisfying(r -> {
            assertThat(r.queue()).isEqualTo("support");
            assertThat(r.number()).isEqualTo(CUSTOMER);
        });
        // Called back once the agent is free, like a callback requested with a key.
        CallEvent.CallbackAttempted done = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.get().callId()));
        assertThat(done.status()).isEqualTo("COMPLETED");
    }

    @Test
    void aWaitBelowTheThresholdOffersNothing() throws Exception {
        assertThat(secondCallerWithEwt180s(Duration.ofMinutes(5))).as("180 s < 5 min: no offer, the caller waits")
                .isEmpty();
    }
}
