package dev.hotline.gateway.http;

import dev.hotline.gateway.auth.Session;
import io.netty.channel.Channel;

/** Receives the WebSocket connections the server accepted (each with a valid token). Called on event loops. */
public interface WebSocketEndpoint {

    void opened(Channel channel, Session session);

    void message(Channel channel, Session session, String text);

    void closed(Channel channel);
}
