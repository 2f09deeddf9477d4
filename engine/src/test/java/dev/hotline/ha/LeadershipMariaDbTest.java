package dev.hotline.ha;

import dev.hotline.config.HaConfig;
import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.SwitchableDataSource;
import dev.hotline.records.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two engines' leadership against one MariaDB (a database of their own per test): racing at start, a killed active
 * replaced, a frozen former active fenced out by the database, a clean stop handing over at once, an active that
 * loses the database stepping down. Short times (lease 1 s) keep it quick; the machine is loaded, so waits are
 * generous and every wait is for an event.
 */
@MariaDbTest
@Tag("slow")
class LeadershipMariaDbTest {

    private static final HaConfig HA = new HaConfig(true, Duration.ofSeconds(1), Duration.ofMillis(300),
            Duration.ofMillis(100), "");

    private TestDatabase db;
    private final List<Leadership> started = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        db = TestDatabase.mariaDb();
        db.database().migrate();
    }

    @AfterEach
    void close() throws SQLException {
        started.forEach(Leadership::abandon);
        db.close();
    }

    /** An engine's leadership with its own switchable connections and a ticker the test may freeze. */
    private final class Engine implements Leadership.Listener {
        final SwitchableDataSource connections = new SwitchableDataSource(db.database().dataSource(), "db");
        final FreezableTicker ticker = new FreezableTicker();
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final Leadership leadership;

        Engine(String name) {
            leadership = new Leadership(HA.withUrl("http://" + name + ":8080/"), name, new LeaseStore(connections,
                    InstantSource.system(), Duration.ofSeconds(1)), ticker, InstantSource.system(),
                    new SimpleMeterRegistry()).onChange(this);
            started.add(leadership);
        }

        Engine start() {
            leadership.start();
            return this;
        }

        @Override
        public void active(long fence) {
            events.add("active " + fence);
        }

        @Override
        public void standby(String why) {
            events.add("standby: " + why);
        }

        String next() throws InterruptedException {
            String e = events.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a role change of %s", leadership.name()).isNotNull();
            return e;
        }

        /** A guarded write, as the directory or the callbacks make one. */
        void write(String what) throws SQLException {
            try (Connection con = connections.getConnection()) {
                con.setAutoCommit(false);
                try {
                    leadership.guard(con, what);
                    try (PreparedStatement ps = con.prepareStatement("INSERT INTO ha_test_writes (what) VALUES (?)")) {
                        ps.setString(1, what);
                        ps.executeUpdate();
                    }
                    con.commit();
                } catch (SQLException e) {
                    con.rollback();
                    throw e;
                }
            }
        }
    }

    private void writesTable() throws SQLException {
        try (Connection con = db.database().dataSource().getConnection(); Statement st = con.createStatement()) {
            st.execute("CREATE TABLE ha_test_writes (what VARCHAR(100) NOT NULL)");
        }
    }

    private List<String> writes() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection con = db.database().dataSource().getConnection(); Statement st = con.createStatement();
             var rs = st.executeQuery("SELECT what FROM ha_test_writes ORDER BY what")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void twoEnginesStartedAtOnceOneWinsAndTheOtherNamesIt() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Engine a = new Engine("a");
        Engine b = new Engine("b");
        Thread ta = Thread.ofVirtual().start(() -> await(go, a));
        Thread tb = Thread.ofVirtual().start(() -> await(go, b));
        go.countDown();
        ta.join();
        tb.join();
        // The loser announces nothing (it starts and stays standby), so wait for whichever engine speaks first.
        Engine winner = null;
        String first = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (first == null && System.nanoTime() < end) {
            for (Engine e : List.of(a, b)) {
                String event = e.events.poll(50, TimeUnit.MILLISECONDS);
                if (event != null) {
                    winner = e;
                    first = event;
                    break;
                }
            }
        }
        assertThat(first).as("a role change of a or b").isEqualTo("active 1");
        Engine loser = winner == a ? b : a;
        assertThat(loser.events.poll(3 * HA.lease().toMillis(), TimeUnit.MILLISECONDS))
                .as("the loser stays standby through several renewals").isNull();
        assertThat(loser.leadership.mayAct()).isFalse();
        Leadership.Status s = loser.leadership.status();
        assertThat(s.role()).isEqualTo(Role.STANDBY);
        assertThat(s.activeEngine()).isEqualTo(winner.leadership.name());
        assertThat(s.activeUrl()).isEqualTo("http://" + winner.leadership.name() + ":8080/");
        assertThat(winner.leadership.status()).extracting(Leadership.Status::role, Leadership.Status::fence)
                .containsExactly(Role.ACTIVE, 1L);
    }

    private static void await(CountDownLatch go, Engine e) {
        try {
            go.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        e.start();
    }

    @Test
    void aKilledActiveIsReplacedWithinTheLeaseAndItsFrozenWritesAreRefusedByTheFence() throws Exception {
        writesTable();
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        Engine b = new Engine("b").start();
        a.write("a-1 while active");

        // "kill -9" by freezing: a's clock stops, so it still believes it holds term 1 and renews nothing.
        a.ticker.freeze();
        long frozeAt = System.nanoTime();
        assertThat(b.next()).isEqualTo("active 2");
        long takeoverMs = (System.nanoTime() - frozeAt) / 1_000_000;
        assertThat(takeoverMs).as("takeover after the last renewal: within lease + check (and slack)")
                .isLessThan(HA.worstTakeover().plusSeconds(3).toMillis());
        assertThat(a.leadership.mayAct()).as("frozen: its own view is stale").isTrue();

        assertThatThrownBy(() -> a.write("a-2 stale")).isInstanceOf(FencedOutException.class)
                .hasMessage("a-2 stale: refused, engine a no longer holds term 1 of the lease (another engine took"
                        + " over; this one steps down)");
        b.write("b-1 new active");
        assertThat(writes()).containsExactly("a-1 while active", "b-1 new active");

        a.ticker.thaw();
        assertThat(a.next()).startsWith("standby: ");
        assertThat(a.leadership.mayAct()).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!a.leadership.status().activeEngine().equals("b")) {   // its next read of the lease names b
            assertThat(System.nanoTime()).as("a reads that b holds the lease").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThatThrownBy(() -> a.write("a-3 after waking")).isInstanceOf(FencedOutException.class)
                .hasMessageStartingWith("a-3 after waking: refused, engine a is standby; engine b is active at"
                        + " http://b:8080/");
        assertThat(b.leadership.status().fence()).isEqualTo(2);
        assertThat(b.leadership.mayAct()).isTrue();
    }

    @Test
    void anEngineFrozenInsideAFencedWriteDoesNotHoldTheTakeoverUp() throws Exception {
        writesTable();
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        Engine b = new Engine("b").start();
        // a is frozen between its guard (the lease row locked in its transaction) and its commit.
        Connection held = a.connections.getConnection();
        held.setAutoCommit(false);
        try (PreparedStatement ps = held.prepareStatement("INSERT INTO ha_test_writes (what) VALUES (?)")) {
            ps.setString(1, "a frozen before its commit");
            ps.executeUpdate();
        }
        a.leadership.guard(held, "a frozen before its commit");
        a.ticker.freeze();
        assertThat(b.next()).as("the server ended a's idle transaction, releasing the lease row")
                .isEqualTo("active 2");
        assertThatThrownBy(held::commit).as("a's commit after thawing").isInstanceOf(SQLException.class);
        held.close();
        assertThat(writes()).isEmpty();
    }

    @Test
    void aCleanStopHandsTheLeaseOverAtTheStandbysNextCheck() throws Exception {
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        Engine b = new Engine("b").start();
        assertThat(b.events.poll(HA.lease().toMillis(), TimeUnit.MILLISECONDS)).isNull();
        long stoppedAt = System.nanoTime();
        a.leadership.close();
        assertThat(b.next()).isEqualTo("active 2");
        assertThat((System.nanoTime() - stoppedAt) / 1_000_000).as("no lease to wait out")
                .isLessThan(HA.lease().toMillis());
    }

    @Test
    void anActiveEngineThatLosesTheDatabaseStepsDownBeforeTheStandbyTakesOver() throws Exception {
        writesTable();
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        Engine b = new Engine("b").start();
        a.connections.off();
        String down = a.next();
        long aDownAt = System.nanoTime();
        assertThat(down).startsWith("standby: could not renew the lease of term 1 for ")
                .contains("renewal failed: ");
        assertThat(b.next()).isEqualTo("active 2");
        assertThat(System.nanoTime()).isGreaterThan(aDownAt);
        a.connections.on();
        assertThatThrownBy(() -> a.write("a after the outage")).isInstanceOf(FencedOutException.class);
        assertThat(writes()).isEmpty();
        assertThat(a.events.poll(2 * HA.lease().toMillis(), TimeUnit.MILLISECONDS)).as("b renews: a stays standby")
                .isNull();
    }

    @Test
    void directoryChangesAreStoredByTheActiveEngineOnly() throws Exception {
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        Engine b = new Engine("b").start();
        java.time.Instant now = java.time.Instant.now();
        new dev.hotline.directory.DirectoryStore(a.connections).fence(a.leadership)
                .saveSkill(new dev.hotline.directory.DirectoryStore.SkillRow("french", "", false, now, "root"));
        var standbyStore = new dev.hotline.directory.DirectoryStore(b.connections).fence(b.leadership);
        assertThatThrownBy(() -> standbyStore.saveSkill(new dev.hotline.directory.DirectoryStore.SkillRow("german", "",
                false, now, "root"))).isInstanceOf(FencedOutException.class)
                .hasMessage("directory change of directory_skill german: refused, engine b is standby; engine a is"
                        + " active at http://a:8080/ (only the active engine of the pair writes this)");
        assertThat(standbyStore.load().skills()).extracting(dev.hotline.directory.DirectoryStore.SkillRow::name)
                .containsExactly("french");
    }

    @Test
    void theGuardNeedsTheWritersTransaction() throws Exception {
        Engine a = new Engine("a").start();
        assertThat(a.next()).isEqualTo("active 1");
        DataSource ds = a.connections;
        try (Connection con = ds.getConnection()) {
            assertThatThrownBy(() -> a.leadership.guard(con, "x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto-commit");
        }
    }
}
