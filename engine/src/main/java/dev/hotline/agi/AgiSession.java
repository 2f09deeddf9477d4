package dev.hotline.agi;

import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.agi.codec.AgiReply;

import java.time.Duration;
import java.util.Optional;

/**
 * The blocking API call logic uses to drive one channel over FastAGI. Each session runs on its own virtual
 * thread, so blocking here is cheap and the code reads top to bottom.
 *
 * <p>Rules every method follows:
 * <ul>
 *   <li>Results are typed; there are no {@code -1} sentinels.</li>
 *   <li>When the caller hangs up (a {@code HANGUP} line, a 511 reply, or the socket closing) the method throws
 *       {@link AgiHangupException}; from then on channel commands throw it at once without touching the wire,
 *       and only variable commands ({@link #setVariable}, {@link #getVariable}, {@link #getFullVariable},
 *       {@link #verbose}) still run, as Asterisk allows.</li>
 *   <li>Every command has a timeout: the configured command timeout plus the command's own wait (a
 *       {@code WAIT FOR DIGIT} of 5 s may take 5 s + the timeout). A timeout throws {@link AgiTimeoutException}
 *       and closes the session, since a late reply would desynchronise it.</li>
 *   <li>Asterisk's error replies (510, 520, a failed playback) throw {@link AgiCommandException}, which names the
 *       command.</li>
 * </ul>
 * Sessions are not thread-safe: one call, one thread.
 */
public interface AgiSession {

    /** The {@code agi_*} environment Asterisk sent at the start. */
    AgiEnvironment environment();

    /** Answers the channel. */
    void answer();

    /** Hangs the channel up; the session then is in dead mode. */
    void hangup();

    /**
     * Plays a sound file. If the caller presses one of {@code escapeDigits} playback stops and the digit is
     * returned.
     */
    Playback streamFile(String file, String escapeDigits);

    /** Plays a prompt and collects up to {@code maxDigits} DTMF digits (ended by {@code #} or the timeout). */
    DigitInput getData(String file, Duration timeout, int maxDigits);

    /** Waits for one DTMF digit; empty on timeout. */
    Optional<Character> waitForDigit(Duration timeout);

    /**
     * Waits up to {@code timeout} for a key, as a caller on hold does: returns the key, {@link WaitResult.TimedOut},
     * {@link WaitResult.Left} when the channel left this AGI (hung up, or redirected elsewhere over AMI — both end
     * the wait at once), or {@link WaitResult.Woken} when {@link #wake()} was called meanwhile. Never throws for a
     * hang-up.
     */
    default WaitResult waitForDigitOrRedirect(Duration timeout) {
        try {
            return waitForDigit(timeout).<WaitResult>map(WaitResult.Digit::new).orElse(new WaitResult.TimedOut());
        } catch (AgiHangupException e) {
            return new WaitResult.Left();
        }
    }

    /**
     * Asks the current (or next) {@link #waitForDigitOrRedirect} to return {@link WaitResult.Woken} soon, so the call
     * logic looks again (an agent was reserved, AMI went down). The only method another thread may call.
     * Asterisk cannot cut a wait short, so an implementation may wait in slices and return at the next slice's end.
     */
    default void wake() {
    }

    /** Says the digits one by one; returns the escape digit pressed, if any. */
    Optional<Character> sayDigits(String digits, String escapeDigits);

    /** Says a number; returns the escape digit pressed, if any. */
    Optional<Character> sayNumber(long number, String escapeDigits);

    /** Sets a channel variable. Allowed after hang-up. */
    void setVariable(String name, String value);

    /** A channel variable's value, empty when unset. Allowed after hang-up. */
    Optional<String> getVariable(String name);

    /** Evaluates an expression such as {@code ${CALLERID(num)}}; empty when it yields nothing. Allowed after hang-up. */
    Optional<String> getFullVariable(String expression);

    /**
     * Runs a dialplan application, e.g. {@code exec("Dial", "PJSIP/1001,20,tT", Duration.ofMinutes(60))}.
     * {@code maxDuration} bounds how long the application may run.
     *
     * @return the application's result code (0 for most applications on success)
     */
    int exec(String application, String args, Duration maxDuration);

    /** Starts music on hold in the background ({@code SET MUSIC ON}); {@code mohClass} may be empty for default. */
    void musicOn(String mohClass);

    /** Stops music on hold. */
    void musicOff();

    /** Records the caller to {@code file.format} until a digit in {@code escapeDigits}, silence or the time limit. */
    Recording recordFile(String file, String format, String escapeDigits, Duration maxDuration, Duration silence,
                         boolean beep);

    /** The channel's state. */
    ChannelState channelStatus();

    /** Writes a message to the Asterisk console at the given verbosity level (1–4). Allowed after hang-up. */
    void verbose(String message, int level);

    /**
     * Sends a raw command and returns Asterisk's reply as it is, without interpreting {@code -1} or
     * hang-up. For call logic that needs the wire's exact answer (e.g. a wait interrupted by a redirect).
     *
     * @param extraWait how long the command may take beyond the configured command timeout
     */
    AgiReply send(AgiCommand command, Duration extraWait);

    /** True once the caller hung up or the channel left this AGI (redirect). */
    boolean isHungUp();
}
