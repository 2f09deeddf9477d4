package dev.hotline.callbacks;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.CallbackConfig;
import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.calendar.TimeRange;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calling hours with a fake clock: callbacks due while the calendar is closed are not put into routing and no
 * attempt starts; when it opens they enter routing in their original order, with their original time.
 */
@Tag("slow")
class CallbacksCallingHoursTest {

    /** Monday 2026-11-23; the calendar is open 09:00-18:00 UTC on Mondays only. */
    private static final Instant MONDAY_0830 = Instant.parse("2026-11-23T08:30:00Z");
    private static final BusinessCalendar HOURS = new BusinessCalendar("callback-hours", ZoneOffset.UTC,
            Map.of(DayOfWeek.MONDAY, List.of(TimeRange.parse("09:00-18:00"))), List.of(), Map.of());

    @TempDir
    Path dir;
    private TestDatabase db;
    private CallbackStore store;
    private Callbacks callbacks;
    private final AtomicReference<Instant> now = new AtomicReference<>(MONDAY_0830);
    private final List<Command> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
        store = new CallbackStore(db.database().dataSource());
        // Promised during the night, in this order of due time: c (06:00), a (07:00), s (scheduled for 08:00).
        store.insert(Callback.queued("a", "support", "0611111111", "", Instant.parse("2026-11-23T07:00:00Z")));
        store.insert(Callback.queued("c", "support", "0622222222", "", Instant.parse("2026-11-23T06:00:00Z")));
        store.insert(Callback.scheduled("s", "sales", "0633333333", Instant.parse("2026-11-22T17:00:00Z"),
                Instant.parse("2026-11-23T08:00:00Z"), Optional.of("1004"), "quote"));
        CallbackConfig config = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk", Duration.ofSeconds(30),
                3, Duration.ofMinutes(10), Optional.of(HOURS.name()), Duration.ofHours(1), "");
        callbacks = new Callbacks(config, store, (InstantSource) now::get,
                Optional.of(HOURS), new Callbacks.Port() {
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
                }, new SimpleMeterRegistry());
        callbacks.start(Duration.ZERO);
        callbacks.sync(() -> { });
    }

    @AfterEach
    void close() throws Exception {
        callbacks.close();
        db.close();
    }

    private void tickAt(String instant) throws InterruptedException {
        now.set(Instant.parse(instant));
        callbacks.sync(callbacks::tick);
    }

    @Test
    void nothingIsDialledBeforeOpeningThenAllEnterRoutingInDueOrderWithTheirOriginalTime() throws Exception {
        assertThat(callbacks.pending()).hasSize(3);
        assertThat(posted).as("08:30, closed: nothing routed").isEmpty();
        tickAt("2026-11-23T08:59:59Z");
        assertThat(posted).as("08:59:59, closed: nothing routed").isEmpty();

        tickAt("2026-11-23T09:00:00Z");
        assertThat(posted).allSatisfy(c -> assertThat(c).isInstanceOf(Command.Enqueue.class));
        List<Command.Enqueue> enqueued = posted.stream().map(Command.Enqueue.class::cast).toList();
        assertThat(enqueued).extracting(e -> e.call().id()).containsExactly("c", "a", "s");
        assertThat(enqueued).extracting(Command.Enqueue::since).containsExactly(
                Optional.of(Instant.parse("2026-11-23T06:00:00Z")), Optional.of(Instant.parse("2026-11-23T07:00:00Z")),
                Optional.of(Instant.parse("2026-11-23T08:00:00Z")));
        assertThat(enqueued).allSatisfy(e -> assertThat(e.callback()).isTrue());
        assertThat(enqueued.get(2).call().preferredAgent()).contains("1004");

        posted.clear();
        tickAt("2026-11-23T12:00:00Z");
        assertThat(posted).as("already in routing: not enqueued twice").isEmpty();
    }

    @Test
    void whenTheCalendarClosesTheyLeaveRoutingAndComeBackInOrderWhenItOpensAgain() throws Exception {
        tickAt("2026-11-23T09:00:00Z");
        posted.clear();
        tickAt("2026-11-23T18:00:00Z");
        assertThat(posted).extracting(c -> ((Command.Leave) c).callId()).containsExactly("c", "a", "s");
        assertThat(posted).allSatisfy(c -> assertThat(((Command.Leave) c).reason()).isEqualTo("outside calling hours"));
        posted.clear();
        tickAt("2026-11-23T23:00:00Z");
        tickAt("2026-11-24T10:00:00Z");   // Tuesday: closed all day
        assertThat(posted).isEmpty();
        tickAt("2026-11-30T09:00:01Z");   // next Monday
        assertThat(posted).extracting(c -> ((Command.Enqueue) c).call().id()).containsExactly("c", "a", "s");
    }

    @Test
    void anOfferThatArrivesAfterClosingStartsNoAttempt() throws Exception {
        tickAt("2026-11-23T17:59:59Z");
        posted.clear();
        now.set(Instant.parse("2026-11-23T18:00:00Z"));
        callbacks.offered(new Decision.Offer("c", "1004", "support", now.get().plusSeconds(15),
                new dev.hotline.routing.Explanation("longest-idle", "idle", 1, 1, List.of())));
        callbacks.sync(() -> { });
        assertThat(posted).singleElement().isEqualTo(new Command.Leave("c", "outside calling hours"));
        assertThat(store.find("c")).hasValueSatisfying(c -> assertThat(c.attempts()).isZero());
    }
}
