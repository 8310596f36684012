use conduit_types::developer::ApiKeySummary;

use super::*;

fn key(id: i64) -> ApiKeySummary {
    ApiKeySummary {
        id,
        name: format!("key {id}"),
        prefix: format!("ck_{id}"),
        created_at: 0,
        created_by: "Ada Lovelace".into(),
        last_used_at: None,
    }
}

fn ids(list: &KeyList) -> Vec<i64> {
    list.keys().iter().map(|k| k.id).collect()
}

#[test]
fn a_created_key_goes_on_top() {
    let mut list = KeyList::new(vec![key(1)]);
    list.add(key(2));
    assert_eq!(ids(&list), [2, 1]);
}

#[test]
fn after_revoking_focus_goes_to_the_next_key_then_the_one_before_then_the_heading() {
    let mut list = KeyList::new(vec![key(3), key(2), key(1)]);
    assert!(list.start_revoke(2));
    assert!(!list.start_revoke(1), "one at a time");
    assert_eq!(list.revoking(), Some(2));
    assert_eq!(list.revoked(2), RevokeFocus::Key(1));
    assert_eq!(list.revoking(), None);
    assert_eq!(ids(&list), [3, 1]);
    list.start_revoke(1);
    assert_eq!(list.revoked(1), RevokeFocus::Key(3));
    list.start_revoke(3);
    assert_eq!(list.revoked(3), RevokeFocus::Heading);
    assert!(list.keys().is_empty());
}

#[test]
fn a_failed_revoke_keeps_the_key_and_says_why() {
    let mut list = KeyList::new(vec![key(1)]);
    list.start_revoke(1);
    list.revoke_failed(&ApiError::Unreachable);
    assert_eq!(ids(&list), [1]);
    assert_eq!(list.revoking(), None);
    assert!(list.problem().unwrap().ends_with('.'));
    list.start_revoke(1);
    assert_eq!(list.problem(), None);
}

#[test]
fn last_used_says_never_or_when() {
    let mut k = key(1);
    assert_eq!(last_used(&k), "never used");
    k.last_used_at = Some(86_400 + 9 * 3600 + 5 * 60);
    assert_eq!(last_used(&k), "2 Jan 1970, 09:05 UTC");
}
