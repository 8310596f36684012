//! Configuration, from flags or the environment.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

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
        }
    }
}
