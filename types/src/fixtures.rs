//! Sample settings for tests, written once: the dashboard's Shopify-like
//! instance (the editor's unit tests and the component tests) and the
//! generic API instance the draft rules are tested on. Compiled for this
//! crate's tests and, behind the `fixtures` feature, for the dashboard's
//! tests only (the root package enables it as a dev-dependency feature).

use std::collections::BTreeMap;

use crate::{
    AuthFieldValue, AuthKind, AuthMethodDef, AuthSettings, CertificateInfo, CertificateState, ConnectorDefinition,
    ConnectorRef, FieldDef, FieldKind, InstanceAuthentication, InstanceDetails, InstanceSettings, InstanceStatus,
    Placement, RateLimit, RateLimitUnit, StoredCertificates, TestRequestDef,
};

/// A required text field, not a destination, with no choices.
pub fn field(key: &str, label: &str, secret: bool, placement: Placement) -> FieldDef {
    FieldDef {
        key: key.into(),
        label: label.into(),
        help: None,
        secret,
        required: true,
        placement,
        destination: false,
        kind: FieldKind::Text,
        choices: vec![],
    }
}

/// A header placement without a prefix.
pub fn header(name: &str) -> Placement {
    Placement::Header { name: name.into(), prefix: None }
}

/// An instance of a Shopify-like connector: a store name in the URL, an
/// access token (stored) or an OAuth app, a certificate, no process flows.
pub fn shopify_uk() -> InstanceSettings {
    let mut store = field("store", "store name", false, Placement::Url);
    store.help = Some("the part before .myshopify.com".into());
    let mut webhook_key = field("webhook_key", "webhook signing key", true, Placement::Auth);
    webhook_key.required = false;
    InstanceSettings {
        id: 10,
        version: 3,
        connector: ConnectorRef {
            id: 1,
            name: "Shopify".into(),
            definition: ConnectorDefinition {
                base_url: "https://{{store}}.myshopify.com/admin/api".into(),
                variables: vec![store, webhook_key],
                auth_methods: vec![
                    AuthMethodDef {
                        key: "access_token".into(),
                        label: "admin API access token".into(),
                        kind: AuthKind::Token,
                        fields: vec![field("token", "token", true, header("X-Shopify-Access-Token"))],
                        settings: Default::default(),
                    },
                    AuthMethodDef {
                        key: "oauth_app".into(),
                        label: "custom app".into(),
                        kind: AuthKind::Oauth2AuthorisationCode,
                        fields: vec![
                            field("client_id", "client id", false, Placement::Auth),
                            field("client_secret", "client secret", true, Placement::Auth),
                        ],
                        settings: Default::default(),
                    },
                ],
                test_request: TestRequestDef {
                    method: "GET".into(),
                    path: "/shop.json".into(),
                    expected_statuses: vec![200],
                },
            },
        },
        details: InstanceDetails {
            name: "Shopify - UK".into(),
            time_zone: "Europe/London".into(),
            date_format: "Y-m-d H:i:s".into(),
            rate_limit: Some(RateLimit { amount: 60, unit: RateLimitUnit::Minute }),
            connection_pool: None,
            variables: BTreeMap::from([
                ("store".to_string(), "acme-uk".to_string()),
                ("webhook_key".to_string(), "never-show-me".to_string()),
            ]),
        },
        authentication: InstanceAuthentication {
            method: "access_token".into(),
            fields: BTreeMap::from([("token".to_string(), AuthFieldValue::Secret { is_set: true })]),
            authorised_at: None,
        },
        certificate: CertificateState::Stored(stored_certificates()),
        status: InstanceStatus::Operational,
        last_tested_at: None,
        last_checked_at: None,
        process_flows: vec![],
        connection_pools: vec!["bulk orders".into()],
        oauth_callback_url: None,
    }
}

/// The certificates [`shopify_uk`] has stored: a client certificate, no CA.
pub fn stored_certificates() -> StoredCertificates {
    StoredCertificates {
        client: Some(certificate_info("CN=acme-uk.example", 1_773_306_330)),
        ca: None,
    }
}

/// A certificate valid until `not_after` (12 Mar 2026, 09:05 UTC in the
/// usual fixture).
pub fn certificate_info(subject: &str, not_after: i64) -> CertificateInfo {
    CertificateInfo {
        subject: subject.into(),
        issuer: "CN=Acme Issuing CA".into(),
        subject_alt_names: vec!["acme-uk.example".into(), "10.0.0.7".into()],
        not_before: not_after - 365 * 86_400,
        not_after,
        sha256_fingerprint: "3F:A1:09".into(),
        key_type: "ECDSA P-256".into(),
    }
}

/// An instance of a generic API connector, for the draft rules: a host in
/// the URL and an optional header variable; a bearer token (stored) or
/// OAuth 2 client credentials with a token URL that is a destination.
/// Every label is its key with spaces.
pub fn warehouse() -> InstanceSettings {
    let labelled = |key: &str, secret, placement| field(key, &key.replace('_', " "), secret, placement);
    let mut token_url = labelled("token_url", false, Placement::Auth);
    token_url.destination = true;
    token_url.kind = FieldKind::Url;
    let definition = ConnectorDefinition {
        base_url: "https://{{host}}/api".into(),
        variables: vec![
            labelled("host", false, Placement::Url),
            FieldDef { required: false, ..labelled("region", false, header("X-Region")) },
        ],
        auth_methods: vec![
            AuthMethodDef {
                key: "bearer".into(),
                label: "bearer token".into(),
                kind: AuthKind::Token,
                fields: vec![labelled(
                    "token",
                    true,
                    Placement::Header { name: "Authorization".into(), prefix: Some("Bearer ".into()) },
                )],
                settings: AuthSettings::default(),
            },
            AuthMethodDef {
                key: "cc".into(),
                label: "client credentials".into(),
                kind: AuthKind::Oauth2ClientCredentials,
                fields: vec![
                    token_url,
                    labelled("client_id", false, Placement::Auth),
                    labelled("client_secret", true, Placement::Auth),
                ],
                settings: AuthSettings::default(),
            },
        ],
        test_request: TestRequestDef { method: "GET".into(), path: "/me".into(), expected_statuses: vec![200] },
    };
    InstanceSettings {
        id: 7,
        version: 3,
        connector: ConnectorRef { id: 1, name: "API".into(), definition },
        details: InstanceDetails {
            name: "Warehouse".into(),
            time_zone: "Europe/London".into(),
            date_format: "Y-m-d H:i:s".into(),
            rate_limit: Some(RateLimit { amount: 10, unit: RateLimitUnit::Second }),
            connection_pool: None,
            variables: [("host".to_string(), "api.example.com".to_string())].into(),
        },
        authentication: InstanceAuthentication {
            method: "bearer".into(),
            fields: [("token".to_string(), AuthFieldValue::Secret { is_set: true })].into(),
            authorised_at: None,
        },
        certificate: CertificateState::None,
        status: InstanceStatus::Operational,
        last_tested_at: None,
        last_checked_at: None,
        process_flows: vec![],
        connection_pools: vec!["bulk".into()],
        oauth_callback_url: None,
    }
}
