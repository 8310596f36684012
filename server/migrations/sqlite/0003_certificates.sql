-- An instance's client certificate (for mutual TLS) and the CA it trusts.
-- The public parts are plain: the client certificate chain and the CA as PEM
-- text, and what the dashboard shows of them (a JSON StoredCertificates).
-- The private key, decrypted from the upload and kept as PKCS#8, is sealed by
-- the store under the master key, bound to the instance and to this purpose;
-- the upload's passphrase is never stored.

ALTER TABLE instances ADD COLUMN certificate_chain TEXT;
ALTER TABLE instances ADD COLUMN certificate_ca TEXT;
ALTER TABLE instances ADD COLUMN certificate_info TEXT;
ALTER TABLE instances ADD COLUMN certificate_key TEXT;
