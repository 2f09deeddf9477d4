package dev.hotline.simulator.model;

/** Whatever currently runs on a channel (an AGI session, a Dial, an application) and must react to a soft hangup. */
public interface ChannelOwner {

    /**
     * The channel was hung up or redirected ({@link SimChannel#isSoftHungUp()}). The owner ends what it is doing
     * and, once done, hands the channel back with {@link SimChannel#release}.
     */
    void onSoftHangup();

    /** The caller pressed a DTMF digit; owners that do not listen for digits ignore it (Asterisk drops it). */
    default void onDtmf(char digit) {
    }
}
