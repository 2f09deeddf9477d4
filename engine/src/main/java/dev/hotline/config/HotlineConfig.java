package dev.hotline.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything read from hotline.yaml, immutable and validated. Built by {@link ConfigLoader}, which reports
 * each bad value with file, line and key path; the constructors here guard programmatic construction.
 *
 * @param source     the file it was read from (for messages), or {@code (defaults)}
 * @param engineName this engine's name in logs, metrics and call ids
 * @param agi        FastAGI server
 * @param amiServers Asterisk servers reached over AMI
 * @param database   call-record storage
 * @param ivrScripts folder of IVR scripts
 * @param calendars  folder of business-hours calendars
 * @param queues     ACD queues, by unique name
 * @param acd        waiting and connecting callers
 * @param agentsFile file the agents are seeded from
 * @param gateway    agent gateway (HTTP + WebSocket API and web pages)
 * @param qa         quality assurance: recordings folder and retention, who hears recordings, report due day
 * @param ha         an active/standby pair: the leadership lease's times (off: a single engine)
 */
public record HotlineConfig(String source, String engineName, AgiConfig agi, List<AmiServerConfig> amiServers,
                            DatabaseConfig database, Path ivrScripts, Path calendars, List<QueueConfig> queues,
                            AcdConfig acd, Path agentsFile, GatewayConfig gateway, QaConfig qa, HaConfig ha,
                            OutboundConfig outbound) {

    public HotlineConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(engineName, "engineName");
        Objects.requireNonNull(agi, "agi");
        amiServers = List.copyOf(amiServers);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(ivrScripts, "ivrScripts");
        Objects.requireNonNull(calendars, "calendars");
        queues = List.copyOf(queues);
        Objects.requireNonNull(acd, "acd");
        Objects.requireNonNull(agentsFile, "agentsFile");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(qa, "qa");
        Objects.requireNonNull(ha, "ha");
        Objects.requireNonNull(outbound, "outbound");
        if (ha.enabled() && database.kind() != DatabaseConfig.Kind.MARIADB) {
            throw new IllegalArgumentException("ha.enabled: true with database.kind embedded (expected: mariadb; the"
                    + " embedded database keeps single-engine mode)");
        }
    }

    /** Without an {@code outbound:} section: the dialler's defaults. */
    public HotlineConfig(String source, String engineName, AgiConfig agi, List<AmiServerConfig> amiServers,
                         DatabaseConfig database, Path ivrScripts, Path calendars, List<QueueConfig> queues,
                         AcdConfig acd, Path agentsFile, GatewayConfig gateway, QaConfig qa, HaConfig ha) {
        this(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd, agentsFile, gateway,
                qa, ha, OutboundConfig.DEFAULTS);
    }

    /** Without an {@code ha:} section: a single engine. */
    public HotlineConfig(String source, String engineName, AgiConfig agi, List<AmiServerConfig> amiServers,
                         DatabaseConfig database, Path ivrScripts, Path calendars, List<QueueConfig> queues,
                         AcdConfig acd, Path agentsFile, GatewayConfig gateway, QaConfig qa) {
        this(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd, agentsFile, gateway,
                qa, HaConfig.DEFAULTS);
    }

    /** Without a {@code qa:} section: the defaults. */
    public HotlineConfig(String source, String engineName, AgiConfig agi, List<AmiServerConfig> amiServers,
                         DatabaseConfig database, Path ivrScripts, Path calendars, List<QueueConfig> queues,
                         AcdConfig acd, Path agentsFile, GatewayConfig gateway) {
        this(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd, agentsFile, gateway,
                QaConfig.DEFAULTS);
    }

    /** Without a {@code gateway:} section: the gateway's defaults. */
    public HotlineConfig(String source, String engineName, AgiConfig agi, List<AmiServerConfig> amiServers,
                         DatabaseConfig database, Path ivrScripts, Path calendars, List<QueueConfig> queues,
                         AcdConfig acd, Path agentsFile) {
        this(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd, agentsFile,
                GatewayConfig.DEFAULTS);
    }

    /** The queue with this name, if configured. */
    public java.util.Optional<QueueConfig> queue(String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /** Built-in defaults: what {@code demo} and tests start from. */
    public static HotlineConfig defaults() {
        return new HotlineConfig("(defaults)", "hotline", AgiConfig.DEFAULTS, List.of(), DatabaseConfig.DEFAULTS,
                Path.of("ivr-scripts"), Path.of("config", "calendars"), List.of(), AcdConfig.DEFAULTS,
                Path.of("config", "agents.yaml"));
    }

    /** The same configuration with relative folders (data, scripts, calendars) taken from {@code home}. */
    public HotlineConfig resolvedAgainst(Path home) {
        DatabaseConfig db = new DatabaseConfig(database.kind(), home.resolve(database.dataDir()), database.url(),
                database.username(), database.password(), database.poolSize());
        return new HotlineConfig(source, engineName, agi, amiServers, db, home.resolve(ivrScripts),
                home.resolve(calendars), queues, acd, home.resolve(agentsFile), gateway.resolvedAgainst(home),
                qa.resolvedAgainst(home), ha, outbound);
    }

    public HotlineConfig withAmiServers(List<AmiServerConfig> servers) {
        return new HotlineConfig(source, engineName, agi, servers, database, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, qa, ha, outbound);
    }

    public HotlineConfig withDatabase(DatabaseConfig db) {
        return new HotlineConfig(source, engineName, agi, amiServers, db, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, qa, ha, outbound);
    }

    public HotlineConfig withGateway(GatewayConfig newGateway) {
        return new HotlineConfig(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd,
                agentsFile, newGateway, qa, ha, outbound);
    }

    public HotlineConfig withAgi(AgiConfig newAgi) {
        return new HotlineConfig(source, engineName, newAgi, amiServers, database, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, qa, ha, outbound);
    }

    public HotlineConfig withHa(HaConfig newHa) {
        return new HotlineConfig(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, qa, newHa, outbound);
    }

    public HotlineConfig withQa(QaConfig newQa) {
        return new HotlineConfig(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, newQa, ha, outbound);
    }

    public HotlineConfig withOutbound(OutboundConfig newOutbound) {
        return new HotlineConfig(source, engineName, agi, amiServers, database, ivrScripts, calendars, queues, acd,
                agentsFile, gateway, qa, ha, newOutbound);
    }
}
