package dev.hotline.gateway.auth;

import dev.hotline.config.LoginLimits;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, before any password is checked, whether a sign-in attempt may go ahead, and learns from the outcome.
 *
 * <p>In order: an address caught spraying is refused ({@code sprayLockout}); a (username, address) pair with
 * {@code maxFailures} failures in a row is refused ({@code lockout}, {@link LoginThrottle}); then a token bucket per
 * address and one for everyone must each have an attempt left. Spraying is {@code sprayUsernames} different usernames
 * failing from one address within {@code sprayWindow}: one attacker trying a common password on many accounts,
 * which a per-user lockout never sees. Lockouts are reported to the {@link Listener} once, when they start (the
 * gateway audits them). Every refusal says when to try again.
 *
 * <p>Memory stays bounded under a flood from many addresses: idle entries are swept whenever the tables grow past
 * {@value #SWEEP_AT} addresses. Thread-safe; called on event loops (nothing here blocks).
 */
public final class LoginGuard {

    static final int SWEEP_AT = 10_000;

    /** Told when an address or a (username, address) pair is locked out. */
    public interface Listener {
        void lockedOut(String action, String username, String address, String detail);
    }

    /**
     * Why an attempt is refused, and when it may be tried again.
     *
     * @param reason for the metric: spraying, lockout, per_address or global
     */
    public record Refusal(String reason, String detail, Duration retryAfter) {
    }

    /** A token bucket; guarded by its own monitor. */
    private static final class Bucket {
        double tokens;
        Instant last;

        Bucket(double tokens, Instant last) {
            this.tokens = tokens;
            this.last = last;
        }

        /** Takes one token; empty when it did, else how long until one is there. */
        synchronized Optional<Duration> take(LoginLimits.Rate rate, Instant now) {
            double perMilli = rate.perMinute() / 60_000.0;
            long elapsed = Math.max(0, Duration.between(last, now).toMillis());
            tokens = Math.min(rate.burst(), tokens + elapsed * perMilli);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.ceil((1 - tokens) / perMilli)));
        }

        synchronized boolean idleSince(Instant cutoff) {
            return last.isBefore(cutoff);
        }
    }

    /** The usernames that failed from one address lately; guarded by its own monitor. */
    private static final class Spray {
        final Map<String, Instant> failed = new LinkedHashMap<>();
        Instant lockedUntil;
        Instant last;
    }

    private final LoginLimits limits;
    private final InstantSource clock;
    private final Listener listener;
    private final LoginThrottle pairs;
    private final Bucket global;
    private final Map<String, Bucket> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Spray> sprays = new ConcurrentHashMap<>();

    public LoginGuard(LoginLimits limits, InstantSource clock, Listener listener) {
        this.limits = limits;
        this.clock = clock;
        this.listener = listener;
        this.pairs = new LoginThrottle(clock, limits.maxFailures(), limits.lockout());
        this.global = new Bucket(limits.global().burst(), clock.instant());
    }

    /** Empty when the attempt may go ahead (it then counts against the rates), else why not. */
    public Optional<Refusal> check(String username, String address) {
        Instant now = clock.instant();
        Spray spray = sprays.get(address);
        if (spray != null) {
            synchronized (spray) {
                if (spray.lockedUntil != null && spray.lockedUntil.isAfter(now)) {
                    return Optional.of(new Refusal("spraying", "too many different usernames failed from this address; try"
                            + " again later", Duration.between(now, spray.lockedUntil)));
                }
            }
        }
        Optional<Duration> locked = pairs.lockedFor(username, address);
        if (locked.isPresent()) {
            return Optional.of(new Refusal("lockout", "too many failed logins for '" + username + "' from this address; try"
                    + " again in " + Math.max(1, locked.get().toSeconds()) + "s", locked.get()));
        }
        sweepIfLarge(now);
        Optional<Duration> wait = perAddress.computeIfAbsent(address,
                a -> new Bucket(limits.perAddress().burst(), now)).take(limits.perAddress(), now);
        if (wait.isPresent()) {
            return Optional.of(new Refusal("per_address", "too many login attempts from this address (gateway.login.per_address: "
                    + limits.perAddress().burst() + " at once, " + limits.perAddress().perMinute() + " a minute)",
                    wait.get()));
        }
        wait = global.take(limits.global(), now);
        if (wait.isPresent()) {
            return Optional.of(new Refusal("global", "too many login attempts right now (gateway.login.global: "
                    + limits.global().burst() + " at once, " + limits.global().perMinute() + " a minute)",
                    wait.get()));
        }
        return Optional.empty();
    }

    /** A wrong password or an unknown username: counts towards the pair's lockout and the address's spraying. */
    public void failed(String username, String address) {
        if (pairs.failed(username, address)) {
            listener.lockedOut("login.lockout", username, address, limits.maxFailures() + " failed logins in a row;"
                    + " locked for " + limits.lockout().toSeconds() + "s");
        }
        Instant now = clock.instant();
        Spray spray = sprays.computeIfAbsent(address, a -> new Spray());
        String detail = null;
        synchronized (spray) {
            spray.last = now;
            Instant cutoff = now.minus(limits.sprayWindow());
            spray.failed.values().removeIf(t -> t.isBefore(cutoff));
            spray.failed.remove(username);
            spray.failed.put(username, now);
            if (spray.failed.size() >= limits.sprayUsernames()
                    && (spray.lockedUntil == null || !spray.lockedUntil.isAfter(now))) {
                spray.lockedUntil = now.plus(limits.sprayLockout());
                detail = spray.failed.size() + " different usernames failed within "
                        + limits.sprayWindow().toSeconds() + "s (" + String.join(", ", spray.failed.keySet())
                        + "); address locked for " + limits.sprayLockout().toSeconds() + "s";
                spray.failed.clear();
            }
        }
        if (detail != null) {
            listener.lockedOut("login.spraying", username, address, detail);
        }
    }

    public void succeeded(String username, String address) {
        pairs.succeeded(username, address);
    }

    /** Drops what has been quiet for longer than every window, once the tables are large. */
    private void sweepIfLarge(Instant now) {
        if (perAddress.size() < SWEEP_AT && sprays.size() < SWEEP_AT) {
            return;
        }
        Instant cutoff = now.minus(limits.sprayWindow().plus(limits.sprayLockout()).plus(Duration.ofMinutes(1)));
        perAddress.values().removeIf(b -> b.idleSince(now.minus(Duration.ofMinutes(10))));
        sprays.values().removeIf(s -> {
            synchronized (s) {
                return s.last != null && s.last.isBefore(cutoff);
            }
        });
        pairs.sweep();
    }
}
