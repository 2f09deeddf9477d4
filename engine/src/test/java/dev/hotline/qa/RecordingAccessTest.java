package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static dev.hotline.qa.RecordingAccess.Kind.ADMIN;
import static dev.hotline.qa.RecordingAccess.Kind.AGENT;
import static dev.hotline.qa.RecordingAccess.Kind.QA;
import static dev.hotline.qa.RecordingAccess.Kind.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

class RecordingAccessTest {

    static final RecordingAccess.Rules DEFAULTS = new RecordingAccess.Rules(true, Set.of(QA, ADMIN));
    static final RecordingAccess.Viewer ALICE = new RecordingAccess.Viewer(AGENT, Optional.of("1001"),
            Set.of("team-a"));
    static final RecordingAccess.Viewer SAM = new RecordingAccess.Viewer(SUPERVISOR, Optional.empty(),
            Set.of("team-a"));
    static final RecordingAccess.Viewer QUINN = new RecordingAccess.Viewer(QA, Optional.empty(), Set.of());

    private static RecordingAccess.Verdict play(RecordingAccess.Viewer v, String agent, String team,
                                                RecordingAccess.Rules rules) {
        return RecordingAccess.play(v, Optional.ofNullable(agent), team == null ? Set.of() : Set.of(team), rules);
    }

    @Test
    void qaHearsEveryCallASupervisorTheirTeamsAndAnAgentTheirOwn() {
        assertThat(play(QUINN, "1004", "team-b", DEFAULTS).allowed()).isTrue();
        assertThat(play(SAM, "1002", "team-a", DEFAULTS).allowed()).isTrue();
        assertThat(play(SAM, "1004", "team-b", DEFAULTS)).isEqualTo(new RecordingAccess.Verdict(false,
                "the call was answered by agent 1004 (teams [team-b]), not by an agent of your teams [team-a]"));
        assertThat(play(ALICE, "1001", "team-a", DEFAULTS).allowed()).isTrue();
        assertThat(play(ALICE, "1002", "team-a", DEFAULTS)).isEqualTo(new RecordingAccess.Verdict(false,
                "agent 1001 may hear only their own calls (this one was answered by 1002)"));
    }

    @Test
    void agentsHearNothingWhenTheSiteSaysSo() {
        RecordingAccess.Rules closed = new RecordingAccess.Rules(false, Set.of(QA, ADMIN));
        assertThat(play(ALICE, "1001", "team-a", closed)).isEqualTo(new RecordingAccess.Verdict(false,
                "agents may not hear recordings here (qa.agents_hear_own: false)"));
        assertThat(RecordingAccess.scope(ALICE, closed)).isInstanceOf(RecordingAccess.Scope.Nothing.class);
        assertThat(RecordingAccess.scope(ALICE, DEFAULTS)).isEqualTo(new RecordingAccess.Scope.Agent("1001"));
        assertThat(RecordingAccess.scope(SAM, DEFAULTS)).isEqualTo(new RecordingAccess.Scope.Teams(Set.of("team-a")));
    }

    @Test
    void aCallNobodyAnsweredIsOnlyForQa() {
        assertThat(play(SAM, null, null, DEFAULTS).allowed()).isFalse();
        assertThat(play(ALICE, null, null, DEFAULTS).allowed()).isFalse();
        assertThat(play(QUINN, null, null, DEFAULTS).allowed()).isTrue();
    }

    @Test
    void downloadingNeedsTheRightToHearAndADownloadRole() {
        assertThat(RecordingAccess.download(QUINN, Optional.of("1004"), Set.of("team-b"), DEFAULTS).allowed()).isTrue();
        assertThat(RecordingAccess.download(SAM, Optional.of("1002"), Set.of("team-a"), DEFAULTS))
                .isEqualTo(new RecordingAccess.Verdict(false, "role supervisor may listen but not download"
                        + " (qa.download_roles: [admin, qa])"));
        RecordingAccess.Rules supervisorsToo = new RecordingAccess.Rules(true, Set.of(QA, SUPERVISOR));
        assertThat(RecordingAccess.download(SAM, Optional.of("1002"), Set.of("team-a"), supervisorsToo).allowed())
                .isTrue();
        assertThat(RecordingAccess.download(SAM, Optional.of("1004"), Set.of("team-b"), supervisorsToo).allowed())
                .as("hearing comes first").isFalse();
    }
}
