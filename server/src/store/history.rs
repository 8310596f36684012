//! An instance's history (`instance_events`): its saves, with the labels of
//! the fields each changed, and its tests, with the outcome and the
//! engine's sentence. Never a value.

use conduit_types::draft::{HistoryEntry, HistoryEvent};
use conduit_types::{Id, InstanceEventKind, TestResult, Timestamp};
use sqlx::Row;

use super::handle::Store;
use super::publish::Actor;
use super::rows;

/// How many history entries are answered.
pub const HISTORY_LIMIT: i64 = 50;

/// What a save records in the history.
pub(super) struct SaveEvent<'a> {
    pub(super) company_id: Id,
    pub(super) instance_id: Id,
    pub(super) user_id: Id,
    pub(super) at: Timestamp,
    pub(super) version: i64,
    pub(super) changed: &'a [String],
    /// The name the history shows instead of the user's (an embed session's).
    pub(super) actor_name: Option<&'a str>,
}

impl Store {
    /// Records a save, inside the caller's transaction.
    pub(super) async fn record_save(&self, conn: &mut sqlx::AnyConnection, save: SaveEvent<'_>) -> anyhow::Result<()> {
        record_change(conn, "saved", save).await
    }

    /// Records that an instance was created (its first version), inside the
    /// caller's transaction.
    pub(super) async fn record_created(&self, conn: &mut sqlx::AnyConnection, created: SaveEvent<'_>) -> anyhow::Result<()> {
        record_change(conn, "created", created).await
    }

    /// The labels of the fields saves after `version` changed, each once,
    /// in the order they were first saved.
    pub async fn changed_since(&self, company_id: Id, instance_id: Id, version: i64) -> anyhow::Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT changed FROM instance_events
             WHERE company_id = $1 AND instance_id = $2 AND kind = 'saved' AND version > $3
             ORDER BY id",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        let mut labels: Vec<String> = vec![];
        for row in rows {
            if let Some(json) = row.try_get::<Option<String>, _>("changed")? {
                for label in rows::decode_labels(&json)? {
                    if !labels.contains(&label) {
                        labels.push(label);
                    }
                }
            }
        }
        Ok(labels)
    }

    /// Records that `user_id` tested a draft of the instance. Only the
    /// outcome and the engine's sentence are kept, never a value.
    pub async fn record_test(
        &self,
        company_id: Id,
        instance_id: Id,
        user_id: Id,
        result: &TestResult,
    ) -> anyhow::Result<()> {
        self.record_test_as(company_id, instance_id, user_id, None, result).await
    }

    /// [`Store::record_test`], the history naming `actor_name` instead of
    /// the user when given (an embed session's end user).
    pub async fn record_test_as(
        &self,
        company_id: Id,
        instance_id: Id,
        user_id: Id,
        actor_name: Option<&str>,
        result: &TestResult,
    ) -> anyhow::Result<()> {
        let recorded = sqlx::query(
            "INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, outcome, message, actor_name)
             SELECT $1, id, $3, $4, 'tested', $5, $6, $7 FROM instances WHERE id = $2 AND company_id = $1",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(user_id)
        .bind(self.now())
        .bind(rows::outcome_key(result.outcome))
        .bind(&result.message)
        .bind(actor_name)
        .execute(&self.pool)
        .await?;
        if recorded.rows_affected() == 1 {
            let actor = Actor::User { id: user_id, acting_as: actor_name };
            self.publish(company_id, instance_id, InstanceEventKind::Tested, actor, &[]).await;
        }
        Ok(())
    }

    /// The instance's history, newest first (at most [`HISTORY_LIMIT`]
    /// entries); `None` when the company has no such instance.
    pub async fn history(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Option<Vec<HistoryEntry>>> {
        let exists = sqlx::query("SELECT id FROM instances WHERE id = $1 AND company_id = $2")
            .bind(instance_id)
            .bind(company_id)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let rows = sqlx::query(
            "SELECT e.id, e.at, e.kind, e.version, e.changed, e.outcome, e.message, COALESCE(e.actor_name, u.name) AS user_name
             FROM instance_events e JOIN users u ON u.id = e.user_id
             WHERE e.company_id = $1 AND e.instance_id = $2
             ORDER BY e.id DESC
             LIMIT $3",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(HISTORY_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let event = match kind.as_str() {
                    "saved" => HistoryEvent::Saved {
                        version: r.try_get::<Option<i64>, _>("version")?.unwrap_or_default(),
                        changed: match r.try_get::<Option<String>, _>("changed")? {
                            Some(json) => rows::decode_labels(&json)?,
                            None => vec![],
                        },
                    },
                    "created" => HistoryEvent::Created {
                        version: r.try_get::<Option<i64>, _>("version")?.unwrap_or(1),
                    },
                    "tested" => HistoryEvent::Tested {
                        outcome: rows::parse_outcome(&r.try_get::<Option<String>, _>("outcome")?.unwrap_or_default())?,
                        message: r.try_get::<Option<String>, _>("message")?.unwrap_or_default(),
                    },
                    other => anyhow::bail!("unknown history event kind {other:?}"),
                };
                Ok(HistoryEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    user: r.try_get("user_name")?,
                    event,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map(Some)
    }
}

/// Records a save or a creation (`kind`), inside the caller's transaction.
async fn record_change(conn: &mut sqlx::AnyConnection, kind: &str, save: SaveEvent<'_>) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, version, changed, actor_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(save.company_id)
    .bind(save.instance_id)
    .bind(save.user_id)
    .bind(save.at)
    .bind(kind)
    .bind(save.version)
    .bind(rows::encode_labels(save.changed)?)
    .bind(save.actor_name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
