//! The sample partner portal's rules: where conduit is (its origin and base
//! path, from the portal's `--conduit` flag), which instances the portal
//! embeds, who may ask it for a session, and the request it sends conduit.

use std::collections::BTreeSet;

use conduit_types::{Id, NewEmbedSession, Permission};

use super::error::PortalError;

/// The demo instances the portal embeds unless told otherwise: in a freshly
/// seeded demo, "Warehouse API" and "Sandbox - bearer token" (their tests
/// pass against the sandbox); `server/tests/demo_portal.rs` checks that.
pub const DEFAULT_INSTANCES: [Id; 2] = [7, 10];
/// The portal's end user, as conduit's history names them.
pub const USER_NAME: &str = "Jane Doe";
/// Where the portal's page asks for a session (the element's `session-url`).
pub const SESSION_PATH: &str = "/conduit-session";

/// Where conduit is: `http://host:port` and the base path ("" or "/conduit").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conduit {
    pub origin: String,
    pub base_path: String,
    /// `host:port`, to connect to.
    pub authority: String,
}

impl Conduit {
    /// `http://host[:port][/base]`; the portal speaks plain HTTP to conduit
    /// (it is a demo on one machine).
    pub fn parse(text: &str) -> Result<Conduit, String> {
        let problem = || "--conduit must be conduit's address, e.g. http://127.0.0.1:3000 (http only, an optional base path, nothing else).".to_owned();
        let url = url::Url::parse(text.trim()).map_err(|_| problem())?;
        let host = url.host_str().filter(|_| url.scheme() == "http").ok_or_else(problem)?;
        if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
            return Err(problem());
        }
        let port = url.port_or_known_default().ok_or_else(problem)?;
        let origin = url.origin().ascii_serialization();
        Ok(Conduit { origin, base_path: url.path().trim_end_matches('/').to_owned(), authority: format!("{host}:{port}") })
    }

    /// The embed script's address.
    pub fn script_url(&self) -> String {
        format!("{}{}/embed/v1/conduit-embed.js", self.origin, self.base_path)
    }

    /// The path (with base) of `api` (e.g. `/api/embed/sessions`).
    pub fn path(&self, api: &str) -> String {
        format!("{}{api}", self.base_path)
    }
}

/// The portal: where conduit is, its own origin, the instances it embeds.
#[derive(Clone, Debug)]
pub struct Portal {
    pub conduit: Conduit,
    /// The portal page's origin, e.g. `http://localhost:3001`.
    pub origin: String,
    pub instances: Vec<Id>,
}

impl Portal {
    /// Who may ask for a session: the portal's own page (a browser sends
    /// its `Origin` with a POST), or a caller sending none (curl). A real
    /// portal would also ask for its own signed-in user here.
    pub fn check_caller(&self, origin: Option<&str>) -> Result<(), PortalError> {
        match origin {
            Some(o) if o != self.origin => Err(PortalError::CrossSite),
            _ => Ok(()),
        }
    }

    /// What the portal asks conduit for when its page wants `instance`: a
    /// session for its own origin, its user, with every permission. Only
    /// the portal's instances.
    pub fn session_request(&self, instance: Id) -> Result<NewEmbedSession, PortalError> {
        if !self.instances.contains(&instance) {
            return Err(PortalError::NotListed);
        }
        Ok(NewEmbedSession { instance, origin: self.origin.clone(), user_name: USER_NAME.to_owned(), permissions: all_permissions() })
    }
}

fn all_permissions() -> BTreeSet<Permission> {
    use Permission::*;
    BTreeSet::from([View, EditDetails, EditCredentials, Certificates, Test, Authorise])
}

/// The instances of the `--instances` flag (`7,10`).
pub fn parse_instances(text: &str) -> Result<Vec<Id>, String> {
    let ids: Option<Vec<Id>> = text.split(',').map(|n| n.trim().parse().ok().filter(|id: &Id| *id > 0)).collect();
    ids.filter(|ids| !ids.is_empty()).ok_or_else(|| "--instances must be instance ids separated by commas, e.g. 7,10.".to_owned())
}

/// The portal the tests of the portal's parts use: conduit on 127.0.0.1,
/// the portal on localhost, embedding instances 7 and 10.
#[cfg(test)]
pub fn sample_portal() -> Portal {
    Portal { conduit: Conduit::parse("http://127.0.0.1:3000").unwrap(), origin: "http://localhost:3001".into(), instances: vec![7, 10] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portal() -> Portal {
        sample_portal()
    }

    #[test]
    fn conduit_is_an_http_origin_with_an_optional_base_path() {
        let plain = Conduit::parse("http://127.0.0.1:3000/").unwrap();
        assert_eq!(plain, Conduit { origin: "http://127.0.0.1:3000".into(), base_path: "".into(), authority: "127.0.0.1:3000".into() });
        assert_eq!(plain.script_url(), "http://127.0.0.1:3000/embed/v1/conduit-embed.js");
        assert_eq!(plain.path("/api/embed/sessions"), "/api/embed/sessions");
        let based = Conduit::parse("http://Conduit.Example/conduit/").unwrap();
        assert_eq!((based.origin.as_str(), based.authority.as_str()), ("http://conduit.example", "conduit.example:80"));
        assert_eq!(based.script_url(), "http://conduit.example/conduit/embed/v1/conduit-embed.js");
        assert_eq!(based.path("/api/embed/sessions"), "/conduit/api/embed/sessions");
        for bad in ["https://conduit.example", "127.0.0.1:3000", "http://127.0.0.1:3000/?x=1", "http://u:p@127.0.0.1:3000", "", "file:///tmp"] {
            let problem = Conduit::parse(bad).err().unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(problem.starts_with("--conduit must be"), "{problem}");
        }
    }

    #[test]
    fn the_portal_asks_for_its_own_instances_origin_and_user_with_every_permission() {
        let request = portal().session_request(10).unwrap();
        assert_eq!(request.instance, 10);
        assert_eq!(request.origin, "http://localhost:3001");
        assert_eq!(request.user_name, "Jane Doe");
        assert_eq!(request.permissions.len(), 6);
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["permissions"], serde_json::json!(["view", "edit_details", "edit_credentials", "certificates", "test", "authorise"]));
    }

    #[test]
    fn an_instance_the_portal_does_not_list_is_refused() {
        for other in [1, 8, 0, -7] {
            assert!(matches!(portal().session_request(other), Err(PortalError::NotListed)), "{other}");
        }
    }

    #[test]
    fn only_the_portals_own_page_or_a_caller_without_origin_may_ask() {
        assert!(portal().check_caller(None).is_ok());
        assert!(portal().check_caller(Some("http://localhost:3001")).is_ok());
        for other in ["http://127.0.0.1:3001", "https://evil.example", "null"] {
            assert!(matches!(portal().check_caller(Some(other)), Err(PortalError::CrossSite)), "{other}");
        }
    }

    #[test]
    fn instances_are_positive_ids_separated_by_commas() {
        assert_eq!(parse_instances("7,10").unwrap(), [7, 10]);
        assert_eq!(parse_instances(" 3 , 4 ").unwrap(), [3, 4]);
        for bad in ["", "7,", "a", "0", "-1,2"] {
            assert!(parse_instances(bad).is_err(), "{bad}");
        }
    }
}
