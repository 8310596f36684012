//! TLS in connection tests, with certificates generated here: a server behind
//! a private CA, and a server that demands a client certificate.

#[path = "common/test_input.rs"]
mod test_input;
#[path = "common/tls_server.rs"]
mod tls;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use conduit_server::egress::EgressPolicy;
use test_input::bearer_input;
use conduit_server::engine::{ClientIdentity, Engine, EngineConfig, TestInput, TlsMaterial};
use conduit_types::{TestOutcome, TestResult, TestStepKind};
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, SanType};
use tls::{ca, Ca, TlsServer};

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

/// A server behind `server_ca` for the given names, optionally demanding a
/// client certificate signed by `client_ca`.
async fn tls_server(server_ca: &Ca, sans: Vec<SanType>, client_ca: Option<&Ca>) -> TlsServer {
    let (cert_pem, key_pem) = leaf(server_ca, sans, ExtendedKeyUsagePurpose::ServerAuth);
    let client_ca_pem = client_ca.map(|ca| ca.cert.pem());
    tls::tls_server(&cert_pem, &key_pem, client_ca_pem.as_deref()).await
}

fn ip_san() -> Vec<SanType> {
    vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))]
}

fn input(port: u16, tls: TlsMaterial) -> TestInput {
    bearer_input(&format!("https://127.0.0.1:{port}"), &[], "t", tls)
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
