//! Tests of the draft's wire form.

use super::*;

#[test]
fn drafts_travel_as_tagged_json() {
    let json = serde_json::to_value(DraftField::Replace { value: "s".into() }).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "replace", "value": "s"}));
    let keep: DraftField = serde_json::from_str(r#"{"kind":"keep"}"#).unwrap();
    assert_eq!(keep, DraftField::Keep);
    let cert: CertificateDraft = serde_json::from_str(r#"{"action":"keep"}"#).unwrap();
    assert_eq!(cert, CertificateDraft::Keep);
}
