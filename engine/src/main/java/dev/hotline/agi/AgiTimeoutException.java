package dev.hotline.agi;

/** A command got no reply in time; the session is closed because a late reply would be taken for the next one. */
public final class AgiTimeoutException extends AgiException {

    public AgiTimeoutException(String message) {
        super(message, null);
    }
}
