//! Which saved instances the checker tests: all of them, or (demo mode)
//! only the given ones, so a demo never sends its sample credentials to
//! the real providers its other instances name.

use std::collections::BTreeSet;

use conduit_types::Id;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    All,
    Only(BTreeSet<Id>),
}

impl Scope {
    pub fn includes(&self, instance_id: Id) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(ids) => ids.contains(&instance_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_includes_every_instance_and_only_its_own() {
        assert!(Scope::All.includes(42));
        let only = Scope::Only(BTreeSet::from([1, 3]));
        assert!(only.includes(3));
        assert!(!only.includes(2));
    }
}
