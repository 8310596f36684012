//! The demo sandbox: served by the real app in demo mode only, it speaks each
//! authentication type, and the demo instances that point at it pass a
//! connection test with its credentials and fail with others.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use conduit_server::egress::{AllowRule, EgressPolicy};
use conduit_server::engine::{Engine, EngineConfig, FieldValues, OAuthTokens, TestInput, TlsMaterial};
use conduit_server::demo::{self, sandbox};
use conduit_server::AppState;
use conduit_types::{
    AuthKind, AuthMethodDef, AuthSettings, ConnectorDefinition, FieldDef, Id, InstanceSettings, Placement,
    SignatureMethod, TestOutcome, TestRequestDef,
};

struct Demo {
    store: conduit_server::store::Store,
    company: Id,
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _t: common::TestStore,
}

impl Drop for Demo {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The real app in demo mode on a free loopback port, seeded to point at its own sandbox.
async fn demo_app(demo_mode: bool) -> Demo {
    let t = common::sqlite().await;
    let mut config = conduit_server::Config::for_tests(PathBuf::from("unused"));
    config.demo = demo_mode;
    config.static_dir = PathBuf::from("missing");
    let (listener, addr) = conduit_server::bind(&config).await.unwrap();
    let base = format!("http://{}/sandbox", demo::sandbox_address(addr));
    demo::seed_if_empty(&t.store, &base).await.unwrap();
    let state = AppState::new(t.store.clone(), config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(conduit_server::serve_app(listener, demo::app(state), async {
        let _ = stopped.await;
    }));
    let store = t.store.clone();
    let credentials = store.credentials(demo::EMAIL).await.unwrap().unwrap();
    let (_, hash) = conduit_server::auth::new_session_token();
    store.create_session(&hash, credentials.user_id, store.clock().now() + 60).await.unwrap();
    let company = store.session_user(&hash).await.unwrap().unwrap().company_id;
    Demo { store, company, base, stop: Some(stop), _t: t }
}

fn engine() -> Engine {
    let policy = EgressPolicy::new(vec![AllowRule::net([127, 0, 0, 1].into(), 32)]);
    Engine::with_roots(policy, EngineConfig::default(), Arc::new(rustls::RootCertStore::empty()))
}

async fn instance(demo: &Demo, name: &str) -> InstanceSettings {
    let list = demo.store.connector_list(demo.company).await.unwrap();
    let id = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == name).unwrap().id;
    demo.store.instance_settings(demo.company, id).await.unwrap().unwrap()
}

async fn outcome(engine: &Engine, input: &TestInput) -> TestOutcome {
    let result = engine.test(1, input).await.unwrap().result;
    assert!(!serde_json::to_string(&result).unwrap().contains("sandbox-"), "no credential in {result:?}");
    result.outcome
}

#[tokio::test]
async fn the_demo_instances_pass_against_the_sandbox_with_its_credentials_and_fail_without() {
    let demo = demo_app(true).await;
    let engine = engine();
    let cases = [
        ("Warehouse API", "password", sandbox::BASIC_PASSWORD),
        ("Sandbox - bearer token", "token", sandbox::BEARER_TOKEN),
        ("Sandbox - API key in the query", "api_key", sandbox::API_KEY),
        ("Carrier rates API", "client_secret", sandbox::CLIENT_SECRET),
    ];
    for (name, secret_field, secret) in cases {
        let settings = instance(&demo, name).await;
        assert!(
            settings.details.variables["base_url"].starts_with(&demo.base),
            "{name} points at the sandbox"
        );
        let right = TestInput::from_settings(&settings, &BTreeMap::from([(secret_field.into(), secret.into())]));
        assert_eq!(outcome(&engine, &right).await, TestOutcome::Ok, "{name}");
        let wrong = TestInput::from_settings(&settings, &BTreeMap::from([(secret_field.into(), "not-it".into())]));
        assert_eq!(outcome(&engine, &wrong).await, TestOutcome::AuthRejected, "{name}");
    }
}

#[tokio::test]
async fn the_demo_instances_pass_with_the_secrets_the_demo_stored() {
    let demo = demo_app(true).await;
    let engine = engine();
    let list = demo.store.connector_list(demo.company).await.unwrap();
    let mut passed = 0;
    for summary in list.connectors.iter().flat_map(|c| &c.instances) {
        let connection = demo.store.connection(demo.company, summary.id).await.unwrap().unwrap();
        let secrets: Vec<_> = connection
            .settings
            .authentication
            .fields
            .iter()
            .filter(|(_, v)| matches!(v, conduit_types::AuthFieldValue::Secret { .. }))
            .collect();
        assert!(!secrets.is_empty(), "{} has secret fields", summary.name);
        for (key, value) in secrets {
            assert_eq!(
                value,
                &conduit_types::AuthFieldValue::Secret { is_set: true },
                "{}: {key} is stored",
                summary.name
            );
        }
        if summary.auth_kind.needs_user_step() {
            // Not authorised yet: a person authorises it at the sandbox's consent page.
            let input = TestInput::from_settings(&connection.settings, &connection.secrets.0);
            assert_eq!(outcome(&engine, &input).await, TestOutcome::InvalidSettings, "{}", summary.name);
            continue;
        }
        if connection.settings.details.variables.get("base_url").is_some_and(|u| u.starts_with(&demo.base)) {
            let input = TestInput::from_settings(&connection.settings, &connection.secrets.0);
            assert_eq!(outcome(&engine, &input).await, TestOutcome::Ok, "{}", summary.name);
            passed += 1;
        }
    }
    assert_eq!(passed, 4, "every sandbox instance was tested");
    let settings = demo.store.connection(demo.company, list.connectors[0].instances[0].id).await.unwrap().unwrap();
    assert_eq!(settings.settings.connection_pools, ["bulk exports", "default"]);
}

fn sandbox_method(kind: AuthKind, keys: &[&str]) -> AuthMethodDef {
    AuthMethodDef {
        key: "m".into(),
        label: "method".into(),
        kind,
        fields: keys
            .iter()
            .map(|k| FieldDef {
                key: (*k).into(),
                label: (*k).into(),
                help: None,
                secret: k.contains("secret"),
                required: true,
                placement: Placement::Auth,
                destination: false,
                choices: vec![],
                kind: Default::default(),
            })
            .collect(),
        settings: AuthSettings::default(),
    }
}

fn direct_input(base: &str, path: &str, method: AuthMethodDef, values: &[(&str, &str)]) -> TestInput {
    TestInput {
        definition: ConnectorDefinition {
            base_url: base.into(),
            variables: vec![],
            auth_methods: vec![method],
            test_request: TestRequestDef { method: "GET".into(), path: path.into(), expected_statuses: vec![200] },
        },
        variables: BTreeMap::new(),
        auth_method: "m".into(),
        fields: FieldValues(values.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()),
        tls: TlsMaterial::default(),
        oauth_tokens: None,
    }
}

#[tokio::test]
async fn the_sandbox_speaks_oauth1_and_refreshes_authorisation_code_tokens() {
    let demo = demo_app(true).await;
    let engine = engine();
    for signature in [SignatureMethod::HmacSha256, SignatureMethod::HmacSha1] {
        let mut method = sandbox_method(AuthKind::Oauth1, &["consumer_key", "consumer_secret", "token_id", "token_secret"]);
        method.settings.signature_method = signature;
        let values = |secret| {
            [
                ("consumer_key", sandbox::CONSUMER_KEY),
                ("consumer_secret", sandbox::CONSUMER_SECRET),
                ("token_id", sandbox::TOKEN_ID),
                ("token_secret", secret),
            ]
        };
        let right = direct_input(&demo.base, "/oauth1/me?limit=1", method.clone(), &values(sandbox::TOKEN_SECRET));
        assert_eq!(outcome(&engine, &right).await, TestOutcome::Ok, "{signature:?}");
        let wrong = direct_input(&demo.base, "/oauth1/me?limit=1", method, &values("not-it"));
        assert_eq!(outcome(&engine, &wrong).await, TestOutcome::AuthRejected, "{signature:?}");
    }

    let token_url = format!("{}/oauth/token", demo.base);
    let method = sandbox_method(AuthKind::Oauth2AuthorisationCode, &["token_url", "client_id", "client_secret"]);
    let values = [("token_url", token_url.as_str()), ("client_id", sandbox::CLIENT_ID), ("client_secret", sandbox::CLIENT_SECRET)];
    let mut expired = direct_input(&format!("{}/oauth", demo.base), "/me", method, &values);
    expired.oauth_tokens = Some(OAuthTokens {
        access_token: "expired".into(),
        refresh_token: Some(sandbox::REFRESH_TOKEN.into()),
        expires_at: Some(0),
        scope: None,
    });
    let run = engine.test(1, &expired).await.unwrap();
    assert_eq!(run.result.outcome, TestOutcome::Ok, "{}", run.result.message);
    assert!(run.refreshed_tokens.is_some());
}

#[tokio::test]
async fn the_sandbox_is_labelled_and_served_in_demo_mode_only() {
    let demo = demo_app(true).await;
    let client = reqwest::Client::new();
    let reply = client.get(format!("{}/bearer/me", demo.base)).send().await.unwrap();
    assert_eq!(reply.status(), 401);
    assert_eq!(reply.headers()["x-conduit-sandbox"], "demo sandbox, not a real system");

    let plain = demo_app(false).await;
    let reply = client.get(format!("{}/bearer/me", plain.base)).send().await.unwrap();
    assert_eq!(reply.status(), 404, "no sandbox outside demo mode");
    assert!(reply.headers().get("x-conduit-sandbox").is_none());
}

#[tokio::test]
async fn the_demo_mutual_tls_instance_passes_with_its_stored_certificate_and_the_sandbox_demands_one() {
    use conduit_server::certificates::{parse_identity, Upload};
    use conduit_server::demo::sandbox_tls::{self, DemoPki};
    use conduit_types::CertificateState;

    let demo = demo_app(true).await;
    let engine = engine();
    let ip = std::net::IpAddr::from([127, 0, 0, 1]);
    let pki = DemoPki::generate(ip).unwrap();
    let listening = sandbox_tls::start(&pki, ip).await.unwrap();
    let id = demo::mutual_tls_instance(&demo.store, &listening.base_url(), &pki).await.unwrap().unwrap();

    let connection = demo.store.connection(demo.company, id).await.unwrap().unwrap();
    assert_eq!(connection.settings.details.name, demo::MUTUAL_TLS_INSTANCE);
    let CertificateState::Stored(stored) = &connection.settings.certificate else { panic!("no certificate stored") };
    assert_eq!(stored.client.as_ref().unwrap().subject, "CN=Northwind demo client, O=Northwind Trading");
    assert!(stored.ca.is_some());
    let mut input = TestInput::from_settings(&connection.settings, &connection.secrets.0);
    input.tls = connection.tls.clone();
    assert_eq!(outcome(&engine, &input).await, TestOutcome::Ok);
    // Without the client certificate the handshake fails.
    input.tls.client = None;
    assert_eq!(outcome(&engine, &input).await, TestOutcome::Tls);

    // The next start has a new CA and port; the same instance follows them.
    drop(listening);
    let pki = DemoPki::generate(ip).unwrap();
    let listening = sandbox_tls::start(&pki, ip).await.unwrap();
    let again = demo::mutual_tls_instance(&demo.store, &listening.base_url(), &pki).await.unwrap();
    assert_eq!(again, Some(id));
    let connection = demo.store.connection(demo.company, id).await.unwrap().unwrap();
    assert_eq!(connection.settings.details.variables["base_url"], format!("{}/bearer", listening.base_url()));
    let mut input = TestInput::from_settings(&connection.settings, &connection.secrets.0);
    input.tls = connection.tls.clone();
    assert_eq!(outcome(&engine, &input).await, TestOutcome::Ok);

    // The files written for people to try uploading are usable uploads.
    let dir = tempfile::tempdir().unwrap();
    let paths = pki.write_files(dir.path()).unwrap();
    let read = |name: &str| std::fs::read(paths.iter().find(|p| p.ends_with(name)).unwrap()).unwrap();
    let text = |name: &str| String::from_utf8(read(name)).unwrap();
    let now = conduit_server::clock::Clock::system().now();
    let pem = Upload::Pem {
        certificate_pem: text("demo-client-certificate.pem"),
        private_key_pem: text("demo-client-key.pem"),
        passphrase: None,
    };
    let p12 = Upload::Pkcs12 { der: read("demo-client.p12"), passphrase: sandbox_tls::PKCS12_PASSPHRASE.into() };
    for upload in [pem, p12] {
        let parsed = parse_identity(&upload, now).unwrap();
        assert_eq!(parsed.info.subject, "CN=Northwind demo client, O=Northwind Trading");
    }
    assert!(text("demo-ca.pem").starts_with("-----BEGIN CERTIFICATE-----"));
}
