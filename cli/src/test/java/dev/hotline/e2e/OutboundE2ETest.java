package dev.hotline.e2e;

import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.outbound.Attempt;
import dev.hotline.outbound.CallingHours;
import dev.hotline.outbound.Campaign;
import dev.hotline.outbound.Contact;
import dev.hotline.outbound.ContactImport;
import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Outbound;
import dev.hotline.outbound.Outcome;
import dev.hotline.outbound.RetryRules;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import dev.hotline.simulator.load.OutboundContacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Engine + simulator: outbound campaigns dialled through the simulated trunk — progressive (one call per free
 * agent, AMD, busy retried, a machine left a message), preview (the agent sees the contact, dials or skips it), the
 * do-not-call list checked at dial time, and predictive (dialled ahead; a person with no agent within 2 s abandoned
 * and recorded so).
 */
@Tag("slow")
class OutboundE2ETest {

    private static final Path HOME = Path.of("..");

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;

    private static Duration supportServiceLevelTime;

    private static HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.name().equals("support") && supportServiceLevelTime != null
                ? supportServiceLevelTime : q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(),
                Duration.ofMillis(300),
                Duration.ofSeconds(3), q.strategy(), q.onTimeout(), Map.of(), List.of(), Optional.empty())).toList();
        CallbackConfig callback = new CallbackConfig("hotline-callback", "PJSIP/{number}", Duration.ofSeconds(2), 3,
                Duration.ofMillis(300), Optional.empty(), Duration.ofHours(1), "", CallbackConfig.Mode.AGENT_FIRST,
                Duration.ZERO, "names", Duration.ofMinutes(10));
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), "", callback), c.agentsFile());
    }

    /** Engine + simulator with {@code agentIds} logged in (not ready); their phones answer at once, talk 1 s. */
    private Outbound start(List<String> agentIds) throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> agentIds.contains(a.id())).toList();
        world = DemoWorld.start(config(), agents, new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(100)),
                1.0, new Distribution.Fixed(Duration.ofSeconds(1))), Media.everyFile(Duration.ofMillis(50)), 7, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        agentIds.forEach(world.engine().acd()::login);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (world.engine().outbound().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return world.engine().outbound().orElseThrow();
    }

    @AfterEach
    void stop() {
        supportServiceLevelTime = null;
        if (world != null) {
            world.close();
        }
    }

    private static Campaign campaign(String id, DialMode mode) {
        return new Campaign(id, "Renewals", "support", mode, "5550000",
                CallingHours.parse("00:00-23:59", "mon-sun"), ZoneOffset.UTC,
                new RetryRules(Map.of(Outcome.BUSY, new RetryRules.Rule(Duration.ofHours(1), 2)), 3), true,
                Campaign.MachineAction.MESSAGE, 3.0, "Hello", List.of("sale*", "refused"), Campaign.Status.DRAFT,
                Instant.now(), "sam");
    }

    private List<Attempt> awaitAttempts(Outbound ob, String campaign, int n) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        List<Attempt> got = List.of();
        while (System.nanoTime() < until) {
            got = ob.store().attempts(Optional.of(campaign), Instant.EPOCH, Instant.now().plusSeconds(60));
            if (got.size() >= n) {
                return got;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("expected " + n + " attempts of " + campaign + ", got " + got);
    }

    private static Attempt of(List<Attempt> attempts, Predicate<Attempt> match) {
        return attempts.stream().filter(match).findFirst().orElseThrow(() -> new AssertionError("none in " + attempts));
    }

    @Test
    void progressiveDialsOneCallPerFreeAgentConnectsAPersonRetriesBusyLeavesAMachineAMessageAndRecordsNoAnswerAndInvalid() throws Exception {
        Outbound ob = start(List.of("1004"));
        Map<String, OutboundContacts.Kind> kinds = Map.of("5550101", OutboundContacts.Kind.PERSON,
                "5550102", OutboundContacts.Kind.BUSY, "5550103", OutboundContacts.Kind.MACHINE,
                "5550104", OutboundContacts.Kind.NO_ANSWER, "5550105", OutboundContacts.Kind.INVALID);
        kinds.forEach((n, k) -> OutboundContacts.add(world.asterisk().pbx().endpoints(), List.of(n), Map.of(k, 1.0),
                Duration.ofMillis(200), Duration.ofSeconds(2), 1));
        ob.save(campaign("renew", DialMode.PROGRESSIVE));
        ContactImport.Result imported = ob.importContacts("renew", new StringReader(
                "number,name\n555 0101,Ann\n555-0102,Bob\n5550103,Cid\nnot a number,Dee\n555 0101,Ann again\n"
                        + "5550104,Eve\n5550105,Fay\n"),
                new ContactImport.Mapping("number", Optional.of("name"), Optional.empty(), List.of()), Map.of());
        assertThat(imported.contacts()).hasSize(5);
        assertThat(imported.errors()).extracting(ContactImport.RowError::line).containsExactly(5);
        assertThat(imported.duplicates()).extracting(ContactImport.Duplicate::line).containsExactly(6);

        ob.setStatus("renew", Campaign.Status.RUNNING, "sam");
        world.engine().acd().ready("1004");
        List<Attempt> attempts = awaitAttempts(ob, "renew", 5);

        Attempt person = of(attempts, a -> a.number().equals("5550101"));
        assertThat(person.outcome()).isEqualTo(Outcome.CONNECTED);
        assertThat(person.agent()).contains("1004");
        assertThat(person.amdResult()).isEqualTo("HUMAN");
        assertThat(person.talk()).isPositive();
        Attempt busy = of(attempts, a -> a.number().equals("5550102"));
        assertThat(busy.outcome()).isEqualTo(Outcome.BUSY);
        Attempt machine = of(attempts, a -> a.number().equals("5550103"));
        assertThat(machine.outcome()).isEqualTo(Outcome.MACHINE);
        assertThat(machine.amdResult()).isEqualTo("MACHINE");
        assertThat(of(attempts, a -> a.number().equals("5550104")).outcome()).isEqualTo(Outcome.NO_ANSWER);
        assertThat(of(attempts, a -> a.number().equals("5550105")).outcome()).isEqualTo(Outcome.FAILED);

        assertThat(ob.store().contact("renew-1").orElseThrow().status()).isEqualTo(Contact.Status.DONE);
        Contact retried = ob.store().contact("renew-2").orElseThrow();
        assertThat(retried.status()).as("busy is retried after an hour").isEqualTo(Contact.Status.PENDING);
        assertThat(retried.nextAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        assertThat(ob.store().contact("renew-3").orElseThrow().status()).as("machine has no retry rule")
                .isEqualTo(Contact.Status.FAILED);
        assertThat(ob.disposition("1004", "sale")).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ob.store().attempts(Optional.of("renew"), Instant.EPOCH, Instant.now().plusSeconds(5)).stream()
                .anyMatch(Attempt::rightParty) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(of(ob.store().attempts(Optional.of("renew"), Instant.EPOCH, Instant.now().plusSeconds(5)),
                a -> a.number().equals("5550101")).disposition()).isEqualTo("sale");
        // The queue's wrap-up (300 ms) is written back to the attempt when it ends.
        long wrapUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (of(ob.store().attempts(Optional.of("renew"), Instant.EPOCH, Instant.now().plusSeconds(5)),
                a -> a.number().equals("5550101")).wrapUp().isZero() && System.nanoTime() < wrapUntil) {
            Thread.sleep(50);
        }
        assertThat(of(ob.store().attempts(Optional.of("renew"), Instant.EPOCH, Instant.now().plusSeconds(5)),
                a -> a.number().equals("5550101")).wrapUp()).isPositive();
        // The agent was never made not ready by the outbound work.
        assertThat(world.engine().acd().agentStates().get("1004")).isNotInstanceOf(AgentState.NotReady.class);
    }

    @Test
    void previewShowsTheContactAndTheAgentSkipsOneAndDialsTheNextWhileDoNotCallIsCheckedAtDialTime()
            throws Exception {
        Outbound ob = start(List.of("1004"));
        OutboundContacts.add(world.asterisk().pbx().endpoints(), List.of("5550201", "5550202", "5550203"),
                Map.of(OutboundContacts.Kind.PERSON, 1.0), Duration.ofMillis(200), Duration.ofSeconds(1), 1);
        ob.save(campaign("look", DialMode.PREVIEW));
        ob.importContacts("look", new StringReader("number,name,plan\n5550201,Ann,gold\n5550202,Bob,silver\n"
                + "5550203,Cid,none\n"), new ContactImport.Mapping("number", Optional.of("name"), Optional.empty(),
                List.of()), Map.of());
        ob.addDoNotCall("555 0202", "sam");   // after the import: still never dialled
        ob.setStatus("look", Campaign.Status.RUNNING, "sam");
        world.engine().acd().ready("1004");

        var first = awaitPreview(ob, "1004");
        assertThat(first.getValue().name()).isEqualTo("Ann");
        assertThat(first.getValue().fields()).containsEntry("plan", "gold");
        assertThat(ob.previewSkip("1004")).isTrue();
        var second = awaitPreview(ob, "1004");
        assertThat(second.getValue().name()).isEqualTo("Bob");
        assertThat(ob.previewDial("1004")).isTrue();
        var third = awaitPreview(ob, "1004");
        assertThat(third.getValue().name()).isEqualTo("Cid");
        assertThat(ob.previewDial("1004")).isTrue();

        List<Attempt> attempts = awaitAttempts(ob, "look", 3);
        assertThat(of(attempts, a -> a.number().equals("5550201")).outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(of(attempts, a -> a.number().equals("5550202")).outcome()).isEqualTo(Outcome.DO_NOT_CALL);
        assertThat(of(attempts, a -> a.number().equals("5550203")).outcome()).isEqualTo(Outcome.CONNECTED);
        assertThat(ob.store().contact("look-2").orElseThrow().status()).isEqualTo(Contact.Status.BLOCKED);
    }

    private static Map.Entry<Campaign, Contact> awaitPreview(Outbound ob, String agent) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            var p = ob.preview(agent);
            if (p.isPresent()) {
                return p.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no preview for agent " + agent);
    }

    @Test
    void predictiveDialsAheadAndAPersonWithNoAgentWithinTwoSecondsIsAbandonedAndRecordedSo() throws Exception {
        Outbound ob = start(List.of("1004"));
        List<String> numbers = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "55503" + (10 + i)).toList();
        OutboundContacts.add(world.asterisk().pbx().endpoints(), numbers, Map.of(OutboundContacts.Kind.PERSON, 1.0),
                Duration.ofMillis(300), Duration.ofSeconds(3), 1);
        ob.save(campaign("ahead", DialMode.PREDICTIVE));
        ob.importContacts("ahead", new StringReader("number\n" + String.join("\n", numbers) + "\n"),
                ContactImport.Mapping.of("number"), Map.of());
        ob.setStatus("ahead", Campaign.Status.RUNNING, "sam");
        world.engine().acd().ready("1004");
        // One agent, everybody answers: the pacer starts at progressive pace, so the first call is connected.
        List<Attempt> attempts = awaitAttempts(ob, "ahead", 2);
        assertThat(attempts).extracting(Attempt::outcome).contains(Outcome.CONNECTED);
        ob.setStatus("ahead", Campaign.Status.PAUSED, "sam");
        for (Attempt a : attempts) {
            assertThat(a.mode()).isEqualTo(DialMode.PREDICTIVE);
            if (a.outcome() == Outcome.ABANDONED) {
                assertThat(a.agent()).isEmpty();
                assertThat(a.answeredAt()).isPresent();
            }
        }
    }

    @Test
    void anAgentWithInboundAndOutboundSkillsTakesTheInboundCallerFirstAndTheMissedServiceLevelHoldsTheCampaign()
            throws Exception {
        supportServiceLevelTime = Duration.ofSeconds(1);
        // Alice (1001) holds sales and support; the campaign's queue is sales, so support is the inbound queue.
        Outbound ob = start(List.of("1001"));
        OutboundContacts.add(world.asterisk().pbx().endpoints(), List.of("5550601"),
                Map.of(OutboundContacts.Kind.PERSON, 1.0), Duration.ofMillis(200), Duration.ofSeconds(2), 1);
        Campaign c = campaign("blend", DialMode.PROGRESSIVE);
        ob.save(new Campaign(c.id(), c.name(), "sales", c.mode(), c.callerId(), c.hours(), c.defaultZone(),
                c.retry(), c.amd(), c.machineAction(), c.abandonCapPct(), c.script(), c.dispositions(), c.status(),
                c.updatedAt(), c.updatedBy()));
        ob.importContacts("blend", new StringReader("number\n5550601\n"), ContactImport.Mapping.of("number"),
                Map.of());
        ob.setStatus("blend", Campaign.Status.RUNNING, "sam");

        // A caller waits in support while Alice is not ready; past its 1 s service-level time the core holds outbound.
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0611111111").hangUpAfter(Duration.ofMinutes(1))
                .build());
        awaitBlending(ob, "sales: inbound first: queue support has a caller waiting");
        world.engine().acd().ready("1001");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(world.engine().acd().agentStates().get("1001") instanceof AgentState.OnCall)
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(world.engine().acd().agentStates().get("1001")).isInstanceOfSatisfying(AgentState.OnCall.class,
                on -> assertThat(on.callId()).as("the inbound caller, not the campaign").doesNotStartWith("ob-"));
        // Answered after its service-level time: support is at 0 % of its 80 % target, so the campaign stays held.
        awaitBlending(ob, "sales: inbound first: queue support at service level 0% over 1 h (target 80%)");
        assertThat(ob.store().attempts(Optional.of("blend"), Instant.EPOCH, Instant.now().plusSeconds(60)))
                .as("nothing dialled for the campaign").isEmpty();
    }

    private static void awaitBlending(Outbound ob, String why) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            Outbound.BlendStatus b = ob.blending();
            if (!b.outboundAllowed() && b.why().startsWith(why)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected outbound held (" + why + "), got " + ob.blending());
    }
}
