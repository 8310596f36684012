//! Tests of test runs: tickets, cancelling, receipts and where a failed test's errors go.

use conduit_types::draft::TestDraftResponse;
use conduit_types::{ErrorCode, InstanceStatus, TestOutcome, TestResult};

use crate::editor::test_support::*;
use crate::editor::{Activity, Block, Editor, SecretChoice, TestReport};

#[test]
fn replacing_a_credential_needs_a_passing_test_of_that_credential() {
    let mut editor = replacing_token("new-token");
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    assert_eq!(
        Block::NeedsTest.sentence(),
        "These changes affect the connection: test instance connection, and save once the test passes."
    );

    pass(&mut editor);
    assert_eq!(editor.gate(), Ok(()));
    assert!(
        matches!(editor.last_test(), Some(TestReport::Finished(r)) if r.outcome == TestOutcome::Ok)
    );

    // Renaming after the pass needs no second test: the name is not the connection.
    editor.set_name("Shopify - GB".into());
    assert_eq!(editor.gate(), Ok(()));
    let request = editor.begin_save().unwrap();
    assert_eq!(request.receipt.as_deref(), Some("receipt-1"));
}

#[test]
fn a_connection_edit_after_a_pass_locks_save_again() {
    let mut editor = replacing_token("new-token");
    pass(&mut editor);
    assert_eq!(editor.gate(), Ok(()));

    editor.set_variable("region", "eu".into());
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
    // Putting the connection back as it was tested unlocks it again.
    editor.set_variable("region", String::new());
    assert_eq!(editor.gate(), Ok(()));
    editor.set_secret_value("token", "another".into());
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
}

#[test]
fn a_failed_test_gives_no_receipt() {
    let mut editor = replacing_token("wrong");
    let (ticket, request) = editor.begin_test(0).unwrap();
    assert_eq!(editor.gate(), Err(Block::Testing));
    let result = TestResult {
        outcome: TestOutcome::AuthRejected,
        message: "The token was not accepted.".into(),
        ..passed_result()
    };
    editor.finish_test(ticket, request.draft, test_answer(result, None));
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
}

#[test]
fn a_cancelled_test_ignores_its_late_answer() {
    let mut editor = replacing_token("t");
    let (ticket, request) = editor.begin_test(0).unwrap();
    editor.cancel_test();
    assert_eq!(editor.last_test(), Some(&TestReport::Cancelled));
    assert_eq!(editor.activity(), &Activity::Idle);
    editor.finish_test(ticket, request.draft, test_answer(passed_result(), Some(("late", 0))));
    assert_eq!(editor.last_test(), Some(&TestReport::Cancelled));
    assert_eq!(editor.gate(), Err(Block::NeedsTest));
}

#[test]
fn a_test_with_fields_to_fix_is_not_sent_and_shows_them() {
    let mut editor = Editor::new(saved());
    editor.set_secret_choice("token", SecretChoice::Replace);
    assert_eq!(
        visible(&editor),
        Vec::<String>::new(),
        "no nagging before typing"
    );
    assert_eq!(editor.begin_test(0), None);
    assert_eq!(visible(&editor), ["authentication.token"]);
    assert_eq!(editor.activity(), &Activity::Idle);
}

#[test]
fn test_validation_errors_go_to_the_fields() {
    let mut editor = replacing_token("t");
    let (ticket, request) = editor.begin_test(0).unwrap();
    editor.finish_test(
        ticket,
        request.draft,
        Err(server_error(
            422,
            ErrorCode::Validation,
            "Some fields need attention.",
            &[("authentication.token", "The token has an unexpected form.")],
        )),
    );
    assert_eq!(visible(&editor), ["authentication.token"]);
    assert!(editor.tab_marks()[1].errors);
    assert_eq!(
        editor.last_test(),
        Some(&TestReport::NotRun("Some fields need attention.".into()))
    );
}

#[test]
fn too_many_tests_is_said_as_the_servers_sentence() {
    let mut editor = Editor::new(saved());
    let (ticket, request) = editor.begin_test(0).unwrap();
    editor.finish_test(
        ticket,
        request.draft,
        Err(server_error(
            429,
            ErrorCode::TooManyRequests,
            "Your company is already running several tests. Try again in a moment.",
            &[],
        )),
    );
    assert_eq!(
        editor.last_test(),
        Some(&TestReport::NotRun(
            "Your company is already running several tests. Try again in a moment.".into()
        ))
    );
}

#[test]
fn a_test_of_the_saved_connection_updates_the_saved_status() {
    let mut editor = Editor::new(saved());
    let (ticket, request) = editor.begin_test(1_800_000_000_000).unwrap();
    let mut failed = passed_result();
    failed.outcome = TestOutcome::AuthRejected;
    let answer = TestDraftResponse { result: failed, receipt: None, status: Some(InstanceStatus::FailedAuthentication) };
    editor.finish_test(ticket, request.draft, Ok(answer));
    assert_eq!(editor.saved().status, InstanceStatus::FailedAuthentication);
    assert_eq!(editor.saved().last_tested_at, Some(1_800_000_000), "tested as of when the test began");
    assert!(!editor.is_dirty(), "the status is not an edit");
}

#[test]
fn an_answer_from_before_a_reset_does_not_finish_a_later_test() {
    let mut editor = Editor::new(saved());
    let (old, request) = editor.begin_test(0).unwrap();
    editor.reset(saved());
    let (ticket, _) = editor.begin_test(1).unwrap();
    assert_ne!(ticket, old, "every test has its own ticket");
    let answer = TestDraftResponse { result: passed_result(), receipt: None, status: None };
    editor.finish_test(old, request.draft, Ok(answer));
    assert_eq!(editor.activity(), &Activity::Testing { started_ms: 1, ticket });
    assert_eq!(editor.last_test(), None);
}
