package dev.hotline.gateway.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing and checking (at.favre.lib:bcrypt). Checking costs tens of milliseconds by design: call it on a
 * worker thread, never on a Netty event loop.
 */
public final class Passwords {

    public static final int DEFAULT_COST = 12;
    /** Checked against when the user does not exist, so an unknown name costs as much as a wrong password. */
    private static final String DUMMY = hash("not a password: equalises timing", 10);

    private Passwords() {
    }

    public static String hash(String password, int cost) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; false for a malformed hash. */
    public static boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of one check and returns false: for logins with an unknown username. */
    public static boolean matchesNothing(String password) {
        matches(password, DUMMY);
        return false;
    }

    public static boolean looksLikeBcrypt(String hash) {
        return hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    }

    /**
     * Prints the bcrypt hash of a password read from the console (or stdin), for the users file:
     * {@code java -cp target/hotline.jar dev.hotline.gateway.auth.Passwords}.
     */
    public static void main(String[] args) throws java.io.IOException {
        String password;
        if (System.console() != null) {
            char[] p = System.console().readPassword("password: ");
            password = p == null ? "" : new String(p);
        } else {
            password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine();
        }
        if (password == null || password.length() < 8) {
            System.err.println("a password needs at least 8 characters");
            System.exit(2);
        }
        System.out.println(hash(password, DEFAULT_COST));
    }
}
