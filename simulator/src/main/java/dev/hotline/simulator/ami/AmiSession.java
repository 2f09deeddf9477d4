package dev.hotline.simulator.ami;

import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.model.ChannelSnapshot;
import dev.hotline.simulator.model.Events;
import dev.hotline.simulator.model.HangupCause;
import dev.hotline.simulator.model.Originate;
import dev.hotline.simulator.model.Pbx;
import dev.hotline.simulator.model.SimChannel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One AMI connection, answered as manager.c does. Actions are handled one at a time, in arrival order, even when
 * one completes later (a sync Originate, anything done on a call's event loop): each action's reply is chained on
 * the previous one. Events go out only after login. A client that stops reading for more than 100 ms
 * ({@code writetimeout}) is disconnected, as Asterisk does.
 */
final class AmiSession extends SimpleChannelInboundHandler<AmiMessage> {

    static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(100);
    private static final Duration LOGIN_FAILURE_DELAY = Duration.ofSeconds(1);
    private static final DateTimeFormatter EVENT_TV =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    private static final Pattern CALLER_ID = Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^>]*)>\\s*$");

    private final AmiServer server;
    private final Pbx pbx;
    private ChannelHandlerContext ctx;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean authenticated;
    /** The AMI user this session logged in as. */
    private volatile String loggedInAs = "";
    private String challenge = "";
    private volatile long unwritableSinceNanos;

    AmiSession(AmiServer server, Pbx pbx) {
        this.server = server;
        this.pbx = pbx;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        this.ctx = context;
        context.writeAndFlush(BANNER);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        server.forget(this);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            unwritableSinceNanos = 0;
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    void sendEvent(String wire) {
        if (!ctx.channel().isWritable()) {
            long now = System.nanoTime();
            if (unwritableSinceNanos == 0) {
                unwritableSinceNanos = now;
            } else if (now - unwritableSinceNanos > WRITE_TIMEOUT.toNanos()) {
                server.forget(this);
                ctx.close();
                return;
            }
        }
        ctx.writeAndFlush(wire);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, AmiMessage message) {
        tail = tail.thenCompose(ignored -> handle(message)).exceptionally(error -> {
            reply(error(message, "Internal error: " + error));
            return null;
        });
    }

    private CompletableFuture<Void> handle(AmiMessage message) {
        String action = message.value("Action");
        if (action.isEmpty()) {
            reply(error(message, "Missing action in request"));
            return done();
        }
        String name = action.toLowerCase(Locale.ROOT);
        if (!authenticated && !name.equals("login") && !name.equals("challenge") && !name.equals("logoff")) {
            reply(error(message, "Permission denied"));
            return done();
        }
        switch (name) {
            case "originate", "redirect", "hangup", "blindtransfer", "atxfer", "mixmonitor", "stopmixmonitor",
                 "mixmonitormute" -> server.logAction(loggedInAs, name, message);
            default -> { }
        }
        return switch (name) {
            case "login" -> login(message);
            case "challenge" -> challenge(message);
            case "logoff" -> {
                ctx.writeAndFlush(response(message, "Goodbye").add("Message", "Thanks for all the fish.").build()
                        .toWire()).addListener(ChannelFutureListener.CLOSE);
                yield done();
            }
            case "ping" -> {
                Instant now = pbx.clock().wallTime();
                reply(response(message, "Success").add("Ping", "Pong")
                        .add("Timestamp", now.getEpochSecond() + "." + String.format("%06d", now.getNano() / 1000))
                        .build());
                yield done();
            }
            case "events" -> {
                boolean on = !message.value("EventMask").equalsIgnoreCase("off");
                if (on) {
                    server.listen(this);
                } else {
                    server.forget(this);
                }
                reply(response(message, "Success").add("Events", on ? "On" : "Off").build());
                yield done();
            }
            case "originate" -> originate(message);
            case "redirect" -> redirect(message);
            case "hangup" -> hangup(message);
            case "blindtransfer", "atxfer" -> transfer(message, name.equals("atxfer"));
            case "mixmonitor" -> mixMonitor(message);
            case "stopmixmonitor" -> stopMixMonitor(message);
            case "mixmonitormute" -> muteMixMonitor(message);
            case "coreshowchannels" -> {
                coreShowChannels(message);
                yield done();
            }
            case "devicestatelist" -> {
                deviceStateList(message);
                yield done();
            }
            case "command" -> {
                command(message);
                yield done();
            }
            default -> {
                reply(error(message, "Invalid/unknown command: " + action
                        + ". Use Action: ListCommands to show available commands."));
                yield done();
            }
        };
    }

    // ---- login ------------------------------------------------------------------------------------------------

    private CompletableFuture<Void> login(AmiMessage message) {
        if (authenticated) {
            reply(response(message, "Success").add("Message", "Already authenticated").build());
            return done();
        }
        String username = message.value("Username");
        boolean ok;
        if (message.value("AuthType").equalsIgnoreCase("MD5")) {
            ok = !challenge.isEmpty() && server.secretOf(username).map(secret -> md5(challenge + secret)
                    .equalsIgnoreCase(message.value("Key"))).orElse(false);
        } else {
            ok = server.credentialsMatch(username, message.value("Secret"));
        }
        if (!ok) {
            CompletableFuture<Void> failed = new CompletableFuture<>();
            pbx.clock().schedule(ctx.channel().eventLoop(), LOGIN_FAILURE_DELAY, () -> {
                ctx.writeAndFlush(error(message, "Authentication failed").toWire())
                        .addListener(ChannelFutureListener.CLOSE);
                failed.complete(null);
            });
            return failed;
        }
        authenticated = true;
        loggedInAs = username;
        reply(response(message, "Success").add("Message", "Authentication accepted").build());
        long uptime = Duration.ofNanos(pbx.clock().nanoTime()).toSeconds();
        reply(Events.event("FullyBooted", "system,all").add("Uptime", uptime).add("LastReload", uptime)
                .add("Status", "Fully Booted").build());
        String now = EVENT_TV.format(pbx.clock().wallTime());
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        reply(Events.event("SuccessfulAuth", "security,all")
                .add("EventTV", now)
                .add("Severity", "Informational")
                .add("Service", "AMI")
                .add("EventVersion", 1)
                .add("AccountID", username)
                .add("SessionID", "0x" + Integer.toHexString(System.identityHashCode(this)))
                .add("LocalAddress", "IPV4/TCP/" + local.getAddress().getHostAddress() + "/" + local.getPort())
                .add("RemoteAddress", "IPV4/TCP/" + remote.getAddress().getHostAddress() + "/" + remote.getPort())
                .add("UsingPassword", 0)
                .add("SessionTV", now)
                .build());
        if (!message.value("Events").equalsIgnoreCase("off")) {
            server.listen(this);
        }
        return done();
    }

    private CompletableFuture<Void> challenge(AmiMessage message) {
        if (!message.value("AuthType").equalsIgnoreCase("MD5")) {
            reply(error(message, "Must specify AuthType"));
            return done();
        }
        if (challenge.isEmpty()) {
            challenge = Long.toString(pbx.newRandom().nextLong(1_000_000_000L, Integer.MAX_VALUE));
        }
        reply(response(message, "Success").add("Challenge", challenge).build());
        return done();
    }

    static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }

    // ---- calls ------------------------------------------------------------------------------------------------

    private CompletableFuture<Void> originate(AmiMessage message) {
        String channel = message.value("Channel");
        if (channel.isEmpty()) {
            reply(error(message, "Channel not specified"));
            return done();
        }
        if (!channel.contains("/")) {
            reply(error(message, "Invalid channel"));
            return done();
        }
        Optional<String> application = message.get("Application").filter(a -> !a.isEmpty());
        int priority = 1;
        if (application.isEmpty()) {
            try {
                priority = Integer.parseInt(message.value("Priority").isEmpty() ? "1" : message.value("Priority"));
            } catch (NumberFormatException e) {
                reply(error(message, "Invalid priority"));
                return done();
            }
        }
        long timeoutMs = 30_000;
        if (!message.value("Timeout").isEmpty()) {
            try {
                timeoutMs = Long.parseLong(message.value("Timeout"));
            } catch (NumberFormatException e) {
                reply(error(message, "Invalid timeout"));
                return done();
            }
        }
        String num = "";
        String callerName = "";
        String callerId = message.value("CallerID");
        Matcher m = CALLER_ID.matcher(callerId);
        if (m.matches()) {
            callerName = m.group(1).trim();
            num = m.group(2).trim();
        } else {
            num = callerId.trim();
        }
        java.util.Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String v : message.all("Variable")) {
            for (String pair : v.split(",")) {   // Asterisk accepts several name=value pairs per header, comma-separated
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    variables.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
                }
            }
        }
        Originate.Request request = new Originate.Request(channel, application, message.value("Data"),
                message.value("Context"), message.value("Exten"), priority, Duration.ofMillis(timeoutMs), num,
                callerName, variables);
        boolean async = isTrue(message.value("Async"));
        CompletableFuture<Originate.Result> outcome = Originate.start(pbx, request);
        String actionId = message.value("ActionID");
        String cidNum = num;
        String cidName = callerName;
        outcome.thenAccept(result -> {
            if (!async) {
                return;
            }
            AmiMessage.Builder event = Events.event("OriginateResponse", "call,all");
            if (!actionId.isEmpty()) {
                event.add("ActionID", actionId);
            }
            event.add("Response", result.success() ? "Success" : "Failure").add("Channel", result.channel());
            if (application.isPresent()) {
                event.add("Application", application.get()).add("Data", request.data());
            } else {
                event.add("Context", request.context()).add("Exten", request.exten());
            }
            AmiMessage built = event.add("Reason", result.reason()).add("Uniqueid", result.uniqueid())
                    .add("CallerIDNum", cidNum.isEmpty() ? "<unknown>" : cidNum)
                    .add("CallerIDName", cidName.isEmpty() ? "<unknown>" : cidName)
                    .build();
            if (authenticated) {
                ctx.writeAndFlush(built.toWire());
            }
        });
        if (async) {
            reply(response(message, "Success").add("Message", "Originate successfully queued").build());
            return done();
        }
        return outcome.handle((result, error) -> {
            if (error == null && result.success()) {
                reply(response(message, "Success").add("Message", "Originate successfully queued").build());
            } else {
                reply(error(message, "Originate failed"));
            }
            return null;
        });
    }

    private CompletableFuture<Void> redirect(AmiMessage message) {
        String name = message.value("Channel");
        String context = message.value("Context");
        String exten = message.value("Exten");
        String priorityText = message.value("Priority");
        if (name.isEmpty()) {
            reply(error(message, "Channel not specified"));
            return done();
        }
        if (context.isEmpty()) {
            reply(error(message, "Context not specified"));
            return done();
        }
        if (exten.isEmpty()) {
            reply(error(message, "Exten not specified"));
            return done();
        }
        if (priorityText.isEmpty()) {
            reply(error(message, "Priority not specified"));
            return done();
        }
        int priority;
        try {
            priority = Integer.parseInt(priorityText.trim());
        } catch (NumberFormatException e) {
            reply(error(message, "Priority is invalid"));
            return done();
        }
        Optional<SimChannel> channel = pbx.channel(name);
        if (channel.isEmpty()) {
            reply(error(message, "Channel does not exist: " + name));
            return done();
        }
        SimChannel target = channel.get();
        return onLoop(target, () -> target.redirect(context, exten, priority)
                ? response(message, "Success").add("Message", "Redirect successful").build()
                : error(message, "Redirect failed, channel not up."));
    }

    private CompletableFuture<Void> hangup(AmiMessage message) {
        String name = message.value("Channel");
        if (name.isEmpty()) {
            reply(error(message, "No channel specified"));
            return done();
        }
        Optional<SimChannel> channel = pbx.channel(name);
        if (channel.isEmpty()) {
            reply(error(message, "No such channel"));
            return done();
        }
        SimChannel target = channel.get();
        return onLoop(target, () -> {
            target.hangup(HangupCause.NORMAL_CLEARING);
            return response(message, "Success").add("Message", "Channel Hungup").build();
        });
    }

    /**
     * BlindTransfer of {@code Channel}: the party bridged with it goes to {@code Context}/{@code Exten} and the
     * transferring channel hangs up. Atxfer of {@code Channel} (the agent's leg of a Dial) starts a consultation
     * instead (see {@link dev.hotline.simulator.model.DialOperation#attendedTransfer}): the response only says the
     * feature started; the transfer itself is reported later by {@code AttendedTransfer}, or not at all.
     */
    private CompletableFuture<Void> transfer(AmiMessage message, boolean attended) {
        String name = message.value("Channel");
        String exten = message.value("Exten");
        if (name.isEmpty()) {
            reply(error(message, "No channel specified"));
            return done();
        }
        if (exten.isEmpty()) {
            reply(error(message, "No extension specified"));
            return done();
        }
        Optional<SimChannel> channel = pbx.channel(name);
        if (channel.isEmpty()) {
            reply(error(message, attended ? "Channel specified does not exist" : "No such channel"));
            return done();
        }
        SimChannel transferer = channel.get();
        String context = message.value("Context").isEmpty() ? transferer.snapshot().context() : message.value("Context");
        if (attended) {
            return onLoop(transferer, () -> dev.hotline.simulator.model.DialOperation.owning(transferer)
                    .filter(dial -> dial.attendedTransfer(context, exten)).isPresent()
                    ? response(message, "Success").add("Message", "Atxfer successfully queued").build()
                    : error(message, "Atxfer failed"));
        }
        String bridge = transferer.snapshot().bridgeId();
        Optional<SimChannel> transferee = bridge.isEmpty() ? Optional.empty() : pbx.channels().stream()
                .filter(c -> c != transferer && bridge.equals(c.snapshot().bridgeId())).findFirst();
        if (transferee.isEmpty()) {
            reply(error(message, "Transfer failed"));
            return done();
        }
        SimChannel party = transferee.get();
        return onLoop(party, () -> {
            if (!party.redirect(context, exten, 1)) {
                return error(message, "Transfer failed");
            }
            transferer.hangup(HangupCause.NORMAL_CLEARING);
            return response(message, "Success").add("Message", "Transfer succeeded").build();
        });
    }

    private CompletableFuture<Void> mixMonitor(AmiMessage message) {
        String name = message.value("Channel");
        if (name.isEmpty()) {
            reply(error(message, "No channel specified"));
            return done();
        }
        Optional<SimChannel> channel = pbx.channel(name);
        if (channel.isEmpty()) {
            reply(error(message, "No such channel"));
            return done();
        }
        SimChannel target = channel.get();
        String file = message.value("File");
        return onLoop(target, () -> {
            target.setVariable("MIXMONITOR_FILENAME", file);
            if (!pbx.recordings().start(target.name(), file, target.ended())) {
                return error(message, "Cannot start MixMonitor");
            }
            return response(message, "Success").add("MixMonitorID", java.util.UUID.randomUUID()).build();
        });
    }

    /** As Asterisk 22's app_mixmonitor: "No channel specified", "No such channel", or closes the recording. */
    private CompletableFuture<Void> stopMixMonitor(AmiMessage message) {
        Optional<SimChannel> channel = mixMonitorChannel(message);
        if (channel.isEmpty()) {
            return done();
        }
        SimChannel target = channel.get();
        return onLoop(target, () -> pbx.recordings().stop(target.name())
                ? response(message, "Success").build() : error(message, "Could not stop monitoring channel"));
    }

    /** {@code Direction: read|write|both}, {@code State: 1|0}; a channel without a recording cannot be muted. */
    private CompletableFuture<Void> muteMixMonitor(AmiMessage message) {
        Optional<SimChannel> channel = mixMonitorChannel(message);
        if (channel.isEmpty()) {
            return done();
        }
        String direction = message.value("Direction").toLowerCase(Locale.ROOT);
        if (direction.isEmpty()) {
            reply(error(message, "No direction specified. Must be read, write or both"));
            return done();
        }
        if (!Set.of("read", "write", "both").contains(direction)) {
            reply(error(message, "Invalid direction specified. Must be read, write or both"));
            return done();
        }
        boolean on = !Set.of("0", "no", "false", "off").contains(message.value("State").toLowerCase(
                Locale.ROOT));
        SimChannel target = channel.get();
        return onLoop(target, () -> pbx.recordings().mute(target.name(), on)
                ? response(message, "Success").build() : error(message, "Cannot set mute flag"));
    }

    /** The channel a MixMonitor action names, or empty after replying the error Asterisk gives. */
    private Optional<SimChannel> mixMonitorChannel(AmiMessage message) {
        String name = message.value("Channel");
        if (name.isEmpty()) {
            reply(error(message, "No channel specified"));
            return Optional.empty();
        }
        Optional<SimChannel> channel = pbx.channel(name);
        if (channel.isEmpty()) {
            reply(error(message, "No such channel"));
        }
        return channel;
    }

    private CompletableFuture<Void> onLoop(SimChannel channel, java.util.function.Supplier<AmiMessage> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.execute(() -> {
            reply(work.get());
            done.complete(null);
        });
        return done;
    }

    // ---- lists and commands -----------------------------------------------------------------------------------

    private void coreShowChannels(AmiMessage message) {
        reply(list(message, "Channels will follow"));
        List<SimChannel> channels = pbx.channels();
        long now = pbx.clock().nanoTime();
        for (SimChannel channel : channels) {
            ChannelSnapshot s = channel.snapshot();
            AmiMessage.Builder item = AmiMessage.builder().add("Event", "CoreShowChannel");
            actionId(message, item);
            long seconds = Duration.ofNanos(now - s.createdNanos()).toSeconds();
            reply(s.appendTo(item)
                    .add("BridgeId", s.bridgeId())
                    .add("Application", s.application())
                    .add("ApplicationData", s.applicationData())
                    .add("Duration", String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60))
                    .build());
        }
        reply(complete(message, "CoreShowChannelsComplete", channels.size()));
    }

    private void deviceStateList(AmiMessage message) {
        reply(list(message, "Device State Changes will follow"));
        List<Endpoint> endpoints = pbx.endpoints().all();
        for (Endpoint endpoint : endpoints) {
            AmiMessage.Builder item = AmiMessage.builder().add("Event", "DeviceStateChange");
            actionId(message, item);
            reply(item.add("Device", endpoint.name()).add("State", endpoint.deviceState().name()).build());
        }
        reply(complete(message, "DeviceStateListComplete", endpoints.size()));
    }

    private void command(AmiMessage message) {
        String command = message.value("Command").trim().replaceAll("\\s+", " ");
        if (command.isEmpty()) {
            reply(error(message, "No command provided"));
            return;
        }
        switch (command.toLowerCase(Locale.ROOT)) {
            case "core show version" -> reply(response(message, "Success")
                    .add("Message", "Command output follows")
                    .add("Output", "Asterisk 22.10.1 built by root @ hotline-simulator on a x86_64 running Linux")
                    .build());
            case "core show channels count" -> {
                int active = pbx.activeChannels();
                reply(response(message, "Success")
                        .add("Message", "Command output follows")
                        .add("Output", active + " active channel" + (active == 1 ? "" : "s"))
                        .add("Output", pbx.stats().callsStarted.sum() - pbx.stats().callsEnded.sum()
                                + " active calls")
                        .add("Output", pbx.stats().callsEnded.sum() + " calls processed")
                        .build());
            }
            default -> reply(AmiMessage.builder().add("Response", "Error").addAll(actionIdHeader(message))
                    .add("Message", "Command output follows")
                    .add("Output", "No such command '" + command + "' (type 'core show help " + command
                            + "' for other possible commands)")
                    .build());
        }
    }

    // ---- framing helpers ----------------------------------------------------------------------------------------

    private static boolean isTrue(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "y", "t", "1", "on" -> true;
            default -> false;
        };
    }

    private static List<AmiMessage.Header> actionIdHeader(AmiMessage message) {
        return message.get("ActionID").map(id -> List.of(new AmiMessage.Header("ActionID", id))).orElse(List.of());
    }

    private static void actionId(AmiMessage message, AmiMessage.Builder builder) {
        builder.addAll(actionIdHeader(message));
    }

    /** {@code Response: <status>} then the ActionID, as astman_send_response_full writes them. */
    static AmiMessage.Builder response(AmiMessage message, String status) {
        return AmiMessage.builder().add("Response", status).addAll(actionIdHeader(message));
    }

    static AmiMessage error(AmiMessage message, String text) {
        return response(message, "Error").add("Message", text).build();
    }

    private static AmiMessage list(AmiMessage message, String text) {
        return response(message, "Success").add("EventList", "start").add("Message", text).build();
    }

    private static AmiMessage complete(AmiMessage message, String event, int items) {
        AmiMessage.Builder builder = AmiMessage.builder().add("Event", event);
        actionId(message, builder);
        return builder.add("EventList", "Complete").add("ListItems", items).build();
    }

    private void reply(AmiMessage message) {
        ctx.writeAndFlush(message.toWire());
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** Cuts this manager connection, as a network failure or an Asterisk restart would. */
    void drop() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
