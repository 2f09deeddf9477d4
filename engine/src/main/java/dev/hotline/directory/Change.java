package dev.hotline.directory;

import java.util.Optional;

/** What a directory write did: the entry before (empty when it was created) and after. For the audit trail. */
public record Change<T>(Optional<Entry<T>> before, Entry<T> after) {
}
