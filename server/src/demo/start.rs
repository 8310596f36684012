//! How demo mode joins a starting server: the demo data and the sandbox
//! behind mutual TLS at start, the sandbox's egress rules, and the sandbox's
//! routes beside the API.

use std::net::SocketAddr;

use axum::Router;

use super::data;
use super::portal_seed::{self, PortalSeed};
use super::sandbox;
use super::sandbox_tls::{self, DemoPki, TlsSandbox};
use crate::store::Store;
use crate::{AppState, Config};

/// The routes demo mode adds to the app: the sandbox under `/sandbox` when
/// `config` is in demo mode, none otherwise.
pub fn routes(config: &Config) -> Router<AppState> {
    if config.demo {
        Router::new().nest("/sandbox", sandbox::router())
    } else {
        Router::new()
    }
}

/// The whole application as the binary serves it: [`crate::app`], with the
/// sandbox in demo mode.
pub fn app(state: AppState) -> Router {
    let extra = routes(&state.config);
    crate::app_with(state, extra)
}

/// Starts demo mode for a server listening on `addr`. The demo's instances
/// point at its own sandbox: the API server's `/sandbox`, and a sandbox
/// behind mutual TLS on the same address, on a port of its own. Connection
/// tests may reach those two ports of that address, and no other (added to
/// `config`'s egress allowlist). The demo client certificate files are
/// written to the data directory, to try uploading. The sandbox behind
/// mutual TLS listens until the answer is dropped. The sample partner
/// portal's key and origin come from the environment ([`portal_seed`]).
pub async fn start(store: &Store, config: &mut Config, addr: SocketAddr) -> anyhow::Result<TlsSandbox> {
    let sandbox = data::sandbox_address(addr);
    let portal = PortalSeed::from_env()?;
    data::seed_if_empty_with(store, &format!("http://{sandbox}{}/sandbox", config.base_path), config.demo_instances).await?;
    if portal_seed::seed_portal(store, &portal).await?.is_some() {
        tracing::info!(name = portal_seed::KEY_NAME, "demo mode: the partner portal's API key is ready");
    }
    for origin in &portal.origins {
        tracing::info!(%origin, "demo mode: the partner portal may embed");
    }
    let pki = DemoPki::generate(sandbox.ip())?;
    let listening = sandbox_tls::start(&pki, sandbox.ip()).await?;
    data::mutual_tls_instance(store, &listening.base_url(), &pki).await?;
    tracing::info!(address = %listening.addr, "demo mode: the sandbox behind mutual TLS is listening");
    let rules = data::egress_rules(sandbox, listening.addr);
    for rule in &rules {
        tracing::info!(%rule, "demo mode: connection tests may reach the sandbox");
    }
    config.egress_allow.0.extend(rules);
    match pki.write_files(&config.data_dir) {
        Ok(paths) => {
            for path in paths {
                tracing::info!(path = %path.display(), "demo client certificate file, to try uploading");
            }
            tracing::info!(passphrase = sandbox_tls::PKCS12_PASSPHRASE, "the demo PKCS#12 file's passphrase");
        }
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not write the demo certificate files"),
    }
    Ok(listening)
}
