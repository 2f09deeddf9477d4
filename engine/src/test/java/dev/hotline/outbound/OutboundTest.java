package dev.hotline.outbound;

import dev.hotline.agi.AgiSession;
import dev.hotline.agi.Playback;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.OutboundConfig;
import dev.hotline.ha.Fence;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.Explanation;
import dev.hotline.routing.RoutingCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dialler over a fake ACD port and a real (H2) store: it puts work in and dials only while the engine may act (an
 * HA pair's standby never dials; a step-down stops it at once), it follows the routing core's blending verdict, and
 * a person who answers a predictive call and gets no agent in time hears the abandon message and is recorded so.
 */
@Tag("slow")
class OutboundTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");   // a Monday, 10:00 UTC

    @TempDir
    Path dir;
    private TestDatabase db;
    private Outbound ob;
    private final FakePort port = new FakePort();
    private final SwitchFence fence = new SwitchFence();

    /** What the dialler asked of the ACD. */
    static final class FakePort implements Outbound.Port {
        final List<Command> posted = new CopyOnWriteArrayList<>();
        final List<String> originated = new CopyOnWriteArrayList<>();
        volatile RoutingCore.OutboundVerdict verdict = new RoutingCore.OutboundVerdict("renewals", true, 1,
                "every inbound queue meets its service level: sales 100% (target 80%)");
        /** Originates never complete unless a test completes them (the customer's phone rings on). */
        final List<CompletableFuture<AmiEvent.OriginateResult>> pending = new CopyOnWriteArrayList<>();

        @Override
        public void post(Command command) {
            posted.add(command);
        }

        @Override
        public Optional<String> endpointOf(String agentId) {
            return Optional.of("PJSIP/" + agentId);
        }

        @Override
        public Duration ringTimeout(String queue) {
            return Duration.ofSeconds(15);
        }

        @Override
        public Optional<CompletableFuture<AmiEvent.OriginateResult>> originate(String channel, String context,
                                                                               String exten, Duration timeout,
                                                                               String callerId,
                                                                               Map<String, String> variables) {
            originated.add(exten + " " + channel + " " + context + " " + callerId);
            CompletableFuture<AmiEvent.OriginateResult> f = new CompletableFuture<>();
            pending.add(f);
            return Optional.of(f);
        }

        @Override
        public Map<String, AgentState> agentStates() {
            return Map.of("1001", new AgentState.Ready());
        }

        @Override
        public CompletableFuture<RoutingCore.OutboundVerdict> verdict(String queue) {
            return CompletableFuture.completedFuture(verdict);
        }

        <T extends Command> List<T> of(Class<T> type) {
            return posted.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** The lease of an HA pair, switched by the test. */
    static final class SwitchFence implements Fence {
        volatile boolean active = true;

        @Override
        public boolean mayAct() {
            return active;
        }

        @Override
        public long number() {
            return active ? 1 : 0;
        }

        @Override
        public void guard(Connection con, String what) {
        }

        @Override
        public String toString() {
            return active ? "active" : "standby";
        }
    }

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.open(TestDatabase.Kind.H2, dir.resolve("db"));
        db.database().migrate();
        OutboundConfig config = new OutboundConfig(true, "hotline-outbound", Optional.of("PJSIP/{number}@trunk"),
                Optional.empty(), 0, Duration.ofMillis(300), Duration.ofMinutes(2), 3.0, true,
                OutboundConfig.MachineAction.RETRY, OutboundConfig.Pacing.DEFAULTS,
                dev.hotline.routing.BlendRule.DEFAULT);
        ob = new Outbound(Outbound.Settings.of(config, CallbackConfig.DEFAULTS), new OutboundStore(
                db.database().dataSource()), InstantSource.fixed(T0), port, fence).start(Duration.ZERO);
    }

    @AfterEach
    void close() throws Exception {
        ob.close();
        db.close();
    }

    private void campaign(DialMode mode, String... numbers) throws Exception {
        ob.save(new Campaign("renew", "Renewals", "renewals", mode, "+3312345678",
                CallingHours.parse("00:00-23:59", "mon-sun"),
                ZoneOffset.UTC, RetryRules.defaults(), true, Campaign.MachineAction.RETRY, 3.0, "", List.of(),
                Campaign.Status.DRAFT, T0, "sam"));
        ob.importContacts("renew", new StringReader("number\n" + String.join("\n", numbers) + "\n"),
                ContactImport.Mapping.of("number"), Map.of());
        ob.setStatus("renew", Campaign.Status.RUNNING, "sam");
    }

    private void tick() throws Exception {
        ob.sync(ob::tick);
    }

    private static Decision.Offer offer(String callId) {
        return new Decision.Offer(callId, "1001", "renewals", T0.plusSeconds(15),
                new Explanation("service-level-risk", "risk", 1, 1, List.of()));
    }

    @Test
    void aStandbyEngineNeitherPutsWorkIntoRoutingNorDialsUntilItTakesOver() throws Exception {
        fence.active = false;
        campaign(DialMode.PROGRESSIVE, "5550101", "5550102");
        tick();
        tick();
        assertThat(port.posted).as("nothing told to the core, nothing enqueued").isEmpty();
        assertThat(port.originated).isEmpty();

        fence.active = true;   // took over
        tick();
        assertThat(port.of(Command.SetBlending.class)).singleElement().satisfies(b ->
                assertThat(b.outboundQueues()).containsExactly("renewals"));
        assertThat(port.of(Command.Enqueue.class)).extracting(e -> e.call().id()).containsExactly("ob-renew-1-1");
    }

    @Test
    void anOfferThatComesAfterTheLeaseWasLostIsNotDialledAndTheContactGoesBack() throws Exception {
        campaign(DialMode.PROGRESSIVE, "5550101");
        tick();
        fence.active = false;   // the lease ran out between the enqueue and the core's offer
        assertThat(ob.claims(offer("ob-renew-1-1"))).isTrue();
        ob.sync(() -> { });
        assertThat(port.originated).isEmpty();
        assertThat(port.of(Command.Leave.class)).extracting(Command.Leave::reason).containsExactly("engine not active");
        assertThat(ob.store().contact("renew-1")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(Contact.Status.PENDING);
            assertThat(c.attempts()).isZero();
        });
        assertThat(ob.store().attempts(Optional.of("renew"), Instant.EPOCH, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void steppingDownStopsAtOnceTakingTheWaitingContactsOutOfRouting() throws Exception {
        campaign(DialMode.PROGRESSIVE, "5550101");
        tick();
        ob.close();
        assertThat(port.of(Command.Leave.class)).extracting(Command.Leave::callId, Command.Leave::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ob-renew-1-1", "dialler stopped"));
        int before = port.posted.size();
        ob.tick();
        assertThat(ob.claims(offer("ob-renew-1-1"))).as("its calls are still its own, left alone").isTrue();
        assertThat(port.posted).hasSize(before);
        assertThat(port.originated).isEmpty();
    }

    @Test
    void whileTheCoreHoldsOutboundBackNothingIsEnqueuedAndThePageSaysWhy() throws Exception {
        campaign(DialMode.PROGRESSIVE, "5550101");
        port.verdict = new RoutingCore.OutboundVerdict("renewals", false, 0,
                "inbound first: queue sales at service level 50% over 1 h (target 80%)");
        tick();
        assertThat(port.of(Command.Enqueue.class)).isEmpty();
        assertThat(ob.blending()).isEqualTo(new Outbound.BlendStatus(false,
                "renewals: inbound first: queue sales at service level 50% over 1 h (target 80%)"));

        port.verdict = new RoutingCore.OutboundVerdict("renewals", true, 2, "every inbound queue meets its service"
                + " level: sales 90% (target 80%)");
        tick();
        assertThat(port.of(Command.Enqueue.class)).as("one contact on the list, two agents ready").hasSize(1);
        assertThat(ob.blending().outboundAllowed()).isTrue();
    }

    @Test
    void aPersonWhoAnswersAndGetsNoAgentInTimeHearsTheAbandonMessageAndIsRecordedAbandoned() throws Exception {
        // (dialled through the trunk into the outbound context, showing the campaign's caller id)
        campaign(DialMode.PREDICTIVE, "5550101");
        tick();
        assertThat(port.originated).as("one free agent: progressive pace at the start")
                .containsExactly("ob-renew-1-1 PJSIP/5550101@trunk hotline-outbound <+3312345678>");

        List<String> heard = new CopyOnWriteArrayList<>();
        AgiSession answered = customer("ob-renew-1-1", heard);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                ob.script().run(answered);
            } catch (Exception e) {
                heard.add("failed: " + e);
            }
        });
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
        assertThat(heard).containsExactly("EXEC AMD", "STREAM FILE hotline/outbound-abandoned", "HANGUP");
        assertThat(port.of(Command.Enqueue.class)).as("the answered person was put into routing")
                .extracting(e -> e.call().id()).containsExactly("ob-renew-1-1");
        assertThat(port.of(Command.Leave.class)).extracting(Command.Leave::reason)
                .containsExactly("abandoned: no agent within 300 ms");

        List<Attempt> attempts = List.of();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (attempts.isEmpty() && System.nanoTime() < until) {
            attempts = ob.store().attempts(Optional.of("renew"), Instant.EPOCH, T0.plusSeconds(60));
        }
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.ABANDONED);
            assertThat(a.answeredAt()).isPresent();
            assertThat(a.agent()).isEmpty();
            assertThat(a.amdResult()).isEqualTo("HUMAN");
        });
        assertThat(ob.pacer("renew").orElseThrow().abandonPct(T0)).isEqualTo(100.0);
    }

    /** The customer's answered channel running {@code agi://…/outbound?call=ID}; AMD hears a person. */
    private static AgiSession customer(String callId, List<String> heard) {
        AgiEnvironment env = new AgiEnvironment(Map.of("agi_network_script", "outbound?call=" + callId,
                "agi_uniqueid", "1700000000.7", "agi_channel", "PJSIP/trunk-00000007", "agi_extension", callId));
        boolean[] hungUp = {false};
        return (AgiSession) Proxy.newProxyInstance(AgiSession.class.getClassLoader(), new Class<?>[] {AgiSession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "environment" -> env;
                    case "exec" -> {
                        heard.add("EXEC " + args[0]);
                        yield 0;
                    }
                    case "getVariable" -> "AMDSTATUS".equals(args[0]) ? Optional.of("HUMAN") : Optional.empty();
                    case "streamFile" -> {
                        heard.add("STREAM FILE " + args[0]);
                        yield new Playback(Optional.empty(), 0);
                    }
                    case "isHungUp" -> hungUp[0];
                    case "hangup" -> {
                        heard.add("HANGUP");
                        hungUp[0] = true;
                        yield null;
                    }
                    case "toString" -> "customer " + callId;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
