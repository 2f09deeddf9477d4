package dev.hotline.config;

import dev.hotline.net.Cidr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The FastAGI server's settings (section {@code agi:} of hotline.yaml).
 *
 * @param bind               address to listen on
 * @param port               TCP port (Asterisk's default for agi:// is 4573)
 * @param allow              Asterisk source networks allowed to connect; others are refused and counted
 * @param maxSessions        concurrent sessions accepted; one more is refused with a logged reason
 * @param idleTimeout        a session where Asterisk sends nothing while no command is pending for this long is closed
 * @param commandTimeout     default reply timeout for a command (commands that wait add their own wait)
 * @param shutdownGrace      how long a shutdown lets calls in progress finish
 * @param maxLineLength      longest line accepted from Asterisk (its own buffer is 8192)
 * @param maxEnvironmentSize largest agi_* environment block accepted, in bytes
 * @param environmentTimeout a connection must have sent its whole agi_* environment this long after it opened;
 *                           until then it is not a call (not counted as a session in the IVR) and after it, it is
 *                           closed (Asterisk sends the block at once)
 */
public record AgiConfig(String bind, int port, List<Cidr> allow, int maxSessions, Duration idleTimeout,
                        Duration commandTimeout, Duration shutdownGrace, int maxLineLength,
                        int maxEnvironmentSize, Duration environmentTimeout) {

    public static final Duration DEFAULT_ENVIRONMENT_TIMEOUT = Duration.ofSeconds(5);

    public static final AgiConfig DEFAULTS = new AgiConfig("127.0.0.1", 4573,
            List.of(Cidr.parse("127.0.0.1/32"), Cidr.parse("::1/128")), 20_000, Duration.ofMinutes(10),
            Duration.ofSeconds(10), Duration.ofSeconds(30), 8192, 16_384, DEFAULT_ENVIRONMENT_TIMEOUT);

    /** With the default environment time-out. */
    public AgiConfig(String bind, int port, List<Cidr> allow, int maxSessions, Duration idleTimeout,
                     Duration commandTimeout, Duration shutdownGrace, int maxLineLength, int maxEnvironmentSize) {
        this(bind, port, allow, maxSessions, idleTimeout, commandTimeout, shutdownGrace, maxLineLength,
                maxEnvironmentSize, DEFAULT_ENVIRONMENT_TIMEOUT);
    }

    public AgiConfig {
        Objects.requireNonNull(bind, "bind");
        allow = List.copyOf(allow);
        requireRange("port", port, 0, 65535);
        requireRange("maxSessions", maxSessions, 1, 1_000_000);
        requireRange("maxLineLength", maxLineLength, 256, 1 << 20);
        requireRange("maxEnvironmentSize", maxEnvironmentSize, 1024, 1 << 20);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("commandTimeout", commandTimeout);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        requirePositive("environmentTimeout", environmentTimeout);
    }

    public AgiConfig withPort(int newPort) {
        return new AgiConfig(bind, newPort, allow, maxSessions, idleTimeout, commandTimeout, shutdownGrace,
                maxLineLength, maxEnvironmentSize, environmentTimeout);
    }

    public AgiConfig withMaxSessions(int n) {
        return new AgiConfig(bind, port, allow, n, idleTimeout, commandTimeout, shutdownGrace,
                maxLineLength, maxEnvironmentSize, environmentTimeout);
    }

    public AgiConfig withEnvironmentTimeout(Duration d) {
        return new AgiConfig(bind, port, allow, maxSessions, idleTimeout, commandTimeout, shutdownGrace,
                maxLineLength, maxEnvironmentSize, d);
    }

    static void requireRange(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: " + min + ".." + max + ")");
        }
    }

    static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }
}
