//! The saved settings and secrets a flow's request uses, read at the
//! moment it is made. A copy is kept per instance, keyed by its version:
//! each request asks the database for the instance's current version (one
//! indexed read) and reads the whole instance again only when a save moved
//! it, so a save takes effect at the very next request and a request never
//! uses an older copy. One request uses one snapshot, never parts of two.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use conduit_types::Id;

use crate::engine::OAuthTokens;
use crate::store::{InstanceConnection, Store};

/// How often a snapshot is retried when a save lands while it is taken.
const ATTEMPTS: usize = 3;

/// One version of an instance as saved, with its OAuth tokens when its
/// method has them.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub connection: Arc<InstanceConnection>,
    /// The tokens and when they were authorised.
    pub tokens: Option<(OAuthTokens, conduit_types::Timestamp)>,
}

impl Snapshot {
    pub fn version(&self) -> i64 {
        self.connection.settings.version
    }
}

/// The copies, by instance.
#[derive(Debug, Default)]
pub struct Snapshots {
    copies: Mutex<HashMap<Id, Arc<InstanceConnection>>>,
}

impl Snapshots {
    /// The instance as saved now (`None`: it is gone or not the company's).
    pub async fn take(&self, store: &Store, company_id: Id, instance_id: Id) -> anyhow::Result<Option<Snapshot>> {
        for _ in 0..ATTEMPTS {
            let Some(version) = store.instance_version(company_id, instance_id).await? else {
                self.forget(instance_id);
                return Ok(None);
            };
            let connection = match self.copy(instance_id, version) {
                Some(copy) => copy,
                None => {
                    let Some(read) = store.connection(company_id, instance_id).await? else {
                        return Ok(None);
                    };
                    let read = Arc::new(read);
                    self.copies.lock().unwrap_or_else(|e| e.into_inner()).insert(instance_id, read.clone());
                    read
                }
            };
            let needs_tokens = connection
                .settings
                .connector
                .definition
                .auth_method(&connection.settings.authentication.method)
                .is_some_and(|m| m.kind.needs_user_step());
            let tokens = if needs_tokens { store.oauth_tokens(company_id, instance_id).await? } else { None };
            // Saved again meanwhile (new tokens come with a new version):
            // take it again rather than mix two versions.
            if store.instance_version(company_id, instance_id).await? == Some(connection.settings.version) {
                return Ok(Some(Snapshot { connection, tokens }));
            }
        }
        anyhow::bail!("instance {instance_id} kept changing while a flow read it")
    }

    /// The kept copy of `instance_id` when it is of `version` (read for the
    /// company just before, so the copy is the company's).
    fn copy(&self, instance_id: Id, version: i64) -> Option<Arc<InstanceConnection>> {
        let copies = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        copies.get(&instance_id).filter(|c| c.settings.version == version).cloned()
    }

    fn forget(&self, instance_id: Id) {
        self.copies.lock().unwrap_or_else(|e| e.into_inner()).remove(&instance_id);
    }
}
