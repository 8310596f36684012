//! Tests of the certificate expiry warnings and sentences.

use super::*;

#[test]
fn certificates_warn_within_thirty_days_more_strongly_within_fourteen() {
    let now = 1_700_000_000;
    let day = 86_400;
    assert_eq!(Expiry::at(now + 30 * day + 1, now), None);
    assert_eq!(Expiry::at(now + 31 * day, now), None);
    assert_eq!(
        Expiry::at(now + 30 * day, now),
        Some(Expiry::Soon { days: 30 })
    );
    assert!(!Expiry::at(now + 15 * day, now).unwrap().is_urgent());
    assert!(Expiry::at(now + 14 * day + 5, now).unwrap().is_urgent());
    assert_eq!(Expiry::at(now + 60, now), Some(Expiry::Soon { days: 0 }));
    // Valid through `not_after` itself.
    assert_eq!(Expiry::at(now, now), Some(Expiry::Soon { days: 0 }));
    assert_eq!(Expiry::at(now - 1, now), Some(Expiry::Expired));
    assert_eq!(Expiry::at(i64::MIN, i64::MAX), Some(Expiry::Expired));
    assert!(Expiry::Expired.is_urgent());
}

#[test]
fn expiry_sentences() {
    assert_eq!(Expiry::Expired.sentence(), "expired");
    assert_eq!(Expiry::Soon { days: 0 }.sentence(), "expires within a day");
    assert_eq!(Expiry::Soon { days: 1 }.sentence(), "expires in 1 day");
    assert_eq!(Expiry::Soon { days: 9 }.sentence(), "expires in 9 days");
}
