-- The order of agent transitions made in the same millisecond (`run --agents-ready` logs an agent in and makes
-- them ready at once): reports sort by (at_ms, seq). Rows written before this column existed keep 0 and their
-- time order.
ALTER TABLE agent_state_change ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
