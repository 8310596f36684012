//! Test receipts: proof, signed by this server, that one draft's connection
//! passed a connection test.
//!
//! A receipt binds the company, the instance, the version the draft started
//! from (or, for a new instance's draft, the connector it is of and a mark
//! that it is new: no instance has id 0, and no existing instance's scope
//! names a connector, so neither kind can stand for the other), a keyed digest of the draft's connection part (secrets it replaces
//! included, so the digest is an HMAC: nobody can guess a secret offline from
//! it), the test's time and an expiry. It travels as
//! `base64url(payload).base64url(HMAC-SHA256(payload))`; the signature is
//! checked in constant time before anything in the payload is believed.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use conduit_types::draft::{ConnectionDraft, TestReceipt};
use conduit_types::{Id, Timestamp};
use ring::hmac;
use serde::{Deserialize, Serialize};

/// How long a passing test may be used to save.
pub const RECEIPT_SECONDS: i64 = 15 * 60;

/// Signs and checks receipts. Its Debug output shows nothing of the keys.
pub struct ReceiptKey {
    sign: hmac::Key,
    digest: hmac::Key,
}

impl fmt::Debug for ReceiptKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptKey(…)")
    }
}

/// What a receipt is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReceiptScope {
    pub company_id: Id,
    pub instance_id: Id,
    pub base_version: i64,
    /// For a new instance's draft: the connector it is of (then
    /// `instance_id` and `base_version` are 0). `None` for an instance's.
    pub new_of: Option<Id>,
}

impl ReceiptScope {
    /// The scope of a draft of an existing instance.
    pub fn instance(company_id: Id, instance_id: Id, base_version: i64) -> ReceiptScope {
        ReceiptScope { company_id, instance_id, base_version, new_of: None }
    }

    /// The scope of a new instance's draft of `connector_id`.
    pub fn new_instance(company_id: Id, connector_id: Id) -> ReceiptScope {
        ReceiptScope { company_id, instance_id: 0, base_version: 0, new_of: Some(connector_id) }
    }
}

#[derive(Serialize, Deserialize)]
struct Payload {
    c: Id,
    i: Id,
    v: i64,
    /// the connector of a new instance's draft
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<Id>,
    /// hex HMAC of the connection draft
    d: String,
    /// tested at
    t: Timestamp,
    /// expires at
    e: Timestamp,
}

/// Why a receipt is not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptError {
    /// Not a receipt this server signed (garbage, or tampered with).
    Invalid,
    /// Signed here, but too old.
    Expired,
    /// Signed here, for another company, instance, version or draft.
    OtherDraft,
}

impl ReceiptKey {
    pub(crate) fn new(sign: &[u8; 32], digest: &[u8; 32]) -> ReceiptKey {
        ReceiptKey {
            sign: hmac::Key::new(hmac::HMAC_SHA256, sign),
            digest: hmac::Key::new(hmac::HMAC_SHA256, digest),
        }
    }

    fn digest(&self, connection: &ConnectionDraft<'_>) -> String {
        // Serialising plain maps and enums cannot fail; if it ever did, the
        // empty digest matches no receipt.
        let bytes = serde_json::to_vec(connection).unwrap_or_default();
        hex::encode(hmac::sign(&self.digest, &bytes))
    }

    /// A receipt for `connection`, tested at `tested_at`.
    pub fn issue(&self, scope: ReceiptScope, connection: &ConnectionDraft<'_>, tested_at: Timestamp) -> TestReceipt {
        let expires_at = tested_at + RECEIPT_SECONDS;
        let payload = Payload {
            c: scope.company_id,
            i: scope.instance_id,
            v: scope.base_version,
            n: scope.new_of,
            d: self.digest(connection),
            t: tested_at,
            e: expires_at,
        };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap_or_default());
        let mac = URL_SAFE_NO_PAD.encode(hmac::sign(&self.sign, payload.as_bytes()));
        TestReceipt { token: format!("{payload}.{mac}"), expires_at }
    }

    /// Checks `token` against what is being saved; answers the test's time.
    pub fn verify(
        &self,
        token: &str,
        scope: ReceiptScope,
        connection: &ConnectionDraft<'_>,
        now: Timestamp,
    ) -> Result<Timestamp, ReceiptError> {
        let (payload_b64, mac_b64) = token.split_once('.').ok_or(ReceiptError::Invalid)?;
        let mac = URL_SAFE_NO_PAD.decode(mac_b64).map_err(|_| ReceiptError::Invalid)?;
        hmac::verify(&self.sign, payload_b64.as_bytes(), &mac).map_err(|_| ReceiptError::Invalid)?;
        let payload: Payload = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(ReceiptError::Invalid)?;
        if now >= payload.e {
            return Err(ReceiptError::Expired);
        }
        let same = payload.c == scope.company_id
            && payload.i == scope.instance_id
            && payload.v == scope.base_version
            && payload.n == scope.new_of
            && payload.d == self.digest(connection);
        if !same {
            return Err(ReceiptError::OtherDraft);
        }
        Ok(payload.t)
    }
}

/// What names one receipt among all others: its signature (not a secret:
/// an HMAC of its payload). `None` for what is not shaped like a receipt.
pub fn receipt_id(token: &str) -> Option<&str> {
    token.split_once('.').map(|(_, mac)| mac).filter(|mac| !mac.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use conduit_types::draft::{CertificateDraft, DraftAuthentication, DraftField};
    use std::collections::BTreeMap;

    const NOW: Timestamp = 1_800_000_000;

    fn scope() -> ReceiptScope {
        ReceiptScope::instance(1, 7, 3)
    }

    struct Draft {
        variables: BTreeMap<String, String>,
        auth: DraftAuthentication,
        certificate: CertificateDraft,
    }

    impl Draft {
        fn new(token: &str) -> Draft {
            Draft {
                variables: BTreeMap::from([("base_url".into(), "https://api.example.com".into())]),
                auth: DraftAuthentication {
                    method: "bearer".into(),
                    fields: BTreeMap::from([("token".into(), DraftField::Replace { value: token.into() })]),
                },
                certificate: CertificateDraft::Keep,
            }
        }
        fn connection(&self) -> ConnectionDraft<'_> {
            ConnectionDraft { variables: &self.variables, authentication: &self.auth, certificate: &self.certificate }
        }
    }

    fn key() -> ReceiptKey {
        ReceiptKey::new(&[9; 32], &[19; 32])
    }

    /// Another server's key.
    fn other_key() -> ReceiptKey {
        ReceiptKey::new(&[8; 32], &[18; 32])
    }

    #[test]
    fn a_receipt_verifies_for_exactly_its_draft_until_it_expires() {
        let key = key();
        let draft = Draft::new("t-1");
        let receipt = key.issue(scope(), &draft.connection(), NOW);
        assert_eq!(receipt.expires_at, NOW + RECEIPT_SECONDS);
        assert_eq!(key.verify(&receipt.token, scope(), &draft.connection(), NOW + 60), Ok(NOW));
        assert_eq!(
            key.verify(&receipt.token, scope(), &draft.connection(), NOW + RECEIPT_SECONDS - 1),
            Ok(NOW)
        );
        assert_eq!(
            key.verify(&receipt.token, scope(), &draft.connection(), NOW + RECEIPT_SECONDS),
            Err(ReceiptError::Expired)
        );
    }

    #[test]
    fn the_receipt_holds_no_secret_and_its_digest_is_keyed() {
        let draft = Draft::new("very-secret-token");
        let receipt = key().issue(scope(), &draft.connection(), NOW);
        let payload = URL_SAFE_NO_PAD.decode(receipt.token.split('.').next().unwrap()).unwrap();
        let payload = String::from_utf8(payload).unwrap();
        assert!(!payload.contains("very-secret-token"), "{payload}");
        // Another server key gives another digest for the same draft.
        let other = other_key();
        assert_ne!(key().digest(&draft.connection()), other.digest(&draft.connection()));
    }

    #[test]
    fn tampering_with_the_payload_or_the_signature_is_invalid() {
        let key = key();
        let draft = Draft::new("t-1");
        let receipt = key.issue(scope(), &draft.connection(), NOW);
        let (payload, mac) = receipt.token.split_once('.').unwrap();

        // A payload rewritten to another expiry, with the old signature.
        let mut forged: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        forged["e"] = serde_json::json!(NOW + 10 * RECEIPT_SECONDS);
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        let later = NOW + 2 * RECEIPT_SECONDS;
        assert_eq!(
            key.verify(&format!("{forged}.{mac}"), scope(), &draft.connection(), later),
            Err(ReceiptError::Invalid)
        );

        let mut mac_bytes = URL_SAFE_NO_PAD.decode(mac).unwrap();
        mac_bytes[0] ^= 1;
        let bad_mac = URL_SAFE_NO_PAD.encode(mac_bytes);
        for token in [
            format!("{payload}.{bad_mac}"),
            format!("{payload}."),
            payload.to_owned(),
            "garbage".to_owned(),
            String::new(),
            "not base64!.also not".to_owned(),
        ] {
            assert_eq!(key.verify(&token, scope(), &draft.connection(), NOW), Err(ReceiptError::Invalid), "{token}");
        }
        // Signed by another server's key.
        let foreign = other_key().issue(scope(), &draft.connection(), NOW);
        assert_eq!(key.verify(&foreign.token, scope(), &draft.connection(), NOW), Err(ReceiptError::Invalid));
    }

    #[test]
    fn another_instance_company_version_or_draft_is_refused() {
        let key = key();
        let draft = Draft::new("t-1");
        let token = key.issue(scope(), &draft.connection(), NOW).token;
        let check = |scope, draft: &Draft| key.verify(&token, scope, &draft.connection(), NOW + 1);

        assert_eq!(check(ReceiptScope { instance_id: 8, ..scope() }, &draft), Err(ReceiptError::OtherDraft));
        assert_eq!(check(ReceiptScope { company_id: 2, ..scope() }, &draft), Err(ReceiptError::OtherDraft));
        assert_eq!(check(ReceiptScope { base_version: 4, ..scope() }, &draft), Err(ReceiptError::OtherDraft));
        assert_eq!(check(ReceiptScope { new_of: Some(1), ..scope() }, &draft), Err(ReceiptError::OtherDraft));
        assert_eq!(check(scope(), &Draft::new("t-2")), Err(ReceiptError::OtherDraft), "another secret");

        let mut other_host = Draft::new("t-1");
        other_host.variables.insert("base_url".into(), "https://evil.example".into());
        assert_eq!(check(scope(), &other_host), Err(ReceiptError::OtherDraft));

        let mut kept = Draft::new("t-1");
        kept.auth.fields.insert("token".into(), DraftField::Keep);
        assert_eq!(check(scope(), &kept), Err(ReceiptError::OtherDraft), "keeping is not replacing");

        let mut removes = Draft::new("t-1");
        removes.certificate = CertificateDraft::Remove;
        assert_eq!(check(scope(), &removes), Err(ReceiptError::OtherDraft));
    }

    #[test]
    fn two_receipts_of_one_draft_have_two_ids() {
        let (key, draft) = (key(), Draft::new("t-1"));
        let first = key.issue(scope(), &draft.connection(), NOW).token;
        let second = key.issue(scope(), &draft.connection(), NOW + 1).token;
        assert_ne!(receipt_id(&first), receipt_id(&second));
        assert!(receipt_id(&first).is_some_and(|id| !first.starts_with(id)));
        assert_eq!(receipt_id("garbage"), None);
        assert_eq!(receipt_id("payload."), None);
    }

    #[test]
    fn a_new_drafts_receipt_is_for_its_company_and_connector_only_and_never_an_instances() {
        let key = key();
        let draft = Draft::new("t-1");
        let new = ReceiptScope::new_instance(1, 4);
        let token = key.issue(new, &draft.connection(), NOW).token;
        let check = |scope| key.verify(&token, scope, &draft.connection(), NOW + 1);
        assert_eq!(check(new), Ok(NOW));
        assert_eq!(check(ReceiptScope::new_instance(1, 5)), Err(ReceiptError::OtherDraft), "another connector");
        assert_eq!(check(ReceiptScope::new_instance(2, 4)), Err(ReceiptError::OtherDraft), "another company");
        assert_eq!(check(ReceiptScope::instance(1, 0, 0)), Err(ReceiptError::OtherDraft), "not new");
        assert_eq!(check(ReceiptScope::instance(1, 4, 0)), Err(ReceiptError::OtherDraft));
        // An instance's receipt does not create one either.
        let instance_token = key.issue(ReceiptScope::instance(1, 7, 3), &draft.connection(), NOW).token;
        assert_eq!(key.verify(&instance_token, new, &draft.connection(), NOW + 1), Err(ReceiptError::OtherDraft));
    }
}
