//! Adding instances: a new draft of a connector (blank, or a duplicate of
//! an instance), testing and authorising it, and creating the instance.
//! Only a signed-in user may: an embed session's token is refused with 403,
//! as deleting is.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use conduit_types::create::{CreateInstanceRequest, NewInstanceDraft};
use conduit_types::draft::{AuthoriseRequest, AuthoriseStart, TestDraftRequest, TestDraftResponse};
use conduit_types::{Id, InstanceSettings};

use super::current_user::Principal;
use crate::error::{ApiJson, ApiPath, ApiResult};
use crate::instances;
use crate::store::SessionUser;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connectors/{id}/instances", post(create))
        .route("/connectors/{id}/instances/new", get(blank))
        .route("/connectors/{id}/instances/test", post(test))
        .route("/connectors/{id}/instances/authorise", post(authorise))
        .route("/instances/{id}/duplicate", get(duplicate))
        .layer(DefaultBodyLimit::max(super::certificates::BODY_LIMIT))
}

/// The signed-in user who adds an instance; 403 for an embed session.
fn creator(principal: Principal) -> ApiResult<SessionUser> {
    match principal {
        Principal::User(user) => Ok(user),
        Principal::Embed(_) => Err(instances::embed_may_not_create()),
    }
}

/// `GET /api/connectors/{id}/instances/new`: a blank draft of the connector.
async fn blank(State(state): State<AppState>, principal: Principal, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<NewInstanceDraft>> {
    let user = creator(principal)?;
    instances::new_instance_draft(&state, &user, id).await.map(Json)
}

/// `GET /api/instances/{id}/duplicate`: a new draft copying the instance,
/// without its secrets, client certificate or tokens. Nothing is created.
async fn duplicate(State(state): State<AppState>, principal: Principal, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<NewInstanceDraft>> {
    let user = creator(principal)?;
    instances::duplicate(&state, &user, id).await.map(Json)
}

/// `POST /api/connectors/{id}/instances/test`: tests a new draft; nothing
/// is saved. Dropping this future (the browser went away) stops the test.
async fn test(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<TestDraftRequest>,
) -> ApiResult<Json<TestDraftResponse>> {
    let user = creator(principal)?;
    instances::test_new(&state, &user, id, &request).await.map(Json)
}

/// `POST /api/connectors/{id}/instances/authorise`: starts authorising a
/// new draft with the provider, in a popup.
async fn authorise(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<AuthoriseRequest>,
) -> ApiResult<Json<AuthoriseStart>> {
    let user = creator(principal)?;
    instances::authorise_new(&state, &user, id, &request).await.map(Json)
}

/// `POST /api/connectors/{id}/instances`: creates an instance from a draft
/// that passed a test (or was authorised); 201 with its settings.
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(request): ApiJson<CreateInstanceRequest>,
) -> ApiResult<(StatusCode, Json<InstanceSettings>)> {
    let user = creator(principal)?;
    let created = instances::create(&state, &user, id, &request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
