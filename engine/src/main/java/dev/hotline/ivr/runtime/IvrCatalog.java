package dev.hotline.ivr.runtime;

import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.model.IvrScript;

import java.util.Map;
import java.util.Optional;

/**
 * One published version of every script and calendar. Immutable: a call takes the current catalog when it
 * starts and keeps it to the end (including {@code goto} into other scripts), so publishing a new version
 * never changes a call in progress.
 *
 * @param version increases by one on every publication
 */
public record IvrCatalog(long version, Map<String, IvrScript> scripts, Map<String, BusinessCalendar> calendars) {

    public static final IvrCatalog EMPTY = new IvrCatalog(0, Map.of(), Map.of());

    public IvrCatalog {
        scripts = Map.copyOf(scripts);
        calendars = Map.copyOf(calendars);
    }

    public Optional<IvrScript> script(String id) {
        return Optional.ofNullable(scripts.get(id));
    }

    public Optional<BusinessCalendar> calendar(String name) {
        return Optional.ofNullable(calendars.get(name));
    }
}
