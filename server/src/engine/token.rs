//! The OAuth 2 token endpoint steps of a test: client credentials, renewing
//! saved tokens with their refresh token and exchanging an authorisation
//! code (RFC 6749 with PKCE), each one `token exchange` step, with the
//! client authenticated the way the method says.

use std::time::Instant;

use base64::Engine as _;
use bytes::Bytes;
use conduit_types::{AuthMethodDef, ClientAuthStyle, TestOutcome, TestStep, TestStepKind, CLIENT_AUTH_FIELD};
use hyper::header::AUTHORIZATION;
use hyper::Method;

use super::fix::Culprit;
use super::oauth;
use super::request::{choice, header_value, unknown_choice};
use super::steps::millis;
use super::stop::{failure_stop, stop, Stop};
use super::transport::{InboundResponse, OutboundRequest, StageTiming, Transport};
use crate::clock::Clock;
use crate::credentials::{OAuthTokens, TestInput};

/// An authorisation code the provider sent to the callback, to be exchanged
/// for tokens (RFC 6749 4.1.3 with PKCE, RFC 7636).
pub struct CodeGrant {
    pub code: String,
    pub redirect_uri: String,
    pub code_verifier: String,
}

impl std::fmt::Debug for CodeGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeGrant").field("redirect_uri", &self.redirect_uri).finish_non_exhaustive()
    }
}

/// The token endpoint of one test's method, reached through the test's
/// transport.
pub(super) struct TokenEndpoint<'a> {
    pub transport: &'a Transport,
    pub method: &'a AuthMethodDef,
    pub input: &'a TestInput,
    pub clock: &'a Clock,
}

impl TokenEndpoint<'_> {
    /// An access token for the client itself (the client credentials grant).
    pub async fn client_credentials(&self, steps: &mut Vec<TestStep>) -> Result<oauth::TokenAnswer, Stop> {
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = self.input.fields.get("scope") {
            form.push(("scope", scope));
        }
        self.exchange(&form, steps).await
    }

    /// Renews saved tokens with their refresh token (one `token exchange` step).
    pub async fn refresh(&self, tokens: &OAuthTokens, steps: &mut Vec<TestStep>) -> Result<OAuthTokens, Stop> {
        let refresh_token = tokens.refresh_token.as_deref().ok_or_else(|| {
            stop(TestOutcome::AuthRejected, "The access token has expired and there is no refresh token. Reconnect the instance.")
        })?;
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        let answer = self.exchange(&form, steps).await?;
        Ok(OAuthTokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token.or_else(|| tokens.refresh_token.clone()),
            expires_at: answer.expires_in.map(|s| self.clock.now() + s),
            scope: answer.scope.or_else(|| tokens.scope.clone()),
        })
    }

    /// Exchanges an authorisation code for tokens (one `token exchange` step).
    pub async fn exchange_code(&self, grant: &CodeGrant, steps: &mut Vec<TestStep>) -> Result<OAuthTokens, Stop> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", grant.code.as_str()),
            ("redirect_uri", grant.redirect_uri.as_str()),
            ("code_verifier", grant.code_verifier.as_str()),
        ];
        let answer = self.exchange(&form, steps).await.map_err(code_refusal)?;
        Ok(OAuthTokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
            expires_at: answer.expires_in.map(|s| self.clock.now() + s),
            scope: answer.scope,
        })
    }

    /// Asks the method's token endpoint for a token, as one `token exchange` step.
    async fn exchange(&self, form: &[(&str, &str)], steps: &mut Vec<TestStep>) -> Result<oauth::TokenAnswer, Stop> {
        let (transport, method, input) = (self.transport, self.method, self.input);
        let fields = &input.fields;
        let token_url = oauth::endpoint(method.settings.token_url.as_deref(), fields.get("token_url"), &input.variables)
            .ok_or_else(|| stop(TestOutcome::InvalidSettings, "Enter the token URL as a full http or https address."))?;
        let client_id = fields.get("client_id").unwrap_or_default();
        let client_secret = fields.get("client_secret").unwrap_or_default();

        let mut headers = vec![];
        let mut form: Vec<(&str, &str)> = form.to_vec();
        let client_auth = choice(method, fields, CLIENT_AUTH_FIELD)
            .map(|key| ClientAuthStyle::from_key(key).ok_or_else(|| unknown_choice(method, CLIENT_AUTH_FIELD)))
            .transpose()?
            .unwrap_or(method.settings.client_auth);
        match client_auth {
            ClientAuthStyle::BasicHeader => {
                let pair = format!("{}:{}", oauth::encode(client_id), oauth::encode(client_secret));
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                headers.push((AUTHORIZATION, header_value(&format!("Basic {encoded}"))?));
            }
            ClientAuthStyle::RequestBody => {
                form.push(("client_id", client_id));
                form.push(("client_secret", client_secret));
            }
        }
        // The serializer is not Send: finish it before anything is awaited.
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = OutboundRequest {
            method: Method::POST,
            url: token_url,
            headers,
            body: Some(("application/x-www-form-urlencoded", Bytes::from(body))),
        };

        let started = Instant::now();
        let mut timings: Vec<StageTiming> = vec![];
        let sent = transport.send(request, &mut timings).await;
        let status = sent.as_ref().ok().map(|r| r.status);
        let answer = sent
            .map_err(|f| failure_stop(f, "the token endpoint").unreachable(Culprit::TokenEndpointUnreachable))
            .and_then(|response| read_token(&response));
        steps.push(TestStep {
            kind: TestStepKind::TokenExchange,
            ok: answer.is_ok(),
            duration_ms: millis(started.elapsed()),
            http_status: status,
        });
        answer
    }
}

fn read_token(response: &InboundResponse) -> Result<oauth::TokenAnswer, Stop> {
    match response.status {
        200..=299 => serde_json::from_slice::<oauth::TokenAnswer>(&response.body)
            .ok()
            .filter(|a| !a.access_token.is_empty())
            .ok_or_else(|| stop(TestOutcome::UnexpectedStatus, "The token endpoint's answer held no access token.")),
        status @ (400 | 401 | 403) => {
            let code = oauth::token_error_code(&response.body);
            let message = match code {
                Some(code) => format!("The token endpoint refused the credentials ({code}, HTTP {status})."),
                None => format!("The token endpoint refused the credentials (HTTP {status})."),
            };
            let culprit = Some(Culprit::TokenRefused { code, status });
            Err(Stop { token_error: code, culprit, ..stop(TestOutcome::AuthRejected, message) })
        }
        404 => Err(Stop {
            culprit: Some(Culprit::TokenEndpointMissing),
            ..stop(TestOutcome::UnexpectedStatus, "The token endpoint answered HTTP 404: there is no token endpoint at that address.")
        }),
        status => Err(stop(
            TestOutcome::UnexpectedStatus,
            format!("The token endpoint answered HTTP {status}, not a token."),
        )),
    }
}

/// A refused authorisation code, in words: the codes that say what went wrong.
fn code_refusal(stop: Stop) -> Stop {
    let message = match stop.token_error {
        Some("invalid_grant") => {
            "The provider refused the authorisation code (invalid_grant): it was already used, has expired, or \
             was issued for other settings. Authorise again."
        }
        Some("invalid_client") => {
            "The provider did not accept the client id and client secret (invalid_client). Check them, then \
             authorise again."
        }
        _ => return stop,
    };
    Stop { message: message.to_owned(), ..stop }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> InboundResponse {
        InboundResponse { status, body: Bytes::from(body.to_owned()) }
    }

    fn refusal(status: u16, body: &str) -> Stop {
        let Err(stop) = read_token(&answer(status, body)) else { panic!("HTTP {status} {body} read as a token") };
        stop
    }

    #[test]
    fn a_token_answer_is_read_or_refused_in_words() {
        let Ok(token) = read_token(&answer(200, r#"{"access_token":"a","expires_in":60}"#)) else { panic!("no token") };
        assert_eq!((token.access_token.as_str(), token.expires_in), ("a", Some(60)));
        let empty = refusal(200, r#"{"access_token":""}"#);
        assert_eq!(empty.outcome, TestOutcome::UnexpectedStatus);

        let refused = refusal(401, r#"{"error":"invalid_client"}"#);
        assert_eq!(refused.outcome, TestOutcome::AuthRejected);
        assert_eq!(refused.token_error, Some("invalid_client"));
        assert_eq!(refused.culprit, Some(Culprit::TokenRefused { code: Some("invalid_client"), status: 401 }));
        assert_eq!(refused.message, "The token endpoint refused the credentials (invalid_client, HTTP 401).");

        let missing = refusal(404, "");
        assert_eq!(missing.culprit, Some(Culprit::TokenEndpointMissing));
        let broken = refusal(500, "");
        assert_eq!(broken.message, "The token endpoint answered HTTP 500, not a token.");
    }

    #[test]
    fn a_refused_code_says_what_to_do() {
        let refused = |code| Stop { token_error: Some(code), ..stop(TestOutcome::AuthRejected, "refused") };
        assert!(code_refusal(refused("invalid_grant")).message.contains("Authorise again."));
        assert!(code_refusal(refused("invalid_client")).message.contains("Check them, then authorise again."));
        assert_eq!(code_refusal(refused("invalid_scope")).message, "refused");
    }
}
