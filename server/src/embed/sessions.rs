//! Minting an embed session with a company API key, and exchanging its
//! one-time secret for a bearer token. Secrets and tokens are 256 random
//! bits, answered once and stored only as their hash.

use conduit_types::{EmbedSessionSecret, EmbedToken, NewEmbedSession};

use super::access::EmbedGrant;
use super::permissions::{parse_permissions, store_permissions};
use super::request::{check_request, expires_at, SECRET_SECONDS};
use crate::error::{ApiResult, AppError};
use crate::store::{EmbedSessionRecord, Store};
use crate::tokens::{prefixed_secret, token_hash};

/// What a session's one-time secret starts with.
pub const SECRET_PREFIX: &str = "cs_";
/// What an embed bearer token starts with.
pub const TOKEN_PREFIX: &str = "ct_";

/// The one sentence for a missing, unknown or revoked API key.
pub const BAD_KEY: &str = "Send a live company API key as Authorization: Bearer <key>. This one is missing, unknown or revoked.";
/// The one sentence for a secret that is unknown, used or expired.
pub const BAD_SECRET: &str = "This embed session has expired or was already used. Ask the host page for a new one.";
/// The sentence for a secret sent from a page of another origin than its session's.
pub const OTHER_ORIGIN: &str =
    "This embed session was started for another site, so it cannot be used here. It has been used up; ask the host page for a new one.";

/// Starts a session for the key's company with `key_secret` (the bearer
/// credential as sent): the answer holds its one-time secret.
pub async fn mint(store: &Store, key_secret: Option<&str>, new: &NewEmbedSession) -> ApiResult<EmbedSessionSecret> {
    let bad_key = || AppError::BadBearer(BAD_KEY.to_owned());
    let key_secret = key_secret.ok_or_else(bad_key)?;
    let owner = store.api_key_by_secret(key_secret).await?.ok_or_else(bad_key)?;
    let allowed = store.embed_origins(owner.company_id).await?;
    let checked = check_request(new, &allowed).map_err(AppError::Validation)?;
    let secret = prefixed_secret(SECRET_PREFIX);
    let secret_hash = token_hash(&secret);
    let permissions = store_permissions(&new.permissions);
    let expires_at = expires_at(store.clock().now(), SECRET_SECONDS);
    let record = EmbedSessionRecord {
        company_id: owner.company_id,
        instance_id: new.instance,
        api_key_id: owner.key_id,
        origin: &checked.origin,
        user_name: &checked.user_name,
        permissions: &permissions,
        secret_hash: &secret_hash,
        expires_at,
    };
    if !store.create_embed_session(&record).await? {
        return Err(AppError::not_found("instance"));
    }
    tracing::info!(company_id = owner.company_id, key_id = owner.key_id, instance_id = new.instance, "started an embed session");
    Ok(EmbedSessionSecret { secret, expires_at, company: owner.company_id })
}

/// The embed session a live bearer token stands for; `None` for a token
/// that is unknown or expired, or whose API key was revoked.
pub async fn grant(store: &Store, token: &str) -> ApiResult<Option<EmbedGrant>> {
    let Some(row) = store.embed_session_by_token(&token_hash(token)).await? else {
        return Ok(None);
    };
    let s = row.session;
    Ok(Some(EmbedGrant {
        session_id: s.session_id,
        company_id: s.company_id,
        instance_id: s.instance_id,
        acting_user_id: row.acting_user_id,
        permissions: parse_permissions(&s.permissions),
        origin: s.origin,
        user_name: s.user_name,
    }))
}

/// Uses a session's one-time secret, once, before it expires: the answer
/// holds the bearer token for the session's instance, living
/// `token_seconds`. A secret sent from a page of another `origin` than the
/// session's is refused, and used up all the same.
pub async fn exchange(store: &Store, secret: &str, origin: &str, token_seconds: i64) -> ApiResult<EmbedToken> {
    // Not an origin matches no session's (an empty text is never stored).
    let origin = conduit_types::address::origin(origin).unwrap_or_default();
    let token = prefixed_secret(TOKEN_PREFIX);
    let token_expires_at = expires_at(store.clock().now(), token_seconds);
    let session = store
        .exchange_embed_secret(&token_hash(secret), &origin, &token_hash(&token), token_expires_at)
        .await?
        .ok_or_else(|| AppError::BadBearer(BAD_SECRET.to_owned()))?;
    if session.origin != origin {
        tracing::info!(company_id = session.company_id, session_id = session.session_id, "refused an embed secret sent from another origin");
        return Err(AppError::Forbidden(OTHER_ORIGIN.to_owned()));
    }
    tracing::info!(company_id = session.company_id, instance_id = session.instance_id, session_id = session.session_id, "exchanged an embed secret");
    Ok(EmbedToken {
        token,
        expires_at: session.token_expires_at,
        instance: session.instance_id,
        permissions: parse_permissions(&session.permissions),
        origin: session.origin,
        user_name: session.user_name,
    })
}
