-- Callbacks: the recording of the caller saying their name (Asterisk file name without extension, relative to its
-- sounds folder unless absolute), played to the agent in the whisper. Empty when none was recorded. Runs unchanged
-- on MariaDB and on H2 in MariaDB mode.

ALTER TABLE callback ADD COLUMN name_file VARCHAR(255) NOT NULL DEFAULT '';
