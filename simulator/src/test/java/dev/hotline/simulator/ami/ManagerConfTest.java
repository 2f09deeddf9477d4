package dev.hotline.simulator.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** manager.conf's read classes and eventfilters, applied as manager.c applies them. */
class ManagerConfTest {

    private static EventFilter parse(String... lines) {
        return ManagerConf.parse(List.of(lines), "manager.conf", "hotline");
    }

    private static AmiMessage event(String name, String privilege, String... headers) {
        AmiMessage.Builder b = AmiMessage.builder().add("Event", name).add("Privilege", privilege);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.add(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    @Test
    void aMissingUserSectionIsNamed() {
        assertThatThrownBy(() -> parse("[general]", "enabled = yes", "[other]", "read = all"))
                .hasMessage("manager.conf: no [hotline] section (the simulator's AMI user)");
    }

    @Test
    void badFiltersAreRefusedWithFileAndLine() {
        assertThatThrownBy(() -> parse("[hotline]", "eventfilter = Event: (Hangup"))
                .hasMessageStartingWith("manager.conf:2: eventfilter 'Event: (Hangup' is not a regular expression");
        assertThatThrownBy(() -> parse("[hotline]", "; comment", "eventfilter(action(drop),name(Hangup)) ="))
                .hasMessage("manager.conf:3: action(drop) (expected: include or exclude)");
        assertThatThrownBy(() -> parse("[hotline]", "eventfilter(name(Hangup),method(glob)) = x"))
                .hasMessageStartingWith("manager.conf:2: method(glob) (expected: regex, exact");
        assertThatThrownBy(() -> parse("[hotline]", "eventfilter(name(A),name(B)) ="))
                .hasMessage("manager.conf:2: name() given twice in eventfilter(name(A),name(B))");
        assertThatThrownBy(() -> parse("[hotline]", "eventfilter(nme(A)) ="))
                .hasMessageStartingWith("manager.conf:2: eventfilter(nme(A)) (expected: criteria");
        assertThatThrownBy(() -> parse("[hotline]", "read"))
                .hasMessage("manager.conf:2: 'read' (expected: key = value)");
    }

    @Test
    void noFiltersLetEveryEventOfTheReadClassesThrough() {
        EventFilter f = parse("[general]", "eventfilter = !Event: Hangup", "[hotline]", "read = call,system");
        assertThat(f.allows(event("Hangup", "call,all"))).as("[general] filters are not the user's").isTrue();
        assertThat(f.allows(event("FullyBooted", "system,all"))).isTrue();
        assertThat(f.allows(event("AGIExecStart", "agi,all"))).isFalse();
        assertThat(parse("[hotline]").allows(event("AGIExecStart", "agi,all"))).as("no read: every class").isTrue();
    }

    @Test
    void legacyExcludesDropMatchesOfTheWholeEventText() {
        EventFilter f = parse("[hotline]", "read = call", "eventfilter = !Event: VarSet",
                "eventfilter=!Variable: SECRET_.*");
        assertThat(f.allows(event("VarSet", "dialplan,all"))).isFalse();
        assertThat(f.allows(event("VarSet", "call,all", "Variable", "X"))).isFalse();
        assertThat(f.allows(event("Newstate", "call,all", "Variable", "SECRET_PIN"))).isFalse();
        assertThat(f.allows(event("Newstate", "call,all", "Variable", "PUBLIC"))).isTrue();
    }

    @Test
    void includesAloneLetOnlyTheirMatchesThroughAndExcludesStillApply() {
        EventFilter f = parse("[hotline](!)", "[hotline]", "read = call",
                "eventfilter(action(include),name(Hangup)) =",
                "eventfilter(name(DialEnd)) =   ; include is the default",
                "eventfilter(action(exclude),name(Hangup),header(Channel),method(starts_with)) = Local/");
        assertThat(f.allows(event("Hangup", "call,all", "Channel", "PJSIP/1001-0001"))).isTrue();
        assertThat(f.allows(event("Hangup", "call,all", "Channel", "Local/x@y-0001;1"))).isFalse();
        assertThat(f.allows(event("HangupRequest", "call,all"))).as("names are matched whole").isFalse();
        assertThat(f.allows(event("DialEnd", "call,all"))).isTrue();
        assertThat(f.allows(event("Newchannel", "call,all"))).isFalse();
    }

    @Test
    void advancedMethodsCompareAHeaderOrTheWholeEvent() {
        EventFilter f = parse("[hotline]",
                "eventfilter(name(Hangup),header(Cause),method(exact)) = 16",
                "eventfilter(header(Channel),method(ends_with)) = \\;2",
                "eventfilter(method(contains)) = Queue: sales",
                "eventfilter(name(Newstate),header(ChannelStateDesc),method(regex)) = ^(Up|Ring)$");
        assertThat(f.allows(event("Hangup", "call,all", "Cause", "16"))).isTrue();
        assertThat(f.allows(event("Hangup", "call,all", "Cause", "17"))).isFalse();
        assertThat(f.allows(event("Other", "call,all", "Channel", "Local/a-01;2"))).isTrue();
        assertThat(f.allows(event("Other", "call,all", "Channel", "Local/a-01;1"))).isFalse();
        assertThat(f.allows(event("Join", "call,all", "Queue", "sales"))).isTrue();
        assertThat(f.allows(event("Newstate", "call,all", "ChannelStateDesc", "Up"))).isTrue();
        assertThat(f.allows(event("Newstate", "call,all", "ChannelStateDesc", "Ringing"))).isFalse();
        assertThat(f.allows(event("Newstate", "call,all"))).as("header missing").isFalse();
    }
}
