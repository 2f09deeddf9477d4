package dev.hotline.acd.boundaryfixture;

import dev.hotline.callbacks.boundaryfixture.ListensToTheAcd;

/** The other half of a cycle for GatewayBoundaryTest (with {@link ListensToTheAcd}). Test code, never used. */
public final class AsksTheCallbacks {

    static Class<?> other() {
        return ListensToTheAcd.class;
    }
}
