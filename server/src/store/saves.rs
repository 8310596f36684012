//! Saving an instance: all three tabs at once, from the version the user
//! started at, in one transaction with its history entry; and who saved
//! last, for a save that came too late.

use std::collections::BTreeMap;

use conduit_types::{ConflictInfo, Id, InstanceDetails, InstanceEventKind, InstanceStatus, Timestamp};
use sqlx::Row;

use super::certificates::CertificateChange;
use super::handle::Store;
use super::history::SaveEvent;
use super::instances::bind_details;
use super::oauth_tokens;
use super::connector_pages;
use super::publish::Actor;
use super::rows;
use super::secrets::Secrets;
use crate::engine::OAuthTokens;

/// One save of all three tabs of an instance, made from `base_version`.
#[derive(Clone, Debug)]
pub struct InstanceUpdate<'a> {
    pub company_id: Id,
    pub instance_id: Id,
    pub user_id: Id,
    pub base_version: i64,
    pub details: &'a InstanceDetails,
    pub auth_method: &'a str,
    /// Values of the method's non-secret fields, by key.
    pub auth_fields: &'a BTreeMap<String, String>,
    /// Every secret the instance keeps after the save, in plain text.
    pub secrets: &'a Secrets,
    /// When the save carries a passing test: the instance becomes
    /// operational, tested then. Otherwise status and test time stay.
    pub tested_at: Option<Timestamp>,
    pub certificate: CertificateChange<'a>,
    /// The labels of the fields that changed, for the history.
    pub changed: &'a [String],
    /// New tokens from authorising with the provider, stored sealed. Without
    /// them the stored tokens stay, unless the method changes.
    pub oauth_tokens: Option<&'a OAuthTokens>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved { version: i64 },
    /// The instance is no longer at the base version (or is not the company's).
    Stale,
}

/// Who saved an instance last.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastSave {
    pub user_id: Id,
    /// Whom the user acted for, when it was an embed session's end user
    /// ("Jane Doe via portal.example").
    pub acting_as: Option<String>,
    pub info: ConflictInfo,
}

impl Store {
    /// Saves all three tabs at once, from `base_version`, and records the
    /// save in the history: one transaction, so either all of it is stored
    /// or none. A stale base version (someone saved in between) stores nothing.
    pub async fn save_instance(&self, update: &InstanceUpdate<'_>) -> anyhow::Result<SaveOutcome> {
        self.save_instance_as(update, None).await
    }

    /// [`Store::save_instance`], the history naming `actor_name` instead of
    /// the user when given (an embed session's end user).
    pub async fn save_instance_as(&self, update: &InstanceUpdate<'_>, actor_name: Option<&str>) -> anyhow::Result<SaveOutcome> {
        let now = self.now();
        let sealed = self.seal_secrets(update.instance_id, update.secrets)?;
        let mut tx = self.pool.begin().await?;
        let tokens = oauth_tokens::TokenChange {
            company_id: update.company_id,
            instance_id: update.instance_id,
            auth_method: update.auth_method,
            tokens: update.oauth_tokens,
        };
        oauth_tokens::save(&mut tx, &self.keys, &tokens, now).await?;
        let query = sqlx::query(
            "UPDATE instances SET name = $1, time_zone = $2, date_format = $3,
                 rate_limit_amount = $4, rate_limit_unit = $5, connection_pool = $6, variables = $7,
                 auth_method = $8, auth_fields = $9, secrets = $10,
                 status = COALESCE($11, status), last_tested_at = COALESCE($12, last_tested_at),
                 version = version + 1, updated_at = $13, updated_by = $14
             WHERE id = $15 AND company_id = $16 AND version = $17
             RETURNING version",
        );
        let row = bind_details(query, update.details)?
            .bind(update.auth_method)
            .bind(rows::encode_map(update.auth_fields)?)
            .bind(sealed)
            .bind(update.tested_at.map(|_| rows::status_key(InstanceStatus::Operational)))
            .bind(update.tested_at)
            .bind(now)
            .bind(update.user_id)
            .bind(update.instance_id)
            .bind(update.company_id)
            .bind(update.base_version)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(SaveOutcome::Stale);
        };
        let version: i64 = row.try_get("version")?;
        connector_pages::set_search_key(&mut tx, update.instance_id, &update.details.name).await?;
        self.change_certificates(&mut tx, update.instance_id, update.certificate).await?;
        let event = SaveEvent {
            company_id: update.company_id,
            instance_id: update.instance_id,
            user_id: update.user_id,
            at: now,
            version,
            changed: update.changed,
            actor_name,
        };
        self.record_save(&mut tx, event).await?;
        tx.commit().await?;
        let actor = Actor::User { id: update.user_id, acting_as: actor_name };
        self.publish(update.company_id, update.instance_id, InstanceEventKind::Saved, actor, update.changed).await;
        Ok(SaveOutcome::Saved { version })
    }

    /// Who saved the instance last, and the version that made; `None` when
    /// it was never saved by a user.
    pub async fn last_save(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Option<LastSave>> {
        let row = sqlx::query(
            "SELECT i.updated_at, i.version, u.id AS user_id, u.name,
                    (SELECT e.actor_name FROM instance_events e
                     WHERE e.instance_id = i.id AND e.kind = 'saved' AND e.version = i.version
                     ORDER BY e.id DESC LIMIT 1) AS actor_name
             FROM instances i JOIN users u ON u.id = i.updated_by
             WHERE i.id = $1 AND i.company_id = $2",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let acting_as: Option<String> = r.try_get("actor_name")?;
            Ok(LastSave {
                user_id: r.try_get("user_id")?,
                info: ConflictInfo {
                    saved_by: acting_as.clone().map_or_else(|| r.try_get("name"), Ok)?,
                    saved_at: r.try_get("updated_at")?,
                    version: r.try_get("version")?,
                    by_you: false,
                    changed: vec![],
                },
                acting_as,
            })
        })
        .transpose()
    }
}
