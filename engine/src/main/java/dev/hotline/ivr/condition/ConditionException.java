package dev.hotline.ivr.condition;

/** A condition could not be parsed; {@link #position()} is the 1-based character where the problem is. */
public final class ConditionException extends Exception {

    private final int position;

    public ConditionException(int position, String message) {
        super(message + " at character " + position);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
