//! The signed-in user, extracted from the request's session cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

use crate::auth::{self, SESSION_COOKIE};
use crate::error::AppError;
use crate::store::SessionUser;
use crate::AppState;

/// The request's session token: the session cookie's value, if it has one.
pub fn session_token(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

/// The signed-in user; rejects the request with 401 when there is none.
pub struct CurrentUser(pub SessionUser);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = session_token(&CookieJar::from_headers(&parts.headers)).ok_or(AppError::Unauthenticated)?;
        auth::signed_in(&state.store, Some(&token)).await?.map(CurrentUser).ok_or(AppError::Unauthenticated)
    }
}
