//! The store's handle: the database pool, which database it is, the keys
//! secrets are sealed with and the clock rows are stamped with. Every
//! resource module adds its own `impl Store` block; they share only this.

use std::sync::Arc;

use conduit_types::Timestamp;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyPool, Row};

/// A statement with its values bound, ready to run.
pub(super) type AnyQuery<'q> = sqlx::query::Query<'q, Any, AnyArguments<'q>>;

use crate::clock::Clock;
use crate::crypto::Keyring;
use crate::events::EventHub;
use crate::receipts::ReceiptKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database, and the keys its secrets are sealed with. The store is the
/// only code that reads or writes the `secrets` column.
#[derive(Clone, Debug)]
pub struct Store {
    pub(super) pool: AnyPool,
    pub(super) backend: Backend,
    pub(super) keys: Arc<Keyring>,
    pub(super) clock: Clock,
    /// Where what happens to instances is told to open pages: the store
    /// publishes each event once it is committed.
    pub(super) events: EventHub,
}

impl Store {
    /// The same store, reading the time from `clock` (tests pass a manual one).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock rows are stamped with; the server's one clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(super) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Runs a statement meant for exactly one row (an `UPDATE … WHERE id`);
    /// whether it changed one.
    pub(super) async fn changed_one(&self, statement: AnyQuery<'_>) -> anyhow::Result<bool> {
        Ok(statement.execute(&self.pool).await?.rows_affected() == 1)
    }

    /// Runs a query whose rows have one text column, `column`; its values in
    /// the query's order.
    pub(super) async fn texts(&self, statement: AnyQuery<'_>, column: &str) -> anyhow::Result<Vec<String>> {
        statement.fetch_all(&self.pool).await?.iter().map(|r| Ok(r.try_get(column)?)).collect()
    }

    /// The key test receipts are signed with (derived from the same master key).
    /// The live events of what happens to instances.
    pub fn events(&self) -> &EventHub {
        &self.events
    }

    pub fn receipts(&self) -> &ReceiptKey {
        &self.keys.receipts
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
