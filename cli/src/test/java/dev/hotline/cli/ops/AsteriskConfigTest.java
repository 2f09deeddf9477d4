package dev.hotline.cli.ops;

import dev.hotline.config.AgentConfig;
import dev.hotline.config.AmiServerConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueTarget;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-checks docker/asterisk/*.conf against what Hotline's own configuration and code expect: the AMI user and
 * its permissions, the FastAGI URLs and contexts, the agents' endpoints, the hold-music class.
 */
class AsteriskConfigTest {

    /**
     * Manager actions Hotline sends and the classes Asterisk registers each under (any one of them in the user's
     * {@code write} lets it through), from Asterisk's manager.c, app_mixmonitor.c and main/manager_*.c.
     */
    static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            Map.entry("Redirect", Set.of("call")),
            Map.entry("Originate", Set.of("originate")),
            Map.entry("Hangup", Set.of("system", "call")),
            Map.entry("CoreShowChannels", Set.of("system", "reporting")),
            Map.entry("DeviceStateList", Set.of("call", "reporting")),
            Map.entry("MixMonitor", Set.of("system", "call")),
            // on-demand stop and pause / resume of a call's recording (QA)
            Map.entry("StopMixMonitor", Set.of("system", "call")),
            Map.entry("MixMonitorMute", Set.of("system", "call")),
            Map.entry("BlindTransfer", Set.of("call")),
            Map.entry("Atxfer", Set.of("call")),
            // asterisk-java's version probe right after login
            Map.entry("CoreSettings", Set.of("system", "reporting")));

    /** Events Hotline consumes and their class (the user's {@code read} must include it). */
    /** The events the engine reads (dev.hotline.ami.AmiConnection) and their classes. */
    static final Map<String, String> EVENTS = Map.of(
            "Hangup", "call", "DialEnd", "call", "DeviceStateChange", "call", "OriginateResponse", "call",
            "AttendedTransfer", "call", "FullyBooted", "system");

    /** Classes the Hotline user must not have: they reach far beyond calls (CLI commands, config files, ...). */
    static final Set<String> NEVER = Set.of("all", "command", "config", "dialplan", "user", "security");

    static Set<String> classes(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------------------------------ manager.conf

    @Test
    void theAmiUserOfEveryConfigurationExistsInManagerConfAndListensWhereHotlineConnects() throws Exception {
        AsteriskConf manager = Repo.asterisk("manager.conf");
        AsteriskConf.Section general = manager.section("general");
        assertThat(general.value("enabled")).contains("yes");
        assertThat(general.value("webenabled")).contains("no");
        for (var e : Repo.configs().entrySet()) {
            assertThat(e.getValue().amiServers()).as(e.getKey()).isNotEmpty();
            for (AmiServerConfig ami : e.getValue().amiServers()) {
                assertThat(manager.has(ami.username()))
                        .as("%s: ami user '%s' has a [%s] section in manager.conf", e.getKey(), ami.username(),
                                ami.username())
                        .isTrue();
                assertThat(general.value("port")).as(e.getKey()).contains(String.valueOf(ami.port()));
                assertThat(general.value("bindaddr")).as("%s: manager.conf bindaddr", e.getKey())
                        .contains(ami.host());
            }
        }
    }

    @Test
    void theAmiUserHasEveryClassHotlineNeedsAndNothingBroader() throws Exception {
        AsteriskConf.Section user = Repo.asterisk("manager.conf").section(
                Repo.dockerConfig().amiServers().getFirst().username());
        Set<String> write = classes(user.value("write").orElse(""));
        Set<String> read = classes(user.value("read").orElse(""));
        ACTIONS.forEach((action, needs) -> assertThat(write)
                .as("write classes %s allow action %s (needs one of %s)", write, action, needs)
                .containsAnyElementsOf(needs));
        EVENTS.forEach((event, cls) -> assertThat(read).as("read classes deliver %s (%s)", event, cls).contains(cls));
        assertThat(write).as("write").doesNotContainAnyElementsOf(NEVER).doesNotContain("system");
        assertThat(read).as("read").doesNotContainAnyElementsOf(NEVER);
    }

    @Test
    void theAmiUserIsRestrictedToTheHotlineHostAndDropsNoisyEvents() throws Exception {
        AsteriskConf.Section user = Repo.asterisk("manager.conf").section(
                Repo.dockerConfig().amiServers().getFirst().username());
        assertThat(user.values("deny")).contains("0.0.0.0/0.0.0.0");
        // Hotline runs on the same host in the compose stack (host network): it connects from 127.0.0.1.
        assertThat(user.values("permit")).anySatisfy(p -> assertThat(permits(p, "127.0.0.1")).isTrue());
        assertThat(user.values("permit")).noneSatisfy(p -> assertThat(permits(p, "8.8.8.8")).isTrue());
        // The filters as the simulator applies them, which reads them as Asterisk 22 does (ManagerConf).
        dev.hotline.simulator.ami.EventFilter filter = dev.hotline.simulator.ami.ManagerConf.forUser(
                Repo.ASTERISK.resolve("manager.conf"), user.name());
        EVENTS.forEach((event, cls) -> assertThat(filter.allows(event(event, cls + ",all")))
                .as("%s reaches Hotline", event).isTrue());
        for (String dropped : List.of("VarSet", "Newexten", "RTCPSent", "Newchannel", "Newstate", "DialBegin",
                "BridgeEnter", "HangupRequest", "MusicOnHoldStart")) {
            assertThat(filter.allows(event(dropped, "call,all"))).as("%s dropped at the source", dropped).isFalse();
        }
        assertThat(filter.allows(event("AGIExecStart", "agi,all"))).as("class agi not read").isFalse();
    }

    private static dev.hotline.simulator.ami.AmiMessage event(String name, String privilege) {
        return dev.hotline.simulator.ami.AmiMessage.builder().add("Event", name).add("Privilege", privilege)
                .add("Channel", "PJSIP/1001-00000001").build();
    }

    @Test
    void secretsAreIncludedFromTheFilesTheAsteriskEntrypointWrites() {
        AsteriskConf manager = Repo.asterisk("manager.conf");
        AsteriskConf.Section user = manager.section("hotline");
        assertThat(user.value("secret")).as("no secret written in manager.conf").isEmpty();
        assertThat(user.includes()).containsExactly("secrets/manager_hotline.conf");
        String entrypoint = Repo.read(Repo.ASTERISK.resolve("entrypoint.sh"));
        assertThat(entrypoint).contains("secrets=/etc/asterisk/secrets")
                .contains("\"$secrets/manager_hotline.conf\"").contains("\"$secrets/pjsip_auth.conf\"")
                .contains("HOTLINE_AMI_SECRET");
        AsteriskConf pjsip = Repo.asterisk("pjsip.conf");
        List<String> includes = pjsip.sections().stream().flatMap(s -> s.includes().stream()).toList();
        assertThat(includes).contains("secrets/pjsip_auth.conf");
        assertThat(pjsip.ofType("auth")).as("no passwords in pjsip.conf").isEmpty();
        assertThat(Repo.read(Repo.ASTERISK.resolve("pjsip.conf"))).doesNotContainPattern("(?m)^\\s*password\\s*=");
    }

    // ------------------------------------------------------------------------------------------ extensions.conf

    @Test
    void theFastAgiAddressInTheDialplanIsWhereTheContainerConfigListensAndAsteriskIsAllowed() throws Exception {
        HotlineConfig c = Repo.dockerConfig();
        URI agi = URI.create(new Dialplan(Repo.asterisk("extensions.conf")).globals().get("HOTLINE_AGI"));
        assertThat(agi.getScheme()).isEqualTo("agi");
        assertThat(agi.getPort()).isEqualTo(c.agi().port()).isEqualTo(4573);
        InetAddress host = InetAddress.getByName(agi.getHost());
        assertThat(c.agi().bind()).satisfiesAnyOf(b -> assertThat(b).isEqualTo(agi.getHost()),
                b -> assertThat(b).isEqualTo("0.0.0.0"));
        // Asterisk shares the host's network with Hotline, so it connects from the address it dials.
        assertThat(c.agi().allow()).as("agi.allow admits Asterisk at %s", host)
                .anySatisfy(cidr -> assertThat(cidr.contains(host)).isTrue());
    }

    @Test
    void theInboundContextRunsTheMainMenuThenTheHandshakeDecidesFromTheMarkerNotFromAgistatus() throws Exception {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        List<Dialplan.Step> inbound = dp.steps("from-pstn");
        List<String> extens = inbound.stream().map(Dialplan.Step::exten).distinct().toList();
        assertThat(extens).contains("s");
        String server = dp.globals().get("HOTLINE_SERVER");
        for (String exten : extens) {
            List<Dialplan.Step> steps = dp.steps("from-pstn", exten);
            int agi = indexOf(steps, "AGI", "agi://127.0.0.1:4573/main-menu");
            assertThat(agi).as("from-pstn,%s runs AGI(agi://…:4573/main-menu): %s", exten, steps).isNotNegative();
            // The AMI connection Hotline uses for the call, and the call's id (no round trip to ask for it).
            assertThat(steps.get(agi).args()).contains("?server=" + server).contains("&call=${CHANNEL(linkedid)}");
            assertThat(steps.subList(0, agi)).as("resume learns where the call entered")
                    .anySatisfy(s -> assertThat(s.args()).isEqualTo("HOTLINE_ENTRY=main-menu"));
            assertThat(steps.get(agi + 1).args()).isEqualTo("hotline-return,s,1");
        }
        List<Dialplan.Step> handshake = dp.steps("hotline-return", "s");
        // First the marker: a call Hotline handed back on purpose goes where it says, whatever AGISTATUS is.
        assertThat(handshake.getFirst().app()).isEqualTo("GotoIf");
        assertThat(handshake.getFirst().args()).contains("${HOTLINE_HANDLED}").contains("\"1\"")
                .contains("hotline-outcome,s,1");
        // No marker: resume at this engine and at the other one, round after round, then the fallback queue.
        assertThat(handshake).anySatisfy(s -> assertThat(s.args())
                .isEqualTo("agi://127.0.0.1:4573/resume?server=" + server + "&call=${CHANNEL(linkedid)}"));
        String raw = Repo.read(Repo.ASTERISK.resolve("extensions.conf"));
        assertThat(raw).contains("AGI(${HOTLINE_AGI_OTHER}/resume?server=${HOTLINE_SERVER}&call=${CHANNEL(linkedid)})")
                .contains("${HOTLINE_RESUME_ROUNDS}]?hotline-fallback,s,1)");
        // AGISTATUS alone never sends a call to the fallback: only with no call id (Hotline never held the call).
        assertThat(handshake).filteredOn(s -> s.app().equals("GotoIf") && s.args().contains("AGISTATUS"))
                .isNotEmpty().allSatisfy(s -> assertThat(s.args()).contains("${HOTLINE_CALL_ID}"));
        assertThat(Integer.parseInt(dp.globals().get("HOTLINE_RESUME_ROUNDS"))).isPositive();
        assertThat(dp.globals()).containsKey("HOTLINE_AGI_OTHER");
        assertThat(dp.steps("hotline-fallback")).anySatisfy(s -> assertThat(s.app()).isIn("Queue", "Playback"));
        assertThat(Repo.dockerConfig().amiServers()).anySatisfy(a -> assertThat(a.id()).isEqualTo(server));
        assertThat(Repo.ROOT.resolve("ivr-scripts/main-menu.yaml")).exists();
        assertThat(Repo.read(Repo.ROOT.resolve("ivr-scripts/main-menu.yaml"))).contains("\nid: main-menu\n");
    }

    @Test
    void theConnectContextOfEveryConfigurationRunsTheConnectStepWithTheCallIdFromTheExtension() throws Exception {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        for (var e : Repo.configs().entrySet()) {
            String context = e.getValue().acd().connectContext();
            assertThat(dp.hasContext(context)).as("%s: acd.connect_context %s in extensions.conf", e.getKey(), context)
                    .isTrue();
            List<Dialplan.Step> steps = dp.steps(context);
            assertThat(steps.getFirst().app()).isEqualTo("AGI");
            assertThat(steps.getFirst().args())
                    .isEqualTo("agi://127.0.0.1:4573/connect?server=pbx1&call=${EXTEN}");
            // The redirect's extension is the call id: the pattern must take letters and digits.
            assertThat(steps.getFirst().exten()).startsWith("_[0-9a-zA-Z]");
            assertThat(steps.get(1).args()).isEqualTo("hotline-return,s,1");
        }
    }

    @Test
    void callsHotlineHandsBackGoToVoicemailOrTransferAndEveryBoxHotlineNamesExists() throws Exception {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        for (String context : List.of("from-pstn", "hotline-connect")) {
            assertThat(dp.steps(context)).as(context)
                    .anySatisfy(s -> assertThat(s.args()).isEqualTo("hotline-return,s,1"));
        }
        assertThat(dp.steps("hotline-return")).anySatisfy(s -> assertThat(s.args()).endsWith("?hotline-outcome,s,1"));
        List<Dialplan.Step> outcome = dp.steps("hotline-outcome", "s");
        assertThat(outcome).anySatisfy(s -> assertThat(s.args()).contains("\"fallback\"")
                .contains("hotline-fallback,s,1"));
        assertThat(outcome).anySatisfy(s -> assertThat(s.args()).contains("\"voicemail\""));
        assertThat(outcome).anySatisfy(s -> assertThat(s.args()).contains("\"transfer\"")
                .contains("hotline-transfer,${HOTLINE_TARGET},1"));
        assertThat(outcome).anySatisfy(s -> assertThat(s.app()).isEqualTo("VoiceMail"));
        assertThat(outcome).anySatisfy(s -> assertThat(s.args()).contains("${HOTLINE_TARGET}@hotline"));
        assertThat(dp.steps("hotline-transfer")).anySatisfy(s -> assertThat(s.app()).isEqualTo("Dial"));

        // Boxes: made by the entrypoint in [hotline] of voicemail.conf.
        assertThat(Repo.asterisk("voicemail.conf").section("hotline").includes())
                .containsExactly("secrets/voicemail_hotline.conf");
        Matcher list = Pattern.compile("HOTLINE_VOICEMAIL_BOXES:-([^}]*)}")
                .matcher(Repo.read(Repo.ASTERISK.resolve("entrypoint.sh")));
        assertThat(list.find()).isTrue();
        Set<String> boxes = Set.of(list.group(1).strip().split("\\s+"));
        Set<String> named = new HashSet<>();
        for (HotlineConfig c : Repo.configs().values()) {
            for (var q : c.queues()) {
                Stream.concat(Stream.of(q.onTimeout()), q.exitKeys().values().stream())
                        .filter(t -> t != null && t.kind() == QueueTarget.Kind.VOICEMAIL)
                        .forEach(t -> named.add(t.value()));
            }
        }
        try (Stream<Path> scripts = Files.list(Repo.ROOT.resolve("ivr-scripts"))) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher box = Pattern.compile("(?m)^\\s+box: \"?([^\"\\s]+)").matcher(Repo.read(script));
                while (box.find()) {
                    named.add(box.group(1));
                }
            }
        }
        assertThat(named).contains("100@hotline", "sales");
        for (String box : named) {
            String[] parts = box.split("@");
            assertThat(parts.length == 1 || parts[1].equals("hotline")).as("box %s is in [hotline]", box).isTrue();
            assertThat(boxes).as("voicemail box %s is made by the entrypoint", box).contains(parts[0]);
        }
        for (String box : boxes) {
            assertThat(dp.steps("agents")).as("agents can listen to box %s", box)
                    .anySatisfy(s -> assertThat(s.args()).isEqualTo(box + "@hotline"));
        }
    }

    @Test
    void theCallbackContextOfEveryConfigurationRunsTheCallbackStepWithTheCallbackIdFromTheExtension()
            throws Exception {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        for (var e : Repo.configs().entrySet()) {
            String context = e.getValue().acd().callback().context();
            assertThat(dp.hasContext(context)).as("%s: acd.callback.context %s in extensions.conf", e.getKey(),
                    context).isTrue();
            List<Dialplan.Step> steps = dp.steps(context);
            assertThat(steps.getFirst().app()).as("%s first step", context).isEqualTo("AGI");
            assertThat(steps.getFirst().args()).as("%s first step", context)
                    .isEqualTo("agi://127.0.0.1:4573/callback?id=${EXTEN}");
            // The Originate's extension is the callback id (a call id or a scheduled id): letters and digits.
            assertThat(steps.getFirst().exten()).as("%s extension pattern", context).startsWith("_[0-9a-zA-Z]");
            // Hotline dials the customer itself (EXEC Dial): a Dial here would ring the customer a second time.
            assertThat(steps).as("%s: no Dial of its own", context).noneMatch(s -> s.app().equals("Dial"));
            // The default trunk dial string goes through the trunk the dialplan names for outbound calls.
            assertThat(e.getValue().acd().callback().dialString("0612345678"))
                    .as("%s: acd.callback.trunk", e.getKey())
                    .isEqualTo("PJSIP/0612345678@" + dp.expand("${OUTBOUND_TRUNK}"));
        }
    }

    @Test
    void chanSpyContextExistsWithTheModesSupervisorsUse() {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        Map<String, String> modes = Map.of("listen", "qE", "whisper", "qEw", "barge", "qEB");
        modes.forEach((exten, options) -> assertThat(dp.steps("hotline-spy", exten))
                .as("hotline-spy,%s", exten)
                .anySatisfy(s -> {
                    assertThat(s.app()).isEqualTo("ChanSpy");
                    assertThat(s.args()).isEqualTo("${SPY_TARGET}," + options);
                }));
    }

    @Test
    void everyGotoTargetsAnExistingContext() {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        Pattern ctx = Pattern.compile("(?:^|[?:])([a-z][a-z0-9-]*),[^,)]+,[^,)]+");
        for (Dialplan.Step s : dp.all()) {
            if (!s.app().equals("Goto") && !s.app().equals("GotoIf")) {
                continue;
            }
            Matcher m = ctx.matcher(s.args());
            while (m.find()) {
                assertThat(dp.hasContext(m.group(1))).as("%s: context %s exists", s, m.group(1)).isTrue();
            }
        }
    }

    @Test
    void onlyTheInboundAndAgentContextsCanBeDialledFromPhones() {
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        AsteriskConf pjsip = Repo.asterisk("pjsip.conf");
        Set<String> used = new HashSet<>();
        for (AsteriskConf.Section ep : pjsip.ofType("endpoint")) {
            String context = pjsip.resolvedValue(ep, "context").orElse("default");
            assertThat(dp.hasContext(context)).as("[%s] context=%s exists", ep.name(), context).isTrue();
            used.add(context);
        }
        assertThat(used).containsExactlyInAnyOrder("agents", "from-pstn");
        // Nothing includes the AMI-only contexts either.
        assertThat(Repo.read(Repo.ASTERISK.resolve("extensions.conf"))).doesNotContainPattern("(?m)^\\s*include\\s*=>");
    }

    // ------------------------------------------------------------------------------------------ pjsip.conf & co

    @Test
    void everyAgentEndpointInAgentsYamlIsAPjsipEndpointWithAnAorAndAuth() throws Exception {
        AsteriskConf pjsip = Repo.asterisk("pjsip.conf");
        Set<String> endpoints = pjsip.ofType("endpoint").stream().map(AsteriskConf.Section::name)
                .collect(Collectors.toSet());
        Set<String> aors = pjsip.ofType("aor").stream().map(AsteriskConf.Section::name).collect(Collectors.toSet());
        List<AgentConfig> agents = Repo.agents();
        assertThat(agents).hasSizeGreaterThanOrEqualTo(12);
        for (AgentConfig a : agents) {
            for (String ep : a.endpoints()) {
                assertThat(ep).as("agent %s", a.id()).startsWith("PJSIP/");
                String name = ep.substring("PJSIP/".length());
                assertThat(endpoints).as("agent %s endpoint %s", a.id(), ep).contains(name);
                AsteriskConf.Section section = pjsip.ofType("endpoint").stream()
                        .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
                String aor = pjsip.resolvedValue(section, "aors").orElse("");
                assertThat(aors).as("aor of %s", name).contains(aor);
                assertThat(pjsip.resolvedValue(section, "auth")).as("auth of %s", name).contains(name + "-auth");
                assertThat(pjsip.resolvedValue(section, "context")).contains("agents");
            }
        }
    }

    @Test
    void aWebRtcEndpointAndTheSecureWebSocketItNeedsAreConfigured() {
        AsteriskConf pjsip = Repo.asterisk("pjsip.conf");
        assertThat(pjsip.ofType("endpoint"))
                .anySatisfy(ep -> assertThat(pjsip.resolvedValue(ep, "webrtc")).contains("yes"));
        assertThat(pjsip.ofType("transport"))
                .anySatisfy(t -> assertThat(pjsip.resolvedValue(t, "protocol")).contains("wss"));
        AsteriskConf.Section http = Repo.asterisk("http.conf").section("general");
        assertThat(http.value("tlsenable")).contains("yes");
        assertThat(http.value("tlscertfile").orElseThrow()).startsWith("/etc/asterisk/keys/");
        assertThat(Repo.asterisk("rtp.conf").section("general").value("icesupport")).contains("yes");
        // A browser registers anew at each page load: only the newest registration may ring.
        for (AsteriskConf.Section ep : pjsip.ofType("endpoint")) {
            if (pjsip.resolvedValue(ep, "webrtc").orElse("no").equals("yes")) {
                AsteriskConf.Section aor = pjsip.ofType("aor").stream()
                        .filter(a -> a.name().equals(pjsip.resolvedValue(ep, "aors").orElseThrow())).findFirst()
                        .orElseThrow();
                assertThat(pjsip.resolvedValue(aor, "max_contacts")).as("max_contacts of %s", aor.name()).contains("1");
                assertThat(pjsip.resolvedValue(aor, "remove_existing")).as("remove_existing of %s", aor.name())
                        .contains("yes");
            }
        }
    }

    @Test
    void theHoldMusicClassAndTheFallbackQueueExist() throws Exception {
        AsteriskConf moh = Repo.asterisk("musiconhold.conf");
        for (var e : Repo.configs().entrySet()) {
            String cls = e.getValue().acd().mohClass();
            assertThat(moh.has(cls.isEmpty() ? "default" : cls)).as("%s: acd.moh_class %s", e.getKey(), cls).isTrue();
        }
        AsteriskConf queues = Repo.asterisk("queues.conf");
        Dialplan dp = new Dialplan(Repo.asterisk("extensions.conf"));
        Set<String> endpoints = Repo.asterisk("pjsip.conf").ofType("endpoint").stream()
                .map(s -> "PJSIP/" + s.name()).collect(Collectors.toSet());
        for (Dialplan.Step s : dp.all()) {
            if (s.app().equals("Queue")) {
                String name = s.args().split(",")[0];
                AsteriskConf.Section q = queues.section(name);
                assertThat(q.values("member")).isNotEmpty().allSatisfy(m -> assertThat(endpoints).contains(m));
                assertThat(moh.has(q.value("musicclass").orElse("default"))).isTrue();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static int indexOf(List<Dialplan.Step> steps, String app, String argsPrefix) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).app().equals(app) && steps.get(i).args().startsWith(argsPrefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether manager.conf's {@code permit = ADDR/MASK} admits {@code ip} (dotted-quad masks or prefix lengths). */
    static boolean permits(String rule, String ip) {
        String[] parts = rule.split("/");
        long net = ipv4(parts[0]);
        long mask = parts.length < 2 ? 0xFFFFFFFFL
                : parts[1].contains(".") ? ipv4(parts[1])
                : (0xFFFFFFFFL << (32 - Integer.parseInt(parts[1]))) & 0xFFFFFFFFL;
        return (ipv4(ip) & mask) == (net & mask);
    }

    static long ipv4(String dotted) {
        long v = 0;
        for (String octet : dotted.strip().split("\\.")) {
            v = (v << 8) | Integer.parseInt(octet);
        }
        return v;
    }
}
