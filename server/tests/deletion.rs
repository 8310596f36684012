//! Deleting an instance through the API, on every configured database:
//! refused while process flows use it (naming them), otherwise gone with
//! its secrets, key material and tokens, and recorded for the company.

mod common;
#[path = "common/world.rs"]
mod world;

use axum::http::{Method, StatusCode};
use conduit_server::demo;
use conduit_types::{ConnectorList, ErrorCode, InstanceInUse, ProcessFlowRef};
use sqlx::Row;

use world::*;

fn delete_uri(id: conduit_types::Id) -> String {
    format!("/api/instances/{id}")
}

#[tokio::test]
async fn an_instance_in_use_is_not_deleted_and_the_refusal_names_every_flow() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let nightly = w.store.create_process_flow(w.company, "Nightly orders", true, &[w.bearer]).await.unwrap();
        let paused = w.store.create_process_flow(w.company, "Archive orders", false, &[w.bearer, w.client_credentials]).await.unwrap();

        let reply = call(&w.app, Method::DELETE, &delete_uri(w.bearer), &w.ada, None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {}", t.name, reply.text());
        let refusal: InstanceInUse = reply.json();
        assert_eq!(refusal.code, ErrorCode::InUse);
        assert_eq!(
            refusal.flows,
            vec![
                ProcessFlowRef { id: paused, name: "Archive orders".into(), enabled: false },
                ProcessFlowRef { id: nightly, name: "Nightly orders".into(), enabled: true },
            ]
        );
        assert_eq!(
            refusal.message,
            "This instance cannot be deleted while the process flows “Archive orders” (disabled) and “Nightly orders” use it. Remove it from those flows first."
        );
        // Read as the one error body, it is the sentence.
        assert_eq!(reply.error().message, refusal.message);

        // Nothing was deleted.
        assert_eq!(w.settings(&w.ada, w.bearer).await.id, w.bearer);
        assert!(w.store.instance_deletions(w.company).await.unwrap().is_empty());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_unused_instance_is_deleted_with_its_secrets_and_the_deletion_is_recorded() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let raw = t.raw().await;
        // Key material and tokens as a saved instance may hold them.
        sqlx::query("UPDATE instances SET certificate_key = 'sealed-key', oauth_tokens = 'sealed-tokens' WHERE id = $1")
            .bind(w.bearer)
            .execute(&raw)
            .await
            .unwrap();
        let (saved, draft, receipt) = w.tested_new_token().await;
        assert!(!w.history(&w.ada, w.bearer).await.text().contains("\"entries\":[]"), "the test is in the history");

        // Another company's user: like an unknown instance, and nothing happens.
        let reply = call(&w.app, Method::DELETE, &delete_uri(w.bearer), &w.hank, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", t.name);
        assert_eq!(reply.error().code, ErrorCode::NotFound);
        assert_eq!(w.settings(&w.ada, w.bearer).await.id, w.bearer);

        let reply = call(&w.app, Method::DELETE, &delete_uri(w.bearer), &w.ada, None).await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", t.name, reply.text());

        // No row holds its secrets, key or tokens any more; its events are gone.
        // (The secrets, certificate key and OAuth tokens are sealed columns of the instance's row.)
        let left = sqlx::query("SELECT COUNT(*) AS n FROM instances WHERE id = $1").bind(w.bearer).fetch_one(&raw).await.unwrap();
        assert_eq!(left.try_get::<i64, _>("n").unwrap(), 0, "{}", t.name);
        let stored_anywhere = sqlx::query("SELECT COUNT(*) AS n FROM instances WHERE certificate_key = 'sealed-key' OR oauth_tokens = 'sealed-tokens'")
            .fetch_one(&raw)
            .await
            .unwrap();
        assert_eq!(stored_anywhere.try_get::<i64, _>("n").unwrap(), 0);
        let events = sqlx::query("SELECT COUNT(*) AS n FROM instance_events WHERE instance_id = $1").bind(w.bearer).fetch_one(&raw).await.unwrap();
        assert_eq!(events.try_get::<i64, _>("n").unwrap(), 0);
        raw.close().await;

        // The API knows it no more: read, history, list, a second delete, a save with an old receipt.
        let reply = call(&w.app, Method::GET, &delete_uri(w.bearer), &w.ada, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(w.history(&w.ada, w.bearer).await.status, StatusCode::NOT_FOUND);
        let list: ConnectorList = call(&w.app, Method::GET, "/api/connectors", &w.ada, None).await.json();
        let ids: Vec<_> = list.connectors.iter().flat_map(|c| &c.instances).map(|i| i.id).collect();
        assert!(!ids.contains(&w.bearer) && ids.contains(&w.client_credentials), "{ids:?}");
        assert_eq!(call(&w.app, Method::DELETE, &delete_uri(w.bearer), &w.ada, None).await.status, StatusCode::NOT_FOUND);
        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "a receipt for a deleted instance is of no use");

        // The company's record names the instance, who deleted it and when.
        let records = w.store.instance_deletions(w.company).await.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].instance_id, w.bearer);
        assert_eq!(records[0].instance_name, "Orders API");
        assert_eq!(records[0].connector_name, "HTTP API");
        assert_eq!(records[0].deleted_by, demo::USER_NAME);
        assert_eq!(records[0].at, w.store.clock().now());
        assert!(w.store.instance_deletions(w.other.company_id).await.unwrap().is_empty(), "only the company's own");
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
async fn an_embed_session_may_not_delete_and_its_session_ends_with_the_instance() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let token = embed_token(&w).await;
        assert_eq!(with_bearer(&w, Method::GET, &delete_uri(w.bearer), Some(&token), None).await.status, StatusCode::OK, "{}", t.name);

        let reply = with_bearer(&w, Method::DELETE, &delete_uri(w.bearer), Some(&token), None).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        assert_eq!(reply.error().message, "An embedded page cannot delete its instance. Delete it from conduit itself.");
        assert_eq!(w.settings(&w.ada, w.bearer).await.id, w.bearer, "nothing was deleted");

        // Deleted by a signed-in user, the instance takes its embed sessions with it.
        assert_eq!(call(&w.app, Method::DELETE, &delete_uri(w.bearer), &w.ada, None).await.status, StatusCode::NO_CONTENT);
        assert_eq!(with_bearer(&w, Method::GET, &delete_uri(w.bearer), Some(&token), None).await.status, StatusCode::UNAUTHORIZED);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_new_instance_never_gets_a_deleted_ones_id() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        // The newest instance is the one deleted: SQLite would hand its id out again.
        let last = http_api_instance(&w.store, w.company, "Last", "http://127.0.0.1:9".into(), "bearer", Default::default(), Default::default()).await;
        assert_eq!(call(&w.app, Method::DELETE, &delete_uri(last), &w.ada, None).await.status, StatusCode::NO_CONTENT);
        let next = http_api_instance(&w.store, w.company, "Next", "http://127.0.0.1:9".into(), "bearer", Default::default(), Default::default()).await;
        assert!(next > last, "{}: {next} after {last}", t.name);
        assert_eq!(call(&w.app, Method::GET, &delete_uri(last), &w.ada, None).await.status, StatusCode::NOT_FOUND);
        t.cleanup().await;
    }
}
