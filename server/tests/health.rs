//! The background health checker against a local API on 127.0.0.1, with a
//! manual clock: rounds re-test saved instances, record the status and the
//! time, write the history only on a change, respect the per-company cap
//! and the egress policy, renew expiring OAuth 2 tokens and mark a refused
//! renewal as needing reconnecting. On every configured database.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use conduit_server::auth::hash_password;
use conduit_server::clock::Clock;
use conduit_server::config::Allowlist;
use conduit_server::engine::OAuthTokens;
use conduit_server::health::{run_round, Limits, Scope};
use conduit_server::store::{CertificateChange, InstanceUpdate, NewInstance, SaveOutcome, Secrets, Store, AUTOMATIC_CHECK};
use conduit_server::{AppState, Config};
use conduit_types::draft::HistoryEvent;
use conduit_types::{Id, InstanceDetails, InstanceStatus, InstanceSummary, TestOutcome, Timestamp};
use tokio::net::TcpListener;

const START: Timestamp = 1_800_000_000;
const GOOD: &str = "good-token";
const LIMITS: Limits = Limits { period: 900, per_company: 2, global: 8 };

/// The local API: `/bearer/me` takes `Bearer good-token` (answering after
/// 150 ms, counting how many requests it holds at once); `/oauth/token`
/// renews `good-refresh` and refuses any other refresh token; `/oauth/me`
/// takes the renewed access token. Counts every connection.
#[derive(Clone, Default)]
struct Counts {
    now: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    refreshes: Arc<Mutex<Vec<String>>>,
}

struct LocalApi {
    port: u16,
    counts: Counts,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LocalApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn bearer(headers: &HeaderMap) -> String {
    headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

async fn local_api() -> LocalApi {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let counts = Counts::default();
    let app = Router::new()
        .route(
            "/bearer/me",
            get(|State(c): State<Counts>, headers: HeaderMap| async move {
                c.requests.fetch_add(1, Ordering::SeqCst);
                let now = c.now.fetch_add(1, Ordering::SeqCst) + 1;
                c.most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
                c.now.fetch_sub(1, Ordering::SeqCst);
                if bearer(&headers) == format!("Bearer {GOOD}") { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
            }),
        )
        .route(
            "/oauth/token",
            post(|State(c): State<Counts>, Form(form): Form<BTreeMap<String, String>>| async move {
                let refresh = form.get("refresh_token").cloned().unwrap_or_default();
                c.refreshes.lock().unwrap().push(refresh.clone());
                if form.get("grant_type").map(String::as_str) == Some("refresh_token") && refresh == "good-refresh" {
                    Json(serde_json::json!({"access_token": "renewed-access", "refresh_token": "next-refresh", "expires_in": 3600, "token_type": "Bearer"})).into_response()
                } else {
                    (StatusCode::BAD_REQUEST, Json(serde_json::json!({"error": "invalid_grant"}))).into_response()
                }
            }),
        )
        .route(
            "/oauth/me",
            get(|headers: HeaderMap| async move {
                if bearer(&headers) == "Bearer renewed-access" { StatusCode::OK } else { StatusCode::UNAUTHORIZED }
            }),
        )
        .with_state(counts.clone());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    LocalApi { port, counts, connections, task }
}

/// A company with one user and the HTTP API connector, the app state under
/// a manual clock whose engine may reach only the local API's port.
struct Setup {
    store: Store,
    state: AppState,
    clock: Clock,
    company: Id,
    user: Id,
    connector: Id,
    api: LocalApi,
}

async fn setup(t: &common::TestStore) -> Setup {
    let clock = Clock::manual(START);
    let store = t.store.clone().with_clock(clock.clone());
    let company = store.create_company("Initech").await.unwrap();
    let user = store.create_user(company, "peter@initech.example", "Peter Gibbons", &hash_password("initech-pw").unwrap()).await.unwrap();
    let http_api = conduit_server::catalogue::builtin().unwrap().into_iter().find(|c| c.slug == "http-api").unwrap();
    let connector = store.upsert_connector(&http_api.slug, &http_api.name, &http_api.definition).await.unwrap();
    store.install_connector(company, connector).await.unwrap();
    let api = local_api().await;
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.egress_allow = Allowlist(vec![format!("127.0.0.1/32:{}", api.port).parse().unwrap()]);
    let state = AppState::new(store.clone(), config);
    Setup { store, state, clock, company, user, connector, api }
}

impl Setup {
    async fn instance(&self, company: Id, name: &str, base_url: String, method: &str, fields: &[(&str, String)], secrets: &[(&str, &str)]) -> Id {
        let details = InstanceDetails {
            name: name.into(),
            time_zone: "UTC".into(),
            date_format: "Y-m-d".into(),
            rate_limit: None,
            connection_pool: None,
            variables: BTreeMap::from([("base_url".into(), base_url), ("test_path".into(), "/me".into())]),
        };
        let new = NewInstance {
            connector_id: self.connector,
            details,
            auth_method: method.into(),
            auth_fields: fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            secrets: Secrets::from_pairs(secrets.iter().copied()),
            status: InstanceStatus::NotTested,
            last_tested_at: None,
        };
        self.store.create_instance(company, &new).await.unwrap()
    }

    async fn bearer_instance(&self, name: &str, token: &str) -> Id {
        let base = format!("http://127.0.0.1:{}/bearer", self.api.port);
        self.instance(self.company, name, base, "bearer", &[], &[("token", token)]).await
    }

    /// Saves the instance as it is with `secrets` (or its own) and `tokens`.
    async fn save(&self, id: Id, secrets: Option<Secrets>, tokens: Option<&OAuthTokens>) {
        let stored = self.store.connection(self.company, id).await.unwrap().unwrap();
        let s = &stored.settings;
        let fields: BTreeMap<String, String> = s
            .authentication
            .fields
            .iter()
            .filter_map(|(k, v)| match v {
                conduit_types::AuthFieldValue::Plain { value } => Some((k.clone(), value.clone())),
                _ => None,
            })
            .collect();
        let secrets = secrets.unwrap_or(stored.secrets.clone());
        let update = InstanceUpdate {
            company_id: self.company,
            instance_id: id,
            user_id: self.user,
            base_version: s.version,
            details: &s.details,
            auth_method: &s.authentication.method,
            auth_fields: &fields,
            secrets: &secrets,
            tested_at: None,
            certificate: CertificateChange::Keep,
            changed: &[],
            oauth_tokens: tokens,
        };
        assert!(matches!(self.store.save_instance(&update).await.unwrap(), SaveOutcome::Saved { .. }));
    }

    async fn summary(&self, id: Id) -> InstanceSummary {
        let list = self.store.connector_list(self.company).await.unwrap();
        list.connectors.into_iter().flat_map(|c| c.instances).find(|i| i.id == id).unwrap()
    }

    /// The history's automatic checks of the instance, newest first.
    async fn automatic_checks(&self, id: Id) -> Vec<TestOutcome> {
        let history = self.store.history(self.company, id).await.unwrap().unwrap();
        history
            .into_iter()
            .filter(|e| e.user == AUTOMATIC_CHECK)
            .map(|e| match e.event {
                HistoryEvent::Tested { outcome, .. } => outcome,
                other => panic!("an automatic check is a test: {other:?}"),
            })
            .collect()
    }
}

#[tokio::test]
async fn rounds_retest_saved_instances_and_record_status_time_and_changes_only() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let good = s.bearer_instance("Good", GOOD).await;
        let bad = s.bearer_instance("Bad", "refused-token").await;

        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 2, "{}", t.name);
        let (g, b) = (s.summary(good).await, s.summary(bad).await);
        assert_eq!((g.status, g.last_checked_at), (InstanceStatus::Operational, Some(START)), "{}", t.name);
        assert_eq!((b.status, b.last_checked_at), (InstanceStatus::FailedAuthentication, Some(START)), "{}", t.name);
        assert_eq!(s.automatic_checks(good).await, vec![TestOutcome::Ok], "{}", t.name);
        assert_eq!(s.automatic_checks(bad).await, vec![TestOutcome::AuthRejected], "{}", t.name);

        // Nothing is due until each instance's slot comes round.
        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 0, "{}", t.name);
        assert_eq!(s.api.counts.requests.load(Ordering::SeqCst), 2);
        s.clock.advance(LIMITS.period);
        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 2, "{}", t.name);
        let g = s.summary(good).await;
        assert!(g.last_checked_at.unwrap() > START, "{}", t.name);
        assert_eq!(g.status, InstanceStatus::Operational);
        // Unchanged: no new history entries.
        assert_eq!(s.automatic_checks(good).await.len(), 1, "{}", t.name);
        assert_eq!(s.automatic_checks(bad).await.len(), 1, "{}", t.name);

        // A save makes the instance due at once; the change is recorded.
        s.clock.advance(5);
        s.save(good, Some(Secrets::from_pairs([("token", "now-refused")])), None).await;
        s.clock.advance(5);
        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 1, "{}", t.name);
        let g = s.summary(good).await;
        assert_eq!((g.status, g.last_checked_at), (InstanceStatus::FailedAuthentication, Some(s.clock.now())), "{}", t.name);
        assert_eq!(s.automatic_checks(good).await, vec![TestOutcome::AuthRejected, TestOutcome::Ok], "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn checks_go_through_the_egress_policy() {
    for t in common::stores().await {
        let s = setup(&t).await;
        // Another local server, on a port the policy does not open.
        let other = local_api().await;
        let base = format!("http://127.0.0.1:{}/bearer", other.port);
        let blocked = s.instance(s.company, "Elsewhere", base, "bearer", &[], &[("token", GOOD)]).await;
        run_round(&s.state, &LIMITS, &Scope::All).await.unwrap();
        assert_eq!(other.connections.load(Ordering::SeqCst), 0, "{}", t.name);
        let summary = s.summary(blocked).await;
        // Checked, but a refusal by the policy says nothing about the instance.
        assert_eq!((summary.status, summary.last_checked_at), (InstanceStatus::NotTested, Some(START)), "{}", t.name);
        assert!(s.automatic_checks(blocked).await.is_empty());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn no_more_than_the_per_company_cap_run_at_once() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let mut ids = vec![];
        for n in 0..5 {
            ids.push(s.bearer_instance(&format!("Orders {n}"), GOOD).await);
        }
        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 5, "{}", t.name);
        assert_eq!(s.api.counts.requests.load(Ordering::SeqCst), 5);
        assert_eq!(s.api.counts.most.load(Ordering::SeqCst), LIMITS.per_company, "{}", t.name);
        for id in ids {
            assert_eq!(s.summary(id).await.status, InstanceStatus::Operational, "{}", t.name);
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn expiring_oauth_tokens_are_renewed_and_a_refused_renewal_needs_reconnecting() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let base = format!("http://127.0.0.1:{}", s.api.port);
        let fields = [
            ("authorize_url", format!("{base}/oauth/authorize")),
            ("token_url", format!("{base}/oauth/token")),
            ("client_id", "initech".to_owned()),
            ("scope", String::new()),
        ];
        let renewable = s.instance(s.company, "Renewable", format!("{base}/oauth"), "authorisation_code", &fields, &[("client_secret", "initech-secret")]).await;
        let revoked = s.instance(s.company, "Revoked", format!("{base}/oauth"), "authorisation_code", &fields, &[("client_secret", "initech-secret")]).await;
        let expiring = |refresh: &str| OAuthTokens {
            access_token: "old-access".into(),
            refresh_token: Some(refresh.into()),
            expires_at: Some(START + 10),
            scope: None,
        };
        s.save(renewable, None, Some(&expiring("good-refresh"))).await;
        s.save(revoked, None, Some(&expiring("revoked-refresh"))).await;

        assert_eq!(run_round(&s.state, &LIMITS, &Scope::All).await.unwrap(), 2, "{}", t.name);
        let mut refreshes = s.api.counts.refreshes.lock().unwrap().clone();
        refreshes.sort();
        assert_eq!(refreshes, vec!["good-refresh", "revoked-refresh"]);
        let (tokens, _) = s.store.oauth_tokens(s.company, renewable).await.unwrap().unwrap();
        assert_eq!(tokens.access_token, "renewed-access", "{}", t.name);
        assert_eq!(tokens.refresh_token.as_deref(), Some("next-refresh"));
        assert_eq!(tokens.expires_at, Some(START + 3600));
        assert_eq!(s.summary(renewable).await.status, InstanceStatus::Operational, "{}", t.name);
        assert_eq!(s.summary(revoked).await.status, InstanceStatus::NeedsReconnecting, "{}", t.name);
        assert_eq!(s.automatic_checks(revoked).await, vec![TestOutcome::AuthRejected], "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_task_is_off_at_zero_minutes_and_stops_when_told() {
    for t in common::stores().await {
        let s = setup(&t).await;
        assert!(conduit_server::health::HealthTask::start(s.state.clone(), 0, Scope::All).is_none());
        let task = conduit_server::health::HealthTask::start(s.state.clone(), 15, Scope::All).expect("on at 15 minutes");
        tokio::time::timeout(Duration::from_secs(2), task.stop()).await.expect("stops at once");
        t.cleanup().await;
    }
}
