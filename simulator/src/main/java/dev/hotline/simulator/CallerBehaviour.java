package dev.hotline.simulator;

import java.time.Duration;
import java.util.Optional;

/**
 * The person on a simulated inbound call. One instance per call; called on the call's event loop only, so it may
 * keep state without locking.
 */
public interface CallerBehaviour {

    /** A prompt starts: STREAM FILE, GET DATA, GET OPTION, EXEC Playback/Background. */
    Reaction onPrompt(String file);

    /**
     * The caller starts waiting with nothing to listen to but hold music or silence: WAIT FOR DIGIT, EXEC Wait,
     * EXEC MusicOnHold. A {@link Reaction.HangUp} here is the caller's patience; it stands until the call is
     * answered by an agent or ends, across later waits.
     */
    Reaction onWait();

    /** Hang up this long after the call started, whatever happens. */
    Optional<Duration> hangUpAfter();
}
