//! Configuration, from flags or the environment.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::egress::{AllowRule, EgressPolicy};

#[derive(Clone, Debug, Parser)]
#[command(name = "conduit-server", version, about = "Serves the conduit dashboard and its JSON API")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CONDUIT_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Port to listen on (0 picks a free one; the chosen address is printed).
    #[arg(long, env = "CONDUIT_PORT", default_value_t = 3000)]
    pub port: u16,

    /// Where the embedded database (and other local state) is kept.
    #[arg(long, env = "CONDUIT_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// `postgres://user:password@host/db` to use PostgreSQL instead of the embedded SQLite.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The built dashboard (Trunk's `dist` folder).
    #[arg(long, env = "CONDUIT_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Seed a demo company, user, connectors, instances and process flows on first start.
    #[arg(long, env = "CONDUIT_DEMO")]
    pub demo: bool,

    /// Mark the session cookie Secure even when requests do not say they came over HTTPS.
    #[arg(long, env = "CONDUIT_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Which origins may embed the dashboard in a frame (CSP frame-ancestors).
    #[arg(long, env = "CONDUIT_FRAME_ANCESTORS", default_value = "'self'")]
    pub frame_ancestors: String,

    /// Hosts and networks connection tests may reach although they are not on
    /// the public internet, e.g. `erp.internal,10.20.0.0/16` (for self-hosted
    /// systems). Loopback, private and metadata addresses are refused otherwise.
    #[arg(long, env = "CONDUIT_EGRESS_ALLOW", default_value = "", value_parser = parse_allowlist)]
    pub egress_allow: Allowlist,

    /// How long a connection test may take in all, in seconds.
    #[arg(long, env = "CONDUIT_TEST_TIMEOUT_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub test_timeout_secs: u64,
}

/// The parsed `--egress-allow` list (one flag value holding several rules).
#[derive(Clone, Debug, Default)]
pub struct Allowlist(pub Vec<AllowRule>);

fn parse_allowlist(list: &str) -> Result<Allowlist, String> {
    EgressPolicy::parse_allowlist(list).map(Allowlist)
}

impl Config {
    /// A configuration for tests: loopback, a free port, the given data directory.
    pub fn for_tests(data_dir: PathBuf) -> Config {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            data_dir,
            database_url: None,
            static_dir: PathBuf::from("dist"),
            demo: false,
            secure_cookies: false,
            frame_ancestors: "'self'".to_owned(),
            egress_allow: Allowlist::default(),
            test_timeout_secs: 15,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_egress_allowlist_and_test_timeout_are_read_and_checked() {
        let config = Config::try_parse_from([
            "conduit-server",
            "--egress-allow",
            "erp.internal, 10.20.0.0/16",
            "--test-timeout-secs",
            "30",
        ])
        .unwrap();
        assert_eq!(config.egress_allow.0.len(), 2);
        assert_eq!(config.test_timeout_secs, 30);

        let defaults = Config::try_parse_from(["conduit-server"]).unwrap();
        assert!(defaults.egress_allow.0.is_empty(), "strict unless configured");
        assert_eq!(defaults.test_timeout_secs, 15);
        assert_eq!(defaults.bind, IpAddr::from([127, 0, 0, 1]));

        assert!(Config::try_parse_from(["conduit-server", "--egress-allow", "10.0.0.0/99"]).is_err());
        assert!(Config::try_parse_from(["conduit-server", "--test-timeout-secs", "0"]).is_err());
    }
}
