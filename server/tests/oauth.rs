//! Authorising an instance with its provider (OAuth 2 authorisation code
//! with PKCE), end to end over HTTP: the real app in demo mode on a free
//! loopback port, whose sandbox is the provider (consent page, token
//! endpoint with refresh, error answers). A browser is played by a reqwest
//! client with cookies that follows the consent form and the redirect back
//! by hand. On every configured database.

mod common;

use common::http::{browser, hidden_inputs, reply, Reply};

use std::path::PathBuf;

use conduit_server::auth::hash_password;
use conduit_server::config::Allowlist;
use conduit_server::engine::OAuthTokens;
use conduit_server::demo::{self, sandbox};
use conduit_server::{AppState, Config};
use conduit_types::draft::{
    AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseStart, DraftField, HistoryEvent,
    InstanceDraft, InstanceHistory, TestDraftResponse,
};
use conduit_types::{ConnectorList, ErrorCode, Id, InstanceSettings, InstanceStatus, TestOutcome};
use reqwest::{Client, StatusCode};

const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";
const GRACE: (&str, &str) = ("grace@northwind.example", "grace-password");

const NEEDS_AUTHORISING: &str =
    "This authentication method is checked by authorising with the provider, not by a connection test.";
const AUTHORISE_FIRST: &str = "Authorise with the provider, then save.";
const DENIED: &str = "You denied access at the provider. Nothing was saved.";
const OTHER_SETTINGS: &str =
    "These settings are not the ones that were authorised. Authorise with the provider again, then save.";
const NOT_FINISHED: &str = "Authorising with the provider has not finished yet. Finish it, then save.";
const DID_NOT_SUCCEED: &str =
    "Authorising with the provider did not succeed, so there is nothing to save. Authorise again, then save.";

/// The app, serving its sandbox, on a free loopback port; stops when dropped.
struct Live<'a> {
    t: &'a common::TestStore,
    base: String,
    company: Id,
    instance: Id,
    ada: Client,
    grace: Client,
    hank: Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Live<'_> {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn live(t: &common::TestStore) -> Live<'_> {
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.demo = true;
    config.static_dir = PathBuf::from("missing");
    config.egress_allow = Allowlist(vec!["127.0.0.1/32".parse().unwrap()]);
    let (listener, addr) = conduit_server::bind(&config).await.unwrap();
    config.port = addr.port();
    let base = format!("http://{addr}");
    assert!(demo::seed_if_empty(&t.store, &format!("{base}/sandbox")).await.unwrap());
    let other = common::seed_other_company(&t.store).await;
    let credentials = t.store.credentials(demo::EMAIL).await.unwrap().unwrap();
    let (_, hash) = conduit_server::auth::new_session_token();
    t.store.create_session(&hash, credentials.user_id, conduit_server::clock::Clock::system().now() + 60).await.unwrap();
    let company = t.store.session_user(&hash).await.unwrap().unwrap().company_id;
    t.store.create_user(company, GRACE.0, "Grace Hopper", &hash_password(GRACE.1).unwrap()).await.unwrap();
    let list = t.store.connector_list(company).await.unwrap();
    let instance = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == INSTANCE).unwrap().id;

    let state = AppState::new(t.store.clone(), config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(conduit_server::serve_app(listener, demo::app(state), async {
        let _ = stopped.await;
    }));
    let mut live = Live { t, base, company, instance, ada: browser(), grace: browser(), hank: browser(), stop: Some(stop) };
    live.ada = live.signed_in(demo::EMAIL, demo::PASSWORD).await;
    live.grace = live.signed_in(GRACE.0, GRACE.1).await;
    live.hank = live.signed_in(other.email, other.password).await;
    live
}

impl Live<'_> {
    async fn signed_in(&self, email: &str, password: &str) -> Client {
        let client = browser();
        let response = client
            .post(format!("{}/api/session", self.base))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        client
    }

    async fn get(&self, who: &Client, path: &str) -> Reply {
        reply(who.get(format!("{}{path}", self.base)).send().await.unwrap()).await
    }

    async fn send(&self, who: &Client, method: reqwest::Method, path: &str, body: serde_json::Value) -> Reply {
        reply(who.request(method, format!("{}{path}", self.base)).json(&body).send().await.unwrap()).await
    }

    async fn settings(&self) -> InstanceSettings {
        let reply = self.get(&self.ada, &format!("/api/instances/{}", self.instance)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()
    }

    /// The instance as saved, and a draft equal to it.
    async fn saved_and_draft(&self) -> (InstanceSettings, InstanceDraft) {
        let saved = self.settings().await;
        let draft = InstanceDraft::from_settings(&saved);
        (saved, draft)
    }

    async fn authorise(&self, who: &Client, version: i64, draft: &InstanceDraft, mode: AuthoriseMode) -> Reply {
        let body = serde_json::json!({"base_version": version, "draft": draft, "mode": mode});
        self.send(who, reqwest::Method::POST, &format!("/api/instances/{}/authorise", self.instance), body).await
    }

    async fn start(&self, version: i64, draft: &InstanceDraft, mode: AuthoriseMode) -> AuthoriseStart {
        let reply = self.authorise(&self.ada, version, draft, mode).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json()
    }

    /// Shows the consent page and presses `decision`; answers where the
    /// provider sends the browser back (the callback, with the query).
    async fn consent(&self, who: &Client, url: &str, decision: &str) -> String {
        let page = reply(who.get(url).send().await.unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(sandbox::CLIENT_ID), "the page names the client: {}", page.body);
        assert!(page.body.contains("orders:read"), "the page names the scopes: {}", page.body);
        let mut form = hidden_inputs(&page.body);
        form.push(("decision".into(), decision.into()));
        let answer = reply(who.post(format!("{}/sandbox/oauth/authorize", self.base)).form(&form).send().await.unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let back = answer.location.unwrap();
        assert!(back.starts_with(&format!("{}/api/oauth/callback?", self.base)), "{back}");
        back
    }

    async fn callback(&self, who: &Client, url: &str) -> Reply {
        reply(who.get(url).send().await.unwrap()).await
    }

    async fn status(&self, who: &Client, authorisation: &str) -> Reply {
        self.get(who, &format!("/api/authorisations/{authorisation}")).await
    }

    async fn state_of(&self, authorisation: &str) -> AuthorisationState {
        let reply = self.status(&self.ada, authorisation).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.json::<AuthorisationStatus>().state
    }

    /// Authorises `draft` in a popup and allows; the callback must succeed.
    async fn authorised(&self, version: i64, draft: &InstanceDraft) -> String {
        let start = self.start(version, draft, AuthoriseMode::Popup).await;
        let back = self.consent(&self.ada, &start.url, "allow").await;
        let page = self.callback(&self.ada, &back).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(
            matches!(self.state_of(&start.authorisation).await, AuthorisationState::Authorised { .. }),
            "{}",
            page.body
        );
        start.authorisation
    }

    async fn save(&self, version: i64, draft: &InstanceDraft, authorisation: Option<&str>) -> Reply {
        let body = serde_json::json!({"base_version": version, "draft": draft, "authorisation": authorisation});
        self.send(&self.ada, reqwest::Method::PUT, &format!("/api/instances/{}", self.instance), body).await
    }

    async fn test(&self, version: i64, draft: &InstanceDraft) -> Reply {
        let body = serde_json::json!({"base_version": version, "draft": draft});
        self.send(&self.ada, reqwest::Method::POST, &format!("/api/instances/{}/test", self.instance), body).await
    }

    async fn tokens(&self) -> Option<(OAuthTokens, i64)> {
        self.t.store.oauth_tokens(self.company, self.instance).await.unwrap()
    }

    async fn listed_status(&self) -> InstanceStatus {
        let list: ConnectorList = self.get(&self.ada, "/api/connectors").await.json();
        list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == self.instance).unwrap().status
    }
}

fn with_scope(draft: &InstanceDraft, scope: &str) -> InstanceDraft {
    let mut draft = draft.clone();
    draft.authentication.fields.insert("scope".into(), DraftField::Plain { value: scope.into() });
    draft
}

// -- the tests -------------------------------------------------------------------------

#[tokio::test]
async fn authorising_then_saving_keeps_the_tokens_sealed_and_tests_use_them() {
    for t in common::stores().await {
        let name = t.name;
        let live = live(&t).await;
        let saved = live.settings().await;
        assert_eq!(saved.authentication.authorised_at, None);
        // The address to register with the provider: the configured public
        // URL and the callback's path, the one the consent request names.
        assert_eq!(saved.oauth_callback_url, Some(format!("{}/api/oauth/callback", live.base)), "{name}");
        let draft = InstanceDraft::from_settings(&saved);

        // Not authorised: no connection test.
        let reply = live.test(saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(reply.error(ErrorCode::Validation), NEEDS_AUTHORISING);

        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let url = url::Url::parse(&start.url).unwrap();
        assert_eq!(url.path(), "/sandbox/oauth/authorize");
        let query: std::collections::BTreeMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], sandbox::CLIENT_ID);
        assert_eq!(query["redirect_uri"], format!("{}/api/oauth/callback", live.base));
        assert_eq!(query["scope"], "orders:read");
        assert_eq!(query["code_challenge_method"], "S256");
        assert!(query["state"].len() >= 22 && query["code_challenge"].len() == 43, "{query:?}");
        assert!(!start.url.contains(sandbox::CLIENT_SECRET));
        assert_eq!(live.state_of(&start.authorisation).await, AuthorisationState::Pending);

        let back = live.consent(&live.ada, &start.url, "allow").await;
        let page = live.callback(&live.ada, &back).await;
        assert_eq!(page.status, StatusCode::OK, "{name}: {}", page.body);
        assert!(page.body.contains("the connection works"), "{}", page.body);
        assert!(page.body.contains(r#"<script src="/api/oauth/close.js"></script>"#), "{}", page.body);
        let script = live.get(&live.ada, "/api/oauth/close.js").await;
        assert!(script.body.contains("window.close()"));
        let status = live.status(&live.ada, &start.authorisation).await;
        let AuthorisationState::Authorised { expires_at, granted_scope } = status.json::<AuthorisationStatus>().state
        else {
            panic!("{name}: {}", status.body)
        };
        assert!(expires_at > conduit_server::clock::Clock::system().now() + 14 * 60);
        // What the provider's token answer says it granted.
        assert_eq!(granted_scope.as_deref(), Some("orders:read"), "{name}");
        // Nothing is saved before the save.
        assert!(live.tokens().await.is_none(), "{name}");
        assert_eq!(live.settings().await.version, saved.version);

        // Reconnecting with the draft unchanged still stores the tokens.
        let reply = live.save(saved.version, &draft, Some(&start.authorisation)).await;
        assert_eq!(reply.status, StatusCode::OK, "{name}: {}", reply.body);
        let after: InstanceSettings = reply.json();
        assert_eq!(after.version, saved.version + 1);
        assert_eq!(after.status, InstanceStatus::Operational);
        let authorised_at = after.authentication.authorised_at.expect("authorised_at is set");
        let (tokens, at) = live.tokens().await.expect("tokens are stored");
        assert_eq!(at, authorised_at);
        assert!(tokens.refresh_token.is_some() && tokens.expires_at.is_some());
        // The authorisation was used up.
        assert_eq!(live.status(&live.ada, &start.authorisation).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.save(after.version, &draft, Some(&start.authorisation)).await.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The saved tokens pass a test of the saved settings.
        let reply = live.test(after.version, &InstanceDraft::from_settings(&after)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        assert!(tested.receipt.is_none(), "saving this method takes an authorisation, not a receipt");

        // A details-only save keeps the tokens.
        let mut renamed = InstanceDraft::from_settings(&after);
        renamed.details.name = "Sandbox app".into();
        let reply = live.save(after.version, &renamed, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let renamed: InstanceSettings = reply.json();
        assert_eq!(renamed.authentication.authorised_at, Some(authorised_at));
        assert_eq!(live.tokens().await.unwrap().0, tokens);

        let history: InstanceHistory = live.get(&live.ada, &format!("/api/instances/{}/history", live.instance)).await.json();
        assert!(history.entries.iter().any(|e| matches!(&e.event, HistoryEvent::Saved { changed, .. } if changed == &["authorisation"])));

        // The tokens appear in no answer, and in the database only sealed.
        let mut bodies = vec![page.body, status.body, reply.body, tested.result.message];
        for path in ["/api/connectors", &format!("/api/instances/{}", live.instance), &format!("/api/instances/{}/history", live.instance)] {
            bodies.push(live.get(&live.ada, path).await.body);
        }
        for body in &bodies {
            assert!(!body.contains(&tokens.access_token), "{body}");
            assert!(!body.contains(tokens.refresh_token.as_deref().unwrap()), "{body}");
        }
        let raw = live.t.raw().await;
        let sealed: String = sqlx::Row::try_get(
            &sqlx::query("SELECT oauth_tokens FROM instances WHERE id = $1").bind(live.instance).fetch_one(&raw).await.unwrap(),
            "oauth_tokens",
        )
        .unwrap();
        raw.close().await;
        assert!(sealed.starts_with("v1.") && !sealed.contains("sandbox-"), "{sealed}");
        if let Some(dir) = live.t.dir() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                for secret in [tokens.access_token.as_str(), tokens.refresh_token.as_deref().unwrap()] {
                    assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()), "a token in plain text on disk");
                }
            }
        }

        // Changing the method away from authorisation code drops the tokens.
        let mut other = InstanceDraft::from_settings(&renamed);
        other.choose_method(&renamed, "bearer");
        other.authentication.fields.insert("token".into(), DraftField::Replace { value: sandbox::BEARER_TOKEN.into() });
        other.details.variables.insert("base_url".into(), format!("{}/sandbox/bearer", live.base));
        let tested: TestDraftResponse = live.test(renamed.version, &other).await.json();
        let body = serde_json::json!({"base_version": renamed.version, "draft": other, "receipt": tested.receipt.unwrap().token});
        let reply = live.send(&live.ada, reqwest::Method::PUT, &format!("/api/instances/{}", live.instance), body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.json::<InstanceSettings>().authentication.authorised_at, None);
        assert!(live.tokens().await.is_none());
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_full_page_redirect_comes_back_to_the_settings_page_and_the_restored_draft_saves() {
    for t in common::stores().await {
        let live = live(&t).await;
        let saved = live.settings().await;
        let mut draft = with_scope(&InstanceDraft::from_settings(&saved), "orders:read  customers:read");
        draft.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: sandbox::CLIENT_SECRET.into() });
        let start = live.start(saved.version, &draft, AuthoriseMode::Redirect).await;
        assert!(start.url.contains("scope=orders%3Aread+customers%3Aread"), "{}", start.url);
        let back = live.consent(&live.ada, &start.url, "allow").await;
        let reply = live.callback(&live.ada, &back).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(
            reply.location.as_deref(),
            Some(format!("/instances/{}/settings/authentication?authorisation={}", live.instance, start.authorisation).as_str())
        );

        // The page restores the draft from the status: secret values left out.
        let status: AuthorisationStatus = live.status(&live.ada, &start.authorisation).await.json();
        assert_eq!((status.instance_id, status.base_version), (live.instance, saved.version));
        assert!(matches!(status.state, AuthorisationState::Authorised { .. }));
        assert_eq!(status.draft.authentication.fields["client_secret"], DraftField::Replace { value: String::new() });
        assert!(!serde_json::to_string(&status).unwrap().contains(sandbox::CLIENT_SECRET));

        let reply = live.save(saved.version, &status.draft, Some(&start.authorisation)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let connection = live.t.store.connection(live.company, live.instance).await.unwrap().unwrap();
        assert_eq!(connection.secrets.get("client_secret"), Some(sandbox::CLIENT_SECRET), "the authorised secret is saved");
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn denied_consent_cancelling_and_unknown_states_save_nothing() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;

        // Denied at the provider.
        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let back = live.consent(&live.ada, &start.url, "deny").await;
        assert!(back.contains("error=access_denied"), "{back}");
        let page = live.callback(&live.ada, &back).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(DENIED), "{}", page.body);
        assert_eq!(live.state_of(&start.authorisation).await, AuthorisationState::Failed { message: DENIED.into() });
        let reply = live.save(saved.version, &draft, Some(&start.authorisation)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error(ErrorCode::TestRequired), DID_NOT_SUCCEED);
        // The same link again: its state was used.
        let again = live.callback(&live.ada, &back).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(again.body.contains("not valid, or was already used"), "{}", again.body);

        // An unknown state changes nothing.
        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let back = live.consent(&live.ada, &start.url, "allow").await;
        let forged = back.replace("state=", "state=x");
        assert_eq!(live.callback(&live.ada, &forged).await.status, StatusCode::BAD_REQUEST);
        let no_state = format!("{}/api/oauth/callback?code=abc", live.base);
        assert_eq!(live.callback(&live.ada, &no_state).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(live.state_of(&start.authorisation).await, AuthorisationState::Pending);

        // Cancelled: gone, and its way back no longer works.
        let cancel = live.send(&live.ada, reqwest::Method::DELETE, &format!("/api/authorisations/{}", start.authorisation), serde_json::json!(null)).await;
        assert_eq!(cancel.status, StatusCode::NO_CONTENT);
        assert_eq!(live.status(&live.ada, &start.authorisation).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.callback(&live.ada, &back).await.status, StatusCode::BAD_REQUEST);

        let now = live.settings().await;
        assert_eq!((now.version, now.authentication.authorised_at), (saved.version, None));
        assert!(live.tokens().await.is_none());
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn provider_refusals_fail_with_sentences() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;

        // A code used once is refused the second time.
        let first = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let second = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let back = live.consent(&live.ada, &first.url, "allow").await;
        assert_eq!(live.callback(&live.ada, &back).await.status, StatusCode::OK);
        let code = url::Url::parse(&back).unwrap().query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
        let second_state = url::Url::parse(&second.url).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
        let replayed = format!("{}/api/oauth/callback?code={code}&state={second_state}", live.base);
        let page = live.callback(&live.ada, &replayed).await;
        assert_eq!(page.status, StatusCode::OK);
        let AuthorisationState::Failed { message } = live.state_of(&second.authorisation).await else { panic!() };
        assert!(message.contains("refused the authorisation code (invalid_grant)"), "{message}");
        assert!(message.ends_with("Nothing was saved."), "{message}");

        // A wrong client secret.
        let mut wrong = draft.clone();
        wrong.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: "not-the-secret".into() });
        let start = live.start(saved.version, &wrong, AuthoriseMode::Popup).await;
        let back = live.consent(&live.ada, &start.url, "allow").await;
        let page = live.callback(&live.ada, &back).await;
        let AuthorisationState::Failed { message } = live.state_of(&start.authorisation).await else { panic!() };
        assert!(message.contains("did not accept the client id and client secret (invalid_client)"), "{message}");
        assert!(page.body.contains("invalid_client") && !page.body.contains("not-the-secret"), "{}", page.body);

        // Another error from the provider, named only when the standard defines it.
        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let state = url::Url::parse(&start.url).unwrap().query_pairs().find(|(k, _)| k == "state").unwrap().1.into_owned();
        let odd = format!("{}/api/oauth/callback?error=%3Cscript%3Ehi&state={state}", live.base);
        let page = live.callback(&live.ada, &odd).await;
        assert!(!page.body.contains("<script>hi"), "{}", page.body);
        assert_eq!(
            live.state_of(&start.authorisation).await,
            AuthorisationState::Failed { message: "The provider did not authorise the connection. Nothing was saved.".into() }
        );
        assert_eq!(live.settings().await.version, saved.version);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn saves_need_the_matching_completed_authorisation() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;
        let wider = with_scope(&draft, "orders:read orders:write");

        // A connection change without an authorisation.
        let reply = live.save(saved.version, &wider, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.error(ErrorCode::TestRequired), AUTHORISE_FIRST);

        // An authorisation still pending.
        let pending = live.start(saved.version, &wider, AuthoriseMode::Popup).await;
        assert_eq!(live.save(saved.version, &wider, Some(&pending.authorisation)).await.error(ErrorCode::TestRequired), NOT_FINISHED);

        // Another draft's authorisation.
        let authorisation = live.authorised(saved.version, &draft).await;
        let reply = live.save(saved.version, &wider, Some(&authorisation)).await;
        assert_eq!(reply.error(ErrorCode::TestRequired), OTHER_SETTINGS);
        // One that does not exist.
        let reply = live.save(saved.version, &draft, Some("made-up")).await;
        assert!(reply.error(ErrorCode::TestRequired).starts_with("This authorisation is not valid"));
        assert_eq!(live.settings().await.version, saved.version);

        // Methods that do not sign in through the provider are not authorised.
        let mut bearer = draft.clone();
        bearer.choose_method(&saved, "bearer");
        bearer.authentication.fields.insert("token".into(), DraftField::Replace { value: "t".into() });
        let reply = live.authorise(&live.ada, saved.version, &bearer, AuthoriseMode::Popup).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.error(ErrorCode::Validation).contains("test the connection instead"));
        // A stale draft is a conflict.
        assert_eq!(live.authorise(&live.ada, saved.version - 1, &draft, AuthoriseMode::Popup).await.status, StatusCode::CONFLICT);

        // The matching one saves.
        let reply = live.save(saved.version, &draft, Some(&authorisation)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn only_the_user_who_started_sees_cancels_or_completes_an_authorisation() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;
        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let path = format!("/api/authorisations/{}", start.authorisation);
        for other in [&live.grace, &live.hank] {
            assert_eq!(live.get(other, &path).await.status, StatusCode::NOT_FOUND);
            let cancel = live.send(other, reqwest::Method::DELETE, &path, serde_json::json!(null)).await;
            assert_eq!(cancel.status, StatusCode::NOT_FOUND);
        }
        // Hank's company has no such instance.
        assert_eq!(live.authorise(&live.hank, saved.version, &draft, AuthoriseMode::Popup).await.status, StatusCode::NOT_FOUND);

        // The way back works only in the starting user's browser.
        let back = live.consent(&live.ada, &start.url, "allow").await;
        for other in [browser(), live.grace.clone()] {
            let page = live.callback(&other, &back).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
            assert!(page.body.contains("in the browser where you started it"), "{}", page.body);
        }
        assert_eq!(live.state_of(&start.authorisation).await, AuthorisationState::Pending);
        assert_eq!(live.callback(&live.ada, &back).await.status, StatusCode::OK);
        assert!(matches!(live.state_of(&start.authorisation).await, AuthorisationState::Authorised { .. }));
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn expired_tokens_are_renewed_and_a_refused_renewal_needs_reconnecting() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;
        let authorisation = live.authorised(saved.version, &draft).await;
        let saved: InstanceSettings = live.save(saved.version, &draft, Some(&authorisation)).await.json();
        let (first, at) = live.tokens().await.unwrap();

        // The access token has expired: the test renews it, and the renewed
        // tokens (a new refresh token too: the sandbox rotates them) are kept.
        let expired = OAuthTokens { expires_at: Some(conduit_server::clock::Clock::system().now() - 60), ..first.clone() };
        assert!(live.t.store.renew_oauth_tokens(live.company, live.instance, at, &expired).await.unwrap());
        let draft = InstanceDraft::from_settings(&saved);
        let tested: TestDraftResponse = live.test(saved.version, &draft).await.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        let (renewed, renewed_at) = live.tokens().await.unwrap();
        assert_eq!(renewed_at, at);
        assert_ne!(renewed.access_token, first.access_token);
        assert_ne!(renewed.refresh_token, first.refresh_token);
        assert!(renewed.expires_at.unwrap() > conduit_server::clock::Clock::system().now());

        // An access token the provider no longer accepts before it expires
        // is renewed too, and the test request sent again.
        let revoked = OAuthTokens { access_token: "revoked-at-the-provider".into(), ..renewed.clone() };
        assert!(live.t.store.renew_oauth_tokens(live.company, live.instance, at, &revoked).await.unwrap());
        let tested: TestDraftResponse = live.test(saved.version, &draft).await.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        let (again, _) = live.tokens().await.unwrap();
        assert_ne!(again.access_token, revoked.access_token);
        assert_ne!(again.refresh_token, renewed.refresh_token);

        // The old refresh token was revoked by the rotation: renewing fails,
        // and the instance needs reconnecting, in the list and on the page.
        assert!(live.t.store.renew_oauth_tokens(live.company, live.instance, at, &expired).await.unwrap());
        let tested: TestDraftResponse = live.test(saved.version, &draft).await.json();
        assert_eq!(tested.result.outcome, TestOutcome::AuthRejected);
        assert!(tested.result.message.contains("Reconnect the instance"), "{}", tested.result.message);
        assert_eq!(live.settings().await.status, InstanceStatus::NeedsReconnecting);
        assert_eq!(live.listed_status().await, InstanceStatus::NeedsReconnecting);

        // Reconnecting (same settings, a new authorisation) makes it operational again.
        let authorisation = live.authorised(saved.version, &draft).await;
        let reply = live.save(saved.version, &draft, Some(&authorisation)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.json::<InstanceSettings>().status, InstanceStatus::Operational);
        assert_eq!(live.listed_status().await, InstanceStatus::Operational);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_company_may_have_only_so_many_authorisations_in_progress() {
    let t = common::sqlite().await;
    let live = live(&t).await;
    let (saved, draft) = live.saved_and_draft().await;
    for _ in 0..20 {
        live.start(saved.version, &draft, AuthoriseMode::Popup).await;
    }
    let reply = live.authorise(&live.ada, saved.version, &draft, AuthoriseMode::Popup).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.error(ErrorCode::TooManyRequests).contains("Finish or cancel one"));
    drop(live);
    t.cleanup().await;
}

#[tokio::test]
async fn deleting_the_instance_drops_its_authorisation_in_progress() {
    for t in common::stores().await {
        let live = live(&t).await;
        let (saved, draft) = live.saved_and_draft().await;
        let start = live.start(saved.version, &draft, AuthoriseMode::Popup).await;
        let back = live.consent(&live.ada, &start.url, "allow").await;
        let path = format!("/api/instances/{}", live.instance);
        let deleted = live.send(&live.ada, reqwest::Method::DELETE, &path, serde_json::json!(null)).await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}: {}", t.name, deleted.body);
        // Gone, and the provider's way back no longer finds it.
        assert_eq!(live.status(&live.ada, &start.authorisation).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.callback(&live.ada, &back).await.status, StatusCode::BAD_REQUEST);
        drop(live);
        t.cleanup().await;
    }
}
