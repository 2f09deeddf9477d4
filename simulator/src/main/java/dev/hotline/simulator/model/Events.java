package dev.hotline.simulator.model;

import dev.hotline.simulator.ami.AmiMessage;

/** Small helpers to start AMI events the way manager.c does ({@code Event}, then {@code Privilege}). */
public final class Events {

    private Events() {
    }

    public static AmiMessage.Builder event(String name, String privilege) {
        return AmiMessage.builder().add("Event", name).add("Privilege", privilege);
    }

    public static AmiMessage deviceStateChange(String device, String state) {
        return event("DeviceStateChange", "call,all").add("Device", device).add("State", state).build();
    }
}
