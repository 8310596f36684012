//! Configuration, from flags or the environment.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Parser;

use crate::crypto::{MasterKey, KEY_FILE};
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
    #[arg(long, env = "CONDUIT_FRAME_ANCESTORS", default_value = "'self'", value_parser = parse_frame_ancestors)]
    pub frame_ancestors: String,

    /// Hosts and networks connection tests may reach although they are not on
    /// the public internet, e.g. `erp.internal:8443,10.20.0.0/16:443` (for
    /// self-hosted systems); a port after a colon opens only that port, and
    /// IPv6 takes brackets then (`[fd00::]/8:443`). Loopback, private and
    /// metadata addresses are refused otherwise; `0.0.0.0/0` and `::/0` are
    /// refused at start.
    #[arg(long, env = "CONDUIT_EGRESS_ALLOW", default_value = "", value_parser = parse_allowlist)]
    pub egress_allow: Allowlist,

    /// How long a connection test may take in all, in seconds.
    #[arg(long, env = "CONDUIT_TEST_TIMEOUT_SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=120))]
    pub test_timeout_secs: u64,

    /// The address people reach conduit at, e.g. `https://conduit.example.com`
    /// (behind a proxy). Providers send people back to
    /// `<public URL>/api/oauth/callback` after authorising, so register that
    /// address with them. Defaults to the address conduit listens on.
    #[arg(long, env = "CONDUIT_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// Serve everything under this path, e.g. `/conduit` behind a portal's
    /// proxy at `https://portal.example/conduit/` (with `--public-url
    /// https://portal.example`). Outside it is nothing.
    #[arg(long, env = "CONDUIT_BASE_PATH", default_value = "", value_parser = crate::base_path::parse)]
    pub base_path: String,

    /// Other origins that may make changes through the API, besides conduit's
    /// own address, e.g. a portal embedding the dashboard:
    /// `https://portal.example.com,https://admin.example.com`.
    #[arg(long, env = "CONDUIT_ALLOWED_ORIGINS", default_value = "", value_parser = parse_origins)]
    pub allowed_origins: Origins,

    /// Take the client's address from the last `X-Forwarded-For` entry (set
    /// this only behind a proxy that adds it), for the sign-in limit.
    #[arg(long, env = "CONDUIT_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,

    /// The key instance secrets are encrypted with: 32 bytes as 64 hex
    /// characters (or base64). Prefer the environment variable. Needed with
    /// --database-url; without it the embedded database keeps a key file,
    /// `secret.key`, in the data directory.
    #[arg(long, env = "CONDUIT_SECRET_KEY", hide_env_values = true, value_parser = secret_text)]
    pub secret_key: Option<SecretText>,

    /// How long an embed session's bearer token lives, in seconds (30 to
    /// 3600); the iframe renews it through the host page before it expires.
    #[arg(long, env = "CONDUIT_EMBED_TOKEN_SECONDS", value_name = "N", default_value_t = crate::embed::TOKEN_SECONDS, value_parser = parse_embed_token_seconds)]
    pub embed_token_seconds: i64,

    /// How often the background checker re-tests every saved connection, in
    /// minutes (0 turns it off; at most 1440). Checks are spread over the
    /// interval; a save is checked within seconds.
    #[arg(long, env = "CONDUIT_HEALTH_CHECK_MINUTES", value_name = "N", default_value_t = 15, value_parser = parse_health_check_minutes)]
    pub health_check_minutes: u64,

    /// How often an enabled process flow runs on its own, in minutes, when
    /// the flow names no interval of its own (0 turns the scheduler off:
    /// flows then run only by `run now`; at most 1440).
    #[arg(long, env = "CONDUIT_FLOW_RUN_MINUTES", value_name = "N", default_value_t = 30, value_parser = parse_flow_run_minutes)]
    pub flow_run_minutes: u64,

    /// With `--demo`: this many more instances in the demo company when it
    /// is first seeded (at most 100000), to try `manage connectors` at scale.
    #[arg(long, env = "CONDUIT_DEMO_INSTANCES", value_name = "N", default_value_t = 0, value_parser = parse_demo_instances)]
    pub demo_instances: u32,
}

/// A whole number of extra demo instances, at most 100000.
fn parse_demo_instances(text: &str) -> Result<u32, String> {
    text.trim().parse::<u32>().ok().filter(|n| *n <= 100_000).ok_or_else(|| {
        "the number of extra demo instances is a whole number from 0 to 100000".to_owned()
    })
}

/// A whole number of minutes from 0 (off) to 1440 (a day).
fn parse_flow_run_minutes(text: &str) -> Result<u64, String> {
    text.trim().parse::<u64>().ok().filter(|n| *n <= 1440).ok_or_else(|| {
        "the process flow interval is a whole number of minutes from 0 (off) to 1440 (the default is 30)".to_owned()
    })
}

/// A whole number of minutes from 0 (off) to 1440 (a day).
fn parse_health_check_minutes(text: &str) -> Result<u64, String> {
    text.trim().parse::<u64>().ok().filter(|n| *n <= 1440).ok_or_else(|| {
        "the health check interval is a whole number of minutes from 0 (off) to 1440 (the default is 15)".to_owned()
    })
}

/// A whole number of seconds in [`crate::embed::TOKEN_SECONDS_RANGE`].
fn parse_embed_token_seconds(text: &str) -> Result<i64, String> {
    let range = crate::embed::TOKEN_SECONDS_RANGE;
    text.trim().parse::<i64>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
        format!(
            "the embed token lifetime is a whole number of seconds from {} to {} (the default, 15 minutes, is {})",
            range.start(),
            range.end(),
            crate::embed::TOKEN_SECONDS
        )
    })
}

/// Text that must not be shown: its Debug output is a placeholder.
#[derive(Clone)]
pub struct SecretText(pub String);

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretText(…)")
    }
}

/// Never fails, so clap never repeats the value in an error; it is checked
/// by [`Config::master_key`].
fn secret_text(text: &str) -> Result<SecretText, String> {
    Ok(SecretText(text.to_owned()))
}

/// An http or https address without query or fragment, kept without a
/// trailing slash.
fn parse_public_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text.trim()).map_err(|_| "the public URL must be a full address, e.g. https://conduit.example.com".to_owned())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("the public URL must start with http:// or https://".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err("the public URL cannot have a query, a fragment or credentials".to_owned());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Where a server listening on `listening` is reached from this machine:
/// that address, or loopback when it listens on every interface.
pub fn reachable_address(listening: SocketAddr) -> SocketAddr {
    match listening.ip() {
        ip if ip.is_unspecified() => SocketAddr::new(IpAddr::from([127, 0, 0, 1]), listening.port()),
        _ => listening,
    }
}

/// The parsed `--allowed-origins` list: `scheme://host[:port]` each.
#[derive(Clone, Debug, Default)]
pub struct Origins(pub Vec<String>);

fn parse_origins(list: &str) -> Result<Origins, String> {
    list.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| {
            let url = parse_public_url(o)
                .map_err(|_| "each allowed origin must look like https://portal.example.com".to_owned())?;
            if url::Url::parse(&url).map_or(true, |u| u.path() != "/") {
                return Err("an allowed origin has no path: https://portal.example.com".to_owned());
            }
            Ok(url)
        })
        .collect::<Result<_, _>>()
        .map(Origins)
}

/// CSP sources for `frame-ancestors`, such as `'self' https://portal.example`:
/// one directive's value, so no `;` or `,` that would start another.
fn parse_frame_ancestors(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(|c| c == ';' || c == ',' || c.is_control()) {
        return Err("the frame ancestors are CSP sources separated by spaces, such as 'self' https://portal.example".to_owned());
    }
    Ok(text.to_owned())
}

/// The parsed `--egress-allow` list (one flag value holding several rules).
#[derive(Clone, Debug, Default)]
pub struct Allowlist(pub Vec<AllowRule>);

fn parse_allowlist(list: &str) -> Result<Allowlist, String> {
    EgressPolicy::parse_allowlist(list).map(Allowlist)
}

impl Config {
    /// The master key: the configured one; else, for the embedded database,
    /// the key file in the data directory (created on first start). With
    /// PostgreSQL a key must be configured.
    pub fn master_key(&self) -> anyhow::Result<MasterKey> {
        if let Some(text) = &self.secret_key {
            return MasterKey::parse(&text.0).map_err(|problem| {
                anyhow::anyhow!("The secret key (--secret-key / CONDUIT_SECRET_KEY) is not valid. {problem}")
            });
        }
        if self.database_url.is_some() {
            anyhow::bail!(
                "A secret key is needed to encrypt instance secrets in the database. Set CONDUIT_SECRET_KEY \
                 (or --secret-key) to 64 hexadecimal characters, e.g. the output of `openssl rand -hex 32`, \
                 and keep it: without it the stored secrets cannot be read."
            );
        }
        crate::private_files::ensure_private_dir(&self.data_dir)?;
        MasterKey::load_or_create(&self.data_dir.join(KEY_FILE))
    }

    /// People reach conduit over https (its public URL says so): its
    /// answers then carry HSTS and its session cookie is `Secure`.
    pub fn public_url_is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.starts_with("https://"))
    }

    /// Where people reach conduit: the configured public URL, else the
    /// address it listens on (loopback when it listens on every interface).
    pub fn public_origin(&self) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => {
                let listening = SocketAddr::new(self.bind, self.port);
                format!("http://{}", reachable_address(listening))
            }
        }
    }

    /// The origins that may make changes besides the request's own host:
    /// the public address and the configured ones.
    pub fn change_origins(&self) -> Vec<String> {
        let mut origins = vec![self.public_origin()];
        origins.extend(self.allowed_origins.0.iter().cloned());
        origins
    }

    /// A configuration for tests: loopback, a free port, the given data
    /// directory, a random secret key.
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
            public_url: None,
            base_path: String::new(),
            allowed_origins: Origins::default(),
            trust_forwarded_for: false,
            secret_key: Some(SecretText(MasterKey::random().to_hex())),
            embed_token_seconds: crate::embed::TOKEN_SECONDS,
            demo_instances: 0,
            // Tests run their rounds themselves.
            health_check_minutes: 0,
            flow_run_minutes: 0,
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
        let ports = Config::try_parse_from(["conduit-server", "--egress-allow", "127.0.0.1:3000 erp.internal:8443"]).unwrap();
        let rules: Vec<String> = ports.egress_allow.0.iter().map(ToString::to_string).collect();
        assert_eq!(rules, ["127.0.0.1/32:3000", "erp.internal:8443"]);
        // A rule that opens everything stops the server at start, saying why.
        for everything in ["0.0.0.0/0", "::/0", "erp.internal, 0.0.0.0/0:443"] {
            let error = Config::try_parse_from(["conduit-server", "--egress-allow", everything]).unwrap_err().to_string();
            assert!(error.contains("would let connection tests reach every address"), "{error}");
        }
        assert!(Config::try_parse_from(["conduit-server", "--test-timeout-secs", "0"]).is_err());
    }

    #[test]
    fn the_public_url_is_checked_and_kept_without_a_trailing_slash() {
        let config = Config::try_parse_from(["conduit-server", "--public-url", "https://conduit.example.com/"]).unwrap();
        assert_eq!(config.public_origin(), "https://conduit.example.com");
        let mut defaults = Config::try_parse_from(["conduit-server"]).unwrap();
        defaults.port = 4321;
        assert_eq!(defaults.public_origin(), "http://127.0.0.1:4321");
        for bad in ["ftp://conduit.example.com", "conduit.example.com", "https://conduit.example.com/?a=1"] {
            assert!(Config::try_parse_from(["conduit-server", "--public-url", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_base_path_is_read_and_checked() {
        assert_eq!(Config::try_parse_from(["conduit-server"]).unwrap().base_path, "");
        let config = Config::try_parse_from(["conduit-server", "--base-path", "/conduit/"]).unwrap();
        assert_eq!(config.base_path, "/conduit");
        let error = Config::try_parse_from(["conduit-server", "--base-path", "conduit"]).unwrap_err().to_string();
        assert!(error.contains("the base path must start with /"), "{error}");
    }

    #[test]
    fn a_server_listening_everywhere_is_reached_on_loopback() {
        let everywhere: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        assert_eq!(reachable_address(everywhere), "127.0.0.1:3000".parse::<SocketAddr>().unwrap());
        let everywhere6: SocketAddr = "[::]:3000".parse().unwrap();
        assert_eq!(reachable_address(everywhere6), "127.0.0.1:3000".parse::<SocketAddr>().unwrap());
        for own in ["127.0.0.1:3000", "192.0.2.7:8080", "[::1]:3000"] {
            let own: SocketAddr = own.parse().unwrap();
            assert_eq!(reachable_address(own), own);
        }
    }

    #[test]
    fn allowed_origins_are_read_and_checked() {
        let config = Config::try_parse_from([
            "conduit-server",
            "--public-url",
            "https://conduit.example.com",
            "--allowed-origins",
            "https://portal.example.com/, http://localhost:8080",
        ])
        .unwrap();
        assert_eq!(
            config.change_origins(),
            ["https://conduit.example.com", "https://portal.example.com", "http://localhost:8080"]
        );
        for bad in ["portal.example.com", "https://portal.example.com/app", "https://portal.example.com/?a"] {
            assert!(Config::try_parse_from(["conduit-server", "--allowed-origins", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_embed_token_lifetime_is_read_and_checked() {
        assert_eq!(Config::try_parse_from(["conduit-server"]).unwrap().embed_token_seconds, 900);
        for (given, read) in [("30", 30), ("3600", 3600), (" 120 ", 120)] {
            let config = Config::try_parse_from(["conduit-server", "--embed-token-seconds", given]).unwrap();
            assert_eq!(config.embed_token_seconds, read, "{given}");
        }
        for bad in ["29", "3601", "0", "-5", "15m", "", "9999999999999999999999"] {
            let flag = format!("--embed-token-seconds={bad}");
            let error = Config::try_parse_from(["conduit-server", flag.as_str()]).unwrap_err().to_string();
            assert!(error.contains("a whole number of seconds from 30 to 3600"), "{bad}: {error}");
        }
    }

    #[test]
    fn frame_ancestors_are_one_directive() {
        let config = Config::try_parse_from(["conduit-server", "--frame-ancestors", "'self' https://portal.example"]).unwrap();
        assert_eq!(config.frame_ancestors, "'self' https://portal.example");
        for bad in ["'self'; script-src *", "a, b", ""] {
            assert!(Config::try_parse_from(["conduit-server", "--frame-ancestors", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_configured_secret_key_is_checked_without_being_shown() {
        let key = MasterKey::random().to_hex();
        let config = Config::try_parse_from(["conduit-server", "--secret-key", &key]).unwrap();
        assert!(!format!("{config:?}").contains(&key), "Debug hides the key");
        assert_eq!(config.master_key().unwrap().to_hex(), key);

        let bad = "not-a-real-key-but-private";
        let config = Config::try_parse_from(["conduit-server", "--secret-key", bad]).unwrap();
        let message = config.master_key().unwrap_err().to_string();
        assert!(message.contains("is not valid"), "{message}");
        assert!(!message.contains(bad), "{message}");
    }

    #[test]
    fn postgres_without_a_secret_key_is_refused_with_a_sentence() {
        let config =
            Config::try_parse_from(["conduit-server", "--database-url", "postgres://u:p@db.invalid/conduit"]).unwrap();
        let message = config.master_key().unwrap_err().to_string();
        assert!(message.contains("Set CONDUIT_SECRET_KEY"), "{message}");
    }

    #[test]
    fn the_embedded_database_keeps_its_key_in_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(dir.path().join("data"));
        config.secret_key = None;
        let first = config.master_key().unwrap();
        assert!(dir.path().join("data").join(KEY_FILE).exists());
        assert_eq!(config.master_key().unwrap().to_hex(), first.to_hex());
    }

    #[test]
    fn the_flow_run_interval_is_read_and_checked() {
        assert_eq!(Config::try_parse_from(["conduit-server"]).unwrap().flow_run_minutes, 30);
        let config = Config::try_parse_from(["conduit-server", "--flow-run-minutes", "0"]).unwrap();
        assert_eq!(config.flow_run_minutes, 0);
        for wrong in ["-1", "1441", "ten"] {
            assert!(Config::try_parse_from(["conduit-server", &format!("--flow-run-minutes={wrong}")]).is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_health_check_interval_is_read_and_checked() {
        assert_eq!(Config::try_parse_from(["conduit-server"]).unwrap().health_check_minutes, 15);
        for (given, read) in [("0", 0), ("60", 60), ("1440", 1440)] {
            let config = Config::try_parse_from(["conduit-server", "--health-check-minutes", given]).unwrap();
            assert_eq!(config.health_check_minutes, read, "{given}");
        }
        for wrong in ["-1", "1441", "ten", "1.5"] {
            let error = Config::try_parse_from(["conduit-server", &format!("--health-check-minutes={wrong}")]).unwrap_err().to_string();
            assert!(error.contains("whole number of minutes from 0 (off) to 1440"), "{error}");
        }
    }

    #[test]
    fn the_number_of_extra_demo_instances_is_read_and_checked() {
        assert_eq!(Config::try_parse_from(["conduit-server"]).unwrap().demo_instances, 0);
        assert_eq!(Config::try_parse_from(["conduit-server", "--demo-instances", "10000"]).unwrap().demo_instances, 10_000);
        for bad in ["-1", "100001", "many"] {
            let error = Config::try_parse_from(["conduit-server", &format!("--demo-instances={bad}")]).unwrap_err().to_string();
            assert!(error.contains("a whole number from 0 to 100000"), "{error}");
        }
    }
}
