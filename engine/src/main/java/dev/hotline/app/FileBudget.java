package dev.hotline.app;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the process's open files (every socket is one) are shared so that calls never starve: FastAGI gets its
 * {@code agi.max_sessions} first, the engine keeps {@code gateway.limits.reserved_files} for its own files and
 * sockets (record journal, embedded database, logs, AMI, the database pool), and the gateway gets what is left, up to
 * {@code gateway.limits.max_connections}. When the limit is too low for all three, the gateway is cut down to
 * {@link #GATEWAY_FLOOR} and FastAGI to the rest, and {@link #warning()} says what the limit should be.
 *
 * <p>The limit is the soft {@code RLIMIT_NOFILE} the JVM sees. HotSpot raises the soft limit to the hard limit at
 * start on Linux ({@code -XX:+MaxFDLimit}, the default), so only the hard limit matters: {@code LimitNOFILE=} in a
 * systemd unit, {@code ulimits: nofile:} in Docker, {@code ulimit -Hn} in a shell. Java cannot raise the hard limit
 * itself (that takes privileges and native code).
 *
 * @param limit              the open-file limit, when the platform tells it
 * @param agiSessions        FastAGI sessions allowed
 * @param gatewayConnections gateway connections allowed
 * @param warning            what is wrong with the limit, when it is too low for the configuration
 */
public record FileBudget(OptionalLong limit, int agiSessions, int gatewayConnections, Optional<String> warning) {

    /** The gateway keeps at least this many connections (a supervisor must be able to look), whatever the limit. */
    public static final int GATEWAY_FLOOR = 256;

    /**
     * Shares {@code limit} between FastAGI ({@code agiMax}), the gateway ({@code gatewayMax}) and the engine's own
     * files ({@code reserved}); with an unknown limit everyone gets what they ask for.
     */
    public static FileBudget plan(OptionalLong limit, int agiMax, int gatewayMax, int reserved) {
        if (limit.isEmpty()) {
            return new FileBudget(limit, agiMax, gatewayMax, Optional.empty());
        }
        long available = limit.getAsLong() - reserved;
        if ((long) agiMax + gatewayMax <= available) {
            return new FileBudget(limit, agiMax, gatewayMax, Optional.empty());
        }
        int gateway = (int) Math.min(gatewayMax, Math.max(GATEWAY_FLOOR, available - agiMax));
        int agi = (int) Math.max(1, Math.min(agiMax, available - gateway));
        long needed = (long) agiMax + gatewayMax + reserved;
        return new FileBudget(limit, agi, gateway, Optional.of("open-file limit " + limit.getAsLong()
                + " is below what the configuration needs (agi.max_sessions " + agiMax
                + " + gateway.limits.max_connections " + gatewayMax + " + gateway.limits.reserved_files " + reserved
                + " = " + needed + "): FastAGI is limited to " + agi + " sessions and the gateway to " + gateway
                + " connections. Raise the hard limit to " + needed + " or more (systemd LimitNOFILE=, Docker"
                + " ulimits nofile, ulimit -Hn) or lower those settings"));
    }

    /** The process's open-file limit, where the JVM can tell (Unix). */
    public static OptionalLong openFileLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return OptionalLong.of(unix.getMaxFileDescriptorCount());
        }
        return OptionalLong.empty();
    }

    /** One line for the start-up log. */
    public String describe() {
        return "open files: limit " + (limit.isPresent() ? Long.toString(limit.getAsLong()) : "unknown")
                + "; FastAGI up to " + agiSessions + " sessions, gateway up to " + gatewayConnections + " connections";
    }
}
