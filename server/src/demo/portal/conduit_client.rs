//! The portal backend's one call to conduit: `POST` JSON with the demo API
//! key as a bearer, over plain HTTP/1.1 (hyper), every step bounded in time.
//! conduit's answer comes back as it is: status and body.

use std::time::Duration;

use anyhow::Context;
use axum::http::{header, Request, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::rules::Conduit;

const STEP: Duration = Duration::from_secs(10);
const MAX_ANSWER: usize = 64 * 1024;

/// conduit's answer.
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

/// The API key the portal sends. No Debug: it must never reach a log line.
pub struct ApiKey(pub String);

/// `POST <conduit><path>` with `body` (JSON) and `Authorization: Bearer <key>`.
pub async fn post_json(conduit: &Conduit, path: &str, key: &ApiKey, body: Vec<u8>) -> anyhow::Result<Answer> {
    let stream = timeout(STEP, TcpStream::connect(&conduit.authority)).await.context("connecting timed out")??;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    let request = Request::post(conduit.path(path))
        .header(header::HOST, &conduit.authority)
        .header(header::AUTHORIZATION, format!("Bearer {}", key.0))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(Full::new(Bytes::from(body)))?;
    let response = timeout(STEP, sender.send_request(request)).await.context("the answer timed out")??;
    let status = response.status();
    let body = timeout(STEP, Limited::new(response.into_body(), MAX_ANSWER).collect())
        .await
        .context("the answer's body timed out")?
        .map_err(|e| anyhow::anyhow!("reading the answer failed: {e}"))?
        .to_bytes();
    Ok(Answer { status, body })
}
