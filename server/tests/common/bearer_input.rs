//! The connection test the engine's local-server tests run: `GET /me` for a
//! 200, through a connector whose one method sends a token as
//! `Authorization: Bearer …`. Included with `#[path]` by the test files and
//! the benchmark that need it.

#![allow(dead_code)]

use std::collections::BTreeMap;

use conduit_server::engine::{FieldValues, TestInput, TlsMaterial};
use conduit_types::{AuthKind, AuthMethodDef, AuthSettings, ConnectorDefinition, FieldDef, Placement, TestRequestDef};

/// A required field, not a destination, with no choices.
fn field(key: &str, secret: bool, placement: Placement) -> FieldDef {
    FieldDef {
        key: key.into(),
        label: key.into(),
        help: None,
        secret,
        required: true,
        placement,
        destination: false,
        choices: vec![],
        kind: Default::default(),
    }
}

/// A test of `base_url` (which may name `{{key}}` of `variables`, the
/// connector's URL variables with the instance's values) sending `token`
/// as a bearer token, with the instance's certificates `tls`.
pub fn bearer_input(base_url: &str, variables: &[(&str, &str)], token: &str, tls: TlsMaterial) -> TestInput {
    let token_field = field("token", true, Placement::Header { name: "Authorization".into(), prefix: Some("Bearer ".into()) });
    TestInput {
        definition: ConnectorDefinition {
            base_url: base_url.into(),
            variables: variables.iter().map(|(key, _)| field(key, false, Placement::Url)).collect(),
            auth_methods: vec![AuthMethodDef {
                key: "bearer".into(),
                label: "bearer token".into(),
                kind: AuthKind::Token,
                fields: vec![token_field],
                settings: AuthSettings::default(),
            }],
            test_request: TestRequestDef { method: "GET".into(), path: "/me".into(), expected_statuses: vec![200] },
        },
        variables: variables.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<BTreeMap<_, _>>(),
        auth_method: "bearer".into(),
        fields: FieldValues::from_pairs([("token", token)]),
        tls,
        oauth_tokens: None,
    }
}
