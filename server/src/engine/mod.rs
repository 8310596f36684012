//! The connection test engine behind `test instance connection`.
//!
//! From a connector definition and an instance's settings it builds the test
//! request (base URL template, variables), applies the authentication method,
//! sends it through the egress policy and judges the answer by the connector's
//! expected statuses. The result is classified step by step, in sentences a
//! person understands, and never holds the third party's body or a secret.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use conduit_types::{
    AuthFieldValue, AuthKind, AuthMethodDef, InstanceSettings, ClientAuthStyle, ConnectorDefinition, Id, Placement,
    SignatureMethod, TestOutcome, TestResult, TestStep, TestStepKind, Timestamp, CLIENT_AUTH_FIELD, SIGNATURE_METHOD_FIELD,
};
use hyper::header::{HeaderName, HeaderValue, AUTHORIZATION};
use hyper::Method;
use rustls::RootCertStore;
use tokio::sync::Semaphore;
use url::Url;

use crate::catalogue::render;
use crate::egress::EgressPolicy;

pub mod fix;
pub mod oauth;
pub mod tls;
pub mod transport;

pub use tls::{ClientIdentity, TlsMaterial};
use fix::{field_to_fix, Culprit};
use crate::clock::Clock;
use transport::{Failure, InboundResponse, OutboundRequest, Stage, StageTiming, TlsProblem, Transport};

/// Bounds on every test.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// The whole test, token exchange included.
    pub total_timeout: Duration,
    /// Any one step (resolve, connect, TLS, request).
    pub step_timeout: Duration,
    /// How much of any answer is read.
    pub max_body_bytes: usize,
    /// How many tests one company may run at once.
    pub per_company_tests: usize,
    /// Where token expiry and OAuth 1 timestamps read the time.
    pub clock: Clock,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            total_timeout: Duration::from_secs(15),
            step_timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024,
            per_company_tests: 4,
            clock: Clock::system(),
        }
    }
}

/// Values of an authentication method's fields, secrets included. Its Debug
/// output names the fields only.
#[derive(Clone, Default)]
pub struct FieldValues(pub BTreeMap<String, String>);

impl std::fmt::Debug for FieldValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl FieldValues {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str).filter(|v| !v.is_empty())
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

/// A finished test, and new OAuth tokens when the engine had to refresh them
/// or got them for an authorisation code (the caller keeps them).
#[derive(Debug)]
pub struct TestRun {
    pub result: TestResult,
    pub refreshed_tokens: Option<OAuthTokens>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("Your company already has several connection tests running. Try again when one finishes.")]
    Busy,
}

pub struct Engine {
    policy: EgressPolicy,
    config: EngineConfig,
    roots: Arc<RootCertStore>,
    running: Mutex<HashMap<Id, Arc<Semaphore>>>,
}

/// A test that ended before the test request's answer was judged.
#[derive(Debug)]
struct Stop {
    outcome: TestOutcome,
    message: String,
    /// The standard error code of a token endpoint's refusal.
    token_error: Option<&'static str>,
    /// What decided it, where a field may be to blame.
    culprit: Option<Culprit>,
}

fn stop(outcome: TestOutcome, message: impl Into<String>) -> Stop {
    Stop { outcome, message: message.into(), token_error: None, culprit: None }
}

impl Stop {
    /// Blames `culprit` when the host could not be found or reached.
    fn unreachable(self, culprit: Culprit) -> Stop {
        match self.outcome {
            TestOutcome::Dns | TestOutcome::Connect => Stop { culprit: Some(culprit), ..self },
            _ => self,
        }
    }
}

impl Engine {
    pub fn new(policy: EgressPolicy, config: EngineConfig) -> Engine {
        Engine::with_roots(policy, config, tls::system_roots())
    }

    /// An engine trusting exactly `roots` (tests use an empty store).
    pub fn with_roots(policy: EgressPolicy, config: EngineConfig, roots: Arc<RootCertStore>) -> Engine {
        Engine { policy, config, roots, running: Mutex::new(HashMap::new()) }
    }

    pub fn policy(&self) -> &EgressPolicy {
        &self.policy
    }

    /// Runs one test for `company_id`. Dropping the future stops the test.
    pub async fn test(&self, company_id: Id, input: &TestInput) -> Result<TestRun, EngineError> {
        self.run_test(company_id, input, None).await
    }

    /// Exchanges an authorisation code for tokens at the method's token
    /// endpoint, then tests the connection with them: one test, under the
    /// same bounds and egress policy. The tokens come back in
    /// `refreshed_tokens` when the exchange succeeded.
    pub async fn test_code(&self, company_id: Id, input: &TestInput, grant: &CodeGrant) -> Result<TestRun, EngineError> {
        self.run_test(company_id, input, Some(grant)).await
    }

    async fn run_test(&self, company_id: Id, input: &TestInput, grant: Option<&CodeGrant>) -> Result<TestRun, EngineError> {
        let semaphore = {
            let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
            running
                .entry(company_id)
                .or_insert_with(|| Arc::new(Semaphore::new(self.config.per_company_tests)))
                .clone()
        };
        let _permit = semaphore.try_acquire_owned().map_err(|_| EngineError::Busy)?;

        let started = Instant::now();
        let mut steps = vec![];
        let mut refreshed_tokens = None;
        let outcome = self.run(input, grant, started, &mut steps, &mut refreshed_tokens).await;
        let (outcome, message, http_status, culprit) = match outcome {
            Ok((outcome, message, status)) => {
                // The test request's answer decided the outcome: when it
                // failed, that step failed, although an answer came.
                if outcome != TestOutcome::Ok {
                    if let Some(step) = steps.iter_mut().rev().find(|s| s.kind == TestStepKind::TestRequest) {
                        step.ok = false;
                    }
                }
                let culprit = (outcome == TestOutcome::AuthRejected).then_some(Culprit::RequestRefused);
                (outcome, message, Some(status), culprit)
            }
            Err(Stop { outcome, message, culprit, .. }) => (outcome, message, None, culprit),
        };
        let fix = culprit.and_then(|culprit| {
            let method = input.definition.auth_method(&input.auth_method)?;
            field_to_fix(&input.definition, method, culprit)
        });
        let result = TestResult {
            outcome,
            message,
            http_status,
            steps,
            duration_ms: millis(started.elapsed()),
            fix,
        };
        tracing::info!(company_id, outcome = ?result.outcome, duration_ms = result.duration_ms, "connection test");
        Ok(TestRun { result, refreshed_tokens })
    }

    async fn run(
        &self,
        input: &TestInput,
        grant: Option<&CodeGrant>,
        started: Instant,
        steps: &mut Vec<TestStep>,
        refreshed: &mut Option<OAuthTokens>,
    ) -> Result<(TestOutcome, String, u16), Stop> {
        let definition = &input.definition;
        let method = definition.auth_method(&input.auth_method).ok_or_else(|| {
            stop(TestOutcome::InvalidSettings, "Choose an authentication method this connector offers.")
        })?;
        check_required(definition, method, input)?;
        let mut url = test_url(definition, &input.variables)?;
        let tls = tls::client_config(&self.roots, &input.tls).map_err(|m| stop(TestOutcome::InvalidSettings, m))?;
        let transport = Transport {
            policy: self.policy.clone(),
            tls,
            step_timeout: self.config.step_timeout,
            deadline: started + self.config.total_timeout,
            max_body: self.config.max_body_bytes,
        };

        let mut headers = vec![];
        let mut body_fields = serde_json::Map::new();
        place_fields(method, &input.fields, &mut headers, &mut url, &mut body_fields)?;
        let method_name = definition.test_request.method.to_uppercase();
        let http_method = Method::from_bytes(method_name.as_bytes())
            .map_err(|_| stop(TestOutcome::InvalidSettings, "The connector's test request has a method that is not valid."))?;

        let fields = &input.fields;
        let value = |key: &str| fields.get(key).unwrap_or_default();
        match method.kind {
            AuthKind::Basic => {
                let pair = format!("{}:{}", value("username"), value("password"));
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                headers.push((AUTHORIZATION, header_value(&format!("Basic {encoded}"))?));
            }
            AuthKind::Token => {}
            AuthKind::Oauth2ClientCredentials => {
                let mut form = vec![("grant_type", "client_credentials")];
                if let Some(scope) = fields.get("scope") {
                    form.push(("scope", scope));
                }
                let answer = self.token_exchange(&transport, method, input, &form, steps).await?;
                headers.push((AUTHORIZATION, header_value(&format!("Bearer {}", answer.access_token))?));
            }
            AuthKind::Oauth1 => {
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
                let header = oauth::oauth1_header(&credentials, method_name.as_str(), &url, self.config.clock.now() as u64, &nonce());
                headers.push((AUTHORIZATION, header_value(&header)?));
            }
            AuthKind::Oauth2AuthorisationCode if grant.is_some() => {
                let tokens = self.exchange_code(&transport, method, input, grant, steps).await?;
                headers.push((AUTHORIZATION, header_value(&format!("Bearer {}", tokens.access_token))?));
                *refreshed = Some(tokens);
            }
            AuthKind::Oauth2AuthorisationCode => {
                let tokens = input.oauth_tokens.as_ref().ok_or_else(|| {
                    stop(TestOutcome::InvalidSettings, "This instance has not been authorised yet. Authorise it first.")
                })?;
                let access = if tokens.expires_at.is_some_and(|at| at <= self.config.clock.now() + 30) {
                    let renewed = self.refresh(&transport, method, input, tokens, steps).await?;
                    let access = renewed.access_token.clone();
                    *refreshed = Some(renewed);
                    access
                } else {
                    tokens.access_token.clone()
                };
                headers.push((AUTHORIZATION, header_value(&format!("Bearer {access}"))?));
            }
        }

        let body = (!body_fields.is_empty())
            .then(|| ("application/json", Bytes::from(serde_json::Value::Object(body_fields).to_string())));
        let host = url.host_str().unwrap_or_default().to_owned();
        // Saved tokens the provider refuses before they expire are renewed
        // once, and the test request sent again with the new access token.
        let renewable = match (&input.oauth_tokens, grant, &refreshed) {
            (Some(tokens), None, None) if method.kind == AuthKind::Oauth2AuthorisationCode => {
                tokens.refresh_token.as_ref().map(|_| (tokens, http_method.clone(), url.clone(), headers.clone(), body.clone()))
            }
            _ => None,
        };
        let request = OutboundRequest { method: http_method, url, headers, body };
        let mut status = send_test(&transport, request, steps).await?;
        if let (401 | 403, Some((tokens, http_method, url, mut headers, body))) = (status, renewable) {
            let renewed = self.refresh(&transport, method, input, tokens, steps).await?;
            headers.retain(|(name, _)| name != AUTHORIZATION);
            headers.push((AUTHORIZATION, header_value(&format!("Bearer {}", renewed.access_token))?));
            *refreshed = Some(renewed);
            status = send_test(&transport, OutboundRequest { method: http_method, url, headers, body }, steps).await?;
        }
        Ok(judge(&definition.test_request.expected_statuses, &host, status))
    }

    /// Renews saved tokens with their refresh token (one `token exchange` step).
    async fn refresh(
        &self,
        transport: &Transport,
        method: &AuthMethodDef,
        input: &TestInput,
        tokens: &OAuthTokens,
        steps: &mut Vec<TestStep>,
    ) -> Result<OAuthTokens, Stop> {
        let refresh_token = tokens.refresh_token.as_deref().ok_or_else(|| {
            stop(TestOutcome::AuthRejected, "The access token has expired and there is no refresh token. Reconnect the instance.")
        })?;
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token)];
        let answer = self.token_exchange(transport, method, input, &form, steps).await?;
        Ok(OAuthTokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token.or_else(|| tokens.refresh_token.clone()),
            expires_at: answer.expires_in.map(|s| self.config.clock.now() + s),
            scope: answer.scope.or_else(|| tokens.scope.clone()),
        })
    }

    /// Exchanges an authorisation code for tokens (one `token exchange` step).
    async fn exchange_code(
        &self,
        transport: &Transport,
        method: &AuthMethodDef,
        input: &TestInput,
        grant: Option<&CodeGrant>,
        steps: &mut Vec<TestStep>,
    ) -> Result<OAuthTokens, Stop> {
        let Some(grant) = grant else {
            return Err(stop(TestOutcome::InvalidSettings, "There is no authorisation code to exchange."));
        };
        let form = [
            ("grant_type", "authorization_code"),
            ("code", grant.code.as_str()),
            ("redirect_uri", grant.redirect_uri.as_str()),
            ("code_verifier", grant.code_verifier.as_str()),
        ];
        let answer = self.token_exchange(transport, method, input, &form, steps).await.map_err(code_refusal)?;
        Ok(OAuthTokens {
            access_token: answer.access_token,
            refresh_token: answer.refresh_token,
            expires_at: answer.expires_in.map(|s| self.config.clock.now() + s),
            scope: answer.scope,
        })
    }

    /// Asks the method's token endpoint for a token, as one `token exchange` step.
    async fn token_exchange(
        &self,
        transport: &Transport,
        method: &AuthMethodDef,
        input: &TestInput,
        form: &[(&str, &str)],
        steps: &mut Vec<TestStep>,
    ) -> Result<oauth::TokenAnswer, Stop> {
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

/// Sends the test request, recording its steps; answers its status.
async fn send_test(transport: &Transport, request: OutboundRequest, steps: &mut Vec<TestStep>) -> Result<u16, Stop> {
    let mut timings = vec![];
    let sent = transport.send(request, &mut timings).await;
    steps.extend(timings.iter().map(|t| TestStep {
        kind: match t.stage {
            Stage::Resolve => TestStepKind::Resolve,
            Stage::Connect => TestStepKind::Connect,
            Stage::Tls => TestStepKind::TlsHandshake,
            Stage::Request => TestStepKind::TestRequest,
        },
        ok: t.ok,
        duration_ms: millis(t.duration),
        http_status: t.status,
    }));
    Ok(sent.map_err(|f| failure_stop(f, "the test request").unreachable(Culprit::AddressUnreachable))?.status)
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

/// The value of choice field `key` of `method` (its first choice when left
/// empty), or `None` when the method has no such field.
fn choice<'a>(method: &'a AuthMethodDef, fields: &'a FieldValues, key: &str) -> Option<&'a str> {
    let def = method.fields.iter().find(|f| f.key == key && !f.choices.is_empty())?;
    Some(def.chosen(fields.get(key).unwrap_or_default()))
}

fn unknown_choice(method: &AuthMethodDef, key: &str) -> Stop {
    let label = method.fields.iter().find(|f| f.key == key).map_or(key, |f| f.label.as_str());
    stop(TestOutcome::InvalidSettings, format!("Choose the {label} from the list."))
}

/// Every required variable and field has a value.
fn check_required(definition: &ConnectorDefinition, method: &AuthMethodDef, input: &TestInput) -> Result<(), Stop> {
    for variable in definition.variables.iter().filter(|v| v.required) {
        if input.variables.get(&variable.key).is_none_or(|v| v.trim().is_empty()) {
            return Err(stop(TestOutcome::InvalidSettings, format!("Enter a value for {}.", variable.label)));
        }
    }
    if method.kind == AuthKind::Oauth2AuthorisationCode {
        // Its tokens come from authorising, not from fields typed in here.
        return Ok(());
    }
    for field in method.fields.iter().filter(|f| f.required) {
        if input.fields.get(&field.key).is_none() {
            return Err(stop(TestOutcome::InvalidSettings, format!("Enter a value for {}.", field.label)));
        }
    }
    Ok(())
}

/// The base URL and test path with `{{variables}}` filled in.
fn test_url(definition: &ConnectorDefinition, variables: &BTreeMap<String, String>) -> Result<Url, Stop> {
    let render = |template: &str| {
        render(template, |name| variables.get(name).map(|v| v.trim().to_owned()))
            .map_err(|_| stop(TestOutcome::InvalidSettings, "The connector's address template is not valid."))
    };
    let base = render(&definition.base_url)?;
    let path = render(&definition.test_request.path)?;
    let joined = format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'));
    let url = Url::parse(&joined)
        .map_err(|_| stop(TestOutcome::InvalidSettings, "The instance's address is not a valid URL. Check its variables."))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(stop(TestOutcome::InvalidSettings, "The instance's address must start with http:// or https://."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(stop(TestOutcome::InvalidSettings, "Put credentials in the authentication fields, not in the address."));
    }
    Ok(url)
}

/// Puts each field with a placement of its own where the connector says.
fn place_fields(
    method: &AuthMethodDef,
    fields: &FieldValues,
    headers: &mut Vec<(HeaderName, HeaderValue)>,
    url: &mut Url,
    body: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), Stop> {
    for field in &method.fields {
        let Some(value) = fields.get(&field.key) else { continue };
        match &field.placement {
            Placement::Header { name, prefix } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| stop(TestOutcome::InvalidSettings, "The connector names a header that is not valid."))?;
                let full = format!("{}{value}", prefix.as_deref().unwrap_or_default());
                headers.push((name, header_value(&full).map_err(|_| {
                    stop(TestOutcome::InvalidSettings, format!("{} holds characters a header cannot carry.", field.label))
                })?));
            }
            Placement::Query { name } => {
                url.query_pairs_mut().append_pair(name, value);
            }
            Placement::Body { name } => {
                body.insert(name.clone(), serde_json::Value::String(value.to_owned()));
            }
            Placement::Url | Placement::Auth => {}
        }
    }
    Ok(())
}

fn header_value(value: &str) -> Result<HeaderValue, Stop> {
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| stop(TestOutcome::InvalidSettings, "A credential holds characters a header cannot carry."))?;
    header.set_sensitive(true);
    Ok(header)
}

/// Judges the test request's status.
fn judge(expected: &[u16], host: &str, status: u16) -> (TestOutcome, String, u16) {
    if expected.contains(&status) {
        return (TestOutcome::Ok, format!("The connection works: {host} accepted the credentials."), status);
    }
    match status {
        401 | 403 => (
            TestOutcome::AuthRejected,
            format!("{host} refused the credentials (HTTP {status}). Check them and test again."),
            status,
        ),
        300..=399 => (
            TestOutcome::UnexpectedStatus,
            format!("{host} answered with a redirect (HTTP {status}). Tests do not follow redirects: check the address."),
            status,
        ),
        _ => (
            TestOutcome::UnexpectedStatus,
            format!("{host} answered HTTP {status}, which this connector does not expect. Check the address and variables."),
            status,
        ),
    }
}

/// A transport failure as an outcome and a sentence about `what`.
fn failure_stop(failure: Failure, what: &str) -> Stop {
    match failure {
        Failure::Egress(e) => {
            let outcome = match e {
                crate::egress::EgressError::Dns { .. } => TestOutcome::Dns,
                crate::egress::EgressError::NotHttp => TestOutcome::InvalidSettings,
                crate::egress::EgressError::Refused { .. } => TestOutcome::BlockedByPolicy,
            };
            stop(outcome, e.to_string())
        }
        Failure::Connect { host } => stop(
            TestOutcome::Connect,
            format!("Nothing answered at {host} for {what}. Check the address, or whether the system is up."),
        ),
        Failure::Protocol { host } => stop(
            TestOutcome::Connect,
            format!("{host} did not answer {what} with valid HTTP."),
        ),
        Failure::Timeout { stage, host } => {
            let doing = match stage {
                Stage::Resolve => "looking up its address",
                Stage::Connect => "connecting",
                Stage::Tls => "setting up a secure connection",
                Stage::Request => "waiting for its answer",
            };
            stop(TestOutcome::Timeout, format!("{host} took too long ({doing}) for {what}."))
        }
        Failure::Tls { host, problem } => {
            let message = match problem {
                TlsProblem::UnknownIssuer => format!(
                    "{host}'s certificate is not signed by an authority conduit trusts. If the system uses a private CA, add its CA certificate on the certificates tab."
                ),
                TlsProblem::WrongName => format!("{host}'s certificate is for a different name."),
                TlsProblem::Expired => format!("{host}'s certificate has expired."),
                TlsProblem::ClientCertificateRequired => {
                    format!("{host} asks for a client certificate. Add one on the certificates tab.")
                }
                TlsProblem::ClientCertificateRejected => format!("{host} did not accept the client certificate."),
                TlsProblem::Other => format!("A secure connection to {host} could not be set up."),
            };
            stop(TestOutcome::Tls, message)
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn nonce() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(base_url: &str, path: &str) -> ConnectorDefinition {
        let mut def = crate::catalogue::builtin().unwrap().remove(0).definition;
        def.base_url = base_url.into();
        def.test_request.path = path.into();
        def
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[test]
    fn the_test_url_fills_variables_into_the_template() {
        let def = definition("https://{{store}}.myshopify.com/admin/api/2024-10", "/shop.json");
        let url = test_url(&def, &vars(&[("store", "northwind-uk")])).unwrap();
        assert_eq!(url.as_str(), "https://northwind-uk.myshopify.com/admin/api/2024-10/shop.json");
    }

    #[test]
    fn a_url_that_is_not_http_or_carries_credentials_is_invalid() {
        let def = definition("{{base}}", "/me");
        for base in ["ftp://files.example.com", "not a url", "https://user:pass@api.example.com"] {
            let Err(stop) = test_url(&def, &vars(&[("base", base)])) else { panic!("{base} accepted") };
            assert_eq!(stop.outcome, TestOutcome::InvalidSettings, "{base}");
            assert!(!stop.message.contains("pass"), "{}", stop.message);
        }
    }

    #[test]
    fn statuses_are_judged_against_the_expected_ones() {
        assert_eq!(judge(&[200], "h", 200).0, TestOutcome::Ok);
        assert_eq!(judge(&[200], "h", 401).0, TestOutcome::AuthRejected);
        assert_eq!(judge(&[200], "h", 403).0, TestOutcome::AuthRejected);
        assert_eq!(judge(&[200], "h", 302).0, TestOutcome::UnexpectedStatus);
        assert_eq!(judge(&[200], "h", 500).0, TestOutcome::UnexpectedStatus);
        assert_eq!(judge(&[200, 204], "h", 204).0, TestOutcome::Ok);
    }

    #[test]
    fn field_values_debug_names_fields_but_never_values() {
        let values = FieldValues(vars(&[("password", "hunter2")]));
        assert_eq!(format!("{values:?}"), r#"{"password"}"#);
    }
}
