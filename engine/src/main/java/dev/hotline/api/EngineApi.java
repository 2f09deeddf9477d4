package dev.hotline.api;

import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.HotlineConfig;
import dev.hotline.outbound.Outbound;
import dev.hotline.qa.service.QaService;

import java.util.Optional;

/**
 * A running engine as its front ends see it. Each part is read through on every call (a part that starts late, such
 * as the callback dialler once the database answers, appears when it is there).
 */
public interface EngineApi {

    /** The engine's configuration as loaded (read-only records). */
    HotlineConfig config();

    /** The engine's one scheduler for periodic and retry work (front ends' refreshes run on it too). */
    dev.hotline.schedule.Scheduler scheduler();

    /** Agents' log-in, state and the directory's view of them. */
    AgentControl agents();

    /** What an agent or a supervisor does to a call. */
    CallActions calls();

    /** Events and state for live views: call events, agent changes, queues, waiting calls with their estimate. */
    LiveBoard board();

    /** Directory, calendars, IVR scripts and the users' storage. */
    Administration admin();

    /** The engine's health and metrics. */
    Health health();

    /** The call records' reports; empty when the engine keeps no records. */
    Optional<CallReports> reports();

    /** Active / standby role of a pair (a single engine is always active). */
    HaStatus ha();

    /** Quality assurance: recordings, scorecards, sampling, the quality report. */
    QaService qa();

    /** Queued and scheduled callbacks, once started. */
    Optional<Callbacks> callbacks();

    /** Outbound campaigns, once started. */
    Optional<Outbound> outbound();
}
