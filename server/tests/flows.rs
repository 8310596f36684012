//! The process-flow runner against a local API on 127.0.0.1, under a
//! manual clock: an instance's rate limit makes requests over it wait for
//! the clock, a pool's cap holds the requests of all its instances, each
//! request uses the instance as saved at that moment (a save during a run
//! reaches the next request) and the run records the version each used,
//! the egress policy refuses a flow's request with a sentence, the
//! scheduler starts due flows, and `run now` over HTTP reaches only the
//! company's own flows. On every configured database.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use conduit_server::auth::hash_password;
use conduit_server::clock::Clock;
use conduit_server::config::Allowlist;
use conduit_server::flows::{start_run, tick, Start};
use conduit_server::store::{CertificateChange, InstanceUpdate, NewInstance, SaveOutcome, Secrets, Store};
use conduit_server::{AppState, Config};
use conduit_types::{
    FlowRun, Id, InstanceDetails, InstanceStatus, ProcessFlow, RateLimit, RateLimitUnit, RunOutcome, RunStart,
    StartedRun, Timestamp,
};
use tokio::net::TcpListener;

const START: Timestamp = 1_800_000_000;
const OLD: &str = "old-flow-token";
const NEW: &str = "new-flow-token";
const THIRD: &str = "third-flow-token";
const PASSWORD: &str = "initech-pw";

/// What the local API saw: each request's Authorization header and the
/// server clock's time when it arrived, and how many it held at once.
#[derive(Clone)]
struct Seen {
    clock: Clock,
    requests: Arc<Mutex<Vec<(String, Timestamp)>>>,
    now: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

impl Seen {
    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
    fn authorizations(&self) -> Vec<String> {
        self.requests.lock().unwrap().iter().map(|(a, _)| a.clone()).collect()
    }
    fn arrivals(&self) -> Vec<Timestamp> {
        self.requests.lock().unwrap().iter().map(|(_, at)| *at).collect()
    }
}

struct LocalApi {
    port: u16,
    seen: Seen,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for LocalApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn record(seen: &Seen, headers: &HeaderMap) -> StatusCode {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let refused = auth == "Bearer refused";
    seen.requests.lock().unwrap().push((auth, seen.clock.now()));
    if refused { StatusCode::UNAUTHORIZED } else { StatusCode::OK }
}

/// `/api/me` answers at once; `/held/me` holds each request until a second
/// one is in (or two seconds passed), so requests that may overlap do.
async fn local_api(clock: Clock) -> LocalApi {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Seen {
        clock,
        requests: Arc::default(),
        now: Arc::default(),
        most: Arc::default(),
    };
    let app = Router::new()
        .route("/api/me", get(|State(seen): State<Seen>, headers: HeaderMap| async move { record(&seen, &headers) }))
        .route(
            "/held/me",
            get(|State(seen): State<Seen>, headers: HeaderMap| async move {
                let now = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
                seen.most.fetch_max(now, Ordering::SeqCst);
                for _ in 0..200 {
                    if seen.now.load(Ordering::SeqCst) > 1 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                seen.now.fetch_sub(1, Ordering::SeqCst);
                record(&seen, &headers)
            }),
        )
        .with_state(seen.clone());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let listener = listener.tap_io(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let task = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    LocalApi { port, seen, connections, task }
}

/// Waits (at most 20 s) until `$check` (which may `.await`) holds.
macro_rules! eventually {
    ($what:expr, $check:expr) => {{
        let mut held = false;
        for _ in 0..2_000 {
            if $check {
                held = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(held, "never: {}", $what);
    }};
}

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
    let user = store.create_user(company, "peter@initech.example", "Peter Gibbons", &hash_password(PASSWORD).unwrap()).await.unwrap();
    let http_api = conduit_server::catalogue::builtin().unwrap().into_iter().find(|c| c.slug == "http-api").unwrap();
    let connector = store.upsert_connector(&http_api.slug, &http_api.name, &http_api.definition).await.unwrap();
    store.install_connector(company, connector).await.unwrap();
    let api = local_api(clock.clone()).await;
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.static_dir = PathBuf::from("missing");
    // The policy opens only the local API's port.
    config.egress_allow = Allowlist(vec![format!("127.0.0.1/32:{}", api.port).parse().unwrap()]);
    let state = AppState::new(store.clone(), config);
    Setup { store, state, clock, company, user, connector, api }
}

impl Setup {
    async fn instance(&self, company: Id, name: &str, base_url: String, token: &str, rate: Option<RateLimit>, pool: Option<&str>) -> Id {
        let new = NewInstance {
            connector_id: self.connector,
            details: InstanceDetails {
                name: name.into(),
                time_zone: "UTC".into(),
                date_format: "Y-m-d".into(),
                rate_limit: rate,
                connection_pool: pool.map(str::to_owned),
                variables: BTreeMap::from([("base_url".into(), base_url), ("test_path".into(), "/me".into())]),
            },
            auth_method: "bearer".into(),
            auth_fields: BTreeMap::new(),
            secrets: Secrets::from_pairs([("token", token)]),
            status: InstanceStatus::NotTested,
            last_tested_at: None,
        };
        self.store.create_instance(company, &new).await.unwrap()
    }

    async fn api_instance(&self, name: &str, token: &str, rate: Option<RateLimit>) -> Id {
        self.instance(self.company, name, format!("http://127.0.0.1:{}/api", self.api.port), token, rate, None).await
    }

    async fn flow(&self, name: &str, instances: &[Id], requests_per_run: u32) -> Id {
        let flow = self.store.create_process_flow(self.company, name, true, instances).await.unwrap();
        assert!(self.store.set_flow_schedule(self.company, flow, None, requests_per_run).await.unwrap());
        flow
    }

    async fn run_now(&self, flow: Id) -> Id {
        match start_run(&self.state, self.company, flow, RunStart::RunNow).await.unwrap() {
            Start::Started(run) => run,
            other => panic!("not started: {other:?}"),
        }
    }

    /// The run, once it finished.
    async fn finished(&self, flow: Id, run: Id) -> FlowRun {
        for _ in 0..2_000 {
            let runs = self.store.flow_runs(self.company, flow, 20).await.unwrap();
            if let Some(done) = runs.into_iter().find(|r| r.id == run && r.outcome != RunOutcome::Running) {
                return done;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("run {run} never finished");
    }

    /// Saves the instance as it is, with `token`: a new version.
    async fn save_token(&self, id: Id, token: &str) {
        let stored = self.store.connection(self.company, id).await.unwrap().unwrap();
        let s = &stored.settings;
        let update = InstanceUpdate {
            company_id: self.company,
            instance_id: id,
            user_id: self.user,
            base_version: s.version,
            details: &s.details,
            auth_method: &s.authentication.method,
            auth_fields: &BTreeMap::new(),
            secrets: &Secrets::from_pairs([("token", token)]),
            tested_at: None,
            certificate: CertificateChange::Keep,
            changed: &[],
            oauth_tokens: None,
        };
        assert!(matches!(self.store.save_instance(&update).await.unwrap(), SaveOutcome::Saved { .. }));
    }

    fn waiting(&self) -> usize {
        self.state.flows.rates.waiting()
    }
}

fn per_second(amount: u32) -> Option<RateLimit> {
    Some(RateLimit { amount, unit: RateLimitUnit::Second })
}

#[tokio::test]
async fn requests_over_the_rate_limit_wait_for_the_clock_and_none_fail() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let orders = s.api_instance("Orders API", OLD, per_second(2)).await;
        let flow = s.flow("Orders sync", &[orders], 5).await;
        let run = s.run_now(flow).await;

        // Two a second: two go, the third waits for the clock to move.
        eventually!("two arrived and the third waits", s.api.seen.count() == 2 && s.waiting() == 1);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(s.api.seen.count(), 2, "{}: nothing more before the window closes", t.name);
        s.clock.advance(1);
        eventually!("four arrived and the fifth waits", s.api.seen.count() == 4 && s.waiting() == 1);
        assert_eq!(s.api.seen.count(), 4, "{}", t.name);
        s.clock.advance(1);
        let done = s.finished(flow, run).await;
        assert_eq!(s.api.seen.arrivals(), [START, START, START + 1, START + 1, START + 2], "{}", t.name);
        assert_eq!(done.outcome, RunOutcome::Succeeded, "{}: {:?}", t.name, done.message);
        assert_eq!(done.requests.len(), 5);
        assert!(done.requests.iter().all(|r| r.ok && r.http_status == Some(200)));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_pools_cap_holds_the_requests_of_every_instance_in_it() {
    for t in common::stores().await {
        let s = setup(&t).await;
        s.store.create_connection_pool(s.company, "bulk exports").await.unwrap();
        assert!(s.store.set_pool_cap(s.company, "bulk exports", Some(1)).await.unwrap());
        let held = format!("http://127.0.0.1:{}/held", s.api.port);
        let a = s.instance(s.company, "Exports A", held.clone(), OLD, None, Some("bulk exports")).await;
        let b = s.instance(s.company, "Exports B", held, OLD, None, Some("bulk exports")).await;
        let flow = s.flow("Bulk export", &[a, b], 2).await;

        let run = s.run_now(flow).await;
        let done = s.finished(flow, run).await;
        assert_eq!(done.outcome, RunOutcome::Succeeded, "{}: {:?}", t.name, done.message);
        assert_eq!(s.api.seen.count(), 4, "{}", t.name);
        assert_eq!(s.api.seen.most.load(Ordering::SeqCst), 1, "{}: one request at a time in the pool", t.name);

        // Without the cap the same run's requests overlap (the local API
        // sees two at once), so the cap above is what held them.
        assert!(s.store.set_pool_cap(s.company, "bulk exports", None).await.unwrap());
        let run = s.run_now(flow).await;
        s.finished(flow, run).await;
        assert_eq!(s.api.seen.most.load(Ordering::SeqCst), 2, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_save_during_a_run_reaches_its_next_request_and_the_run_records_each_version() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let orders = s.api_instance("Orders API", OLD, per_second(1)).await;
        let flow = s.flow("Orders sync", &[orders], 3).await;
        let run = s.run_now(flow).await;

        eventually!("the first request went and the second waits", s.api.seen.count() == 1 && s.waiting() == 1);
        s.save_token(orders, NEW).await;
        s.clock.advance(1);
        eventually!("the second request went", s.api.seen.count() == 2 && s.waiting() == 1);
        assert_eq!(s.api.seen.authorizations()[1], format!("Bearer {NEW}"), "{}: the saved token at once", t.name);
        s.save_token(orders, THIRD).await;
        s.clock.advance(1);
        let done = s.finished(flow, run).await;

        let sent: Vec<String> = [OLD, NEW, THIRD].iter().map(|token| format!("Bearer {token}")).collect();
        assert_eq!(s.api.seen.authorizations(), sent, "{}", t.name);
        let versions: Vec<_> = done.requests.iter().map(|r| r.instance_version).collect();
        assert_eq!(versions, [Some(1), Some(2), Some(3)], "{}", t.name);
        assert_eq!(done.outcome, RunOutcome::Succeeded, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_egress_policy_refuses_a_flows_request_and_the_run_says_why() {
    for t in common::stores().await {
        let s = setup(&t).await;
        // Another local server, on a port the policy does not open.
        let elsewhere = local_api(s.clock.clone()).await;
        let blocked = s.instance(s.company, "Elsewhere", format!("http://127.0.0.1:{}/api", elsewhere.port), OLD, None, None).await;
        let flow = s.flow("Forbidden", &[blocked], 3).await;
        let run = s.run_now(flow).await;
        let done = s.finished(flow, run).await;

        assert_eq!(elsewhere.connections.load(Ordering::SeqCst), 0, "{}: nothing reached it", t.name);
        assert_eq!(done.outcome, RunOutcome::Failed, "{}", t.name);
        assert_eq!(done.requests.len(), 1, "{}: the step stops at its first failure", t.name);
        let request = &done.requests[0];
        assert_eq!((request.ok, request.http_status, request.instance_version), (false, None, Some(1)));
        assert!(request.message.contains("conduit does not connect to 127.0.0.1"), "{}", request.message);
        let message = done.message.unwrap();
        assert!(message.starts_with("The request failed. Elsewhere: conduit does not connect"), "{message}");
        assert!(!message.contains(OLD));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_scheduler_starts_enabled_flows_when_due_and_a_refused_request_fails_the_run() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let good = s.api_instance("Orders API", OLD, None).await;
        let refused = s.api_instance("Refusing API", "refused", None).await;
        let hourly = s.flow("Hourly", &[good], 1).await;
        assert!(s.store.set_flow_schedule(s.company, hourly, Some(60), 1).await.unwrap());
        let on_default = s.flow("On the default", &[refused], 1).await;
        let disabled = s.store.create_process_flow(s.company, "Disabled", false, &[good]).await.unwrap();

        // The scheduler off: nothing starts on its own.
        assert_eq!(tick(&s.state, 0).await.unwrap(), 0, "{}", t.name);
        // Never run: due at once, the disabled one not.
        assert_eq!(tick(&s.state, 30).await.unwrap(), 2, "{}", t.name);
        eventually!("both runs ended", s.state.flows.running().is_empty());
        assert_eq!(tick(&s.state, 30).await.unwrap(), 0, "{}: not due again yet", t.name);
        assert!(s.store.flow_runs(s.company, disabled, 20).await.unwrap().is_empty());

        let failed = &s.store.flow_runs(s.company, on_default, 20).await.unwrap()[0];
        assert_eq!((failed.outcome, failed.started_by), (RunOutcome::Failed, RunStart::Schedule), "{}", t.name);
        assert_eq!(failed.requests[0].http_status, Some(401));
        assert!(failed.message.as_deref().unwrap().contains("Refusing API"), "{:?}", failed.message);

        // 30 minutes on, the flow on the default is due; the hourly one is not.
        s.clock.advance(30 * 60);
        assert_eq!(tick(&s.state, 30).await.unwrap(), 1, "{}", t.name);
        eventually!("the run ended", s.state.flows.running().is_empty());
        assert_eq!(s.store.flow_runs(s.company, on_default, 20).await.unwrap().len(), 2);
        assert_eq!(s.store.flow_runs(s.company, hourly, 20).await.unwrap().len(), 1);
        s.clock.advance(30 * 60);
        assert_eq!(tick(&s.state, 30).await.unwrap(), 2, "{}", t.name);
        eventually!("the runs ended", s.state.flows.running().is_empty());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn run_now_over_http_reaches_only_the_companys_own_flows_and_never_shows_a_secret() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let orders = s.api_instance("Orders API", OLD, None).await;
        let flow = s.flow("Orders sync", &[orders], 1).await;
        // One request a day, two a run: its second request waits a day.
        let daily = s.api_instance("Daily API", OLD, Some(RateLimit { amount: 1, unit: RateLimitUnit::Day })).await;
        let slow = s.flow("Daily sync", &[daily], 2).await;
        let other = common::seed_other_company(&s.store).await;
        let foreign = s.store.create_process_flow(other.company_id, "Globex flow", true, &[other.instance_id]).await.unwrap();

        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = conduit_server::app(s.state.clone());
        let server = tokio::spawn(conduit_server::serve_app(listener, app, std::future::pending()));
        let browser = common::http::browser();
        let anonymous = common::http::reply(browser.post(format!("{base}/api/process-flows/{flow}/run")).send().await.unwrap()).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", t.name);
        let signed_in = browser
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({"email": "peter@initech.example", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);

        let started = common::http::reply(browser.post(format!("{base}/api/process-flows/{flow}/run")).send().await.unwrap()).await;
        assert_eq!(started.status, StatusCode::ACCEPTED, "{}: {}", t.name, started.body);
        let StartedRun { run_id } = started.json();
        let mut page = None;
        for _ in 0..2_000 {
            let reply = common::http::reply(browser.get(format!("{base}/api/process-flows/{flow}")).send().await.unwrap()).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            assert!(!reply.body.contains(OLD), "no secret in the answer");
            let shown: ProcessFlow = reply.json();
            if shown.runs.first().is_some_and(|r| r.outcome != RunOutcome::Running) {
                page = Some(shown);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let page = page.unwrap();
        assert_eq!((page.name.as_str(), page.requests_per_run, page.instances.len()), ("Orders sync", 1, 1));
        let run = &page.runs[0];
        assert_eq!((run.id, run.outcome, run.started_by), (run_id, RunOutcome::Succeeded, RunStart::RunNow), "{}", t.name);
        assert_eq!(run.requests[0].instance_version, Some(1));
        assert_eq!(run.requests[0].instance_name, "Orders API");
        let runs: Vec<FlowRun> =
            common::http::reply(browser.get(format!("{base}/api/process-flows/{flow}/runs")).send().await.unwrap()).await.json();
        assert_eq!(runs, page.runs);

        // A flow that is running cannot be started twice.
        let first = common::http::reply(browser.post(format!("{base}/api/process-flows/{slow}/run")).send().await.unwrap()).await;
        assert_eq!(first.status, StatusCode::ACCEPTED);
        eventually!("the second request waits a day", s.waiting() == 1);
        let again = common::http::reply(browser.post(format!("{base}/api/process-flows/{slow}/run")).send().await.unwrap()).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert!(again.message().contains("running now"), "{}", again.body);

        // Another company's flow answers like an unknown one.
        for id in [foreign, 987_654] {
            for (method, path) in [("GET", ""), ("GET", "/runs"), ("POST", "/run")] {
                let url = format!("{base}/api/process-flows/{id}{path}");
                let request = if method == "GET" { browser.get(url) } else { browser.post(url) };
                let reply = common::http::reply(request.send().await.unwrap()).await;
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{} {method} {id}{path}", t.name);
                assert_eq!(reply.message(), "There is no process flow with that id.");
            }
        }
        assert!(s.store.flow_runs(other.company_id, foreign, 20).await.unwrap().is_empty());
        server.abort();
        t.cleanup().await;
    }
}

#[tokio::test]
async fn only_a_flows_newest_runs_are_kept() {
    for t in common::stores().await {
        let s = setup(&t).await;
        let orders = s.api_instance("Orders API", OLD, None).await;
        let flow = s.flow("Orders sync", &[orders], 1).await;
        let other = s.flow("Other sync", &[orders], 1).await;
        let mut runs = vec![];
        for _ in 0..3 {
            let run = s.run_now(flow).await;
            s.finished(flow, run).await;
            runs.push(run);
        }
        let kept = s.run_now(other).await;
        s.finished(other, kept).await;
        s.store.prune_flow_runs(flow, 2).await.unwrap();
        let left: Vec<_> = s.store.flow_runs(s.company, flow, 20).await.unwrap().iter().map(|r| r.id).collect();
        assert_eq!(left, [runs[2], runs[1]], "{}", t.name);
        assert_eq!(s.store.flow_runs(s.company, other, 20).await.unwrap().len(), 1, "{}: another flow keeps its runs", t.name);
        // The forgotten run's requests are gone too.
        let raw = t.raw().await;
        let orphans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM flow_run_requests WHERE run_id = $1")
            .bind(runs[0])
            .fetch_one(&raw)
            .await
            .unwrap();
        assert_eq!(orphans, 0, "{}", t.name);
        raw.close().await;
        t.cleanup().await;
    }
}
