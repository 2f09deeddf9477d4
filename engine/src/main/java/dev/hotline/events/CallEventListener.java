package dev.hotline.events;

/** Receives {@link CallEvent}s. Called from call threads and the ACD loop: must be quick and must not block. */
@FunctionalInterface
public interface CallEventListener {

    void on(CallEvent event);
}
