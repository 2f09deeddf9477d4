package dev.hotline.gateway.ws;

import dev.hotline.ivr.runtime.IvrCatalog;
import dev.hotline.ivr.validate.IvrLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The screen pop's IVR choices in words and the queues' opening hours, from the shipped sample script. */
class IvrChoicesAndOpeningHoursTest {

    private static final Path HOME = Path.of("..");

    private static IvrCatalog catalog() {
        IvrLoader loader = new IvrLoader(Optional.of(Set.of("sales", "support", "billing", "operator")), Map.of());
        IvrLoader.Validation v = loader.validate(List.of(HOME.resolve("ivr-scripts")), HOME.resolve("config/calendars"),
                Set.of());
        assertThat(v.hasErrors()).as(v.problems().toString()).isFalse();
        return v.catalog();
    }

    @Test
    void theCallersWayThroughTheMenuIsSaidInWords() {
        String path = "main-menu/welcome,main-menu/choose-language,main-menu/french,main-menu/open-hours,main-menu/main,"
                + "main-menu/account-number,main-menu/crm,main-menu/billing-tier,main-menu/billing";
        assertThat(IvrChoices.inWords(path, catalog())).containsExactly("pressed 2: french", "language: French",
                "called in opening hours", "pressed 3: account number", "typed their account", "customer looked up");
        // Key 1 and on_failure both lead to english: the path (nodes only) cannot tell them apart; the key is said.
        assertThat(IvrChoices.inWords("main-menu/welcome,main-menu/choose-language,main-menu/english", catalog()))
                .containsExactly("pressed 1: english", "language: English");
        assertThat(IvrChoices.inWords("gone/node,main-menu/nowhere", catalog())).isEmpty();
        assertThat(IvrChoices.inWords(null, catalog())).isEmpty();
    }

    @Test
    void aQueueIsOpenWhenTheHoursNodeThatLeadsToItIs() {
        assertThat(OpeningHours.calendarsOf(catalog(), "support")).containsExactly("business");
        // config/calendars/business.yaml: 09:00-24:00 daily, Europe/Paris; a Monday in March.
        List<int[]> slots = new OpeningHours().slots(catalog(), "support", LocalDate.of(2026, 3, 2),
                ZoneId.of("Europe/Paris"), 15);
        assertThat(slots).hasSize(1);
        assertThat(slots.get(0)).containsExactly(36, 96);
        assertThat(new OpeningHours().slots(IvrCatalog.EMPTY, "support", LocalDate.of(2026, 3, 2),
                ZoneId.of("Europe/Paris"), 15)).as("no hours node: open all day").isEmpty();
    }
}
