//! Encryption at rest: the master key, the subkeys derived from it, and the
//! vault that seals instance secrets.
//!
//! One 32-byte master key comes from configuration (`--secret-key`,
//! `CONDUIT_SECRET_KEY`) or, for the embedded database, from a key file in the
//! data directory created on first start. It is never used directly: each use
//! gets its own subkey, HMAC-SHA256(master, label), so a receipt signature can
//! never be confused with a ciphertext.
//!
//! Secrets are sealed with AES-256-GCM under a random 96-bit nonce per write,
//! with the instance id as associated data: a ciphertext copied into another
//! instance's row does not open there.

use std::fmt;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine as _;
use conduit_types::Id;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use crate::receipts::ReceiptKey;

/// The name of the key file in the data directory (embedded mode).
pub const KEY_FILE: &str = "secret.key";

const SECRETS_LABEL: &str = "conduit/secrets/v1";
const RECEIPTS_LABEL: &str = "conduit/receipts/v1";
const RECEIPT_DIGEST_LABEL: &str = "conduit/receipts/draft-digest/v1";
const SEALED_PREFIX: &str = "v1.";

/// The master key. Its Debug output shows nothing of the key.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(…)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> MasterKey {
        MasterKey(bytes)
    }

    /// A new random key.
    pub fn random() -> MasterKey {
        let mut bytes = [0u8; 32];
        SystemRandom::new()
            .fill(&mut bytes)
            .expect("the operating system's random number generator works");
        MasterKey(bytes)
    }

    /// Reads a key written as 64 hexadecimal characters or as base64 of 32
    /// bytes. The error never repeats the text it was given.
    pub fn parse(text: &str) -> Result<MasterKey, String> {
        let text = text.trim();
        let decoded = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).ok()
        } else {
            use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|engine| engine.decode(text).ok())
        };
        decoded
            .and_then(|bytes| <[u8; 32]>::try_from(bytes.as_slice()).ok())
            .map(MasterKey)
            .ok_or_else(|| {
                "The secret key must be 32 bytes written as 64 hexadecimal characters \
                 (e.g. the output of `openssl rand -hex 32`), or as base64."
                    .to_owned()
            })
    }

    /// The key as 64 hexadecimal characters, as the key file holds it.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// HMAC-SHA256(master, label): a key for one purpose only.
    fn subkey(&self, label: &str) -> [u8; 32] {
        let master = hmac::Key::new(hmac::HMAC_SHA256, &self.0);
        let tag = hmac::sign(&master, label.as_bytes());
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }

    /// Reads the key file at `path`, or creates it with a new random key,
    /// readable by its owner only. Refuses a file others can read.
    pub fn load_or_create(path: &Path) -> anyhow::Result<MasterKey> {
        match create_key_file(path) {
            Ok(key) => {
                tracing::info!(path = %path.display(), "created a new secret key file");
                return Ok(key);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(e).with_context(|| format!("could not create the secret key file {}", path.display()))
            }
        }
        check_owner_only(path)?;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("could not read the secret key file {}", path.display()))?;
        MasterKey::parse(&text).map_err(|problem| {
            anyhow::anyhow!("The secret key file {} is not valid. {problem}", path.display())
        })
    }
}

/// Creates the key file with `create_new` and mode 0600 in one step, so there
/// is no moment at which others could read it.
fn create_key_file(path: &Path) -> std::io::Result<MasterKey> {
    let mut file = crate::private_files::owner_only_options().write(true).create_new(true).open(path)?;
    let key = MasterKey::random();
    let written = file
        .write_all(format!("{}\n", key.to_hex()).as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        // A half-written key file would lock the data out on the next start.
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(key)
}

#[cfg(unix)]
fn check_owner_only(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .with_context(|| format!("could not read the secret key file {}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        anyhow::bail!(
            "The secret key file {path} can be read by other users of this machine (mode {mode:o}). \
             Make it readable by its owner only, e.g. `chmod 600 {path}`, then start conduit again.",
            path = path.display(),
            mode = mode & 0o777,
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_only(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// The keys derived from one master key.
pub struct Keyring {
    pub vault: Vault,
    pub receipts: ReceiptKey,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keyring(…)")
    }
}

impl Keyring {
    pub fn new(master: &MasterKey) -> Keyring {
        Keyring {
            vault: Vault::new(&master.subkey(SECRETS_LABEL)),
            receipts: ReceiptKey::new(&master.subkey(RECEIPTS_LABEL), &master.subkey(RECEIPT_DIGEST_LABEL)),
        }
    }
}

/// Seals and opens instance secrets.
pub struct Vault {
    key: LessSafeKey,
    random: SystemRandom,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Vault(…)")
    }
}

/// Why sealed data did not open. Neither variant says anything of the data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpenError {
    #[error("the stored value is not in a format conduit wrote")]
    Malformed,
    #[error(
        "the stored value cannot be decrypted: it was written with another secret key \
         (check --secret-key / CONDUIT_SECRET_KEY, or the key file), or it belongs to another row"
    )]
    Rejected,
}

impl Vault {
    fn new(subkey: &[u8; 32]) -> Vault {
        let key = UnboundKey::new(&AES_256_GCM, subkey).expect("a 32-byte key suits AES-256-GCM");
        Vault { key: LessSafeKey::new(key), random: SystemRandom::new() }
    }

    fn aad(instance_id: Id) -> String {
        format!("conduit instance {instance_id}")
    }

    /// The private key of an instance's client certificate is bound to its
    /// purpose too, so a sealed secrets map cannot stand in for it (or the
    /// other way round).
    fn key_aad(instance_id: Id) -> String {
        format!("conduit instance {instance_id} client certificate key")
    }

    /// `v1.` + base64(nonce ‖ ciphertext ‖ tag), bound to `instance_id`.
    pub fn seal(&self, instance_id: Id, plaintext: &[u8]) -> anyhow::Result<String> {
        self.seal_with(&Self::aad(instance_id), plaintext)
    }

    pub fn open(&self, instance_id: Id, sealed: &str) -> Result<Vec<u8>, OpenError> {
        self.open_with(&Self::aad(instance_id), sealed)
    }

    /// Seals the private key of `instance_id`'s client certificate.
    pub fn seal_certificate_key(&self, instance_id: Id, pkcs8_der: &[u8]) -> anyhow::Result<String> {
        self.seal_with(&Self::key_aad(instance_id), pkcs8_der)
    }

    pub fn open_certificate_key(&self, instance_id: Id, sealed: &str) -> Result<Vec<u8>, OpenError> {
        self.open_with(&Self::key_aad(instance_id), sealed)
    }

    fn seal_with(&self, aad: &str, plaintext: &[u8]) -> anyhow::Result<String> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| anyhow::anyhow!("the random number generator failed"))?;
        let mut in_out = plaintext.to_vec();
        self.key
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(aad.as_bytes()), &mut in_out)
            .map_err(|_| anyhow::anyhow!("could not encrypt"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + in_out.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&in_out);
        Ok(format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(out)))
    }

    fn open_with(&self, aad: &str, sealed: &str) -> Result<Vec<u8>, OpenError> {
        let data = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .filter(|d| d.len() >= NONCE_LEN + AES_256_GCM.tag_len())
            .ok_or(OpenError::Malformed)?;
        let (nonce, sealed) = data.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| OpenError::Malformed)?;
        let mut in_out = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut in_out)
            .map_err(|_| OpenError::Rejected)?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_only_with_its_key_and_for_its_instance() {
        let keys = Keyring::new(&MasterKey::random());
        let sealed = keys.vault.seal(7, b"hunter2").unwrap();
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("hunter2"));
        assert_eq!(keys.vault.open(7, &sealed).unwrap(), b"hunter2");
        // A fresh nonce every time: the same value never seals the same way twice.
        assert_ne!(keys.vault.seal(7, b"hunter2").unwrap(), sealed);

        assert_eq!(keys.vault.open(8, &sealed), Err(OpenError::Rejected), "bound to the instance");
        let other = Keyring::new(&MasterKey::random());
        assert_eq!(other.vault.open(7, &sealed), Err(OpenError::Rejected), "bound to the key");

        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 3;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert!(keys.vault.open(7, &tampered).is_err());
        assert_eq!(keys.vault.open(7, "hunter2"), Err(OpenError::Malformed));
        assert_eq!(keys.vault.open(7, "v1.AAAA"), Err(OpenError::Malformed));
        // A sealed certificate key and a sealed secrets map are not interchangeable.
        assert_eq!(keys.vault.open_certificate_key(7, &sealed), Err(OpenError::Rejected));
        let key = keys.vault.seal_certificate_key(7, b"pkcs8").unwrap();
        assert_eq!(keys.vault.open_certificate_key(7, &key).unwrap(), b"pkcs8");
        assert_eq!(keys.vault.open(7, &key), Err(OpenError::Rejected));
    }

    #[test]
    fn receipts_are_signed_with_a_key_of_the_master_key() {
        use conduit_types::draft::{CertificateDraft, ConnectionDraft, DraftAuthentication};
        use crate::receipts::{ReceiptError, ReceiptScope};
        let variables = std::collections::BTreeMap::new();
        let authentication = DraftAuthentication { method: "bearer".into(), fields: Default::default() };
        let draft = ConnectionDraft { variables: &variables, authentication: &authentication, certificate: &CertificateDraft::Keep };
        let scope = ReceiptScope::instance(1, 7, 3);
        let ours = Keyring::new(&MasterKey::from_bytes([9; 32])).receipts;
        let again = Keyring::new(&MasterKey::from_bytes([9; 32])).receipts;
        let theirs = Keyring::new(&MasterKey::from_bytes([8; 32])).receipts;
        let token = ours.issue(scope, &draft, 1_000).token;
        assert_eq!(again.verify(&token, scope, &draft, 1_001), Ok(1_000));
        assert_eq!(theirs.verify(&token, scope, &draft, 1_001), Err(ReceiptError::Invalid));
    }

    #[test]
    fn subkeys_differ_by_label_and_by_master_key() {
        let a = MasterKey::from_bytes([1; 32]);
        let b = MasterKey::from_bytes([2; 32]);
        assert_ne!(a.subkey(SECRETS_LABEL), a.subkey(RECEIPTS_LABEL));
        assert_ne!(a.subkey(SECRETS_LABEL), b.subkey(SECRETS_LABEL));
        assert_eq!(a.subkey(SECRETS_LABEL), a.subkey(SECRETS_LABEL));
        assert_ne!(a.subkey(SECRETS_LABEL), [1; 32]);
    }

    #[test]
    fn keys_are_read_as_hex_or_base64_and_errors_never_repeat_the_text() {
        let key = MasterKey::random();
        let hex = key.to_hex();
        assert_eq!(MasterKey::parse(&format!("  {hex}\n")).unwrap().0, key.0);
        let b64 = base64::engine::general_purpose::STANDARD.encode(key.0);
        assert_eq!(MasterKey::parse(&b64).unwrap().0, key.0);
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.0);
        assert_eq!(MasterKey::parse(&b64url).unwrap().0, key.0);

        for bad in ["", "abc123", &hex[..62], &format!("{hex}00"), "zz-not-a-key-zz"] {
            let message = MasterKey::parse(bad).unwrap_err();
            assert!(message.contains("64 hexadecimal characters"), "{message}");
            if !bad.is_empty() {
                assert!(!message.contains(bad), "{message}");
            }
        }
    }

    #[test]
    fn debug_output_shows_no_key_material() {
        let key = MasterKey::from_bytes([0xab; 32]);
        let shown = format!("{key:?} {:?}", Keyring::new(&key));
        assert!(!shown.contains("ab") && !shown.contains("171"), "{shown}");
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_owner_only_reused_and_refused_when_others_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let first = MasterKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = MasterKey::load_or_create(&path).unwrap();
        assert_eq!(first.0, again.0, "the same key on the next start");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let refused = MasterKey::load_or_create(&path).unwrap_err().to_string();
        assert!(refused.contains("can be read by other users"), "{refused}");
        assert!(refused.contains("chmod 600"), "{refused}");
        assert!(!refused.contains(&first.to_hex()), "{refused}");

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&path, "not a key").unwrap();
        let invalid = MasterKey::load_or_create(&path).unwrap_err().to_string();
        assert!(invalid.contains("is not valid"), "{invalid}");
    }
}
