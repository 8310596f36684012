use super::*;

fn look() -> Look {
    Look { version: 3, ..Look::default() }
}

#[test]
fn nothing_changed_says_nothing() {
    assert!(events(&look(), &look()).is_empty());
}

#[test]
fn an_edit_then_a_test_that_passes_then_a_save() {
    let edited = Look { dirty: true, ..look() };
    assert_eq!(events(&look(), &edited), [ToHost::Dirty { dirty: true }]);

    let testing = Look { testing: true, ..edited.clone() };
    assert_eq!(events(&edited, &testing), [ToHost::Test { state: TestState::Started, message: None }]);

    let passed = Look { last_test: Some((true, "Connected.".into())), ..edited.clone() };
    assert_eq!(events(&testing, &passed), [ToHost::Test { state: TestState::Passed, message: Some("Connected.".into()) }]);

    let saved = Look { version: 4, just_saved: true, ..look() };
    assert_eq!(events(&passed, &saved), [ToHost::Saved { version: 4 }, ToHost::Dirty { dirty: false }]);
    // Still showing "saved" later is not another save.
    assert!(events(&saved, &saved.clone()).is_empty());
}

#[test]
fn a_failed_or_cancelled_test_is_failed_with_its_sentence() {
    let testing = Look { testing: true, ..look() };
    let failed = Look { last_test: Some((false, "The password was refused.".into())), ..look() };
    assert_eq!(
        events(&testing, &failed),
        [ToHost::Test { state: TestState::Failed, message: Some("The password was refused.".into()) }]
    );
    let ToHost::Test { state, message } = &events(&testing, &look())[0] else { panic!("no test event") };
    assert_eq!((*state, message.as_deref()), (TestState::Failed, Some("The test was cancelled.")));
}

#[test]
fn a_reload_to_a_newer_version_is_not_a_save() {
    let reloaded = Look { version: 9, ..look() };
    assert!(events(&look(), &reloaded).is_empty());
}
