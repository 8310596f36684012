//! A company's API keys (`api_keys`): created, listed, revoked, and found by
//! the hash of their secret. The secret itself never reaches the store; a
//! key is stored by its hash and shown by its first characters.

use conduit_types::developer::ApiKeySummary;
use conduit_types::Id;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::handle::Store;
use crate::tokens::token_hash;

/// A key to store: everything but its secret.
#[derive(Clone, Debug)]
pub struct ApiKeyRecord<'a> {
    pub company_id: Id,
    /// The user creating it.
    pub created_by: Id,
    pub name: &'a str,
    pub prefix: &'a str,
    /// [`token_hash`] of the secret.
    pub secret_hash: &'a str,
}

/// Whose a live key is: what a request made with it acts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiKeyOwner {
    pub key_id: Id,
    pub company_id: Id,
}

const SUMMARY: &str = "SELECT k.id, k.name, k.prefix, k.created_at, u.name AS created_by, k.last_used_at
     FROM api_keys k JOIN users u ON u.id = k.created_by
     WHERE k.company_id = $1 AND k.revoked_at IS NULL";

fn summary(row: &AnyRow) -> anyhow::Result<ApiKeySummary> {
    Ok(ApiKeySummary {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        prefix: row.try_get("prefix")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

impl Store {
    /// Stores a new key, created now, and answers it as listed.
    pub async fn create_api_key(&self, key: &ApiKeyRecord<'_>) -> anyhow::Result<ApiKeySummary> {
        let row = sqlx::query(
            "INSERT INTO api_keys (company_id, name, prefix, secret_hash, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(key.company_id)
        .bind(key.name)
        .bind(key.prefix)
        .bind(key.secret_hash)
        .bind(key.created_by)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await?;
        let id: Id = row.try_get("id")?;
        let row = sqlx::query(&format!("{SUMMARY} AND k.id = $2"))
            .bind(key.company_id)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        summary(&row)
    }

    /// The company's keys that are not revoked, newest first.
    pub async fn api_keys(&self, company_id: Id) -> anyhow::Result<Vec<ApiKeySummary>> {
        sqlx::query(&format!("{SUMMARY} ORDER BY k.created_at DESC, k.id DESC"))
            .bind(company_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(summary)
            .collect()
    }

    /// Revokes one of the company's live keys; whether there was one with
    /// that id (another company's key is not found).
    pub async fn revoke_api_key(&self, company_id: Id, key_id: Id) -> anyhow::Result<bool> {
        self.changed_one(
            sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND company_id = $3 AND revoked_at IS NULL")
                .bind(self.now())
                .bind(key_id)
                .bind(company_id),
        )
        .await
    }

    /// The live key whose secret is `secret`, found by its hash, stamped as
    /// used now. A revoked or unknown key is `None`.
    pub async fn api_key_by_secret(&self, secret: &str) -> anyhow::Result<Option<ApiKeyOwner>> {
        let row = sqlx::query(
            "UPDATE api_keys SET last_used_at = $1 WHERE secret_hash = $2 AND revoked_at IS NULL
             RETURNING id, company_id",
        )
        .bind(self.now())
        .bind(token_hash(secret))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok(ApiKeyOwner { key_id: r.try_get("id")?, company_id: r.try_get("company_id")? }))
            .transpose()
    }
}
