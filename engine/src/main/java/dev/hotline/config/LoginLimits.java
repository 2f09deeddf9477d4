package dev.hotline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway's sign-in resists floods, guessing and spraying (section {@code gateway.login:}). Password checks
 * (bcrypt, tens of milliseconds each by design) run on their own bounded pool, never on the threads that serve
 * pages and the API; what the rates or the pool refuse gets 429 with {@code Retry-After}.
 *
 * @param hashThreads    threads that check passwords; 0 picks half the processors (at least 1)
 * @param hashQueue      logins waiting for one of those threads; beyond it a login is refused at once
 * @param perAddress     attempts from one client address
 * @param global         attempts from all addresses together
 * @param sprayUsernames distinct usernames that failed from one address within {@code sprayWindow} before the
 *                       address is locked out ({@code login.spraying} in the audit log)
 * @param sprayWindow    see {@code sprayUsernames}
 * @param sprayLockout   how long a spraying address is refused
 * @param maxFailures    failed logins in a row for one username from one address before that pair is locked
 * @param lockout        how long such a pair is refused ({@code login.lockout} in the audit log)
 */
public record LoginLimits(int hashThreads, int hashQueue, Rate perAddress, Rate global, int sprayUsernames,
                          Duration sprayWindow, Duration sprayLockout, int maxFailures, Duration lockout) {

    /**
     * A token bucket: up to {@code burst} attempts at once, refilled at {@code perMinute}.
     *
     * @param burst     attempts allowed back to back
     * @param perMinute steady rate
     */
    public record Rate(int burst, int perMinute) {
        public Rate {
            AgiConfig.requireRange("burst", burst, 1, 1_000_000);
            AgiConfig.requireRange("perMinute", perMinute, 1, 1_000_000);
        }
    }

    public static final LoginLimits DEFAULTS = new LoginLimits(0, 64, new Rate(20, 60), new Rate(200, 600), 10,
            Duration.ofMinutes(5), Duration.ofMinutes(5), 5, Duration.ofSeconds(60));

    public LoginLimits {
        AgiConfig.requireRange("hashThreads", hashThreads, 0, 256);
        AgiConfig.requireRange("hashQueue", hashQueue, 1, 100_000);
        Objects.requireNonNull(perAddress, "perAddress");
        Objects.requireNonNull(global, "global");
        AgiConfig.requireRange("sprayUsernames", sprayUsernames, 2, 10_000);
        AgiConfig.requirePositive("sprayWindow", sprayWindow);
        AgiConfig.requirePositive("sprayLockout", sprayLockout);
        AgiConfig.requireRange("maxFailures", maxFailures, 1, 1_000);
        AgiConfig.requirePositive("lockout", lockout);
    }

    /** The threads that check passwords: {@link #hashThreads}, or half the processors when it is 0. */
    public int effectiveHashThreads() {
        return hashThreads > 0 ? hashThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
