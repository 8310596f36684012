//! Tests of the draft rules (what changed, validation, kept secrets) on
//! the shared generic API sample.

use super::*;
use crate::{AuthFieldValue, CertificateState, FieldDef, FieldError, InstanceAuthentication, InstanceSettings, Placement, RateLimit, RateLimitUnit};

fn field(key: &str, secret: bool, placement: Placement) -> FieldDef {
    crate::fixtures::field(key, &key.replace('_', " "), secret, placement)
}

fn saved() -> InstanceSettings {
    crate::fixtures::warehouse()
}

fn labels(saved: &InstanceSettings, draft: &InstanceDraft) -> Vec<String> {
    changed_fields(saved, draft)
        .into_iter()
        .map(|c| c.label)
        .collect()
}

fn fields_of(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_draft_of_the_saved_settings_is_unchanged_and_valid() {
    let saved = saved();
    let draft = InstanceDraft::from_settings(&saved);
    assert!(changed_fields(&saved, &draft).is_empty());
    assert_eq!(validate(&saved, &draft), vec![]);
    assert_eq!(draft.authentication.fields["token"], DraftField::Keep);
}

#[test]
fn unknown_keys_are_refused_without_being_repeated() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    let long = "k".repeat(100_000);
    for key in [long.as_str(), "<script>", "other"] {
        draft.details.variables.insert(key.into(), "v".into());
        draft
            .authentication
            .fields
            .insert(key.into(), DraftField::Plain { value: "v".into() });
    }
    let errors = validate(&saved, &draft);
    assert_eq!(
        errors,
        vec![
            FieldError { field: FIELD_VARIABLES.into(), message: UNKNOWN_VARIABLES.into() },
            FieldError { field: FIELD_AUTH_METHOD.into(), message: UNKNOWN_AUTH_FIELDS.into() },
        ],
        "one generic error per part, whatever the number of keys"
    );
    for e in &errors {
        for key in [long.as_str(), "<script>", "other"] {
            assert!(!e.field.contains(key) && !e.message.contains(key), "{e:?}");
        }
    }
}

#[test]
fn details_changes_do_not_touch_the_connection() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.details.name = "Warehouse EU".into();
    draft.details.time_zone = "Europe/Paris".into();
    draft.details.date_format = "Y-m-d".into();
    draft.details.rate_limit = None;
    draft.details.connection_pool = Some("bulk".into());
    assert_eq!(
        labels(&saved, &draft),
        [
            "name",
            "time zone",
            "date format",
            "rate limit",
            "connection pool"
        ]
    );
    assert!(!changes_connection(&saved, &draft));
    assert_eq!(validate(&saved, &draft), vec![]);
}

#[test]
fn replacing_a_secret_changes_the_connection_but_not_its_destination() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft
        .authentication
        .fields
        .insert("token".into(), DraftField::Replace { value: "t2".into() });
    assert!(changes_connection(&saved, &draft));
    assert!(!changes_destination(&saved, &draft));
    assert_eq!(labels(&saved, &draft), ["token"]);
    assert_eq!(
        changed_fields(&saved, &draft)[0].section,
        Section::Authentication
    );
}

#[test]
fn a_header_variable_changes_the_connection_and_a_url_variable_its_destination() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.details.variables.insert("region".into(), "eu".into());
    assert!(changes_connection(&saved, &draft));
    assert!(!changes_destination(&saved, &draft));
    assert_eq!(validate(&saved, &draft), vec![]);

    draft
        .details
        .variables
        .insert("host".into(), "evil.example".into());
    assert!(changes_destination(&saved, &draft));
    let errors = validate(&saved, &draft);
    assert_eq!(fields_of(&errors), ["authentication.token"]);
    assert_eq!(errors[0].message, reenter_message("token"));

    // Entering the secret again makes the draft acceptable.
    draft
        .authentication
        .fields
        .insert("token".into(), DraftField::Replace { value: "t".into() });
    assert_eq!(validate(&saved, &draft), vec![]);
}

#[test]
fn a_new_token_url_means_the_client_secret_is_entered_again() {
    let mut saved = saved();
    saved.authentication = InstanceAuthentication {
        method: "cc".into(),
        fields: [
            (
                "token_url".to_string(),
                AuthFieldValue::Plain {
                    value: "https://id.example/token".into(),
                },
            ),
            (
                "client_id".to_string(),
                AuthFieldValue::Plain {
                    value: "app".into(),
                },
            ),
            (
                "client_secret".to_string(),
                AuthFieldValue::Secret { is_set: true },
            ),
        ]
        .into(),
        authorised_at: None,
    };
    let mut draft = InstanceDraft::from_settings(&saved);
    assert_eq!(validate(&saved, &draft), vec![]);
    draft.authentication.fields.insert(
        "token_url".into(),
        DraftField::Plain {
            value: "https://evil.example/t".into(),
        },
    );
    assert!(changes_destination(&saved, &draft));
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        ["authentication.client_secret"]
    );
    // The client id is not a destination: changing it alone keeps the secret usable.
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.authentication.fields.insert(
        "client_id".into(),
        DraftField::Plain {
            value: "app2".into(),
        },
    );
    assert!(changes_connection(&saved, &draft));
    assert!(!changes_destination(&saved, &draft));
    assert_eq!(validate(&saved, &draft), vec![]);
}

#[test]
fn an_address_field_must_hold_an_http_address() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.choose_method(&saved, "cc");
    draft.authentication.fields.insert("client_id".into(), DraftField::Plain { value: "app".into() });
    draft.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: "s".into() });
    let token_url = |draft: &mut InstanceDraft, value: &str| {
        draft.authentication.fields.insert("token_url".into(), DraftField::Plain { value: value.into() });
        validate(&saved, draft)
    };
    let errors = token_url(&mut draft, "id.example.com/token");
    assert_eq!(fields_of(&errors), ["authentication.token_url"]);
    assert_eq!(
        errors[0].message,
        "The token url must start with http:// or https://, e.g. https://api.example.com."
    );
    assert!(token_url(&mut draft, "ftp://id.example.com/token")[0].message.contains("http://"));
    assert!(token_url(&mut draft, "https:///token")[0].message.contains("host name"));
    assert_eq!(token_url(&mut draft, "https://id.example.com/token"), vec![]);
    // A field that is not an address takes any text without spaces.
    draft.authentication.fields.insert("client_id".into(), DraftField::Plain { value: "id.example.com".into() });
    assert_eq!(validate(&saved, &draft), vec![]);
}

#[test]
fn choosing_another_method_starts_its_fields_empty_and_needs_them_all() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.choose_method(&saved, "cc");
    assert!(changes_destination(&saved, &draft));
    assert_eq!(labels(&saved, &draft), ["authentication method"]);
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        [
            "authentication.token_url",
            "authentication.client_id",
            "authentication.client_secret"
        ]
    );
    // Going back to the saved method restores its saved values.
    draft.choose_method(&saved, "bearer");
    assert_eq!(draft.authentication.fields["token"], DraftField::Keep);
    assert!(changed_fields(&saved, &draft).is_empty());
}

#[test]
fn clearing_a_required_secret_or_leaving_a_new_one_empty_is_refused() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft
        .authentication
        .fields
        .insert("token".into(), DraftField::Clear);
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        ["authentication.token"]
    );
    draft.authentication.fields.insert(
        "token".into(),
        DraftField::Replace {
            value: String::new(),
        },
    );
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        ["authentication.token"]
    );
    draft
        .authentication
        .fields
        .insert("token".into(), DraftField::Plain { value: "x".into() });
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        ["authentication.token"]
    );
}

#[test]
fn keeping_a_secret_that_was_never_stored_is_missing() {
    let mut saved = saved();
    saved
        .authentication
        .fields
        .insert("token".into(), AuthFieldValue::Secret { is_set: false });
    let draft = InstanceDraft::from_settings(&saved);
    let errors = validate(&saved, &draft);
    assert_eq!(errors[0].message, "Enter the token.");
}

#[test]
fn details_are_checked_field_by_field() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.details.name = "   ".into();
    draft.details.time_zone = "Mars/Olympus".into();
    draft.details.date_format = "dd-mm".into();
    draft.details.rate_limit = Some(RateLimit {
        amount: 0,
        unit: RateLimitUnit::Day,
    });
    draft.details.connection_pool = Some("someone else's".into());
    draft.details.variables.insert("host".into(), "".into());
    draft.details.variables.insert("bogus".into(), "x".into());
    assert_eq!(
        fields_of(&validate(&saved, &draft)),
        [
            "name",
            "time_zone",
            "date_format",
            "rate_limit",
            "connection_pool",
            "variables",
            "variables.host",
            // The host changed, so the stored token cannot follow it.
            "authentication.token",
        ]
    );
    draft.details.name = "x".repeat(NAME_MAX_CHARS + 1);
    draft.details.variables.remove("bogus");
    draft.details.variables.insert("host".into(), "a b".into());
    let errors = validate(&saved, &draft);
    assert!(errors
        .iter()
        .any(|e| e.field == "name" && e.message.contains("at most 100")));
    assert!(errors
        .iter()
        .any(|e| e.field == "variables.host" && e.message.contains("spaces")));
}

#[test]
fn the_connection_part_leaves_out_the_details_that_do_not_matter() {
    let saved = saved();
    let draft = InstanceDraft::from_settings(&saved);
    let mut renamed = draft.clone();
    renamed.details.name = "Other".into();
    assert_eq!(draft.connection(), renamed.connection());
    let mut other_host = draft.clone();
    other_host
        .details
        .variables
        .insert("host".into(), "b.example".into());
    assert_ne!(draft.connection(), other_host.connection());
}

#[test]
fn an_uploaded_certificate_changes_the_connection_and_never_shows_its_key() {
    let saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    let upload = CertificateUpload {
        identity: Some(IdentityUpload::Pem {
            certificate_pem: "-----BEGIN CERTIFICATE-----".into(),
            private_key_pem: "KEY MATERIAL".into(),
            passphrase: "PASSPHRASE".into(),
        }),
        ca_certificate_pem: None,
    };
    draft.certificate = CertificateDraft::Upload(upload.clone());
    assert_eq!(labels(&saved, &draft), vec!["client certificate"]);
    assert!(changes_connection(&saved, &draft));
    assert!(!changes_destination(&saved, &draft));

    let debug = format!("{:?}", draft);
    assert!(!debug.contains("KEY MATERIAL") && !debug.contains("PASSPHRASE"), "{debug}");

    let json = serde_json::to_value(&draft.certificate).unwrap();
    assert_eq!(json["action"], "upload");
    assert_eq!(json["identity"]["format"], "pem");
    let back: CertificateDraft = serde_json::from_value(json).unwrap();
    assert_eq!(back, draft.certificate);

    // Removing a certificate that is not there changes nothing.
    draft.certificate = CertificateDraft::Remove;
    assert_eq!(labels(&saved, &draft), Vec::<String>::new());
}

#[test]
fn a_choice_of_client_authentication_changes_the_connection_but_not_where_it_goes() {
    let mut saved = saved();
    let client_auth = FieldDef {
        required: false,
        choices: ["basic_header", "request_body"]
            .map(|v| crate::FieldChoice { value: v.into(), label: v.replace('_', " ") })
            .into(),
        label: "client authentication".into(),
        ..field(crate::CLIENT_AUTH_FIELD, false, Placement::Auth)
    };
    saved.connector.definition.auth_methods[1].fields.push(client_auth);
    saved.authentication = InstanceAuthentication {
        method: "cc".into(),
        fields: [
            ("token_url".to_string(), AuthFieldValue::Plain { value: "https://id.example/token".into() }),
            ("client_id".to_string(), AuthFieldValue::Plain { value: "c1".into() }),
            ("client_secret".to_string(), AuthFieldValue::Secret { is_set: true }),
        ]
        .into(),
        authorised_at: None,
    };
    let set = |value: &str| {
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.authentication.fields.insert(
            crate::CLIENT_AUTH_FIELD.into(),
            DraftField::Plain { value: value.into() },
        );
        draft
    };
    // Choosing the first choice explicitly is what an empty value meant.
    assert!(changed_fields(&saved, &set("basic_header")).is_empty());
    assert_eq!(validate(&saved, &set("basic_header")), vec![]);

    let body = set("request_body");
    assert_eq!(labels(&saved, &body), vec!["client authentication"]);
    assert!(changes_connection(&saved, &body));
    assert!(!changes_destination(&saved, &body), "the secret goes to the same token URL");
    assert_eq!(validate(&saved, &body), vec![], "the stored secret can be kept");

    let errors = validate(&saved, &set("in a pigeon"));
    assert_eq!(fields_of(&errors), vec!["authentication.client_auth"]);
    assert_eq!(errors[0].message, "Choose the client authentication from the list.");
    assert!(!errors[0].message.contains("pigeon"));
}

#[test]
fn a_ca_alone_is_an_upload_and_removing_it_alone_a_change() {
    let mut saved = saved();
    let mut draft = InstanceDraft::from_settings(&saved);
    let ca_only: CertificateDraft =
        serde_json::from_str(r#"{"action":"upload","ca_certificate_pem":"-----BEGIN CERTIFICATE-----"}"#).unwrap();
    let CertificateDraft::Upload(upload) = &ca_only else { panic!("{ca_only:?}") };
    assert!(upload.identity.is_none());
    assert!(format!("{upload:?}").contains("ca only"));
    draft.certificate = ca_only.clone();
    assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
    assert!(changes_connection(&saved, &draft));
    assert_eq!(serde_json::to_value(&draft.certificate).unwrap().get("identity"), None);

    // Nothing stored: removing the CA changes nothing.
    draft.certificate = CertificateDraft::RemoveCa;
    assert_eq!(labels(&saved, &draft), Vec::<String>::new());

    let info = crate::CertificateInfo {
        subject: "CN=Partner CA".into(),
        issuer: "CN=Partner CA".into(),
        subject_alt_names: vec![],
        not_before: 0,
        not_after: 100,
        sha256_fingerprint: "AA".into(),
        key_type: "ECDSA P-256".into(),
    };
    let stored = crate::StoredCertificates { client: None, ca: Some(info.clone()) };
    assert_eq!(stored.not_after(), 100);
    saved.certificate = CertificateState::Stored(stored);
    assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
    draft.certificate = CertificateDraft::Remove;
    assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);

    // A client certificate and a CA: removing the CA alone is a change of the CA.
    let both = crate::StoredCertificates {
        client: Some(crate::CertificateInfo { not_after: 50, ..info.clone() }),
        ca: Some(info),
    };
    assert_eq!(both.not_after(), 50);
    saved.certificate = CertificateState::Stored(both);
    draft.certificate = CertificateDraft::RemoveCa;
    assert_eq!(labels(&saved, &draft), vec!["trusted CA certificate"]);
    assert!(changes_connection(&saved, &draft));
    // Stored details from before CA-only uploads existed still read.
    let old: crate::StoredCertificates = serde_json::from_str(
        r#"{"client":{"subject":"CN=c","issuer":"CN=i","not_before":0,"not_after":9,"sha256_fingerprint":"AA","key_type":"Ed25519"}}"#,
    )
    .unwrap();
    assert_eq!(old.client.unwrap().not_after, 9);
}

#[test]
fn a_drafts_debug_output_leaves_new_secret_values_out() {
    let fields = [
        DraftField::Plain { value: "client-7".into() },
        DraftField::Replace { value: "new-secret-4f1a".into() },
        DraftField::Keep,
        DraftField::Clear,
    ];
    let shown = format!("{fields:?}");
    assert_eq!(shown, format!("[Plain {{ value: \"client-7\" }}, Replace {{ value: {} }}, Keep, Clear]", crate::redacted::REDACTED));
}
