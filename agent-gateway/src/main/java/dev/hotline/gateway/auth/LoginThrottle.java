package dev.hotline.gateway.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed-login throttling per username and client address: after {@code maxFailures} failures in a row the pair
 * is locked for {@code lockout}; a success clears it. Keyed on the pair so that one attacker cannot lock a user
 * out from everywhere.
 */
public final class LoginThrottle {

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final int maxFailures;
    private final Duration lockout;

    public LoginThrottle(InstantSource clock, int maxFailures, Duration lockout) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockout = lockout;
    }

    /** How long the pair stays locked, if it is. */
    public Optional<Duration> lockedFor(String username, String address) {
        Failures f = failures.get(key(username, address));
        if (f == null || f.lockedUntil() == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(clock.instant(), f.lockedUntil());
        if (left.isNegative() || left.isZero()) {
            failures.remove(key(username, address), f);
            return Optional.empty();
        }
        return Optional.of(left);
    }

    /** Counts a failure; true when it locks the pair (the failure that reaches {@code maxFailures}). */
    public boolean failed(String username, String address) {
        Failures f = failures.compute(key(username, address), (k, old) -> {
            int n = old == null ? 1 : old.count() + 1;
            return new Failures(n, n >= maxFailures ? clock.instant().plus(lockout) : null);
        });
        return f.count() == maxFailures;
    }

    /** Forgets pairs whose lockout is over and pairs that never reached it (a flood must not grow the table). */
    void sweep() {
        Instant now = clock.instant();
        failures.values().removeIf(f -> f.lockedUntil() == null || !f.lockedUntil().isAfter(now));
    }

    public void succeeded(String username, String address) {
        failures.remove(key(username, address));
    }

    private static String key(String username, String address) {
        return username + "\u0000" + address;
    }
}
