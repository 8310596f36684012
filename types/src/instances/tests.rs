//! Tests of an instance's settings on the wire.

use super::*;

#[test]
fn secret_fields_carry_no_value_on_the_wire() {
    let json = serde_json::to_value(AuthFieldValue::Secret { is_set: true }).unwrap();
    assert_eq!(json, serde_json::json!({"kind": "secret", "is_set": true}));
}
