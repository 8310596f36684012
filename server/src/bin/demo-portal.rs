//! The sample partner portal: a second site beside a conduit in demo mode
//! that embeds two demo instances (`scripts/run.sh` starts both). Its API
//! key comes from the environment only (`CONDUIT_DEMO_API_KEY`, the one the
//! conduit demo was given), so it is never on a command line or in a file.

use clap::Parser;
use conduit_server::demo::portal::{self, ApiKey, Conduit, Portal, PortalState};
use conduit_server::demo::portal_seed::{valid_key, ENV_KEY};
use conduit_types::Id;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "demo-portal", about = "A sample partner portal that embeds conduit's instance settings")]
struct Args {
    /// Where conduit is, e.g. http://127.0.0.1:3000 (with its base path, if any).
    #[arg(long, env = "CONDUIT_PORTAL_CONDUIT", default_value = "http://127.0.0.1:3000", value_parser = Conduit::parse)]
    conduit: Conduit,
    /// Address to listen on.
    #[arg(long, env = "CONDUIT_PORTAL_BIND", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one; the address is printed).
    #[arg(long, env = "CONDUIT_PORTAL_PORT", default_value_t = 3001)]
    port: u16,
    /// The origin people reach the portal at; `http://localhost:<port>` when
    /// not given, another site than conduit's `127.0.0.1`.
    #[arg(long, env = "CONDUIT_PORTAL_ORIGIN", value_parser = |o: &str| conduit_types::address::origin(o))]
    origin: Option<String>,
    /// The instances to embed, by id.
    #[arg(long, env = "CONDUIT_PORTAL_INSTANCES", value_parser = portal::parse_instances)]
    instances: Option<Vec<Id>>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();
    let key = std::env::var(ENV_KEY).map_err(|_| anyhow::anyhow!("Set {ENV_KEY} to the API key the conduit demo was given."))?;
    valid_key(key.trim()).map_err(anyhow::Error::msg)?;
    let listener = tokio::net::TcpListener::bind((args.bind, args.port)).await?;
    let port = listener.local_addr()?.port();
    let portal = Portal {
        origin: args.origin.unwrap_or_else(|| format!("http://localhost:{port}")),
        conduit: args.conduit,
        instances: args.instances.unwrap_or_else(|| portal::DEFAULT_INSTANCES.to_vec()),
    };
    // This line is read by people and by the end-to-end tests.
    println!("partner portal is listening on {}/", portal.origin);
    let app = portal::router(PortalState { portal, key: ApiKey(key.trim().to_owned()) });
    axum::serve(listener, app).with_graceful_shutdown(async { let _ = tokio::signal::ctrl_c().await; }).await?;
    Ok(())
}
