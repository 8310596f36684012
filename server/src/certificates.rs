//! What a user uploads on an instance's certificates tab, read and checked:
//! a client identity (a PEM certificate chain with its private key, or a
//! PKCS#12 archive), a CA certificate for the instance to trust, or both.
//!
//! Pure functions: no HTTP, no storage. Errors are one sentence each, tied to
//! the form field they belong to, and never include key material or the
//! passphrase.

mod check;
mod error;
mod keys;
mod oid;
mod pem;
mod pkcs12;
mod private_key;
mod upload;
mod x509;

pub use check::{check_upload, parse_ca, parse_identity, pem_encode, CheckedUpload};
pub use error::{CertificateError, Field, Scheme};
pub use private_key::PrivateKey;
pub use upload::{ParsedIdentity, Upload};
pub use x509::CertificateInfo;
