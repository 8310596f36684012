//! The status a check of the saved connection records: what the test
//! found (the same rule as a person's test of the saved connection), and
//! for a connection that works, whether its certificates are expiring or
//! have expired.

use conduit_types::{CertificateState, Expiry, InstanceStatus, TestOutcome, Timestamp};

use crate::instances::status_found;

/// What a check found: `None` when the outcome says nothing about the
/// instance (the status stays as it was).
pub fn status_after_check(
    reconnect: bool,
    outcome: TestOutcome,
    certificate: &CertificateState,
    now: Timestamp,
) -> Option<InstanceStatus> {
    let found = status_found(reconnect, outcome);
    let expiry = certificate.stored().and_then(|stored| Expiry::at(stored.not_after(), now));
    match (found, expiry) {
        (Some(InstanceStatus::Operational), Some(Expiry::Soon { days })) if days <= Expiry::URGENT_DAYS => {
            Some(InstanceStatus::CertificateExpiring)
        }
        // An expired certificate is the reason whatever else the test says.
        (_, Some(Expiry::Expired)) => Some(InstanceStatus::CertificateExpired),
        (found, _) => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use conduit_types::{CertificateInfo, StoredCertificates};

    const NOW: Timestamp = 1_800_000_000;
    const DAY: i64 = 86_400;

    fn certificate(not_after: Timestamp) -> CertificateState {
        let info = CertificateInfo {
            subject: "CN=client".into(),
            issuer: "CN=ca".into(),
            subject_alt_names: vec![],
            not_before: NOW - 365 * DAY,
            not_after,
            sha256_fingerprint: "AA".into(),
            key_type: "ECDSA P-256".into(),
        };
        CertificateState::Stored(StoredCertificates { client: Some(info), ca: None })
    }

    #[test]
    fn without_certificates_the_test_decides() {
        assert_eq!(status_after_check(false, TestOutcome::Ok, &CertificateState::None, NOW), Some(InstanceStatus::Operational));
        assert_eq!(status_after_check(true, TestOutcome::AuthRejected, &CertificateState::None, NOW), Some(InstanceStatus::NeedsReconnecting));
        assert_eq!(status_after_check(false, TestOutcome::Connect, &CertificateState::None, NOW), Some(InstanceStatus::Unreachable));
        assert_eq!(status_after_check(false, TestOutcome::UnexpectedStatus, &CertificateState::None, NOW), None);
    }

    #[test]
    fn a_working_connection_with_a_certificate_expiring_soon_says_so() {
        let soon = certificate(NOW + 5 * DAY);
        assert_eq!(status_after_check(false, TestOutcome::Ok, &soon, NOW), Some(InstanceStatus::CertificateExpiring));
        let later = certificate(NOW + 200 * DAY);
        assert_eq!(status_after_check(false, TestOutcome::Ok, &later, NOW), Some(InstanceStatus::Operational));
        // A failing connection says why it fails, not that a certificate will expire.
        assert_eq!(status_after_check(false, TestOutcome::AuthRejected, &soon, NOW), Some(InstanceStatus::FailedAuthentication));
    }

    #[test]
    fn an_expired_certificate_is_the_status_whatever_the_test_says() {
        let expired = certificate(NOW - DAY);
        assert_eq!(status_after_check(false, TestOutcome::Tls, &expired, NOW), Some(InstanceStatus::CertificateExpired));
        assert_eq!(status_after_check(false, TestOutcome::Ok, &expired, NOW), Some(InstanceStatus::CertificateExpired));
    }
}
