package dev.hotline.qa;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may hear and download which call's recording: QA staff and admins every call's; a supervisor the calls of
 * the agents of their teams; an agent their own calls when {@code qa.agents_hear_own} allows it. Downloading needs
 * the right to hear plus a role listed in {@code qa.download_roles}. The gateway asks here for every play and
 * download and audits both answers.
 */
public final class RecordingAccess {

    private RecordingAccess() {
    }

    /** The person asking, as far as recordings are concerned. */
    public enum Kind {
        AGENT, SUPERVISOR, QA, ADMIN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param kind    their role
     * @param agentId an agent's work number
     * @param teams   a supervisor's teams
     */
    public record Viewer(Kind kind, Optional<String> agentId, Set<String> teams) {
        public Viewer {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(agentId, "agentId");
            teams = Set.copyOf(teams);
        }
    }

    /**
     * @param agentsHearOwn agents may play their own calls
     * @param download      roles that may download (besides hearing)
     */
    public record Rules(boolean agentsHearOwn, Set<Kind> download) {
        public Rules {
            download = Set.copyOf(download);
        }
    }

    /** Allowed, or refused with the reason (for the 403 and the audit). */
    public record Verdict(boolean allowed, String reason) {
        static Verdict yes(String why) {
            return new Verdict(true, why);
        }

        static Verdict no(String why) {
            return new Verdict(false, why);
        }
    }

    /** Which calls a viewer may find and hear. */
    public sealed interface Scope {
        /** Every call. */
        record All() implements Scope {
        }

        /** Calls answered by an agent of these teams. */
        record Teams(Set<String> teams) implements Scope {
        }

        /** Calls answered by this agent. */
        record Agent(String agentId) implements Scope {
        }

        /** None. */
        record Nothing(String reason) implements Scope {
        }
    }

    public static Scope scope(Viewer v, Rules rules) {
        return switch (v.kind()) {
            case QA, ADMIN -> new Scope.All();
            case SUPERVISOR -> v.teams().isEmpty() ? new Scope.Nothing("a supervisor without teams hears no call")
                    : new Scope.Teams(v.teams());
            case AGENT -> !rules.agentsHearOwn() ? new Scope.Nothing("agents may not hear recordings here"
                    + " (qa.agents_hear_own: false)") : v.agentId().<Scope>map(Scope.Agent::new)
                    .orElse(new Scope.Nothing("an agent user without a work number"));
        };
    }

    /**
     * May {@code v} hear the call answered by {@code callAgent} (empty: no agent answered), whose agent is now in
     * {@code callAgentTeams}?
     */
    public static Verdict play(Viewer v, Optional<String> callAgent, Set<String> callAgentTeams, Rules rules) {
        return switch (scope(v, rules)) {
            case Scope.All all -> Verdict.yes(v.kind().wireName() + " hears every call");
            case Scope.Nothing n -> Verdict.no(n.reason());
            case Scope.Agent a -> callAgent.equals(Optional.of(a.agentId())) ? Verdict.yes("the agent's own call")
                    : Verdict.no("agent " + a.agentId() + " may hear only their own calls (this one was answered by "
                    + callAgent.orElse("nobody") + ")");
            case Scope.Teams t -> callAgent.isPresent() && callAgentTeams.stream().anyMatch(t.teams()::contains)
                    ? Verdict.yes("a call of the supervisor's team")
                    : Verdict.no("the call was answered by " + callAgent.map(a -> "agent " + a + " (teams "
                    + callAgentTeams.stream().sorted().toList() + ")").orElse("nobody") + ", not by an agent of your"
                    + " teams " + t.teams().stream().sorted().toList());
        };
    }

    /** May {@code v} download that call's recording: hear it, and hold a download role. */
    public static Verdict download(Viewer v, Optional<String> callAgent, Set<String> callAgentTeams, Rules rules) {
        Verdict hear = play(v, callAgent, callAgentTeams, rules);
        if (!hear.allowed()) {
            return hear;
        }
        return rules.download().contains(v.kind()) ? Verdict.yes(hear.reason() + "; " + v.kind().wireName()
                + " may download") : Verdict.no("role " + v.kind().wireName() + " may listen but not download"
                + " (qa.download_roles: " + rules.download().stream().map(Kind::wireName).sorted().toList() + ")");
    }
}
