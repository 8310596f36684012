//! Test fixtures for the application layer's unit tests: an instance of the
//! built-in generic HTTP API connector as the store would hand it over.

use std::collections::BTreeMap;

use conduit_types::draft::InstanceDraft;
use conduit_types::{
    AuthFieldValue, CertificateState, ConnectorRef, InstanceAuthentication, InstanceDetails, InstanceSettings,
    InstanceStatus,
};

use crate::engine::TlsMaterial;
use crate::store::{InstanceConnection, Secrets};

/// Instance 7 of company 1, at version 3, of the HTTP API connector with
/// `method`, its plain fields and its stored secrets.
pub fn stored(method: &str, plain: &[(&str, &str)], secrets: &[(&str, &str)]) -> InstanceConnection {
    let entry = crate::catalogue::builtin().unwrap().into_iter().find(|e| e.slug == "http-api").unwrap();
    let definition = entry.definition;
    let secrets: BTreeMap<String, String> = secrets.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let fields = definition
        .auth_method(method)
        .unwrap()
        .fields
        .iter()
        .map(|f| {
            let value = if f.secret {
                AuthFieldValue::Secret { is_set: secrets.contains_key(&f.key) }
            } else {
                let value = plain.iter().find(|(k, _)| *k == f.key).map(|(_, v)| (*v).to_owned());
                AuthFieldValue::Plain { value: value.unwrap_or_default() }
            };
            (f.key.clone(), value)
        })
        .collect();
    let settings = InstanceSettings {
        id: 7,
        version: 3,
        connector: ConnectorRef { id: 1, name: entry.name, definition },
        details: InstanceDetails {
            name: "Warehouse".into(),
            time_zone: "UTC".into(),
            date_format: "Y-m-d".into(),
            rate_limit: None,
            connection_pool: None,
            variables: BTreeMap::from([
                ("base_url".into(), "https://api.example.com".into()),
                ("test_path".into(), "/me".into()),
            ]),
        },
        authentication: InstanceAuthentication { method: method.into(), fields, authorised_at: None },
        certificate: CertificateState::None,
        status: InstanceStatus::NotTested,
        last_tested_at: None,
        last_checked_at: None,
        process_flows: vec![],
        connection_pools: vec![],
        oauth_callback_url: None,
    };
    InstanceConnection { settings, secrets: Secrets(secrets), tls: TlsMaterial::default(), last_tested_at: None }
}

/// A draft equal to the stored settings, every secret kept.
pub fn draft_of(stored: &InstanceConnection) -> InstanceDraft {
    InstanceDraft::from_settings(&stored.settings)
}

/// A signed-in user of company 1.
pub fn user(user_id: conduit_types::Id) -> crate::store::SessionUser {
    use conduit_types::{CompanySummary, Me, UserSummary};
    let me = Me {
        user: UserSummary { id: user_id, name: "Ada".into(), email: "ada@example.com".into() },
        company: CompanySummary { id: 1, name: "Acme".into() },
    };
    crate::store::SessionUser { user_id, company_id: 1, me, acting_as: None }
}
