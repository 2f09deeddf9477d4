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

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
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
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        Session s = new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), user,
                clock.instant().plus(ttl));
        sessions.put(s.token(), s);
        return s;
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
