-- A callback being dialled (issue 16): before its AMI Originate the engine claims the row with the fencing number of
-- its term (0 for a single engine) and when; the outcome of the attempt clears the claim. A claim still set when an
-- engine starts or takes over is an attempt whose engine stopped during it: that engine's call may still be ringing
-- or talking, so the callback is not dialled again until the claim is resolved (docs/CALLBACKS.md, "Callbacks
-- across a takeover"). The claim's transaction carries the lease guard, so a former active engine can never claim.
-- Runs unchanged on MariaDB and on H2 in MariaDB mode.
ALTER TABLE callback ADD COLUMN dialling_fence BIGINT;
ALTER TABLE callback ADD COLUMN dialling_ms BIGINT;
