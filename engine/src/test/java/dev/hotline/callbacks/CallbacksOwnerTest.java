package dev.hotline.callbacks;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.CallbackConfig;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.Command;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled callbacks with an owner, fake clock: the owner alone for {@code owner_first_for} after the due time
 * (whatever the queue's strategy: the core is told through {@code Enqueue.preferredFor}), the team at once when the
 * owner is logged out, and reassignment when the owner logs out while it waits for them.
 */
@Tag("slow")
class CallbacksOwnerTest {

    private static final Instant DUE = Instant.parse("2026-11-23T10:00:00Z");
    private static final Duration OWNER_FIRST = Duration.ofMinutes(15);

    @TempDir
    Path dir;
    private TestDatabase db;
    private Callbacks callbacks;
    private final AtomicReference<Instant> now = new AtomicReference<>(DUE.minusSeconds(3600));
    private final List<Command> posted = new CopyOnWriteArrayList<>();
    private final Set<String> loggedIn = ConcurrentHashMap.newKeySet();
    private String s1;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
        CallbackConfig config = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk", Duration.ofSeconds(30),
                3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "", CallbackConfig.Mode.AGENT_FIRST,
                Duration.ZERO, "names", OWNER_FIRST);
        callbacks = new Callbacks(config, new CallbackStore(db.database().dataSource()), (InstantSource) now::get,
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
                    public void emit(CallEvent event) {
                    }

                    @Override
                    public boolean loggedIn(String agentId) {
                        return loggedIn.contains(agentId);
                    }
                }, new SimpleMeterRegistry());
        callbacks.start(Duration.ZERO);
        s1 = callbacks.schedule("sales", "0612345678", DUE, Optional.of("1004"), "quote", Optional.empty()).id();
        callbacks.sync(() -> { });
    }

    @AfterEach
    void close() throws Exception {
        callbacks.close();
        db.close();
    }

    private void tickAt(Instant at) throws InterruptedException {
        now.set(at);
        callbacks.sync(callbacks::tick);
    }

    private List<Command.Enqueue> enqueued() {
        return posted.stream().filter(Command.Enqueue.class::isInstance).map(Command.Enqueue.class::cast).toList();
    }

    @Test
    void scheduledIdsAreMadeByTheServerInANamespaceNoCallMayUse() throws Exception {
        assertThat(s1).startsWith(Callbacks.SCHEDULED_PREFIX);
        String other = callbacks.schedule("sales", "0612345678", DUE, Optional.empty(), "", Optional.empty()).id();
        assertThat(other).startsWith(Callbacks.SCHEDULED_PREFIX).isNotEqualTo(s1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> callbacks.requestQueued("sched-1", "sales",
                "0612345678", "", DUE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    }

    @Test
    void aLoggedInOwnerHasItAloneForOwnerFirstForFromItsDueTime() throws Exception {
        loggedIn.add("1004");
        tickAt(DUE.minusSeconds(1));
        assertThat(posted).as("not due yet").isEmpty();
        tickAt(DUE);
        assertThat(enqueued()).singleElement().satisfies(e -> {
            assertThat(e.call().preferredAgent()).contains("1004");
            assertThat(e.preferredFor()).contains(OWNER_FIRST);
            assertThat(e.since()).contains(DUE);
            assertThat(e.callback()).isTrue();
            assertThat(e.call().data()).containsEntry("callback_owner", "1004").containsEntry("callback_note", "quote");
        });
    }

    @Test
    void anOwnerWhoIsLoggedOutGivesItToTheTeamAtOnce() throws Exception {
        tickAt(DUE.plusSeconds(5));
        assertThat(enqueued()).singleElement().satisfies(e -> {
            assertThat(e.call().preferredAgent()).isEmpty();
            assertThat(e.preferredFor()).isEmpty();
            assertThat(e.call().data()).as("the screen still names the owner").containsEntry("callback_owner", "1004");
        });
    }

    @Test
    void anOwnerWhoLogsOutWhileItWaitsForThemIsReassignedToTheTeam() throws Exception {
        loggedIn.add("1004");
        tickAt(DUE);
        posted.clear();
        tickAt(DUE.plusSeconds(60));
        assertThat(posted).as("owner still there: nothing changes").isEmpty();
        loggedIn.remove("1004");
        tickAt(DUE.plusSeconds(120));
        assertThat(posted).singleElement().isEqualTo(new Command.Leave(s1, "owner logged out"));
        posted.clear();
        tickAt(DUE.plusSeconds(121));
        assertThat(enqueued()).singleElement().satisfies(e -> {
            assertThat(e.call().preferredAgent()).isEmpty();
            assertThat(e.since()).as("keeps its place: its due time").contains(DUE);
        });
    }

    @Test
    void afterTheOwnerWindowALogoutChangesNothing() throws Exception {
        loggedIn.add("1004");
        tickAt(DUE);
        posted.clear();
        loggedIn.remove("1004");
        tickAt(DUE.plus(OWNER_FIRST));
        assertThat(posted).as("the core already widened it to the team").isEmpty();
    }
}
