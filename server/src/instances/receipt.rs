//! Test receipts as the instance rules use them: a passing test of a draft
//! earns one, and a save that changes the connection needs one for exactly
//! that draft, from the same version, not yet expired by the server's clock.

use conduit_types::draft::{InstanceDraft, TestReceipt};
use conduit_types::{Id, Timestamp};

use crate::clock::Clock;
use crate::error::AppError;
use crate::receipts::{ReceiptError, ReceiptKey, ReceiptScope};
use crate::store::SessionUser;

pub const RECEIPT_MISSING: &str =
    "These changes affect the connection. Test the connection, then save once the test passes.";
pub const RECEIPT_INVALID: &str = "The test receipt is not valid. Test the connection again, then save.";
pub const RECEIPT_EXPIRED: &str =
    "The passing test is more than 15 minutes old. Test the connection again, then save.";
pub const RECEIPT_OTHER_DRAFT: &str =
    "These settings are not the ones that passed the test. Test the connection again, then save.";

fn scope(user: &SessionUser, instance_id: Id, base_version: i64) -> ReceiptScope {
    ReceiptScope::instance(user.company_id, instance_id, base_version)
}

/// The receipt for a passing test, at `tested_at`, of `draft` of instance
/// `instance_id` from `base_version`.
pub fn issue(
    keys: &ReceiptKey,
    user: &SessionUser,
    instance_id: Id,
    base_version: i64,
    draft: &InstanceDraft,
    tested_at: Timestamp,
) -> TestReceipt {
    issue_for(keys, scope(user, instance_id, base_version), draft, tested_at)
}

/// The receipt for a passing test, at `tested_at`, of `draft` in `scope`
/// (an instance's, or a new instance's of a connector).
pub fn issue_for(keys: &ReceiptKey, scope: ReceiptScope, draft: &InstanceDraft, tested_at: Timestamp) -> TestReceipt {
    keys.issue(scope, &draft.connection(), tested_at)
}

/// When the test that earned `token` passed, if `token` is a receipt for
/// exactly this draft of this instance from this version and has not
/// expired by `clock`; else why not, as a sentence.
pub fn check(
    keys: &ReceiptKey,
    token: Option<&str>,
    user: &SessionUser,
    instance_id: Id,
    base_version: i64,
    draft: &InstanceDraft,
    clock: &Clock,
) -> Result<Timestamp, AppError> {
    check_for(keys, token, scope(user, instance_id, base_version), draft, clock)
}

/// [`check`] for a receipt in `scope`.
pub fn check_for(
    keys: &ReceiptKey,
    token: Option<&str>,
    scope: ReceiptScope,
    draft: &InstanceDraft,
    clock: &Clock,
) -> Result<Timestamp, AppError> {
    let token = token.ok_or_else(|| AppError::TestRequired(RECEIPT_MISSING.into()))?;
    keys.verify(token, scope, &draft.connection(), clock.now())
        .map_err(|e| AppError::TestRequired(refusal(e).to_owned()))
}

/// What the user is told when a receipt is refused.
fn refusal(error: ReceiptError) -> &'static str {
    match error {
        ReceiptError::Invalid => RECEIPT_INVALID,
        ReceiptError::Expired => RECEIPT_EXPIRED,
        ReceiptError::OtherDraft => RECEIPT_OTHER_DRAFT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::fixture::{draft_of, stored, user};
    use crate::receipts::RECEIPT_SECONDS;
    use conduit_types::draft::DraftField;

    const NOW: Timestamp = 1_800_000_000;

    fn keys() -> ReceiptKey {
        ReceiptKey::new(&[1; 32], &[2; 32])
    }

    fn refused(result: Result<Timestamp, AppError>) -> String {
        match result {
            Err(AppError::TestRequired(message)) => message,
            other => panic!("not refused for a test: {other:?}"),
        }
    }

    #[test]
    fn a_receipt_expires_fifteen_minutes_after_the_test_by_the_servers_clock() {
        let (keys, clock, ada) = (keys(), Clock::manual(NOW), user(1));
        let draft = draft_of(&stored("bearer", &[], &[("token", "t")]));
        let receipt = issue(&keys, &ada, 7, 3, &draft, clock.now());
        assert_eq!(receipt.expires_at, NOW + RECEIPT_SECONDS);

        clock.advance(RECEIPT_SECONDS - 1);
        assert_eq!(check(&keys, Some(&receipt.token), &ada, 7, 3, &draft, &clock).unwrap(), NOW);
        clock.advance(1);
        assert_eq!(refused(check(&keys, Some(&receipt.token), &ada, 7, 3, &draft, &clock)), RECEIPT_EXPIRED);
    }

    #[test]
    fn a_missing_forged_or_foreign_receipt_is_refused_in_words() {
        let (keys, clock, ada) = (keys(), Clock::manual(NOW), user(1));
        let draft = draft_of(&stored("bearer", &[], &[("token", "t")]));
        let token = issue(&keys, &ada, 7, 3, &draft, NOW).token;

        assert_eq!(refused(check(&keys, None, &ada, 7, 3, &draft, &clock)), RECEIPT_MISSING);
        assert_eq!(refused(check(&keys, Some("forged.receipt"), &ada, 7, 3, &draft, &clock)), RECEIPT_INVALID);
        assert_eq!(refused(check(&keys, Some(&token), &ada, 8, 3, &draft, &clock)), RECEIPT_OTHER_DRAFT);
        assert_eq!(refused(check(&keys, Some(&token), &ada, 7, 4, &draft, &clock)), RECEIPT_OTHER_DRAFT);

        let mut replaced = draft.clone();
        replaced.authentication.fields.insert("token".into(), DraftField::Replace { value: "other".into() });
        assert_eq!(refused(check(&keys, Some(&token), &ada, 7, 3, &replaced, &clock)), RECEIPT_OTHER_DRAFT);

        let mut other_company = user(1);
        other_company.company_id = 2;
        assert_eq!(refused(check(&keys, Some(&token), &other_company, 7, 3, &draft, &clock)), RECEIPT_OTHER_DRAFT);
    }

    /// The digest covers only what reaches the provider: renaming a tested
    /// draft, or changing its time zone or connection pool, keeps its receipt.
    #[test]
    fn a_renamed_draft_keeps_its_receipt() {
        let key = keys();
        let scope = || ReceiptScope::instance(1, 7, 3);
        let mut draft = draft_of(&stored("bearer", &[], &[]));
        draft.authentication.fields.insert("token".into(), DraftField::Replace { value: "t-1".into() });
        let token = key.issue(scope(), &draft.connection(), NOW).token;
        draft.details.name = "Warehouse EU".into();
        draft.details.time_zone = "Europe/Paris".into();
        draft.details.connection_pool = Some("bulk".into());
        assert_eq!(key.verify(&token, scope(), &draft.connection(), NOW + 5), Ok(NOW));
    }
}
