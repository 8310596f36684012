//! Storage behind one interface: embedded SQLite by default, PostgreSQL when
//! the database URL says so. Both run the same queries through sqlx's `Any`
//! driver; only the migrations (files in `migrations/<database>/`) differ.
//!
//! Every read that serves a user takes the company id, so one company can
//! never see another's rows: a foreign id is simply not found.
//!
//! This module connects and migrates; each resource has its own module with
//! its own `impl Store` block. What they share is in leaf modules: the
//! handle (`handle`), how values are written in text columns (`rows`) and
//! the stored certificate details (`certificate_info`).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;

use crate::clock::Clock;
use crate::crypto::{Keyring, MasterKey};
use crate::private_files;

mod accounts;
mod api_keys;
mod certificate_info;
mod certificates;
mod connection_pools;
mod connector_pages;
mod connectors;
mod creation;
mod deletions;
mod embed_origins;
mod embed_sessions;
mod flow_runs;
mod handle;
mod health;
mod history;
mod instances;
mod oauth_tokens;
mod process_flows;
mod publish;
mod rows;
mod sandbox_addresses;
mod saves;
mod secrets;
mod sessions;

pub use accounts::{normalise_email, Credentials};
pub use api_keys::{ApiKeyOwner, ApiKeyRecord};
pub use creation::{Created, Creation};
pub use deletions::{Deletion, DeletionRecord};
pub use embed_sessions::{EmbedSessionRecord, EmbedSessionRow, EmbedTokenRow};
pub use certificates::{CertificateChange, NewCertificates};
pub use flow_runs::FlowPlan;
pub use handle::{Backend, Store};
pub use health::{HealthCandidate, AUTOMATIC_CHECK};
pub use history::HISTORY_LIMIT;
pub use instances::{InstanceConnection, NewInstance};
pub use saves::{InstanceUpdate, LastSave, SaveOutcome};
pub use secrets::Secrets;
pub use sessions::SessionUser;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

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
        let store = Store { pool, backend, keys: Arc::new(Keyring::new(key)), clock: Clock::system(), events: crate::events::EventHub::new() };
        store.refresh_search_keys().await.context("could not index the instances' names for search")?;
        Ok(store)
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
}
