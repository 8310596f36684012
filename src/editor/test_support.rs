//! Helpers for the editor's tests: the shared sample instance, and the
//! steps and answers several parts' tests need (a passing test, a server
//! error, authorising).

use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseStart, TestDraftResponse, TestReceipt,
};
use conduit_types::fixtures::{field, header, shopify_uk};
use conduit_types::{
    AuthFieldValue, ErrorBody, ErrorCode, FieldDef, FieldError, InstanceAuthentication, InstanceSettings,
    TestOutcome, TestResult, Timestamp,
};

use super::fields::SecretChoice;
use super::gate::Block;
use super::state::Editor;
use crate::api::ApiError;

/// The shared Shopify sample, with an optional header variable as well.
pub fn saved() -> InstanceSettings {
    let mut settings = shopify_uk();
    let region = FieldDef { required: false, ..field("region", "region", false, header("X-Region")) };
    settings.connector.definition.variables.push(region);
    settings
}

/// [`saved`] with no token stored (a required secret left unset).
pub fn saved_without_token() -> InstanceSettings {
    let mut settings = saved();
    settings.authentication.fields.insert("token".into(), AuthFieldValue::Secret { is_set: false });
    settings
}

/// An editor over [`saved`] whose stored token is being replaced by `token`
/// (a connection change, so save needs a passing test).
pub fn replacing_token(token: &str) -> Editor {
    let mut editor = Editor::new(saved());
    editor.set_secret_choice("token", SecretChoice::Replace);
    editor.set_secret_value("token", token.into());
    editor
}

pub fn passed_result() -> TestResult {
    TestResult {
        outcome: TestOutcome::Ok,
        message: "The credentials were accepted.".into(),
        steps: vec![],
        http_status: Some(200),
        duration_ms: 120,
        fix: None,
    }
}

pub fn pass(editor: &mut Editor) {
    let (ticket, request) = editor.begin_test(1_000).expect("the test starts");
    editor.finish_test(ticket, request.draft, test_answer(passed_result(), Some(("receipt-1", 2_000_000_000))));
}

/// The server's answer to a test: its result and, for a pass, the receipt
/// (token, expiry); no new status.
pub fn test_answer(result: TestResult, receipt: Option<(&str, Timestamp)>) -> Result<TestDraftResponse, ApiError> {
    Ok(TestDraftResponse {
        result,
        receipt: receipt.map(|(token, expires_at)| TestReceipt { token: token.into(), expires_at }),
        status: None,
    })
}

pub fn server_error(status: u16, code: ErrorCode, message: &str, fields: &[(&str, &str)]) -> ApiError {
    ApiError::Server {
        status,
        body: ErrorBody {
            code,
            message: message.into(),
            fields: fields
                .iter()
                .map(|(f, m)| FieldError {
                    field: f.to_string(),
                    message: m.to_string(),
                })
                .collect(),
            conflict: None,
        },
    }
}

pub fn visible(editor: &Editor) -> Vec<String> {
    editor.visible_errors().into_iter().map(|e| e.field).collect()
}

pub fn oauth_editor(authorised_at: Option<Timestamp>) -> Editor {
    let mut settings = saved();
    settings.authentication = InstanceAuthentication {
        method: "oauth_app".into(),
        fields: [
            ("client_id".to_string(), AuthFieldValue::Plain { value: "app".into() }),
            ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
        ]
        .into(),
        authorised_at,
    };
    Editor::new(settings)
}

pub fn status(editor: &Editor, state: AuthorisationState) -> AuthorisationStatus {
    AuthorisationStatus {
        instance_id: editor.saved().id,
        base_version: editor.saved().version,
        state,
        draft: editor.draft().clone(),
    }
}

pub fn start(editor: &mut Editor, mode: AuthoriseMode) -> String {
    let request = editor.begin_authorise(mode).expect("authorising starts");
    assert_eq!(request.mode, mode);
    assert_eq!(&request.draft, editor.draft());
    assert_eq!(editor.gate(), Err(Block::Authorising));
    let url = editor.authorise_started(Ok(AuthoriseStart {
        authorisation: "a1".into(),
        url: "https://provider.example/authorize?state=s".into(),
    }));
    assert_eq!(url.as_deref(), Some("https://provider.example/authorize?state=s"));
    "a1".into()
}
