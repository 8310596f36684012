//! The conduit server: the JSON API under `/api` and the built dashboard, from one port.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::http::{header, HeaderValue};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub mod auth;
pub mod authorise;
pub mod catalogue;
pub mod certificates;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod egress;
pub mod engine;
pub mod error;
pub mod origin;
pub mod private_files;
pub mod receipts;
mod routes;
pub mod sandbox;
pub mod sandbox_tls;
pub mod sign_in_limit;
pub mod store;

pub use config::Config;
use store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub engine: Arc<engine::Engine>,
    /// Authorisations with providers in progress (memory only).
    pub authorisations: Arc<authorise::Authorisations>,
    /// Failed sign-ins by account and client address (memory only).
    pub sign_in_limit: Arc<sign_in_limit::SignInLimit>,
}

impl AppState {
    /// The state the server runs with: the store, the configuration and a
    /// connection test engine under the configured egress policy.
    pub fn new(store: Store, config: Config) -> AppState {
        let policy = egress::EgressPolicy::new(config.egress_allow.0.clone());
        let engine_config = engine::EngineConfig {
            total_timeout: std::time::Duration::from_secs(config.test_timeout_secs),
            ..engine::EngineConfig::default()
        };
        AppState {
            store,
            config: Arc::new(config),
            engine: Arc::new(engine::Engine::new(policy, engine_config)),
            authorisations: Arc::default(),
            sign_in_limit: Arc::default(),
        }
    }
}

/// The whole application: API, dashboard files with an `index.html` fallback
/// (so deep links work), and the headers every response carries.
pub fn app(state: AppState) -> Router {
    let static_dir = &state.config.static_dir;
    let spa = ServeDir::new(static_dir).fallback(ServeFile::new(static_dir.join("index.html")));
    let frame_policy = HeaderValue::try_from(format!(
        "frame-ancestors {}; object-src 'none'; base-uri 'self'",
        state.config.frame_ancestors
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'self'"));

    let origins = Arc::new(origin::OriginPolicy::new(state.config.change_origins().iter().map(String::as_str)));
    let api = routes::router()
        .layer(axum::middleware::from_fn_with_state(origins, origin::guard))
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let mut router = Router::new().nest("/api", api);
    if state.config.demo {
        router = router.nest("/sandbox", sandbox::router());
    }
    router
        .fallback_service(spa)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            frame_policy,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Opens the configured database, migrating it, with the configured secret key.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let key = config.master_key()?;
    match &config.database_url {
        Some(url) => Store::connect(url, &key).await,
        None => Store::open_embedded(&config.data_dir, &key).await,
    }
}

/// Binds the configured address; port 0 picks a free port.
pub async fn bind(config: &Config) -> anyhow::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind((config.bind, config.port))
        .await
        .with_context(|| format!("could not listen on {}:{}", config.bind, config.port))?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // The client's address reaches handlers as `ConnectInfo` (the sign-in limit).
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .context("the server stopped with an error")
}
