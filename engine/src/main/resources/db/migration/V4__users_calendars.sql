-- Gateway users and business-hours calendars managed from the admin API (docs/ADMIN.md). Runs unchanged on MariaDB
-- and on H2 in MariaDB mode. Times are UTC epoch milliseconds, as in V1.
--
-- The users seed file (gateway.users) and the calendar files (paths.calendars) stay the starting point: file users
-- are copied here when their username is absent, and from then on this row is the user; a calendar row, while
-- enabled, replaces the file calendar of the same name.

CREATE TABLE gateway_user (
    username      VARCHAR(32)   NOT NULL,
    password_hash VARCHAR(60)   NOT NULL,
    role          VARCHAR(16)   NOT NULL,
    agent_id      VARCHAR(32),
    teams         VARCHAR(1000) NOT NULL,
    enabled       BOOLEAN       NOT NULL,
    origin        VARCHAR(8)    NOT NULL,
    created_ms    BIGINT        NOT NULL,
    updated_ms    BIGINT        NOT NULL,
    updated_by    VARCHAR(64)   NOT NULL,
    PRIMARY KEY (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE business_calendar (
    name       VARCHAR(64) NOT NULL,
    definition TEXT        NOT NULL,
    enabled    BOOLEAN     NOT NULL,
    created_ms BIGINT      NOT NULL,
    updated_ms BIGINT      NOT NULL,
    updated_by VARCHAR(64) NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
