//! Telling open pages what just happened to an instance: every write the
//! history records (a creation, a save, a test, a status found by a test of the saved
//! connection or by the health checker, a deletion) publishes one event to
//! the store's [`EventHub`](crate::events::EventHub) once it is committed,
//! so no caller can forget to. An event holds the instance's name, status
//! and version as stored after the write, and who did it as the history
//! names them; never a value of its settings. Publishing never fails the
//! write: a failure to read what to tell is logged.

use conduit_types::{Id, InstanceEvent, InstanceEventKind};
use sqlx::Row;

use super::handle::Store;
use super::rows;

/// Who did what is published.
#[derive(Clone, Copy, Debug)]
pub(super) enum Actor<'a> {
    /// A user; `acting_as` is the name the history shows instead (an embed
    /// session's end user).
    User { id: Id, acting_as: Option<&'a str> },
    /// Whoever made the instance's latest test (a status that test found).
    LastTester,
    /// The background health checker, by the name the history gives it.
    Checker(&'a str),
}

impl Store {
    /// Publishes `kind` for the company's instance, as stored now.
    pub(super) async fn publish(&self, company_id: Id, instance_id: Id, kind: InstanceEventKind, actor: Actor<'_>, changed: &[String]) {
        match self.instance_event(company_id, instance_id, kind, actor, changed).await {
            Ok(Some(event)) => self.events.publish(company_id, event),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, instance_id, ?kind, "could not tell open pages what happened to an instance"),
        }
    }

    /// Publishes that the instance named `name` was deleted by `user_id`
    /// (shown as `acting_as` when given).
    pub(super) async fn publish_deleted(&self, company_id: Id, instance_id: Id, name: String, user_id: Id, acting_as: Option<&str>) {
        let user = match self.user_name(company_id, user_id).await {
            Ok(user) => user,
            Err(error) => {
                tracing::warn!(%error, instance_id, "could not tell open pages an instance was deleted");
                return;
            }
        };
        let event = InstanceEvent {
            instance: instance_id,
            name,
            kind: InstanceEventKind::Deleted,
            status: None,
            version: None,
            actor: acting_as.map(str::to_owned).or(user).unwrap_or_default(),
            by: acting_as.is_none().then_some(user_id),
            automatic: false,
            at: self.now(),
            changed: vec![],
        };
        self.events.publish(company_id, event);
    }

    async fn user_name(&self, company_id: Id, user_id: Id) -> anyhow::Result<Option<String>> {
        let row = sqlx::query("SELECT name FROM users WHERE id = $1 AND company_id = $2")
            .bind(user_id)
            .bind(company_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("name")).transpose()?)
    }

    /// Who made the instance's latest test: the history's name, and the
    /// user when they acted as themselves.
    async fn last_tester(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Option<(String, Option<Id>)>> {
        let row = sqlx::query(
            "SELECT e.user_id, e.actor_name, u.name FROM instance_events e JOIN users u ON u.id = e.user_id
             WHERE e.company_id = $1 AND e.instance_id = $2 AND e.kind = 'tested'
             ORDER BY e.id DESC LIMIT 1",
        )
        .bind(company_id)
        .bind(instance_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let acting_as: Option<String> = r.try_get("actor_name")?;
            let user: Id = r.try_get("user_id")?;
            Ok(match acting_as {
                Some(name) => (name, None),
                None => (r.try_get("name")?, Some(user)),
            })
        })
        .transpose()
    }

    async fn instance_event(
        &self,
        company_id: Id,
        instance_id: Id,
        kind: InstanceEventKind,
        actor: Actor<'_>,
        changed: &[String],
    ) -> anyhow::Result<Option<InstanceEvent>> {
        let Some(row) = sqlx::query("SELECT name, status, version FROM instances WHERE id = $1 AND company_id = $2")
            .bind(instance_id)
            .bind(company_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let automatic = matches!(actor, Actor::Checker(_));
        let (actor, by) = match actor {
            Actor::User { acting_as: Some(name), .. } => (Some(name.to_owned()), None),
            Actor::User { id, acting_as: None } => (self.user_name(company_id, id).await?, Some(id)),
            Actor::LastTester => match self.last_tester(company_id, instance_id).await? {
                Some((name, by)) => (Some(name), by),
                None => (None, None),
            },
            Actor::Checker(name) => (Some(name.to_owned()), None),
        };
        Ok(Some(InstanceEvent {
            instance: instance_id,
            name: row.try_get("name")?,
            kind,
            status: Some(rows::parse_status(&row.try_get::<String, _>("status")?)?),
            version: Some(row.try_get("version")?),
            actor: actor.unwrap_or_default(),
            by,
            automatic,
            at: self.now(),
            changed: changed.to_vec(),
        }))
    }
}
