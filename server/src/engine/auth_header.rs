//! The `Authorization` header the test request carries for each kind of
//! authentication method: Basic, an OAuth 1 signature, or a bearer token got
//! from the token endpoint, from an authorisation code or from saved tokens
//! (renewed first when they are about to expire). Token methods place their
//! fields elsewhere and send none.

use base64::Engine as _;
use conduit_types::{AuthKind, SignatureMethod, TestOutcome, TestStep, SIGNATURE_METHOD_FIELD};
use hyper::header::HeaderValue;
use url::Url;

use super::oauth;
use super::request::{choice, header_value, unknown_choice};
use super::stop::{stop, Stop};
use super::token::{CodeGrant, TokenEndpoint};
use crate::credentials::OAuthTokens;

/// The test request's `Authorization` value for `endpoint`'s method, if it
/// sends one, for an `http_method` request to `url`. Tokens got or renewed
/// on the way are put in `refreshed` (the caller keeps them).
pub(super) async fn authorization(
    endpoint: &TokenEndpoint<'_>,
    grant: Option<&CodeGrant>,
    http_method: &str,
    url: &Url,
    steps: &mut Vec<TestStep>,
    refreshed: &mut Option<OAuthTokens>,
) -> Result<Option<HeaderValue>, Stop> {
    let (method, input) = (endpoint.method, endpoint.input);
    let fields = &input.fields;
    let value = |key: &str| fields.get(key).unwrap_or_default();
    let header = match (method.kind, grant) {
        (AuthKind::Basic, _) => {
            let pair = format!("{}:{}", value("username"), value("password"));
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            header_value(&format!("Basic {encoded}"))?
        }
        (AuthKind::Token, _) => return Ok(None),
        (AuthKind::Oauth2ClientCredentials, _) => {
            let answer = endpoint.client_credentials(steps).await?;
            header_value(&format!("Bearer {}", answer.access_token))?
        }
        (AuthKind::Oauth1, _) => {
            let credentials = oauth::OAuth1Credentials {
                realm: fields.get("realm"),
                consumer_key: value("consumer_key"),
                consumer_secret: value("consumer_secret"),
                token: value("token_id"),
                token_secret: value("token_secret"),
                method: choice(method, fields, SIGNATURE_METHOD_FIELD)
                    .map(|name| SignatureMethod::from_name(name).ok_or_else(|| unknown_choice(method, SIGNATURE_METHOD_FIELD)))
                    .transpose()?
                    .unwrap_or(method.settings.signature_method),
            };
            let header = oauth::oauth1_header(&credentials, http_method, url, endpoint.clock.now() as u64, &nonce());
            header_value(&header)?
        }
        (AuthKind::Oauth2AuthorisationCode, Some(grant)) => {
            let tokens = endpoint.exchange_code(grant, steps).await?;
            let header = header_value(&format!("Bearer {}", tokens.access_token))?;
            *refreshed = Some(tokens);
            header
        }
        (AuthKind::Oauth2AuthorisationCode, None) => {
            let tokens = input.oauth_tokens.as_ref().ok_or_else(|| {
                stop(TestOutcome::InvalidSettings, "This instance has not been authorised yet. Authorise it first.")
            })?;
            let access = if tokens.expires_at.is_some_and(|at| at <= endpoint.clock.now() + 30) {
                let renewed = endpoint.refresh(tokens, steps).await?;
                let access = renewed.access_token.clone();
                *refreshed = Some(renewed);
                access
            } else {
                tokens.access_token.clone()
            };
            header_value(&format!("Bearer {access}"))?
        }
    };
    Ok(Some(header))
}

fn nonce() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}
