//! The local HTTPS server connection tests reach: on a free 127.0.0.1 port,
//! with the certificate and key it is given, optionally demanding a client
//! certificate signed by a given CA (mutual TLS); it answers 200 to any
//! request and counts the requests it answered. And a CA to sign with.
//!
//! Included by the test files that need it with `#[path]`.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rustls::pki_types::CertificateDer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A certificate authority made for a test.
pub struct Ca {
    pub cert: rcgen::Certificate,
    pub key: KeyPair,
}

/// A self-signed CA named `name`.
pub fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    Ca { cert: params.self_signed(&key).unwrap(), key }
}

/// The running server; stops when dropped.
pub struct TlsServer {
    pub port: u16,
    /// How many requests it answered (a refused handshake answers none).
    pub answered: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn certificates(pem: &str) -> Vec<CertificateDer<'static>> {
    rustls_pemfile::certs(&mut pem.as_bytes()).collect::<Result<_, _>>().unwrap()
}

/// Serves HTTPS with `cert_pem` (the chain, leaf first) and `key_pem`; with
/// `client_ca_pem`, only to clients presenting a certificate it signed.
pub async fn tls_server(cert_pem: &str, key_pem: &str, client_ca_pem: Option<&str>) -> TlsServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca_pem {
        Some(ca_pem) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in certificates(ca_pem) {
                roots.add(cert).unwrap();
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let key = rustls_pemfile::private_key(&mut key_pem.as_bytes()).unwrap().unwrap();
    let config = builder.with_single_cert(certificates(cert_pem), key).unwrap();
    serve(tokio_rustls::TlsAcceptor::from(Arc::new(config))).await
}

/// Serves `acceptor` on a free 127.0.0.1 port: 200 to any request.
async fn serve(acceptor: tokio_rustls::TlsAcceptor) -> TlsServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = answered.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let (acceptor, counter) = (acceptor.clone(), counter.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok").await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer { port, answered, task }
}
