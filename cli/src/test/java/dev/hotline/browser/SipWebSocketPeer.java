package dev.hotline.browser;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP peer over WebSocket (RFC 7118, sub-protocol {@code sip}) standing in for Asterisk's PJSIP WebSocket
 * transport in the browser tests: it answers the browser phone's REGISTER, rings it with an INVITE whose SDP offer
 * is one a WebRTC stack accepts (no media ever flows: JsSIP only needs the offer to answer and reach "confirmed"),
 * ACKs its 200, answers its re-INVITEs (hold / resume) with a matching SDP answer, its INFO (keypad tones) and its
 * BYE, and can hang up itself. Every message both ways is kept, in order, for the test to assert on.
 *
 * <p>Test code: it implements only what a call from Asterisk to a registered browser phone uses, with no
 * authentication, one browser at a time.
 */
final class SipWebSocketPeer implements AutoCloseable {

    /** One SIP message as text, parsed enough to answer it. */
    record Message(boolean fromBrowser, String startLine, Map<String, String> headers, String body) {

        boolean isRequest() {
            return !startLine.startsWith("SIP/2.0");
        }

        String method() {
            return isRequest() ? startLine.substring(0, startLine.indexOf(' ')) : header("CSeq").split(" ")[1];
        }

        int status() {
            return isRequest() ? 0 : Integer.parseInt(startLine.split(" ")[1]);
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        @Override
        public String toString() {
            return (fromBrowser ? "browser → peer: " : "peer → browser: ") + startLine;
        }
    }

    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "m", "contact", "l", "content-length", "c", "content-type", "k", "supported");
    private static final Pattern URI = Pattern.compile("<(sip:[^>]+)>");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Message> log = new CopyOnWriteArrayList<>();
    private final Channel server;
    private final int port;
    private volatile Channel browser;
    private volatile String browserContact;
    /** The call the peer placed: its Call-ID, our tag, the browser's tag and contact once it answered. */
    private volatile String callId;
    private volatile String fromTag;
    private volatile String toTag;
    private volatile String remoteTarget;
    private int cseq = 1;

    private SipWebSocketPeer() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws", "sip"),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        browser = ctx.channel();
                                        received(f.text());
                                    }
                                });
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    static SipWebSocketPeer start() throws InterruptedException {
        return new SipWebSocketPeer();
    }

    /** What the browser phone connects to ({@code gateway.phones.webrtc_websocket}). */
    String url() {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    List<Message> log() {
        return List.copyOf(log);
    }

    // ------------------------------------------------------------------------------------------ receiving

    private synchronized void received(String text) {
        Message m = parse(text, true);
        log.add(m);
        if (!m.isRequest()) {
            if (m.method().equals("INVITE") && m.status() == 200 && m.header("Call-ID").equals(callId)) {
                toTag = tag(m.header("To"));
                remoteTarget = uri(m.header("Contact")).orElse(browserContact);
                send(request("ACK", remoteTarget, "ACK", "", ""));
            }
            return;
        }
        switch (m.method()) {
            case "REGISTER" -> {
                browserContact = uri(m.header("Contact")).orElseThrow();
                String expires = m.header("Expires").isEmpty() ? "600" : m.header("Expires");
                send(response(m, 200, "OK", "Contact: " + m.header("Contact") + ";expires=" + expires
                        + "\r\nExpires: " + expires + "\r\n", ""));
            }
            case "INVITE" -> {   // a re-INVITE in our call: hold (sendonly) or resume (sendrecv)
                String direction = m.body().contains("a=sendonly") ? "recvonly" : m.body().contains("a=inactive")
                        ? "inactive" : "sendrecv";
                send(response(m, 200, "OK", "Contact: <sip:peer@127.0.0.1:" + port + ";transport=ws>\r\n"
                        + "Content-Type: application/sdp\r\n", answer(m.body(), direction)));
            }
            case "ACK" -> {
            }
            case "BYE", "INFO", "OPTIONS", "UPDATE" -> send(response(m, 200, "OK", "", ""));
            default -> send(response(m, 501, "Not Implemented", "", ""));
        }
    }

    /** Waits until a message matching {@code match} arrived (or was sent) and returns it. */
    Message await(String what, Predicate<Message> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Message m : log) {
                if (match.test(m)) {
                    return m;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("SIP peer: no " + what + " within " + timeout.toSeconds() + " s; exchanged: " + log);
    }

    static Predicate<Message> request(String method) {
        return m -> m.fromBrowser() && m.isRequest() && m.method().equals(method);
    }

    static Predicate<Message> response(String method, int status) {
        return m -> m.fromBrowser() && !m.isRequest() && m.method().equals(method) && m.status() == status;
    }

    boolean registered() {
        return browserContact != null;
    }

    // ------------------------------------------------------------------------------------------ sending

    /** Rings the registered browser phone: an INVITE from {@code number} ({@code name}) with an SDP offer. */
    synchronized void invite(String number, String name) {
        if (browserContact == null) {
            throw new IllegalStateException("no browser phone registered");
        }
        callId = random() + "@hotline.test";
        fromTag = random();
        toTag = null;
        cseq = 1;
        String sdp = offer();
        String text = "INVITE " + browserContact + " SIP/2.0\r\n"
                + via() + "Max-Forwards: 70\r\n"
                + "From: \"" + name + "\" <sip:" + number + "@hotline.test>;tag=" + fromTag + "\r\n"
                + "To: <" + browserContact + ">\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:peer@127.0.0.1:" + port + ";transport=ws>\r\n"
                + "Allow: INVITE, ACK, CANCEL, BYE, INFO, OPTIONS\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + "\r\n\r\n" + sdp;
        send(text);
    }

    /** The caller hangs up: a BYE in the call the browser answered. */
    synchronized void bye() {
        send(request("BYE", remoteTarget, "BYE", "", ""));
    }

    private String request(String method, String target, String cseqMethod, String extra, String body) {
        int n = method.equals("ACK") ? 1 : ++cseq;
        return method + " " + target + " SIP/2.0\r\n" + via() + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@hotline.test>;tag=" + fromTag + "\r\n"
                + "To: <" + browserContact + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + n + " " + cseqMethod + "\r\n" + extra
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private String response(Message to, int status, String reason, String extra, String body) {
        StringBuilder sb = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String via : to.header("Via").split("\n")) {
            sb.append("Via: ").append(via).append("\r\n");
        }
        String toHeader = to.header("To");
        if (!toHeader.contains("tag=") && !to.method().equals("REGISTER")) {
            toHeader += ";tag=" + random();
        }
        sb.append("From: ").append(to.header("From")).append("\r\n")
                .append("To: ").append(toHeader).append("\r\n")
                .append("Call-ID: ").append(to.header("Call-ID")).append("\r\n")
                .append("CSeq: ").append(to.header("CSeq")).append("\r\n")
                .append(extra)
                .append("Content-Length: ").append(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .append("\r\n\r\n").append(body);
        return sb.toString();
    }

    private String via() {
        return "Via: SIP/2.0/WS 127.0.0.1:" + port + ";branch=z9hG4bK" + random() + "\r\n";
    }

    private void send(String text) {
        Channel c = browser;
        if (c == null) {
            throw new IllegalStateException("no browser connected");
        }
        log.add(parse(text, false));
        c.writeAndFlush(new TextWebSocketFrame(text));
    }

    // ------------------------------------------------------------------------------------------ SDP

    /** An audio offer as Asterisk's WebRTC endpoint makes one (ICE, DTLS fingerprint, rtcp-mux, BUNDLE, Opus). */
    private static String offer() {
        return "v=0\r\no=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1\r\n"
                + "s=Hotline test peer\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 101\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + random().substring(0, 8) + "\r\na=ice-pwd:" + random() + random() + "\r\n"
                + "a=fingerprint:sha-256 " + fingerprint() + "\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\n"
                + "a=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    }

    /** An answer to the browser's offer (a re-INVITE): the same media line and mid, Opus, the given direction. */
    private static String answer(String offer, String direction) {
        Matcher mid = Pattern.compile("a=mid:(\\S+)").matcher(offer);
        String m = mid.find() ? mid.group(1) : "0";
        return "v=0\r\no=- " + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE) + " 3 IN IP4 127.0.0.1\r\n"
                + "s=Hotline test peer\r\nt=0 0\r\na=group:BUNDLE " + m + "\r\na=msid-semantic: WMS\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + random().substring(0, 8) + "\r\na=ice-pwd:" + random() + random() + "\r\n"
                + "a=fingerprint:sha-256 " + fingerprint() + "\r\na=setup:active\r\na=mid:" + m + "\r\na="
                + direction + "\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
    }

    private static String fingerprint() {
        List<String> bytes = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            bytes.add(String.format("%02X", ThreadLocalRandom.current().nextInt(256)));
        }
        return String.join(":", bytes);
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static Message parse(String text, boolean fromBrowser) {
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            name = COMPACT.getOrDefault(name, name);
            String value = lines[i].substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + "\n" + b);   // Via may repeat: one per line
        }
        return new Message(fromBrowser, lines[0], headers, body);
    }

    private static Optional<String> uri(String header) {
        Matcher m = URI.matcher(header);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String tag(String header) {
        Matcher m = Pattern.compile(";tag=([^;>\\s]+)").matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private static String random() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
