package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls through engine + simulator over real TCP: IVR → queue → agent → wrap-up, and the ways that can go. */
@Tag("slow")
class CallFlowE2ETest {

    private static final Path HOME = Path.of("..");

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    private static HotlineConfig config() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        HotlineConfig c = loader.load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(java.nio.file.Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), c.queues(), c.acd(), c.agentsFile());
    }

    /** The shipped queues with test-sized timers: ring 2 s, wrap-up 1 s, max wait {@code maxWait}. */
    private static HotlineConfig fast(HotlineConfig c, Duration maxWait) {
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), maxWait, q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                q.record())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), c.database(), c.ivrScripts(),
                c.calendars(), queues, new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""),
                c.agentsFile());
    }

    private void start(List<AgentConfig> agents, EndpointBehaviour phones) throws Exception {
        start(agents, phones, Duration.ofMinutes(3));
    }

    private void start(List<AgentConfig> agents, EndpointBehaviour phones, Duration maxWait) throws Exception {
        world = DemoWorld.start(fast(config(), maxWait), agents, phones, Media.everyFile(Duration.ofMillis(100)), 7,
                "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().loginAllReady();
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private static List<AgentConfig> agents(String... ids) throws Exception {
        List<AgentConfig> all = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml"));
        return all.stream().filter(a -> List.of(ids).contains(a.id())).toList();
    }

    private static EndpointBehaviour answering(Duration talk) {
        return new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(200)), 1.0, new Distribution.Fixed(talk));
    }

    private static CallerScript.Builder toSupport() {
        return Calls.toSupport("0612345678");
    }

    private <T extends CallEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(20));
    }

    @Test
    void callerReachesAnAgentThroughIvrQueueAndRedirect() throws Exception {
        start(agents("1004", "1005"), answering(Duration.ofMillis(800)));
        SimulatedCall call = world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Queued queued = await(CallEvent.Queued.class, e -> true);
        assertThat(queued.queue()).isEqualTo("support");
        // The screen pop: what the queue node hands the agent, with the IVR path.
        assertThat(queued.data()).containsEntry("language", "en")
                .hasEntrySatisfying("ivr_path", path -> assertThat(path).contains("main", "support"));
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> e.callId().equals(queued.callId()));
        assertThat(answered.agentId()).isIn("1004", "1005");
        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> e.callId().equals(queued.callId()));
        assertThat(ended.hungUpFirst()).isEqualTo("agent");
        call.ended().get(10, TimeUnit.SECONDS);
        assertThat(world.asterisk().summary().dialsAnswered()).isEqualTo(1);
        assertThat(world.engine().acd().agentStates().get(answered.agentId())).isInstanceOf(AgentState.WrapUp.class);

        // The call record: IVR path, queue visit with the agent, talk and (after the 1 s wrap-up) wrap-up time.
        awaitAgent(answered.agentId(), s -> s instanceof AgentState.Ready);
        var writer = world.engine().records().writer();
        assertThat(writer.awaitStored(Duration.ofSeconds(10))).isTrue();
        List<dev.hotline.records.model.CallRecord> stored = world.engine().records().store()
                .calls(java.time.Instant.now().minusSeconds(600), java.time.Instant.now().plusSeconds(60),
                        Duration.ofHours(1));
        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(dev.hotline.records.model.CallOutcome.ANSWERED);
            assertThat(r.callerNumber()).isEqualTo("0612345678");
            assertThat(r.ivrPath()).extracting(dev.hotline.records.model.IvrStep::node)
                    .contains("main-menu/choose-language", "main-menu/main", "main-menu/support");
            assertThat(r.queueVisits()).singleElement().satisfies(v -> {
                assertThat(v.queue()).isEqualTo("support");
                assertThat(v.agentId()).contains(answered.agentId());
                assertThat(v.talk()).isPositive();
                assertThat(v.wrapUp()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            });
            assertThat(r.hangupBy()).isEqualTo(dev.hotline.records.model.HangupParty.AGENT);
            // support records its calls (config/hotline.yaml): MixMonitor before Dial, the file on the record.
            assertThat(r.recordingFile()).hasValueSatisfying(f -> assertThat(f)
                    .matches("hotline/\\d{4}/\\d{2}/\\d{2}/.+-" + answered.agentId() + "\\.wav"));
        });
    }

    private void awaitAgent(String id, Predicate<AgentState> state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            AgentState s = world.engine().acd().agentStates().get(id);
            if (s != null && state.test(s)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("agent " + id + " never reached the expected state; now "
                + world.engine().acd().agentStates().get(id));
    }

    @Test
    void unansweredOfferGoesBackToTheQueueAndToAnotherAgent() throws Exception {
        start(agents("1004", "1005"), answering(Duration.ofMillis(500)));
        awaitAgent("1004", s -> s instanceof AgentState.Ready);
        awaitAgent("1005", s -> s instanceof AgentState.Ready);
        world.asterisk().endpoint("PJSIP/1004").ignoreNext();   // the most skilled agent does not pick up
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.OfferFailed failed = await(CallEvent.OfferFailed.class, e -> true);
        assertThat(failed.agentId()).isEqualTo("1004");
        assertThat(failed.dialStatus()).isEqualTo("NOANSWER");
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> e.callId().equals(failed.callId()));
        assertThat(answered.agentId()).isEqualTo("1005");
        // The default ring-no-answer policy (pause 30s): not ready "no answer", ready again by itself.
        assertThat(world.engine().acd().agentStates().get("1004")).isInstanceOfSatisfying(AgentState.NotReady.class,
                nr -> {
                    assertThat(nr.reason()).isEqualTo("no answer");
                    assertThat(nr.until()).isPresent();
                });
        await(CallEvent.Ended.class, e -> e.callId().equals(failed.callId()));
    }

    @Test
    void callerWhoHangsUpWhileWaitingIsAbandoned() throws Exception {
        start(agents("1008"), answering(Duration.ofSeconds(1)));   // a billing agent: nobody serves support
        SimulatedCall call = world.asterisk().placeCall("from-pstn",
                toSupport().whileWaiting(new Reaction.HangUp(Duration.ofSeconds(1))).build());
        CallEvent.Abandoned abandoned = await(CallEvent.Abandoned.class, e -> true);
        assertThat(abandoned.queue()).isEqualTo("support");
        assertThat(abandoned.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        call.ended().get(10, TimeUnit.SECONDS);
        awaitNoActiveCalls();
    }

    @Test
    void maxWaitSendsTheCallerToTheQueuesTimeoutTreatment() throws Exception {
        start(agents("1008"), answering(Duration.ofSeconds(1)), Duration.ofSeconds(2));
        SimulatedCall call = world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1))
                .build());
        CallEvent.ExitedQueue exit = await(CallEvent.ExitedQueue.class, e -> true);
        assertThat(exit.reason()).isEqualTo("max wait");
        assertThat(exit.destination()).isEqualTo("voicemail:support");
        assertThat(exit.waited()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(awaitVariable(call, "HOTLINE_OUTCOME")).isEqualTo("voicemail");
        assertThat(awaitVariable(call, "HOTLINE_TARGET")).isEqualTo("support");
    }

    @Test
    void anAgentWhosePhoneIsUnregisteredIsSkipped() throws Exception {
        start(agents("1004", "1005"), answering(Duration.ofMillis(500)));
        awaitAgent("1004", s -> s instanceof AgentState.Ready);
        world.asterisk().endpoint("PJSIP/1004").unregister();
        awaitAgent("1004", s -> s.equals(new AgentState.NotReady("phone unavailable")));
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        assertThat(await(CallEvent.Answered.class, e -> true).agentId()).isEqualTo("1005");
        world.asterisk().endpoint("PJSIP/1004").register();
        awaitAgent("1004", s -> s instanceof AgentState.Ready);
    }

    @Test
    void amiDroppedAndRestoredReconcilesAgentsAndLosesNoCall() throws Exception {
        start(agents("1004", "1005"), answering(Duration.ofMillis(500)));
        awaitAgent("1005", s -> s instanceof AgentState.Ready);
        assertThat(world.asterisk().dropAmiConnections()).isEqualTo(1);
        // While the engine is cut off, 1005's phone goes away: only the resync after reconnecting can tell.
        world.asterisk().endpoint("PJSIP/1005").unregister();
        awaitAgent("1005", s -> s.equals(new AgentState.NotReady("phone unavailable")));
        assertThat(world.awaitAmi(Duration.ofSeconds(15))).isTrue();
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> true);
        assertThat(answered.agentId()).isEqualTo("1004");
        await(CallEvent.Ended.class, e -> e.callId().equals(answered.callId()));
    }

    /** The channel variable once the engine has set it (the event can come just before the variable). */
    private static String awaitVariable(SimulatedCall call, String name) throws Exception {
        for (int i = 0; i < 250; i++) {
            java.util.Optional<String> v = call.variable(name).get(5, TimeUnit.SECONDS);
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("channel variable " + name + " never set");
    }

    private void awaitNoActiveCalls() throws InterruptedException {
        for (int i = 0; i < 500 && world.engine().acd().activeCalls() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(world.engine().acd().activeCalls()).isZero();
    }

    @Test
    void agentTransferSupervisorListenAndDispositionGoThroughAsteriskAndIntoTheRecord() throws Exception {
        java.util.concurrent.CompletableFuture<String> transferredTo = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<String> spied = new java.util.concurrent.CompletableFuture<>();
        world = DemoWorld.start(fast(config(), Duration.ofMinutes(3)), agents("1004"),
                answering(Duration.ofSeconds(30)), Media.everyFile(Duration.ofMillis(100)), 7, "test",
                Map.of("hotline-transfer", "transfer-probe?to=${EXTEN}", "hotline-spy", "spy-probe?mode=${EXTEN}"),
                List.of("PJSIP/2001"));
        // Stand-ins for the dialplan of docker/asterisk/extensions.conf: record where Asterisk sent the channel.
        world.engine().scripts().register("transfer-probe",
                s -> transferredTo.complete(s.environment().query().get("to")));
        world.engine().scripts().register("spy-probe", s -> spied.complete(s.environment().query().get("mode")
                + " " + s.getVariable("SPY_TARGET").orElse("?")));
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> true);

        var acd = world.engine().acd();
        acd.spy("PJSIP/2001", "1004", dev.hotline.acd.Acd.SpyMode.WHISPER).get(10, TimeUnit.SECONDS);
        assertThat(spied.get(10, TimeUnit.SECONDS)).isEqualTo("whisper PJSIP/1004");
        assertThat(acd.transfer("1004", "not a number!").handle((ok, e) -> e)
                .get(5, TimeUnit.SECONDS)).hasMessageContaining("transfer target 'not a number!'");

        acd.transfer("1004", "0612000000").get(10, TimeUnit.SECONDS);
        assertThat(transferredTo.get(10, TimeUnit.SECONDS)).isEqualTo("0612000000");
        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> e.callId().equals(answered.callId()));
        assertThat(ended.hungUpFirst()).isEqualTo("transfer");
        assertThat(acd.disposition("1004", "repair", "replaced the router")).isTrue();

        var writer = world.engine().records().writer();
        for (int i = 0; i < 100; i++) {
            assertThat(writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            var stored = world.engine().records().store().calls(java.time.Instant.now().minusSeconds(600),
                    java.time.Instant.now().plusSeconds(60), Duration.ofHours(1));
            if (!stored.isEmpty() && stored.get(0).disposition().isPresent()) {
                break;
            }
            Thread.sleep(50);
        }
        var stored = world.engine().records().store().calls(java.time.Instant.now().minusSeconds(600),
                java.time.Instant.now().plusSeconds(60), Duration.ofHours(1));
        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(dev.hotline.records.model.CallOutcome.TRANSFERRED_OUT);
            assertThat(r.transfers()).singleElement().satisfies(t -> {
                assertThat(t.target()).isEqualTo("0612000000");
                assertThat(t.fromAgent()).contains("1004");
            });
            assertThat(r.disposition()).contains("repair");
            assertThat(r.notes()).isEqualTo("replaced the router");
        });
    }

    @Test
    void whenTheAgentHangsUpFirstTheCallerAnswersTheSurveyAndTheScoreIsRecorded() throws Exception {
        HotlineConfig c = fast(config(), Duration.ofMinutes(3));
        AcdConfig acd = c.acd();
        HotlineConfig withSurvey = new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), c.database(),
                c.ivrScripts(), c.calendars(), c.queues(), new AcdConfig(acd.connectContext(), acd.mohClass(),
                acd.announceInterval(), acd.dialOptions(), acd.callback(), acd.transferContext(), acd.spyContext(),
                new dev.hotline.config.CallerExperience("survey", "", Duration.ofMinutes(1))), c.agentsFile());
        world = DemoWorld.start(withSurvey, agents("1004"), answering(Duration.ofMillis(500)),
                Media.everyFile(Duration.ofMillis(100)), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();
        world.asterisk().placeCall("from-pstn", toSupport()
                .atPrompt("survey/en/rate-1-to-5", new Reaction.Press("4", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> true);
        assertThat(ended.hungUpFirst()).isEqualTo("agent");
        var records = world.engine().records();
        for (int i = 0; i < 200; i++) {
            records.writer().awaitStored(Duration.ofSeconds(5));
            var stored = records.store().calls(java.time.Instant.now().minusSeconds(600),
                    java.time.Instant.now().plusSeconds(60), Duration.ofHours(1));
            if (!stored.isEmpty() && stored.get(0).surveyScore().isPresent()) {
                assertThat(stored.get(0).surveyScore().getAsInt()).isEqualTo(4);
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no survey score was recorded");
    }

    @Test
    void waitingCallersHearThePeriodicMessage() throws Exception {
        HotlineConfig c = fast(config(), Duration.ofMinutes(3));
        AcdConfig acd = c.acd();
        HotlineConfig periodic = new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), c.database(),
                c.ivrScripts(), c.calendars(), c.queues(), new AcdConfig(acd.connectContext(), acd.mohClass(),
                acd.announceInterval(), acd.dialOptions(), acd.callback(), acd.transferContext(), acd.spyContext(),
                new dev.hotline.config.CallerExperience("", "queue-periodic-announce", Duration.ofSeconds(2))),
                c.agentsFile());
        world = DemoWorld.start(periodic, agents("1008"), answering(Duration.ofSeconds(1)),
                Media.everyFile(Duration.ofMillis(100)), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();
        // Nobody serves support; the caller hangs up the moment the periodic message plays (in their language).
        world.asterisk().placeCall("from-pstn", toSupport()
                .atPrompt("en/queue-periodic-announce", new Reaction.HangUp(Duration.ZERO)).build());
        CallEvent.Abandoned abandoned = await(CallEvent.Abandoned.class, e -> true);
        assertThat(abandoned.waited()).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));
    }

    /**
     * Starts a call to agent 1004 whose transfer context runs {@code probe} (standing in for the target's
     * dialplan), then has the agent start an attended transfer to 1005 (retrying while the agent's leg is not yet
     * known from DialEnd). Returns the answered event.
     */
    private CallEvent.Answered attendedTransferStarted(dev.hotline.agi.AgiScript probe) throws Exception {
        world = DemoWorld.start(fast(config(), Duration.ofMinutes(3)), agents("1004"),
                answering(Duration.ofSeconds(30)), Media.everyFile(Duration.ofMillis(100)), 7, "test",
                Map.of("hotline-transfer", "transfer-probe?to=${EXTEN}"), List.of());
        world.engine().scripts().register("transfer-probe", probe);
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> true);
        // The agent's leg is learnt from AMI's DialEnd, which may trail the answer by a moment.
        java.util.concurrent.CompletableFuture<Void> started = null;
        for (int i = 0; i < 100; i++) {
            started = world.engine().acd().transferAttended("1004", "1005");
            if (started.handle((ok, e) -> e == null || !e.getMessage().contains("not known yet"))
                    .get(5, TimeUnit.SECONDS)) {
                break;
            }
            Thread.sleep(20);
        }
        started.get(10, TimeUnit.SECONDS);
        return answered;
    }

    private List<dev.hotline.records.model.CallRecord> storedCalls() throws Exception {
        var records = world.engine().records();
        assertThat(records.writer().awaitStored(Duration.ofSeconds(10))).isTrue();
        return records.store().calls(java.time.Instant.now().minusSeconds(600),
                java.time.Instant.now().plusSeconds(60), Duration.ofHours(1));
    }

    @Test
    void attendedTransferUsesTheAgentsLegAndIsRecordedAsAttended() throws Exception {
        java.util.concurrent.CompletableFuture<String> transferredTo = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> targetDone = new java.util.concurrent.CompletableFuture<>();
        CallEvent.Answered answered = attendedTransferStarted(s -> {
            transferredTo.complete(s.environment().query().get("to"));
            try {
                s.exec("Wait", "20", Duration.ofSeconds(30));   // the target stays on the line
            } finally {
                targetDone.complete(null);
            }
        });
        // The target is up and the agent is consulting: nothing is transferred until the agent hangs up.
        assertThat(transferredTo.get(10, TimeUnit.SECONDS)).isEqualTo("1005");
        assertThat(events).noneMatch(e -> e instanceof CallEvent.Transferred || e instanceof CallEvent.Ended);
        assertThat(world.asterisk().endpoint("PJSIP/1004").hangUp()).as("the agent was on the line").isTrue();

        CallEvent.Transferred t = await(CallEvent.Transferred.class, e -> e.callId().equals(answered.callId()));
        assertThat(t.attended()).isTrue();
        assertThat(t.target()).isEqualTo("1005");
        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> e.callId().equals(answered.callId()));
        assertThat(ended.hungUpFirst()).isEqualTo("transfer");
        // The caller now talks to the target: the agent is free (wrap-up), the target's leg still runs.
        awaitAgent("1004", s -> !(s instanceof AgentState.OnCall));
        assertThat(targetDone).isNotDone();
        assertThat(storedCalls()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(dev.hotline.records.model.CallOutcome.TRANSFERRED_OUT);
            assertThat(r.transfers()).singleElement().satisfies(x -> {
                assertThat(x.attended()).isTrue();
                assertThat(x.target()).isEqualTo("1005");
            });
        });
        assertThat(events.stream().filter(e -> e instanceof CallEvent.Ended)).hasSize(1);
    }

    @Test
    void attendedTransferToATargetThatNeverTakesTheCallLeavesTheAgentWithTheCallerAndRecordsNoTransfer()
            throws Exception {
        java.util.concurrent.CompletableFuture<String> transferredTo = new java.util.concurrent.CompletableFuture<>();
        // The target's leg ends at once (no one takes the call): Asterisk hands the agent back to the caller.
        CallEvent.Answered answered = attendedTransferStarted(
                s -> transferredTo.complete(s.environment().query().get("to")));
        assertThat(transferredTo.get(10, TimeUnit.SECONDS)).isEqualTo("1005");
        awaitAgentLegAlone("PJSIP/1004");
        assertThat(world.engine().acd().agentStates().get("1004")).isInstanceOf(AgentState.OnCall.class);

        assertThat(world.asterisk().endpoint("PJSIP/1004").hangUp()).isTrue();
        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> e.callId().equals(answered.callId()));
        assertThat(ended.hungUpFirst()).isEqualTo("agent");
        assertThat(events).noneMatch(e -> e instanceof CallEvent.Transferred);
        assertThat(storedCalls()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(dev.hotline.records.model.CallOutcome.ANSWERED);
            assertThat(r.transfers()).isEmpty();
        });
    }

    /** Waits until the agent's phone is bridged with the caller again (its consultation leg is gone). */
    private void awaitAgentLegAlone(String endpoint) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var legs = world.asterisk().pbx().channels().stream()
                    .filter(c -> c.name().startsWith("Local/")).toList();
            var phone = world.asterisk().endpoint(endpoint).currentCall();
            if (legs.isEmpty() && phone.isPresent() && !phone.get().snapshot().bridgeId().isEmpty()
                    && !world.asterisk().pbx().channels().stream().anyMatch(c -> c.isMusicOnHold())) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the agent's consultation did not end");
    }

    @Test
    void blindTransferToAQueueKeepsOneRecordWithTwoVisits() throws Exception {
        start(agents("1004", "1008"), answering(Duration.ofSeconds(3)));
        awaitAgent("1008", s -> s instanceof AgentState.Ready);
        world.asterisk().placeCall("from-pstn", toSupport().hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered first = await(CallEvent.Answered.class, e -> true);
        assertThat(first.agentId()).isEqualTo("1004");
        assertThat(world.engine().acd().transfer("1004", "queue:nowhere").handle((ok, e) -> e).get(5, TimeUnit.SECONDS))
                .hasMessageContaining("transfer to unknown queue 'nowhere'");
        world.engine().acd().transfer("1004", "queue:billing").get(10, TimeUnit.SECONDS);
        CallEvent.Answered second = await(CallEvent.Answered.class, e -> e.agentId().equals("1008"));
        assertThat(second.callId()).isEqualTo(first.callId());
        assertThat(second.queue()).isEqualTo("billing");
        await(CallEvent.Ended.class, e -> e.agentId().equals("1008"));
        var records = world.engine().records();
        for (int i = 0; i < 200; i++) {
            records.writer().awaitStored(Duration.ofSeconds(5));
            var stored = records.store().calls(java.time.Instant.now().minusSeconds(600),
                    java.time.Instant.now().plusSeconds(60), Duration.ofHours(1));
            if (!stored.isEmpty()) {
                assertThat(stored).singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(dev.hotline.records.model.CallOutcome.ANSWERED);
                    assertThat(r.queueVisits()).extracting(v -> v.queue() + "/" + v.agentId().orElse("-"))
                            .containsExactly("support/1004", "billing/1008");
                    assertThat(r.transfers()).singleElement().satisfies(t -> {
                        assertThat(t.kind()).isEqualTo(dev.hotline.records.model.Transfer.Kind.QUEUE);
                        assertThat(t.target()).isEqualTo("billing");
                    });
                });
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no call record");
    }
}
