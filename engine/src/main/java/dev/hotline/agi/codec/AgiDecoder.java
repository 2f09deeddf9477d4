package dev.hotline.agi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes what Asterisk sends on a FastAGI socket into {@link AgiInbound} messages.
 *
 * <p>A state machine over {@code \n}-terminated lines ({@code \r\n} is tolerated):
 * <ol>
 *   <li>{@code ENVIRONMENT}: {@code agi_key: value} lines until an empty line → one {@link AgiEnvironment}.</li>
 *   <li>{@code REPLIES}: each line is a reply ({@code 200 …}, {@code 100 …}, {@code 510 …}, {@code 511 …}) or the
 *       start of a multi-line usage reply ({@code 520-…}), or the unsolicited {@code HANGUP} line. A
 *       {@code HANGUP} glued to the next reply ({@code HANGUP200 result=-1}, seen on some versions) yields an
 *       {@link AgiHangup} followed by that reply.</li>
 *   <li>{@code USAGE}: lines collected until {@code 520 End of proper usage.} → one {@link AgiReply.Usage}.</li>
 * </ol>
 * Bounds: a line longer than {@code maxLineLength} bytes, an environment over {@code maxEnvironmentSize}
 * bytes or a usage reply over 256 lines fail with an {@link AgiProtocolException} saying which limit, and the
 * decoder then discards everything (the session is being closed). It never lets a {@code ByteBuf} escape.
 */
public final class AgiDecoder extends ByteToMessageDecoder {

    private static final Pattern ENDPOS = Pattern.compile("(.*?) ?endpos=(-?\\d{1,19})");
    private static final int MAX_USAGE_LINES = 256;

    private enum State { ENVIRONMENT, REPLIES, USAGE, FAILED }

    private final int maxLineLength;
    private final int maxEnvironmentSize;

    private State state = State.ENVIRONMENT;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private int environmentBytes;
    private int lineNumber;
    private final List<String> usage = new ArrayList<>();

    public AgiDecoder(int maxLineLength, int maxEnvironmentSize) {
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength: " + maxLineLength + " (expected: >= 16)");
        }
        if (maxEnvironmentSize < maxLineLength) {
            throw new IllegalArgumentException("maxEnvironmentSize: " + maxEnvironmentSize
                    + " (expected: >= maxLineLength " + maxLineLength + ")");
        }
        this.maxLineLength = maxLineLength;
        this.maxEnvironmentSize = maxEnvironmentSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (state != State.FAILED) {
            String line = readLine(in);
            if (line == null) {
                return;
            }
            lineNumber++;
            switch (state) {
                case ENVIRONMENT -> environmentLine(line, out);
                case REPLIES -> replyLine(line, out);
                case USAGE -> usageLine(line, out);
                case FAILED -> { }
            }
        }
        in.skipBytes(in.readableBytes());
    }

    /** The next complete line without its terminator, or null if none is complete yet. */
    private String readLine(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int scanTo = Math.min(end, start + maxLineLength + 1);
        int nl = in.indexOf(start, scanTo, (byte) '\n');
        if (nl < 0) {
            if (end - start > maxLineLength) {
                fail("line_too_long", "line " + (lineNumber + 1) + ": length " + (end - start) + "+ bytes (expected: <= "
                        + maxLineLength + ")");
            }
            return null;
        }
        int len = nl - start;
        if (len > maxLineLength) {
            fail("line_too_long", "line " + (lineNumber + 1) + ": length " + len + " bytes (expected: <= "
                    + maxLineLength + ")");
        }
        int contentLen = len > 0 && in.getByte(nl - 1) == '\r' ? len - 1 : len;
        String line = in.toString(start, contentLen, StandardCharsets.UTF_8);
        in.readerIndex(nl + 1);
        if (state == State.ENVIRONMENT) {
            environmentBytes += len + 1;
            if (environmentBytes > maxEnvironmentSize) {
                fail("environment_too_large", "environment: more than " + maxEnvironmentSize
                        + " bytes without the empty line that ends it (expected: <= " + maxEnvironmentSize + ")");
            }
        }
        return line;
    }

    private void environmentLine(String line, List<Object> out) {
        if (line.isEmpty()) {
            if (environment.isEmpty()) {
                fail("bad_environment", "environment: empty line before any agi_* variable (expected: agi_key: value)");
            }
            out.add(new AgiEnvironment(environment));
            environment.clear();
            state = State.REPLIES;
            return;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            fail("bad_environment", "environment line " + lineNumber + ": '" + shorten(line)
                    + "' (expected: agi_key: value)");
        }
        String key = line.substring(0, colon);
        if (!key.startsWith("agi_") || !key.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c))) {
            fail("bad_environment", "environment line " + lineNumber + ": key '" + shorten(key)
                    + "' (expected: agi_ followed by letters, digits or _)");
        }
        String value = line.substring(colon + 1);
        environment.put(key, value.startsWith(" ") ? value.substring(1) : value);
    }

    private void replyLine(String line, List<Object> out) {
        if (line.startsWith("HANGUP")) {
            out.add(AgiHangup.INSTANCE);
            String rest = line.substring("HANGUP".length());
            if (!rest.isEmpty()) {
                replyLine(rest, out);
            }
            return;
        }
        if (line.startsWith("520-")) {
            usage.clear();
            usage.add(line.substring(4));
            state = State.USAGE;
            return;
        }
        out.add(parseReply(line));
    }

    private void usageLine(String line, List<Object> out) {
        if (line.startsWith("520 ")) {
            usage.add(line.substring(4));
            out.add(new AgiReply.Usage(usage));
            usage.clear();
            state = State.REPLIES;
            return;
        }
        if (usage.size() >= MAX_USAGE_LINES) {
            fail("bad_reply", "520 usage reply: more than " + MAX_USAGE_LINES
                    + " lines without '520 End of proper usage.' (expected: fewer)");
        }
        usage.add(line);
    }

    private AgiReply parseReply(String line) {
        if (line.startsWith("200 result=")) {
            // 200 result=<token>[ (<extra>)][ endpos=<n>]; parsed by hand: this is the hot path.
            int tokenEnd = line.indexOf(' ', 11);
            String result = tokenEnd < 0 ? line.substring(11) : line.substring(11, tokenEnd);
            String rest = tokenEnd < 0 ? "" : line.substring(tokenEnd + 1);
            OptionalLong endpos = OptionalLong.empty();
            if (!rest.endsWith(")")) {
                Matcher e = ENDPOS.matcher(rest);
                if (e.matches()) {
                    try {
                        endpos = OptionalLong.of(Long.parseLong(e.group(2)));
                        rest = e.group(1);
                    } catch (NumberFormatException ignored) {
                        // out of range: keep it as text
                    }
                }
            }
            Optional<String> extra = Optional.empty();
            if (rest.startsWith("(") && rest.endsWith(")") && rest.length() >= 2) {
                extra = Optional.of(rest.substring(1, rest.length() - 1));
            } else if (!rest.isEmpty()) {
                extra = Optional.of(rest);
            }
            return new AgiReply.Success(result, extra, endpos);
        }
        if (line.startsWith("200 ")) {
            fail("bad_reply", "reply line " + lineNumber + ": '" + shorten(line) + "' (expected: 200 result=N ...)");
        }
        if (line.startsWith("100 ")) {
            return new AgiReply.Trying(line.substring(4));
        }
        if (line.startsWith("510 ") || line.equals("510")) {
            return new AgiReply.InvalidCommand(line.length() > 4 ? line.substring(4) : "");
        }
        if (line.startsWith("511 ") || line.equals("511")) {
            return new AgiReply.DeadChannel(line.length() > 4 ? line.substring(4) : "");
        }
        if (line.startsWith("520 ")) {
            return new AgiReply.Usage(List.of(line.substring(4)));
        }
        fail("bad_reply", "reply line " + lineNumber + ": '" + shorten(line)
                + "' (expected: 200, 100, 510, 511, 520 or HANGUP)");
        return null;
    }

    private void fail(String reason, String message) {
        state = State.FAILED;
        environment.clear();
        usage.clear();
        throw new AgiProtocolException(reason, message);
    }

    private static String shorten(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 77) + "..." : printable;
    }
}
