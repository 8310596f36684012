//! Which of the demo company's instances the background checker tests:
//! those whose address is one of the demo's sandboxes. The others carry
//! sample credentials for real providers, which a demo never contacts on
//! its own.

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use conduit_types::Id;

use super::data::COMPANY;
use crate::store::Store;

/// The demo company's instances that use a sandbox at one of `sandboxes`.
pub async fn sandbox_instances(store: &Store, sandboxes: &[SocketAddr]) -> anyhow::Result<BTreeSet<Id>> {
    let Some(company) = store.company_named(COMPANY).await? else {
        return Ok(BTreeSet::new());
    };
    let list = store.connector_list(company).await?;
    let mut ids = BTreeSet::new();
    for instance in list.connectors.iter().flat_map(|c| &c.instances) {
        if let Some(settings) = store.instance_settings(company, instance.id).await? {
            if uses_sandbox(&settings.details.variables, sandboxes) {
                ids.insert(instance.id);
            }
        }
    }
    Ok(ids)
}

/// Whether the instance's base URL is at one of `sandboxes`' addresses.
fn uses_sandbox(variables: &BTreeMap<String, String>, sandboxes: &[SocketAddr]) -> bool {
    let Some(url) = variables.get("base_url").and_then(|u| url::Url::parse(u).ok()) else {
        return false;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return false;
    };
    let authority = format!("{host}:{port}");
    sandboxes.iter().any(|addr| addr.to_string() == authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> BTreeMap<String, String> {
        BTreeMap::from([("base_url".to_owned(), url.to_owned())])
    }

    #[test]
    fn only_instances_at_a_sandbox_address_are_checked() {
        let sandboxes: [SocketAddr; 2] = ["127.0.0.1:3000".parse().unwrap(), "127.0.0.1:4443".parse().unwrap()];
        assert!(uses_sandbox(&base("http://127.0.0.1:3000/sandbox/basic"), &sandboxes));
        assert!(uses_sandbox(&base("https://127.0.0.1:4443"), &sandboxes));
        assert!(!uses_sandbox(&base("http://127.0.0.1:3001/sandbox/basic"), &sandboxes));
        assert!(!uses_sandbox(&base("https://northwind-uk.myshopify.com"), &sandboxes));
        assert!(!uses_sandbox(&BTreeMap::from([("store".to_owned(), "northwind-uk".to_owned())]), &sandboxes));
    }
}
