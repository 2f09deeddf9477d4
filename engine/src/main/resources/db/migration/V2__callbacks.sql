-- Callbacks: queued ones (a waiting caller asked to be called back and keeps their place) and scheduled ones (due
-- at a time, optionally owned by an agent). Runs unchanged on MariaDB and on H2 in MariaDB mode. Times are UTC
-- epoch milliseconds, as in V1.

CREATE TABLE callback (
    callback_id   VARCHAR(96)   NOT NULL,
    kind          VARCHAR(16)   NOT NULL,
    queue_name    VARCHAR(64)   NOT NULL,
    phone_number  VARCHAR(64)   NOT NULL,
    caller_name   VARCHAR(128)  NOT NULL,
    requested_ms  BIGINT        NOT NULL,
    due_ms        BIGINT        NOT NULL,
    owner_agent   VARCHAR(64),
    note          VARCHAR(1000) NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    attempts      INT           NOT NULL,
    not_before_ms BIGINT        NOT NULL,
    agent_id      VARCHAR(64),
    finished_ms   BIGINT,
    last_result   VARCHAR(64)   NOT NULL,
    PRIMARY KEY (callback_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_callback_status ON callback (status, due_ms);
CREATE INDEX ix_callback_requested ON callback (requested_ms);
