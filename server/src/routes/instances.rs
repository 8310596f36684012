//! One instance's settings: read, test a draft, save a draft, history;
//! deleting the instance.
//!
//! Every route answers for the signed-in user's company only; another
//! company's instance is answered exactly like a missing one. The rules
//! are the application layer's ([`crate::instances`]).

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use conduit_types::draft::{InstanceHistory, SaveRequest, TestDraftRequest, TestDraftResponse};
use conduit_types::InstanceSettings;

use super::instance_call::InstanceCall;
use crate::embed::Use;
use crate::error::{ApiJson, ApiResult};
use crate::instances;
use crate::AppState;

/// A draft holds a few dozen short values, and perhaps a certificate upload.
const BODY_LIMIT: usize = super::certificates::BODY_LIMIT;

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/instances/{id}", get(read).put(save).delete(delete))
        .route("/instances/{id}/test", post(test))
        .route("/instances/{id}/history", get(history))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn read(call: InstanceCall) -> ApiResult<Json<InstanceSettings>> {
    instances::settings(&call.state, &call.user, call.id).await.map(Json)
}

/// `POST /api/instances/{id}/test`: tests a draft; nothing of it is saved.
/// Dropping this future (the browser went away) stops the test.
async fn test(call: InstanceCall, ApiJson(request): ApiJson<TestDraftRequest>) -> ApiResult<Json<TestDraftResponse>> {
    call.allow(Use::Test, &request.draft).await?;
    instances::test_draft(&call.state, &call.user, call.id, &request).await.map(Json)
}

/// `PUT /api/instances/{id}`: saves all three tabs of a draft at once.
async fn save(call: InstanceCall, ApiJson(request): ApiJson<SaveRequest>) -> ApiResult<Json<InstanceSettings>> {
    call.allow(Use::Save { authorised: request.authorisation.is_some() }, &request.draft).await?;
    instances::save_draft(&call.state, &call.user, call.id, &request).await.map(Json)
}

/// `GET /api/instances/{id}/history`: tests and saves, newest first.
async fn history(call: InstanceCall) -> ApiResult<Json<InstanceHistory>> {
    instances::history(&call.state, &call.user, call.id).await.map(Json)
}

/// `DELETE /api/instances/{id}`: 204, or 409 naming the flows that use it;
/// 403 for an embed session.
async fn delete(call: InstanceCall) -> ApiResult<StatusCode> {
    instances::may_delete(call.embed.is_some())?;
    instances::delete_instance(&call.state, &call.user, call.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
