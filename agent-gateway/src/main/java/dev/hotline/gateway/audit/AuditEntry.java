package dev.hotline.gateway.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One supervisor or admin action: who did what to whom, from where.
 *
 * @param at      when
 * @param actor   username
 * @param role    the actor's role
 * @param action  what, e.g. {@code agent.force-not-ready}
 * @param target  on whom or what, e.g. the agent's work number
 * @param detail  extra facts (reason code, …), may be empty
 * @param address the client's address
 */
public record AuditEntry(Instant at, String actor, String role, String action, String target, String detail,
                         String address) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(address, "address");
    }
}
