//! What demo mode gives the sample partner portal (`demo-portal`): an API key
//! whose secret the operator chose (env `CONDUIT_DEMO_API_KEY`, stored hashed
//! like every key, named "demo partner portal") and the portal's origin among
//! the origins allowed to embed (env `CONDUIT_DEMO_PORTAL_ORIGIN`, one or
//! more, comma-separated). Both are checked first; a bad value stops the
//! start with a sentence that names the variable, never its value.

use anyhow::Context;
use base64::Engine as _;
use conduit_types::address::origin;
use conduit_types::Id;

use super::data::{COMPANY, EMAIL};
use crate::developer::{PREFIX_CHARS, SECRET_PREFIX};
use crate::store::{ApiKeyRecord, Store};
use crate::tokens::token_hash;

/// The environment variable with the demo portal's API key.
pub const ENV_KEY: &str = "CONDUIT_DEMO_API_KEY";
/// The environment variable with the demo portal's origin(s).
pub const ENV_ORIGIN: &str = "CONDUIT_DEMO_PORTAL_ORIGIN";
/// The name the key is listed by in the developer settings.
pub const KEY_NAME: &str = "demo partner portal";

/// What to seed for the portal; empty when neither variable is set.
#[derive(Default)]
pub struct PortalSeed {
    key: Option<String>,
    pub origins: Vec<String>,
}

// No Debug: the key must not end up in a log line by accident.

impl PortalSeed {
    /// From the process's environment.
    pub fn from_env() -> anyhow::Result<PortalSeed> {
        let read = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
        PortalSeed::parse(read(ENV_KEY).as_deref(), read(ENV_ORIGIN).as_deref()).map_err(anyhow::Error::msg)
    }

    /// From the variables' values: the key must be `ck_` and 256 bits, in
    /// hex (64 digits) or URL-safe base64 (43 characters, as conduit makes
    /// them); each origin must be one a browser sends.
    pub fn parse(key: Option<&str>, origins: Option<&str>) -> Result<PortalSeed, String> {
        let key = key.map(str::trim).map(|k| valid_key(k).map(|()| k.to_owned())).transpose()?;
        let origins = match origins {
            None => vec![],
            Some(list) => list
                .split(',')
                .filter(|o| !o.trim().is_empty())
                .map(|o| origin(o).map_err(|problem| format!("{ENV_ORIGIN} must list origins: {problem}")))
                .collect::<Result<_, _>>()?,
        };
        Ok(PortalSeed { key, origins })
    }

    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }
}

/// Whether `key` has the shape of the demo key (see [`PortalSeed::parse`]).
pub fn valid_key(key: &str) -> Result<(), String> {
    let bits = key.strip_prefix(SECRET_PREFIX).and_then(|body| {
        let hex = (body.len() == 64).then(|| hex::decode(body).ok()).flatten();
        hex.or_else(|| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).ok())
    });
    match bits {
        Some(bits) if bits.len() == 32 => Ok(()),
        _ => Err(format!(
            "{ENV_KEY} must be {SECRET_PREFIX} followed by 256 random bits, in hex (64 digits, e.g. from `openssl rand -hex 32`) or URL-safe base64 (43 characters)."
        )),
    }
}

/// Gives the demo company the portal's key and origins. A key named
/// [`KEY_NAME`] with another secret is revoked (each run may choose a new
/// one); the origins are added after those already allowed. Answers the
/// key's id, or `None` when there was no key to seed.
pub async fn seed_portal(store: &Store, seed: &PortalSeed) -> anyhow::Result<Option<Id>> {
    let company = store.company_named(COMPANY).await?.context("the demo company is not there")?;
    if !seed.origins.is_empty() {
        let mut allowed = store.embed_origins(company).await?;
        let before = allowed.len();
        allowed.extend(seed.origins.iter().filter(|o| !allowed.contains(o)).cloned().collect::<Vec<_>>());
        if allowed.len() > before {
            store.replace_embed_origins(company, &allowed).await?;
        }
    }
    let Some(secret) = &seed.key else { return Ok(None) };
    let secret_hash = token_hash(secret);
    if let Some(owner) = store.api_key_by_secret(secret).await? {
        anyhow::ensure!(owner.company_id == company, "{ENV_KEY} is another company's key");
        return Ok(Some(owner.key_id));
    }
    for old in store.api_keys(company).await?.into_iter().filter(|k| k.name == KEY_NAME) {
        store.revoke_api_key(company, old.id).await?;
    }
    let user = store.credentials(EMAIL).await?.context("the demo user is not there")?;
    let prefix: String = secret.chars().take(PREFIX_CHARS).collect();
    let record = ApiKeyRecord { company_id: company, created_by: user.user_id, name: KEY_NAME, prefix: &prefix, secret_hash: &secret_hash };
    Ok(Some(store.create_api_key(&record).await?.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "ck_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn a_key_is_ck_and_256_bits_in_hex_or_base64() {
        assert!(PortalSeed::parse(Some(HEX), None).unwrap().has_key());
        let made = crate::developer::new_key().secret;
        assert!(PortalSeed::parse(Some(&made), None).unwrap().has_key());
        assert!(!PortalSeed::parse(None, None).unwrap().has_key());
    }

    #[test]
    fn a_key_of_another_shape_is_refused_without_echoing_it() {
        for bad in [&HEX[3..], &HEX[..HEX.len() - 2], "ck_short", "ck_zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "sk_0011"] {
            let problem = PortalSeed::parse(Some(bad), None).err().unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(problem.starts_with("CONDUIT_DEMO_API_KEY must be ck_"), "{problem}");
            assert!(!problem.contains(bad), "{problem}");
        }
    }

    #[test]
    fn origins_are_normalised_and_a_bad_one_is_refused() {
        let seed = PortalSeed::parse(None, Some("http://LOCALHOST:3001/, https://portal.example")).unwrap();
        assert_eq!(seed.origins, ["http://localhost:3001", "https://portal.example"]);
        let problem = PortalSeed::parse(None, Some("http://localhost:3001/portal")).err().unwrap();
        assert!(problem.starts_with("CONDUIT_DEMO_PORTAL_ORIGIN must list origins: "), "{problem}");
        assert!(PortalSeed::parse(None, Some("portal.example")).is_err());
    }
}
