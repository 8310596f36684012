//! Which field a failed test points at: a refused password, a refused
//! client secret, a token URL that is not there. One plain function from the
//! authentication method and what went wrong, so the page can take the user
//! to the field.

use conduit_types::draft::{auth_field, variable_field};
use conduit_types::{AuthKind, AuthMethodDef, ConnectorDefinition, FieldDef, FieldToFix};

use crate::catalogue::placeholders;

/// What decided a failed test, as far as a field can be to blame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Culprit {
    /// The test request was answered 401 or 403.
    RequestRefused,
    /// The test request's host could not be found or reached.
    AddressUnreachable,
    /// The token endpoint refused the client (400/401/403), with the
    /// standard error code when it gave one.
    TokenRefused { code: Option<&'static str>, status: u16 },
    /// The token endpoint answered 404: there is no token endpoint there.
    TokenEndpointMissing,
    /// The token endpoint's host could not be found or reached.
    TokenEndpointUnreachable,
}

/// The field to fix for `culprit` under `method`, if one is to blame.
pub fn field_to_fix(definition: &ConnectorDefinition, method: &AuthMethodDef, culprit: Culprit) -> Option<FieldToFix> {
    let auth = |key: &str| method.fields.iter().find(|f| f.key == key);
    let scope = auth("scope").or_else(|| auth("scopes"));
    let fix = |def: &FieldDef, message: String| FieldToFix {
        field: auth_field(&def.key),
        label: def.label.clone(),
        message,
    };
    match culprit {
        Culprit::RequestRefused => match method.kind {
            AuthKind::Basic => {
                let password = auth("password").or_else(|| method.fields.iter().find(|f| f.secret))?;
                Some(fix(password, format!("Check the username and {}: they were not accepted.", password.label)))
            }
            // The key or token itself: the method's secret field.
            AuthKind::Token | AuthKind::Oauth1 => {
                let secret = method.fields.iter().find(|f| f.secret)?;
                let message = if method.kind == AuthKind::Oauth1 {
                    "Check the consumer and token keys and secrets: the signature was not accepted.".to_owned()
                } else {
                    format!("Check the {}: it was not accepted.", secret.label)
                };
                Some(fix(secret, message))
            }
            // A token was issued but the API refused it: its scope is the
            // part of these settings that decides what it may do.
            AuthKind::Oauth2ClientCredentials => scope
                .map(|scope| fix(scope, format!("The access token was refused: check the {} the API needs.", scope.label))),
            AuthKind::Oauth2AuthorisationCode => None,
        },
        Culprit::TokenRefused { code: Some("invalid_scope"), .. } => {
            scope.map(|scope| fix(scope, format!("Check the {}: the token endpoint did not accept it.", scope.label)))
        }
        Culprit::TokenRefused { code: Some("invalid_client"), .. } | Culprit::TokenRefused { code: None, status: 401 } => {
            let secret = auth("client_secret")?;
            Some(fix(secret, format!("Check the client id and {}: they were not accepted.", secret.label)))
        }
        Culprit::TokenRefused { .. } => None,
        Culprit::TokenEndpointMissing | Culprit::TokenEndpointUnreachable => {
            let message = |label: &str| {
                if culprit == Culprit::TokenEndpointMissing {
                    format!("Check the {label}: there is no token endpoint at that address.")
                } else {
                    format!("Check the {label}: nothing answered there.")
                }
            };
            match auth("token_url") {
                Some(url) if method.settings.token_url.is_none() => Some(fix(url, message(&url.label))),
                // The connector builds the token URL from the instance's variables.
                _ => first_variable(definition, method.settings.token_url.as_deref()?).map(|v| FieldToFix {
                    field: variable_field(&v.key),
                    label: v.label.clone(),
                    message: message(&v.label),
                }),
            }
        }
        Culprit::AddressUnreachable => first_variable(definition, &definition.base_url).map(|v| FieldToFix {
            field: variable_field(&v.key),
            label: v.label.clone(),
            message: format!("Check the {}: nothing answered at that address.", v.label),
        }),
    }
}

/// The first connector variable a template uses (the host, usually).
fn first_variable<'a>(definition: &'a ConnectorDefinition, template: &str) -> Option<&'a FieldDef> {
    let names = placeholders(template).ok()?;
    names.into_iter().find_map(|name| definition.variables.iter().find(|v| v.key == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(slug: &str) -> ConnectorDefinition {
        crate::catalogue::builtin()
            .unwrap()
            .into_iter()
            .find(|c| c.slug == slug)
            .unwrap()
            .definition
    }

    fn fix_for(slug: &str, method: &str, culprit: Culprit) -> Option<(String, String)> {
        let definition = connector(slug);
        let method = definition.auth_method(method).unwrap().clone();
        field_to_fix(&definition, &method, culprit).map(|f| (f.field, f.label))
    }

    fn named(field: &str, label: &str) -> Option<(String, String)> {
        Some((field.to_owned(), label.to_owned()))
    }

    #[test]
    fn refused_credentials_point_at_the_secret_that_was_refused() {
        let refused = Culprit::RequestRefused;
        assert_eq!(fix_for("http-api", "basic", refused), named("authentication.password", "password"));
        assert_eq!(fix_for("http-api", "bearer", refused), named("authentication.token", "token"));
        assert_eq!(fix_for("http-api", "query_key", refused), named("authentication.api_key", "API key"));
        assert_eq!(fix_for("http-api", "oauth1", refused), named("authentication.consumer_secret", "consumer secret"));
        assert_eq!(fix_for("http-api", "client_credentials", refused), named("authentication.scope", "scope"));
        assert_eq!(fix_for("http-api", "authorisation_code", refused), None);
    }

    #[test]
    fn a_refused_client_points_at_the_client_secret_and_a_refused_scope_at_the_scope() {
        for code in [Some("invalid_client"), None] {
            let culprit = Culprit::TokenRefused { code, status: 401 };
            assert_eq!(
                fix_for("http-api", "client_credentials", culprit),
                named("authentication.client_secret", "client secret"),
                "{code:?}"
            );
        }
        let scope = Culprit::TokenRefused { code: Some("invalid_scope"), status: 400 };
        assert_eq!(fix_for("http-api", "client_credentials", scope), named("authentication.scope", "scope"));
        // A refused grant is not a field's fault: authorising again is.
        let grant = Culprit::TokenRefused { code: Some("invalid_grant"), status: 400 };
        assert_eq!(fix_for("http-api", "authorisation_code", grant), None);
        assert_eq!(fix_for("http-api", "client_credentials", Culprit::TokenRefused { code: None, status: 400 }), None);
    }

    #[test]
    fn a_missing_or_unreachable_token_endpoint_points_at_the_token_url_or_the_variable_it_is_built_from() {
        for culprit in [Culprit::TokenEndpointMissing, Culprit::TokenEndpointUnreachable] {
            assert_eq!(fix_for("http-api", "client_credentials", culprit), named("authentication.token_url", "token URL"));
            assert_eq!(fix_for("http-api", "authorisation_code", culprit), named("authentication.token_url", "token URL"));
        }
        // Shopify builds its token URL from the store variable.
        let shopify = connector("shopify");
        if let Some(method) = shopify.auth_methods.iter().find(|m| m.settings.token_url.is_some()) {
            let fix = field_to_fix(&shopify, method, Culprit::TokenEndpointMissing).unwrap();
            assert!(fix.field.starts_with("variables."), "{fix:?}");
        }
    }

    #[test]
    fn an_unreachable_address_points_at_the_variable_that_makes_the_host() {
        assert_eq!(fix_for("http-api", "bearer", Culprit::AddressUnreachable), named("variables.base_url", "base URL"));
        let fix = fix_for("shopify", &connector("shopify").auth_methods[0].key, Culprit::AddressUnreachable).unwrap();
        assert!(fix.0.starts_with("variables."), "{fix:?}");
    }

    #[test]
    fn sentences_name_the_field_by_label_and_never_a_value() {
        let definition = connector("http-api");
        let method = definition.auth_method("basic").unwrap();
        let fix = field_to_fix(&definition, method, Culprit::RequestRefused).unwrap();
        assert_eq!(fix.message, "Check the username and password: they were not accepted.");
    }
}
