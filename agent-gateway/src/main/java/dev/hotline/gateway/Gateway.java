package dev.hotline.gateway;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hotline.api.EngineApi;
import dev.hotline.config.ConfigException;
import dev.hotline.config.GatewayConfig;
import dev.hotline.gateway.api.Context;
import dev.hotline.gateway.api.Routes;
import dev.hotline.gateway.audit.AuditLog;
import dev.hotline.gateway.auth.LoginGuard;
import dev.hotline.gateway.auth.Tokens;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.http.ConnectionGuard;
import dev.hotline.gateway.http.HttpServer;
import dev.hotline.gateway.ws.LiveHub;
import io.micrometer.core.instrument.Gauge;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent gateway next to a running engine, seen through its {@link EngineApi} only: HTTP + WebSocket API and web pages. Start it after
 * the engine and close it before. Password checks run on their own bounded pool ({@code gateway-login}, see
 * {@code gateway.login}), page reads and database work on a small worker pool ({@code gateway-worker}), so a login
 * flood never slows the pages; everything else runs on Netty's event loops and only calls the engine's non-blocking
 * API. Connections are capped by {@code gateway.limits} and the share of the open-file limit the engine leaves it.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private final HttpServer server = new HttpServer();
    private final ExecutorService workers;
    private final ThreadPoolExecutor passwordChecks;
    private final AuditLog audit;
    private final LiveHub live;
    private final InetSocketAddress address;
    private final boolean tls;
    private final UserStore users;
    private final ConnectionGuard guard;

    /** How often the users table is re-read (changes made by another gateway on the same database). */
    static final Duration USERS_REFRESH = Duration.ofSeconds(10);

    private Gateway(EngineApi engine, GatewayConfig config, UserStore users, InstantSource clock)
            throws InterruptedException, SSLException {
        this.users = users;
        this.tls = config.tls();
        // A key given twice in a request body is refused (400 naming it), not silently "last one wins".
        ObjectMapper json = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).findAndAddModules().build();
        this.workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "gateway-worker");
            t.setDaemon(true);
            return t;
        });
        int hashThreads = config.login().effectiveHashThreads();
        this.passwordChecks = new ThreadPoolExecutor(hashThreads, hashThreads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.login().hashQueue()), r -> {
                    Thread t = new Thread(r, "gateway-login");
                    t.setDaemon(true);
                    return t;
                });
        Gauge.builder("hotline.gateway.login.queue", passwordChecks, p -> p.getQueue().size())
                .description("Logins waiting for a password check").register(engine.health().registry());
        this.audit = new AuditLog(config.auditFile(), clock, json);
        this.live = new LiveHub(engine.board(), engine.agents(), engine.config().queues(), clock, json).start();
        engine.reports().ifPresent(reports -> {
            var today = new dev.hotline.gateway.ws.TodayIntervals(reports, clock);
            reports.onStored(today::stored);   // each committed record folds into the chart
            live.intervals(today);
        });
        live.callbacks(engine::callbacks);   // overdue callbacks alert on the wallboard
        engine.admin().ivr().ifPresent(ivr ->
                live.ivr(ivr::current));   // IVR choices in words, queues' opening hours
        engine.admin().directory().ifPresent(live::watch);
        Tokens tokens = new Tokens(clock, config.tokenTtl(), users::current);
        users.onChange(live::closeSessionsOf);
        LoginGuard logins = new LoginGuard(config.login(), clock, (action, username, address, detail) -> {
            log.warn("gateway: {} for {} from {}: {}", action, username, address, detail);
            audit.record("-", "", action, username, detail, address);
        });
        Context ctx = new Context(engine, config, users, tokens, logins, passwordChecks, audit, live, clock, json);
        Optional<SslContext> ssl = Optional.empty();
        if (config.tls()) {
            ssl = Optional.of(SslContextBuilder.forServer(config.tlsCert().orElseThrow().toFile(),
                    config.tlsKey().orElseThrow().toFile()).build());
        }
        int budget = engine.health().gatewayConnections().orElse(Integer.MAX_VALUE);
        int maxConnections = Math.min(config.limits().maxConnections(), budget);
        this.guard = new ConnectionGuard(maxConnections, config.limits().maxConnectionsPerAddress(),
                engine.health().registry());
        try {
            this.address = server.start(config.bind(), config.port(), ssl, Routes.build(ctx), tokens, live, workers,
                    json, new HttpServer.Limits(config.limits(), guard, config.allowedOrigins()));
        } catch (RuntimeException | InterruptedException e) {
            closeParts();
            throw e;
        }
    }

    /**
     * Reads the users seed file, connects the users to the engine's database (importing the file's users absent
     * from it, see docs/ADMIN.md) and starts listening; fails with the file's problems or the bind error.
     */
    public static Gateway start(EngineApi engine, GatewayConfig config) throws ConfigException,
            InterruptedException, SSLException {
        UserStore users = openUsers(engine, config);
        try {
            return start(engine, config, users, InstantSource.system());
        } catch (InterruptedException | SSLException | RuntimeException e) {
            users.close();
            throw e;
        }
    }

    /**
     * The users a gateway on {@code engine} would have: the seed file's over the engine's database, read (waiting up
     * to 4 s for the database). {@code hotline run} looks at them before it starts listening.
     */
    public static UserStore openUsers(EngineApi engine, GatewayConfig config) throws ConfigException,
            InterruptedException {
        UserStore users = UserStore.withDatabase(UserStore.load(config.usersFile()).all(),
                engine.admin().userStorage().orElse(null), InstantSource.system(), dev.hotline.gateway.auth.Passwords.DEFAULT_COST,
                engine.config().database().dataDir().resolve(dev.hotline.gateway.auth.UserSnapshot.FILE_NAME))
                .start(engine.scheduler(), USERS_REFRESH);
        users.awaitFirstAttempt(Duration.ofSeconds(4));
        return users;
    }

    public static Gateway start(EngineApi engine, GatewayConfig config, UserStore users, InstantSource clock)
            throws InterruptedException, SSLException {
        Gateway g = new Gateway(engine, config, users, clock);
        if (users.all().isEmpty()) {
            log.warn("gateway: no users in {}; only /health, /metrics and the login page work until you add some",
                    config.usersFile());
        }
        log.info("gateway listening on {} ({} users; at most {} connections, {} per address)", g.url(),
                users.all().size(), g.guard.maxConnections(), config.limits().maxConnectionsPerAddress());
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
        passwordChecks.shutdown();
        audit.close();
    }
}
