//! The values of an instance's secret fields, and the `secrets` column they
//! are sealed in: one JSON map per instance, encrypted and bound to its id.

use std::collections::BTreeMap;

use conduit_types::Id;

use super::handle::Store;
use super::rows;

/// The values of an instance's secret fields, by key: the credentials'
/// field values, whose Debug output names the fields only.
pub use crate::credentials::FieldValues as Secrets;

impl Store {
    /// The sealed form of `secrets` for instance `id`; `None` when there is
    /// no value to keep.
    pub(super) fn seal_secrets(&self, id: Id, secrets: &Secrets) -> anyhow::Result<Option<String>> {
        let kept: BTreeMap<&str, &str> = secrets
            .0
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        if kept.is_empty() {
            return Ok(None);
        }
        let json = rows::encode_map(&kept)?;
        self.keys.vault.seal(id, json.as_bytes()).map(Some)
    }

    pub(super) fn open_secrets(&self, id: Id, sealed: Option<&str>) -> anyhow::Result<Secrets> {
        let Some(sealed) = sealed else {
            return Ok(Secrets::default());
        };
        let json = self
            .keys
            .vault
            .open(id, sealed)
            .map_err(|e| anyhow::anyhow!("could not read the secrets of instance {id}: {e}"))?;
        let map = rows::decode_map(&json)
            .map_err(|_| anyhow::anyhow!("the secrets of instance {id} are not a map of values"))?;
        Ok(Secrets(map))
    }
}
