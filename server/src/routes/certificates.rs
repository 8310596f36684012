//! `POST /api/certificates/inspect`: reads an upload for the certificates tab
//! and answers what it holds, or why it cannot be used. Nothing is stored.
//! A signed-in user may, and an embed session with `certificates`.

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::post;
use axum::{Json, Router};
use conduit_types::draft::CertificateUpload;
use conduit_types::StoredCertificates;

use super::current_user::Principal;
use crate::certificates::check_upload;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::AppState;

/// A certificate chain, a CA and a key as PEM, or a PKCS#12 archive as
/// base64: a few KiB usually, rarely more than 64 KiB.
pub const BODY_LIMIT: usize = 256 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/certificates/inspect", post(inspect))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn inspect(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(upload): ApiJson<CertificateUpload>,
) -> ApiResult<Json<StoredCertificates>> {
    let user_id = match &principal {
        Principal::User(user) => user.user_id,
        Principal::Embed(grant) => {
            grant.inspect_certificates()?;
            grant.acting_user_id
        }
    };
    let checked = check_upload(&upload, state.clock.now()).map_err(AppError::Validation)?;
    let fingerprint = |c: &Option<conduit_types::CertificateInfo>| c.as_ref().map(|c| c.sha256_fingerprint.clone());
    tracing::debug!(
        user_id,
        client = ?fingerprint(&checked.info.client),
        ca = ?fingerprint(&checked.info.ca),
        "inspected a certificate upload"
    );
    Ok(Json(checked.info))
}
