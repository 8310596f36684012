//! The conduit server: the JSON API under `/api` and the built dashboard, from one port.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::http::{header, HeaderValue};
use axum::serve::{ListenerExt, TapIo};
use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub mod auth;
pub mod base_path;
pub mod bearer;
pub mod authorise;
pub mod background;
pub mod catalogue;
pub mod certificates;
pub mod clock;
pub mod config;
pub mod credentials;
pub mod crypto;
pub mod demo;
pub mod developer;
pub mod egress;
pub mod embed;
pub mod embed_page;
pub mod engine;
pub mod error;
pub mod flows;
pub mod events;
pub mod health;
pub mod index_page;
pub mod instances;
pub mod origin;
pub mod paging;
pub mod private_files;
pub mod receipts;
mod routes;
pub mod sign_in_limit;
pub mod state;
pub mod static_files;
pub mod store;
pub mod tokens;
pub mod web_headers;

pub use config::Config;
pub use state::AppState;
use store::Store;

/// The whole application: API, dashboard files with an `index.html` fallback
/// (so deep links work), and the headers every response carries; all of it
/// under the configured base path.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// [`app`] with `extra` routes beside the API, before the dashboard's
/// fallback, under the same headers (demo mode adds its sandbox this way).
pub fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    let index = Arc::new(index_page::IndexPage::read(&state.config.static_dir, &state.config.base_path));
    let web = Arc::new(web_headers::WebHeaders::new(&state.config, &index));
    let origins = Arc::new(origin::OriginPolicy::new(state.config.change_origins().iter().map(String::as_str)));
    let api = routes::router()
        .layer(axum::middleware::from_fn_with_state(origins, origin::guard))
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let embed = Router::new()
        .route(static_files::EMBED_SCRIPT_PATH, axum::routing::get(static_files::embed_script))
        .route("/embed/{company}/{*rest}", axum::routing::get(embed_page::page))
        .layer(axum::Extension(web.clone()))
        .layer(axum::Extension(index.clone()));
    let base = state.config.base_path.clone();
    let app = Router::new()
        .nest("/api", api)
        .merge(embed)
        .merge(extra)
        .fallback_service(static_files::service(&state.config.static_dir, index))
        .with_state(state);
    base_path::nest(&base, app)
        .layer(axum::middleware::from_fn_with_state(web, web_headers::apply))
        .layer(TraceLayer::new_for_http())
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

/// Serves [`app`] until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Open event streams end when shutting down, so the requests in flight finish.
    let events = state.store.events().clone();
    let shutdown = async move {
        shutdown.await;
        events.close();
    };
    serve_app(listener, app(state), shutdown).await
}

/// Serves `app` (e.g. from [`app_with`]) until `shutdown` completes, then
/// finishes the requests in flight.
pub async fn serve_app(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // The client's address reaches handlers as `ConnectInfo` (the sign-in limit).
    axum::serve(nodelay(listener), app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .context("the server stopped with an error")
}

/// `listener`, setting `TCP_NODELAY` on every connection it accepts: without
/// it a response written in pieces waits for the client's delayed ACK
/// (Nagle's algorithm), some 40 ms a time on a kept-alive connection.
pub fn nodelay(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    listener.tap_io(set_nodelay as fn(&mut TcpStream))
}

fn set_nodelay(tcp: &mut TcpStream) {
    if let Err(error) = tcp.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY on a connection");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener;

    #[tokio::test]
    async fn accepted_connections_have_nodelay_set() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = nodelay(listener);
        let client = tokio::spawn(async move { TcpStream::connect(addr).await.unwrap() });
        let (accepted, from) = tokio::time::timeout(std::time::Duration::from_secs(5), listener.accept())
            .await
            .expect("a connection within 5 s");
        let client = client.await.unwrap();
        assert_eq!(from, client.local_addr().unwrap());
        assert!(accepted.nodelay().unwrap(), "TCP_NODELAY is set on the accepted socket");
    }

    #[tokio::test]
    async fn the_nodelay_listener_still_tells_handlers_who_connected() {
        use axum::extract::ConnectInfo;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/",
            axum::routing::get(|ConnectInfo(from): ConnectInfo<SocketAddr>| async move { from.to_string() }),
        );
        let server = tokio::spawn(async move {
            axum::serve(nodelay(listener), app.into_make_service_with_connect_info::<SocketAddr>()).await
        });
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        let local = tcp.local_addr().unwrap();
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        tcp.write_all(b"GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
        let mut answer = String::new();
        tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_string(&mut answer))
            .await
            .expect("an answer within 5 s")
            .unwrap();
        assert!(answer.ends_with(&local.to_string()), "{answer}");
        server.abort();
    }
}
