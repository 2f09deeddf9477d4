package dev.hotline.outbound;

import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link OutboundStore} on a migrated database; run against H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class OutboundStoreContract {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path dir;
    TestDatabase db;
    OutboundStore store;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.open(kind(), dir.resolve("db"));
        db.database().migrate();
        store = new OutboundStore(db.database().dataSource());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static Campaign campaign(String id, DialMode mode) {
        return new Campaign(id, "Renewals " + id, "sales", mode, "+3312345678",
                CallingHours.parse("09:00-20:00", "mon-sat"), ZoneId.of("Europe/Paris"), RetryRules.defaults(), true,
                Campaign.MachineAction.MESSAGE, 3.0, "Hello, this is Hotline.", List.of("sale*", "callback", "refused"),
                Campaign.Status.DRAFT, T0, "sam");
    }

    @Test
    void aCampaignRoundTripsAndIsReplacedWhole() throws Exception {
        Campaign c = campaign("renew", DialMode.PROGRESSIVE);
        store.save(c);
        assertThat(store.campaign("renew")).contains(c);
        Campaign running = c.withStatus(Campaign.Status.RUNNING, T0.plusSeconds(60), "root");
        store.save(running);
        assertThat(store.campaigns()).containsExactly(running);
        assertThat(store.campaign("nope")).isEmpty();
    }

    @Test
    void importedContactsAreDueInOrderAndTheirStateIsKept() throws Exception {
        store.save(campaign("renew", DialMode.PREDICTIVE));
        var r = ContactImport.read(new StringReader("number,name,plan\n5550001,Ann,gold\n5550002,Bob,silver\n"),
                "renew", new ContactImport.Mapping("number", Optional.of("name"), Optional.empty(), List.of()),
                ZonePrefixes.only(ZoneId.of("Europe/Paris")), store.numbers("renew"), 1, T0);
        store.insert(r.contacts());
        assertThat(store.contactCount("renew")).isEqualTo(2);
        assertThat(store.numbers("renew")).containsExactlyInAnyOrder("5550001", "5550002");
        List<Contact> due = store.due("renew", T0, 10);
        assertThat(due).isEqualTo(r.contacts());
        assertThat(due.get(0).fields()).isEqualTo(Map.of("plan", "gold"));
        Contact later = due.get(0).attempted(Outcome.BUSY, Contact.Status.PENDING, T0.plusSeconds(600));
        store.update(later);
        assertThat(store.due("renew", T0, 10)).extracting(Contact::id).containsExactly("renew-2");
        assertThat(store.contact("renew-1")).contains(later);
        store.update(due.get(1).withStatus(Contact.Status.DIALLING));
        assertThat(store.releaseDialling("renew")).isEqualTo(1);
        assertThat(store.statusCounts("renew")).containsEntry(Contact.Status.PENDING, 2)
                .containsEntry(Contact.Status.DONE, 0);
    }

    @Test
    void attemptsAreRecordedWithEveryField() throws Exception {
        Attempt connected = new Attempt("renew-1-1", "renew", "renew-1", "5550001", DialMode.PREDICTIVE, T0,
                Optional.of(T0.plusSeconds(9)), T0.plusSeconds(200), Outcome.CONNECTED, "HUMAN", Optional.of("1001"),
                Optional.of(Duration.ofSeconds(4)), Duration.ofSeconds(150), Duration.ofSeconds(20), "sale", true);
        Attempt busy = new Attempt("renew-2-1", "renew", "renew-2", "5550002", DialMode.PREDICTIVE,
                T0.plusSeconds(1), Optional.empty(), T0.plusSeconds(3), Outcome.BUSY, "", Optional.empty(),
                Optional.empty(), Duration.ZERO, Duration.ZERO, "", false);
        store.insert(connected);
        store.insert(busy);
        assertThat(store.attempts(Optional.of("renew"), T0, T0.plusSeconds(60))).containsExactly(connected, busy);
        assertThat(store.attempts(Optional.of("other"), T0, T0.plusSeconds(60))).isEmpty();
        assertThat(store.attempts(Optional.empty(), T0.plusSeconds(1), T0.plusSeconds(60))).containsExactly(busy);
    }

    @Test
    void theDoNotCallListKeepsDigitsOnceAndForgetsOnRequest() throws Exception {
        store.addDoNotCall("+33 1 23 45 67 89", "sam", T0);
        store.addDoNotCall("33123456789", "root", T0);
        assertThat(store.doNotCall()).containsExactly("33123456789");
        assertThat(new DoNotCall(store.doNotCall()).blocks("+33 1 23 45 67 89")).isTrue();
        assertThat(store.removeDoNotCall("+33123456789")).isTrue();
        assertThat(store.doNotCall()).isEmpty();
    }
}
