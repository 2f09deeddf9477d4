-- Scheduled callbacks get ids from the server, in their own namespace (sched-<uuid>), never from the client: a
-- client-chosen id could name a live call (Asterisk's linkedid), whose offers would then go to the callbacks. The
-- client's optional idempotency key is kept apart, scoped to the user who sent it (a retried request finds that
-- user's callback; another user's same key is another callback). Runs unchanged on MariaDB and on H2 in MariaDB mode.

ALTER TABLE callback ADD COLUMN requested_by VARCHAR(64);
ALTER TABLE callback ADD COLUMN request_key VARCHAR(64);
CREATE UNIQUE INDEX ux_callback_request ON callback (requested_by, request_key);

-- Scheduled callbacks stored before this version with a client-chosen id move into the reserved namespace, so no
-- pending one can share an id with a call. Queued callbacks keep their call's id.
UPDATE callback SET callback_id = CONCAT('sched-', callback_id)
    WHERE kind = 'SCHEDULED' AND callback_id NOT LIKE 'sched-%' AND CHAR_LENGTH(callback_id) <= 90;
