package dev.hotline.callbacks;

import dev.hotline.agi.AgiSession;
import dev.hotline.agi.Playback;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.CallbackConfig;
import dev.hotline.events.CallEvent;
import dev.hotline.ha.Fence;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: an attempt whose engine (term 1) stopped while it was dialled, seen by the engine that took over (term
 * 2). The agent's channel comes to the new engine's {@code callback} step: with the {@code DIALSTATUS} of the
 * customer's Dial that ran without an engine ({@code dialstatus=}), the claim is closed with that outcome — a
 * customer reached is never called again; with none (the agent answered after the takeover), the attempt is carried
 * on here ({@code adoptDoubt}): the customer is dialled once, from this engine.
 */
class CallbacksStoppedAttemptTest {

    private static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
    private static final CallbackConfig CONFIG = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk",
            Duration.ofSeconds(30), 3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "");

    @TempDir
    Path dir;
    private TestDatabase db;
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final List<Command> posted = new CopyOnWriteArrayList<>();
    private final List<String> originated = new CopyOnWriteArrayList<>();
    private Callbacks callbacks;

    private static Fence term(long n) {
        return new Fence() {
            @Override
            public boolean mayAct() {
                return true;
            }

            @Override
            public long number() {
                return n;
            }

            @Override
            public void guard(Connection con, String what) {
            }
        };
    }

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
        // Engine of term 1 stored the callback and claimed it for agent 1001's attempt, then stopped.
        CallbackStore first = new CallbackStore(db.database().dataSource(), term(1));
        first.insert(Callback.queued("cb1", "support", "0611111111", "", NOW.minusSeconds(120)));
        assertThat(first.claim("cb1", "1001", NOW.minusSeconds(20))).isTrue();
        // The engine of term 2 takes over: the claim is in doubt here.
        callbacks = new Callbacks(CONFIG, new CallbackStore(db.database().dataSource(), term(2)), now::get,
                Optional.empty(), new Callbacks.Port() {
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
                    public Optional<AmiConnection> ami() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<Callbacks.Dialler> dialler() {
                        return Optional.of((channel, context, exten, timeout, callerId, vars) -> {
                            originated.add(exten + " " + channel);
                            return new CompletableFuture<>();
                        });
                    }

                    @Override
                    public void emit(CallEvent event) {
                    }
                }, new SimpleMeterRegistry()).start(Duration.ZERO);
        callbacks.sync(() -> { });
    }

    @AfterEach
    void close() throws Exception {
        callbacks.close();
        db.close();
    }

    /** The agent's channel as FastAGI shows it: every command logged; Dial ends with {@code dialStatus}. */
    private static final class Channel {
        final List<String> commands = new CopyOnWriteArrayList<>();
        final Map<String, String> variables = new LinkedHashMap<>();
        volatile boolean hungUp;
        final AgiSession session;

        Channel(String script, String dialStatus) {
            AgiEnvironment env = new AgiEnvironment(Map.of("agi_network_script", script, "agi_extension", "cb1",
                    "agi_channel", "PJSIP/1001-00000007", "agi_uniqueid", "1765188000.7"));
            session = (AgiSession) Proxy.newProxyInstance(AgiSession.class.getClassLoader(),
                    new Class<?>[] {AgiSession.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "environment" -> env;
                        case "isHungUp" -> hungUp;
                        case "hangup" -> {
                            hungUp = true;
                            commands.add("hangup");
                            yield null;
                        }
                        case "setVariable" -> {
                            variables.put((String) args[0], (String) args[1]);
                            yield null;
                        }
                        case "getVariable" -> Optional.ofNullable("DIALSTATUS".equals(args[0]) ? dialStatus
                                : variables.get((String) args[0]));
                        case "exec" -> {
                            commands.add(args[0] + " " + args[1]);
                            yield 0;
                        }
                        case "streamFile" -> new Playback(Optional.empty(), 0);
                        case "sayDigits" -> Optional.empty();
                        case "toString" -> "channel " + script;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private Channel run(String script, String dialStatus) throws Exception {
        Channel channel = new Channel(script, dialStatus);
        callbacks.script().run(channel.session);
        callbacks.sync(() -> { });
        return channel;
    }

    private Callback stored() throws Exception {
        return callbacks.store().find("cb1").orElseThrow();
    }

    @Test
    void aCustomerReachedWhileNoEngineWasThereIsCompletedAndNeverCalledAgain() throws Exception {
        Channel agent = run("callback?id=cb1&dialstatus=ANSWER", "");

        assertThat(agent.commands).as("nothing dialled: the outcome is reported").containsExactly("hangup");
        assertThat(agent.variables).doesNotContainKey("HOTLINE_ERROR");
        Callback c = stored();
        assertThat(c.status()).isEqualTo(Callback.Status.COMPLETED);
        assertThat(c.attempts()).isEqualTo(1);
        assertThat(c.agentId()).contains("1001");
        assertThat(callbacks.store().claims()).as("the claim is closed").isEmpty();

        // Far past the ring times: nothing is retried, nothing enqueued or dialled.
        now.set(NOW.plus(Duration.ofHours(1)));
        callbacks.sync(callbacks::tick);
        assertThat(stored().status()).isEqualTo(Callback.Status.COMPLETED);
        assertThat(posted).noneMatch(cmd -> cmd instanceof Command.Enqueue);
        assertThat(originated).isEmpty();
        assertThat(callbacks.pending()).isEmpty();

        // A second report (the dialplan's next round reached the other engine too): refused, nothing changes.
        Channel again = run("callback?id=cb1&dialstatus=NOANSWER", "");
        assertThat(again.variables).containsKey("HOTLINE_ERROR");
        assertThat(again.commands).isEmpty();
        assertThat(stored().status()).isEqualTo(Callback.Status.COMPLETED);
    }

    @Test
    void aCustomerWhoDidNotAnswerCountsAsAnAttemptWithThatResult() throws Exception {
        Channel agent = run("callback?id=cb1&dialstatus=NOANSWER", "");

        assertThat(agent.commands).containsExactly("hangup");
        Callback c = stored();
        assertThat(c.status()).isEqualTo(Callback.Status.PENDING);
        assertThat(c.attempts()).isEqualTo(1);
        assertThat(c.lastResult()).isEqualTo("no answer");
        assertThat(c.notBefore()).isEqualTo(NOW.plus(CONFIG.retryDelay()));
        assertThat(callbacks.store().claims()).isEmpty();

        // Retried after retry_delay through routing, not held as a doubt any longer.
        now.set(NOW.plus(CONFIG.retryDelay()));
        callbacks.sync(callbacks::tick);
        assertThat(posted).filteredOn(cmd -> cmd instanceof Command.Enqueue)
                .extracting(cmd -> ((Command.Enqueue) cmd).call().id()).containsExactly("cb1");
    }

    @Test
    void aReportForNoCallbackInDoubtOrWithAGarbledStatusIsRefused() throws Exception {
        Channel unknown = new Channel("callback?id=cb9&dialstatus=ANSWER", "");
        callbacks.script().run(unknown.session);
        assertThat(unknown.variables.get("HOTLINE_ERROR")).isEqualTo("no callback cb9 in doubt");

        Channel garbled = run("callback?id=cb1&dialstatus=ANSWER;x", "");
        assertThat(garbled.variables.get("HOTLINE_ERROR")).isEqualTo("bad dialstatus for callback cb1");
        assertThat(garbled.commands).isEmpty();
        assertThat(stored().status()).isEqualTo(Callback.Status.PENDING);
        assertThat(callbacks.store().claims()).as("still in doubt").containsOnlyKeys("cb1");
    }

    @Test
    void anAgentWhoAnswersAfterTheTakeoverIsCarriedOnHereAndTheCustomerDialledOnce() throws Exception {
        // No Dial ran (empty DIALSTATUS: the agent answered after the engine stopped): adoptDoubt.
        Channel agent = run("callback?id=cb1&dialstatus=", "ANSWER");

        assertThat(agent.commands).containsExactly("Dial PJSIP/0611111111@trunk,30,g", "hangup");
        assertThat(posted).contains(new Command.OfferAnswered("cb1", "1001"), new Command.CallEnded("1001"));
        assertThat(stored().status()).isEqualTo(Callback.Status.COMPLETED);
        assertThat(stored().agentId()).contains("1001");
        assertThat(originated).as("no new Originate: the claimed agent's channel carried it").isEmpty();

        // The same channel's step again (a second round): nothing left to dial.
        Channel again = run("callback?id=cb1", "ANSWER");
        assertThat(again.commands).isEmpty();
        assertThat(again.variables).containsKey("HOTLINE_ERROR");
    }

    @Test
    void withoutTheAgentsChannelTheDoubtIsResolvedAsAnUnknownAttemptAfterTheRingTimes() throws Exception {
        // The existing rule, for comparison: ring times (15 s + 30 s + 30 s margin) from the claim.
        now.set(NOW.plusSeconds(40));
        callbacks.sync(callbacks::tick);
        assertThat(stored().attempts()).isEqualTo(0);
        now.set(NOW.plusSeconds(60));
        callbacks.sync(callbacks::tick);
        assertThat(stored().attempts()).isEqualTo(1);
        assertThat(stored().lastResult()).isEqualTo("unknown: the engine of term 1 stopped during the attempt");
    }
}
