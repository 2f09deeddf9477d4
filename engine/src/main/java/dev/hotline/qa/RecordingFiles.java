package dev.hotline.qa;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a call's recording lives. Asterisk's MixMonitor gets a name relative to its monitor folder
 * ({@code hotline/YYYY/MM/DD/<call id>-<agent>.wav}: one folder per day, so a day's files are listed and expired
 * together); Hotline reads the same name under {@code qa.recordings_dir}. Names from the call records are resolved
 * only inside that folder: a stored name can never make the gateway serve another file.
 */
public final class RecordingFiles {

    /** The sub-folder of Asterisk's monitor folder Hotline writes into. */
    public static final String PREFIX = "hotline/";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._/-]{1,255}");

    private RecordingFiles() {
    }

    /** The recording of {@code callId} answered by {@code agentId} on {@code day} (local date of the engine). */
    public static String fileFor(LocalDate day, String callId, String agentId) {
        // Built by hand: String.format was a visible cost on the way to each call's Dial.
        StringBuilder b = new StringBuilder(64).append(PREFIX);
        int year = day.getYear();
        if (year >= 0 && year < 1000) {
            b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        b.append(year).append('/');
        twoDigits(b, day.getMonthValue()).append('/');
        twoDigits(b, day.getDayOfMonth()).append('/');
        return b.append(safe(callId)).append('-').append(safe(agentId)).append(".wav").toString();
    }

    private static StringBuilder twoDigits(StringBuilder b, int n) {
        return (n < 10 ? b.append('0') : b).append(n);
    }

    private static String safe(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return UNSAFE.matcher(part).replaceAll("_");   // rare: most ids need no change, and no regex
            }
        }
        return part;
    }

    /**
     * The file {@code name} (as stored on a call record) under {@code root}, or empty when the name is not a plain
     * relative path that stays inside the folder ({@code ..}, absolute paths, odd characters).
     */
    public static Optional<Path> resolve(Path root, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.startsWith("/")) {
            return Optional.empty();
        }
        try {
            Path base = root.toAbsolutePath().normalize();
            Path file = base.resolve(name).normalize();
            return file.startsWith(base) && !file.equals(base) ? Optional.of(file) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** The audio type of a recording by its extension, for the browser. */
    public static String contentType(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".wav")) {
            return "audio/wav";
        }
        if (n.endsWith(".mp3")) {
            return "audio/mpeg";
        }
        if (n.endsWith(".ogg")) {
            return "audio/ogg";
        }
        return "application/octet-stream";
    }
}
