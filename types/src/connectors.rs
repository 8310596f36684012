//! Connector definitions: a connector is data, not code. Its variables,
//! authentication methods and their fields, and the request that tests them.

use serde::{Deserialize, Serialize};

use crate::scalars::is_false;
/// The kinds of authentication a connector can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    Basic,
    Token,
    Oauth2ClientCredentials,
    Oauth2AuthorisationCode,
    Oauth1,
}

impl AuthKind {
    /// The name users see, in the product's wording.
    pub fn label(self) -> &'static str {
        match self {
            AuthKind::Basic => "basic",
            AuthKind::Token => "token",
            AuthKind::Oauth2ClientCredentials => "OAuth 2 (client credentials)",
            AuthKind::Oauth2AuthorisationCode => "OAuth 2 (authorisation code)",
            AuthKind::Oauth1 => "OAuth 1",
        }
    }

    /// Whether the user must take an extra step (such as consenting at the
    /// provider) to verify credentials. Such methods get no connection test.
    pub fn needs_user_step(self) -> bool {
        matches!(self, AuthKind::Oauth2AuthorisationCode)
    }
}

/// Where the value of a field or variable is sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "in", rename_all = "snake_case")]
pub enum Placement {
    /// Substituted wherever `{{key}}` appears in the base URL or test path.
    Url,
    /// A header; `prefix` goes before the value, e.g. `Bearer `.
    Header {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix: Option<String>,
    },
    Query {
        name: String,
    },
    Body {
        name: String,
    },
    /// Used by the authentication method itself (e.g. a basic password, an
    /// OAuth client secret) rather than placed verbatim in the request.
    Auth,
}

/// A value a user enters for an instance: a connector variable or an
/// authentication field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub required: bool,
    pub placement: Placement,
    /// The value decides where credentials are sent (e.g. a token URL).
    /// Variables placed in the URL always do.
    #[serde(default, skip_serializing_if = "is_false")]
    pub destination: bool,
    /// The values the field may take, for a field chosen from a list
    /// (e.g. how an OAuth 2 client authenticates). An empty value means the
    /// first choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<FieldChoice>,
    /// What the value is, which decides how it is checked.
    #[serde(default, skip_serializing_if = "FieldKind::is_text")]
    pub kind: FieldKind,
}

/// One value a choice field may take, and how the page names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChoice {
    pub value: String,
    pub label: String,
}

/// What kind of value a field holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    /// A whole http or https address, e.g. a base URL or a token URL
    /// (checked by [`crate::address::url_problem`]).
    Url,
}

impl FieldKind {
    fn is_text(&self) -> bool {
        *self == FieldKind::Text
    }
}

impl FieldDef {
    /// Whether changing this field's value changes where credentials go.
    pub fn is_destination(&self) -> bool {
        self.destination || self.placement == Placement::Url
    }

    /// The value that counts for `value`: a choice field's empty value is
    /// its first choice; any other field's value is itself.
    pub fn chosen<'a>(&'a self, value: &'a str) -> &'a str {
        match self.choices.first() {
            Some(first) if value.is_empty() => &first.value,
            _ => value,
        }
    }
}

/// The key of the choice field that says how an OAuth 2 client
/// authenticates at the token endpoint; its values are
/// [`ClientAuthStyle::key`]s. Without it the method's settings decide.
pub const CLIENT_AUTH_FIELD: &str = "client_auth";
/// The key of the choice field that picks the OAuth 1 signature method; its
/// values are [`SignatureMethod::name`]s. Without it the method's settings decide.
pub const SIGNATURE_METHOD_FIELD: &str = "signature_method";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthMethodDef {
    /// Stable key, unique within the connector, e.g. `api_key`.
    pub key: String,
    pub label: String,
    pub kind: AuthKind,
    pub fields: Vec<FieldDef>,
    #[serde(default)]
    pub settings: AuthSettings,
}

/// How an OAuth 2 client authenticates at the token endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthStyle {
    /// `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 2.3.1).
    #[default]
    BasicHeader,
    /// `client_id` and `client_secret` in the form body.
    RequestBody,
}

impl ClientAuthStyle {
    pub const ALL: [ClientAuthStyle; 2] = [ClientAuthStyle::BasicHeader, ClientAuthStyle::RequestBody];

    /// The value a [`CLIENT_AUTH_FIELD`] holds for this style (as serde names it).
    pub fn key(self) -> &'static str {
        match self {
            ClientAuthStyle::BasicHeader => "basic_header",
            ClientAuthStyle::RequestBody => "request_body",
        }
    }

    pub fn from_key(key: &str) -> Option<ClientAuthStyle> {
        ClientAuthStyle::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// The OAuth 1 signature method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureMethod {
    #[default]
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
}

impl SignatureMethod {
    pub const ALL: [SignatureMethod; 2] = [SignatureMethod::HmacSha256, SignatureMethod::HmacSha1];

    /// The name `oauth_signature_method` carries, and a
    /// [`SIGNATURE_METHOD_FIELD`] holds.
    pub fn name(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha256 => "HMAC-SHA256",
            SignatureMethod::HmacSha1 => "HMAC-SHA1",
        }
    }

    pub fn from_name(name: &str) -> Option<SignatureMethod> {
        SignatureMethod::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Choices a connector makes about how its authentication method works.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSettings {
    #[serde(default)]
    pub client_auth: ClientAuthStyle,
    #[serde(default)]
    pub signature_method: SignatureMethod,
    /// OAuth 2 authorisation code: the provider's consent page, a template
    /// that may use `{{variables}}`. When absent, the method has an
    /// `authorize_url` field instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// OAuth 2 authorisation code: the token endpoint, a template that may
    /// use `{{variables}}`. When absent, the method has a `token_url` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// OAuth 2 authorisation code: how the scope field's value is split
    /// and joined for the provider (Shopify uses commas, RFC 6749 spaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_separator: Option<String>,
}

/// The request sent to check an instance's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestRequestDef {
    pub method: String,
    /// Appended to the base URL; may contain `{{variables}}`.
    pub path: String,
    /// Statuses that mean the credentials were accepted.
    pub expected_statuses: Vec<u16>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorDefinition {
    /// e.g. `https://{{store}}.myshopify.com/admin/api/2024-10`
    pub base_url: String,
    /// The connector's own instance variables (e.g. a store domain).
    pub variables: Vec<FieldDef>,
    pub auth_methods: Vec<AuthMethodDef>,
    pub test_request: TestRequestDef,
}

impl ConnectorDefinition {
    pub fn auth_method(&self, key: &str) -> Option<&AuthMethodDef> {
        self.auth_methods.iter().find(|m| m.key == key)
    }
}

#[cfg(test)]
mod tests;
