//! What the engine is given for an instance as saved: the same values a
//! person's test of the saved connection uses. Shared by the health checker
//! and process flows.

use conduit_types::draft::InstanceDraft;

use super::secrets::connection_fields;
use crate::engine::{OAuthTokens, TestInput};
use crate::store::InstanceConnection;

/// The engine's input for `stored` with `oauth_tokens` (an
/// authorisation-code method's saved tokens), or `None` when the saved
/// method is one the connector no longer has.
pub fn saved_input(stored: &InstanceConnection, oauth_tokens: Option<OAuthTokens>) -> Option<TestInput> {
    let saved = &stored.settings;
    let method = saved.connector.definition.auth_method(&saved.authentication.method)?;
    // The saved settings as a draft that changes nothing.
    let draft = InstanceDraft::from_settings(saved);
    Some(TestInput {
        definition: saved.connector.definition.clone(),
        variables: saved.details.variables.clone(),
        auth_method: method.key.clone(),
        fields: connection_fields(stored, method, &draft),
        tls: stored.tls.clone(),
        oauth_tokens,
    })
}
