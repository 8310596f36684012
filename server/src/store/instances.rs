//! Instances: creating one, reading its settings (with its secrets, for
//! whatever connects with it), and the changes made outside an edit.

use std::collections::BTreeMap;

use anyhow::Context;
use conduit_types::{
    InstanceEventKind,
    AuthFieldValue, ConnectorRef, Id, InstanceAuthentication, InstanceDetails, InstanceSettings, InstanceStatus,
    RateLimit, Timestamp,
};
use sqlx::Row;

use super::handle::{Backend, Store};
use super::connector_pages;
use super::publish::Actor;
use super::rows;
use super::secrets::Secrets;
use crate::engine::TlsMaterial;

/// What is needed to create an instance.
#[derive(Clone, Debug)]
pub struct NewInstance {
    pub connector_id: Id,
    pub details: InstanceDetails,
    pub auth_method: String,
    /// Values of the method's non-secret fields, by key.
    pub auth_fields: BTreeMap<String, String>,
    /// Values of the method's secret fields, in plain text; the store seals them.
    pub secrets: Secrets,
    pub status: InstanceStatus,
    pub last_tested_at: Option<Timestamp>,
}

/// An instance's settings with the values of its secrets: what a connection
/// test or a process flow needs. Read from the database every time.
#[derive(Clone, Debug)]
pub struct InstanceConnection {
    pub settings: InstanceSettings,
    pub secrets: Secrets,
    /// The stored client certificate with its key, and the CA to trust.
    pub tls: TlsMaterial,
    pub last_tested_at: Option<Timestamp>,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds the `instance details` tab's columns, in this order: `name`,
/// `time_zone`, `date_format`, `rate_limit_amount`, `rate_limit_unit`,
/// `connection_pool`, `variables`.
pub(super) fn bind_details<'q>(query: AnyQuery<'q>, d: &'q InstanceDetails) -> anyhow::Result<AnyQuery<'q>> {
    Ok(query
        .bind(&d.name)
        .bind(&d.time_zone)
        .bind(&d.date_format)
        .bind(d.rate_limit.map(|r| i64::from(r.amount)))
        .bind(d.rate_limit.map(|r| rows::unit_key(r.unit)))
        .bind(d.connection_pool.as_deref())
        .bind(rows::encode_map(&d.variables)?))
}

/// A new instance's id, never one a deleted instance had: a stale page or a
/// receipt for the deleted one must not reach its successor. PostgreSQL's
/// sequence never gives an id twice; SQLite would give the highest id again
/// once that row is deleted, so the id there is one more than any an
/// instance has had.
fn new_id(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "DEFAULT",
        Backend::Sqlite => {
            "(SELECT MAX(n) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS n FROM instances
              UNION ALL SELECT COALESCE(MAX(instance_id), 0) FROM instance_deletions) AS ids)"
        }
    }
}

impl Store {
    pub async fn create_instance(&self, company_id: Id, new: &NewInstance) -> anyhow::Result<Id> {
        let mut tx = self.pool.begin().await?;
        let id = self.insert_instance(&mut tx, company_id, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Inserts a new instance's row with its sealed secrets, inside the
    /// caller's transaction; answers its id.
    pub(super) async fn insert_instance(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        company_id: Id,
        new: &NewInstance,
    ) -> anyhow::Result<Id> {
        let now = self.now();
        let d = &new.details;
        let sql = format!(
            "INSERT INTO instances (id, company_id, connector_id, name, time_zone, date_format,
                 rate_limit_amount, rate_limit_unit, connection_pool, variables, auth_method,
                 auth_fields, status, last_tested_at, version, created_at, updated_at)
             VALUES ({}, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)
             RETURNING id",
            new_id(self.backend)
        );
        let query = sqlx::query(&sql)
        .bind(company_id)
        .bind(new.connector_id);
        let row = bind_details(query, d)?
            .bind(&new.auth_method)
            .bind(rows::encode_map(&new.auth_fields)?)
            .bind(rows::status_key(new.status))
            .bind(new.last_tested_at)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
        let id: Id = row.try_get("id")?;
        connector_pages::set_search_key(&mut **tx, id, &d.name).await?;
        // The ciphertext is bound to the instance id, known only now.
        if let Some(sealed) = self.seal_secrets(id, &new.secrets)? {
            sqlx::query("UPDATE instances SET secrets = $1 WHERE id = $2")
                .bind(sealed)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(id)
    }

    /// An instance's settings, if it exists and belongs to `company_id`.
    /// Secrets appear only as set or not.
    pub async fn instance_settings(
        &self,
        company_id: Id,
        instance_id: Id,
    ) -> anyhow::Result<Option<InstanceSettings>> {
        Ok(self.connection(company_id, instance_id).await?.map(|c| c.settings))
    }

    /// An instance's settings with its secrets' values, if it exists and
    /// belongs to `company_id`. Always read from the database, so a save
    /// takes effect at once for everything that connects with it.
    pub async fn connection(
        &self,
        company_id: Id,
        instance_id: Id,
    ) -> anyhow::Result<Option<InstanceConnection>> {
        let Some(row) = sqlx::query(
            "SELECT i.*, c.name AS connector_name, c.definition
             FROM instances i JOIN connectors c ON c.id = i.connector_id
             WHERE i.id = $1 AND i.company_id = $2",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let definition = rows::parse_definition(&row)?;
        let id: Id = row.try_get("id")?;
        let secrets = self.open_secrets(id, row.try_get::<Option<String>, _>("secrets")?.as_deref())?;
        let (certificate, tls) = self.open_certificates(id, &row)?;
        let method: String = row.try_get("auth_method")?;
        let plain = rows::decode_map(row.try_get::<String, _>("auth_fields")?.as_bytes())?;
        let fields = definition
            .auth_method(&method)
            .with_context(|| format!("instance uses unknown auth method {method}"))?
            .fields
            .iter()
            .map(|f| {
                let value = if f.secret {
                    AuthFieldValue::Secret { is_set: secrets.get(&f.key).is_some() }
                } else {
                    AuthFieldValue::Plain {
                        value: plain.get(&f.key).cloned().unwrap_or_default(),
                    }
                };
                (f.key.clone(), value)
            })
            .collect();
        let rate_limit = match (
            row.try_get::<Option<i64>, _>("rate_limit_amount")?,
            row.try_get::<Option<String>, _>("rate_limit_unit")?,
        ) {
            (Some(amount), Some(unit)) => Some(RateLimit {
                amount: u32::try_from(amount)?,
                unit: rows::parse_unit(&unit)?,
            }),
            _ => None,
        };
        let flows = self.instance_flows(company_id, instance_id).await?;

        let connection_pools = self.connection_pools(company_id).await?;
        let settings = InstanceSettings {
            id,
            version: row.try_get("version")?,
            connector: ConnectorRef {
                id: row.try_get("connector_id")?,
                name: row.try_get("connector_name")?,
                definition,
            },
            details: InstanceDetails {
                name: row.try_get("name")?,
                time_zone: row.try_get("time_zone")?,
                date_format: row.try_get("date_format")?,
                rate_limit,
                connection_pool: row.try_get("connection_pool")?,
                variables: rows::decode_map(row.try_get::<String, _>("variables")?.as_bytes())?,
            },
            authentication: InstanceAuthentication { method, fields, authorised_at: row.try_get("authorised_at")? },
            certificate,
            status: rows::parse_status(&row.try_get::<String, _>("status")?)?,
            last_tested_at: row.try_get("last_tested_at")?,
            last_checked_at: row.try_get("last_checked_at")?,
            process_flows: flows,
            connection_pools,
            // The server's address is the routes' to add.
            oauth_callback_url: None,
        };
        Ok(Some(InstanceConnection {
            settings,
            secrets,
            tls,
            last_tested_at: row.try_get("last_tested_at")?,
        }))
    }

    /// Replaces an instance's variables outside an edit; a new version.
    pub async fn set_variables(
        &self,
        company_id: Id,
        instance_id: Id,
        variables: &BTreeMap<String, String>,
    ) -> anyhow::Result<bool> {
        let statement = sqlx::query(
            "UPDATE instances SET variables = $1, version = version + 1, updated_at = $2
             WHERE id = $3 AND company_id = $4",
        )
        .bind(rows::encode_map(variables)?)
        .bind(self.now())
        .bind(instance_id)
        .bind(company_id);
        self.changed_one(statement).await
    }

    /// Sets the status a test of the saved connection found, unless the
    /// instance was saved since (`version` no longer current); open pages
    /// are told, naming the instance's latest tester.
    pub async fn set_tested_status(
        &self,
        company_id: Id,
        instance_id: Id,
        version: i64,
        status: InstanceStatus,
        tested_at: Timestamp,
    ) -> anyhow::Result<bool> {
        let statement = sqlx::query(
            "UPDATE instances SET status = $1, last_tested_at = $2
             WHERE id = $3 AND company_id = $4 AND version = $5",
        )
        .bind(rows::status_key(status))
        .bind(tested_at)
        .bind(instance_id)
        .bind(company_id)
        .bind(version);
        let recorded = self.changed_one(statement).await?;
        if recorded {
            self.publish(company_id, instance_id, InstanceEventKind::Status, Actor::LastTester, &[]).await;
        }
        Ok(recorded)
    }
}
