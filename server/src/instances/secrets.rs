//! Which values a connection made from a draft uses: the draft's plain
//! fields, the secrets it replaces, and the stored secrets it may keep.
//!
//! Whether a stored secret may be kept is decided once, by
//! [`draft::keepable_secret`] (the same rule the dashboard shows); this only
//! applies it. The draft was validated before (a draft that changes where
//! credentials go cannot keep them).

use std::collections::BTreeMap;

use conduit_types::draft::{self, DraftField, InstanceDraft};
use conduit_types::AuthMethodDef;

use crate::engine::FieldValues;
use crate::store::{InstanceConnection, Secrets};

/// The draft's values with its secrets resolved: kept ones from the store
/// (when the draft may keep them), replaced ones from the draft. Fields the
/// draft's method does not have, values of the wrong kind and cleared
/// secrets are left out. Returns (plain fields, secrets).
pub fn merge(stored: &InstanceConnection, method: &AuthMethodDef, draft: &InstanceDraft) -> (FieldValues, Secrets) {
    let mut plain = BTreeMap::new();
    let mut secrets = BTreeMap::new();
    for def in &method.fields {
        match draft.authentication.fields.get(&def.key) {
            Some(DraftField::Plain { value }) if !def.secret => {
                plain.insert(def.key.clone(), value.clone());
            }
            Some(DraftField::Replace { value }) if def.secret => {
                secrets.insert(def.key.clone(), value.clone());
            }
            None | Some(DraftField::Keep) if def.secret && draft::keepable_secret(&stored.settings, draft, &def.key) => {
                if let Some(value) = stored.secrets.get(&def.key) {
                    secrets.insert(def.key.clone(), value.to_owned());
                }
            }
            _ => {}
        }
    }
    (FieldValues(plain), Secrets(secrets))
}

/// Every field value a connection made from `draft` uses, secrets resolved
/// as [`merge`] does.
pub fn connection_fields(stored: &InstanceConnection, method: &AuthMethodDef, draft: &InstanceDraft) -> FieldValues {
    let (mut fields, secrets) = merge(stored, method, draft);
    fields.0.extend(secrets.0);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::fixture::{draft_of, stored};

    fn merged(stored: &InstanceConnection, draft: &InstanceDraft) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let method = stored.settings.connector.definition.auth_method(&draft.authentication.method).unwrap();
        let (plain, secrets) = merge(stored, method, draft);
        (plain.0, secrets.0)
    }

    fn set(draft: &mut InstanceDraft, key: &str, field: DraftField) {
        draft.authentication.fields.insert(key.into(), field);
    }

    #[test]
    fn a_kept_or_left_out_secret_is_the_stored_one() {
        let stored = stored("basic", &[("username", "ada")], &[("password", "stored-pw")]);
        let mut draft = draft_of(&stored);
        assert_eq!(draft.authentication.fields.get("password"), Some(&DraftField::Keep));
        let (plain, secrets) = merged(&stored, &draft);
        assert_eq!(plain, BTreeMap::from([("username".into(), "ada".into())]));
        assert_eq!(secrets, BTreeMap::from([("password".into(), "stored-pw".into())]));

        draft.authentication.fields.remove("password");
        assert_eq!(merged(&stored, &draft).1, BTreeMap::from([("password".into(), "stored-pw".into())]));
    }

    #[test]
    fn a_new_value_replaces_the_stored_one_and_a_cleared_one_is_gone() {
        let stored = stored("basic", &[("username", "ada")], &[("password", "stored-pw")]);
        let mut draft = draft_of(&stored);
        set(&mut draft, "password", DraftField::Replace { value: "new-pw".into() });
        assert_eq!(merged(&stored, &draft).1, BTreeMap::from([("password".into(), "new-pw".into())]));

        set(&mut draft, "password", DraftField::Clear);
        assert!(merged(&stored, &draft).1.is_empty());
    }

    #[test]
    fn nothing_is_kept_that_is_not_stored() {
        let stored = stored("basic", &[("username", "ada")], &[]);
        let draft = draft_of(&stored);
        assert!(merged(&stored, &draft).1.is_empty());
    }

    #[test]
    fn after_the_method_changed_no_stored_secret_is_kept() {
        // The bearer method's token is stored (and, say, a value left under
        // the API key method's key); a draft of the API key method keeps
        // "its" key, and names the stored token's key too.
        let mut stored = stored("bearer", &[], &[("token", "stored-token")]);
        stored.secrets.0.insert("api_key".into(), "left-over".into());
        let mut draft = draft_of(&stored);
        draft.authentication.method = "query_key".into();
        draft.authentication.fields.clear();
        set(&mut draft, "api_key", DraftField::Keep);
        set(&mut draft, "token", DraftField::Keep);
        assert!(merged(&stored, &draft).1.is_empty());
    }

    #[test]
    fn a_draft_cannot_keep_a_secret_of_another_method_under_a_shared_key() {
        // OAuth 2 client credentials and authorisation code share the key
        // `client_secret`: switching between them keeps nothing.
        let stored = stored(
            "client_credentials",
            &[("token_url", "https://id.example/token"), ("client_id", "c1")],
            &[("client_secret", "stored-secret")],
        );
        let mut draft = draft_of(&stored);
        draft.authentication.method = "authorisation_code".into();
        set(&mut draft, "authorize_url", DraftField::Plain { value: "https://id.example/authorize".into() });
        let (plain, secrets) = merged(&stored, &draft);
        assert!(secrets.is_empty(), "{secrets:?}");
        assert_eq!(plain.get("client_id").map(String::as_str), Some("c1"));
    }

    #[test]
    fn a_field_that_is_not_a_secret_keeps_nothing_and_values_of_the_wrong_kind_are_dropped() {
        let mut stored = stored("basic", &[("username", "ada")], &[("password", "stored-pw")]);
        // A stored value under a plain field's key is never used.
        stored.secrets.0.insert("username".into(), "not-a-secret".into());
        let mut draft = draft_of(&stored);
        set(&mut draft, "username", DraftField::Keep);
        let (plain, secrets) = merged(&stored, &draft);
        assert!(!plain.contains_key("username") && !secrets.contains_key("username"), "{plain:?}");

        // A secret sent in plain, a plain field sent as a secret.
        set(&mut draft, "password", DraftField::Plain { value: "in-plain".into() });
        set(&mut draft, "username", DraftField::Replace { value: "as-secret".into() });
        let (plain, secrets) = merged(&stored, &draft);
        assert!(plain.is_empty() && secrets.is_empty(), "{plain:?} {secrets:?}");
    }

    #[test]
    fn fields_of_no_method_field_are_left_out() {
        let stored = stored("bearer", &[], &[("token", "stored-token")]);
        let mut draft = draft_of(&stored);
        set(&mut draft, "password", DraftField::Replace { value: "x".into() });
        set(&mut draft, "username", DraftField::Plain { value: "x".into() });
        let (plain, secrets) = merged(&stored, &draft);
        assert!(plain.is_empty());
        assert_eq!(secrets, BTreeMap::from([("token".into(), "stored-token".into())]));
    }

    #[test]
    fn the_connection_fields_are_the_plain_fields_and_the_secrets() {
        let stored = stored("basic", &[("username", "ada")], &[("password", "stored-pw")]);
        let draft = draft_of(&stored);
        let method = stored.settings.connector.definition.auth_method("basic").unwrap();
        assert_eq!(
            connection_fields(&stored, method, &draft).0,
            BTreeMap::from([("username".into(), "ada".into()), ("password".into(), "stored-pw".into())])
        );
    }
}
