//! Adding and duplicating instances through the API, on every configured
//! database: an instance is created only with a receipt of a passing test
//! of exactly its new draft (or, for authorisation-code methods, a
//! completed authorisation of it), once; names are unique within the
//! company's connector whatever their case; a duplicate copies no secret,
//! client certificate, key or token; an embed session may do none of it.

mod common;
#[path = "common/world.rs"]
mod world;

use std::path::PathBuf;

use axum::http::{Method, StatusCode};
use conduit_server::certificates::check_upload;
use conduit_server::events::stream::LiveStream;
use conduit_server::demo::{self, sandbox};
use conduit_server::store::NewCertificates;
use conduit_server::{AppState, Config};
use conduit_types::create::{CreateInstanceRequest, NewInstanceDraft, NAME_TAKEN};
use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseStart, CertificateDraft, CertificateUpload,
    DraftField, HistoryEvent, IdentityUpload, InstanceDraft, InstanceHistory, TestDraftResponse, FIELD_NAME,
};
use conduit_types::{ErrorCode, Id, InstanceEventKind, InstanceSettings, InstanceStatus, LiveMessage, TestOutcome};
use sqlx::Row;

use world::*;

const ALREADY_USED: &str = "This passing test already added an instance. Test the connection again to add another.";
const EMBED_REFUSED: &str = "An embedded page cannot add or duplicate instances. Add them in conduit itself.";

impl World {
    async fn http_api(&self) -> Id {
        self.settings(&self.ada, self.bearer).await.connector.id
    }

    async fn blank(&self, cookie: &str, connector: Id) -> Reply {
        call(&self.app, Method::GET, &format!("/api/connectors/{connector}/instances/new"), cookie, None).await
    }

    async fn test_new(&self, cookie: &str, connector: Id, draft: &InstanceDraft) -> Reply {
        let body = serde_json::json!({"base_version": 0, "draft": draft}).to_string();
        call(&self.app, Method::POST, &format!("/api/connectors/{connector}/instances/test"), cookie, Some(body)).await
    }

    /// Tests a new draft; the test must pass. Answers the receipt's token.
    async fn new_receipt(&self, connector: Id, draft: &InstanceDraft) -> String {
        let reply = self.test_new(&self.ada, connector, draft).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        assert_eq!(tested.status, None, "there is no instance whose status it tells");
        tested.receipt.expect("a passing test has a receipt").token
    }

    async fn create(&self, cookie: &str, connector: Id, draft: &InstanceDraft, receipt: Option<&str>) -> Reply {
        let request = CreateInstanceRequest { draft: draft.clone(), receipt: receipt.map(str::to_owned), authorisation: None };
        let body = serde_json::to_string(&request).unwrap();
        call(&self.app, Method::POST, &format!("/api/connectors/{connector}/instances"), cookie, Some(body)).await
    }

    async fn duplicate(&self, cookie: &str, id: Id) -> Reply {
        call(&self.app, Method::GET, &format!("/api/instances/{id}/duplicate"), cookie, None).await
    }

    /// How many instances the company's HTTP API connector has.
    async fn instance_count(&self) -> usize {
        let connector = self.http_api().await;
        self.store.instance_names(self.company, connector, None).await.unwrap().len()
    }
}

/// A new draft of the HTTP API connector named `name`, with a bearer
/// token, pointing at the world's third party.
fn stock_draft(w: &World, blank: &NewInstanceDraft, name: &str, token: &str) -> InstanceDraft {
    let mut draft = blank.draft.clone();
    draft.details.name = name.into();
    draft.details.variables.insert("base_url".into(), format!("http://127.0.0.1:{}/api", w.api.port));
    draft.details.variables.insert("test_path".into(), "/me".into());
    draft.authentication.method = "bearer".into();
    draft.authentication.fields.clear();
    replace(&mut draft, "token", token);
    draft
}

fn test_required(reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
    let error = reply.error();
    assert_eq!(error.code, ErrorCode::TestRequired, "{}", reply.text());
    error.message
}

#[tokio::test]
async fn an_instance_is_created_only_with_a_receipt_for_exactly_its_new_draft() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let connector = w.http_api().await;
        let reply = w.blank(&w.ada, connector).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        let blank: NewInstanceDraft = reply.json();
        assert_eq!((blank.settings.id, blank.settings.version), (0, 0));
        assert_eq!(blank.settings.connector.id, connector);
        let before = w.instance_count().await;

        // Without a test, and after a failing one: nothing is created.
        let draft = stock_draft(&w, &blank, "Stock API", WRONG_TOKEN);
        assert_eq!(test_required(&w.create(&w.ada, connector, &draft, None).await), RECEIPT_MISSING);
        let failed: TestDraftResponse = w.test_new(&w.ada, connector, &draft).await.json();
        assert_eq!(failed.result.outcome, TestOutcome::AuthRejected, "{}", failed.result.message);
        assert!(failed.receipt.is_none());
        assert_eq!(test_required(&w.create(&w.ada, connector, &draft, Some("forged.receipt")).await), RECEIPT_INVALID);

        // A receipt for another draft, or for an existing instance's draft
        // with the very same connection, creates nothing.
        let draft = stock_draft(&w, &blank, "Stock API", NEW_TOKEN);
        let receipt = w.new_receipt(connector, &draft).await;
        let other = stock_draft(&w, &blank, "Stock API", "another-token");
        assert_eq!(test_required(&w.create(&w.ada, connector, &other, Some(&receipt)).await), RECEIPT_OTHER_DRAFT);
        let (saved, mut existing, instance_receipt) = w.tested_new_token().await;
        assert_eq!(existing.connection(), draft.connection(), "the same connection");
        existing.details.name = "Stock API".into();
        assert_eq!(test_required(&w.create(&w.ada, connector, &existing, Some(&instance_receipt)).await), RECEIPT_OTHER_DRAFT);
        // Nor does a new draft's receipt save the existing instance.
        assert_eq!(
            test_required(&w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await),
            RECEIPT_OTHER_DRAFT
        );
        // Another company's user cannot use it (nor see the connector's drafts).
        let reply = w.create(&w.hank, connector, &draft, Some(&receipt)).await;
        assert!(matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY), "{}", reply.text());
        assert_eq!(w.instance_count().await, before, "{}", t.name);

        // The tested draft, renamed after its test, is created.
        let mut renamed = draft.clone();
        renamed.details.name = "Stock API (EU)".into();
        let subscription = w.store.events().subscribe(w.company, None, None).unwrap();
        let mut live = LiveStream::new(subscription, w.company, None);
        assert_eq!(live.next().await.map(|(_, m)| m), Some(LiveMessage::Ready));
        let reply = w.create(&w.ada, connector, &renamed, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}: {}", t.name, reply.text());
        assert_no_secret("the answer", &reply.text());
        let created: InstanceSettings = reply.json();
        assert!(created.id > w.client_credentials);
        assert_eq!((created.details.name.as_str(), created.version), ("Stock API (EU)", 1));
        assert_eq!(created.status, InstanceStatus::Operational);
        assert!(created.last_tested_at.is_some());
        assert_eq!(w.instance_count().await, before + 1);
        assert_eq!(w.settings(&w.ada, created.id).await, created);
        // Open pages of the company hear of it (the list loads afresh).
        let Some((_, LiveMessage::Instance(event))) = live.next().await else { panic!("no event") };
        assert_eq!((event.instance, event.kind, event.version), (created.id, InstanceEventKind::Created, Some(1)), "{}", t.name);
        assert_eq!((event.name.as_str(), event.actor.as_str()), ("Stock API (EU)", demo::USER_NAME));

        // The token is stored sealed, and is what the instance connects with.
        let raw = t.raw().await;
        let row = sqlx::query("SELECT secrets, created_from FROM instances WHERE id = $1").bind(created.id).fetch_one(&raw).await.unwrap();
        let sealed: String = row.try_get("secrets").unwrap();
        assert!(!sealed.contains(NEW_TOKEN), "{sealed}");
        assert!(row.try_get::<String, _>("created_from").unwrap().starts_with("receipt:"));
        raw.close().await;
        let connection = w.store.connection(w.company, created.id).await.unwrap().unwrap();
        assert_eq!(connection.secrets.get("token"), Some(NEW_TOKEN));

        // The history says who created it.
        let history: InstanceHistory = w.history(&w.ada, created.id).await.json();
        assert_eq!(history.entries.len(), 1, "{history:?}");
        assert_eq!(history.entries[0].user, demo::USER_NAME);
        assert_eq!(history.entries[0].event, HistoryEvent::Created { version: 1 });

        // One test, one instance.
        renamed.details.name = "Stock API (US)".into();
        assert_eq!(test_required(&w.create(&w.ada, connector, &renamed, Some(&receipt)).await), ALREADY_USED);
        assert_eq!(w.instance_count().await, before + 1, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_name_the_connector_has_is_refused_at_the_name_field_whatever_its_case() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let connector = w.http_api().await;
        let blank: NewInstanceDraft = w.blank(&w.ada, connector).await.json();
        let before = w.instance_count().await;

        let draft = stock_draft(&w, &blank, " orders API ", NEW_TOKEN);
        let receipt = w.new_receipt(connector, &draft).await;
        let reply = w.create(&w.ada, connector, &draft, Some(&receipt)).await;
        assert_eq!(field_errors(&reply), vec![(FIELD_NAME.to_owned(), NAME_TAKEN.to_owned())], "{}", t.name);
        assert_eq!(w.instance_count().await, before);

        // The same receipt still creates the draft under a free name.
        let mut free = draft.clone();
        free.details.name = "Orders API 2".into();
        assert_eq!(w.create(&w.ada, connector, &free, Some(&receipt)).await.status, StatusCode::CREATED);

        // A rename to another instance's name is refused the same way; a
        // change of case of its own name is not.
        let saved = w.settings(&w.ada, w.client_credentials).await;
        let mut rename = InstanceDraft::from_settings(&saved);
        rename.details.name = "ORDERS API".into();
        let reply = w.save(&w.ada, w.client_credentials, saved.version, &rename, None).await;
        assert_eq!(field_errors(&reply), vec![(FIELD_NAME.to_owned(), NAME_TAKEN.to_owned())]);
        rename.details.name = "rates api".into();
        let reply = w.save(&w.ada, w.client_credentials, saved.version, &rename, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        t.cleanup().await;
    }
}

/// A client certificate with its key and a CA, read as an upload would be.
fn certificates() -> (NewCertificates, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, "Copy CA");
    let ca = params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, "Orders client");
    let leaf = params.signed_by(&key, &ca, &ca_key).unwrap();
    let key_pem = key.serialize_pem();
    let upload = CertificateUpload {
        identity: Some(IdentityUpload::Pem { certificate_pem: leaf.pem(), private_key_pem: key_pem.clone(), passphrase: String::new() }),
        ca_certificate_pem: Some(ca.pem()),
    };
    let checked = check_upload(&upload, conduit_server::clock::Clock::system().now()).unwrap();
    let key_line = key_pem.lines().nth(1).unwrap().to_owned();
    (NewCertificates::from(checked), ca.pem(), key_line)
}

#[tokio::test]
async fn a_duplicate_copies_no_secret_key_or_token_and_needs_them_entered_and_tested() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let connector = w.http_api().await;
        let (certificates, ca_pem, key_line) = certificates();
        assert!(w.store.set_certificates(w.company, w.bearer, Some(&certificates)).await.unwrap());
        let raw = t.raw().await;
        sqlx::query("UPDATE instances SET oauth_tokens = 'sealed-tokens' WHERE id = $1").bind(w.bearer).execute(&raw).await.unwrap();
        let before = w.instance_count().await;

        let reply = w.duplicate(&w.ada, w.bearer).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        assert_no_secret("the duplicate", &reply.text());
        assert!(!reply.text().contains(&key_line), "no private key: {}", reply.text());
        let copy: NewInstanceDraft = reply.json();
        assert_eq!(copy.copy_of.as_deref(), Some("Orders API"));
        assert_eq!((copy.settings.id, copy.settings.connector.id), (0, connector));
        let mut draft = copy.draft.clone();
        assert_eq!(draft.details.name, "Orders API (copy)");
        assert_eq!(draft.authentication.method, "bearer");
        assert_eq!(draft.authentication.fields.get("token"), Some(&DraftField::Keep), "nothing to keep: it must be entered");
        assert_eq!(draft.details.variables.get("base_url"), Some(&format!("http://127.0.0.1:{}/api", w.api.port)));
        // The trusted CA (public) comes along; the client certificate and its key do not.
        let CertificateDraft::Upload(upload) = &draft.certificate else { panic!("{:?}", draft.certificate) };
        assert!(upload.identity.is_none());
        assert_eq!(upload.ca_certificate_pem.as_deref(), Some(ca_pem.as_str()));
        assert_eq!(w.instance_count().await, before, "duplicating creates nothing");

        // As copied, the token is missing: no test, no instance.
        let missing = vec![("authentication.token".to_owned(), "Enter the token.".to_owned())];
        assert_eq!(field_errors(&w.test_new(&w.ada, connector, &draft).await), missing);
        assert_eq!(field_errors(&w.create(&w.ada, connector, &draft, None).await), missing);

        replace(&mut draft, "token", NEW_TOKEN);
        let receipt = w.new_receipt(connector, &draft).await;
        let reply = w.create(&w.ada, connector, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}: {}", t.name, reply.text());
        let created: InstanceSettings = reply.json();

        // The copy's row holds its own token, the CA, and no key, chain or tokens.
        let row = sqlx::query(
            "SELECT certificate_key, certificate_chain, certificate_ca, oauth_tokens, authorised_at FROM instances WHERE id = $1",
        )
        .bind(created.id)
        .fetch_one(&raw)
        .await
        .unwrap();
        for column in ["certificate_key", "certificate_chain", "oauth_tokens"] {
            assert_eq!(row.try_get::<Option<String>, _>(column).unwrap(), None, "{}: {column}", t.name);
        }
        assert_eq!(row.try_get::<Option<i64>, _>("authorised_at").unwrap(), None);
        assert_eq!(row.try_get::<Option<String>, _>("certificate_ca").unwrap().as_deref(), Some(ca_pem.as_str()));
        raw.close().await;
        let connection = w.store.connection(w.company, created.id).await.unwrap().unwrap();
        assert_eq!(connection.secrets.get("token"), Some(NEW_TOKEN));
        assert!(connection.tls.client.is_none());
        let original = w.store.connection(w.company, w.bearer).await.unwrap().unwrap();
        assert_eq!(original.secrets.get("token"), Some(OLD_TOKEN), "the original keeps its own");

        // The next copy takes the next free name; a copy of the copy too.
        let next: NewInstanceDraft = w.duplicate(&w.ada, w.bearer).await.json();
        assert_eq!(next.draft.details.name, "Orders API (copy 2)");
        let of_copy: NewInstanceDraft = w.duplicate(&w.ada, created.id).await.json();
        assert_eq!(of_copy.draft.details.name, "Orders API (copy 2)");
        // Another company's instance is not found.
        assert_eq!(w.duplicate(&w.hank, w.bearer).await.status, StatusCode::NOT_FOUND);
        t.cleanup().await;
    }
}

/// A request with `Authorization: Bearer <token>` and no cookie, as an
/// embedded page sends it.
async fn with_bearer(w: &World, method: Method, uri: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Reply {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request.header("content-type", "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = w.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    Reply { status, body: response.into_body().collect().await.unwrap().to_bytes().to_vec() }
}

/// An embed session's token for the bearer-token instance, with every permission.
async fn embed_token(w: &World) -> String {
    let key: conduit_types::developer::CreatedApiKey =
        call(&w.app, Method::POST, "/api/developer/keys", &w.ada, Some(serde_json::json!({"name": "Portal"}).to_string())).await.json();
    let origins = serde_json::json!({"origins": ["https://portal.example"]}).to_string();
    assert_eq!(call(&w.app, Method::PUT, "/api/developer/origins", &w.ada, Some(origins)).await.status, StatusCode::OK);
    let permissions = ["view", "edit_details", "edit_credentials", "certificates", "test", "authorise"];
    let body = serde_json::json!({"instance": w.bearer, "origin": "https://portal.example", "user_name": "Jane Doe", "permissions": permissions});
    let session: conduit_types::EmbedSessionSecret = with_bearer(w, Method::POST, "/api/embed/sessions", Some(&key.secret), Some(body)).await.json();
    let body = serde_json::json!({"secret": session.secret, "origin": "https://portal.example"});
    with_bearer(w, Method::POST, "/api/embed/exchange", None, Some(body)).await.json::<conduit_types::EmbedToken>().token
}

#[tokio::test]
async fn an_embed_session_may_not_add_or_duplicate_instances() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let connector = w.http_api().await;
        let token = embed_token(&w).await;
        let blank: NewInstanceDraft = w.blank(&w.ada, connector).await.json();
        let draft = stock_draft(&w, &blank, "Stock API", NEW_TOKEN);
        let receipt = w.new_receipt(connector, &draft).await;
        let before = w.instance_count().await;

        let create = serde_json::json!({"draft": draft, "receipt": receipt});
        let test = serde_json::json!({"base_version": 0, "draft": draft});
        let authorise = serde_json::json!({"base_version": 0, "draft": draft, "mode": "popup"});
        for (method, uri, body) in [
            (Method::GET, format!("/api/connectors/{connector}/instances/new"), None),
            (Method::POST, format!("/api/connectors/{connector}/instances/test"), Some(test)),
            (Method::POST, format!("/api/connectors/{connector}/instances/authorise"), Some(authorise)),
            (Method::POST, format!("/api/connectors/{connector}/instances"), Some(create)),
            (Method::GET, format!("/api/instances/{}/duplicate", w.bearer), None),
        ] {
            let reply = with_bearer(&w, method, &uri, Some(&token), body).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}: {uri}: {}", t.name, reply.text());
            assert_eq!(reply.error().message, EMBED_REFUSED);
        }
        assert_eq!(w.instance_count().await, before, "nothing was created");
        // The session can still do what it is for.
        let reply = with_bearer(&w, Method::GET, &format!("/api/instances/{}", w.bearer), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK);
        // Without any session: 401.
        assert_eq!(w.blank("", connector).await.status, StatusCode::UNAUTHORIZED);
        t.cleanup().await;
    }
}

// -- OAuth 2 authorisation code: created once authorised ------------------------------

mod oauth {
    use super::*;
    use common::http::{browser, hidden_inputs, reply, Reply};
    use reqwest::Client;

    const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";
    const AUTHORISE_FIRST: &str = "Authorise with the provider, then save.";
    const NEEDS_AUTHORISING: &str =
        "This authentication method is checked by authorising with the provider, not by a connection test.";
    const NOT_VALID: &str = "This authorisation is not valid: it has expired, was used or was cancelled. Authorise \
         with the provider again, then save.";
    const OTHER_SETTINGS: &str =
        "These settings are not the ones that were authorised. Authorise with the provider again, then save.";

    /// The demo app, serving its sandbox provider, on a free loopback port.
    struct Live {
        base: String,
        company: Id,
        instance: Id,
        ada: Client,
        stop: Option<tokio::sync::oneshot::Sender<()>>,
    }

    impl Drop for Live {
        fn drop(&mut self) {
            if let Some(stop) = self.stop.take() {
                let _ = stop.send(());
            }
        }
    }

    async fn live(t: &common::TestStore) -> Live {
        let mut config = Config::for_tests(PathBuf::from("unused"));
        config.demo = true;
        config.static_dir = PathBuf::from("missing");
        config.egress_allow = conduit_server::config::Allowlist(vec!["127.0.0.1/32".parse().unwrap()]);
        let (listener, addr) = conduit_server::bind(&config).await.unwrap();
        config.port = addr.port();
        let base = format!("http://{addr}");
        assert!(demo::seed_if_empty(&t.store, &format!("{base}/sandbox")).await.unwrap());
        let credentials = t.store.credentials(demo::EMAIL).await.unwrap().unwrap();
        let (_, hash) = conduit_server::auth::new_session_token();
        t.store.create_session(&hash, credentials.user_id, conduit_server::clock::Clock::system().now() + 60).await.unwrap();
        let company = t.store.session_user(&hash).await.unwrap().unwrap().company_id;
        let list = t.store.connector_list(company).await.unwrap();
        let instance = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == INSTANCE).unwrap().id;
        let state = AppState::new(t.store.clone(), config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(conduit_server::serve_app(listener, demo::app(state), async {
            let _ = stopped.await;
        }));
        let ada = browser();
        let response = ada
            .post(format!("{base}/api/session"))
            .json(&serde_json::json!({"email": demo::EMAIL, "password": demo::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        Live { base, company, instance, ada, stop: Some(stop) }
    }

    impl Live {
        async fn get(&self, path: &str) -> Reply {
            reply(self.ada.get(format!("{}{path}", self.base)).send().await.unwrap()).await
        }

        async fn post(&self, path: &str, body: serde_json::Value) -> Reply {
            reply(self.ada.post(format!("{}{path}", self.base)).json(&body).send().await.unwrap()).await
        }

        /// Opens the consent page, allows, and follows the way back.
        async fn allow(&self, start: &AuthoriseStart) {
            let page = reply(self.ada.get(&start.url).send().await.unwrap()).await;
            assert_eq!(page.status, reqwest::StatusCode::OK, "{}", page.body);
            let mut form = hidden_inputs(&page.body);
            form.push(("decision".into(), "allow".into()));
            let answer = reply(self.ada.post(format!("{}/sandbox/oauth/authorize", self.base)).form(&form).send().await.unwrap()).await;
            let back = answer.location.expect("the provider sends the browser back");
            let page = reply(self.ada.get(&back).send().await.unwrap()).await;
            assert_eq!(page.status, reqwest::StatusCode::OK, "{}", page.body);
        }
    }

    #[tokio::test]
    async fn an_authorisation_code_instance_is_created_once_authorised() {
        for t in common::stores().await {
            let live = live(&t).await;
            let copy: NewInstanceDraft = live.get(&format!("/api/instances/{}/duplicate", live.instance)).await.json();
            let connector = copy.settings.connector.id;
            let mut draft = copy.draft.clone();
            assert_eq!(draft.details.name, format!("{INSTANCE} (copy)"));
            assert_eq!(draft.authentication.fields.get("client_secret"), Some(&DraftField::Keep));
            draft.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: sandbox::CLIENT_SECRET.into() });
            let new_path = format!("/api/connectors/{connector}/instances");

            // No connection test, no creation without authorising, no full-page visit.
            let reply = live.post(&format!("{new_path}/test"), serde_json::json!({"base_version": 0, "draft": draft})).await;
            assert_eq!(reply.error(ErrorCode::Validation), NEEDS_AUTHORISING, "{}", t.name);
            let reply = live.post(&new_path, serde_json::json!({"draft": draft})).await;
            assert_eq!(reply.error(ErrorCode::TestRequired), AUTHORISE_FIRST);
            let redirect = serde_json::json!({"base_version": 0, "draft": draft, "mode": AuthoriseMode::Redirect});
            assert_eq!(live.post(&format!("{new_path}/authorise"), redirect).await.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);

            // The existing instance's authorisation does not create one.
            let saved: InstanceSettings = live.get(&format!("/api/instances/{}", live.instance)).await.json();
            let body = serde_json::json!({"base_version": saved.version, "draft": InstanceDraft::from_settings(&saved), "mode": "popup"});
            let theirs: AuthoriseStart = live.post(&format!("/api/instances/{}/authorise", live.instance), body).await.json();
            live.allow(&theirs).await;
            let mut as_theirs = InstanceDraft::from_settings(&saved);
            as_theirs.details.name = "Not created".into();
            let reply = live.post(&new_path, serde_json::json!({"draft": as_theirs, "authorisation": theirs.authorisation})).await;
            assert_eq!(reply.error(ErrorCode::TestRequired), NOT_VALID, "{}", t.name);

            let body = serde_json::json!({"base_version": 0, "draft": draft, "mode": "popup"});
            let reply = live.post(&format!("{new_path}/authorise"), body).await;
            assert_eq!(reply.status, reqwest::StatusCode::OK, "{}", reply.body);
            let start: AuthoriseStart = reply.json();
            assert!(!start.url.contains(sandbox::CLIENT_SECRET));
            live.allow(&start).await;
            let status: AuthorisationStatus = live.get(&format!("/api/authorisations/{}", start.authorisation)).await.json();
            assert!(matches!(status.state, AuthorisationState::Authorised { .. }), "{:?}", status.state);
            assert_eq!(status.instance_id, 0);

            // Another draft than the one authorised is refused.
            let mut other = draft.clone();
            other.authentication.fields.insert("client_id".into(), DraftField::Plain { value: "someone-else".into() });
            let reply = live.post(&new_path, serde_json::json!({"draft": other, "authorisation": start.authorisation})).await;
            assert_eq!(reply.error(ErrorCode::TestRequired), OTHER_SETTINGS);

            // The page sends the secret as the status left it: the server's copy counts.
            let mut sent = draft.clone();
            sent.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: String::new() });
            let reply = live.post(&new_path, serde_json::json!({"draft": sent, "authorisation": start.authorisation})).await;
            assert_eq!(reply.status, reqwest::StatusCode::CREATED, "{}: {}", t.name, reply.body);
            assert!(!reply.body.contains(sandbox::CLIENT_SECRET));
            let created: InstanceSettings = reply.json();
            assert_eq!(created.status, InstanceStatus::Operational);
            assert!(created.authentication.authorised_at.is_some());
            let (tokens, _) = t.store.oauth_tokens(live.company, created.id).await.unwrap().expect("tokens are stored");
            assert!(tokens.refresh_token.is_some());
            let connection = t.store.connection(live.company, created.id).await.unwrap().unwrap();
            assert_eq!(connection.secrets.get("client_secret"), Some(sandbox::CLIENT_SECRET));

            // The authorisation was used up.
            let mut again = draft.clone();
            again.details.name = "Twice".into();
            let reply = live.post(&new_path, serde_json::json!({"draft": again, "authorisation": start.authorisation})).await;
            assert_eq!(reply.error(ErrorCode::TestRequired), NOT_VALID);
            // Its saved tokens pass a test of the saved connection.
            let body = serde_json::json!({"base_version": 1, "draft": InstanceDraft::from_settings(&created)});
            let tested: TestDraftResponse = live.post(&format!("/api/instances/{}/test", created.id), body).await.json();
            assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
            drop(live);
            t.cleanup().await;
        }
    }
}
