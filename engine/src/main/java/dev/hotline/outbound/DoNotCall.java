package dev.hotline.outbound;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The do-not-call list: numbers never dialled, whatever campaign holds them. Checked at dial time (not at import),
 * so a number added while a campaign runs is never called after that moment. Numbers are compared in
 * {@link PhoneNumbers#normalize normalised} form, and {@code +} numbers also by their digits, so {@code +44 20 7946}
 * blocks {@code 44207946}. Thread-safe: the API adds, the dialler reads.
 */
public final class DoNotCall {

    private final Set<String> numbers = ConcurrentHashMap.newKeySet();

    public DoNotCall() {
    }

    public DoNotCall(Collection<String> initial) {
        initial.forEach(this::add);
    }

    /** Adds a number (normalised; a bad one is refused with the reason). True when it was not there yet. */
    public boolean add(String number) {
        return numbers.add(key(PhoneNumbers.normalize(number)));
    }

    public boolean remove(String number) {
        return numbers.remove(key(PhoneNumbers.normalize(number)));
    }

    /** Whether {@code number} (any written form) must not be dialled. A number that cannot be read is blocked. */
    public boolean blocks(String number) {
        try {
            return numbers.contains(key(PhoneNumbers.normalize(number)));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    public int size() {
        return numbers.size();
    }

    public Set<String> numbers() {
        return Set.copyOf(numbers);
    }

    private static String key(String normalized) {
        return PhoneNumbers.dialDigits(normalized);
    }
}
