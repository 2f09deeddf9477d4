package dev.hotline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent gateway: HTTP + WebSocket API and web pages (section {@code gateway:} of hotline.yaml).
 *
 * @param bind             address to listen on
 * @param port             TCP port (0: any free port, for tests)
 * @param tokenTtl         how long a login token stays valid
 * @param tlsCert          PEM certificate chain; with {@code tlsKey}, the gateway speaks HTTPS / WSS only
 * @param tlsKey           PEM private key (PKCS#8)
 * @param usersFile        users seed file (usernames, bcrypt password hashes, roles, teams)
 * @param auditFile        append-only audit log of supervisor and admin actions
 * @param notReadyReasons  reason codes an agent may give for not ready
 * @param dispositionCodes codes an agent may give as the outcome of a call ({@code gateway.disposition_codes})
 * @param phones           the agent desktop's browser phone and the supervisors' phones ({@code gateway.phones})
 * @param limits           connection caps and time-outs ({@code gateway.limits})
 * @param login            sign-in rates, lock-outs and the password-checking pool ({@code gateway.login})
 * @param allowedOrigins   origins ({@code https://host[:port]}) whose pages may open the live WebSocket besides the
 *                         gateway's own ({@code gateway.allowed_origins})
 */
public record GatewayConfig(String bind, int port, Duration tokenTtl, Optional<Path> tlsCert, Optional<Path> tlsKey,
                            Path usersFile, Path auditFile, List<String> notReadyReasons,
                            List<String> dispositionCodes, Phones phones, GatewayLimits limits,
                            LoginLimits login, List<String> allowedOrigins) {

    /**
     * Phones the pages offer ({@code gateway.phones}).
     *
     * @param webrtcWebsocket  Asterisk's PJSIP WebSocket for the agent desktop's browser phone (WebRTC), e.g.
     *                         {@code wss://pbx.example.com:8089/ws}; empty: the browser phone is off
     * @param webrtcDomain     the SIP domain the browser phone registers in (empty: the WebSocket's host)
     * @param supervisorPhones phones a supervisor picks from for listen / whisper / barge (they may type another)
     */
    public record Phones(String webrtcWebsocket, String webrtcDomain, List<String> supervisorPhones) {

        public static final Phones NONE = new Phones("", "", List.of());

        public Phones {
            Objects.requireNonNull(webrtcWebsocket, "webrtcWebsocket");
            Objects.requireNonNull(webrtcDomain, "webrtcDomain");
            supervisorPhones = List.copyOf(supervisorPhones);
            if (!webrtcWebsocket.isEmpty() && !webrtcWebsocket.matches("wss?://[^\\s/]+(/\\S*)?")) {
                throw new IllegalArgumentException("webrtcWebsocket: " + webrtcWebsocket
                        + " (expected: wss://host:port/path, e.g. wss://pbx.example.com:8089/ws)");
            }
            for (String p : supervisorPhones) {
                if (!AgentConfig.ENDPOINT.matcher(p).matches()) {
                    throw new IllegalArgumentException("supervisorPhones: " + p + " (expected: TECH/resource, e.g."
                            + " PJSIP/2001)");
                }
            }
        }
    }

    public static final List<String> DEFAULT_REASONS = List.of("break", "lunch", "training", "meeting", "coaching",
            "back-office");
    public static final List<String> DEFAULT_DISPOSITIONS = List.of("inquiry", "repair", "complaint", "site-survey",
            "audit", "other");
    public static final GatewayConfig DEFAULTS = new GatewayConfig("127.0.0.1", 8080, Duration.ofHours(10),
            Optional.empty(), Optional.empty(), Path.of("config", "users.yaml"), Path.of("logs", "audit.log"),
            DEFAULT_REASONS, DEFAULT_DISPOSITIONS, Phones.NONE, GatewayLimits.DEFAULTS, LoginLimits.DEFAULTS,
            List.of());

    /** Without disposition codes: the defaults. */
    public GatewayConfig(String bind, int port, Duration tokenTtl, Optional<Path> tlsCert, Optional<Path> tlsKey,
                         Path usersFile, Path auditFile, List<String> notReadyReasons) {
        this(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons, DEFAULT_DISPOSITIONS);
    }

    /** No phones, the default limits, login protection and no other origins. */
    public GatewayConfig(String bind, int port, Duration tokenTtl, Optional<Path> tlsCert, Optional<Path> tlsKey,
                         Path usersFile, Path auditFile, List<String> notReadyReasons, List<String> dispositionCodes) {
        this(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons, dispositionCodes,
                Phones.NONE, GatewayLimits.DEFAULTS, LoginLimits.DEFAULTS, List.of());
    }

    public GatewayConfig {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        if (tokenTtl.isNegative() || tokenTtl.isZero()) {
            throw new IllegalArgumentException("tokenTtl: " + tokenTtl + " (expected: > 0)");
        }
        Objects.requireNonNull(tlsCert, "tlsCert");
        Objects.requireNonNull(tlsKey, "tlsKey");
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("tlsCert and tlsKey: give both or neither");
        }
        Objects.requireNonNull(usersFile, "usersFile");
        Objects.requireNonNull(auditFile, "auditFile");
        notReadyReasons = List.copyOf(notReadyReasons);
        if (notReadyReasons.isEmpty()) {
            throw new IllegalArgumentException("notReadyReasons: empty (expected: at least one reason code)");
        }
        dispositionCodes = List.copyOf(dispositionCodes);
        if (dispositionCodes.isEmpty()) {
            throw new IllegalArgumentException("dispositionCodes: empty (expected: at least one code)");
        }
        if (new java.util.HashSet<>(dispositionCodes).size() != dispositionCodes.size()) {
            throw new IllegalArgumentException("dispositionCodes: " + dispositionCodes + " (expected: each code once)");
        }
        Objects.requireNonNull(phones, "phones");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(login, "login");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    public boolean tls() {
        return tlsCert.isPresent();
    }

    /** The same settings with relative files taken from {@code home}. */
    public GatewayConfig resolvedAgainst(Path home) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert.map(home::resolve), tlsKey.map(home::resolve),
                home.resolve(usersFile), home.resolve(auditFile), notReadyReasons, dispositionCodes, phones, limits,
                login, allowedOrigins);
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(bind, newPort, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons,
                dispositionCodes, phones, limits, login, allowedOrigins);
    }

    public GatewayConfig withUsersFile(Path file) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, file, auditFile, notReadyReasons,
                dispositionCodes, phones, limits, login, allowedOrigins);
    }

    public GatewayConfig withDispositionCodes(List<String> codes) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons, codes,
                phones, limits, login, allowedOrigins);
    }

    public GatewayConfig withPhones(Phones newPhones) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons,
                dispositionCodes, newPhones, limits, login, allowedOrigins);
    }

    public GatewayConfig withAuditFile(Path file) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, file, notReadyReasons,
                dispositionCodes, phones, limits, login, allowedOrigins);
    }

    public GatewayConfig withLimits(GatewayLimits newLimits) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons,
                dispositionCodes, phones, newLimits, login, allowedOrigins);
    }

    public GatewayConfig withLogin(LoginLimits newLogin) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons,
                dispositionCodes, phones, limits, newLogin, allowedOrigins);
    }

    public GatewayConfig withAllowedOrigins(List<String> origins) {
        return new GatewayConfig(bind, port, tokenTtl, tlsCert, tlsKey, usersFile, auditFile, notReadyReasons,
                dispositionCodes, phones, limits, login, origins);
    }
}
