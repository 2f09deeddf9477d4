package dev.hotline.ivr.lookup;

import com.fasterxml.jackson.databind.JsonNode;

/** Performs the HTTP requests of {@code lookup} nodes; the dry-run swaps in a stub. */
@FunctionalInterface
public interface LookupClient {

    /** The JSON answer, or an exception that says what went wrong (the node then takes {@code on_error}). */
    JsonNode fetch(LookupRequest request) throws LookupException;
}
