use super::*;

#[test]
fn reads_what_the_host_sends_and_ignores_anything_else() {
    assert_eq!(FromHost::read("session", Some("cs_abc".into()), vec![]), Some(FromHost::Session { secret: "cs_abc".into() }));
    assert_eq!(FromHost::read("session-unavailable", None, vec![]), Some(FromHost::SessionUnavailable));
    assert_eq!(FromHost::read("save", None, vec![]), Some(FromHost::Save));
    assert_eq!(FromHost::read("discard", None, vec![]), Some(FromHost::Discard));
    let colour = ("colorPrimary".to_owned(), Setting::Text("#112233".into()));
    assert_eq!(FromHost::read("appearance", None, vec![colour.clone()]), Some(FromHost::Appearance(vec![colour])));
    assert_eq!(FromHost::read("session", None, vec![]), None, "a session needs its secret");
    assert_eq!(FromHost::read("session", Some(String::new()), vec![]), None);
    for other in ["eval", "", "conduit:connect", "SAVE"] {
        assert_eq!(FromHost::read(other, Some("x".into()), vec![]), None, "{other}");
    }
}

#[test]
fn writes_the_documented_shapes() {
    assert_eq!(ToHost::Ready.parts(), ("ready", vec![]));
    assert_eq!(ToHost::Hello.parts(), ("hello", vec![]));
    assert_eq!(ToHost::Resize { height: 640 }.parts(), ("resize", vec![("height", Field::Number(640.0))]));
    assert_eq!(ToHost::Dirty { dirty: true }.parts(), ("dirty", vec![("dirty", Field::Flag(true))]));
    assert_eq!(
        ToHost::Test { state: TestState::Started, message: None }.parts(),
        ("test", vec![("state", Field::Text("started".into()))])
    );
    assert_eq!(
        ToHost::Test { state: TestState::Failed, message: Some("The password was refused.".into()) }.parts(),
        ("test", vec![("state", Field::Text("failed".into())), ("message", Field::Text("The password was refused.".into()))])
    );
    assert_eq!(ToHost::Saved { version: 4 }.parts(), ("saved", vec![("version", Field::Number(4.0))]));
    assert_eq!(ToHost::SessionNeeded.parts().0, "session-needed");
    assert_eq!(ToHost::SessionExpired.parts().0, "session-expired");
    assert_eq!(ToHost::Error { message: "No.".into() }.parts(), ("error", vec![("message", Field::Text("No.".into()))]));
}
