//! The engine: one connection test at a time per permit, under the bounds
//! of [`EngineConfig`], from the test input to a [`TestResult`]: the request
//! built, authorised and sent through the egress policy, and its answer
//! judged step by step.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use conduit_types::{AuthKind, Id, TestOutcome, TestResult, TestStep, TestStepKind};
use hyper::header::AUTHORIZATION;
use hyper::Method;
use rustls::RootCertStore;
use tokio::sync::Semaphore;

use super::auth_header::authorization;
use super::fix::{field_to_fix, Culprit};
use super::request::{check_required, judge, place_fields, header_value, test_url};
use super::steps::{millis, send_test};
use super::stop::{stop, Stop};
use super::tls;
use super::token::{CodeGrant, TokenEndpoint};
use super::transport::{OutboundRequest, Transport};
use crate::clock::Clock;
use crate::credentials::{OAuthTokens, TestInput};
use crate::egress::EgressPolicy;

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
        Ok(self.send(company_id, input, grant).await)
    }

    /// Makes one request of an instance's API for a process flow: the
    /// connector's request, built and authorised from the saved settings in
    /// `input` and sent through the same egress policy and bounds as a test,
    /// judged the same way. Not under the per-company test cap: a flow's
    /// requests are bounded by the instance's rate limit and connection pool.
    pub async fn call(&self, company_id: Id, input: &TestInput) -> TestRun {
        self.send(company_id, input, None).await
    }

    async fn send(&self, company_id: Id, input: &TestInput, grant: Option<&CodeGrant>) -> TestRun {
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
        TestRun { result, refreshed_tokens }
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

        let endpoint = TokenEndpoint { transport: &transport, method, input, clock: &self.config.clock };
        if let Some(header) = authorization(&endpoint, grant, &method_name, &url, steps, refreshed).await? {
            headers.push((AUTHORIZATION, header));
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
            let renewed = endpoint.refresh(tokens, steps).await?;
            headers.retain(|(name, _)| name != AUTHORIZATION);
            headers.push((AUTHORIZATION, header_value(&format!("Bearer {}", renewed.access_token))?));
            *refreshed = Some(renewed);
            status = send_test(&transport, OutboundRequest { method: http_method, url, headers, body }, steps).await?;
        }
        Ok(judge(&definition.test_request.expected_statuses, &host, status))
    }
}
