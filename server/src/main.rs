use clap::Parser;
use conduit_server::flows::FlowTask;
use conduit_server::health::{HealthTask, Scope};
use conduit_server::{bind, demo, open_store, serve_app, AppState, Config};
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
    let (listener, addr) = bind(&config).await?;
    // Providers send people back here after authorising (OAuth 2).
    config.port = addr.port();
    // The demo's sandbox behind mutual TLS, kept until the server stops.
    let tls_sandbox = if config.demo { Some(demo::start(&store, &mut config, addr).await?) } else { None };
    if !config.static_dir.join("index.html").exists() {
        tracing::warn!(dir = %config.static_dir.display(), "the dashboard is not built; only the API is served");
    }
    // This line is read by people and by the end-to-end tests.
    println!("conduit is listening on http://{addr}/");
    tracing::info!(callback = %conduit_server::instances::authorise::callback_url(&config), "OAuth 2 providers send people back to this address");
    if config.demo {
        println!("sign in as {} with the password {}", demo::EMAIL, demo::PASSWORD);
        println!("(or as {}, a second user of the company, with the same password)", demo::SECOND_EMAIL);
    }
    // The demo checks only its sandbox instances on its own.
    let scope = match &tls_sandbox {
        Some(tls) => Scope::Only(demo::sandbox_instances(&store, &[demo::sandbox_address(addr), tls.addr]).await?),
        None => Scope::All,
    };
    let minutes = config.health_check_minutes;
    let flow_minutes = config.flow_run_minutes;
    let state = AppState::new(store.clone(), config);
    // Flows call the same instances the checker may: in the demo, its sandbox's only.
    state.flows.set_scope(scope.clone());
    let health = HealthTask::start(state.clone(), minutes, scope);
    let flows = FlowTask::start(state.clone(), flow_minutes).await?;
    // Open event streams end when shutting down, so the requests in flight finish.
    let events = store.events().clone();
    let shutdown = async move {
        shutdown_signal().await;
        events.close();
    };
    serve_app(listener, demo::app(state), shutdown).await?;
    if let Some(flows) = flows {
        flows.stop().await;
    }
    if let Some(health) = health {
        health.stop().await;
    }
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
