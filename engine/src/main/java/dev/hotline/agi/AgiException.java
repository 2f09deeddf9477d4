package dev.hotline.agi;

/** Base of the FastAGI session's exceptions; unchecked so call logic reads straight. */
public abstract sealed class AgiException extends RuntimeException
        permits AgiHangupException, AgiCommandException, AgiTimeoutException {

    protected AgiException(String message, Throwable cause) {
        super(message, cause);
    }
}
