-- The background health checker: when it last tested the saved connection
-- (Unix seconds, UTC; NULL until its first check). An instance saved since
-- (updated_at later than this) is due for a check at once.
ALTER TABLE instances ADD COLUMN last_checked_at BIGINT;
