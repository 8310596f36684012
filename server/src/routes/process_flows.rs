//! A process flow and its runs: `GET /process-flows/{id}` (the flow with
//! its recent runs), `GET /process-flows/{id}/runs` and
//! `POST /process-flows/{id}/run` (run now: 202, the run goes on in the
//! background).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use conduit_types::{FlowRun, Id, ProcessFlow, StartedRun};

use super::current_user::CurrentUser;
use crate::error::{ApiPath, ApiResult};
use crate::flows::view;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/process-flows/{id}", get(flow))
        .route("/process-flows/{id}/runs", get(runs))
        .route("/process-flows/{id}/run", post(run_now))
}

async fn flow(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<ProcessFlow>> {
    Ok(Json(view::process_flow(&state, user.company_id, id).await?))
}

async fn runs(State(state): State<AppState>, CurrentUser(user): CurrentUser, ApiPath(id): ApiPath<Id>) -> ApiResult<Json<Vec<FlowRun>>> {
    Ok(Json(view::runs(&state, user.company_id, id).await?))
}

async fn run_now(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<Id>,
) -> ApiResult<(StatusCode, Json<StartedRun>)> {
    Ok((StatusCode::ACCEPTED, Json(view::run_now(&state, user.company_id, id).await?)))
}
