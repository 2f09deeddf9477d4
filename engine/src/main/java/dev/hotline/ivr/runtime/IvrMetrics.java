package dev.hotline.ivr.runtime;

import java.time.Duration;

/** What the interpreter counts; no-op by default (the Micrometer binding is {@code ivr.metrics}). */
public interface IvrMetrics {

    IvrMetrics NONE = new IvrMetrics() {
    };

    /** A call entered a node. */
    default void nodeVisited(String script, String node, String type) {
    }

    /** A call left the IVR ({@code outcome}: queue, transfer, voicemail, hangup). */
    default void outcome(String script, String outcome) {
    }

    /** A lookup finished, successfully or not, after {@code took}. */
    default void lookup(String script, String node, boolean ok, Duration took) {
    }

    /** A prompt could not be played ({@code file}, e.g. {@code en/welcome}: usually missing on the Asterisk). */
    default void promptFailed(String script, String file) {
    }
}
