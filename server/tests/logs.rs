//! No secret reaches the logs: everything tracing writes during tests,
//! saves, a conflict, a failing save and an API key's life is captured and searched. Its own test
//! binary, so the capturing subscriber is the process's only one.

mod common;
#[path = "common/world.rs"]
mod world;

use std::sync::{Arc, Mutex};

use axum::http::{Method, StatusCode};
use conduit_types::developer::CreatedApiKey;
use conduit_types::draft::InstanceDraft;

use world::*;

/// Everything tracing writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let mut key_secrets = vec![];
    for t in common::stores().await {
        let w = world(&t.store).await;
        // An API key made, used and revoked.
        let body = serde_json::json!({"name": "Partner portal"}).to_string();
        let created = call(&w.app, Method::POST, "/api/developer/keys", &w.ada, Some(body)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let created: CreatedApiKey = created.json();
        assert!(w.store.api_key_by_secret(&created.secret).await.unwrap().is_some());
        let revoked = call(&w.app, Method::DELETE, &format!("/api/developer/keys/{}", created.key.id), &w.ada, None).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT);
        key_secrets.push(created.secret);
        let (saved, draft) = w.failed_then_new_token().await;
        let receipt = w.receipt(w.bearer, saved.version, &draft).await;
        assert_eq!(w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await.status, StatusCode::OK);
        // A stale save, and one that fails inside the database.
        assert_eq!(w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await.status, StatusCode::CONFLICT);
        let cc = w.settings(&w.ada, w.client_credentials).await;
        let cc_draft = InstanceDraft::from_settings(&cc);
        w.test(&w.ada, w.client_credentials, cc.version, &cc_draft).await;
        let now = w.settings(&w.ada, w.bearer).await;
        let mut again = InstanceDraft::from_settings(&now);
        replace(&mut again, "token", NEW_TOKEN);
        again.details.name = "x".into();
        let receipt = w.receipt(w.bearer, now.version, &again).await;
        break_history(&t).await;
        let failed = w.save(&w.ada, w.bearer, now.version, &again, Some(&receipt)).await;
        assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
        t.cleanup().await;
    }

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("tested a draft") && logs.contains("saved an instance"), "the capture works: {logs}");
    assert!(logs.contains("request failed"), "the failed save was logged");
    assert_no_secret("the logs", &logs);
    assert!(logs.contains("created an API key") && logs.contains("revoked an API key"), "the capture works: {logs}");
    for secret in key_secrets {
        assert!(!logs.contains(&secret) && !logs.contains(&secret[10..]), "an API key's secret is in the logs: {logs}");
    }
}

