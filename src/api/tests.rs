//! Tests of reading the API's answers: bodies, error sentences, conflicts.

use super::*;

#[test]
fn a_success_body_decodes_to_its_type() {
    let me: Me = decode(
        200,
        r#"{"user":{"id":1,"name":"Ada","email":"ada@example.com"},
                "company":{"id":2,"name":"Acme"}}"#,
    )
    .unwrap();
    assert_eq!(me.company.name, "Acme");
}

#[test]
fn an_error_body_becomes_the_servers_sentence() {
    let err = decode::<Me>(
        401,
        r#"{"code":"unauthenticated","message":"That email and password do not match an account."}"#,
    )
    .unwrap_err();
    assert!(err.is_unauthenticated());
    assert_eq!(err.code(), Some(ErrorCode::Unauthenticated));
    assert_eq!(
        err.to_string(),
        "That email and password do not match an account."
    );
}

#[test]
fn not_found_is_recognised() {
    let err = decode_error(
        404,
        r#"{"code":"not_found","message":"There is no instance with that id."}"#,
    );
    assert!(err.is_not_found());
    assert!(!err.is_unauthenticated());
    assert_eq!(err.to_string(), "There is no instance with that id.");
}

#[test]
fn field_errors_are_found_by_field() {
    let err = decode_error(
        422,
        r#"{"code":"validation","message":"Some fields need attention.",
                "fields":[{"field":"email","message":"Enter an email address."}]}"#,
    );
    assert_eq!(err.field_message("email"), Some("Enter an email address."));
    assert_eq!(err.field_message("password"), None);
}

#[test]
fn a_body_that_is_not_ours_is_an_unreadable_answer() {
    let err = decode_error(502, "<html>Bad Gateway</html>");
    assert_eq!(err, ApiError::Unreadable { status: 502 });
    assert_eq!(
        err.to_string(),
        "The server gave an answer the dashboard could not read (HTTP 502). \
         Try again in a moment."
    );
    assert!(decode_error(401, "").is_unauthenticated());
    let garbled = decode::<Me>(200, "{").unwrap_err();
    assert_eq!(garbled, ApiError::Unreadable { status: 200 });
}

#[test]
fn conflict_and_test_required_answers_keep_their_details() {
    let err = decode_error(
        409,
            r#"{"code":"conflict","message":"Someone else saved this instance.",
            "conflict":{"saved_by":"Grace Hopper","saved_at":1773324120,"version":5}}"#,
    );
    assert_eq!(err.code(), Some(ErrorCode::Conflict));
    let ApiError::Server { body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(body.conflict.as_ref().map(|c| c.version), Some(5));
    let err = decode_error(
        422,
        r#"{"code":"test_required","message":"Test instance connection again before saving."}"#,
    );
    assert_eq!(err.code(), Some(ErrorCode::TestRequired));
    assert_eq!(
        err.to_string(),
        "Test instance connection again before saving."
    );
}

#[test]
fn a_cancelled_request_says_so() {
    assert_eq!(
        ApiError::Cancelled.to_string(),
        "The request was cancelled."
    );
    assert!(!ApiError::Cancelled.is_not_found());
}

#[test]
fn an_unreachable_server_is_one_readable_sentence() {
    assert_eq!(
        ApiError::Unreachable.to_string(),
        "The server could not be reached. Check your connection and try again."
    );
}

#[test]
fn every_request_is_built_under_the_base_path() {
    // Requests are built only by `get`, `post`, `put` and `delete`, which put
    // the base path before the address (crate::base_path::url).
    let source = include_str!("../api.rs");
    for builder in ["Request::get(", "Request::post(", "Request::put(", "Request::delete(", "Request::patch(", "RequestBuilder::new("] {
        let expected = usize::from(!builder.contains("patch") && !builder.contains("new"));
        assert_eq!(source.matches(builder).count(), expected, "{builder} outside the base path's helpers");
    }
    assert_eq!(source.matches("(&base_path::url(path))").count(), 4);
}
