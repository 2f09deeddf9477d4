package dev.hotline.ha;

import java.time.Duration;
import java.util.Objects;

/**
 * The leadership lease as a pure state machine: no I/O, no clock of its own. Times are {@link System#nanoTime()}-like
 * readings of the caller's monotonic ticker; {@link Leadership} runs the statements it asks for and feeds the
 * outcomes back, tests feed them by hand with a fake ticker.
 *
 * <p>Design: no decision compares two hosts' clocks. A standby notes when it first saw the lease's current
 * {@link LeaseRow#version() version} (when the read that returned it had completed, so never before the holder
 * wrote it) and takes over, with a compare-and-set on that version, once it has seen no change for a whole
 * {@code lease}. The holder counts from when it started its last successful renewal (never after it was written)
 * and stops acting {@code renewEvery} before {@code lease} has passed: so with clocks that run at the same rate the
 * old holder has stopped before any standby can take over. The database's fencing number catches the rest (a
 * paused process whose clock reading is stale).
 *
 * <p>Active: renews every {@code renewEvery} from the start of the last renewal; a failed renewal (database
 * unreachable) is retried every {@code checkEvery} until the lease runs out here, then it steps down; a renewal that
 * changes no row means another engine took over: it steps down at once. Standby: reads every {@code checkEvery}; a
 * free lease is taken at once.
 *
 * <p>Not thread-safe: {@link Leadership} calls it under its lock.
 */
final class LeaseMachine {

    /** What to do now. */
    public sealed interface Step {
        /** Nothing before {@code atNanos}. */
        record Wait(long atNanos) implements Step {
        }

        /** Read the lease row ({@link #read} or {@link #readFailed} with the outcome). */
        record Read() implements Step {
        }

        /** Renew as holder of term {@code fence} ({@link #renewed}, {@link #renewLost} or {@link #renewFailed}). */
        record Renew(long fence) implements Step {
        }

        /** Take the lease if it is still at {@code seen}'s version ({@link #tookOver} or {@link #takeOverLost}). */
        record TakeOver(LeaseRow seen) implements Step {
        }
    }

    private final long leaseNanos;
    private final long renewNanos;
    private final long checkNanos;

    private Role role = Role.STANDBY;
    private long fence;
    /** Active: start of the last successful renewal (or takeover). */
    private long renewedAt;
    /** Active: when to renew next (renewal time, or a retry after a failure). */
    private long nextRenewAt;
    /** Standby: the row last read, and when its version was first seen. */
    private LeaseRow seen;
    private long seenSince;
    private long nextReadAt;
    private String why = "starting: the lease has not been read yet";

    public LeaseMachine(Duration lease, Duration renewEvery, Duration checkEvery) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(renewEvery, "renewEvery");
        Objects.requireNonNull(checkEvery, "checkEvery");
        if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.multipliedBy(2).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("renewEvery: " + renewEvery + " (expected: > 0 and less than half"
                    + " the lease, " + lease + ")");
        }
        if (checkEvery.isNegative() || checkEvery.isZero()) {
            throw new IllegalArgumentException("checkEvery: " + checkEvery + " (expected: > 0)");
        }
        this.leaseNanos = lease.toNanos();
        this.renewNanos = renewEvery.toNanos();
        this.checkNanos = checkEvery.toNanos();
    }

    /** The step due at {@code now}; an active engine whose lease ran out here is made standby first. */
    public Step next(long now) {
        expire(now);
        if (role == Role.ACTIVE) {
            return now - nextRenewAt >= 0 ? new Step.Renew(fence) : new Step.Wait(Math.min(nextRenewAt,
                    validUntil()));
        }
        if (seen != null && (seen.free() || now - seenSince >= leaseNanos)) {
            return new Step.TakeOver(seen);
        }
        return now - nextReadAt >= 0 ? new Step.Read() : new Step.Wait(nextReadAt);
    }

    /** A read that completed at {@code now} returned {@code row}. */
    public void read(LeaseRow row, long now) {
        Objects.requireNonNull(row, "row");
        if (role == Role.ACTIVE) {
            return;   // the holder learns about its lease from its renewals only
        }
        if (seen == null || seen.version() != row.version()) {
            seen = row;
            seenSince = now;
        }
        nextReadAt = now + checkNanos;
    }

    /** The read failed (database unreachable): tried again after {@code checkEvery}; what was seen stands. */
    public void readFailed(long now) {
        nextReadAt = now + checkNanos;
    }

    /** The renewal started at {@code startedAt} changed the row: the term goes on. */
    public void renewed(long startedAt) {
        if (role != Role.ACTIVE) {
            return;
        }
        renewedAt = startedAt;
        nextRenewAt = startedAt + renewNanos;
    }

    /** The renewal changed no row: another engine took over (or an operator released the lease). */
    public void renewLost(long now, String holderNow) {
        if (role == Role.ACTIVE) {
            stepDown(now, "lost the lease of term " + fence + (holderNow.isEmpty() ? "" : " to " + holderNow));
        }
    }

    /** The renewal failed (database unreachable, time-out): retried after {@code checkEvery} while the lease lasts. */
    public void renewFailed(long now, String reason) {
        if (role != Role.ACTIVE) {
            return;
        }
        nextRenewAt = now + checkNanos;
        why = "renewal failed: " + reason;
        expire(now);
    }

    /** The takeover started at {@code startedAt} won: term {@code newFence} begins. */
    public void tookOver(long startedAt, long newFence) {
        if (newFence <= fence) {
            throw new IllegalStateException("fence " + newFence + " after " + fence + " (expected: it only grows)");
        }
        role = Role.ACTIVE;
        fence = newFence;
        renewedAt = startedAt;
        nextRenewAt = startedAt + renewNanos;
        seen = null;
        why = "took over the lease (term " + newFence + ")";
    }

    /** The takeover changed no row (another engine was faster, or the holder renewed): read again at once. */
    public void takeOverLost(long now) {
        seen = null;
        nextReadAt = now;
    }

    /** The holder gave the lease up (clean stop). */
    public void released(long now) {
        if (role == Role.ACTIVE) {
            stepDown(now, "released the lease of term " + fence);
        }
    }

    /** Steps down when the lease has run out on this engine's clock; true when it did now. */
    public boolean expire(long now) {
        if (role == Role.ACTIVE && now - validUntil() >= 0) {
            stepDown(now, "could not renew the lease of term " + fence + " for "
                    + Duration.ofNanos(now - renewedAt).toMillis() + " ms (" + (why.startsWith("renewal failed")
                    ? why : "no renewal ran: was this process paused?") + ")");
            return true;
        }
        return false;
    }

    private void stepDown(long now, String reason) {
        role = Role.STANDBY;
        seen = null;
        nextReadAt = now;
        why = reason;
    }

    /** Active until this reading of the ticker, unless renewed meanwhile (meaningless while standby). */
    public long validUntil() {
        return renewedAt + leaseNanos - renewNanos;
    }

    /** Whether this engine may act at {@code now}: it holds the lease and it has not run out here. */
    public boolean mayAct(long now) {
        return role == Role.ACTIVE && now - validUntil() < 0;
    }

    public Role role() {
        return role;
    }

    /** The fencing number of the current (or last) term held here; 0 before the first. */
    public long fence() {
        return fence;
    }

    /** The lease as last read while standby (empty while active or before the first read). */
    public java.util.Optional<LeaseRow> seen() {
        return java.util.Optional.ofNullable(seen);
    }

    /** Why the engine is in its role now, in words (logs, {@code /health}). */
    public String why() {
        return why;
    }
}
