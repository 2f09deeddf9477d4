package dev.hotline.ivr.lookup;

/** A lookup gave no usable answer: connection failure, timeout, an HTTP error status or a body that is not JSON. */
public final class LookupException extends Exception {

    public LookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
