package dev.hotline.simulator.agi;

import java.util.List;
import java.util.Locale;

/**
 * The AGI commands the simulator knows, with the words that name them and whether Asterisk allows them on a dead
 * channel (after a hang-up or Redirect). The flags are res_agi.c's command table.
 */
enum AgiCommand {
    ANSWER(false, "answer"),
    CHANNEL_STATUS(false, "channel", "status"),
    DATABASE_DEL(true, "database", "del"),
    DATABASE_GET(true, "database", "get"),
    DATABASE_PUT(true, "database", "put"),
    EXEC(true, "exec"),
    GET_DATA(false, "get", "data"),
    GET_FULL_VARIABLE(true, "get", "full", "variable"),
    GET_OPTION(false, "get", "option"),
    GET_VARIABLE(true, "get", "variable"),
    HANGUP(false, "hangup"),
    NOOP(true, "noop"),
    RECORD_FILE(false, "record", "file"),
    SAY_DIGITS(false, "say", "digits"),
    SAY_NUMBER(false, "say", "number"),
    SET_AUTOHANGUP(false, "set", "autohangup"),
    SET_CALLERID(false, "set", "callerid"),
    SET_CONTEXT(false, "set", "context"),
    SET_EXTENSION(false, "set", "extension"),
    SET_MUSIC(false, "set", "music"),
    SET_PRIORITY(false, "set", "priority"),
    SET_VARIABLE(true, "set", "variable"),
    STREAM_FILE(false, "stream", "file"),
    VERBOSE(true, "verbose"),
    WAIT_FOR_DIGIT(false, "wait", "for", "digit");

    private final boolean allowedDead;
    private final List<String> words;

    AgiCommand(boolean allowedDead, String... words) {
        this.allowedDead = allowedDead;
        this.words = List.of(words);
    }

    boolean allowedDead() {
        return allowedDead;
    }

    /** The command's name as the usage table keys it: {@code "stream file"}. */
    String usageKey() {
        return String.join(" ", words);
    }

    /** The command named by the leading arguments, compared case-insensitively, or null. */
    static AgiCommand find(List<String> args) {
        for (AgiCommand command : values()) {
            if (args.size() < command.words.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < command.words.size() && match; i++) {
                match = command.words.get(i).equals(args.get(i).toLowerCase(Locale.ROOT));
            }
            if (match) {
                return command;
            }
        }
        return null;
    }
}
