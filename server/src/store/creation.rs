//! Creating an instance from a new draft: the connector it belongs to (one
//! the company installed), the names its instances already have, and the
//! insert itself, in one transaction with its certificates, its OAuth
//! tokens and the history's record of who created it. The name is checked
//! inside that transaction, so two creations cannot both take one name.

use conduit_types::create::name_taken;
use conduit_types::{ConnectorRef, Id, InstanceEventKind};
use sqlx::Row;

use super::certificates::{CertificateChange, NewCertificates};
use super::handle::{Backend, Store};
use super::history::SaveEvent;
use super::instances::NewInstance;
use super::oauth_tokens;
use super::publish::Actor;
use super::rows;
use crate::engine::OAuthTokens;

/// An instance to create, as the application layer accepted it.
pub struct Creation<'a> {
    pub company_id: Id,
    pub user_id: Id,
    /// The row: details, method, plain fields, secrets (sealed by the
    /// store), status and test time.
    pub instance: &'a NewInstance,
    pub certificates: Option<&'a NewCertificates>,
    /// Tokens from authorising the draft with the provider.
    pub oauth_tokens: Option<&'a OAuthTokens>,
    /// What the instance is created from (a receipt's signature, an
    /// authorisation's hashed id): one instance each.
    pub created_from: &'a str,
}

/// How a creation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    Created { id: Id },
    /// Another instance of the connector has this name (whatever its case).
    NameTaken,
    /// The test or authorisation already created an instance.
    AlreadyUsed,
}

impl Store {
    /// The connector, if the company installed it.
    pub async fn installed_connector(&self, company_id: Id, connector_id: Id) -> anyhow::Result<Option<ConnectorRef>> {
        let row = sqlx::query(
            "SELECT c.id, c.name, c.definition
             FROM installed_connectors ic JOIN connectors c ON c.id = ic.connector_id
             WHERE ic.company_id = $1 AND ic.connector_id = $2",
        )
        .bind(company_id)
        .bind(connector_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ConnectorRef { id: row.try_get("id")?, name: row.try_get("name")?, definition: rows::parse_definition(&row)? })
        })
        .transpose()
    }

    /// The names of the company's instances of the connector, but `except`'s.
    pub async fn instance_names(&self, company_id: Id, connector_id: Id, except: Option<Id>) -> anyhow::Result<Vec<String>> {
        let statement = sqlx::query(
            "SELECT name FROM instances WHERE company_id = $1 AND connector_id = $2 AND id <> $3 ORDER BY id",
        )
        .bind(company_id)
        .bind(connector_id)
        .bind(except.unwrap_or(0));
        self.texts(statement, "name").await
    }

    /// Creates the instance unless its connector already has one by that
    /// name; records who created it.
    pub async fn create_from_draft(&self, creation: &Creation<'_>) -> anyhow::Result<Created> {
        let new = creation.instance;
        let (company_id, connector_id) = (creation.company_id, new.connector_id);
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            // Creations for one company's connector take turns, so the
            // name check below sees every name committed before.
            sqlx::query("SELECT 1 FROM installed_connectors WHERE company_id = $1 AND connector_id = $2 FOR UPDATE")
                .bind(company_id)
                .bind(connector_id)
                .execute(&mut *tx)
                .await?;
        }
        let names: Vec<String> =
            sqlx::query("SELECT name FROM instances WHERE company_id = $1 AND connector_id = $2")
                .bind(company_id)
                .bind(connector_id)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("name"))
                .collect::<Result<_, _>>()?;
        if name_taken(&new.details.name, names.iter().map(String::as_str)) {
            tx.rollback().await?;
            return Ok(Created::NameTaken);
        }
        let used = sqlx::query("SELECT id FROM instances WHERE created_from = $1")
            .bind(creation.created_from)
            .fetch_optional(&mut *tx)
            .await?;
        if used.is_some() {
            tx.rollback().await?;
            return Ok(Created::AlreadyUsed);
        }
        let id = self.insert_instance(&mut tx, company_id, new).await?;
        // A second creation from the same test fails here at the latest
        // (the column is unique).
        sqlx::query("UPDATE instances SET updated_by = $1, created_from = $2 WHERE id = $3")
            .bind(creation.user_id)
            .bind(creation.created_from)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if let Some(certificates) = creation.certificates {
            self.change_certificates(&mut tx, id, CertificateChange::Store(certificates)).await?;
        }
        let tokens = oauth_tokens::TokenChange {
            company_id,
            instance_id: id,
            auth_method: &new.auth_method,
            tokens: creation.oauth_tokens,
        };
        oauth_tokens::save(&mut tx, &self.keys, &tokens, now).await?;
        let event = SaveEvent {
            company_id,
            instance_id: id,
            user_id: creation.user_id,
            at: now,
            version: 1,
            changed: &[],
            actor_name: None,
        };
        self.record_created(&mut tx, event).await?;
        tx.commit().await?;
        let actor = Actor::User { id: creation.user_id, acting_as: None };
        self.publish(company_id, id, InstanceEventKind::Created, actor, &[]).await;
        Ok(Created::Created { id })
    }
}
