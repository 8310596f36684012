//! The `instances.certificate_info` column: what the dashboard shows of an
//! instance's stored certificates, as JSON. Its own row types with explicit
//! field names, converted to and from the wire's `StoredCertificates`, so a
//! change to `conduit_types` cannot silently change the stored rows.

use anyhow::Context;
use conduit_types::{CertificateInfo, StoredCertificates, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

/// The stored JSON: a client certificate, a trusted CA, or both. A part
/// that is not there is left out (rows from before CA-only uploads have no
/// `ca`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct CertificatesRow {
    #[serde(rename = "client", default, skip_serializing_if = "Option::is_none")]
    pub(super) client: Option<CertificateRow>,
    #[serde(rename = "ca", default, skip_serializing_if = "Option::is_none")]
    pub(super) ca: Option<CertificateRow>,
}

/// One certificate's details, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct CertificateRow {
    #[serde(rename = "subject")]
    subject: String,
    #[serde(rename = "issuer")]
    issuer: String,
    #[serde(rename = "subject_alt_names", default)]
    subject_alt_names: Vec<String>,
    #[serde(rename = "not_before")]
    not_before: Timestamp,
    #[serde(rename = "not_after")]
    not_after: Timestamp,
    #[serde(rename = "sha256_fingerprint")]
    sha256_fingerprint: String,
    #[serde(rename = "key_type")]
    key_type: String,
}

impl From<&CertificateInfo> for CertificateRow {
    fn from(info: &CertificateInfo) -> CertificateRow {
        CertificateRow {
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            subject_alt_names: info.subject_alt_names.clone(),
            not_before: info.not_before,
            not_after: info.not_after,
            sha256_fingerprint: info.sha256_fingerprint.clone(),
            key_type: info.key_type.clone(),
        }
    }
}

impl From<CertificateRow> for CertificateInfo {
    fn from(row: CertificateRow) -> CertificateInfo {
        CertificateInfo {
            subject: row.subject,
            issuer: row.issuer,
            subject_alt_names: row.subject_alt_names,
            not_before: row.not_before,
            not_after: row.not_after,
            sha256_fingerprint: row.sha256_fingerprint,
            key_type: row.key_type,
        }
    }
}

impl From<&StoredCertificates> for CertificatesRow {
    fn from(stored: &StoredCertificates) -> CertificatesRow {
        CertificatesRow { client: stored.client.as_ref().map(Into::into), ca: stored.ca.as_ref().map(Into::into) }
    }
}

impl From<CertificatesRow> for StoredCertificates {
    fn from(row: CertificatesRow) -> StoredCertificates {
        StoredCertificates { client: row.client.map(Into::into), ca: row.ca.map(Into::into) }
    }
}

impl CertificatesRow {
    /// The column's value.
    pub(super) fn encode(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string(self)?)
    }

    /// The column of `row`, if the instance has certificates.
    pub(super) fn read(row: &AnyRow) -> anyhow::Result<Option<CertificatesRow>> {
        row.try_get::<Option<String>, _>("certificate_info")?
            .map(|json| serde_json::from_str(&json).context("stored certificate details are not valid"))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both parts, exactly as the store has written them since certificates
    /// were first stored.
    const BOTH: &str = r#"{"client":{"subject":"CN=orders.example.com, O=Example","issuer":"CN=Example CA","subject_alt_names":["orders.example.com","10.0.0.1"],"not_before":1700000000,"not_after":1800000000,"sha256_fingerprint":"AB:CD","key_type":"ECDSA P-256"},"ca":{"subject":"CN=Example CA","issuer":"CN=Example CA","subject_alt_names":[],"not_before":1600000000,"not_after":1900000000,"sha256_fingerprint":"01:02","key_type":"RSA 2048"}}"#;

    fn info(subject: &str, not_after: Timestamp) -> CertificateInfo {
        CertificateInfo {
            subject: subject.into(),
            issuer: "CN=Example CA".into(),
            subject_alt_names: vec![],
            not_before: 0,
            not_after,
            sha256_fingerprint: "AA".into(),
            key_type: "Ed25519".into(),
        }
    }

    #[test]
    fn stored_certificate_details_read_and_write_in_the_stored_format() {
        let stored: StoredCertificates = serde_json::from_str::<CertificatesRow>(BOTH).unwrap().into();
        let client = stored.client.as_ref().unwrap();
        assert_eq!(client.subject, "CN=orders.example.com, O=Example");
        assert_eq!(client.issuer, "CN=Example CA");
        assert_eq!(client.subject_alt_names, vec!["orders.example.com", "10.0.0.1"]);
        assert_eq!((client.not_before, client.not_after), (1700000000, 1800000000));
        assert_eq!(client.sha256_fingerprint, "AB:CD");
        assert_eq!(client.key_type, "ECDSA P-256");
        let ca = stored.ca.as_ref().unwrap();
        assert_eq!((ca.subject.as_str(), ca.key_type.as_str(), ca.not_after), ("CN=Example CA", "RSA 2048", 1900000000));
        assert_eq!(CertificatesRow::from(&stored).encode().unwrap(), BOTH, "written byte for byte as before");
    }

    #[test]
    fn a_missing_part_is_left_out() {
        let ca_only = StoredCertificates { client: None, ca: Some(info("CN=Partner CA", 100)) };
        let json = CertificatesRow::from(&ca_only).encode().unwrap();
        assert_eq!(
            json,
            r#"{"ca":{"subject":"CN=Partner CA","issuer":"CN=Example CA","subject_alt_names":[],"not_before":0,"not_after":100,"sha256_fingerprint":"AA","key_type":"Ed25519"}}"#
        );
        let back: StoredCertificates = serde_json::from_str::<CertificatesRow>(&json).unwrap().into();
        assert_eq!(back, ca_only);
        let client_only = StoredCertificates { client: Some(info("CN=c", 9)), ca: None };
        assert!(!CertificatesRow::from(&client_only).encode().unwrap().contains("\"ca\""));
    }

    #[test]
    fn details_from_before_ca_only_uploads_still_read() {
        let old = r#"{"client":{"subject":"CN=c","issuer":"CN=i","not_before":0,"not_after":9,"sha256_fingerprint":"AA","key_type":"Ed25519"}}"#;
        let stored: StoredCertificates = serde_json::from_str::<CertificatesRow>(old).unwrap().into();
        let client = stored.client.unwrap();
        assert_eq!((client.not_after, client.subject_alt_names.len()), (9, 0));
        assert_eq!(stored.ca, None);
    }
}
