/**
 * The engine's API: what the agent gateway (and any other front end) may use of a running engine, as narrow
 * interfaces and value records. {@link dev.hotline.api.EngineApi} gathers them; the engine implements it
 * ({@code HotlineEngine.api()}), and the gateway receives it in its constructor. Nothing here names the ACD, the
 * routing core, AMI or the records store: those stay behind the API ({@code GatewayBoundaryTest} fails the build
 * when the gateway reaches past it).
 */
package dev.hotline.api;
