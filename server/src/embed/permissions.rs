//! An embed session's permissions as stored: their snake_case names (the
//! wire's), comma-separated, in a fixed order.

use std::collections::BTreeSet;

use conduit_types::Permission;

/// The stored text of `permissions`.
pub fn store_permissions(permissions: &BTreeSet<Permission>) -> String {
    permissions.iter().map(|p| name(*p)).collect::<Vec<_>>().join(",")
}

/// The permissions in stored text; a name it does not know grants nothing.
pub fn parse_permissions(text: &str) -> BTreeSet<Permission> {
    text.split(',').filter_map(|n| ALL.iter().copied().find(|p| name(*p) == n.trim())).collect()
}

const ALL: [Permission; 6] = [
    Permission::View,
    Permission::EditDetails,
    Permission::EditCredentials,
    Permission::Certificates,
    Permission::Test,
    Permission::Authorise,
];

fn name(permission: Permission) -> &'static str {
    match permission {
        Permission::View => "view",
        Permission::EditDetails => "edit_details",
        Permission::EditCredentials => "edit_credentials",
        Permission::Certificates => "certificates",
        Permission::Test => "test",
        Permission::Authorise => "authorise",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_names_are_the_wires_and_read_back() {
        for p in ALL {
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", name(p)));
        }
        let all: BTreeSet<Permission> = ALL.into_iter().collect();
        let text = store_permissions(&all);
        assert_eq!(text, "view,edit_details,edit_credentials,certificates,test,authorise");
        assert_eq!(parse_permissions(&text), all);
        let some = BTreeSet::from([Permission::Test, Permission::View]);
        assert_eq!(store_permissions(&some), "view,test");
        assert_eq!(parse_permissions("view,test"), some);
    }

    #[test]
    fn nothing_stored_or_unknown_grants_nothing() {
        assert!(parse_permissions("").is_empty());
        assert_eq!(store_permissions(&BTreeSet::new()), "");
        assert_eq!(parse_permissions("admin,view ,EDIT_DETAILS"), BTreeSet::from([Permission::View]));
    }
}
