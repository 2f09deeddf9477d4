-- The directory: agents, queues and skills created, changed or disabled through the admin API. The configuration
-- files (config/agents.yaml, hotline.yaml queues:) stay the base; a row here overrides or extends them by id (see
-- docs/ADMIN.md, "Agents, queues and skills"). Agents and queues are stored as their definition document, a JSON
-- object with the same keys as the files, validated by the same code before it is written. Runs unchanged on
-- MariaDB and on H2 in MariaDB mode. Times are UTC epoch milliseconds, as in V1.

CREATE TABLE directory_agent (
    agent_id    VARCHAR(32)  NOT NULL,
    definition  TEXT         NOT NULL,
    disabled    BOOLEAN      NOT NULL,
    updated_ms  BIGINT       NOT NULL,
    updated_by  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (agent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE directory_queue (
    queue_name  VARCHAR(64)  NOT NULL,
    definition  TEXT         NOT NULL,
    disabled    BOOLEAN      NOT NULL,
    updated_ms  BIGINT       NOT NULL,
    updated_by  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (queue_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE directory_skill (
    skill_name  VARCHAR(64)  NOT NULL,
    description VARCHAR(500) NOT NULL,
    disabled    BOOLEAN      NOT NULL,
    updated_ms  BIGINT       NOT NULL,
    updated_by  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (skill_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
