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
 * and dropped when seen, and swept on every issue.
 */
public final class Tokens {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Duration ttl;

    public Tokens(InstantSource clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
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
        return Optional.of(s);
    }

    public void revoke(String token) {
        sessions.remove(token);
    }
}
