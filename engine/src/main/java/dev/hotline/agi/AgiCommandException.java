package dev.hotline.agi;

/** Asterisk refused or failed a command (510, 520 usage, a failed playback); the message names the command. */
public final class AgiCommandException extends AgiException {

    public AgiCommandException(String message) {
        super(message, null);
    }
}
