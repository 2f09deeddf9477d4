-- Quality assurance (docs/QA.md): recording policies per queue, what was done to a call's recording while it went
-- on, recordings deleted by retention, scorecards (versioned forms), evaluations with their answers, and monthly
-- sampling plans. Runs unchanged on MariaDB and on H2 in MariaDB mode. Times are UTC epoch milliseconds, as in V1.

-- A queue's recording policy as an admin set it; a queue without a row follows its `record:` flag in hotline.yaml.
CREATE TABLE qa_recording_policy (
    queue_name  VARCHAR(64) NOT NULL,
    mode        VARCHAR(8)  NOT NULL,
    sample_pct  INT         NOT NULL,
    on_demand   VARCHAR(16) NOT NULL,
    updated_ms  BIGINT      NOT NULL,
    updated_by  VARCHAR(64) NOT NULL,
    PRIMARY KEY (queue_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Starts (policy or on demand), pauses, resumes and stops of a call's recording, in order. An on-demand recording's
-- file is only here (the call record names the policy's recording).
CREATE TABLE qa_recording_event (
    event_id   CHAR(36)     NOT NULL,
    call_id    VARCHAR(96)  NOT NULL,
    at_ms      BIGINT       NOT NULL,
    action     VARCHAR(8)   NOT NULL,
    actor      VARCHAR(64)  NOT NULL,
    file_name  VARCHAR(255) NOT NULL,
    on_demand  BOOLEAN      NOT NULL,
    PRIMARY KEY (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_qa_recording_event_call ON qa_recording_event (call_id, at_ms);

-- Every recording file retention deleted: the deletion report.
CREATE TABLE qa_recording_deletion (
    deletion_id CHAR(36)     NOT NULL,
    file_name   VARCHAR(255) NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    modified_ms BIGINT       NOT NULL,
    deleted_ms  BIGINT       NOT NULL,
    reason      VARCHAR(200) NOT NULL,
    PRIMARY KEY (deletion_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_qa_recording_deletion_at ON qa_recording_deletion (deleted_ms);

-- A scorecard and its versions. A version is never changed: editing saves the next one, and evaluations name theirs.
CREATE TABLE qa_form (
    form_id         VARCHAR(32) NOT NULL,
    current_version INT         NOT NULL,
    enabled         BOOLEAN     NOT NULL,
    updated_ms      BIGINT      NOT NULL,
    updated_by      VARCHAR(64) NOT NULL,
    PRIMARY KEY (form_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE qa_form_version (
    form_id    VARCHAR(32)  NOT NULL,
    version    INT          NOT NULL,
    name       VARCHAR(100) NOT NULL,
    definition TEXT         NOT NULL,
    created_ms BIGINT       NOT NULL,
    created_by VARCHAR(64)  NOT NULL,
    PRIMARY KEY (form_id, version),
    CONSTRAINT fk_qa_form_version FOREIGN KEY (form_id) REFERENCES qa_form (form_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One scoring of one call. score_pct, raw_pct and critical_failed are what the answers give on the form version
-- (kept for listing; the engine recomputes them from the answers, with the same result).
CREATE TABLE qa_evaluation (
    evaluation_id   VARCHAR(40)   NOT NULL,
    call_id         VARCHAR(96)   NOT NULL,
    agent_id        VARCHAR(64)   NOT NULL,
    call_started_ms BIGINT        NOT NULL,
    form_id         VARCHAR(32)   NOT NULL,
    form_version    INT           NOT NULL,
    evaluator       VARCHAR(64)   NOT NULL,
    calibration     BOOLEAN       NOT NULL,
    score_pct       DOUBLE        NOT NULL,
    raw_pct         DOUBLE        NOT NULL,
    critical_failed BOOLEAN       NOT NULL,
    comments        VARCHAR(4000) NOT NULL,
    created_ms      BIGINT        NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    agent_comment   VARCHAR(1000) NOT NULL,
    responded_ms    BIGINT,
    resolved_by     VARCHAR(64),
    resolved_ms     BIGINT,
    resolution      VARCHAR(1000),
    PRIMARY KEY (evaluation_id),
    CONSTRAINT fk_qa_evaluation_form FOREIGN KEY (form_id, form_version) REFERENCES qa_form_version (form_id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX ix_qa_evaluation_started ON qa_evaluation (call_started_ms);
CREATE INDEX ix_qa_evaluation_agent ON qa_evaluation (agent_id, call_started_ms);
CREATE INDEX ix_qa_evaluation_call ON qa_evaluation (call_id);

CREATE TABLE qa_answer (
    evaluation_id VARCHAR(40)   NOT NULL,
    question_id   VARCHAR(32)   NOT NULL,
    answer        VARCHAR(4)    NOT NULL,
    answer_note   VARCHAR(1000) NOT NULL,
    PRIMARY KEY (evaluation_id, question_id),
    CONSTRAINT fk_qa_answer FOREIGN KEY (evaluation_id) REFERENCES qa_evaluation (evaluation_id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Monthly sampling plans: agent_id '*' is the plan of every agent without their own.
CREATE TABLE qa_plan (
    agent_id   VARCHAR(64)  NOT NULL,
    min_calls  INT          NOT NULL,
    max_calls  INT          NOT NULL,
    rules      VARCHAR(500) NOT NULL,
    evaluator  VARCHAR(64),
    updated_ms BIGINT       NOT NULL,
    updated_by VARCHAR(64)  NOT NULL,
    PRIMARY KEY (agent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
