package dev.hotline.gateway.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opaque bearer tokens (256 random bits), kept in memory: a restart logs everyone out. Expired tokens are refused
 * and dropped when seen, and swept on every issue. Every use re-reads the user: a disabled user's token, or one
 * issued before a password reset, is refused and dropped at its next use.
 */
public final class Tokens {

    /** How long a WebSocket ticket may wait to be used. */
    public static final Duration TICKET_TTL = Duration.ofSeconds(30);

    /**
     * A one-time ticket for the live WebSocket ({@code /ws?ticket=}), valid {@link #TICKET_TTL}: URLs end up in
     * logs and proxies, so the bearer token never goes into one.
     *
     * @param value   32 random bytes, URL-safe base64
     * @param token   the bearer token of the session it opens a WebSocket for
     * @param expires when it stops working if unused
     */
    public record Ticket(String value, String token, java.time.Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration ttl;
    private final java.util.function.Function<User, Optional<User>> current;

    public Tokens(InstantSource clock, Duration ttl) {
        this(clock, ttl, Optional::of);
    }

    /**
     * @param current what a session's user is now, looked up at every use: empty ends the session at once (user
     *                disabled, password reset); a changed user (role, agent, teams) replaces the session's
     */
    public Tokens(InstantSource clock, Duration ttl, java.util.function.Function<User, Optional<User>> current) {
        this.clock = clock;
        this.ttl = ttl;
        this.current = current;
    }

    public Session issue(User user) {
        sessions.values().removeIf(s -> !s.expires().isAfter(clock.instant()));
        Session s = new Session(randomValue(), user, clock.instant().plus(ttl));
        sessions.put(s.token(), s);
        return s;
    }

    /** A one-time ticket for {@code session}'s live WebSocket. */
    public Ticket ticket(Session session) {
        tickets.values().removeIf(t -> !t.expires().isAfter(clock.instant()));
        Ticket t = new Ticket(randomValue(), session.token(), clock.instant().plus(TICKET_TTL));
        tickets.put(t.value(), t);
        return t;
    }

    /** The session a ticket was issued for, if the ticket is unused, not expired and the session still valid. */
    public Optional<Session> redeem(String ticket) {
        Ticket t = ticket == null ? null : tickets.remove(ticket);
        if (t == null || !t.expires().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return find(t.token());
    }

    private String randomValue() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Optional<Session> find(String token) {
        Session s = token == null ? null : sessions.get(token);
        if (s == null) {
            return Optional.empty();
        }
        if (!s.expires().isAfter(clock.instant())) {
            sessions.remove(token, s);
            return Optional.empty();
        }
        Optional<User> now = current.apply(s.user());
        if (now.isEmpty()) {
            sessions.remove(token, s);
            return Optional.empty();
        }
        if (!now.get().equals(s.user())) {
            Session updated = new Session(token, now.get(), s.expires());
            sessions.replace(token, s, updated);
            return Optional.of(updated);
        }
        return Optional.of(s);
    }

    public void revoke(String token) {
        sessions.remove(token);
    }
}
