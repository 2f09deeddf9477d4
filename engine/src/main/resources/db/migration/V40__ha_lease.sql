-- The leadership lease of an active/standby pair of engines (docs/OPERATIONS.md, "Running a pair"): one row,
-- changed only by conditional UPDATEs (compare-and-set), so it works on one MariaDB and on a Galera cluster, where
-- GET_LOCK is not replicated. holder is '' while no engine holds it (first start, or released at a clean stop).
-- fence grows by one at every takeover and guards every write only the active engine may make; version grows at
-- every change (takeover, renewal, release), and a standby that sees the same version for a whole lease takes
-- over. guarded_writes counts the writes the fence let through (each one also puts this row in its transaction, so
-- a takeover and a stale engine's write can never both commit). renewed_ms and holder_url are for people only:
-- no decision reads another host's clock.
CREATE TABLE ha_lease (
    lease_name     VARCHAR(64)  NOT NULL,
    holder         VARCHAR(64)  NOT NULL,
    fence          BIGINT       NOT NULL,
    version        BIGINT       NOT NULL,
    renewed_ms     BIGINT       NOT NULL,
    holder_url     VARCHAR(255) NOT NULL,
    guarded_writes BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (lease_name)
);
INSERT INTO ha_lease (lease_name, holder, fence, version, renewed_ms, holder_url, guarded_writes)
VALUES ('engine', '', 0, 0, 0, '', 0);
