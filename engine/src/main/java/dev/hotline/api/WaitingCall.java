package dev.hotline.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A waiting call as a supervisor sees it: where, at which priority and place, since when, and the routing core's
 * own estimate of its wait (the one the caller hears; empty when nobody staffs its queue).
 */
public record WaitingCall(String callId, String queue, int priority, int position, Instant since, boolean callback,
                          Optional<Duration> estimatedWait) {
}
