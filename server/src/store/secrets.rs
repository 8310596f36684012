//! The values of an instance's secret fields, and the `secrets` column they
//! are sealed in: one JSON map per instance, encrypted and bound to its id.

use std::collections::BTreeMap;

use conduit_types::Id;

use super::handle::Store;
use super::rows;

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
