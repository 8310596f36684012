//! Tests of the error body's wire form.

use super::*;

#[test]
fn error_body_omits_empty_field_list_and_reads_it_back() {
    let body = ErrorBody {
        code: ErrorCode::NotFound,
        message: "There is no instance with that id.".into(),
        fields: vec![],
        conflict: None,
    };
    let json = serde_json::to_string(&body).unwrap();
    assert_eq!(
        json,
        r#"{"code":"not_found","message":"There is no instance with that id."}"#
    );
    assert_eq!(serde_json::from_str::<ErrorBody>(&json).unwrap(), body);
}
