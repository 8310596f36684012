//! Tests of a conflict's clashes and of re-applying the user's edits on the new version.

use super::*;
use conduit_types::draft::DraftField;
use conduit_types::{
    AuthFieldValue, AuthKind, AuthMethodDef, AuthSettings, CertificateState, ConnectorDefinition, ConnectorRef,
    FieldDef, InstanceAuthentication, InstanceDetails, InstanceStatus, Placement, TestRequestDef,
};

fn field(key: &str, secret: bool, placement: Placement) -> FieldDef {
    conduit_types::fixtures::field(key, &key.replace('_', " "), secret, placement)
}

fn method(key: &str, fields: Vec<FieldDef>) -> AuthMethodDef {
    AuthMethodDef {
        key: key.into(),
        label: key.into(),
        kind: AuthKind::Basic,
        fields,
        settings: AuthSettings::default(),
    }
}

fn base() -> InstanceSettings {
    InstanceSettings {
        id: 7,
        version: 3,
        connector: ConnectorRef {
            id: 1,
            name: "API".into(),
            definition: ConnectorDefinition {
                base_url: "https://{{host}}".into(),
                variables: vec![field("host", false, Placement::Url)],
                auth_methods: vec![
                    method(
                        "basic",
                        vec![field("username", false, Placement::Auth), field("password", true, Placement::Auth)],
                    ),
                    method("token", vec![field("token", true, Placement::Auth)]),
                ],
                test_request: TestRequestDef { method: "GET".into(), path: "/".into(), expected_statuses: vec![200] },
            },
        },
        details: InstanceDetails {
            name: "Orders".into(),
            time_zone: "Europe/London".into(),
            date_format: "Y-m-d".into(),
            rate_limit: None,
            connection_pool: None,
            variables: [("host".to_string(), "api.example.com".to_string())].into(),
        },
        authentication: InstanceAuthentication {
            method: "basic".into(),
            fields: [
                ("username".to_string(), AuthFieldValue::Plain { value: "ada".into() }),
                ("password".to_string(), AuthFieldValue::Secret { is_set: true }),
            ]
            .into(),
            authorised_at: None,
        },
        certificate: CertificateState::None,
        status: InstanceStatus::Operational,
        last_tested_at: None,
        last_checked_at: None,
        process_flows: vec![],
        connection_pools: vec![],
        oauth_callback_url: None,
    }
}

fn labels(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn disjoint_edits_are_reapplied_on_the_new_version() {
    let base = base();
    let mut mine = InstanceDraft::from_settings(&base);
    mine.details.name = "Orders (EU)".into();
    mine.authentication.fields.insert("password".into(), DraftField::Replace { value: "new-secret".into() });

    let mut theirs = base.clone();
    theirs.version = 4;
    theirs.details.time_zone = "Europe/Paris".into();
    theirs.details.variables.insert("host".into(), "eu.example.com".into());
    let their_changes = labels(&["time zone", "host"]);

    assert_eq!(clashes(&base, &mine, &their_changes), Vec::<String>::new());
    let rebased = rebase(&base, &mine, &theirs);
    assert_eq!(rebased.details.name, "Orders (EU)", "mine");
    assert_eq!(rebased.details.time_zone, "Europe/Paris", "theirs");
    assert_eq!(rebased.details.variables["host"], "eu.example.com", "theirs");
    assert_eq!(
        rebased.authentication.fields["password"],
        DraftField::Replace { value: "new-secret".into() },
        "a replaced secret stays replaced"
    );
    assert_eq!(rebased.authentication.fields["username"], DraftField::Plain { value: "ada".into() });
    // Against the new version only my edits are changes, the secret
    // among them: the rebuilt draft needs a test again.
    let changed: Vec<String> = changed_fields(&theirs, &rebased).into_iter().map(|c| c.label).collect();
    assert_eq!(changed, ["name", "password"]);
}

#[test]
fn overlapping_edits_are_named_and_mine_win_when_reapplied() {
    let base = base();
    let mut mine = InstanceDraft::from_settings(&base);
    mine.details.name = "Orders (mine)".into();
    mine.details.date_format = "U".into();
    let mut theirs = base.clone();
    theirs.details.name = "Orders (theirs)".into();
    let their_changes = labels(&["name", "password"]);

    assert_eq!(clashes(&base, &mine, &their_changes), ["name"]);
    let rebased = rebase(&base, &mine, &theirs);
    assert_eq!(rebased.details.name, "Orders (mine)");
    assert_eq!(rebased.details.date_format, "U");
    // Their new password (which the settings cannot show) is kept.
    assert_eq!(rebased.authentication.fields["password"], DraftField::Keep);
}

#[test]
fn a_secret_both_sides_replaced_clashes() {
    let base = base();
    let mut mine = InstanceDraft::from_settings(&base);
    mine.authentication.fields.insert("password".into(), DraftField::Replace { value: "mine".into() });
    assert_eq!(clashes(&base, &mine, &labels(&["password"])), ["password"]);
    let rebased = rebase(&base, &mine, &base);
    assert_eq!(rebased.authentication.fields["password"], DraftField::Replace { value: "mine".into() });
}

#[test]
fn their_change_of_method_clashes_with_my_authentication_edits() {
    let base = base();
    let mut mine = InstanceDraft::from_settings(&base);
    mine.authentication.fields.insert("username".into(), DraftField::Plain { value: "grace".into() });
    let mut theirs = base.clone();
    theirs.authentication = InstanceAuthentication {
        method: "token".into(),
        fields: [("token".to_string(), AuthFieldValue::Secret { is_set: true })].into(),
        authorised_at: None,
    };
    assert_eq!(clashes(&base, &mine, &labels(&["authentication method", "token"])), ["username"]);
    // Re-applying keeps my whole authentication, on my method.
    let rebased = rebase(&base, &mine, &theirs);
    assert_eq!(rebased.authentication, mine.authentication);

    // Had I not touched the authentication, theirs stays.
    let untouched = InstanceDraft::from_settings(&base);
    assert_eq!(rebase(&base, &untouched, &theirs).authentication.method, "token");
}

#[test]
fn removed_variables_and_uploads_are_my_edits_too() {
    let base = base();
    let mut mine = InstanceDraft::from_settings(&base);
    mine.details.variables.remove("host");
    mine.certificate = CertificateDraft::Remove;
    let rebased = rebase(&base, &mine, &base);
    assert!(!rebased.details.variables.contains_key("host"));
    assert_eq!(rebased.certificate, CertificateDraft::Remove);
}

#[test]
fn the_sentence_says_you_when_it_was_you() {
    // 14:02 UTC
    let at = 1_773_324_120;
    assert_eq!(
        sentence("Ada Lovelace", at, true),
        "You saved this elsewhere (in another tab or window) at 14:02, after this draft was started."
    );
    assert_eq!(sentence("Grace Hopper", at, false), "Grace Hopper saved this instance at 14:02, after you started editing.");
}
