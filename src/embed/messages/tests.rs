use super::*;

#[test]
fn reads_what_the_host_sends_and_ignores_anything_else() {
    assert_eq!(
        FromHost::parse(r#"{"type":"session","secret":"cs_abc"}"#),
        Some(FromHost::Session { secret: "cs_abc".into() })
    );
    assert_eq!(FromHost::parse(r#"{"type":"session-unavailable"}"#), Some(FromHost::SessionUnavailable));
    assert_eq!(FromHost::parse(r#"{"type":"save"}"#), Some(FromHost::Save));
    assert_eq!(FromHost::parse(r#"{"type":"discard"}"#), Some(FromHost::Discard));
    let Some(FromHost::Appearance { appearance }) =
        FromHost::parse(r##"{"type":"appearance","appearance":{"colorPrimary":"#112233"}}"##)
    else {
        panic!("appearance not read");
    };
    assert_eq!(appearance.get("colorPrimary").and_then(Value::as_str), Some("#112233"));
    for other in [r#"{"type":"eval","code":"x"}"#, r#"{"type":"session"}"#, "[]", "not json", r#"{"secret":"x"}"#] {
        assert_eq!(FromHost::parse(other), None, "{other}");
    }
}

#[test]
fn writes_the_documented_shapes() {
    assert_eq!(ToHost::Ready.to_json(), r#"{"type":"ready"}"#);
    assert_eq!(ToHost::Resize { height: 640 }.to_json(), r#"{"type":"resize","height":640}"#);
    assert_eq!(ToHost::Dirty { dirty: true }.to_json(), r#"{"type":"dirty","dirty":true}"#);
    assert_eq!(
        ToHost::Test { state: TestState::Started, message: None }.to_json(),
        r#"{"type":"test","state":"started"}"#
    );
    assert_eq!(
        ToHost::Test { state: TestState::Failed, message: Some("The server refused the password.".into()) }.to_json(),
        r#"{"type":"test","state":"failed","message":"The server refused the password."}"#
    );
    assert_eq!(ToHost::Saved { version: 4 }.to_json(), r#"{"type":"saved","version":4}"#);
    assert_eq!(ToHost::SessionNeeded.to_json(), r#"{"type":"session-needed"}"#);
    assert_eq!(ToHost::SessionExpired.to_json(), r#"{"type":"session-expired"}"#);
    assert_eq!(ToHost::Hello.to_json(), r#"{"type":"hello"}"#);
}

#[test]
fn knows_the_connect_message() {
    assert!(is_connect(r#"{"type":"conduit:connect"}"#));
    assert!(!is_connect(r#"{"type":"session"}"#));
    assert!(!is_connect("conduit:connect"));
}
