-- OAuth 2 authorisation code: the tokens an instance got by authorising with
-- the provider (one encrypted JSON object, written by the store only, apart
-- from the secrets map so saves that rebuild that map keep them), and when
-- it was last authorised. Times are Unix seconds (UTC).

ALTER TABLE instances ADD COLUMN oauth_tokens TEXT;
ALTER TABLE instances ADD COLUMN authorised_at BIGINT;
