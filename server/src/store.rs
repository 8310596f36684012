//! Storage behind one interface: embedded SQLite by default, PostgreSQL when
//! the database URL says so. Both run the same queries through sqlx's `Any`
//! driver; only the migrations (files in `migrations/<database>/`) differ.
//!
//! Every read that serves a user takes the company id, so one company can
//! never see another's rows: a foreign id is simply not found.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use conduit_types::{
    AuthFieldValue, CertificateState, CompanySummary, ConnectorDefinition, ConnectorList,
    ConnectorRef, ConnectorSummary, Id, InstanceAuthentication, InstanceDetails, InstanceSettings,
    InstanceStatus, InstanceSummary, Me, ProcessFlowRef, RateLimit, RateLimitUnit, Timestamp,
    UserSummary,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Row};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// A user found by email, with what is needed to check the password.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user_id: Id,
    pub password_hash: String,
}

/// The signed-in user behind a session.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user_id: Id,
    pub company_id: Id,
    pub me: Me,
}

/// What is needed to create an instance. Secrets are not stored here.
#[derive(Clone, Debug)]
pub struct NewInstance {
    pub connector_id: Id,
    pub details: InstanceDetails,
    pub auth_method: String,
    /// Values of the method's non-secret fields, by key.
    pub auth_fields: BTreeMap<String, String>,
    pub status: InstanceStatus,
    pub last_tested_at: Option<Timestamp>,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and brings the schema up to date.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            .connect(url)
            .await
            .with_context(|| format!("could not open the {backend:?} database"))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .context("could not migrate the database")?;
        if backend == Backend::Sqlite {
            // Readers do not wait for the writer; persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
        }
        Ok(Store { pool, backend })
    }

    /// The embedded database: a file in `data_dir`, created if missing.
    pub async fn open_embedded(data_dir: &Path) -> anyhow::Result<Store> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("could not create the data directory {}", data_dir.display()))?;
        let file = data_dir.join("conduit.db");
        Store::connect(&format!("sqlite://{}?mode=rwc", file.display())).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn company_count(&self) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM companies")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    // -- companies and users ------------------------------------------------

    pub async fn create_company(&self, name: &str) -> anyhow::Result<Id> {
        let row = sqlx::query("INSERT INTO companies (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(now())
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn create_user(
        &self,
        company_id: Id,
        email: &str,
        name: &str,
        password_hash: &str,
    ) -> anyhow::Result<Id> {
        let row = sqlx::query(
            "INSERT INTO users (company_id, email, name, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(company_id)
        .bind(normalise_email(email))
        .bind(name)
        .bind(password_hash)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn credentials(&self, email: &str) -> anyhow::Result<Option<Credentials>> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(normalise_email(email))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Credentials {
                user_id: r.try_get("id")?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    // -- sessions -------------------------------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: Id,
        expires_at: Timestamp,
    ) -> anyhow::Result<()> {
        let now = now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn session_user(&self, token_hash: &str) -> anyhow::Result<Option<SessionUser>> {
        let row = sqlx::query(
            "SELECT u.id AS user_id, u.name AS user_name, u.email, c.id AS company_id, c.name AS company_name
             FROM sessions s
             JOIN users u ON u.id = s.user_id
             JOIN companies c ON c.id = u.company_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let user_id: Id = r.try_get("user_id")?;
            let company_id: Id = r.try_get("company_id")?;
            Ok(SessionUser {
                user_id,
                company_id,
                me: Me {
                    user: UserSummary {
                        id: user_id,
                        name: r.try_get("user_name")?,
                        email: r.try_get("email")?,
                    },
                    company: CompanySummary {
                        id: company_id,
                        name: r.try_get("company_name")?,
                    },
                },
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // -- connectors -------------------------------------------------------------

    /// Adds a connector to the catalogue, or updates its name and definition.
    pub async fn upsert_connector(
        &self,
        slug: &str,
        name: &str,
        definition: &ConnectorDefinition,
    ) -> anyhow::Result<Id> {
        let definition = serde_json::to_string(definition)?;
        let row = sqlx::query(
            "INSERT INTO connectors (slug, name, definition) VALUES ($1, $2, $3)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, definition = excluded.definition
             RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(definition)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn install_connector(&self, company_id: Id, connector_id: Id) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO installed_connectors (company_id, connector_id, installed_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(company_id)
        .bind(connector_id)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The company's installed connectors, by name, each with its instances.
    pub async fn connector_list(&self, company_id: Id) -> anyhow::Result<ConnectorList> {
        let connector_rows = sqlx::query(
            "SELECT c.id, c.slug, c.name, c.definition
             FROM installed_connectors ic JOIN connectors c ON c.id = ic.connector_id
             WHERE ic.company_id = $1
             ORDER BY c.name, c.id",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?;
        let instance_rows = sqlx::query(
            "SELECT i.id, i.connector_id, i.name, i.auth_method, i.status, i.last_tested_at,
                    (SELECT COUNT(*) FROM process_flow_instances pfi WHERE pfi.instance_id = i.id) AS flow_count
             FROM instances i
             WHERE i.company_id = $1
             ORDER BY i.name, i.id",
        )
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?;

        let mut connectors = Vec::with_capacity(connector_rows.len());
        for row in connector_rows {
            let id: Id = row.try_get("id")?;
            let definition = parse_definition(&row)?;
            let mut instances = Vec::new();
            for i in instance_rows.iter() {
                if i.try_get::<Id, _>("connector_id")? != id {
                    continue;
                }
                let method_key: String = i.try_get("auth_method")?;
                let method = definition
                    .auth_method(&method_key)
                    .with_context(|| format!("instance uses unknown auth method {method_key}"))?;
                instances.push(InstanceSummary {
                    id: i.try_get("id")?,
                    name: i.try_get("name")?,
                    auth_kind: method.kind,
                    auth_method_label: method.label.clone(),
                    status: parse_status(&i.try_get::<String, _>("status")?)?,
                    last_tested_at: i.try_get("last_tested_at")?,
                    process_flow_count: u32::try_from(i.try_get::<i64, _>("flow_count")?)?,
                });
            }
            connectors.push(ConnectorSummary {
                id,
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                instances,
            });
        }
        Ok(ConnectorList { connectors })
    }

    // -- instances ----------------------------------------------------------------

    pub async fn create_instance(&self, company_id: Id, new: &NewInstance) -> anyhow::Result<Id> {
        let now = now();
        let d = &new.details;
        let row = sqlx::query(
            "INSERT INTO instances (company_id, connector_id, name, time_zone, date_format,
                 rate_limit_amount, rate_limit_unit, connection_pool, variables, auth_method,
                 auth_fields, status, last_tested_at, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)
             RETURNING id",
        )
        .bind(company_id)
        .bind(new.connector_id)
        .bind(&d.name)
        .bind(&d.time_zone)
        .bind(&d.date_format)
        .bind(d.rate_limit.map(|r| i64::from(r.amount)))
        .bind(d.rate_limit.map(|r| r.unit.label()))
        .bind(d.connection_pool.as_deref())
        .bind(serde_json::to_string(&d.variables)?)
        .bind(&new.auth_method)
        .bind(serde_json::to_string(&new.auth_fields)?)
        .bind(status_key(new.status))
        .bind(new.last_tested_at)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("id")?)
    }

    /// An instance's settings, if it exists and belongs to `company_id`.
    pub async fn instance_settings(
        &self,
        company_id: Id,
        instance_id: Id,
    ) -> anyhow::Result<Option<InstanceSettings>> {
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
        let definition = parse_definition(&row)?;
        let method: String = row.try_get("auth_method")?;
        let plain: BTreeMap<String, String> =
            serde_json::from_str(&row.try_get::<String, _>("auth_fields")?)?;
        let fields = definition
            .auth_method(&method)
            .with_context(|| format!("instance uses unknown auth method {method}"))?
            .fields
            .iter()
            .map(|f| {
                let value = if f.secret {
                    // Secrets are not stored until instances can be edited.
                    AuthFieldValue::Secret { is_set: false }
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
                unit: parse_unit(&unit)?,
            }),
            _ => None,
        };
        let flows = sqlx::query(
            "SELECT pf.id, pf.name, pf.enabled
             FROM process_flow_instances pfi JOIN process_flows pf ON pf.id = pfi.process_flow_id
             WHERE pfi.instance_id = $1 AND pf.company_id = $2
             ORDER BY pf.name, pf.id",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|f| {
            Ok(ProcessFlowRef {
                id: f.try_get("id")?,
                name: f.try_get("name")?,
                enabled: f.try_get::<i64, _>("enabled")? != 0,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

        Ok(Some(InstanceSettings {
            id: row.try_get("id")?,
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
                variables: serde_json::from_str(&row.try_get::<String, _>("variables")?)?,
            },
            authentication: InstanceAuthentication { method, fields },
            certificate: CertificateState::None,
            status: parse_status(&row.try_get::<String, _>("status")?)?,
            process_flows: flows,
            connection_pools: vec![],
        }))
    }

    // -- process flows --------------------------------------------------------------

    pub async fn create_process_flow(
        &self,
        company_id: Id,
        name: &str,
        enabled: bool,
        instance_ids: &[Id],
    ) -> anyhow::Result<Id> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO process_flows (company_id, name, enabled) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(company_id)
        .bind(name)
        .bind(i64::from(enabled))
        .fetch_one(&mut *tx)
        .await?;
        let flow_id: Id = row.try_get("id")?;
        for instance_id in instance_ids {
            // Only the company's own instances can be used by its flows.
            let linked = sqlx::query(
                "INSERT INTO process_flow_instances (process_flow_id, instance_id)
                 SELECT $1, id FROM instances WHERE id = $2 AND company_id = $3",
            )
            .bind(flow_id)
            .bind(*instance_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
            anyhow::ensure!(
                linked.rows_affected() == 1,
                "instance {instance_id} does not belong to company {company_id}"
            );
        }
        tx.commit().await?;
        Ok(flow_id)
    }
}

fn parse_definition(row: &AnyRow) -> anyhow::Result<ConnectorDefinition> {
    let text: String = row.try_get("definition")?;
    serde_json::from_str(&text).context("a stored connector definition is not valid")
}

fn status_key(status: InstanceStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_status(key: &str) -> anyhow::Result<InstanceStatus> {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .with_context(|| format!("unknown instance status {key:?}"))
}

fn parse_unit(label: &str) -> anyhow::Result<RateLimitUnit> {
    RateLimitUnit::ALL
        .into_iter()
        .find(|u| u.label() == label)
        .with_context(|| format!("unknown rate limit unit {label:?}"))
}

/// Emails are compared without case and surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn now() -> Timestamp {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_keys() {
        for status in [
            InstanceStatus::NotTested,
            InstanceStatus::Operational,
            InstanceStatus::FailedAuthentication,
            InstanceStatus::Unreachable,
            InstanceStatus::NeedsReconnecting,
        ] {
            assert_eq!(parse_status(&status_key(status)).unwrap(), status);
        }
        assert!(parse_status("bogus").is_err());
    }

    #[test]
    fn emails_compare_without_case_or_spaces() {
        assert_eq!(normalise_email("  Ada@Example.COM "), "ada@example.com");
    }
}
