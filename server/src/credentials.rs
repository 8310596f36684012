//! The credentials a connection test uses, as the store reads them and the
//! engine sends them: an authentication method's field values, saved OAuth 2
//! tokens, an instance's certificates, and the test input they make up. A
//! leaf: both the engine and the store use it, and it uses neither. Debug
//! output never shows a secret.

use std::collections::BTreeMap;

use conduit_types::{AuthFieldValue, ConnectorDefinition, InstanceSettings, Timestamp};

/// Values of an authentication method's fields by key, secrets included
/// (the store keeps an instance's secret ones under the name `Secrets`).
/// Its Debug output names the fields only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FieldValues(pub BTreeMap<String, String>);

impl std::fmt::Debug for FieldValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl FieldValues {
    /// The value of field `key`, when it has one that is not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> FieldValues {
        FieldValues(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// Stored OAuth 2 tokens of an authorisation-code instance.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_at: Option<Timestamp>,
    /// The scopes the provider said it granted, if it did. Not a secret.
    pub scope: Option<String>,
}

impl std::fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthTokens").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// An instance's certificates, as PEM text.
#[derive(Clone, Default)]
pub struct TlsMaterial {
    /// A CA certificate to trust in addition to the system's roots.
    pub ca_pem: Option<String>,
    /// A client certificate (chain) and its private key, for mutual TLS.
    pub client: Option<ClientIdentity>,
}

#[derive(Clone)]
pub struct ClientIdentity {
    pub cert_pem: String,
    pub key_pem: String,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsMaterial")
            .field("ca", &self.ca_pem.is_some())
            .field("client_certificate", &self.client.is_some())
            .finish()
    }
}

/// Everything a test needs: the connector's definition and one draft of an
/// instance's settings.
#[derive(Clone, Debug)]
pub struct TestInput {
    pub definition: ConnectorDefinition,
    pub variables: BTreeMap<String, String>,
    pub auth_method: String,
    pub fields: FieldValues,
    pub tls: TlsMaterial,
    pub oauth_tokens: Option<OAuthTokens>,
}

impl TestInput {
    /// A test of an instance's settings as they are, with the values of its
    /// secret fields supplied by the caller (the browser never holds them).
    pub fn from_settings(settings: &InstanceSettings, secrets: &BTreeMap<String, String>) -> TestInput {
        let mut fields: BTreeMap<String, String> = settings
            .authentication
            .fields
            .iter()
            .filter_map(|(key, value)| match value {
                AuthFieldValue::Plain { value } => Some((key.clone(), value.clone())),
                AuthFieldValue::Secret { .. } => None,
            })
            .collect();
        fields.extend(secrets.iter().map(|(k, v)| (k.clone(), v.clone())));
        TestInput {
            definition: settings.connector.definition.clone(),
            variables: settings.details.variables.clone(),
            auth_method: settings.authentication.method.clone(),
            fields: FieldValues(fields),
            tls: TlsMaterial::default(),
            oauth_tokens: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> FieldValues {
        FieldValues(pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect())
    }

    #[test]
    fn field_values_debug_names_fields_but_never_values() {
        let values = values(&[("password", "hunter2")]);
        assert_eq!(format!("{values:?}"), r#"{"password"}"#);
    }

    #[test]
    fn an_empty_field_has_no_value() {
        let values = values(&[("username", "ada"), ("password", "")]);
        assert_eq!(values.get("username"), Some("ada"));
        assert_eq!(values.get("password"), None);
        assert_eq!(values.get("missing"), None);
    }

    #[test]
    fn tokens_and_certificates_debug_without_their_secrets() {
        let tokens = OAuthTokens {
            access_token: "access-secret".into(),
            refresh_token: Some("refresh-secret".into()),
            expires_at: Some(1_700_000_000),
            scope: Some("read".into()),
        };
        let shown = format!("{tokens:?}");
        assert!(!shown.contains("access-secret") && !shown.contains("refresh-secret"), "{shown}");
        assert!(shown.contains("1700000000"), "{shown}");
        let tls = TlsMaterial {
            ca_pem: Some("CA PEM".into()),
            client: Some(ClientIdentity { cert_pem: "CERT PEM".into(), key_pem: "KEY PEM".into() }),
        };
        let shown = format!("{tls:?}");
        assert!(!shown.contains("PEM"), "{shown}");
        assert_eq!(shown, "TlsMaterial { ca: true, client_certificate: true }");
    }
}
