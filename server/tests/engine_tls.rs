//! TLS in connection tests, with certificates generated here: a server behind
//! a private CA, and a server that demands a client certificate.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use conduit_server::egress::EgressPolicy;
use conduit_server::engine::{ClientIdentity, Engine, EngineConfig, FieldValues, TestInput, TlsMaterial};
use conduit_types::{
    AuthKind, AuthMethodDef, AuthSettings, ConnectorDefinition, FieldDef, Placement, TestOutcome, TestRequestDef,
    TestResult, TestStepKind,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    Ca { cert: params.self_signed(&key).unwrap(), key }
}

/// A leaf certificate signed by `ca`, for the given names and purpose.
fn leaf(ca: &Ca, sans: Vec<SanType>, purpose: ExtendedKeyUsagePurpose) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = sans;
    params.extended_key_usages = vec![purpose];
    params.distinguished_name.push(DnType::CommonName, "leaf");
    let cert = params.signed_by(&key, &ca.cert, &ca.key).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn der(pem: &str) -> CertificateDer<'static> {
    rustls_pemfile::certs(&mut pem.as_bytes()).next().unwrap().unwrap()
}

fn key_der(pem: &str) -> PrivateKeyDer<'static> {
    let der = rustls_pemfile::pkcs8_private_keys(&mut pem.as_bytes()).next().unwrap().unwrap();
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der.secret_pkcs8_der().to_vec()))
}

/// A TLS server on 127.0.0.1 that answers every request with 200, optionally
/// demanding a client certificate signed by `client_ca`.
struct TlsServer {
    port: u16,
    answered: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn tls_server(server_ca: &Ca, sans: Vec<SanType>, client_ca: Option<&Ca>) -> TlsServer {
    let (cert_pem, key_pem) = leaf(server_ca, sans, ExtendedKeyUsagePurpose::ServerAuth);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(der(&ca.cert.pem())).unwrap();
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder.with_single_cert(vec![der(&cert_pem)], key_der(&key_pem)).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = answered.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            let counter = counter.clone();
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
                let _ = tls
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer { port, answered, task }
}

fn ip_san() -> Vec<SanType> {
    vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))]
}

fn input(port: u16, tls: TlsMaterial) -> TestInput {
    let token = FieldDef {
        key: "token".into(),
        label: "token".into(),
        help: None,
        secret: true,
        required: true,
        placement: Placement::Header { name: "Authorization".into(), prefix: Some("Bearer ".into()) },
        destination: false,
        choices: vec![],
        kind: Default::default(),
    };
    TestInput {
        definition: ConnectorDefinition {
            base_url: format!("https://127.0.0.1:{port}"),
            variables: vec![],
            auth_methods: vec![AuthMethodDef {
                key: "m".into(),
                label: "token".into(),
                kind: AuthKind::Token,
                fields: vec![token],
                settings: AuthSettings::default(),
            }],
            test_request: TestRequestDef { method: "GET".into(), path: "/me".into(), expected_statuses: vec![200] },
        },
        variables: BTreeMap::new(),
        auth_method: "m".into(),
        fields: FieldValues(BTreeMap::from([("token".into(), "t".into())])),
        tls,
        oauth_tokens: None,
    }
}

fn engine() -> Engine {
    // No system roots: only what an instance brings is trusted.
    Engine::with_roots(
        EgressPolicy::new(vec!["127.0.0.1/32".parse().unwrap()]),
        EngineConfig::default(),
        Arc::new(rustls::RootCertStore::empty()),
    )
}

async fn run(input: &TestInput) -> TestResult {
    engine().test(1, input).await.unwrap().result
}

#[tokio::test]
async fn a_private_ca_fails_without_the_instances_ca_and_passes_with_it() {
    let private = ca("Private CA");
    let server = tls_server(&private, ip_san(), None).await;

    let without = run(&input(server.port, TlsMaterial::default())).await;
    assert_eq!(without.outcome, TestOutcome::Tls, "{}", without.message);
    assert!(without.message.contains("not signed by an authority conduit trusts"), "{}", without.message);
    let last = without.steps.last().unwrap();
    assert_eq!((last.kind, last.ok), (TestStepKind::TlsHandshake, false));
    assert_eq!(server.answered.load(Ordering::SeqCst), 0);

    let with = run(&input(server.port, TlsMaterial { ca_pem: Some(private.cert.pem()), client: None })).await;
    assert_eq!(with.outcome, TestOutcome::Ok, "{}", with.message);
    let kinds: Vec<_> = with.steps.iter().map(|s| (s.kind, s.ok)).collect();
    assert_eq!(
        kinds,
        [
            (TestStepKind::Resolve, true),
            (TestStepKind::Connect, true),
            (TestStepKind::TlsHandshake, true),
            (TestStepKind::TestRequest, true)
        ]
    );

    // Trusting some other CA does not help.
    let other = ca("Other CA");
    let wrong = run(&input(server.port, TlsMaterial { ca_pem: Some(other.cert.pem()), client: None })).await;
    assert_eq!(wrong.outcome, TestOutcome::Tls);
}

#[tokio::test]
async fn a_certificate_for_another_name_is_refused() {
    let private = ca("Private CA");
    let server = tls_server(&private, vec![SanType::DnsName("api.example.com".try_into().unwrap())], None).await;
    let result = run(&input(server.port, TlsMaterial { ca_pem: Some(private.cert.pem()), client: None })).await;
    assert_eq!(result.outcome, TestOutcome::Tls);
    assert!(result.message.contains("certificate is for a different name"), "{}", result.message);
}

#[tokio::test]
async fn mutual_tls_fails_without_a_client_certificate_and_passes_with_one() {
    let private = ca("Private CA");
    let clients = ca("Client CA");
    let server = tls_server(&private, ip_san(), Some(&clients)).await;
    let ca_pem = Some(private.cert.pem());

    let without = run(&input(server.port, TlsMaterial { ca_pem: ca_pem.clone(), client: None })).await;
    assert_eq!(without.outcome, TestOutcome::Tls, "{}", without.message);
    assert!(without.message.contains("asks for a client certificate"), "{}", without.message);
    assert_eq!(server.answered.load(Ordering::SeqCst), 0);

    let (cert_pem, key_pem) = leaf(&clients, vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let with = run(&input(server.port, TlsMaterial {
        ca_pem: ca_pem.clone(),
        client: Some(ClientIdentity { cert_pem, key_pem: key_pem.clone() }),
    }))
    .await;
    assert_eq!(with.outcome, TestOutcome::Ok, "{}", with.message);
    assert_eq!(server.answered.load(Ordering::SeqCst), 1);

    // A certificate from a CA the server does not trust is refused.
    let stranger = ca("Stranger CA");
    let (cert_pem, key_pem) = leaf(&stranger, vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let refused = run(&input(server.port, TlsMaterial { ca_pem, client: Some(ClientIdentity { cert_pem, key_pem }) })).await;
    assert_eq!(refused.outcome, TestOutcome::Tls, "{}", refused.message);
    assert!(refused.message.contains("did not accept the client certificate"), "{}", refused.message);
    assert_eq!(server.answered.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn certificates_that_cannot_be_read_are_invalid_settings() {
    let private = ca("Private CA");
    let bad_ca = run(&input(1, TlsMaterial { ca_pem: Some("not a certificate".into()), client: None })).await;
    assert_eq!(bad_ca.outcome, TestOutcome::InvalidSettings);
    assert_eq!(bad_ca.message, "The instance's CA certificate is not a PEM certificate.");

    let (cert_pem, _) = leaf(&private, vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let (_, other_key) = leaf(&private, vec![], ExtendedKeyUsagePurpose::ClientAuth);
    let mismatched = run(&input(1, TlsMaterial {
        ca_pem: None,
        client: Some(ClientIdentity { cert_pem, key_pem: other_key.clone() }),
    }))
    .await;
    assert_eq!(mismatched.outcome, TestOutcome::InvalidSettings, "{}", mismatched.message);
    assert!(!mismatched.message.contains("PRIVATE KEY"), "the key never appears in a message");
    assert!(mismatched.steps.is_empty(), "nothing was sent");
}
