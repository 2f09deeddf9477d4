package dev.hotline.agi;

/** How {@link AgiSession#waitForDigitOrRedirect} ended. */
public sealed interface WaitResult {

    /** The caller pressed {@code key}. */
    record Digit(char key) implements WaitResult {
    }

    /** The wait ran its full time. */
    record TimedOut() implements WaitResult {
    }

    /** The channel left this AGI: the caller hung up, or a redirect took the channel elsewhere. */
    record Left() implements WaitResult {
    }

    /** {@link AgiSession#wake()} was called: look again. */
    record Woken() implements WaitResult {
    }
}
