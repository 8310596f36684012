//! The OAuth 2 tokens of authorisation-code instances, sealed like the
//! secrets but in a column of their own (`oauth_tokens`), so a save that
//! rebuilds the secrets map keeps them.

use conduit_types::{Id, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

use super::handle::Store;
use crate::crypto::Keyring;
use crate::engine::OAuthTokens;

/// The sealed JSON. Wrapped in its own key, so a secrets map (all string
/// values) never reads as tokens, nor tokens as a secrets map.
#[derive(Serialize, Deserialize)]
struct Sealed {
    oauth_tokens: Plain,
}

#[derive(Serialize, Deserialize)]
struct Plain {
    access_token: String,
    refresh_token: Option<String>,
    expires_at: Option<Timestamp>,
}

fn seal(keys: &Keyring, instance_id: Id, tokens: &OAuthTokens) -> anyhow::Result<String> {
    let sealed = Sealed {
        oauth_tokens: Plain {
            access_token: tokens.access_token.clone(),
            refresh_token: tokens.refresh_token.clone(),
            expires_at: tokens.expires_at,
        },
    };
    keys.vault.seal(instance_id, &serde_json::to_vec(&sealed)?)
}

fn open(keys: &Keyring, instance_id: Id, sealed: &str) -> anyhow::Result<OAuthTokens> {
    let json = keys
        .vault
        .open(instance_id, sealed)
        .map_err(|e| anyhow::anyhow!("could not read the OAuth tokens of instance {instance_id}: {e}"))?;
    let Sealed { oauth_tokens: t } = serde_json::from_slice(&json)
        .map_err(|_| anyhow::anyhow!("the OAuth tokens of instance {instance_id} are not in the stored format"))?;
    Ok(OAuthTokens { access_token: t.access_token, refresh_token: t.refresh_token, expires_at: t.expires_at, scope: None })
}

/// What a save of an instance does to its tokens.
pub(super) struct TokenChange<'a> {
    pub(super) company_id: Id,
    pub(super) instance_id: Id,
    /// The method the instance has after the save.
    pub(super) auth_method: &'a str,
    /// New tokens from authorising with the provider, if the save has any.
    pub(super) tokens: Option<&'a OAuthTokens>,
}

/// Part of a save, in its transaction, before the instance's row is
/// updated: a save that changes the method drops the tokens; a save that
/// carries new tokens stores them and when they were authorised.
pub(super) async fn save(
    tx: &mut Transaction<'static, Any>,
    keys: &Keyring,
    update: &TokenChange<'_>,
    now: Timestamp,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE instances SET oauth_tokens = NULL, authorised_at = NULL
         WHERE id = $1 AND company_id = $2 AND auth_method <> $3",
    )
    .bind(update.instance_id)
    .bind(update.company_id)
    .bind(update.auth_method)
    .execute(&mut **tx)
    .await?;
    if let Some(tokens) = update.tokens {
        sqlx::query("UPDATE instances SET oauth_tokens = $1, authorised_at = $2 WHERE id = $3 AND company_id = $4")
            .bind(seal(keys, update.instance_id, tokens)?)
            .bind(now)
            .bind(update.instance_id)
            .bind(update.company_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The instance's stored OAuth tokens and when they were authorised, if
    /// it has any and belongs to `company_id`.
    pub async fn oauth_tokens(
        &self,
        company_id: Id,
        instance_id: Id,
    ) -> anyhow::Result<Option<(OAuthTokens, Timestamp)>> {
        let row = sqlx::query(
            "SELECT oauth_tokens, authorised_at FROM instances
             WHERE id = $1 AND company_id = $2 AND oauth_tokens IS NOT NULL",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let sealed: String = r.try_get("oauth_tokens")?;
            let at: Option<Timestamp> = r.try_get("authorised_at")?;
            Ok((open(&self.keys, instance_id, &sealed)?, at.unwrap_or_default()))
        })
        .transpose()
    }

    /// Replaces the tokens of the authorisation made at `authorised_at` with
    /// renewed ones (a refresh). Nothing changes when the instance was
    /// authorised again or changed method since; answers whether it stored.
    pub async fn renew_oauth_tokens(
        &self,
        company_id: Id,
        instance_id: Id,
        authorised_at: Timestamp,
        tokens: &OAuthTokens,
    ) -> anyhow::Result<bool> {
        let statement = sqlx::query(
            "UPDATE instances SET oauth_tokens = $1
             WHERE id = $2 AND company_id = $3 AND authorised_at = $4 AND oauth_tokens IS NOT NULL",
        )
        .bind(seal(&self.keys, instance_id, tokens)?)
        .bind(instance_id)
        .bind(company_id)
        .bind(authorised_at);
        self.changed_one(statement).await
    }
}
