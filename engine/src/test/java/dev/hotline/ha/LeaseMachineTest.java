package dev.hotline.ha;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lease as a pure state machine, driven by hand with a fake monotonic clock (milliseconds as nanos). */
@Tag("slow")
class LeaseMachineTest {

    private static final long MS = 1_000_000L;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration RENEW = Duration.ofSeconds(1);
    private static final Duration CHECK = Duration.ofMillis(500);

    private static LeaseMachine machine() {
        return new LeaseMachine(LEASE, RENEW, CHECK);
    }

    private static LeaseRow held(String holder, long fence, long version) {
        return new LeaseRow(holder, fence, version, "");
    }

    @Test
    void aFreeLeaseIsTakenAtTheFirstRead() {
        LeaseMachine m = machine();
        assertThat(m.next(0)).isEqualTo(new LeaseMachine.Step.Read());
        assertThat(m.mayAct(0)).isFalse();
        m.read(new LeaseRow("", 4, 9, ""), 2 * MS);
        assertThat(m.next(2 * MS)).isEqualTo(new LeaseMachine.Step.TakeOver(new LeaseRow("", 4, 9, "")));
        m.tookOver(2 * MS, 5);
        assertThat(m.role()).isEqualTo(Role.ACTIVE);
        assertThat(m.fence()).isEqualTo(5);
        assertThat(m.mayAct(3 * MS)).isTrue();
    }

    @Test
    void aStandbyTakesOverOnlyAfterSeeingTheSameVersionForAWholeLease() {
        LeaseMachine m = machine();
        m.read(held("a", 1, 10), 0);
        assertThat(m.next(0)).isEqualTo(new LeaseMachine.Step.Wait(500 * MS));
        assertThat(m.next(500 * MS)).isEqualTo(new LeaseMachine.Step.Read());
        m.read(held("a", 1, 11), 500 * MS);          // renewed: the count starts again
        m.read(held("a", 1, 11), 1000 * MS);
        m.read(held("a", 1, 11), 3000 * MS);
        assertThat(m.next(3499 * MS)).as("2999 ms unchanged").isEqualTo(new LeaseMachine.Step.Wait(3500 * MS));
        assertThat(m.next(3500 * MS)).isEqualTo(new LeaseMachine.Step.TakeOver(held("a", 1, 11)));
        assertThat(m.mayAct(3500 * MS)).as("not before it won").isFalse();
    }

    @Test
    void aStandbyThatCannotReadKeepsWhatItSawAndTakesOverOnceThatIsALeaseOld() {
        LeaseMachine m = machine();
        m.read(held("a", 1, 10), 0);
        m.readFailed(500 * MS);
        m.readFailed(1000 * MS);
        assertThat(m.next(1500 * MS)).isEqualTo(new LeaseMachine.Step.Read());
        assertThat(m.next(3000 * MS)).isEqualTo(new LeaseMachine.Step.TakeOver(held("a", 1, 10)));
    }

    @Test
    void aLostTakeOverReadsAgainAtOnceAndWaitsForTheWinnersLease() {
        LeaseMachine m = machine();
        m.read(new LeaseRow("", 0, 0, ""), 0);
        m.takeOverLost(1 * MS);
        assertThat(m.next(1 * MS)).isEqualTo(new LeaseMachine.Step.Read());
        m.read(held("b", 1, 1), 2 * MS);
        assertThat(m.next(2 * MS)).isEqualTo(new LeaseMachine.Step.Wait(502 * MS));
        assertThat(m.role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void theActiveEngineRenewsEverySecondFromTheStartOfTheLastRenewal() {
        LeaseMachine m = active(0, 1);
        assertThat(m.next(0)).isEqualTo(new LeaseMachine.Step.Wait(1000 * MS));
        assertThat(m.next(1000 * MS)).isEqualTo(new LeaseMachine.Step.Renew(1));
        m.renewed(1000 * MS);
        assertThat(m.next(1200 * MS)).isEqualTo(new LeaseMachine.Step.Wait(2000 * MS));
        assertThat(m.validUntil()).as("lease - renew_every after the renewal began").isEqualTo(3000 * MS);
        assertThat(m.mayAct(2999 * MS)).isTrue();
    }

    @Test
    void anActiveEngineThatCannotRenewStepsDownBeforeTheStandbyMayTakeOver() {
        LeaseMachine m = active(0, 7);
        m.renewFailed(1000 * MS, "Connection refused");
        assertThat(m.next(1000 * MS)).as("retried every check").isEqualTo(new LeaseMachine.Step.Wait(1500 * MS));
        m.renewFailed(1500 * MS, "Connection refused");
        assertThat(m.mayAct(1999 * MS)).isTrue();
        assertThat(m.mayAct(2000 * MS)).as("at lease - renew_every: it stops acting").isFalse();
        assertThat(m.next(2000 * MS)).isEqualTo(new LeaseMachine.Step.Read());
        assertThat(m.role()).isEqualTo(Role.STANDBY);
        assertThat(m.why()).isEqualTo("could not renew the lease of term 7 for 2000 ms (renewal failed: Connection"
                + " refused)");
        assertThat(m.fence()).as("the last term is remembered").isEqualTo(7);
    }

    @Test
    void aRenewalThatChangesNoRowStepsDownAtOnce() {
        LeaseMachine m = active(0, 3);
        m.renewLost(1000 * MS, "b");
        assertThat(m.role()).isEqualTo(Role.STANDBY);
        assertThat(m.mayAct(1000 * MS)).isFalse();
        assertThat(m.why()).isEqualTo("lost the lease of term 3 to b");
        assertThat(m.next(1000 * MS)).isEqualTo(new LeaseMachine.Step.Read());
    }

    @Test
    void aPausedHolderFindsItsLeaseRunOutWhenItWakesUp() {
        LeaseMachine m = active(0, 2);
        // Frozen for 10 s (SIGSTOP, a paused VM): its first look at the clock after waking.
        assertThat(m.mayAct(10_000 * MS)).isFalse();
        assertThat(m.next(10_000 * MS)).isEqualTo(new LeaseMachine.Step.Read());
        assertThat(m.role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void fencingNumbersOnlyGrowAndTimesMustLeaveRoomForTwoFailedRenewals() {
        LeaseMachine m = active(0, 5);
        m.renewLost(1, "");
        assertThatThrownBy(() -> m.tookOver(2, 5)).hasMessage("fence 5 after 5 (expected: it only grows)");
        assertThatThrownBy(() -> new LeaseMachine(LEASE, Duration.ofMillis(1500), CHECK))
                .hasMessageContaining("less than half the lease");
    }

    /**
     * Two engines against one simulated lease row, with lost and failed statements, stalls (a statement or the
     * whole process not running for a while) and skewless clocks: at no millisecond may both act; and once the
     * database answers again, the survivor of a kill acts within lease + check_every (slack for its own stall).
     */
    @Test
    void twoEnginesNeverActAtOnceAndADeadOneIsReplacedWithinLeasePlusCheck() {
        for (long seed = 1; seed <= 40; seed++) {
            simulate(seed);
        }
    }

    private static void simulate(long seed) {
        Random random = new Random(seed);
        SimRow row = new SimRow();
        Engine a = new Engine("a", row);
        Engine b = new Engine("b", row);
        long deadSince = -1;
        Engine dead = null;
        for (long t = 0; t < 60_000; t++) {
            long now = t * MS;
            for (Engine e : new Engine[] {a, b}) {
                if (e == dead) {
                    continue;
                }
                if (e.stalledUntil > t) {
                    continue;
                }
                if (dead == null && random.nextInt(4000) == 0) {
                    e.stalledUntil = t + random.nextInt(5000);   // frozen, then wakes up with a stale view
                    continue;
                }
                e.step(now, random, dead == null);
            }
            assertThat(a.m.mayAct(now) && a.stalledUntil <= t && b.m.mayAct(now) && b.stalledUntil <= t)
                    .as("seed %d at %d ms: both engines may act", seed, t).isFalse();
            if (dead == null && t == 30_000) {
                dead = a.m.role() == Role.ACTIVE ? a : b;    // kill -9 the active one
                deadSince = t;
            }
            if (dead != null && t - deadSince > LEASE.plus(CHECK).toMillis() + 5000) {
                Engine other = dead == a ? b : a;
                assertThat(other.m.role()).as("seed %d at %d: the survivor took over (%s; row %s/%d/%d)", seed, t,
                        other.m.why(), row.holder, row.fence, row.version).isEqualTo(Role.ACTIVE);
            }
        }
    }

    /** The lease row's compare-and-set semantics, without a database. */
    private static final class SimRow {
        String holder = "";
        long fence;
        long version;

        LeaseRow read() {
            return new LeaseRow(holder, fence, version, "");
        }
    }

    private static final class Engine {
        final String name;
        final SimRow row;
        final LeaseMachine m = machine();
        long stalledUntil;

        Engine(String name, SimRow row) {
            this.name = name;
            this.row = row;
        }

        void step(long now, Random random, boolean failures) {
            LeaseMachine.Step s = m.next(now);
            boolean fail = failures && random.nextInt(20) == 0;
            switch (s) {
                case LeaseMachine.Step.Wait w -> { }
                case LeaseMachine.Step.Read r -> {
                    if (fail) {
                        m.readFailed(now);
                    } else {
                        m.read(row.read(), now);
                    }
                }
                case LeaseMachine.Step.Renew r -> {
                    if (fail) {
                        m.renewFailed(now, "timeout");
                    } else if (row.holder.equals(name) && row.fence == r.fence()) {
                        row.version++;
                        m.renewed(now);
                    } else {
                        m.renewLost(now, row.holder);
                    }
                }
                case LeaseMachine.Step.TakeOver t -> {
                    if (fail) {
                        m.takeOverLost(now);
                    } else if (row.version == t.seen().version()) {
                        row.holder = name;
                        row.fence++;
                        row.version++;
                        m.tookOver(now, row.fence);
                    } else {
                        m.takeOverLost(now);
                    }
                }
            }
        }
    }

    private static LeaseMachine active(long at, long fence) {
        LeaseMachine m = machine();
        m.read(new LeaseRow("", fence - 1, 0, ""), at);
        m.tookOver(at, fence);
        return m;
    }
}
