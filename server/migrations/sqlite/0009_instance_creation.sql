-- Creating instances from a new draft: what an instance was created from,
-- the passing test (its receipt's signature) or the authorisation (its id,
-- hashed), so that one test or authorisation creates one instance only.
-- Neither is a secret: the signature is an HMAC of the receipt's payload.
-- Instances made otherwise (the demo's, older ones) have none.

ALTER TABLE instances ADD COLUMN created_from TEXT;
CREATE UNIQUE INDEX instances_created_from ON instances (created_from);
