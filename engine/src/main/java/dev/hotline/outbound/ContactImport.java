package dev.hotline.outbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a contact list from CSV (RFC 4180: comma-separated, a header line, fields in double quotes may hold commas,
 * line breaks and doubled quotes) through a {@link Mapping} of its columns. Every bad row is reported by its line
 * and nothing of it is kept; good rows are kept. A number seen earlier in the file, or already in the campaign, is
 * a duplicate: reported with the line it repeats and skipped. The time zone comes from the mapped column when there
 * is one and it is filled in, else from the number's prefix ({@link ZonePrefixes}).
 */
public final class ContactImport {

    /** Most rows one import takes (the rest is refused as a whole: split the file). */
    public static final int MAX_ROWS = 200_000;

    /**
     * Which header columns hold what (names compared ignoring case and surrounding spaces).
     *
     * @param number the number's column (required)
     * @param name   the name's column, if any
     * @param zone   the time zone's column, if any (an empty cell falls back to the number's prefix)
     * @param fields columns shown to the agent; empty: every column not mapped above
     */
    public record Mapping(String number, Optional<String> name, Optional<String> zone, List<String> fields) {
        public Mapping {
            Objects.requireNonNull(number, "number");
            if (number.isBlank()) {
                throw new IllegalArgumentException("mapping.number: empty (expected: the header of the number column)");
            }
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(zone, "zone");
            fields = List.copyOf(fields);
        }

        public static Mapping of(String number) {
            return new Mapping(number, Optional.empty(), Optional.empty(), List.of());
        }
    }

    /** A row not imported: its line in the file and why. */
    public record RowError(int line, String message) {
        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    /** A row skipped because its number came before: its line, the number, and the line it repeats (0: already in the campaign). */
    public record Duplicate(int line, String number, int firstLine) {
    }

    /** What an import found: the contacts to add, the rows refused and the duplicates skipped. */
    public record Result(List<Contact> contacts, List<RowError> errors, List<Duplicate> duplicates, int rows) {
        public Result {
            contacts = List.copyOf(contacts);
            errors = List.copyOf(errors);
            duplicates = List.copyOf(duplicates);
        }
    }

    private ContactImport() {
    }

    /**
     * Reads {@code csv}. {@code existing}: numbers already in the campaign (normalised) — rows with them are
     * duplicates. Contact ids are {@code <campaign>-<firstId + n>}.
     *
     * @throws IllegalArgumentException when the file as a whole cannot be read: no header, a mapped column missing
     *                                  from it (naming the columns there are), too many rows
     */
    public static Result read(Reader csv, String campaign, Mapping mapping, ZonePrefixes zones,
                              java.util.Set<String> existing, long firstId, Instant now) throws IOException {
        CsvReader reader = new CsvReader(csv);
        Optional<CsvReader.Row> headerRow = reader.next();
        if (headerRow.isEmpty() || headerRow.get().cells().stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("line 1: no header (expected: the column names, e.g. number,name)");
        }
        List<String> header = headerRow.get().cells().stream().map(String::strip).toList();
        int numberCol = column(header, "number", mapping.number());
        int nameCol = mapping.name().map(n -> column(header, "name", n)).orElse(-1);
        int zoneCol = mapping.zone().map(z -> column(header, "zone", z)).orElse(-1);
        Map<String, Integer> fieldCols = new LinkedHashMap<>();
        if (mapping.fields().isEmpty()) {
            for (int i = 0; i < header.size(); i++) {
                if (i != numberCol && i != nameCol && i != zoneCol && !header.get(i).isEmpty()) {
                    fieldCols.put(header.get(i), i);
                }
            }
        } else {
            for (String f : mapping.fields()) {
                fieldCols.put(header.get(column(header, "fields", f)), column(header, "fields", f));
            }
        }
        List<Contact> contacts = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        existing.forEach(n -> seen.put(PhoneNumbers.dialDigits(n), 0));
        Map<String, ZoneId> zoneCache = new HashMap<>();
        int rows = 0;
        long next = firstId;
        Optional<CsvReader.Row> row;
        while (true) {
            try {
                row = reader.next();
            } catch (IllegalArgumentException e) {
                errors.add(new RowError(reader.line(), e.getMessage()));
                break;   // an unclosed quote swallows the rest of the file: nothing after it can be trusted
            }
            if (row.isEmpty()) {
                break;
            }
            List<String> cells = row.get().cells();
            int line = row.get().line();
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;   // blank line
            }
            if (++rows > MAX_ROWS) {
                throw new IllegalArgumentException("line " + line + ": more than " + MAX_ROWS
                        + " rows (expected: at most " + MAX_ROWS + " per import; split the file)");
            }
            if (cells.size() != header.size()) {
                errors.add(new RowError(line, cells.size() + " columns (expected: " + header.size()
                        + ", as in the header)"));
                continue;
            }
            String number;
            try {
                number = PhoneNumbers.normalize(cells.get(numberCol));
            } catch (IllegalArgumentException e) {
                errors.add(new RowError(line, header.get(numberCol) + ": " + e.getMessage().substring(
                        "number: ".length())));
                continue;
            }
            ZoneId zone;
            String zoneText = zoneCol < 0 ? "" : cells.get(zoneCol).strip();
            if (zoneText.isEmpty()) {
                zone = zones.zoneOf(number);
            } else {
                try {
                    zone = zoneCache.computeIfAbsent(zoneText, z -> ZonePrefixes.zone(header.get(zoneCol), z));
                } catch (IllegalArgumentException e) {
                    errors.add(new RowError(line, e.getMessage()));
                    continue;
                }
            }
            String key = PhoneNumbers.dialDigits(number);
            Integer first = seen.putIfAbsent(key, line);
            if (first != null) {
                duplicates.add(new Duplicate(line, number, first));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            fieldCols.forEach((n, i) -> fields.put(n, cells.get(i).strip()));
            String name = nameCol < 0 ? "" : cells.get(nameCol).strip();
            contacts.add(new Contact(campaign + "-" + next++, campaign, number, name, zone, fields, line,
                    Contact.Status.PENDING, 0, now, Optional.empty()));
        }
        return new Result(contacts, errors, duplicates, rows);
    }

    private static int column(List<String> header, String role, String wanted) {
        String w = wanted.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).toLowerCase(Locale.ROOT).equals(w)) {
                return i;
            }
        }
        throw new IllegalArgumentException("mapping." + role + ": column '" + wanted + "' is not in the header"
                + " (expected one of: " + String.join(", ", header) + ")");
    }
}
