package dev.hotline.cli.records;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.yaml.Secret;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --data-dir DIR}: read the embedded database in that folder instead of the configured database, e.g. the
 * demo's ({@code ./hotline report --data-dir data/demo …}). A folder without an embedded database is an error, not
 * an empty report (H2 would create an empty database there).
 */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Read the embedded database in this folder (e.g."
            + " the demo's, data/demo) instead of the configured database.")
    Path dataDir;

    /** {@code config} with the database of {@code --data-dir} when given; reports a folder without one. */
    HotlineConfig apply(HotlineConfig config, String command, PrintWriter err) throws RecordsCli.Reported {
        if (dataDir == null) {
            return config;
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        Path file = dir.resolve(AppDatabase.EMBEDDED_NAME + ".mv.db");
        if (!Files.isRegularFile(file)) {
            err.printf("hotline %s: --data-dir %s: no embedded database there (expected: %s, written by ./hotline demo"
                    + " --data-dir DIR or by the engine with database.data_dir)%n", command, dataDir, file);
            throw new RecordsCli.Reported();
        }
        return config.withDatabase(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir, "", "", Secret.NONE, 2));
    }
}
