package dev.hotline.config;

import dev.hotline.yaml.Fields;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Quality assurance (section {@code qa:} of hotline.yaml): where Asterisk writes the recordings, how long they are
 * kept, who may hear and download them, and when the monthly quality report is due (docs/QA.md).
 *
 * @param recordingsDir  Asterisk's monitor folder as Hotline sees it (MixMonitor's relative file names resolve here)
 * @param retentionDays  recordings older than this many days are deleted (and the deletion reported); 0 keeps them
 * @param agentsHearOwn  agents may play the recordings of their own calls
 * @param downloadRoles  roles that may download a recording they may play (agent, supervisor, qa, admin)
 * @param reportDueDay   day of the month the quality report of the previous month is due (1–28)
 * @param warnDays       how many days before the due day the QA page warns about plans not met
 * @param formsDir       scorecards written as files ({@code <id>.yaml}), imported when the database has no form of
 *                       that id (the seed, as the users file is for users)
 */
public record QaConfig(Path recordingsDir, int retentionDays, boolean agentsHearOwn, Set<String> downloadRoles,
                       int reportDueDay, int warnDays, Path formsDir) {

    /** The roles the gateway knows, by wire name. */
    public static final List<String> ROLES = List.of("agent", "supervisor", "qa", "admin");

    public static final QaConfig DEFAULTS = new QaConfig(Path.of("recordings"), 0, true, Set.of("qa", "admin"), 22, 5,
            Path.of("config", "qa-forms"));

    public QaConfig {
        Objects.requireNonNull(recordingsDir, "recordingsDir");
        AgiConfig.requireRange("retentionDays", retentionDays, 0, 36_500);
        downloadRoles = Set.copyOf(downloadRoles);
        downloadRoles.forEach(r -> {
            if (!ROLES.contains(r)) {
                throw new IllegalArgumentException("downloadRoles: '" + r + "' (expected: one of " + ROLES + ")");
            }
        });
        AgiConfig.requireRange("reportDueDay", reportDueDay, 1, 28);
        AgiConfig.requireRange("warnDays", warnDays, 0, 27);
        Objects.requireNonNull(formsDir, "formsDir");
    }

    /** The same settings with the folders taken from {@code home} when relative. */
    public QaConfig resolvedAgainst(Path home) {
        return new QaConfig(home.resolve(recordingsDir), retentionDays, agentsHearOwn, downloadRoles, reportDueDay,
                warnDays, home.resolve(formsDir));
    }

    public QaConfig withRecordingsDir(Path dir) {
        return new QaConfig(dir, retentionDays, agentsHearOwn, downloadRoles, reportDueDay, warnDays, formsDir);
    }

    public QaConfig withRetentionDays(int days) {
        return new QaConfig(recordingsDir, days, agentsHearOwn, downloadRoles, reportDueDay, warnDays, formsDir);
    }

    public QaConfig withAgentsHearOwn(boolean hear) {
        return new QaConfig(recordingsDir, retentionDays, hear, downloadRoles, reportDueDay, warnDays, formsDir);
    }

    public QaConfig withDownloadRoles(Set<String> roles) {
        return new QaConfig(recordingsDir, retentionDays, agentsHearOwn, roles, reportDueDay, warnDays, formsDir);
    }

    /** Reads the {@code qa:} section; problems go to the section's problem list. */
    static QaConfig read(Fields f) {
        QaConfig d = DEFAULTS;
        Path dir = Path.of(f.string("recordings_dir", d.recordingsDir().toString()));
        int retention = f.integer("retention_days", d.retentionDays(), 0, 36_500);
        boolean hearOwn = f.bool("agents_hear_own", d.agentsHearOwn());
        List<String> download = f.strings("download_roles", List.copyOf(d.downloadRoles()),
                r -> ROLES.contains(r) ? null : "one of " + String.join(", ", ROLES));
        int due = f.integer("report_due_day", d.reportDueDay(), 1, 28);
        int warn = f.integer("warn_days", d.warnDays(), 0, 27);
        Path forms = Path.of(f.string("forms", d.formsDir().toString()));
        f.finish();
        return new QaConfig(dir, retention, hearOwn, Set.copyOf(download), due, warn, forms);
    }
}
