//! Connection test inputs for the engine's local-server tests: fields and
//! methods of a made-up connector, and the test input that tries them with
//! `GET` on a local server. Included with `#[path]` by the test files and
//! the benchmark that need it.

#![allow(dead_code)]

use conduit_server::engine::{FieldValues, TestInput, TlsMaterial};
use conduit_types::{AuthKind, AuthMethodDef, AuthSettings, ConnectorDefinition, FieldDef, Placement, TestRequestDef};

/// A required field labelled by its key, not a destination, with no choices.
pub fn field(key: &str, secret: bool, placement: Placement) -> FieldDef {
    FieldDef {
        key: key.into(),
        label: key.replace('_', " "),
        help: None,
        secret,
        required: true,
        placement,
        destination: false,
        choices: vec![],
        kind: Default::default(),
    }
}

/// The secret `token` field, sent as `Authorization: Bearer …`.
pub fn bearer_field() -> FieldDef {
    field("token", true, Placement::Header { name: "Authorization".into(), prefix: Some("Bearer ".into()) })
}

/// The connector's one method, `m`.
pub fn method(kind: AuthKind, fields: Vec<FieldDef>) -> AuthMethodDef {
    AuthMethodDef { key: "m".into(), label: "method".into(), kind, fields, settings: AuthSettings::default() }
}

/// A test of `GET path` (expecting 200) at `base_url`, which may name
/// `{{key}}` of `variables` (the connector's URL variables, with the
/// instance's values), by `method` with the field `values`.
pub fn test_input(
    base_url: &str,
    variables: &[(&str, &str)],
    path: &str,
    method: AuthMethodDef,
    values: &[(&str, &str)],
    tls: TlsMaterial,
) -> TestInput {
    TestInput {
        definition: ConnectorDefinition {
            base_url: base_url.into(),
            variables: variables.iter().map(|(key, _)| field(key, false, Placement::Url)).collect(),
            auth_methods: vec![method],
            test_request: TestRequestDef { method: "GET".into(), path: path.into(), expected_statuses: vec![200] },
        },
        variables: variables.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        auth_method: "m".into(),
        fields: FieldValues::from_pairs(values.iter().copied()),
        tls,
        oauth_tokens: None,
    }
}

/// A test of `GET /me` at `base_url` sending `token` as a bearer token.
pub fn bearer_input(base_url: &str, variables: &[(&str, &str)], token: &str, tls: TlsMaterial) -> TestInput {
    test_input(base_url, variables, "/me", method(AuthKind::Token, vec![bearer_field()]), &[("token", token)], tls)
}
