-- Outbound campaigns (issue 22): campaigns, their contacts, every dialling attempt, and the do-not-call list.
-- Runs unchanged on MariaDB and on H2 in MariaDB mode. Times are UTC epoch milliseconds, as in V1.

CREATE TABLE outbound_campaign (
    campaign_id    VARCHAR(64)   NOT NULL,
    name           VARCHAR(128)  NOT NULL,
    queue_name     VARCHAR(64)   NOT NULL,
    mode           VARCHAR(16)   NOT NULL,
    caller_id      VARCHAR(64)   NOT NULL,
    hours_window   VARCHAR(16)   NOT NULL,
    hours_days     VARCHAR(64)   NOT NULL,
    default_zone   VARCHAR(64)   NOT NULL,
    retry_rules    VARCHAR(512)  NOT NULL,
    amd            BOOLEAN       NOT NULL,
    machine_action VARCHAR(16)   NOT NULL,
    abandon_cap    DOUBLE        NOT NULL,
    script         VARCHAR(4000) NOT NULL,
    dispositions   VARCHAR(1000) NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    created_ms     BIGINT        NOT NULL,
    updated_ms     BIGINT        NOT NULL,
    updated_by     VARCHAR(64)   NOT NULL,
    PRIMARY KEY (campaign_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE outbound_contact (
    contact_id     VARCHAR(96)   NOT NULL,
    campaign_id    VARCHAR(64)   NOT NULL,
    phone_number   VARCHAR(32)   NOT NULL,
    contact_name   VARCHAR(128)  NOT NULL,
    zone           VARCHAR(64)   NOT NULL,
    fields         VARCHAR(4000) NOT NULL,
    source_line    INT           NOT NULL,
    status         VARCHAR(16)   NOT NULL,
    attempts       INT           NOT NULL,
    next_ms        BIGINT        NOT NULL,
    last_outcome   VARCHAR(16),
    PRIMARY KEY (contact_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_outbound_contact_due ON outbound_contact (campaign_id, status, next_ms);
CREATE INDEX ix_outbound_contact_number ON outbound_contact (campaign_id, phone_number);

CREATE TABLE outbound_attempt (
    attempt_id     VARCHAR(96)   NOT NULL,
    campaign_id    VARCHAR(64)   NOT NULL,
    contact_id     VARCHAR(96)   NOT NULL,
    phone_number   VARCHAR(32)   NOT NULL,
    mode           VARCHAR(16)   NOT NULL,
    started_ms     BIGINT        NOT NULL,
    answered_ms    BIGINT,
    ended_ms       BIGINT        NOT NULL,
    outcome        VARCHAR(16)   NOT NULL,
    amd_result     VARCHAR(32)   NOT NULL,
    agent_id       VARCHAR(64),
    agent_wait_ms  BIGINT,
    talk_ms        BIGINT        NOT NULL,
    wrap_ms        BIGINT        NOT NULL,
    disposition    VARCHAR(64)   NOT NULL,
    right_party    BOOLEAN       NOT NULL,
    PRIMARY KEY (attempt_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_outbound_attempt_campaign ON outbound_attempt (campaign_id, started_ms);

CREATE TABLE do_not_call (
    phone_digits   VARCHAR(32)   NOT NULL,
    added_ms       BIGINT        NOT NULL,
    added_by       VARCHAR(64)   NOT NULL,
    PRIMARY KEY (phone_digits)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
