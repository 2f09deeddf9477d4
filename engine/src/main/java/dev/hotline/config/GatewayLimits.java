package dev.hotline.config;

import java.time.Duration;

/**
 * What one client, or all of them together, may hold of the gateway (section {@code gateway.limits:}). Calls come
 * first: connections beyond a cap are closed at once (counted, logged at a limited rate), and the total cap is
 * lowered at start-up to what the open-file limit leaves after FastAGI and the engine's own files (see
 * {@code dev.hotline.app.FileBudget}).
 *
 * @param maxConnections           HTTP and WebSocket connections open at once, from everyone
 * @param maxConnectionsPerAddress connections open at once from one client address
 * @param reservedFiles            file descriptors kept for the engine's own files and sockets (journal, database,
 *                                 logs, AMI), on top of {@code agi.max_sessions}, when the gateway's cap is computed
 * @param requestHeadTimeout       a request's line and headers must be complete this long after the connection
 *                                 opened or the previous response was sent
 * @param keepAliveTimeout         a keep-alive connection with no request in progress is closed after this
 * @param webSocketPingInterval    how often the gateway pings an open WebSocket
 * @param webSocketPongTimeout     a WebSocket from which nothing (pong included) arrived for a ping interval plus
 *                                 this long is closed
 */
public record GatewayLimits(int maxConnections, int maxConnectionsPerAddress, int reservedFiles,
                            Duration requestHeadTimeout, Duration keepAliveTimeout, Duration webSocketPingInterval,
                            Duration webSocketPongTimeout) {

    public static final GatewayLimits DEFAULTS = new GatewayLimits(10_000, 1_000, 1_024, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30));

    public GatewayLimits {
        AgiConfig.requireRange("maxConnections", maxConnections, 16, 1_000_000);
        AgiConfig.requireRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, maxConnections);
        AgiConfig.requireRange("reservedFiles", reservedFiles, 64, 1_000_000);
        AgiConfig.requirePositive("requestHeadTimeout", requestHeadTimeout);
        AgiConfig.requirePositive("keepAliveTimeout", keepAliveTimeout);
        AgiConfig.requirePositive("webSocketPingInterval", webSocketPingInterval);
        AgiConfig.requirePositive("webSocketPongTimeout", webSocketPongTimeout);
    }

    public GatewayLimits withMaxConnections(int total, int perAddress) {
        return new GatewayLimits(total, perAddress, reservedFiles, requestHeadTimeout, keepAliveTimeout,
                webSocketPingInterval, webSocketPongTimeout);
    }

    public GatewayLimits withTimeouts(Duration requestHead, Duration keepAlive, Duration ping, Duration pong) {
        return new GatewayLimits(maxConnections, maxConnectionsPerAddress, reservedFiles, requestHead, keepAlive, ping,
                pong);
    }
}
