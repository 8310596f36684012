//! Deleting an instance (`instance_deletions`): the instance's row, with
//! its sealed secrets, certificate key and OAuth tokens, goes in one
//! transaction with its history events and embed sessions, and the
//! company keeps a record of the deletion that names the instance.

use conduit_types::{Id, ProcessFlowRef, Timestamp};
use sqlx::Row;

use super::handle::Store;
use super::process_flows::flows_using;

/// What deleting an instance came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    /// Process flows (enabled or not) use it: nothing was deleted.
    InUse(Vec<ProcessFlowRef>),
    /// The company has no such instance.
    NotFound,
}

/// A company's record that an instance was deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletionRecord {
    pub instance_id: Id,
    pub instance_name: String,
    pub connector_name: String,
    /// Who deleted it: the user's name, or the name shown instead.
    pub deleted_by: String,
    pub at: Timestamp,
}

impl Store {
    /// Deletes the company's instance unless a process flow uses it, and
    /// records who did (`actor_name` instead of the user's name when given).
    pub async fn delete_instance(
        &self,
        company_id: Id,
        instance_id: Id,
        user_id: Id,
        actor_name: Option<&str>,
    ) -> anyhow::Result<Deletion> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(
            "SELECT i.name, c.name AS connector_name
             FROM instances i JOIN connectors c ON c.id = i.connector_id
             WHERE i.id = $1 AND i.company_id = $2",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(Deletion::NotFound);
        };
        let name: String = row.try_get("name")?;
        let flows = flows_using(&mut tx, company_id, instance_id).await?;
        if !flows.is_empty() {
            return Ok(Deletion::InUse(flows));
        }
        for statement in [
            "DELETE FROM embed_sessions WHERE instance_id = $1 AND company_id = $2",
            "DELETE FROM instance_events WHERE instance_id = $1 AND company_id = $2",
            "DELETE FROM instances WHERE id = $1 AND company_id = $2",
        ] {
            sqlx::query(statement).bind(instance_id).bind(company_id).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO instance_deletions (company_id, instance_id, instance_name, connector_name, user_id, actor_name, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(&name)
        .bind(row.try_get::<String, _>("connector_name")?)
        .bind(user_id)
        .bind(actor_name)
        .bind(self.now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.publish_deleted(company_id, instance_id, name, user_id, actor_name).await;
        Ok(Deletion::Deleted)
    }

    /// The company's deleted instances, newest first.
    pub async fn instance_deletions(&self, company_id: Id) -> anyhow::Result<Vec<DeletionRecord>> {
        sqlx::query(
            "SELECT d.instance_id, d.instance_name, d.connector_name, d.at, COALESCE(d.actor_name, u.name) AS deleted_by
             FROM instance_deletions d JOIN users u ON u.id = d.user_id
             WHERE d.company_id = $1
             ORDER BY d.id DESC",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(DeletionRecord {
                instance_id: r.try_get("instance_id")?,
                instance_name: r.try_get("instance_name")?,
                connector_name: r.try_get("connector_name")?,
                deleted_by: r.try_get("deleted_by")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
    }
}
