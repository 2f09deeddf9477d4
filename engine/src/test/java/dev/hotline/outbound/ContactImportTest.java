package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactImportTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final ZonePrefixes ZONES = ZonePrefixes.parse(
            Map.of("+1212", "America/New_York", "+1", "America/Chicago", "+61", "Australia/Sydney"), "Europe/Paris");

    private static ContactImport.Result read(String csv, ContactImport.Mapping mapping) throws Exception {
        return ContactImport.read(new StringReader(csv), "c1", mapping, ZONES, Set.of(), 1, NOW);
    }

    private static final ContactImport.Mapping MAPPING = new ContactImport.Mapping("Phone", Optional.of("Name"),
            Optional.of("TZ"), List.of());

    @Test
    void badRowsAreReportedByLineAndTheGoodOnesKept() throws Exception {
        String csv = """
                Name,Phone,TZ,Account
                Ann,+33 1 23 45 67 89,,A-1
                Bob,12ab,,A-2
                Cid,+1 212 555 0100,Mars/Olympus,A-3
                Dee,+61 2 9999 0000
                Eve,,,A-5
                Fay,"+44 (20) 7946-0000",Europe/London,"A-6, priority"
                """;
        var r = read(csv, MAPPING);
        assertThat(r.errors()).extracting(ContactImport.RowError::toString).containsExactly(
                "line 3: Phone: '12ab' has 'a' (expected: digits, an optional leading +, spaces, dots, dashes, parentheses)",
                "line 4: TZ: 'Mars/Olympus' (expected: a time zone such as Europe/Paris)",
                "line 5: 2 columns (expected: 4, as in the header)",
                "line 6: Phone: empty (expected: 3-20 digits)");
        assertThat(r.contacts()).extracting(Contact::number).containsExactly("+33123456789", "+442079460000");
        assertThat(r.contacts().get(1).fields()).containsExactly(Map.entry("Account", "A-6, priority"));
        assertThat(r.contacts().get(1).zone()).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(r.contacts()).extracting(Contact::line).containsExactly(2, 7);
        assertThat(r.contacts()).extracting(Contact::id).containsExactly("c1-1", "c1-2");
        assertThat(r.rows()).isEqualTo(6);
    }

    @Test
    void duplicatesAreSkippedNamingTheLineTheyRepeatAndNumbersAlreadyInTheCampaign() throws Exception {
        String csv = "number\n+33 1 11 11 11 11\n0033111111111\n+33-1-11-11-11-11\n555 0101\n";
        var r = ContactImport.read(new StringReader(csv), "c1", ContactImport.Mapping.of("number"), ZONES,
                Set.of("5550101"), 10, NOW);
        assertThat(r.duplicates()).containsExactly(new ContactImport.Duplicate(4, "+33111111111", 2),
                new ContactImport.Duplicate(5, "5550101", 0));
        assertThat(r.contacts()).extracting(Contact::number).containsExactly("+33111111111", "0033111111111");
        assertThat(r.contacts().get(0).id()).isEqualTo("c1-10");
    }

    @Test
    void theTimeZoneComesFromTheColumnElseFromTheLongestNumberPrefix() throws Exception {
        String csv = "Name,Phone,TZ\nA,+1 212 555 0100,\nB,+1 312 555 0100,\nC,+61 2 1234 5678,\nD,+49 30 1234,\n"
                + "E,+1 212 555 0199,Asia/Tokyo\n";
        var r = read(csv, MAPPING);
        assertThat(r.errors()).isEmpty();
        assertThat(r.contacts()).extracting(Contact::zone).containsExactly(ZoneId.of("America/New_York"),
                ZoneId.of("America/Chicago"), ZoneId.of("Australia/Sydney"), ZoneId.of("Europe/Paris"),
                ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void quotedFieldsMaySpanLinesAndTheNextRowKeepsItsRealLineNumber() throws Exception {
        String csv = "number,note\r\n\"5550001\",\"two\r\nlines, and \"\"quotes\"\"\"\r\nabc,x\r\n";
        var r = read(csv, new ContactImport.Mapping("number", Optional.empty(), Optional.empty(), List.of("note")));
        assertThat(r.contacts()).singleElement().satisfies(c ->
                assertThat(c.fields().get("note")).isEqualTo("two\r\nlines, and \"quotes\""));
        assertThat(r.errors()).extracting(ContactImport.RowError::line).containsExactly(4);
    }

    @Test
    void anUnclosedQuoteIsReportedAtTheLineItOpened() throws Exception {
        var r = read("number\n5550001\n\"5550002\n5550003\n", ContactImport.Mapping.of("number"));
        assertThat(r.contacts()).hasSize(1);
        assertThat(r.errors()).extracting(ContactImport.RowError::toString)
                .containsExactly("line 5: a quote opened on line 3 is never closed");
    }

    @Test
    void aMappedColumnMissingFromTheHeaderIsRefusedWithTheColumnsThereAre() {
        assertThatThrownBy(() -> read("tel,name\n555\n", ContactImport.Mapping.of("number")))
                .hasMessage("mapping.number: column 'number' is not in the header (expected one of: tel, name)");
        assertThatThrownBy(() -> read("", ContactImport.Mapping.of("number"))).hasMessageContaining("line 1: no header");
        assertThatThrownBy(() -> ContactImport.Mapping.of(" ")).hasMessageContaining("mapping.number: empty");
    }
}
