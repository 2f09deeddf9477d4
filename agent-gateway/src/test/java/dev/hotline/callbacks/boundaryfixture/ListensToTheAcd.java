package dev.hotline.callbacks.boundaryfixture;

import dev.hotline.acd.Acd;

/**
 * A class of the callbacks' layer using the ACD above it, as {@code callbacks} did when call events lived in
 * {@code acd} (GatewayBoundaryTest shows the layer rule refuses it). Test code, never used.
 */
public final class ListensToTheAcd {

    static Class<?> other() {
        return dev.hotline.acd.boundaryfixture.AsksTheCallbacks.class;
    }

    static void listen(Acd acd) {
        acd.addListener(event -> { });
    }
}
