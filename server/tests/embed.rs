//! Embed sessions over the API, on every configured database: minting with a
//! company API key (refused for a revoked or unknown key, an unlisted origin,
//! another company's instance), the one-time secret (single use, expiring),
//! the bearer token it is exchanged for, and what is stored (hashes only);
//! the token on the instance routes: its instance only, its permissions only,
//! its saves named "<user> via <host>" in the history.

mod common;
#[path = "common/world.rs"]
mod world;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use conduit_server::clock::Clock;
use conduit_types::developer::CreatedApiKey;
use conduit_types::draft::{HistoryEvent, InstanceDraft, InstanceHistory, TestDraftResponse};
use conduit_types::{EmbedSessionSecret, EmbedToken, ErrorCode, Id, InstanceSettings, Permission};
use http_body_util::BodyExt;
use sqlx::Row;
use tower::ServiceExt;

use world::*;

const PORTAL: &str = "https://portal.example";
const START: i64 = 1_900_000_000;

/// A request with `Authorization: Bearer <bearer>` (if any) and no cookie,
/// as a host's backend or the iframe sends it.
async fn bearer_call(w: &World, method: Method, uri: &str, bearer: Option<&str>, body: Option<serde_json::Value>) -> Reply {
    let authorization = bearer.map(|b| format!("Bearer {b}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|a| ("authorization", a.as_str())).collect();
    call_with(w, method, uri, &headers, body).await
}

/// A request with `headers` (as a browser page sends them).
async fn call_with(w: &World, method: Method, uri: &str, headers: &[(&str, &str)], body: Option<serde_json::Value>) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some(body) => request.header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = w.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    Reply { status, body: response.into_body().collect().await.unwrap().to_bytes().to_vec() }
}

/// The world on a manual clock, with an API key of the demo company and
/// PORTAL allowed to embed.
async fn embed_world(t: &common::TestStore) -> (World, Clock, String) {
    let clock = Clock::manual(START);
    let w = world(&t.store.clone().with_clock(clock.clone())).await;
    let reply = call(&w.app, Method::POST, "/api/developer/keys", &w.ada, Some(serde_json::json!({"name": "Portal"}).to_string())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let key: CreatedApiKey = reply.json();
    let reply = call(&w.app, Method::PUT, "/api/developer/origins", &w.ada, Some(serde_json::json!({"origins": [PORTAL]}).to_string())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    (w, clock, key.secret)
}

fn session_body(instance: Id, origin: &str, permissions: &[&str]) -> serde_json::Value {
    serde_json::json!({"instance": instance, "origin": origin, "user_name": " Jane Doe ", "permissions": permissions})
}

async fn mint(w: &World, key: Option<&str>, body: serde_json::Value) -> Reply {
    bearer_call(w, Method::POST, "/api/embed/sessions", key, Some(body)).await
}

async fn minted(w: &World, key: &str, permissions: &[&str]) -> EmbedSessionSecret {
    let reply = mint(w, Some(key), session_body(w.bearer, PORTAL, permissions)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()
}

async fn exchange(w: &World, secret: &str) -> Reply {
    bearer_call(w, Method::POST, "/api/embed/exchange", None, Some(serde_json::json!({"secret": secret, "origin": PORTAL}))).await
}


fn assert_refused(reply: &Reply, status: StatusCode, sentence: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.error().message, sentence);
}


#[tokio::test]
async fn a_key_mints_a_secret_for_its_companys_instance_and_allowed_origin_only() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let session = minted(&w, &key, &["view", "test"]).await;
        assert!(session.secret.starts_with("cs_") && session.secret.len() > 40, "{}", t.name);
        assert_eq!(session.expires_at, START + 300, "{}", t.name);

        // The key was stamped as used.
        let listed: conduit_types::DeveloperSettings = call(&w.app, Method::GET, "/api/developer", &w.ada, None).await.json();
        assert_eq!(listed.keys[0].last_used_at, Some(START), "{}", t.name);

        // No key, an unknown key, a cookie instead of a key: one sentence, 401.
        let bad_key = conduit_server::embed::BAD_KEY;
        for reply in [
            mint(&w, None, session_body(w.bearer, PORTAL, &["view"])).await,
            mint(&w, Some("ck_not-a-key"), session_body(w.bearer, PORTAL, &["view"])).await,
            call(&w.app, Method::POST, "/api/embed/sessions", &w.ada, Some(session_body(w.bearer, PORTAL, &["view"]).to_string())).await,
        ] {
            assert_refused(&reply, StatusCode::UNAUTHORIZED, bad_key);
            assert_eq!(reply.error().code, ErrorCode::Unauthenticated);
        }

        // An origin the company does not list, or not an origin: 422 at `origin`.
        for origin in ["https://evil.example", "http://portal.example", "not an origin"] {
            let reply = mint(&w, Some(&key), session_body(w.bearer, origin, &["view"])).await;
            assert_eq!(field_errors(&reply).iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["origin"], "{}: {origin}", t.name);
        }
        // A blank user name: 422 at `user_name`.
        let mut body = session_body(w.bearer, PORTAL, &["view"]);
        body["user_name"] = "  ".into();
        assert_eq!(field_errors(&mint(&w, Some(&key), body).await)[0].0, "user_name");
        // A permission that does not exist is not read.
        let reply = mint(&w, Some(&key), session_body(w.bearer, PORTAL, &["admin"])).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());

        // Another company's instance is not found, like one that does not exist.
        let theirs = mint(&w, Some(&key), session_body(w.other.instance_id, PORTAL, &["view"])).await;
        let missing = mint(&w, Some(&key), session_body(999_999, PORTAL, &["view"])).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text());
        assert_eq!(theirs.body, missing.body);

        // A revoked key mints nothing.
        let id = listed.keys[0].id;
        assert_eq!(call(&w.app, Method::DELETE, &format!("/api/developer/keys/{id}"), &w.ada, None).await.status, StatusCode::NO_CONTENT);
        assert_refused(&mint(&w, Some(&key), session_body(w.bearer, PORTAL, &["view"])).await, StatusCode::UNAUTHORIZED, bad_key);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_secret_is_exchanged_once_for_a_token_bound_to_the_session() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let session = minted(&w, &key, &["view", "edit_details", "test"]).await;
        let reply = exchange(&w, &session.secret).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        let token: EmbedToken = reply.json();
        assert!(token.token.starts_with("ct_") && token.token != session.secret);
        assert_eq!(token.instance, w.bearer);
        assert_eq!(token.origin, PORTAL);
        assert_eq!(token.expires_at, START + 900);
        assert_eq!(token.permissions, [Permission::View, Permission::EditDetails, Permission::Test].into());

        // Used once: a second exchange is refused, as is an unknown secret.
        let sentence = conduit_server::embed::BAD_SECRET;
        assert_refused(&exchange(&w, &session.secret).await, StatusCode::UNAUTHORIZED, sentence);
        assert_refused(&exchange(&w, "cs_unknown").await, StatusCode::UNAUTHORIZED, sentence);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn two_racing_exchanges_of_one_secret_give_one_token() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let session = minted(&w, &key, &["view"]).await;
        let (a, b) = tokio::join!(exchange(&w, &session.secret), exchange(&w, &session.secret));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::UNAUTHORIZED], "{}: {} / {}", t.name, a.text(), b.text());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_secret_expires_after_five_minutes() {
    for t in common::stores().await {
        let (w, clock, key) = embed_world(&t).await;
        let late = minted(&w, &key, &["view"]).await;
        let in_time = minted(&w, &key, &["view"]).await;
        clock.advance(299);
        assert_eq!(exchange(&w, &in_time.secret).await.status, StatusCode::OK, "{}", t.name);
        clock.advance(1);
        assert_refused(&exchange(&w, &late.secret).await, StatusCode::UNAUTHORIZED, conduit_server::embed::BAD_SECRET);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_secret_and_the_token_are_stored_only_as_their_hashes() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let session = minted(&w, &key, &["view", "test"]).await;
        let token = {
            let reply = exchange(&w, &session.secret).await;
            reply.json::<EmbedToken>().token
        };
        let raw = t.raw().await;
        let rows = sqlx::query(
            "SELECT origin, user_name, permissions, secret_hash, token_hash, CAST(company_id AS TEXT) AS company,
                    CAST(instance_id AS TEXT) AS instance, CAST(expires_at AS TEXT) AS expires, CAST(used_at AS TEXT) AS used,
                    CAST(token_expires_at AS TEXT) AS token_expires
             FROM embed_sessions",
        )
        .fetch_all(&raw)
        .await
        .unwrap();
        assert_eq!(rows.len(), 1, "{}", t.name);
        let columns = ["origin", "user_name", "permissions", "secret_hash", "token_hash", "company", "instance", "expires", "used", "token_expires"]
            .map(|c| rows[0].try_get::<String, _>(c).unwrap());
        raw.close().await;
        let expected = [
            PORTAL.to_owned(),
            "Jane Doe".to_owned(),
            "view,test".to_owned(),
            conduit_server::tokens::token_hash(&session.secret),
            conduit_server::tokens::token_hash(&token),
            w.company.to_string(),
            w.bearer.to_string(),
            (START + 300).to_string(),
            START.to_string(),
            (START + 900).to_string(),
        ];
        assert_eq!(columns, expected, "{}", t.name);
        let all = columns.join(" ");
        for secret in [&session.secret, &token, &key] {
            assert!(!all.contains(secret.as_str()) && !all.contains(&secret[3..]), "{}", t.name);
        }
        t.cleanup().await;
    }
}

// -- the bearer token on the instance routes ------------------------------------------

async fn embed_token(w: &World, key: &str, permissions: &[&str]) -> String {
    let session = minted(w, key, permissions).await;
    let reply = exchange(w, &session.secret).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json::<EmbedToken>().token
}

async fn embed_settings(w: &World, token: &str, id: Id) -> Reply {
    bearer_call(w, Method::GET, &format!("/api/instances/{id}"), Some(token), None).await
}

async fn embed_test(w: &World, token: &str, base_version: i64, draft: &InstanceDraft) -> Reply {
    let body = serde_json::json!({"base_version": base_version, "draft": draft});
    bearer_call(w, Method::POST, &format!("/api/instances/{}/test", w.bearer), Some(token), Some(body)).await
}

async fn embed_save(w: &World, token: &str, base_version: i64, draft: &InstanceDraft, receipt: Option<&str>) -> Reply {
    let body = serde_json::json!({"base_version": base_version, "draft": draft, "receipt": receipt});
    bearer_call(w, Method::PUT, &format!("/api/instances/{}", w.bearer), Some(token), Some(body)).await
}

/// The history's entries of the bearer-token instance, as (user, kind).
async fn history(w: &World) -> Vec<(String, String)> {
    let history: InstanceHistory = w.history(&w.ada, w.bearer).await.json();
    history
        .entries
        .into_iter()
        .map(|e| (e.user, match e.event { HistoryEvent::Saved { .. } => "saved".into(), HistoryEvent::Tested { .. } => "tested".into(), HistoryEvent::Created { .. } => "created".into() }))
        .collect()
}

#[tokio::test]
async fn an_embed_token_reaches_its_own_instance_only_and_nothing_else() {
    for t in common::stores().await {
        let (w, clock, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view"]).await;
        let reply = embed_settings(&w, &token, w.bearer).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        assert_eq!(reply.json::<InstanceSettings>().id, w.bearer);
        let reply = bearer_call(&w, Method::GET, &format!("/api/instances/{}/history", w.bearer), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

        // Another instance of the company, or of another company: not found, alike.
        let ours = embed_settings(&w, &token, w.client_credentials).await;
        let theirs = embed_settings(&w, &token, w.other.instance_id).await;
        assert_eq!(ours.status, StatusCode::NOT_FOUND, "{}", ours.text());
        assert_eq!(ours.body, theirs.body);
        // The token is not a sign-in: the rest of the API does not take it.
        for uri in ["/api/developer", "/api/me", "/api/connectors"] {
            assert_eq!(bearer_call(&w, Method::GET, uri, Some(&token), None).await.status, StatusCode::UNAUTHORIZED, "{uri}");
        }
        // A secret is not a token, and neither is an unknown one.
        let secret = minted(&w, &key, &["view"]).await.secret;
        for bad in [secret.as_str(), "ct_unknown"] {
            assert_eq!(embed_settings(&w, bad, w.bearer).await.status, StatusCode::UNAUTHORIZED);
        }

        // Without `view`, nothing.
        let blind = embed_token(&w, &key, &["edit_details", "test"]).await;
        let reply = embed_settings(&w, &blind, w.bearer).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());

        // It expires after fifteen minutes.
        clock.advance(899);
        assert_eq!(embed_settings(&w, &token, w.bearer).await.status, StatusCode::OK);
        clock.advance(1);
        assert_eq!(embed_settings(&w, &token, w.bearer).await.status, StatusCode::UNAUTHORIZED);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn revoking_the_key_ends_its_sessions_tokens() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view"]).await;
        let listed: conduit_types::DeveloperSettings = call(&w.app, Method::GET, "/api/developer", &w.ada, None).await.json();
        call(&w.app, Method::DELETE, &format!("/api/developer/keys/{}", listed.keys[0].id), &w.ada, None).await;
        assert_eq!(embed_settings(&w, &token, w.bearer).await.status, StatusCode::UNAUTHORIZED, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn without_edit_credentials_a_session_cannot_change_or_test_credentials_through_the_api() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view", "edit_details", "test"]).await;
        let (saved, draft, receipt) = w.tested_new_token().await;
        let before = history(&w).await;

        let reply = embed_test(&w, &token, saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}: {}", t.name, reply.text());
        assert_eq!(reply.error().message, "This embedded session may not change the authentication.");
        // Not even with a receipt of a passing test that the user made.
        let reply = embed_save(&w, &token, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, saved.version);
        assert_eq!(history(&w).await, before, "nothing recorded");

        // The details it may change, named in the history as the host's user.
        let mut details = InstanceDraft::from_settings(&saved);
        details.details.name = "Orders API (portal)".into();
        let reply = embed_save(&w, &token, saved.version, &details, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(history(&w).await[0], ("Jane Doe via portal.example".to_owned(), "saved".to_owned()));
        // A test of the saved connection it may run.
        let now = w.settings(&w.ada, w.bearer).await;
        assert_eq!(embed_test(&w, &token, now.version, &InstanceDraft::from_settings(&now)).await.status, StatusCode::OK);

        // Without `test`, no test at all.
        let no_test = embed_token(&w, &key, &["view", "edit_details", "edit_credentials"]).await;
        let reply = embed_test(&w, &no_test, now.version, &InstanceDraft::from_settings(&now)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_save_through_the_portal_is_not_the_key_creators_own_in_a_conflict() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view", "edit_details"]).await;
        let started = w.settings(&w.ada, w.bearer).await;
        let mut portal = InstanceDraft::from_settings(&started);
        portal.details.name = "Orders API (portal)".into();
        assert_eq!(embed_save(&w, &token, started.version, &portal, None).await.status, StatusCode::OK);

        // Ada, who made the key, had a draft from before: Jane saved in between.
        let mut ada = InstanceDraft::from_settings(&started);
        ada.details.name = "Orders API (Ada)".into();
        let reply = w.save(&w.ada, w.bearer, started.version, &ada, None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {}", t.name, reply.text());
        let error = reply.error();
        assert!(error.message.starts_with("Jane Doe via portal.example saved this instance"), "{}", error.message);
        let conflict = error.conflict.expect("the conflict's details");
        assert_eq!(conflict.saved_by, "Jane Doe via portal.example");
        assert!(!conflict.by_you, "Jane's save is not Ada's own");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn with_edit_credentials_a_session_tests_and_saves_a_credential_named_as_the_hosts_user() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view", "edit_credentials", "test"]).await;
        let (saved, draft) = w.new_token_draft().await;
        let reply = embed_test(&w, &token, saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        let tested: TestDraftResponse = reply.json();
        let receipt = tested.receipt.expect("a passing test has a receipt").token;
        let reply = embed_save(&w, &token, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_no_secret("the save's answer", &reply.text());
        assert_eq!(reply.json::<InstanceSettings>().version, saved.version + 1);
        let via = "Jane Doe via portal.example".to_owned();
        assert_eq!(history(&w).await[..2], [(via.clone(), "saved".to_owned()), (via, "tested".to_owned())]);
        // The cookie user's own saves are still named as the user.
        let now = w.settings(&w.ada, w.bearer).await;
        let mut renamed = InstanceDraft::from_settings(&now);
        renamed.details.name = "Orders".into();
        assert_eq!(w.save(&w.ada, w.bearer, now.version, &renamed, None).await.status, StatusCode::OK);
        assert_eq!(history(&w).await[0].0, conduit_server::demo::USER_NAME);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_change_from_another_site_is_accepted_only_with_a_token_of_a_session_bound_to_that_origin() {
    for t in common::stores().await {
        let (w, _, key) = embed_world(&t).await;
        let token = embed_token(&w, &key, &["view", "edit_details"]).await;
        let saved = w.settings(&w.ada, w.bearer).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.name = "Orders API (portal)".into();
        let body = serde_json::json!({"base_version": saved.version, "draft": draft, "receipt": null});
        let uri = format!("/api/instances/{}", w.bearer);
        let authorization = format!("Bearer {token}");
        for origin in ["https://evil.example", "https://portal.example.evil", "null"] {
            let h = [("authorization", authorization.as_str()), ("origin", origin), ("sec-fetch-site", "cross-site")];
            let reply = call_with(&w, Method::PUT, &uri, &h, Some(body.clone())).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}: {origin}: {}", t.name, reply.text());
            assert_eq!(reply.error().message, conduit_server::origin::REFUSED);
        }
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, saved.version);
        let h = [("authorization", authorization.as_str()), ("origin", PORTAL), ("sec-fetch-site", "cross-site")];
        let reply = call_with(&w, Method::PUT, &uri, &h, Some(body.clone())).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());

        // A cookie is not made acceptable by a bearer header beside it, nor an API key from a page.
        let with_cookie = [("cookie", w.ada.as_str()), ("authorization", "Bearer ct_unknown"), ("origin", PORTAL), ("sec-fetch-site", "cross-site")];
        let reply = call_with(&w, Method::POST, "/api/developer/keys", &with_cookie, Some(serde_json::json!({"name": "x"}))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        let key_auth = format!("Bearer {key}");
        let from_page = [("authorization", key_auth.as_str()), ("origin", PORTAL), ("sec-fetch-site", "cross-site")];
        let reply = call_with(&w, Method::POST, "/api/embed/sessions", &from_page, Some(session_body(w.bearer, PORTAL, &["view"]))).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        // Routes that never act for an embed session refuse a bearer header from another site,
        // even those that read no user: signing in, and exchanging a secret.
        let sign_in = serde_json::json!({"email": "ada@example.com", "password": "x"});
        for (uri, body) in [("/api/session", sign_in), ("/api/embed/exchange", serde_json::json!({"secret": "cs_x", "origin": PORTAL}))] {
            let reply = call_with(&w, Method::POST, uri, &h, Some(body)).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{uri}: {}", reply.text());
            assert_eq!(reply.error().message, conduit_server::origin::REFUSED, "{uri}");
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_embed_page_may_be_framed_only_by_the_companys_allowed_origins() {
    for t in common::stores().await {
        let (w, _, _) = embed_world(&t).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html><title>conduit</title><script>start()</script>").unwrap();
        let app = conduit_server::app(common::state(w.store.clone(), dir.path().to_path_buf()));
        let frame_policy = |uri: String| {
            let app = app.clone();
            async move {
                let response = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
                let status = response.status();
                let csp = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
                let body = response.into_body().collect().await.unwrap().to_bytes();
                (status, csp, String::from_utf8_lossy(&body).into_owned())
            }
        };
        let (status, csp, body) = frame_policy(format!("/embed/{}/instances/{}", w.company, w.bearer)).await;
        assert_eq!(status, StatusCode::OK, "{}", t.name);
        assert!(body.contains("<title>conduit</title>"));
        assert!(csp.ends_with(&format!("frame-ancestors {PORTAL}")), "{csp}");
        assert!(csp.contains("'sha256-"), "the page's inline script is still allowed: {csp}");
        // Another company (which allows none) and one that does not exist: no one may frame.
        for company in [w.other.company_id, 999_999] {
            let (_, csp, _) = frame_policy(format!("/embed/{company}/instances/1")).await;
            assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
        }
        // The dashboard itself keeps the configured policy.
        let (_, csp, _) = frame_policy("/".to_owned()).await;
        assert!(csp.ends_with("frame-ancestors 'self'"), "{csp}");
        t.cleanup().await;
    }
}
