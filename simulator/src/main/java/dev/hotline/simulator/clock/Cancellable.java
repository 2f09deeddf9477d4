package dev.hotline.simulator.clock;

/** A scheduled task that can still be called off. Cancelling a task that already ran does nothing. */
@FunctionalInterface
public interface Cancellable {

    Cancellable NONE = () -> { };

    void cancel();
}
