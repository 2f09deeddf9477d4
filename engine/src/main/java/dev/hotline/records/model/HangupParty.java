package dev.hotline.records.model;

/** Who hung up first. */
public enum HangupParty { CALLER, AGENT, SYSTEM, UNKNOWN }
