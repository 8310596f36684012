//! Signing in and out.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use conduit_types::{FieldError, LoginRequest, Me};

use super::current_user::CurrentUser;
use crate::auth::{self, SESSION_COOKIE, SESSION_SECONDS};
use crate::base_path;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::sign_in_limit;
use crate::web_headers::came_over_https;
use crate::AppState;

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/me", get(me))
}

async fn sign_in(
    State(state): State<AppState>,
    connection: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<(CookieJar, Json<Me>)> {
    let mut missing = vec![];
    if request.email.trim().is_empty() {
        missing.push(FieldError {
            field: "email".into(),
            message: "Enter your email address.".into(),
        });
    }
    if request.password.is_empty() {
        missing.push(FieldError {
            field: "password".into(),
            message: "Enter your password.".into(),
        });
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }

    let address = sign_in_limit::client_address(connection.map(|Extension(ConnectInfo(peer))| peer), &headers, state.config.trust_forwarded_for);
    let attempt = state
        .sign_in_limit
        .begin(&request.email, address, Instant::now())
        .map_err(|wait| {
            tracing::info!("sign-in refused: too many attempts");
            AppError::RetryLater {
                message: sign_in_limit::wait_message(wait),
                retry_after_secs: sign_in_limit::retry_after_secs(wait),
            }
        })?;

    let credentials = state.store.credentials(&request.email).await?;
    // Argon2 is slow on purpose: keep it off the async workers.
    let password = request.password;
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || auth::verify_password(&password, stored.as_deref()))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(credentials) = credentials.filter(|_| verified) else {
        tracing::info!("sign-in refused");
        return Err(AppError::BadCredentials);
    };
    state.sign_in_limit.succeeded(attempt);

    let (token, token_hash) = auth::new_session_token();
    state
        .store
        .create_session(&token_hash, credentials.user_id, state.clock.now() + SESSION_SECONDS)
        .await?;
    let user = state
        .store
        .session_user(&token_hash)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a new session was not found")))?;
    tracing::info!(user_id = user.user_id, "signed in");

    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path(base_path::cookie_path(&state.config.base_path).to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies || state.config.public_url_is_https() || came_over_https(&headers))
        .max_age(time_seconds(SESSION_SECONDS))
        .build();
    Ok((jar.add(cookie), Json(user.me)))
}

async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> ApiResult<(CookieJar, StatusCode)> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        state
            .store
            .delete_session(&auth::token_hash(cookie.value()))
            .await?;
    }
    let removal = Cookie::build((SESSION_COOKIE, "")).path(base_path::cookie_path(&state.config.base_path).to_owned()).build();
    Ok((jar.remove(removal), StatusCode::NO_CONTENT))
}

async fn me(CurrentUser(user): CurrentUser) -> Json<Me> {
    Json(user.me)
}

fn time_seconds(seconds: i64) -> time::Duration {
    time::Duration::seconds(seconds)
}
