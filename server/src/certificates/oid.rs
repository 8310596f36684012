//! The object identifiers of the key algorithms and curves conduit reads.

pub(super) const OID_RSA: &str = "1.2.840.113549.1.1.1";
pub(super) const OID_EC: &str = "1.2.840.10045.2.1";
pub(super) const OID_P256: &str = "1.2.840.10045.3.1.7";
pub(super) const OID_P384: &str = "1.3.132.0.34";
pub(super) const OID_P521: &str = "1.3.132.0.35";
pub(super) const OID_ED25519: &str = "1.3.101.112";
pub(super) const OID_ED448: &str = "1.3.101.113";
