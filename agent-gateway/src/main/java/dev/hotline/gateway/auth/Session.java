package dev.hotline.gateway.auth;

import java.time.Instant;
import java.util.Objects;

/** A logged-in user: who, with which token, until when. */
public record Session(String token, User user, Instant expires) {

    public Session {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(expires, "expires");
    }

    @Override
    public String toString() {
        return "Session[" + user + ", until " + expires + "]";
    }
}
