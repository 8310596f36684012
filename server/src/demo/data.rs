//! Demo data: on a first start in demo mode, one company with a user, the
//! built-in connectors installed, a few instances each and process flows that
//! use some of them.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use anyhow::Context;
use conduit_types::{Id, InstanceDetails, InstanceStatus, RateLimit, RateLimitUnit};

use crate::auth::hash_password;
use crate::catalogue;
use crate::config::reachable_address;
use crate::egress::AllowRule;
use super::sandbox;
use super::sandbox_tls::DemoPki;
use crate::store::{NewInstance, Secrets, Store};

pub const COMPANY: &str = "Northwind Trading";
pub const USER_NAME: &str = "Ada Lovelace";
pub const EMAIL: &str = "ada@northwind.example";
pub const PASSWORD: &str = "conduit-demo";
/// A second user of the company (the same password), to watch one user's
/// changes reach another's open pages.
pub const SECOND_USER_NAME: &str = "Charles Babbage";
pub const SECOND_EMAIL: &str = "charles@northwind.example";

struct DemoInstance {
    connector: &'static str,
    name: &'static str,
    auth_method: &'static str,
    variables: &'static [(&'static str, &'static str)],
    auth_fields: &'static [(&'static str, &'static str)],
    /// Stored encrypted. The sandbox instances get the sandbox's published
    /// credentials, so their tests pass; the others get made-up values.
    secrets: &'static [(&'static str, &'static str)],
    connection_pool: Option<&'static str>,
    rate_limit: Option<(u32, RateLimitUnit)>,
    time_zone: &'static str,
}

const INSTANCES: &[DemoInstance] = &[
    DemoInstance {
        connector: "shopify",
        name: "Shopify - UK",
        auth_method: "admin_token",
        variables: &[("store", "northwind-uk")],
        auth_fields: &[],
        secrets: &[("access_token", "shpat_demo_0c1d2e3f4a5b6c7d8e9f")],
        connection_pool: None,
        rate_limit: Some((2, RateLimitUnit::Second)),
        time_zone: "Europe/London",
    },
    DemoInstance {
        connector: "shopify",
        name: "Shopify - US",
        auth_method: "admin_token",
        variables: &[("store", "northwind-us")],
        auth_fields: &[],
        secrets: &[("access_token", "shpat_demo_9f8e7d6c5b4a3f2e1d0c")],
        connection_pool: None,
        rate_limit: Some((2, RateLimitUnit::Second)),
        time_zone: "America/New_York",
    },
    DemoInstance {
        connector: "shopify",
        name: "Shopify - EU app",
        auth_method: "oauth",
        variables: &[("store", "northwind-eu")],
        auth_fields: &[("client_id", "northwind-eu-app"), ("scopes", "read_orders,read_products")],
        secrets: &[("client_secret", "shpss_demo_5a6b7c8d9e0f")],
        connection_pool: None,
        rate_limit: None,
        time_zone: "Europe/Paris",
    },
    DemoInstance {
        connector: "bigcommerce",
        name: "BigCommerce - Wholesale",
        auth_method: "api_account",
        variables: &[("store_hash", "nw8k2q")],
        auth_fields: &[("client_id", "wholesale-sync")],
        secrets: &[("access_token", "bc-demo-7h3k9m2p5r8t")],
        connection_pool: None,
        rate_limit: Some((150, RateLimitUnit::Minute)),
        time_zone: "Europe/London",
    },
    DemoInstance {
        connector: "netsuite",
        name: "NetSuite - Production",
        auth_method: "tba",
        variables: &[("account_id", "4820193")],
        auth_fields: &[("realm", "4820193"), ("consumer_key", "c1f0e2d4a7"), ("token_id", "t9b3a1c55e")],
        secrets: &[("consumer_secret", "ns-demo-consumer-4f2a9c"), ("token_secret", "ns-demo-token-8b1e7d")],
        connection_pool: Some("bulk exports"),
        rate_limit: Some((10, RateLimitUnit::Second)),
        time_zone: "Europe/London",
    },
    DemoInstance {
        connector: "netsuite",
        name: "NetSuite - Sandbox",
        auth_method: "tba",
        variables: &[("account_id", "4820193-sb1")],
        auth_fields: &[("realm", "4820193_SB1"), ("consumer_key", "5e7d2b9f01"), ("token_id", "a0c4e8f2b6")],
        secrets: &[("consumer_secret", "ns-demo-consumer-sb-3c9e"), ("token_secret", "ns-demo-token-sb-6a2f")],
        connection_pool: None,
        rate_limit: None,
        time_zone: "Europe/London",
    },
    DemoInstance {
        connector: "http-api",
        name: "Warehouse API",
        auth_method: "basic",
        variables: &[("base_url", "{sandbox}/basic"), ("test_path", "/me")],
        auth_fields: &[("username", sandbox::BASIC_USER)],
        secrets: &[("password", sandbox::BASIC_PASSWORD)],
        connection_pool: None,
        rate_limit: Some((600, RateLimitUnit::Hour)),
        time_zone: "Europe/London",
    },
    DemoInstance {
        connector: "http-api",
        name: "Carrier rates API",
        auth_method: "client_credentials",
        variables: &[("base_url", "{sandbox}/oauth"), ("test_path", "/me")],
        auth_fields: &[
            ("token_url", "{sandbox}/oauth/token"),
            ("client_id", sandbox::CLIENT_ID),
            ("scope", "rates:read"),
        ],
        secrets: &[("client_secret", sandbox::CLIENT_SECRET)],
        connection_pool: None,
        rate_limit: Some((5000, RateLimitUnit::Day)),
        time_zone: "UTC",
    },
    DemoInstance {
        connector: "http-api",
        name: "Sandbox app (OAuth 2 authorisation code)",
        auth_method: "authorisation_code",
        variables: &[("base_url", "{sandbox}/oauth"), ("test_path", "/me")],
        auth_fields: &[
            ("authorize_url", "{sandbox}/oauth/authorize"),
            ("token_url", "{sandbox}/oauth/token"),
            ("client_id", sandbox::CLIENT_ID),
            ("scope", "orders:read"),
        ],
        // Not authorised yet: a person authorises it at the sandbox's consent page.
        secrets: &[("client_secret", sandbox::CLIENT_SECRET)],
        connection_pool: None,
        rate_limit: None,
        time_zone: "UTC",
    },
    DemoInstance {
        connector: "http-api",
        name: "Sandbox - bearer token",
        auth_method: "bearer",
        variables: &[("base_url", "{sandbox}/bearer"), ("test_path", "/me")],
        auth_fields: &[],
        secrets: &[("token", sandbox::BEARER_TOKEN)],
        connection_pool: None,
        rate_limit: None,
        time_zone: "UTC",
    },
    DemoInstance {
        connector: "http-api",
        name: "Sandbox - API key in the query",
        auth_method: "query_key",
        variables: &[("base_url", "{sandbox}/query"), ("test_path", "/me")],
        auth_fields: &[],
        secrets: &[("api_key", sandbox::API_KEY)],
        connection_pool: None,
        rate_limit: None,
        time_zone: "UTC",
    },
];

/// The company's connection pools.
const POOLS: &[&str] = &["default", "bulk exports"];

/// (name, enabled, instance names)
const FLOWS: &[(&str, bool, &[&str])] = &[
    ("Shopify UK orders to NetSuite", true, &["Shopify - UK", "NetSuite - Production"]),
    ("NetSuite stock levels to Shopify", true, &["NetSuite - Production", "Shopify - UK", "Shopify - US"]),
    ("Wholesale orders to NetSuite sandbox", false, &["BigCommerce - Wholesale", "NetSuite - Sandbox"]),
    ("Shipping rates refresh", true, &["Carrier rates API"]),
    (WAREHOUSE_FLOW, true, &["Warehouse API", "Sandbox - bearer token"]),
];

/// The demo flow whose step calls two sandbox instances, twice each, every 5 minutes.
pub const WAREHOUSE_FLOW: &str = "Warehouse stock check";

/// (flow, runs every minutes, requests per run) for flows not on the defaults.
const FLOW_SCHEDULES: &[(&str, u32, u32)] = &[(WAREHOUSE_FLOW, 5, 2), ("Shipping rates refresh", 15, 1)];

/// (pool, most requests at once) for capped pools.
const POOL_CAPS: &[(&str, u32)] = &[("bulk exports", 2)];

/// Where the sandbox is reached: the server's own address, or loopback when
/// it listens on every interface.
pub fn sandbox_address(listening: SocketAddr) -> SocketAddr {
    reachable_address(listening)
}

/// What the demo adds to the egress allowlist: its sandbox's address on the
/// two ports the sandbox answers on, the server's own (which serves
/// `/sandbox`) and the mutual-TLS sandbox's, and no other port of that
/// address, so a connection test cannot be pointed at the rest of the machine.
pub fn egress_rules(sandbox: SocketAddr, tls_sandbox: SocketAddr) -> Vec<AllowRule> {
    vec![AllowRule::address(sandbox), AllowRule::address(tls_sandbox)]
}

/// Seeds the demo unless the database already has a company. The instances
/// that use the sandbox point at `sandbox_base` (e.g. `http://127.0.0.1:3000/sandbox`);
/// when the demo was seeded before, they are pointed there again (this run
/// may listen on another port).
pub async fn seed_if_empty(store: &Store, sandbox_base: &str) -> anyhow::Result<bool> {
    seed_if_empty_with(store, sandbox_base, 0).await
}

/// [`seed_if_empty`] with `extra` more instances when it seeds: copies of
/// the demo's instances for real providers (never the sandbox's, so the
/// health checker leaves them alone), named `<name> #00001` and on.
pub async fn seed_if_empty_with(store: &Store, sandbox_base: &str, extra: u32) -> anyhow::Result<bool> {
    if store.company_count().await? > 0 {
        // The built-in definitions are data shipped with the server: a
        // newer server brings its connectors' new methods and fields.
        for entry in catalogue::builtin()? {
            store.upsert_connector(&entry.slug, &entry.name, &entry.definition).await?;
        }
        let moved = store.rebase_sandbox_addresses(COMPANY, sandbox_base).await?;
        if moved > 0 {
            tracing::info!(moved, sandbox_base, "pointed the demo instances at this run's sandbox");
        }
        return Ok(false);
    }
    let company = store.create_company(COMPANY).await?;
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD)).await??;
    store.create_user(company, EMAIL, USER_NAME, &hash).await?;
    store.create_user(company, SECOND_EMAIL, SECOND_USER_NAME, &hash).await?;

    let mut connector_ids = BTreeMap::new();
    for entry in catalogue::builtin()? {
        let id = store.upsert_connector(&entry.slug, &entry.name, &entry.definition).await?;
        store.install_connector(company, id).await?;
        connector_ids.insert(entry.slug, id);
    }

    for pool in POOLS {
        store.create_connection_pool(company, pool).await?;
    }

    let mut instance_ids = BTreeMap::new();
    for demo in INSTANCES {
        let new = demo.new_instance(connector_ids[demo.connector], sandbox_base);
        instance_ids.insert(demo.name, store.create_instance(company, &new).await?);
    }
    for (name, enabled, uses) in FLOWS {
        let ids: Vec<_> = uses.iter().map(|n| instance_ids[n]).collect();
        let flow = store.create_process_flow(company, name, *enabled, &ids).await?;
        if let Some((_, every, requests)) = FLOW_SCHEDULES.iter().find(|(n, ..)| n == name) {
            store.set_flow_schedule(company, flow, Some(*every), *requests).await?;
        }
    }
    for (pool, cap) in POOL_CAPS {
        store.set_pool_cap(company, pool, Some(*cap)).await?;
    }
    let templates: Vec<&DemoInstance> = INSTANCES.iter().filter(|d| !d.uses_sandbox()).collect();
    for n in 1..=extra {
        let template = templates[(n as usize - 1) % templates.len()];
        let mut new = template.new_instance(connector_ids[template.connector], sandbox_base);
        new.details.name = extra_name(template.name, n);
        store.create_instance(company, &new).await?;
    }
    tracing::info!(extra, "seeded the demo company");
    Ok(true)
}

/// The name of extra demo instance `n`, a copy of `template`.
fn extra_name(template: &str, n: u32) -> String {
    format!("{template} #{n:05}")
}

impl DemoInstance {
    /// Whether the instance talks to the demo's own sandbox.
    fn uses_sandbox(&self) -> bool {
        self.variables.iter().chain(self.auth_fields).any(|(_, v)| v.contains("{sandbox}"))
    }

    /// The instance to create, of connector `connector_id`, with the sandbox
    /// at `sandbox_base`.
    fn new_instance(&self, connector_id: Id, sandbox_base: &str) -> NewInstance {
        NewInstance {
            connector_id,
            details: InstanceDetails {
                name: self.name.to_owned(),
                time_zone: self.time_zone.to_owned(),
                date_format: "Y-m-d H:i:s".to_owned(),
                rate_limit: self.rate_limit.map(|(amount, unit)| RateLimit { amount, unit }),
                connection_pool: self.connection_pool.map(str::to_owned),
                variables: to_map(self.variables, sandbox_base),
            },
            auth_method: self.auth_method.to_owned(),
            auth_fields: to_map(self.auth_fields, sandbox_base),
            secrets: Secrets::from_pairs(self.secrets.iter().copied()),
            status: InstanceStatus::NotTested,
            last_tested_at: None,
        }
    }
}

fn to_map(pairs: &[(&str, &str)], sandbox_base: &str) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.replace("{sandbox}", sandbox_base)))
        .collect()
}

/// The demo instance that connects with a client certificate.
pub const MUTUAL_TLS_INSTANCE: &str = "Partner API (mutual TLS)";

/// It talks to the sandbox behind mutual TLS (`{sandbox}` is its address).
const MUTUAL_TLS: DemoInstance = DemoInstance {
    connector: "http-api",
    name: MUTUAL_TLS_INSTANCE,
    auth_method: "bearer",
    variables: &[("base_url", "{sandbox}/bearer"), ("test_path", "/me")],
    auth_fields: &[],
    secrets: &[("token", sandbox::BEARER_TOKEN)],
    connection_pool: None,
    rate_limit: Some((60, RateLimitUnit::Minute)),
    time_zone: "Europe/London",
};

/// Points the demo's mutual-TLS instance at the sandbox behind mutual TLS
/// (`tls_base`, e.g. `https://127.0.0.1:40123`) with the demo client
/// certificate and CA. It is created on the first start and brought up to
/// date on every later one, because the listener's port and the demo CA are
/// new at every start (so a certificate uploaded to it is replaced then).
/// Answers its id, or `None` when the demo company is not there.
pub async fn mutual_tls_instance(store: &Store, tls_base: &str, pki: &DemoPki) -> anyhow::Result<Option<Id>> {
    let Some(company) = store.company_named(COMPANY).await? else {
        return Ok(None);
    };
    let list = store.connector_list(company).await?;
    let http_api = list
        .connectors
        .iter()
        .find(|c| c.slug == "http-api")
        .context("the demo company has no HTTP API connector")?;
    let id = match http_api.instances.iter().find(|i| i.name == MUTUAL_TLS_INSTANCE) {
        Some(existing) => {
            let settings = store
                .instance_settings(company, existing.id)
                .await?
                .context("the demo's mutual TLS instance disappeared")?;
            let base_url = to_map(MUTUAL_TLS.variables, tls_base).remove("base_url").unwrap_or_default();
            let mut variables = settings.details.variables;
            if variables.get("base_url") != Some(&base_url) {
                variables.insert("base_url".to_owned(), base_url);
                store.set_variables(company, existing.id, &variables).await?;
            }
            existing.id
        }
        None => store.create_instance(company, &MUTUAL_TLS.new_instance(http_api.id, tls_base)).await?,
    };
    store.set_certificates(company, id, Some(&pki.instance_certificates(store.clock().now())?)).await?;
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::egress::{EgressPolicy, RefusalKind};

    #[test]
    fn the_demo_allows_only_its_sandbox_ports() {
        let main: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let tls: SocketAddr = "127.0.0.1:40123".parse().unwrap();
        let rules = egress_rules(sandbox_address(main), tls);
        let texts: Vec<String> = rules.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["127.0.0.1/32:3000", "127.0.0.1/32:40123"]);

        let policy = EgressPolicy::new(rules);
        assert_eq!(policy.check(main), Ok(()));
        assert_eq!(policy.check(tls), Ok(()));
        for other in ["127.0.0.1:22", "127.0.0.1:5432", "127.0.0.1:3001", "127.0.0.2:3000", "[::1]:3000"] {
            let refusal = policy.check(other.parse().unwrap()).unwrap_err();
            assert_eq!(refusal.kind, RefusalKind::Loopback, "{other}");
        }
    }

    #[test]
    fn a_demo_listening_everywhere_allows_loopback_on_its_ports() {
        let everywhere: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let sandbox = sandbox_address(everywhere);
        let rules = egress_rules(sandbox, SocketAddr::new(sandbox.ip(), 40123));
        let policy = EgressPolicy::new(rules);
        assert_eq!(policy.check("127.0.0.1:3000".parse().unwrap()), Ok(()));
        assert!(policy.check("127.0.0.1:8080".parse().unwrap()).is_err());
        assert!(policy.check("0.0.0.0:3000".parse().unwrap()).is_err());
    }
}
