package dev.hotline.api;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The engine's health, as {@code /health} shows it, and its metrics. */
public interface Health {

    /** Whether the ACD runs. */
    boolean running();

    /** Calls in a FastAGI session now. */
    int activeSessions();

    /** The ACD's invariants as last checked, by name; empty while the ACD does not run. */
    Optional<Map<String, Object>> invariants();

    /** Every AMI server's connection. */
    List<AmiStatus> ami();

    /** The records database (background check and the record writer); empty when the engine keeps no records. */
    Optional<DatabaseStatus> database();

    /** The one metrics registry (front ends add their own meters). */
    MeterRegistry registry();

    /** The metrics in Prometheus' text format. */
    String scrape();

    /** How many connections the open-file limit leaves the gateway, once the engine has started. */
    OptionalInt gatewayConnections();

    /** An AMI connection: {@code status} CONNECTING, UP or DOWN. */
    record AmiStatus(String server, String status, Instant since, String detail) {

        public boolean up() {
            return "UP".equals(status);
        }
    }

    /**
     * The records database: down when the background check cannot reach it or the record writer's last write failed.
     *
     * @param reason    why it is down (empty when up)
     * @param since     when the background check's answer last changed (empty before its first check)
     * @param checkedAt when it last checked
     */
    record DatabaseStatus(boolean up, String kind, String description, Optional<String> reason,
                          Optional<Instant> since, Optional<Instant> checkedAt, long pendingRecords,
                          long journalBytes) {
    }
}
