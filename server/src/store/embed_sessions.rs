//! Embed sessions (`embed_sessions`): started with a company API key for one
//! of the company's instances, their one-time secret exchanged once for a
//! bearer token, and the session a live token stands for. Secrets and
//! tokens reach the store only as their hashes.

use conduit_types::{Id, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::handle::Store;

/// A session to store: what it is bound to, and its secret's hash.
#[derive(Clone, Debug)]
pub struct EmbedSessionRecord<'a> {
    pub company_id: Id,
    pub instance_id: Id,
    pub api_key_id: Id,
    /// Normalised, and one the company allows.
    pub origin: &'a str,
    pub user_name: &'a str,
    /// The permissions as stored: comma-separated snake_case names.
    pub permissions: &'a str,
    /// `token_hash` of the one-time secret.
    pub secret_hash: &'a str,
    pub expires_at: Timestamp,
}

/// What a session is bound to, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedSessionRow {
    pub session_id: Id,
    pub company_id: Id,
    pub instance_id: Id,
    pub origin: String,
    pub user_name: String,
    pub permissions: String,
    /// When its bearer token expires (the exchange's answer).
    pub token_expires_at: Timestamp,
}

/// A live token's session, and the user its API key was created by, in
/// whose name (and the session's end user's) its changes are stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedTokenRow {
    pub session: EmbedSessionRow,
    pub acting_user_id: Id,
}

const COLUMNS: &str = "id, company_id, instance_id, origin, user_name, permissions, token_expires_at";

fn session_row(row: &AnyRow) -> anyhow::Result<EmbedSessionRow> {
    Ok(EmbedSessionRow {
        session_id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        instance_id: row.try_get("instance_id")?,
        origin: row.try_get("origin")?,
        user_name: row.try_get("user_name")?,
        permissions: row.try_get("permissions")?,
        token_expires_at: row.try_get("token_expires_at")?,
    })
}

impl Store {
    /// Stores a new session, created now, if its instance is the company's;
    /// whether it was (another company's instance stores nothing).
    pub async fn create_embed_session(&self, session: &EmbedSessionRecord<'_>) -> anyhow::Result<bool> {
        let now = self.now();
        sqlx::query("DELETE FROM embed_sessions WHERE used_at IS NULL AND expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO embed_sessions (company_id, instance_id, api_key_id, origin, user_name, permissions, secret_hash, created_at, expires_at)
             SELECT company_id, id, $1, $2, $3, $4, $5, $6, $7 FROM instances WHERE id = $8 AND company_id = $9",
        )
        .bind(session.api_key_id)
        .bind(session.origin)
        .bind(session.user_name)
        .bind(session.permissions)
        .bind(session.secret_hash)
        .bind(now)
        .bind(session.expires_at)
        .bind(session.instance_id)
        .bind(session.company_id)
        .execute(&self.pool)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Uses the session whose secret hashes to `secret_hash`, once, if it has
    /// not expired: one statement marks it used and, if it is bound to
    /// `origin`, gives it the bearer token `token_hash` (a session of another
    /// origin is used up with no token), so of two racing exchanges only one
    /// finds it.
    pub async fn exchange_embed_secret(
        &self,
        secret_hash: &str,
        origin: &str,
        token_hash: &str,
        token_expires_at: Timestamp,
    ) -> anyhow::Result<Option<EmbedSessionRow>> {
        let now = self.now();
        let row = sqlx::query(&format!(
            "UPDATE embed_sessions SET used_at = $1, token_hash = CASE WHEN origin = $5 THEN $2 ELSE NULL END, token_expires_at = $3
             WHERE secret_hash = $4 AND used_at IS NULL AND expires_at > $1
             RETURNING {COLUMNS}"
        ))
        .bind(now)
        .bind(token_hash)
        .bind(token_expires_at)
        .bind(secret_hash)
        .bind(origin)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(session_row).transpose()
    }

    /// The session whose live bearer token hashes to `token_hash`, while
    /// the API key that started it is not revoked.
    pub async fn embed_session_by_token(&self, token_hash: &str) -> anyhow::Result<Option<EmbedTokenRow>> {
        let row = sqlx::query(
            "SELECT s.id, s.company_id, s.instance_id, s.origin, s.user_name, s.permissions, s.token_expires_at, k.created_by
             FROM embed_sessions s JOIN api_keys k ON k.id = s.api_key_id
             WHERE s.token_hash = $1 AND s.token_expires_at > $2 AND k.revoked_at IS NULL",
        )
        .bind(token_hash)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok(EmbedTokenRow { session: session_row(&r)?, acting_user_id: r.try_get("created_by")? })).transpose()
    }
}
