//! The engine's own overhead: a full connection test against a local server,
//! next to a direct request to the same server with the same HTTP client
//! (hyper over a fresh TCP connection, as the engine makes one per test).
//!
//!     cargo bench -p conduit-server --bench engine
//!
//! A benchmark, not a test: it asserts nothing about time.

#[path = "../tests/common/test_input.rs"]
mod test_input;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use conduit_server::egress::EgressPolicy;
use conduit_server::engine::{Engine, EngineConfig, TestInput, TlsMaterial};
use conduit_types::TestOutcome;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

const RUNS: usize = 2000;
const WARM_UP: usize = 200;

async fn me(headers: HeaderMap) -> StatusCode {
    match headers.get("authorization") {
        Some(v) if v == "Bearer bench-token" => StatusCode::OK,
        _ => StatusCode::UNAUTHORIZED,
    }
}

async fn direct(port: u16) {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await.unwrap();
    let driver = tokio::spawn(connection);
    let request = hyper::Request::get("/me")
        .header("host", format!("127.0.0.1:{port}"))
        .header("authorization", "Bearer bench-token")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    response.into_body().collect().await.unwrap();
    driver.abort();
}

fn input(port: u16) -> TestInput {
    test_input::bearer_input("http://127.0.0.1:{{port}}", &[("port", &port.to_string())], "bench-token", TlsMaterial::default())
}

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<28} median {:>7.1} µs   p99 {:>7.1} µs   ({} runs)",
        at(0.5).as_secs_f64() * 1e6,
        at(0.99).as_secs_f64() * 1e6,
        samples.len()
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        axum::serve(listener, Router::new().route("/me", get(me))).await.unwrap();
    });

    let engine = Engine::with_roots(
        EgressPolicy::new(vec!["127.0.0.1/32".parse().unwrap()]),
        EngineConfig::default(),
        Arc::new(rustls::RootCertStore::empty()),
    );
    let input = input(port);

    let mut direct_times = Vec::with_capacity(RUNS);
    let mut engine_times = Vec::with_capacity(RUNS);
    for i in 0..WARM_UP + RUNS {
        // Interleave the two so drift on the machine affects both alike.
        let started = Instant::now();
        direct(port).await;
        let direct_elapsed = started.elapsed();

        let started = Instant::now();
        let run = engine.test(1, &input).await.unwrap();
        let engine_elapsed = started.elapsed();
        assert_eq!(run.result.outcome, TestOutcome::Ok, "{}", run.result.message);

        if i >= WARM_UP {
            direct_times.push(direct_elapsed);
            engine_times.push(engine_elapsed);
        }
    }
    println!("connection test against a local server on 127.0.0.1 (plain HTTP, new connection each time)");
    summary("direct request (hyper)", direct_times);
    summary("engine test (full path)", engine_times);
    server.abort();
}
