//! The developer settings through the API, on every configured database:
//! company API keys (shown once, stored as their hash, listed by prefix and
//! creator, revoked, last used) and the origins allowed to embed.

mod common;
#[path = "common/world.rs"]
mod world;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use conduit_server::clock::Clock;
use conduit_server::demo;
use conduit_server::store::ApiKeyOwner;
use conduit_types::address::origin;
use conduit_types::developer::{CreatedApiKey, DeveloperSettings, MAX_ORIGINS};
use conduit_types::ErrorCode;
use sqlx::Row;
use tower::ServiceExt;

use world::*;

async fn create(w: &World, cookie: &str, name: &str) -> Reply {
    call(&w.app, Method::POST, "/api/developer/keys", cookie, Some(serde_json::json!({ "name": name }).to_string())).await
}

async fn created(w: &World, cookie: &str, name: &str) -> CreatedApiKey {
    let reply = create(w, cookie, name).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()
}

async fn settings_reply(w: &World, cookie: &str) -> Reply {
    call(&w.app, Method::GET, "/api/developer", cookie, None).await
}

async fn settings(w: &World, cookie: &str) -> DeveloperSettings {
    let reply = settings_reply(w, cookie).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

async fn revoke(w: &World, cookie: &str, id: i64) -> Reply {
    call(&w.app, Method::DELETE, &format!("/api/developer/keys/{id}"), cookie, None).await
}

async fn put_origins(w: &World, cookie: &str, origins: &[&str]) -> Reply {
    call(&w.app, Method::PUT, "/api/developer/origins", cookie, Some(serde_json::json!({ "origins": origins }).to_string())).await
}

/// Every column of the `api_keys` row `id`, as text.
async fn raw_key_row(t: &common::TestStore, id: i64) -> Vec<String> {
    let raw = t.raw().await;
    let row = sqlx::query(
        "SELECT name, prefix, secret_hash, CAST(created_by AS TEXT) AS created_by, CAST(created_at AS TEXT) AS created_at
         FROM api_keys WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&raw)
    .await
    .unwrap();
    let columns = ["name", "prefix", "secret_hash", "created_by", "created_at"].map(|c| row.try_get::<String, _>(c).unwrap());
    raw.close().await;
    columns.to_vec()
}

#[tokio::test]
async fn a_key_is_shown_once_listed_by_its_prefix_and_creator_and_stored_only_as_a_hash() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let first = created(&w, &w.ada, "  Partner portal  ").await;
        let secret = first.secret.clone();
        assert!(secret.starts_with("ck_") && secret.len() == 46, "{}: {secret}", t.name);
        assert_eq!(first.key.name, "Partner portal", "{}", t.name);
        assert_eq!(first.key.created_by, demo::USER_NAME);
        assert!(secret.starts_with(&first.key.prefix) && first.key.prefix.len() < 16, "{}", first.key.prefix);
        assert_eq!(first.key.last_used_at, None);

        // Listed, newest first, to everyone in the company; never with a secret.
        let second = created(&w, &w.grace, "Staging portal").await;
        for cookie in [&w.ada, &w.grace] {
            let reply = settings_reply(&w, cookie).await;
            assert!(!reply.text().contains(&secret) && !reply.text().contains(&second.secret), "{}", reply.text());
            let listed: DeveloperSettings = reply.json();
            assert_eq!(listed.keys, [second.key.clone(), first.key.clone()], "{}", t.name);
            assert_eq!(listed.keys[0].created_by, "Grace Hopper");
        }

        // The database holds the hash, never the secret or any part past the prefix.
        let row = raw_key_row(&t, first.key.id).await;
        let hash = &row[2];
        assert_eq!(hash, &conduit_server::tokens::token_hash(&secret), "{}", t.name);
        for column in &row {
            assert!(!column.contains(&secret) && !column.contains(&secret[first.key.prefix.len()..]), "{}: {column}", t.name);
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_key_needs_a_name_of_at_most_80_characters() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        for name in ["".to_owned(), "   ".to_owned(), "n".repeat(81), "two\nlines".to_owned()] {
            let errors = field_errors(&create(&w, &w.ada, &name).await);
            assert_eq!(errors.len(), 1, "{}: {errors:?}", t.name);
            assert_eq!(errors[0].0, "name");
            assert!(!errors[0].1.contains("nnnn") && !errors[0].1.contains("lines"), "{}", errors[0].1);
        }
        assert_eq!(created(&w, &w.ada, &"n".repeat(80)).await.key.name.len(), 80);
        assert_eq!(settings(&w, &w.ada).await.keys.len(), 1, "only the valid name made a key");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_revoked_key_is_gone_from_the_list_and_never_found_again() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let kept = created(&w, &w.ada, "Kept").await;
        let gone = created(&w, &w.ada, "Gone").await;
        assert!(w.store.api_key_by_secret(&gone.secret).await.unwrap().is_some());

        let reply = revoke(&w, &w.ada, gone.key.id).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", t.name, reply.text());
        assert!(reply.body.is_empty());
        assert_eq!(settings(&w, &w.ada).await.keys, [kept.key.clone()], "{}", t.name);
        assert_eq!(w.store.api_key_by_secret(&gone.secret).await.unwrap(), None, "{}", t.name);
        assert!(w.store.api_key_by_secret(&kept.secret).await.unwrap().is_some());

        // Revoking it again is like revoking a key that never was.
        let again = revoke(&w, &w.ada, gone.key.id).await;
        let unknown = revoke(&w, &w.ada, 999_999).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!((again.status, again.text()), (unknown.status, unknown.text()));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn another_company_neither_sees_nor_revokes_a_key() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let key = created(&w, &w.ada, "Partner portal").await;
        assert!(settings(&w, &w.hank).await.keys.is_empty(), "{}", t.name);

        let foreign = revoke(&w, &w.hank, key.key.id).await;
        let unknown = revoke(&w, &w.hank, 999_999).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}: {}", t.name, foreign.text());
        assert_eq!(foreign.text(), unknown.text());
        assert_eq!(settings(&w, &w.ada).await.keys, [key.key.clone()], "still there");

        let owner = w.store.api_key_by_secret(&key.secret).await.unwrap();
        assert_eq!(owner, Some(ApiKeyOwner { key_id: key.key.id, company_id: w.company }), "{}", t.name);
        // Hank's own key is his company's.
        let his = created(&w, &w.hank, "Globex portal").await;
        assert_eq!(w.store.api_key_by_secret(&his.secret).await.unwrap().unwrap().company_id, w.other.company_id);
        assert_eq!(settings(&w, &w.ada).await.keys.len(), 1);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn finding_a_key_by_its_secret_stamps_when_it_was_last_used_by_the_stores_clock() {
    for t in common::stores().await {
        let clock = Clock::manual(1_800_000_000);
        let store = t.store.clone().with_clock(clock.clone());
        let w = world(&store).await;
        let key = created(&w, &w.ada, "Partner portal").await;
        assert_eq!(key.key.created_at, 1_800_000_000);

        clock.advance(60);
        assert!(store.api_key_by_secret(&key.secret).await.unwrap().is_some());
        assert_eq!(settings(&w, &w.ada).await.keys[0].last_used_at, Some(1_800_000_060), "{}", t.name);
        clock.advance(3_600);
        assert!(store.api_key_by_secret(&key.secret).await.unwrap().is_some());
        assert_eq!(settings(&w, &w.ada).await.keys[0].last_used_at, Some(1_800_003_660), "{}", t.name);

        // Near misses find nothing and stamp nothing.
        let mut near = key.secret.clone();
        near.pop();
        for wrong in [near.clone(), String::new(), key.key.prefix.clone(), conduit_server::tokens::token_hash(&key.secret)] {
            assert_eq!(store.api_key_by_secret(&wrong).await.unwrap(), None, "{}: {wrong}", t.name);
        }
        clock.advance(60);
        assert_eq!(settings(&w, &w.ada).await.keys[0].last_used_at, Some(1_800_003_660));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn origins_are_checked_at_their_field_normalised_and_replace_the_whole_list() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        assert_eq!(settings(&w, &w.ada).await.origins, Vec::<String>::new());

        let reply = put_origins(&w, &w.ada, &["HTTPS://Portal.Example:443/", "http://localhost:8080"]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        let answered: DeveloperSettings = reply.json();
        let expected = ["https://portal.example", "http://localhost:8080"];
        assert_eq!(answered.origins, expected, "{}", t.name);
        assert_eq!(settings(&w, &w.ada).await, answered);
        assert_eq!(w.store.embed_origins(w.company).await.unwrap(), expected);

        // Errors at each entry, the rule's sentences, never the input; nothing changes.
        let bad = ["https://ok.example", "http://plain-words.example", "https://x.example/secret-path", "https://OK.example"];
        let errors = field_errors(&put_origins(&w, &w.ada, &bad).await);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["origins.1", "origins.2", "origins.3"], "{}", t.name);
        assert_eq!(errors[0].1, origin(bad[1]).unwrap_err());
        assert_eq!(errors[1].1, origin(bad[2]).unwrap_err());
        assert_eq!(errors[2].1, "This origin is already in the list above.");
        for (_, message) in &errors {
            assert!(!message.contains("plain-words") && !message.contains("secret-path"), "{message}");
        }
        assert_eq!(settings(&w, &w.ada).await.origins, expected, "a refused list changes nothing");

        // Too many: the ones past the limit are named.
        let many: Vec<String> = (0..=MAX_ORIGINS).map(|n| format!("https://p{n}.example")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let errors = field_errors(&put_origins(&w, &w.ada, &many).await);
        assert_eq!(errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["origins.20"]);

        // The whole list is replaced, in the order given; an empty list clears it.
        let answered: DeveloperSettings = put_origins(&w, &w.ada, &["https://b.example", "https://portal.example"]).await.json();
        assert_eq!(answered.origins, ["https://b.example", "https://portal.example"], "{}", t.name);
        assert_eq!(settings(&w, &w.hank).await.origins, Vec::<String>::new(), "another company's list is its own");
        assert_eq!(put_origins(&w, &w.ada, &[]).await.status, StatusCode::OK);
        assert_eq!(w.store.embed_origins(w.company).await.unwrap(), Vec::<String>::new());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_developer_settings_need_a_signed_in_user_and_changes_come_from_conduits_own_pages() {
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    for (method, uri) in [(Method::GET, "/api/developer"), (Method::POST, "/api/developer/keys"), (Method::DELETE, "/api/developer/keys/1"), (Method::PUT, "/api/developer/origins")] {
        let reply = call(&w.app, method.clone(), uri, "", Some(r#"{"name":"x","origins":[]}"#.into())).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {uri}: {}", reply.text());
        assert_eq!(reply.error().code, ErrorCode::Unauthenticated);
    }

    // A page on another site cannot make a key with the user's cookie.
    let request = Request::post("/api/developer/keys")
        .header(header::COOKIE, &w.ada)
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"name":"stolen"}"#))
        .unwrap();
    let response = w.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(settings(&w, &w.ada).await.keys.is_empty());
    t.cleanup().await;
}

#[tokio::test]
async fn over_a_real_socket_the_secret_is_answered_once_and_never_cached() {
    let t = common::sqlite().await;
    common::seeded(&t.store).await;
    let state = common::state(t.store.clone(), std::path::PathBuf::from("missing"));
    let (listener, addr) = conduit_server::bind(&state.config).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(conduit_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let (base, own_origin) = (format!("http://{addr}/api"), format!("http://{addr}"));
    let login = serde_json::json!({"email": demo::EMAIL, "password": demo::PASSWORD});
    let signed_in = client.post(format!("{base}/session")).header("origin", &own_origin).json(&login).send().await.unwrap();
    assert_eq!(signed_in.status(), reqwest::StatusCode::OK);

    // The dashboard's own page makes a key: the only answer with its secret, not to be cached.
    let reply = client
        .post(format!("{base}/developer/keys"))
        .header("origin", &own_origin)
        .json(&serde_json::json!({"name": "Partner portal"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), reqwest::StatusCode::CREATED);
    assert_eq!(reply.headers()["cache-control"], "no-store");
    let created: CreatedApiKey = reply.json().await.unwrap();

    let listed = client.get(format!("{base}/developer")).send().await.unwrap();
    assert_eq!(listed.headers()["cache-control"], "no-store");
    let text = listed.text().await.unwrap();
    assert!(text.contains(&created.key.prefix) && !text.contains(&created.secret), "{text}");
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    t.cleanup().await;
}
