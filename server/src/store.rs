//! Storage behind one interface: embedded SQLite by default, PostgreSQL when
//! the database URL says so. Both run the same queries through sqlx's `Any`
//! driver; only the migrations (files in `migrations/<database>/`) differ.
//!
//! Every read that serves a user takes the company id, so one company can
//! never see another's rows: a foreign id is simply not found.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use conduit_types::draft::{HistoryEntry, HistoryEvent};
use conduit_types::{
    AuthFieldValue, CertificateState, CompanySummary, ConflictInfo, ConnectorDefinition,
    ConnectorList, ConnectorRef, ConnectorSummary, Id, InstanceAuthentication, InstanceDetails,
    InstanceSettings, InstanceStatus, InstanceSummary, Me, ProcessFlowRef, RateLimit,
    RateLimitUnit, StoredCertificates, TestOutcome, TestResult, Timestamp, UserSummary,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Row};

use crate::certificates::{CheckedUpload, PrivateKey};
use crate::clock::Clock;
use crate::crypto::{Keyring, MasterKey};
use crate::engine::{ClientIdentity, OAuthTokens, TlsMaterial};
use crate::private_files;
use crate::receipts::ReceiptKey;

mod oauth_tokens;
mod sandbox_addresses;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, and the keys its secrets are sealed with. The store is the
/// only code that reads or writes the `secrets` column.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    keys: Arc<Keyring>,
    clock: Clock,
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

/// The values of an instance's secret fields, by key. Its Debug output
/// names the fields only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets(pub BTreeMap<String, String>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Secrets {
    /// The stored value of `key`, if there is a non-empty one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Secrets {
        Secrets(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
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

/// Certificates to store for an instance: the public parts as PEM with what
/// the dashboard shows of them, and the decrypted private key, which the
/// store seals. Its Debug output never shows the key.
#[derive(Clone, Debug)]
pub struct NewCertificates {
    /// The client certificate chain (leaf first) and its key; none when
    /// the instance only trusts a CA.
    pub client: Option<(String, PrivateKey)>,
    pub ca_pem: Option<String>,
    pub info: StoredCertificates,
}

impl From<CheckedUpload> for NewCertificates {
    fn from(upload: CheckedUpload) -> NewCertificates {
        let chain_pem = upload.chain_pem();
        NewCertificates {
            client: chain_pem.zip(upload.identity.map(|identity| identity.private_key)),
            ca_pem: upload.ca_pem,
            info: upload.info,
        }
    }
}

/// What a save does with the instance's certificates.
#[derive(Clone, Copy, Debug)]
pub enum CertificateChange<'a> {
    Keep,
    Remove,
    /// Remove the trusted CA only; a client certificate stays.
    RemoveCa,
    Store(&'a NewCertificates),
}

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
    pub info: ConflictInfo,
}

/// How many history entries are answered.
pub const HISTORY_LIMIT: i64 = 50;

/// The embedded database's file in the data directory.
pub const DB_FILE: &str = "conduit.db";

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and brings the
    /// schema up to date. Secrets are sealed with keys derived from `key`.
    pub async fn connect(url: &str, key: &MasterKey) -> anyhow::Result<Store> {
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
        Ok(Store { pool, backend, keys: Arc::new(Keyring::new(key)), clock: Clock::system() })
    }

    /// The embedded database: a file in `data_dir`, created if missing.
    /// The database and its `-wal` and `-shm` files are readable by their
    /// owner only: the file is created 0600 before SQLite opens it (SQLite
    /// gives its side files the database file's mode), and files left by an
    /// older version are tightened.
    pub async fn open_embedded(data_dir: &Path, key: &MasterKey) -> anyhow::Result<Store> {
        private_files::ensure_private_dir(data_dir)?;
        let file = data_dir.join(DB_FILE);
        private_files::ensure_private_file(&file)?;
        let side_files = || ["-wal", "-shm"].map(|suffix| data_dir.join(format!("{DB_FILE}{suffix}")));
        for side in side_files() {
            private_files::tighten_file(&side)?;
        }
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", file.display()), key).await?;
        for side in side_files() {
            private_files::tighten_file(&side)?;
        }
        Ok(store)
    }

    /// The same store, reading the time from `clock` (tests pass a manual one).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock rows are stamped with; the server's one clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The key test receipts are signed with (derived from the same master key).
    pub fn receipts(&self) -> &ReceiptKey {
        &self.keys.receipts
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

    /// The first company with this name.
    pub async fn company_named(&self, name: &str) -> anyhow::Result<Option<Id>> {
        let row = sqlx::query("SELECT id FROM companies WHERE name = $1 ORDER BY id LIMIT 1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    pub async fn create_company(&self, name: &str) -> anyhow::Result<Id> {
        let row = sqlx::query("INSERT INTO companies (name, created_at) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(self.now())
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
        .bind(self.now())
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
        let now = self.now();
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
        .bind(self.now())
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
        .bind(self.now())
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
            "SELECT i.id, i.connector_id, i.name, i.auth_method, i.status, i.last_tested_at, i.certificate_info,
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
                    certificate_not_after: parse_certificates(i)?.map(|c| c.not_after()),
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
        let now = self.now();
        let d = &new.details;
        let mut tx = self.pool.begin().await?;
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
        .fetch_one(&mut *tx)
        .await?;
        let id: Id = row.try_get("id")?;
        // The ciphertext is bound to the instance id, known only now.
        if let Some(sealed) = self.seal_secrets(id, &new.secrets)? {
            sqlx::query("UPDATE instances SET secrets = $1 WHERE id = $2")
                .bind(sealed)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The sealed form of `secrets` for instance `id`; `None` when there is
    /// no value to keep.
    fn seal_secrets(&self, id: Id, secrets: &Secrets) -> anyhow::Result<Option<String>> {
        let kept: BTreeMap<&str, &str> = secrets
            .0
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if kept.is_empty() {
            return Ok(None);
        }
        let json = serde_json::to_vec(&kept)?;
        self.keys.vault.seal(id, &json).map(Some)
    }

    fn open_secrets(&self, id: Id, sealed: Option<&str>) -> anyhow::Result<Secrets> {
        let Some(sealed) = sealed else {
            return Ok(Secrets::default());
        };
        let json = self
            .keys
            .vault
            .open(id, sealed)
            .map_err(|e| anyhow::anyhow!("could not read the secrets of instance {id}: {e}"))?;
        let map = serde_json::from_slice(&json)
            .map_err(|_| anyhow::anyhow!("the secrets of instance {id} are not a map of values"))?;
        Ok(Secrets(map))
    }

    /// The stored certificates of instance `id` as the dashboard sees them,
    /// and as the TLS client uses them.
    fn open_certificates(&self, id: Id, row: &AnyRow) -> anyhow::Result<(CertificateState, TlsMaterial)> {
        let Some(info) = parse_certificates(row)? else {
            return Ok((CertificateState::None, TlsMaterial::default()));
        };
        let chain: Option<String> = row.try_get("certificate_chain")?;
        let sealed: Option<String> = row.try_get("certificate_key")?;
        let client = match (chain, sealed) {
            (Some(cert_pem), Some(sealed)) => {
                let key = PrivateKey::from_pkcs8_der(
                    self.keys
                        .vault
                        .open_certificate_key(id, &sealed)
                        .map_err(|e| anyhow::anyhow!("could not read the client certificate key of instance {id}: {e}"))?,
                );
                Some(ClientIdentity { cert_pem, key_pem: key.pkcs8_pem() })
            }
            (None, None) if info.client.is_none() => None,
            _ => anyhow::bail!("the client certificate of instance {id} is stored without its chain or key"),
        };
        let tls = TlsMaterial { ca_pem: row.try_get("certificate_ca")?, client };
        if tls.ca_pem.is_none() != info.ca.is_none() {
            anyhow::bail!("the trusted CA of instance {id} does not match its stored details");
        }
        Ok((CertificateState::Stored(info), tls))
    }

    /// Stores (or with `None` removes) instance `id`'s certificates, inside
    /// the caller's transaction. The key is sealed for this purpose only.
    async fn write_certificates(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: Id,
        new: Option<&NewCertificates>,
    ) -> anyhow::Result<()> {
        let (chain, ca, info, key) = match new {
            None => (None, None, None, None),
            Some(new) => (
                new.client.as_ref().map(|(chain, _)| chain.clone()),
                new.ca_pem.clone(),
                Some(serde_json::to_string(&new.info)?),
                new.client
                    .as_ref()
                    .map(|(_, key)| self.keys.vault.seal_certificate_key(id, key.pkcs8_der()))
                    .transpose()?,
            ),
        };
        sqlx::query(
            "UPDATE instances SET certificate_chain = $1, certificate_ca = $2, certificate_info = $3,
                 certificate_key = $4
             WHERE id = $5",
        )
        .bind(chain)
        .bind(ca)
        .bind(info)
        .bind(key)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Removes instance `id`'s trusted CA and keeps its client certificate,
    /// inside the caller's transaction; with no client certificate nothing
    /// is left.
    async fn remove_certificate_ca(&self, conn: &mut sqlx::AnyConnection, id: Id) -> anyhow::Result<()> {
        let row = sqlx::query("SELECT certificate_info FROM instances WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
        let Some(mut info) = parse_certificates(&row)? else { return Ok(()) };
        info.ca = None;
        let info = info.client.is_some().then(|| serde_json::to_string(&info)).transpose()?;
        sqlx::query("UPDATE instances SET certificate_ca = NULL, certificate_info = $1 WHERE id = $2")
            .bind(info)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Replaces an instance's certificates outside an edit (the demo keeps
    /// its sandbox instance's certificates current this way); a new version.
    pub async fn set_certificates(
        &self,
        company_id: Id,
        instance_id: Id,
        new: Option<&NewCertificates>,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE instances SET version = version + 1, updated_at = $1 WHERE id = $2 AND company_id = $3")
            .bind(self.now())
            .bind(instance_id)
            .bind(company_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        self.write_certificates(&mut tx, instance_id, new).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces an instance's variables outside an edit; a new version.
    pub async fn set_variables(
        &self,
        company_id: Id,
        instance_id: Id,
        variables: &BTreeMap<String, String>,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE instances SET variables = $1, version = version + 1, updated_at = $2
             WHERE id = $3 AND company_id = $4",
        )
        .bind(serde_json::to_string(variables)?)
        .bind(self.now())
        .bind(instance_id)
        .bind(company_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The company's connection pools, by name.
    pub async fn connection_pools(&self, company_id: Id) -> anyhow::Result<Vec<String>> {
        sqlx::query("SELECT name FROM connection_pools WHERE company_id = $1 ORDER BY name")
            .bind(company_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get("name")?))
            .collect()
    }

    pub async fn create_connection_pool(&self, company_id: Id, name: &str) -> anyhow::Result<()> {
        sqlx::query("INSERT INTO connection_pools (company_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(company_id)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
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
        let definition = parse_definition(&row)?;
        let id: Id = row.try_get("id")?;
        let secrets = self.open_secrets(id, row.try_get::<Option<String>, _>("secrets")?.as_deref())?;
        let (certificate, tls) = self.open_certificates(id, &row)?;
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
                variables: serde_json::from_str(&row.try_get::<String, _>("variables")?)?,
            },
            authentication: InstanceAuthentication { method, fields, authorised_at: row.try_get("authorised_at")? },
            certificate,
            status: parse_status(&row.try_get::<String, _>("status")?)?,
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

    /// Saves all three tabs at once, from `base_version`, and records the
    /// save in the history: one transaction, so either all of it is stored
    /// or none. A stale base version (someone saved in between) stores nothing.
    pub async fn save_instance(&self, update: &InstanceUpdate<'_>) -> anyhow::Result<SaveOutcome> {
        let now = self.now();
        let d = update.details;
        let sealed = self.seal_secrets(update.instance_id, update.secrets)?;
        let mut tx = self.pool.begin().await?;
        oauth_tokens::save(&mut tx, &self.keys, update, now).await?;
        let row = sqlx::query(
            "UPDATE instances SET name = $1, time_zone = $2, date_format = $3,
                 rate_limit_amount = $4, rate_limit_unit = $5, connection_pool = $6, variables = $7,
                 auth_method = $8, auth_fields = $9, secrets = $10,
                 status = COALESCE($11, status), last_tested_at = COALESCE($12, last_tested_at),
                 version = version + 1, updated_at = $13, updated_by = $14
             WHERE id = $15 AND company_id = $16 AND version = $17
             RETURNING version",
        )
        .bind(&d.name)
        .bind(&d.time_zone)
        .bind(&d.date_format)
        .bind(d.rate_limit.map(|r| i64::from(r.amount)))
        .bind(d.rate_limit.map(|r| r.unit.label()))
        .bind(d.connection_pool.as_deref())
        .bind(serde_json::to_string(&d.variables)?)
        .bind(update.auth_method)
        .bind(serde_json::to_string(update.auth_fields)?)
        .bind(sealed)
        .bind(update.tested_at.map(|_| status_key(InstanceStatus::Operational)))
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
        match update.certificate {
            CertificateChange::Keep => {}
            CertificateChange::Remove => self.write_certificates(&mut tx, update.instance_id, None).await?,
            CertificateChange::RemoveCa => self.remove_certificate_ca(&mut tx, update.instance_id).await?,
            CertificateChange::Store(new) => self.write_certificates(&mut tx, update.instance_id, Some(new)).await?,
        }
        sqlx::query(
            "INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, version, changed)
             VALUES ($1, $2, $3, $4, 'saved', $5, $6)",
        )
        .bind(update.company_id)
        .bind(update.instance_id)
        .bind(update.user_id)
        .bind(now)
        .bind(version)
        .bind(serde_json::to_string(update.changed)?)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(SaveOutcome::Saved { version })
    }

    /// Who saved the instance last, and the version that made; `None` when
    /// it was never saved by a user.
    pub async fn last_save(&self, company_id: Id, instance_id: Id) -> anyhow::Result<Option<LastSave>> {
        let row = sqlx::query(
            "SELECT i.updated_at, i.version, u.id AS user_id, u.name
             FROM instances i JOIN users u ON u.id = i.updated_by
             WHERE i.id = $1 AND i.company_id = $2",
        )
        .bind(instance_id)
        .bind(company_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(LastSave {
                user_id: r.try_get("user_id")?,
                info: ConflictInfo {
                    saved_by: r.try_get("name")?,
                    saved_at: r.try_get("updated_at")?,
                    version: r.try_get("version")?,
                    by_you: false,
                    changed: vec![],
                },
            })
        })
        .transpose()
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
                for label in serde_json::from_str::<Vec<String>>(&json)? {
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
        sqlx::query(
            "INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, outcome, message)
             SELECT $1, id, $3, $4, 'tested', $5, $6 FROM instances WHERE id = $2 AND company_id = $1",
        )
        .bind(company_id)
        .bind(instance_id)
        .bind(user_id)
        .bind(self.now())
        .bind(outcome_key(result.outcome))
        .bind(&result.message)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sets the status a test of the saved connection found, unless the
    /// instance was saved since (`version` no longer current).
    pub async fn set_tested_status(
        &self,
        company_id: Id,
        instance_id: Id,
        version: i64,
        status: InstanceStatus,
        tested_at: Timestamp,
    ) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE instances SET status = $1, last_tested_at = $2
             WHERE id = $3 AND company_id = $4 AND version = $5",
        )
        .bind(status_key(status))
        .bind(tested_at)
        .bind(instance_id)
        .bind(company_id)
        .bind(version)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
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
            "SELECT e.id, e.at, e.kind, e.version, e.changed, e.outcome, e.message, u.name AS user_name
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
                            Some(json) => serde_json::from_str(&json)?,
                            None => vec![],
                        },
                    },
                    "tested" => HistoryEvent::Tested {
                        outcome: parse_outcome(&r.try_get::<Option<String>, _>("outcome")?.unwrap_or_default())?,
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

fn parse_certificates(row: &AnyRow) -> anyhow::Result<Option<StoredCertificates>> {
    row.try_get::<Option<String>, _>("certificate_info")?
        .map(|json| serde_json::from_str(&json).context("stored certificate details are not valid"))
        .transpose()
}

fn status_key(status: InstanceStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn outcome_key(outcome: TestOutcome) -> String {
    serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse_outcome(key: &str) -> anyhow::Result<TestOutcome> {
    serde_json::from_value(serde_json::Value::String(key.to_owned()))
        .with_context(|| format!("unknown test outcome {key:?}"))
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
