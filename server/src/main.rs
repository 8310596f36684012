use clap::Parser;
use conduit_server::{bind, demo, open_store, sandbox_tls, serve, AppState, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let mut config = Config::parse();
    let store = open_store(&config).await?;
    // The demo's sandbox behind mutual TLS, kept until the server stops.
    let mut tls_sandbox = None;
    let (listener, addr) = bind(&config).await?;
    // Providers send people back here after authorising (OAuth 2).
    config.port = addr.port();
    if config.demo {
        // The demo's instances point at its own sandbox: the API server's
        // `/sandbox`, and a sandbox behind mutual TLS on the same address, on
        // a port of its own.
        let sandbox = demo::sandbox_address(addr);
        demo::seed_if_empty(&store, &format!("http://{sandbox}/sandbox")).await?;
        let pki = sandbox_tls::DemoPki::generate(sandbox.ip())?;
        let listening = sandbox_tls::start(&pki, sandbox.ip()).await?;
        demo::mutual_tls_instance(&store, &listening.base_url(), &pki).await?;
        tracing::info!(address = %listening.addr, "demo mode: the sandbox behind mutual TLS is listening");
        // Connection tests may reach those two ports of that address, and no other.
        let rules = demo::egress_rules(sandbox, listening.addr);
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
        tls_sandbox = Some(listening);
    }
    if !config.static_dir.join("index.html").exists() {
        tracing::warn!(dir = %config.static_dir.display(), "the dashboard is not built; only the API is served");
    }
    // This line is read by people and by the end-to-end tests.
    println!("conduit is listening on http://{addr}/");
    tracing::info!(callback = %format!("{}/api/oauth/callback", config.public_origin()), "OAuth 2 providers send people back to this address");
    if config.demo {
        println!("sign in as {} with the password {}", demo::EMAIL, demo::PASSWORD);
    }
    let state = AppState::new(store.clone(), config);
    serve(listener, state, shutdown_signal()).await?;
    drop(tls_sandbox);
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
