package dev.hotline.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.CallbackConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.ivr.calendar.BusinessCalendar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users and calendars from the admin API, over real HTTP, against a real engine on its embedded (H2) database; and
 * the configured disposition codes. The users start from a seed list, as from the users file.
 */
@Tag("slow")
class UsersCalendarsApiTest {

    private static final Map<String, Integer> SALES = Map.of("sales", 5);
    /** 2026-03-02 is a Monday. */
    static final Instant MONDAY_NOON = Instant.parse("2026-03-02T12:00:00Z");
    static final String PW = "seed-Passw0rd";

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static Gateway gateway;
    static UserStore users;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(dir.resolve("calendars/office.yaml"), "time_zone: UTC\nweekly:\n  daily: 09:00-17:00\n");
        live = TestGateway.in(dir)
                .acd(acd -> acd.withCallback(new CallbackConfig("hotline-callback",
                        "PJSIP/{number}@trunk", Duration.ofSeconds(30), 3, Duration.ofMinutes(10),
                        Optional.of("office"), Duration.ofHours(1), "")))
                .agents(agent("1001", "team-a", SALES), agent("1002", "team-a", SALES), agent("1003", "team-b", SALES))
                .password(PW).usersInDatabase()
                .agentUser("alice", "1001", "team-a").supervisor("sam", "team-a").admin("root").admin("ops")
                .gateway(gc -> gc.withDispositionCodes(List.of("sale", "no-sale", "call-back")))
                .start();
        engine = live.engine();
        gateway = live.gateway();
        users = gateway.users();
        api = live.client();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    static void assertField(Reply r, String field, String detailPart) {
        assertError(r, 400, detailPart);
        assertThat(r.json().get("field").asText()).isEqualTo(field);
    }

    // ------------------------------------------------------------------------------------------ roles

    static final List<String[]> ADMIN_ONLY = List.of(
            new String[] {"GET", "/api/users", null},
            new String[] {"GET", "/api/users/alice", null},
            new String[] {"POST", "/api/users", "{\"username\":\"x1\",\"password\":\"Long-enough-1\",\"role\":\"admin\"}"},
            new String[] {"PATCH", "/api/users/alice", "{\"teams\":[\"team-b\"]}"},
            new String[] {"POST", "/api/users/alice/password", "{\"password\":\"Long-enough-1\"}"},
            new String[] {"POST", "/api/users/alice/disable", "{}"},
            new String[] {"POST", "/api/users/alice/enable", "{}"},
            new String[] {"GET", "/api/calendars", null},
            new String[] {"GET", "/api/calendars/office", null},
            new String[] {"PUT", "/api/calendars/guarded", "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}"},
            new String[] {"POST", "/api/calendars/guarded/disable", "{}"},
            new String[] {"POST", "/api/calendars/guarded/enable", "{}"});

    @Test
    void everyUserAndCalendarEndpointIsForAdminsOnly() throws Exception {
        String alice = api.login("alice");
        String sam = api.login("sam");
        for (String[] e : ADMIN_ONLY) {
            assertError(api.call(e[0], e[1], null, e[2]), 401, "token");
            assertError(api.call(e[0], e[1], "forged", e[2]), 401, "token");
            assertError(api.call(e[0], e[1], alice, e[2]), 403, "role agent");
            assertError(api.call(e[0], e[1], sam, e[2]), 403, "role supervisor");
        }
        // Nothing was changed by the refused requests.
        assertThat(users.account("alice").orElseThrow().user().teams()).containsExactly("team-a");
        assertThat(users.account("x1")).isEmpty();
        assertThat(engine.calendars().find("guarded")).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ users

    @Test
    void theSeedUsersAreImportedAndListedWithoutPasswords() throws Exception {
        Reply r = api.call("GET", "/api/users", api.login("root"), null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("writable").asBoolean()).isTrue();
        assertThat(r.json().get("users").findValuesAsText("username")).contains("alice", "sam", "root", "ops");
        JsonNode alice = api.call("GET", "/api/users/alice", api.login("root"), null).json();
        assertThat(alice.get("origin").asText()).isEqualTo("file");
        assertThat(alice.get("enabled").asBoolean()).isTrue();
        assertThat(alice.get("agentId").asText()).isEqualTo("1001");
        assertThat(r.text()).doesNotContain("$2a$").doesNotContain("password");
        assertError(api.call("GET", "/api/users/nobody", api.login("root"), null), 404, "no user 'nobody'");
    }

    @Test
    void anAdminCreatesAUserWhoCanLogInAndTheChangeIsPersistedAndAudited() throws Exception {
        String root = api.login("root");
        Reply created = api.call("POST", "/api/users", root, "{\"username\":\"bruno\",\"password\":\"Kestrel-pass-42\","
                + "\"role\":\"agent\",\"agentId\":\"1002\",\"teams\":[\"team-a\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("origin").asText()).isEqualTo("admin");
        assertThat(created.json().get("updatedBy").asText()).isEqualTo("root");
        assertThat(created.text()).doesNotContain("Kestrel-pass-42").doesNotContain("$2a$");
        String bruno = api.login("bruno", "Kestrel-pass-42");
        assertThat(api.call("GET", "/api/me", bruno, null).json().get("agentId").asText()).isEqualTo("1002");

        // In the table: a store reading the same database (a restarted gateway) has it; the file cannot override it.
        UserStore again = UserStore.withDatabase(List.of(new User("bruno", Passwords.hash("other-Passw0rd", 4),
                Role.ADMIN, Optional.empty(), Set.of())), engine.api().admin().userStorage().orElseThrow(), InstantSource.system(), 4);
        assertThat(again.reload()).isTrue();
        assertThat(again.account("bruno").orElseThrow().user().role()).isEqualTo(Role.AGENT);
        assertThat(again.account("bruno").orElseThrow().origin()).isEqualTo("admin");

        assertError(api.call("POST", "/api/users", root, "{\"username\":\"bruno\",\"password\":\"Kestrel-pass-42\","
                + "\"role\":\"admin\"}"), 409, "exists already");
        assertThat(gateway.audit().recent()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("user.create");
            assertThat(e.target()).isEqualTo("bruno");
            assertThat(e.actor()).isEqualTo("root");
            assertThat(e.detail()).contains("role=agent").doesNotContain("Kestrel-pass-42");
        });
    }

    @Test
    void badUserBodiesAreRefusedNamingTheField() throws Exception {
        String root = api.login("root");
        String ok = "\"password\":\"Good-enough-7\"";
        assertField(api.call("POST", "/api/users", root, "{" + ok + ",\"role\":\"admin\"}"), "username",
                "field 'username' is missing");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"Bad Name\"," + ok + ",\"role\":\"admin\"}"),
                "username", "expected: 1-32 of a-z");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\",\"password\":\"short1A\","
                + "\"role\":\"admin\"}"), "password", "has 7 characters (expected: at least 10)");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\",\"password\":\"abcdefghijkl\","
                + "\"role\":\"admin\"}"), "password", "one kind of character");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"walter\",\"password\":\"walter-2026!\","
                + "\"role\":\"admin\"}"), "password", "contains the username");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok + ",\"role\":\"boss\"}"), "role",
                "expected: agent, supervisor, qa or admin");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok + ",\"role\":\"agent\"}"),
                "agentId", "an agent user needs one");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok
                + ",\"role\":\"agent\",\"agentId\":\"9999\"}"), "agentId", "not a configured agent");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok + ",\"role\":\"supervisor\"}"),
                "teams", "the teams this supervisor oversees");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok
                + ",\"role\":\"supervisor\",\"teams\":\"team-a\"}"), "teams", "expected: a list of team names");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok
                + ",\"role\":\"supervisor\",\"teams\":[\"a,b\"]}"), "teams", "teams[0]");
        assertField(api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok + ",\"role\":\"admin\","
                + "\"password_hash\":\"x\"}"), "password_hash", "unknown field 'password_hash'");
        assertError(api.call("POST", "/api/users", root, "[]"), 400, "expected: a JSON object");
        Reply taken = api.call("POST", "/api/users", root, "{\"username\":\"u1\"," + ok
                + ",\"role\":\"agent\",\"agentId\":\"1001\"}");
        assertError(taken, 409, "agent 1001 is already user 'alice'");
        assertField(api.call("PATCH", "/api/users/alice", root, "{\"role\":\"king\"}"), "role", "expected: agent");
        assertError(api.call("PATCH", "/api/users/alice", root, "{}"), 400, "nothing to change");
        assertField(api.call("PATCH", "/api/users/alice", root, "{\"password\":\"Long-enough-1\"}"), "password",
                "unknown field 'password'");
        assertField(api.call("PATCH", "/api/users/alice", root, "{\"agentId\":null}"), "agentId", "needs one");
        assertError(api.call("PATCH", "/api/users/ghost", root, "{\"role\":\"admin\"}"), 404, "no user 'ghost'");
        assertField(api.call("POST", "/api/users/alice/password", root, "{\"password\":\"aaaaaaaaaaaa1\"}"), "password",
                "more than 3 different characters");
        assertError(api.call("POST", "/api/users/alice/disable", root, "{\"now\":true}"), 400, "unknown field 'now'");
        assertThat(users.account("u1")).isEmpty();
    }

    @Test
    void aChangedRoleAppliesToTheTokenAlreadyIssued() throws Exception {
        String root = api.login("root");
        api.call("POST", "/api/users", root,
                "{\"username\":\"vera\",\"password\":\"Heron-pass-77\",\"role\":\"supervisor\","
                + "\"teams\":[\"team-a\"]}");
        String vera = api.login("vera", "Heron-pass-77");
        assertThat(api.call("GET", "/api/teams", vera, null).json().get("teams").toString()).isEqualTo("[\"team-a\"]");
        Reply changed = api.call("PATCH", "/api/users/vera", root, "{\"teams\":[\"team-b\"]}");
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(api.call("GET", "/api/teams", vera, null).json().get("teams").toString()).isEqualTo("[\"team-b\"]");
        assertError(api.call("GET", "/api/users", vera, null), 403, "role supervisor");
        api.call("PATCH", "/api/users/vera", root, "{\"role\":\"admin\"}");
        assertThat(api.call("GET", "/api/users", vera, null).status()).isEqualTo(200);
        assertThat(gateway.audit().recent()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("user.change");
            assertThat(e.detail()).contains("role supervisor -> admin");
        });
    }

    @Test
    void aDisabledUsersTokenStopsAtOnceAndEnablingLetsThemBackIn() throws Exception {
        String root = api.login("root");
        api.call("POST", "/api/users", root,
                "{\"username\":\"dora\",\"password\":\"Plover-pass-11\",\"role\":\"agent\","
                + "\"agentId\":\"1003\",\"teams\":[\"team-b\"]}");
        String dora = api.login("dora", "Plover-pass-11");
        assertThat(api.call("GET", "/api/me", dora, null).status()).isEqualTo(200);
        Reply off = api.call("POST", "/api/users/dora/disable", root, "{}");
        assertThat(off.status()).as(off.text()).isEqualTo(200);
        assertThat(off.json().get("enabled").asBoolean()).isFalse();
        assertError(api.call("GET", "/api/me", dora, null), 401, "token");
        assertError(api.call("POST", "/api/login", null, "{\"username\":\"dora\",\"password\":\"Plover-pass-11\"}"),
                401,
                "unknown username or wrong password");
        assertThat(api.call("GET", "/api/users/dora", root, null).json().get("enabled").asBoolean()).isFalse();
        // A disabled agent's work number is free for another user.
        Reply other = api.call("POST", "/api/users", root, "{\"username\":\"dan\",\"password\":\"Osprey-pass-1234\","
                + "\"role\":\"agent\",\"agentId\":\"1003\"}");
        assertThat(other.status()).as(other.text()).isEqualTo(201);
        api.call("POST", "/api/users/dan/disable", root, "{}");

        assertThat(api.call("POST", "/api/users/dora/enable", root, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/me", api.login("dora", "Plover-pass-11"), null).status()).isEqualTo(200);
        assertThat(gateway.audit().recent()).extracting(e -> e.action() + " " + e.target())
                .contains("user.disable dora", "user.enable dora");
    }

    @Test
    void aPasswordResetEndsTheOldTokensAndOnlyTheNewPasswordWorks() throws Exception {
        String root = api.login("root");
        api.call("POST", "/api/users", root,
                "{\"username\":\"pete\",\"password\":\"Grebe-pass-11\",\"role\":\"admin\"}");
        String pete = api.login("pete", "Grebe-pass-11");
        Reply reset = api.call("POST", "/api/users/pete/password", root, "{\"password\":\"New-secret-99\"}");
        assertThat(reset.status()).as(reset.text()).isEqualTo(200);
        assertError(api.call("GET", "/api/me", pete, null), 401, "token");
        assertError(api.call("POST", "/api/login", null, "{\"username\":\"pete\",\"password\":\"Grebe-pass-11\"}"), 401,
                "wrong password");
        api.login("pete", "New-secret-99");
        assertThat(gateway.audit().recent()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("user.password-reset");
            assertThat(e.target()).isEqualTo("pete");
            assertThat(e.detail()).doesNotContain("New-secret-99");
        });
    }

    @Test
    void anAdminCannotDisableThemselvesNorTheLastAdmin() throws Exception {
        String root = api.login("root");
        assertError(api.call("POST", "/api/users/root/disable", root, "{}"), 409, "cannot disable yourself");
        api.call("POST", "/api/users", root,
                "{\"username\":\"solo\",\"password\":\"Curlew-pass-11\",\"role\":\"admin\"}");
        String solo = api.login("solo", "Curlew-pass-11");
        // Every other admin disabled, one at a time, by solo; then solo is the last one.
        List<String> disabled = new java.util.ArrayList<>();
        for (var a : users.accounts()) {
            if (a.enabled() && a.user().role() == Role.ADMIN && !a.username().equals("solo")) {
                assertThat(api.call("POST", "/api/users/" + a.username() + "/disable", solo,
                        "{}").status()).isEqualTo(200);
                disabled.add(a.username());
            }
        }
        assertThat(disabled).contains("root", "ops");
        assertError(api.call("PATCH", "/api/users/solo", solo, "{\"role\":\"agent\",\"agentId\":\"1002\"}"), 409,
                "last enabled admin");
        assertError(api.call("POST", "/api/users/solo/disable", solo, "{}"), 409, "cannot disable yourself");
        assertThat(users.find("solo").orElseThrow().role()).isEqualTo(Role.ADMIN);
        // Restore for the other tests.
        for (String name : disabled) {
            assertThat(api.call("POST", "/api/users/" + name + "/enable", solo, "{}").status()).isEqualTo(200);
        }
        api.call("POST", "/api/users/solo/disable", api.login("root"), "{}");
    }

    // ------------------------------------------------------------------------------------------ calendars

    static final String CLOSED_ALL_WEEK = "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}";

    @Test
    void aSavedCalendarReplacesTheFileForIvrAndCallbacksUntilDisabled() throws Exception {
        String root = api.login("root");
        JsonNode list = api.call("GET", "/api/calendars", root, null).json();
        JsonNode office = list.get("calendars").get(0);
        assertThat(office.get("name").asText()).isEqualTo("office");
        assertThat(office.get("inEffect").asText()).isEqualTo("file");
        assertThat(office.get("usedBy").toString()).contains("acd.callback.calendar");
        assertThat(engine.callbacks().orElseThrow().callingHours(MONDAY_NOON)).isTrue();

        Reply saved = api.call("PUT", "/api/calendars/office", root, CLOSED_ALL_WEEK);
        assertThat(saved.status()).as(saved.text()).isEqualTo(201);
        assertThat(saved.json().get("inEffect").asText()).isEqualTo("database");
        assertThat(engine.ivr().current().calendar("office").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.CLOSED);
        assertThat(engine.callbacks().orElseThrow().callingHours(MONDAY_NOON)).isFalse();
        JsonNode view = api.call("GET", "/api/calendars/office", root, null).json();
        assertThat(view.get("definitionFrom").asText()).isEqualTo("database");
        assertThat(view.get("definition").get("weekly").get("monday").asText()).isEqualTo("closed");
        assertThat(view.get("database").get("updatedBy").asText()).isEqualTo("root");

        // Disabling brings the file back; the file calendar can be disabled even though it is used.
        Reply off = api.call("POST", "/api/calendars/office/disable", root, "{}");
        assertThat(off.status()).as(off.text()).isEqualTo(200);
        assertThat(off.json().get("inEffect").asText()).isEqualTo("file");
        assertThat(engine.callbacks().orElseThrow().callingHours(MONDAY_NOON)).isTrue();
        assertThat(api.call("GET", "/api/calendars/office", root, null).json().get("definition").get("weekly")
                .get("monday").asText()).isEqualTo("closed");
        assertThat(api.call("POST", "/api/calendars/office/enable", root, "{}").status()).isEqualTo(200);
        assertThat(engine.callbacks().orElseThrow().callingHours(MONDAY_NOON)).isFalse();
        Reply back = api.call("PUT", "/api/calendars/office", root, "{\"time_zone\":\"UTC\",\"weekly\":"
                + "{\"daily\":\"09:00-17:00\"},\"holidays\":[\"2026-12-25\"]}");
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(engine.callbacks().orElseThrow().callingHours(MONDAY_NOON)).isTrue();
        assertThat(gateway.audit().recent()).extracting(e -> e.action() + " " + e.target())
                .contains("calendar.create office", "calendar.disable office", "calendar.enable office",
                        "calendar.change office");
    }

    @Test
    void aScriptCanUseACalendarCreatedFromTheApiWhichThenCannotBeDisabled() throws Exception {
        String root = api.login("root");
        String script = "id: hours-test\nentry: h\nnodes:\n  h: {type: hours, calendar: support, open: bye,"
                + " closed: bye}\n  bye: {type: hangup}\n";
        Reply refused = api.callText("PUT", "/api/ivr/hours-test", root, "text/yaml", script);
        assertError(refused, 422, "unknown calendar \"support\"");
        Reply created = api.call("PUT", "/api/calendars/support", root, "{\"time_zone\":\"Europe/Paris\",\"weekly\":"
                + "{\"weekdays\":[\"08:00-12:00\",\"13:00-18:00\"],\"saturday\":\"09:00-12:00\"},"
                + "\"special\":[{\"date\":\"2026-12-24\",\"hours\":\"09:00-12:00\"}]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.json().get("timeZone").asText()).isEqualTo("Europe/Paris");
        Reply published = api.callText("PUT", "/api/ivr/hours-test", root, "text/yaml", script);
        assertThat(published.status()).as(published.text()).isEqualTo(200);
        assertThat(engine.ivr().current().script("hours-test")).isPresent();
        JsonNode view = api.call("GET", "/api/calendars/support", root, null).json();
        assertThat(view.get("file").asBoolean()).isFalse();
        assertThat(view.get("usedBy").toString()).contains("script hours-test node h");
        assertThat(view.path("definition").path("tuesday").isMissingNode()).isTrue();
        assertThat(view.get("definition").get("weekly").get("tuesday").toString())
                .isEqualTo("[\"08:00-12:00\",\"13:00-18:00\"]");
        assertError(api.call("POST", "/api/calendars/support/disable", root, "{}"), 409,
                "used by script hours-test node h");
        assertThat(engine.ivr().current().calendar("support")).isPresent();
    }

    @Test
    void badCalendarsAreRefusedWithEveryProblemNamingItsField() throws Exception {
        String root = api.login("root");
        Reply bad = api.call("PUT", "/api/calendars/broken", root, "{\"time_zone\":\"Mars/Olympus\",\"weekly\":"
                + "{\"monday\":\"9-17\"},\"holidays\":[{\"from\":\"2026-05-02\",\"to\":\"2026-05-01\"}],"
                + "\"colour\":\"red\"}");
        assertThat(bad.status()).as(bad.text()).isEqualTo(400);
        assertThat(bad.json().get("problems").findValuesAsText("field")).contains("time_zone", "weekly.monday",
                "colour");
        assertThat(bad.json().get("detail").asText()).contains("Mars/Olympus").contains("weekly.monday");
        assertThat(bad.json().get("field").asText()).isNotEmpty();
        assertField(api.call("PUT", "/api/calendars/Bad.Name", root, CLOSED_ALL_WEEK), "name", "calendar name");
        Reply missing = api.call("PUT", "/api/calendars/broken", root, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("problems").findValuesAsText("field")).contains("time_zone", "weekly");
        assertError(api.call("PUT", "/api/calendars/broken", root, "[1]"), 400, "expected: a JSON object");
        assertThat(engine.calendars().find("broken")).isEmpty();
        assertError(api.call("GET", "/api/calendars/nothing", root, null), 404, "no calendar 'nothing'");
        assertError(api.call("POST", "/api/calendars/nothing/disable", root, "{}"), 404, "no calendar 'nothing'");
        assertError(api.call("POST", "/api/calendars/office/disable", root, "{\"x\":1}"), 400, "unknown field 'x'");
    }

    // ------------------------------------------------------------------------------------------ dispositions

    @Test
    void dispositionCodesComeFromTheConfigurationAndOthersAreRefused() throws Exception {
        String alice = api.login("alice");
        assertThat(api.call("GET", "/api/dispositions", alice, null).json().get("codes").toString())
                .isEqualTo("[\"sale\",\"no-sale\",\"call-back\"]");
        assertError(api.call("GET", "/api/dispositions", null, null), 401, "token");
        Reply unknown = api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\"}");
        assertError(unknown, 400, "code 'repair' (expected one of: sale, no-sale, call-back)");
        // A configured code passes validation and reaches the engine (no call yet: 409).
        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"sale\"}"), 409,
                "has had no call");
    }
}
