package dev.hotline.simulator.endpoint;

/** Device states as AMI spells them ({@code DeviceStateChange}, {@code DeviceStateList}). */
public enum DeviceState {
    NOT_INUSE, INUSE, RINGING, UNAVAILABLE
}
