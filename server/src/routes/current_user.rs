//! Who a request acts for: the signed-in user of the session cookie, or,
//! for the instance routes, an embed session's bearer token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

use crate::bearer::bearer;
use crate::auth::{self, SESSION_COOKIE};
use crate::embed::{self, EmbedGrant};
use crate::error::AppError;
use crate::origin::{from_origin, refuse_marked, BearerOrigin, REFUSED};
use crate::store::SessionUser;
use crate::AppState;

/// The one sentence for an embed token that is unknown or expired.
pub const BAD_TOKEN: &str = "This embedded session has expired. Reload it from the host page.";

/// The request's session token: the session cookie's value, if it has one.
pub fn session_token(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
}

/// The signed-in user; rejects the request with 401 when there is none.
pub struct CurrentUser(pub SessionUser);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        refuse_marked(&parts.extensions)?;
        let token = session_token(&CookieJar::from_headers(&parts.headers)).ok_or(AppError::Unauthenticated)?;
        auth::signed_in(&state.store, Some(&token)).await?.map(CurrentUser).ok_or(AppError::Unauthenticated)
    }
}

/// Who an instance route acts for.
pub enum Principal {
    /// A signed-in user, by the session cookie.
    User(SessionUser),
    /// An embed session, by `Authorization: Bearer <embed token>`.
    Embed(EmbedGrant),
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    /// A bearer token, when sent, decides alone (a cookie beside it is not
    /// read); without one, the session cookie. A change the Origin guard
    /// handed on marked is accepted only from the session's own origin.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = bearer(&parts.headers) else {
            return CurrentUser::from_request_parts(parts, state).await.map(|CurrentUser(user)| Principal::User(user));
        };
        let grant = embed::grant(&state.store, token).await?.ok_or_else(|| AppError::BadBearer(BAD_TOKEN.to_owned()))?;
        match parts.extensions.get::<BearerOrigin>() {
            Some(mark) if !from_origin(mark, &grant.origin) => Err(AppError::Forbidden(REFUSED.to_owned())),
            _ => Ok(Principal::Embed(grant)),
        }
    }
}
