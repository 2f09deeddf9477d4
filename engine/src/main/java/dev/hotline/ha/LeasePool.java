package dev.hotline.ha;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HaConfig;

/**
 * The lease's own two connections to the pair's MariaDB, apart from the records pool: a record writer catching up
 * after an outage must never make a renewal wait for a connection. Time-outs are within one renewal period.
 */
public final class LeasePool {

    private LeasePool() {
    }

    public static HikariDataSource open(DatabaseConfig database, HaConfig ha) {
        if (database.kind() != DatabaseConfig.Kind.MARIADB) {
            throw new IllegalArgumentException("ha.enabled: true with database.kind " + database.kind().name()
                    .toLowerCase(java.util.Locale.ROOT) + " (expected: mariadb; the embedded database keeps"
                    + " single-engine mode)");
        }
        long ms = Math.max(250, ha.renewEvery().toMillis());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("ha-lease");
        hc.setJdbcUrl(database.url());
        hc.setUsername(database.username());
        hc.setPassword(database.password().reveal());
        hc.setDriverClassName("org.mariadb.jdbc.Driver");
        hc.setMaximumPoolSize(2);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(ms);
        hc.setValidationTimeout(ms);
        hc.setInitializationFailTimeout(-1);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // On Galera the lease read waits until this node has applied every write the cluster committed before it
        // (causal read), so a lagging node never shows an old renewal as the latest; plain MariaDB ignores it.
        hc.setConnectionInitSql("SET SESSION wsrep_sync_wait = 1");
        hc.addDataSourceProperty("connectTimeout", String.valueOf(ms));
        hc.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1000, 2 * ms)));
        return new HikariDataSource(hc);
    }
}
