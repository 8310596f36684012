//! Authorising with the provider from inside an embed session, over HTTP:
//! the real app in demo mode on a loopback port (its sandbox is the
//! provider), the iframe played by a reqwest client sending the bearer
//! token and no cookie, the popup by a fresh client with a cookie store.
//! The start answers our own begin address; the popup that opens it first
//! gets a cookie of its own and is sent to the provider; only a way back
//! carrying that cookie completes the authorisation. Status and cancelling
//! take the token, for the session's own authorisations only. On every
//! configured database.

mod common;

use common::http::{browser, hidden_inputs, reply, Reply};

use std::path::PathBuf;

use conduit_server::config::Allowlist;
use conduit_server::demo::{self, sandbox};
use conduit_server::instances::authorise::{EMBED_IN_A_WINDOW, NOT_OPENABLE, OTHER_BROWSER};
use conduit_server::{AppState, Config};
use conduit_types::developer::CreatedApiKey;
use conduit_types::draft::{AuthorisationState, AuthorisationStatus, AuthoriseMode, AuthoriseStart, InstanceDraft, InstanceHistory};
use conduit_types::{EmbedSessionSecret, EmbedToken, Id, InstanceSettings};
use reqwest::{Client, Method, StatusCode};

const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";
const PORTAL: &str = "https://portal.example";
const PERMISSIONS: [&str; 3] = ["view", "edit_credentials", "authorise"];

struct Live {
    base: String,
    instance: Id,
    other_instance: Id,
    ada: Client,
    key: String,
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
    config.egress_allow = Allowlist(vec!["127.0.0.1/32".parse().unwrap()]);
    let (listener, addr) = conduit_server::bind(&config).await.unwrap();
    config.port = addr.port();
    let base = format!("http://{addr}");
    assert!(demo::seed_if_empty(&t.store, &format!("{base}/sandbox")).await.unwrap());
    let state = AppState::new(t.store.clone(), config);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(conduit_server::serve_app(listener, demo::app(state), async {
        let _ = stopped.await;
    }));
    let ada = browser();
    let signed_in = ada.post(format!("{base}/api/session")).json(&serde_json::json!({"email": demo::EMAIL, "password": demo::PASSWORD})).send().await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::OK);
    let mut live = Live { base, instance: 0, other_instance: 0, ada, key: String::new(), stop: Some(stop) };
    let list: conduit_types::ConnectorList = live.send(&live.ada, Method::GET, "/api/connectors", None, None).await.json();
    let instances: Vec<_> = list.connectors.iter().flat_map(|c| &c.instances).collect();
    live.instance = instances.iter().find(|i| i.name == INSTANCE).unwrap().id;
    live.other_instance = instances.iter().find(|i| i.name != INSTANCE).unwrap().id;
    let created = live.send(&live.ada, Method::POST, "/api/developer/keys", None, Some(serde_json::json!({"name": "Portal"}))).await;
    live.key = created.json::<CreatedApiKey>().secret;
    let origins = live.send(&live.ada, Method::PUT, "/api/developer/origins", None, Some(serde_json::json!({"origins": [PORTAL]}))).await;
    assert_eq!(origins.status, StatusCode::OK, "{}", origins.body);
    live
}

impl Live {
    async fn send(&self, who: &Client, method: Method, path: &str, bearer: Option<&str>, body: Option<serde_json::Value>) -> Reply {
        let mut request = who.request(method, format!("{}{path}", self.base));
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        reply(request.send().await.unwrap()).await
    }

    /// An embed token for `instance`, for the end user `user_name`.
    async fn token(&self, instance: Id, user_name: &str, permissions: &[&str]) -> String {
        let iframe = Client::new();
        let body = serde_json::json!({"instance": instance, "origin": PORTAL, "user_name": user_name, "permissions": permissions});
        let minted: EmbedSessionSecret = self.send(&iframe, Method::POST, "/api/embed/sessions", Some(&self.key), Some(body)).await.json();
        let body = serde_json::json!({"secret": minted.secret, "origin": PORTAL});
        self.send(&iframe, Method::POST, "/api/embed/exchange", None, Some(body)).await.json::<EmbedToken>().token
    }

    async fn saved(&self) -> InstanceSettings {
        self.send(&self.ada, Method::GET, &format!("/api/instances/{}", self.instance), None, None).await.json()
    }

    async fn authorise(&self, token: Option<&str>, mode: AuthoriseMode) -> Reply {
        let saved = self.saved().await;
        let body = serde_json::json!({"base_version": saved.version, "draft": InstanceDraft::from_settings(&saved), "mode": mode});
        let who = if token.is_some() { Client::new() } else { self.ada.clone() };
        self.send(&who, Method::POST, &format!("/api/instances/{}/authorise", self.instance), token, Some(body)).await
    }

    async fn status(&self, token: Option<&str>, authorisation: &str) -> Reply {
        let who = if token.is_some() { Client::new() } else { self.ada.clone() };
        self.send(&who, Method::GET, &format!("/api/authorisations/{authorisation}"), token, None).await
    }

    /// Allows at the sandbox's consent page at `url`, in `popup`; answers the way back.
    async fn consent(&self, popup: &Client, url: &str) -> String {
        let page = self.send(popup, Method::GET, url.strip_prefix(&self.base).unwrap(), None, None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let mut form = hidden_inputs(&page.body);
        form.push(("decision".into(), "allow".into()));
        let answer = reply(popup.post(format!("{}/sandbox/oauth/authorize", self.base)).form(&form).send().await.unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        answer.location.unwrap()
    }

    async fn visit(&self, who: &Client, url: &str) -> Reply {
        reply(who.get(url).send().await.unwrap()).await
    }
}

#[tokio::test]
async fn an_embed_session_authorises_in_a_popup_bound_by_its_own_cookie_and_saves() {
    for t in common::stores().await {
        let live = live(&t).await;
        let token = live.token(live.instance, "Jane Doe", &PERMISSIONS).await;
        let reply = live.authorise(Some(&token), AuthoriseMode::Popup).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.body);
        let start: AuthoriseStart = reply.json();
        // Our own address first, carrying neither the token nor the provider's state.
        let begin = format!("{}/api/oauth/begin/", live.base);
        assert!(start.url.starts_with(&begin), "{}", start.url);
        let key = &start.url[begin.len()..];
        assert!(key.len() >= 43 && !key.contains(&token[3..]) && !start.url.contains("state="), "{}", start.url);
        assert_eq!(live.status(Some(&token), &start.authorisation).await.json::<AuthorisationStatus>().state, AuthorisationState::Pending);

        // The popup opens it: a cookie of its own, then the provider.
        let popup = browser();
        let opened = live.visit(&popup, &start.url).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let consent = opened.location.clone().unwrap();
        assert!(consent.starts_with(&format!("{}/sandbox/oauth/authorize?", live.base)), "{consent}");
        assert!(consent.contains("code_challenge_method=S256") && consent.contains("state="), "{consent}");
        let cookie = opened.cookies.iter().find(|c| c.starts_with("conduit_oauth_")).unwrap_or_else(|| panic!("{:?}", opened.cookies));
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/api/oauth/callback", "Max-Age=900"] {
            assert!(cookie.contains(attribute), "{attribute}: {cookie}");
        }
        // It opens once: not again, not in another window.
        for other in [&popup, &browser()] {
            let again = live.visit(other, &start.url).await;
            assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
            assert!(again.body.contains(NOT_OPENABLE.split(',').next().unwrap()), "{}", again.body);
        }

        let back = live.consent(&popup, &consent).await;
        // Another browser, even one signed in as the key's user, cannot finish it.
        for other in [browser(), live.ada.clone()] {
            let page = live.visit(&other, &back).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
            assert!(page.body.contains(OTHER_BROWSER.split(',').next().unwrap()), "{}", page.body);
        }
        let page = live.visit(&popup, &back).await;
        assert_eq!(page.status, StatusCode::OK, "{}: {}", t.name, page.body);
        assert!(page.body.contains("the connection works"), "{}", page.body);
        assert!(page.cookies.iter().any(|c| c.starts_with("conduit_oauth_") && c.contains("Max-Age=0")), "{:?}", page.cookies);
        let status: AuthorisationStatus = live.status(Some(&token), &start.authorisation).await.json();
        assert!(matches!(status.state, AuthorisationState::Authorised { .. }), "{status:?}");

        // The session saves it, named in the history as the host's user.
        let saved = live.saved().await;
        let body = serde_json::json!({"base_version": saved.version, "draft": InstanceDraft::from_settings(&saved), "authorisation": start.authorisation});
        let reply = live.send(&Client::new(), Method::PUT, &format!("/api/instances/{}", live.instance), Some(&token), Some(body)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.json::<InstanceSettings>().authentication.authorised_at.is_some());
        let history: InstanceHistory = live.send(&live.ada, Method::GET, &format!("/api/instances/{}/history", live.instance), None, None).await.json();
        assert_eq!(history.entries[0].user, "Jane Doe via portal.example");
        assert!(!serde_json::to_string(&history).unwrap().contains(sandbox::CLIENT_SECRET));
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn only_the_session_that_started_it_sees_or_cancels_an_embed_authorisation() {
    for t in common::stores().await {
        let live = live(&t).await;
        let token = live.token(live.instance, "Jane Doe", &PERMISSIONS).await;
        let start: AuthoriseStart = live.authorise(Some(&token), AuthoriseMode::Popup).await.json();
        let path = format!("/api/authorisations/{}", start.authorisation);
        // Not the key's user with the cookie, not another end user, not a session of another instance.
        let someone_else = live.token(live.instance, "John Roe", &PERMISSIONS).await;
        let elsewhere = live.token(live.other_instance, "Jane Doe", &PERMISSIONS).await;
        assert_eq!(live.status(None, &start.authorisation).await.status, StatusCode::NOT_FOUND, "{}", t.name);
        for other in [&someone_else, &elsewhere] {
            assert_eq!(live.status(Some(other), &start.authorisation).await.status, StatusCode::NOT_FOUND);
            assert_eq!(live.send(&Client::new(), Method::DELETE, &path, Some(other), None).await.status, StatusCode::NOT_FOUND);
        }
        assert_eq!(live.send(&live.ada, Method::DELETE, &path, None, None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.status(Some("ct_unknown"), &start.authorisation).await.status, StatusCode::UNAUTHORIZED);
        // A renewed session of the same end user (a new token) still follows it.
        let renewed = live.token(live.instance, "Jane Doe", &PERMISSIONS).await;
        assert_eq!(live.status(Some(&renewed), &start.authorisation).await.status, StatusCode::OK);
        // Cancelling from another site is refused; from the session, done.
        let from_evil = Client::new().delete(format!("{}{path}", live.base)).bearer_auth(&token)
            .header("origin", "https://evil.example").header("sec-fetch-site", "cross-site").send().await.unwrap();
        assert_eq!(from_evil.status(), StatusCode::FORBIDDEN);
        assert_eq!(live.send(&Client::new(), Method::DELETE, &path, Some(&token), None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(live.status(Some(&token), &start.authorisation).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.visit(&browser(), &start.url).await.status, StatusCode::BAD_REQUEST, "a cancelled one opens nothing");

        // The dashboard's own authorisation is the signed-in user's only, and unchanged:
        // the provider's page at once, and the way back in the signed-in browser.
        let own: AuthoriseStart = live.authorise(None, AuthoriseMode::Redirect).await.json();
        assert!(own.url.starts_with(&format!("{}/sandbox/oauth/authorize?", live.base)), "{}", own.url);
        assert_eq!(live.status(Some(&token), &own.authorisation).await.status, StatusCode::NOT_FOUND);
        assert_eq!(live.status(None, &own.authorisation).await.status, StatusCode::OK);
        let back = live.consent(&live.ada, &own.url).await;
        assert_eq!(live.visit(&browser(), &back).await.status, StatusCode::FORBIDDEN);
        assert_eq!(live.visit(&live.ada, &back).await.status, StatusCode::SEE_OTHER);
        drop(live);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_embed_session_authorises_in_a_window_and_only_with_authorise() {
    for t in common::stores().await {
        let live = live(&t).await;
        let token = live.token(live.instance, "Jane Doe", &PERMISSIONS).await;
        let reply = live.authorise(Some(&token), AuthoriseMode::Redirect).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", t.name, reply.body);
        assert_eq!(reply.message(), EMBED_IN_A_WINDOW);
        let without = live.token(live.instance, "Jane Doe", &["view", "edit_credentials"]).await;
        let reply = live.authorise(Some(&without), AuthoriseMode::Popup).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
        drop(live);
        t.cleanup().await;
    }
}
