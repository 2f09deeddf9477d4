-- Call records and agent-state history. Runs unchanged on MariaDB (InnoDB, utf8mb4) and on the embedded H2
-- database in MariaDB mode. All times are UTC epoch milliseconds (BIGINT): the same value on both databases and
-- in every JDBC driver, whatever the server or session time zone. Durations are milliseconds.

CREATE TABLE call_record (
    call_id          VARCHAR(96)   NOT NULL,
    server_id        VARCHAR(32)   NOT NULL,
    linked_id        VARCHAR(63)   NOT NULL,
    caller_number    VARCHAR(64)   NOT NULL,
    caller_name      VARCHAR(128)  NOT NULL,
    dialled_number   VARCHAR(64)   NOT NULL,
    started_ms       BIGINT        NOT NULL,
    ended_ms         BIGINT        NOT NULL,
    language         VARCHAR(16),
    first_queue      VARCHAR(64),
    enqueued_ms      BIGINT,
    first_offered_ms BIGINT,
    answered_ms      BIGINT,
    agent_id         VARCHAR(64),
    wait_ms          BIGINT        NOT NULL,
    ring_ms          BIGINT        NOT NULL,
    talk_ms          BIGINT        NOT NULL,
    hold_ms          BIGINT        NOT NULL,
    wrap_up_ms       BIGINT        NOT NULL,
    transfers        INT           NOT NULL,
    disposition      VARCHAR(64),
    notes            VARCHAR(4000) NOT NULL,
    survey_score     INT,
    hangup_by        VARCHAR(8)    NOT NULL,
    hangup_cause     INT,
    recording_file   VARCHAR(255),
    outcome          VARCHAR(16)   NOT NULL,
    PRIMARY KEY (call_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_call_record_started ON call_record (started_ms);

CREATE TABLE call_ivr_step (
    call_id    VARCHAR(96)  NOT NULL,
    seq        INT          NOT NULL,
    node       VARCHAR(128) NOT NULL,
    entered_ms BIGINT       NOT NULL,
    input      VARCHAR(64)  NOT NULL,
    exit_kind  VARCHAR(8)   NOT NULL,
    PRIMARY KEY (call_id, seq),
    CONSTRAINT fk_call_ivr_step FOREIGN KEY (call_id) REFERENCES call_record (call_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE call_queue_visit (
    call_id     VARCHAR(96) NOT NULL,
    seq         INT         NOT NULL,
    queue       VARCHAR(64) NOT NULL,
    enqueued_ms BIGINT      NOT NULL,
    left_ms     BIGINT      NOT NULL,
    result      VARCHAR(16) NOT NULL,
    agent_id    VARCHAR(64),
    talk_ms     BIGINT      NOT NULL,
    hold_ms     BIGINT      NOT NULL,
    wrap_up_ms  BIGINT      NOT NULL,
    PRIMARY KEY (call_id, seq),
    CONSTRAINT fk_call_queue_visit FOREIGN KEY (call_id) REFERENCES call_record (call_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_call_queue_visit_enqueued ON call_queue_visit (enqueued_ms);

CREATE TABLE call_offer (
    call_id    VARCHAR(96) NOT NULL,
    seq        INT         NOT NULL,
    queue      VARCHAR(64) NOT NULL,
    agent_id   VARCHAR(64) NOT NULL,
    offered_ms BIGINT      NOT NULL,
    ended_ms   BIGINT      NOT NULL,
    outcome    VARCHAR(16) NOT NULL,
    PRIMARY KEY (call_id, seq),
    CONSTRAINT fk_call_offer FOREIGN KEY (call_id) REFERENCES call_record (call_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE call_transfer (
    call_id     VARCHAR(96) NOT NULL,
    seq         INT         NOT NULL,
    at_ms       BIGINT      NOT NULL,
    from_agent  VARCHAR(64),
    kind        VARCHAR(16) NOT NULL,
    target      VARCHAR(64) NOT NULL,
    attended    BOOLEAN     NOT NULL,
    PRIMARY KEY (call_id, seq),
    CONSTRAINT fk_call_transfer FOREIGN KEY (call_id) REFERENCES call_record (call_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_state_change (
    id         CHAR(36)    NOT NULL,
    agent_id   VARCHAR(64) NOT NULL,
    team       VARCHAR(64) NOT NULL,
    from_state VARCHAR(16) NOT NULL,
    to_state   VARCHAR(16) NOT NULL,
    reason     VARCHAR(64) NOT NULL,
    at_ms      BIGINT      NOT NULL,
    changed_by VARCHAR(64),
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_agent_state_change_at ON agent_state_change (at_ms);
CREATE INDEX ix_agent_state_change_agent ON agent_state_change (agent_id, at_ms);
