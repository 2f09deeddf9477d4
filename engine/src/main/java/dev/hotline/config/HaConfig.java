package dev.hotline.config;

import dev.hotline.yaml.Fields;

import java.time.Duration;
import java.util.Objects;

/**
 * An active/standby pair of engines (section {@code ha:} of hotline.yaml; docs/OPERATIONS.md, "Running a pair").
 * Both engines of a pair share one MariaDB (or Galera cluster) and hold the leadership lease there in turn.
 *
 * <p>Worst-case takeover after the active engine dies: {@code lease + check_every} (plus one database round trip).
 * The active engine stops acting {@code renew_every} before its lease can have run out on the standby's clock, so
 * the two are never active at once even when the active engine's renewals stall.
 *
 * @param enabled    this engine is one of a pair; off: a single engine, always active (the embedded database allows
 *                   only this)
 * @param lease      how long the lease lasts without a renewal; the standby takes over once it has seen the same
 *                   lease for this long
 * @param renewEvery how often the active engine renews; at most a third of {@code lease}, so a renewal can fail twice
 *                   before the active engine must step down
 * @param checkEvery how often the standby reads the lease (takeover comes at most this late after expiry)
 * @param url        this engine's gateway address as agents reach it ({@code https://hotline-a.example:8080/}): the
 *                   standby's pages name it in their banner; empty: only the engine's name is shown
 */
public record HaConfig(boolean enabled, Duration lease, Duration renewEvery, Duration checkEvery, String url) {

    public static final Duration MIN_LEASE = Duration.ofSeconds(1);
    public static final Duration MAX_LEASE = Duration.ofMinutes(1);

    public static final HaConfig DEFAULTS = new HaConfig(false, Duration.ofSeconds(3), Duration.ofSeconds(1),
            Duration.ofMillis(500), "");

    public HaConfig {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(renewEvery, "renewEvery");
        Objects.requireNonNull(checkEvery, "checkEvery");
        Objects.requireNonNull(url, "url");
        if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new IllegalArgumentException("lease: " + Fields.format(lease) + " (expected: from "
                    + Fields.format(MIN_LEASE) + " to " + Fields.format(MAX_LEASE) + ")");
        }
        String renewProblem = renewProblem(lease, renewEvery);
        if (renewProblem != null) {
            throw new IllegalArgumentException("renewEvery: " + renewProblem);
        }
        String checkProblem = checkProblem(lease, checkEvery);
        if (checkProblem != null) {
            throw new IllegalArgumentException("checkEvery: " + checkProblem);
        }
    }

    /** The longest a caller can wait for a standby to take over a dead active engine (one round trip aside). */
    public Duration worstTakeover() {
        return lease.plus(checkEvery);
    }

    /** The same settings, enabled or not. */
    public HaConfig withEnabled(boolean on) {
        return new HaConfig(on, lease, renewEvery, checkEvery, url);
    }

    public HaConfig withTimes(Duration newLease, Duration newRenewEvery, Duration newCheckEvery) {
        return new HaConfig(enabled, newLease, newRenewEvery, newCheckEvery, url);
    }

    public HaConfig withUrl(String newUrl) {
        return new HaConfig(enabled, lease, renewEvery, checkEvery, newUrl);
    }

    private static String renewProblem(Duration lease, Duration renewEvery) {
        Duration min = Duration.ofMillis(100);
        Duration max = lease.dividedBy(3);
        if (renewEvery.compareTo(min) < 0 || renewEvery.compareTo(max) > 0) {
            return Fields.format(renewEvery) + " (expected: from " + Fields.format(min) + " to a third of ha.lease, "
                    + Fields.format(max) + ", so a renewal may fail twice before the active engine steps down)";
        }
        return null;
    }

    private static String checkProblem(Duration lease, Duration checkEvery) {
        Duration min = Duration.ofMillis(50);
        if (checkEvery.compareTo(min) < 0 || checkEvery.compareTo(lease) > 0) {
            return Fields.format(checkEvery) + " (expected: from " + Fields.format(min) + " to ha.lease, "
                    + Fields.format(lease) + ")";
        }
        return null;
    }

    /**
     * Reads the {@code ha:} section; problems go to the section's problem list. {@code database} is checked too: a
     * pair needs a shared MariaDB, never the embedded database.
     */
    static HaConfig read(Fields f, DatabaseConfig database) {
        HaConfig d = DEFAULTS;
        boolean enabled = f.bool("enabled", d.enabled());
        Duration lease = f.duration("lease", d.lease(), MIN_LEASE, MAX_LEASE);
        Duration renew = f.duration("renew_every", d.renewEvery(), Duration.ofMillis(100), MAX_LEASE);
        Duration check = f.duration("check_every", d.checkEvery(), Duration.ofMillis(50), MAX_LEASE);
        String url = f.string("url", d.url());
        f.finish();
        boolean ok = true;
        String renewProblem = renewProblem(lease, renew);
        if (renewProblem != null && f.has("renew_every")) {
            f.invalid("renew_every", renewProblem);
            ok = false;
        } else if (renewProblem != null) {
            f.invalid("lease", Fields.format(lease) + " (expected: at least three times ha.renew_every, "
                    + Fields.format(renew) + ")");
            ok = false;
        }
        String checkProblem = checkProblem(lease, check);
        if (checkProblem != null) {
            f.invalid("check_every", checkProblem);
            ok = false;
        }
        if (url != null && !url.isEmpty() && !url.matches("https?://[^\\s/]+(/\\S*)?")) {
            f.invalid("url", "\"" + url + "\" (expected: this engine's gateway address as agents reach it, e.g."
                    + " https://hotline-a.example:8080/)");
            url = "";
        }
        if (enabled && database.kind() != DatabaseConfig.Kind.MARIADB) {
            f.invalid("enabled", "true with database.kind: embedded (expected: database.kind: mariadb; the two"
                    + " engines of a pair share one MariaDB or Galera cluster, and the embedded database keeps"
                    + " single-engine mode)");
            enabled = false;
        }
        return ok ? new HaConfig(enabled, lease, renew, check, url == null ? "" : url) : d.withEnabled(enabled);
    }
}
