package dev.hotline.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One dialling attempt, as recorded (table {@code outbound_attempt}).
 *
 * @param id          the attempt's id ({@code <contact id>-<attempt number>})
 * @param campaign    the campaign's id
 * @param contact     the contact's id
 * @param number      the number dialled
 * @param mode        the mode it was dialled in
 * @param startedAt   when the dial started (preview: when the agent chose to dial)
 * @param answeredAt  when a person or machine answered, if anyone did
 * @param endedAt     when it ended (the agent's wrap-up end for connected calls)
 * @param outcome     how it ended
 * @param amdResult   Asterisk's {@code AMDSTATUS} ({@code HUMAN}, {@code MACHINE}, {@code NOTSURE}…), empty without AMD
 * @param agent       the agent who took it (or to whom it was offered, in preview and progressive modes)
 * @param agentWait   how long the agent had been waiting for a call when this one reached them
 * @param talk        talk time (zero when not connected)
 * @param wrapUp      wrap-up time
 * @param disposition the agent's disposition code (may be empty)
 * @param rightParty  whether the disposition counts as a right-party contact
 */
public record Attempt(String id, String campaign, String contact, String number, DialMode mode, Instant startedAt,
                      Optional<Instant> answeredAt, Instant endedAt, Outcome outcome, String amdResult,
                      Optional<String> agent, Optional<Duration> agentWait, Duration talk, Duration wrapUp,
                      String disposition, boolean rightParty) {

    public Attempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(answeredAt, "answeredAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(amdResult, "amdResult");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(agentWait, "agentWait");
        Objects.requireNonNull(talk, "talk");
        Objects.requireNonNull(wrapUp, "wrapUp");
        Objects.requireNonNull(disposition, "disposition");
    }
}
