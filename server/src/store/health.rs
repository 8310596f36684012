//! The background health checker's queries: which saved instances there
//! are (with when each was last checked and saved), and what a check found.

use conduit_types::{Id, InstanceEventKind, InstanceStatus, TestResult, Timestamp};
use sqlx::Row;

use super::handle::Store;
use super::publish::Actor;
use super::rows;

/// The name the history shows for a check made by the server itself.
pub const AUTOMATIC_CHECK: &str = "automatic check";

/// One saved instance as the scheduler sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthCandidate {
    pub instance_id: Id,
    pub company_id: Id,
    pub last_checked_at: Option<Timestamp>,
    /// When the instance was last saved (or created).
    pub updated_at: Timestamp,
}

impl Store {
    /// Every saved instance of every company, by id.
    pub async fn health_candidates(&self) -> anyhow::Result<Vec<HealthCandidate>> {
        let rows = sqlx::query("SELECT id, company_id, last_checked_at, updated_at FROM instances ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HealthCandidate {
                    instance_id: r.try_get("id")?,
                    company_id: r.try_get("company_id")?,
                    last_checked_at: r.try_get("last_checked_at")?,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// Records that the checker tested version `version` at `at`, and the
    /// status it found (`None` keeps the status), unless the instance was
    /// saved since. Answers whether it was recorded.
    pub async fn record_check(
        &self,
        company_id: Id,
        instance_id: Id,
        version: i64,
        found: Option<InstanceStatus>,
        at: Timestamp,
    ) -> anyhow::Result<bool> {
        let statement = sqlx::query(
            "UPDATE instances SET status = COALESCE($1, status), last_checked_at = $2
             WHERE id = $3 AND company_id = $4 AND version = $5",
        )
        .bind(found.map(rows::status_key))
        .bind(at)
        .bind(instance_id)
        .bind(company_id)
        .bind(version);
        self.changed_one(statement).await
    }

    /// Marks an instance checked at `at` without a status (the check could
    /// not run, e.g. nothing to test with), so it waits for its next slot.
    pub async fn mark_checked(&self, company_id: Id, instance_id: Id, at: Timestamp) -> anyhow::Result<()> {
        sqlx::query("UPDATE instances SET last_checked_at = $1 WHERE id = $2 AND company_id = $3")
            .bind(at)
            .bind(instance_id)
            .bind(company_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records in the history a test made by the checker, named
    /// [`AUTOMATIC_CHECK`]. The history's rows name a user; a system check
    /// is filed under the company's first user, shown by the check's name.
    /// Its status changed: open pages are told.
    pub async fn record_automatic_check(&self, company_id: Id, instance_id: Id, result: &TestResult) -> anyhow::Result<()> {
        let recorded = sqlx::query(
            "INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, outcome, message, actor_name)
             SELECT i.company_id, i.id, (SELECT MIN(u.id) FROM users u WHERE u.company_id = i.company_id), $3, 'tested', $4, $5, $6
             FROM instances i
             WHERE i.id = $2 AND i.company_id = $1
               AND EXISTS (SELECT 1 FROM users u WHERE u.company_id = i.company_id)",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(self.now())
        .bind(rows::outcome_key(result.outcome))
        .bind(&result.message)
        .bind(AUTOMATIC_CHECK)
        .execute(&self.pool)
        .await?;
        if recorded.rows_affected() == 1 {
            self.publish(company_id, instance_id, InstanceEventKind::Status, Actor::Checker(AUTOMATIC_CHECK), &[]).await;
        }
        Ok(())
    }
}
