package dev.hotline.agi;

/**
 * The caller hung up, or the channel left this AGI session (an AMI redirect). Call logic lets it propagate
 * (or catches it to record the path); afterwards only variable commands are allowed.
 */
public final class AgiHangupException extends AgiException {

    public AgiHangupException(String message) {
        super(message, null);
    }
}
