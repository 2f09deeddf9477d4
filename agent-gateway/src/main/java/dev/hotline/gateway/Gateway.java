package dev.hotline.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.ConfigException;
import dev.hotline.config.GatewayConfig;
import dev.hotline.gateway.api.Context;
import dev.hotline.gateway.api.Routes;
import dev.hotline.gateway.audit.AuditLog;
import dev.hotline.gateway.auth.LoginThrottle;
import dev.hotline.gateway.auth.Tokens;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.http.HttpServer;
import dev.hotline.gateway.ws.LiveHub;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent gateway next to a running {@link HotlineEngine}: HTTP + WebSocket API and web pages. Start it after
 * the engine and close it before. Password checks and page reads run on a small worker pool; everything else
 * runs on Netty's event loops and only calls the engine's non-blocking API.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Failed logins per username and address before a lockout, and its length. */
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCKOUT = Duration.ofSeconds(60);

    private final HttpServer server = new HttpServer();
    private final ExecutorService workers;
    private final AuditLog audit;
    private final LiveHub live;
    private final InetSocketAddress address;
    private final boolean tls;
    private final UserStore users;

    /** How often the users table is re-read (changes made by another gateway on the same database). */
    static final Duration USERS_REFRESH = Duration.ofSeconds(10);

    private Gateway(HotlineEngine engine, GatewayConfig config, UserStore users, InstantSource clock)
            throws InterruptedException, SSLException {
        this.users = users;
        this.tls = config.tls();
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        json.findAndRegisterModules();
        this.workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "gateway-worker");
            t.setDaemon(true);
            return t;
        });
        this.audit = new AuditLog(config.auditFile(), clock, json);
        this.live = new LiveHub(engine.acd(), engine.config().queues(), clock, json).start();
        if (engine.records() != null) {
            live.intervals(new dev.hotline.gateway.ws.TodayIntervals(engine.records().reports(), clock));
        }
        live.callbacks(engine::callbacks);   // overdue callbacks alert on the wallboard
        if (engine.ivr() != null) {
            live.ivr(() -> engine.ivr().current());   // IVR choices in words, queues' opening hours
        }
        if (engine.directory() != null) {
            live.watch(engine.directory());
        }
        Tokens tokens = new Tokens(clock, config.tokenTtl(), users::current);
        users.onChange(live::closeSessionsOf);
        Context ctx = new Context(engine, config, users, tokens, new LoginThrottle(clock, MAX_FAILURES, LOCKOUT),
                audit, live, clock, json);
        Optional<SslContext> ssl = Optional.empty();
        if (config.tls()) {
            ssl = Optional.of(SslContextBuilder.forServer(config.tlsCert().orElseThrow().toFile(),
                    config.tlsKey().orElseThrow().toFile()).build());
        }
        try {
            this.address = server.start(config.bind(), config.port(), ssl, Routes.build(ctx), tokens, live, workers,
                    json);
        } catch (RuntimeException | InterruptedException e) {
            closeParts();
            throw e;
        }
    }

    /**
     * Reads the users seed file, connects the users to the engine's database (importing the file's users absent
     * from it, see docs/ADMIN.md) and starts listening; fails with the file's problems or the bind error.
     */
    public static Gateway start(HotlineEngine engine, GatewayConfig config) throws ConfigException,
            InterruptedException, SSLException {
        InstantSource clock = InstantSource.system();
        UserStore users = UserStore.withDatabase(UserStore.load(config.usersFile()).all(),
                engine.records().database(), clock, dev.hotline.gateway.auth.Passwords.DEFAULT_COST,
                engine.config().database().dataDir().resolve(dev.hotline.gateway.auth.UserSnapshot.FILE_NAME))
                .start(USERS_REFRESH);
        users.awaitFirstAttempt(Duration.ofSeconds(4));
        try {
            return start(engine, config, users, clock);
        } catch (InterruptedException | SSLException | RuntimeException e) {
            users.close();
            throw e;
        }
    }

    public static Gateway start(HotlineEngine engine, GatewayConfig config, UserStore users, InstantSource clock)
            throws InterruptedException, SSLException {
        Gateway g = new Gateway(engine, config, users, clock);
        if (users.all().isEmpty()) {
            log.warn("gateway: no users in {}; only /health, /metrics and the login page work until you add some",
                    config.usersFile());
        }
        log.info("gateway listening on {} ({} users)", g.url(), users.all().size());
        return g;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return (tls ? "https" : "http") + "://" + host + ":" + address.getPort();
    }

    public UserStore users() {
        return users;
    }

    public AuditLog audit() {
        return audit;
    }

    /** The live view the pages are fed from (queue figures, agents, screen pops). */
    public LiveHub live() {
        return live;
    }

    @Override
    public void close() {
        server.close();
        closeParts();
    }

    private void closeParts() {
        users.close();
        live.close();
        workers.shutdown();
        audit.close();
    }
}
