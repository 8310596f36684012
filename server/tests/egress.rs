//! The egress policy against the targets a server-side request forgery would
//! try. Nothing here sends traffic anywhere but loopback, and the only real
//! name lookup is of `localhost`; every other name goes through `FakeResolver`.

#[path = "common/test_input.rs"]
mod test_input;

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use conduit_server::egress::*;
use url::Url;

/// Answers from a fixed map and records every question.
#[derive(Debug, Default)]
struct FakeResolver {
    names: HashMap<String, Vec<IpAddr>>,
    asked: Mutex<Vec<String>>,
}

impl FakeResolver {
    fn standard() -> Arc<Self> {
        let mut names = HashMap::new();
        let mut add = |name: &str, addrs: &[&str]| {
            names.insert(
                name.to_owned(),
                addrs.iter().map(|a| a.parse().unwrap()).collect(),
            );
        };
        add("metadata.google.internal", &["169.254.169.254"]);
        add("internal.corp.example", &["10.1.2.3"]);
        add("rebind.example", &["93.184.216.34", "127.0.0.1"]);
        add(
            "rebind-v6.example",
            &["2606:2800:220:1:248:1893:25c8:1946", "fd12::1"],
        );
        add("mapped.example", &["::ffff:10.0.0.1"]);
        add("nat64.example", &["64:ff9b::a9fe:a9fe"]);
        add("cgnat.example", &["100.64.1.1"]);
        add(
            "api.example.com",
            &[
                "93.184.216.34",
                "2606:2800:220:1:248:1893:25c8:1946",
                "93.184.216.34",
            ],
        );
        add("sandbox.test", &["10.9.8.7"]);
        add("other.test", &["10.9.8.7"]);
        add("api.sandbox.test", &["10.9.8.7"]);
        add("empty.test", &[]);
        Arc::new(FakeResolver {
            names,
            asked: Mutex::new(Vec::new()),
        })
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Resolve for FakeResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send + 'a>> {
        self.asked.lock().unwrap().push(host.to_owned());
        let answer = match self.names.get(host) {
            Some(addrs) => Ok(addrs.iter().map(|ip| SocketAddr::new(*ip, port)).collect()),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such host")),
        };
        Box::pin(async move { answer })
    }
}

fn strict_with(fake: &Arc<FakeResolver>) -> EgressPolicy {
    EgressPolicy::new(vec![]).with_resolver(fake.clone())
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

use RefusalKind::*;

/// Forbidden IP literals, in every notation `url` accepts, with the address
/// `url` must read them as and the kind of refusal.
const FORBIDDEN_LITERALS: &[(&str, &str, RefusalKind)] = &[
    // IPv4 ranges.
    ("http://0.0.0.0/", "0.0.0.0", Unspecified),
    ("http://0/", "0.0.0.0", Unspecified),
    ("http://0.1.2.3/", "0.1.2.3", Unspecified),
    ("http://127.0.0.1/", "127.0.0.1", Loopback),
    ("http://127.255.255.254:8080/", "127.255.255.254", Loopback),
    ("http://10.0.0.1/", "10.0.0.1", Private),
    ("http://10.255.255.255/", "10.255.255.255", Private),
    ("http://172.16.0.1/", "172.16.0.1", Private),
    ("http://172.31.255.255/", "172.31.255.255", Private),
    ("https://192.168.1.1/", "192.168.1.1", Private),
    ("http://100.64.0.1/", "100.64.0.1", SharedCgnat),
    ("http://100.127.255.255/", "100.127.255.255", SharedCgnat),
    (
        "http://169.254.169.254/latest/meta-data/",
        "169.254.169.254",
        LinkLocal,
    ),
    ("http://169.254.0.1/", "169.254.0.1", LinkLocal),
    ("http://224.0.0.1/", "224.0.0.1", Multicast),
    ("http://239.255.255.250:1900/", "239.255.255.250", Multicast),
    ("http://255.255.255.255/", "255.255.255.255", Broadcast),
    ("http://192.0.2.1/", "192.0.2.1", Documentation),
    ("http://198.51.100.7/", "198.51.100.7", Documentation),
    ("http://203.0.113.9/", "203.0.113.9", Documentation),
    ("http://198.18.0.1/", "198.18.0.1", Benchmarking),
    ("http://198.19.255.255/", "198.19.255.255", Benchmarking),
    ("http://240.0.0.1/", "240.0.0.1", Reserved),
    ("http://192.0.0.8/", "192.0.0.8", Reserved),
    // 127.0.0.1 in other notations.
    ("http://2130706433/", "127.0.0.1", Loopback),
    ("http://0177.0.0.1/", "127.0.0.1", Loopback),
    ("http://0x7f.1/", "127.0.0.1", Loopback),
    ("http://0x7F000001/", "127.0.0.1", Loopback),
    ("http://017700000001/", "127.0.0.1", Loopback),
    ("http://127.1/", "127.0.0.1", Loopback),
    ("http://127.0.1/", "127.0.0.1", Loopback),
    ("http://0x7f.0.0.01/", "127.0.0.1", Loopback),
    ("http://0177.0x0.1/", "127.0.0.1", Loopback),
    ("http://127.0.0.1./", "127.0.0.1", Loopback),
    (
        "http://user:secret@127.0.0.1:22/?key=abc",
        "127.0.0.1",
        Loopback,
    ),
    // 169.254.169.254 in other notations.
    ("http://2852039166/", "169.254.169.254", LinkLocal),
    ("http://0251.0376.0251.0376/", "169.254.169.254", LinkLocal),
    ("http://0xa9fea9fe/", "169.254.169.254", LinkLocal),
    ("http://0xA9.0xFE.0xA9.0xFE/", "169.254.169.254", LinkLocal),
    ("http://169.254.43518/", "169.254.169.254", LinkLocal),
    ("http://169.16689662/", "169.254.169.254", LinkLocal),
    ("http://0xa9.254.0251.0xfe/", "169.254.169.254", LinkLocal),
    // 10.0.0.1 in other notations.
    ("http://167772161/", "10.0.0.1", Private),
    ("http://012.0.0.1/", "10.0.0.1", Private),
    ("http://0xa000001/", "10.0.0.1", Private),
    ("http://10.1/", "10.0.0.1", Private),
    ("http://10.0.1/", "10.0.0.1", Private),
    ("http://0xa.0.0.01/", "10.0.0.1", Private),
    ("http://012.0x0.0.1/", "10.0.0.1", Private),
    // IPv6 ranges.
    ("http://[::]/", "::", Unspecified),
    ("http://[::1]/", "::1", Loopback),
    ("http://[0:0:0:0:0:0:0:1]:8080/", "::1", Loopback),
    ("http://[fe80::1]/", "fe80::1", LinkLocal),
    ("http://[febf::1]/", "febf::1", LinkLocal),
    ("http://[fc00::1]/", "fc00::1", UniqueLocal),
    ("http://[fd00::1]/", "fd00::1", UniqueLocal),
    ("http://[ff02::1]/", "ff02::1", Multicast),
    ("http://[ff0e::1]/", "ff0e::1", Multicast),
    ("http://[2001:db8::1]/", "2001:db8::1", Documentation),
    ("http://[3fff::1]/", "3fff::1", Documentation),
    ("http://[100::1]/", "100::1", NotGlobal),
    ("http://[fec0::1]/", "fec0::1", NotGlobal),
    ("http://[4000::1]/", "4000::1", NotGlobal),
    ("http://[2001:2::1]/", "2001:2::1", Reserved),
    ("http://[2001:10::1]/", "2001:10::1", Reserved),
    // IPv6 with IPv4 inside: refused whatever they carry.
    (
        "http://[::ffff:127.0.0.1]/",
        "::ffff:127.0.0.1",
        Ipv4Embedded,
    ),
    ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1", Ipv4Embedded),
    (
        "http://[::ffff:a9fe:a9fe]/",
        "::ffff:169.254.169.254",
        Ipv4Embedded,
    ),
    ("http://[::ffff:8.8.8.8]/", "::ffff:8.8.8.8", Ipv4Embedded),
    ("http://[::127.0.0.1]/", "::127.0.0.1", Ipv4Embedded),
    ("http://[::a00:1]/", "::10.0.0.1", Ipv4Embedded),
    ("http://[64:ff9b::a00:1]/", "64:ff9b::a00:1", Ipv4Embedded),
    ("http://[64:ff9b::7f00:1]/", "64:ff9b::7f00:1", Ipv4Embedded),
    ("http://[64:ff9b:1::1]/", "64:ff9b:1::1", Ipv4Embedded),
    ("http://[2002:a00:1::]/", "2002:a00:1::", Ipv4Embedded),
    ("http://[2002:7f00:1::1]/", "2002:7f00:1::1", Ipv4Embedded),
    (
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        Ipv4Embedded,
    ),
];

#[tokio::test]
async fn refuses_forbidden_literals_without_a_lookup() {
    assert!(FORBIDDEN_LITERALS.len() >= 35);
    for &(target, expected, kind) in FORBIDDEN_LITERALS {
        let expected: IpAddr = expected.parse().unwrap();
        let parsed = url(target);
        // The URL parser, not the policy, turns every notation into one
        // address; the policy relies on that.
        let host = match parsed.host() {
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
            other => panic!("{target}: the URL parser read the host as {other:?}"),
        };
        assert_eq!(host, expected, "{target}");

        let fake = FakeResolver::standard();
        match strict_with(&fake).resolve(&parsed).await {
            Err(EgressError::Refused { host, refusal }) => {
                assert_eq!(
                    refusal,
                    Refusal {
                        address: expected,
                        kind
                    },
                    "{target}"
                );
                assert_eq!(host, expected.to_string(), "{target}");
            }
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
        assert!(
            fake.asked().is_empty(),
            "{target}: looked up {:?}",
            fake.asked()
        );
    }
}

#[tokio::test]
async fn refusal_messages_carry_no_credentials() {
    let fake = FakeResolver::standard();
    let err = strict_with(&fake)
        .resolve(&url("http://user:secret@127.0.0.1:22/path?key=abc"))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        "conduit does not connect to 127.0.0.1, a loopback address, because it is not on the \
         public internet. An administrator can allow it in the egress allowlist."
    );
    for secret in ["user", "secret", "key", "abc", "path"] {
        assert!(!message.contains(secret), "{message}");
    }
}

/// Names whose answers include a forbidden address.
const FORBIDDEN_NAMES: &[(&str, &str, RefusalKind)] = &[
    (
        "http://metadata.google.internal/computeMetadata/v1/",
        "169.254.169.254",
        LinkLocal,
    ),
    ("https://internal.corp.example/", "10.1.2.3", Private),
    ("http://rebind.example/", "127.0.0.1", Loopback),
    ("http://REBIND.example./", "127.0.0.1", Loopback),
    ("https://rebind-v6.example/", "fd12::1", UniqueLocal),
    ("http://mapped.example/", "::ffff:10.0.0.1", Ipv4Embedded),
    ("http://nat64.example/", "64:ff9b::a9fe:a9fe", Ipv4Embedded),
    ("http://cgnat.example/", "100.64.1.1", SharedCgnat),
    ("http://other.test/", "10.9.8.7", Private),
];

#[tokio::test]
async fn refuses_names_that_resolve_to_forbidden_addresses_asking_once() {
    for &(target, expected, kind) in FORBIDDEN_NAMES {
        let expected: IpAddr = expected.parse().unwrap();
        let parsed = url(target);
        let name = parsed.host_str().unwrap().trim_end_matches('.').to_owned();
        let fake = FakeResolver::standard();
        match strict_with(&fake).resolve(&parsed).await {
            Err(EgressError::Refused { host, refusal }) => {
                assert_eq!(
                    refusal,
                    Refusal {
                        address: expected,
                        kind
                    },
                    "{target}"
                );
                assert_eq!(host, name, "{target}");
                let message = EgressError::Refused { host, refusal }.to_string();
                assert!(message.contains(&name), "{message}");
                assert!(message.contains(&expected.to_string()), "{message}");
                assert!(message.contains(kind.description()), "{message}");
            }
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
        assert_eq!(fake.asked(), vec![name], "{target}: resolve once");
    }
}

#[tokio::test]
async fn refuses_localhost_through_the_system_resolver() {
    let strict = EgressPolicy::new(vec![]);
    for target in [
        "http://localhost/",
        "https://localhost:8443/",
        "http://LOCALHOST./",
    ] {
        match strict.resolve(&url(target)).await {
            Err(EgressError::Refused { host, refusal }) => {
                assert_eq!(refusal.kind, Loopback, "{target}");
                assert!(refusal.address.is_loopback(), "{target}: {refusal:?}");
                assert_eq!(host, "localhost", "{target}");
            }
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn refused_targets_get_no_packet() {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let strict = EgressPolicy::new(vec![]);
    for target in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
    ] {
        let err = strict.resolve(&url(&target)).await.unwrap_err();
        assert!(
            matches!(err, EgressError::Refused { .. }),
            "{target}: {err:?}"
        );
    }
    let accepted = tokio::time::timeout(Duration::from_millis(300), listener.accept()).await;
    assert!(accepted.is_err(), "the listener accepted a connection");
}

#[tokio::test]
async fn returns_public_literals_as_they_are_without_a_lookup() {
    let cases = [
        ("https://93.184.216.34/", "93.184.216.34:443"),
        ("http://93.184.216.34/", "93.184.216.34:80"),
        ("http://1.1.1.1:8080/x?y=z", "1.1.1.1:8080"),
        ("http://16843009/", "1.1.1.1:80"),
        ("http://172.32.0.1/", "172.32.0.1:80"),
        ("http://100.128.0.1/", "100.128.0.1:80"),
        ("http://198.20.0.1/", "198.20.0.1:80"),
        ("http://223.255.255.255/", "223.255.255.255:80"),
        (
            "https://[2606:4700:4700::1111]/",
            "[2606:4700:4700::1111]:443",
        ),
        ("http://[2001:200::1]:81/", "[2001:200::1]:81"),
    ];
    for (target, expected) in cases {
        let fake = FakeResolver::standard();
        let found = strict_with(&fake).resolve(&url(target)).await;
        assert_eq!(found.unwrap(), vec![addr(expected)], "{target}");
        assert!(
            fake.asked().is_empty(),
            "{target}: looked up {:?}",
            fake.asked()
        );
    }
}

#[tokio::test]
async fn returns_the_addresses_of_a_public_name_once_each() {
    let fake = FakeResolver::standard();
    let found = strict_with(&fake)
        .resolve(&url("https://api.example.com/v1/ping"))
        .await
        .unwrap();
    assert_eq!(
        found,
        vec![
            addr("93.184.216.34:443"),
            addr("[2606:2800:220:1:248:1893:25c8:1946]:443"),
        ]
    );
    assert_eq!(fake.asked(), vec!["api.example.com".to_owned()]);

    let fake = FakeResolver::standard();
    let found = strict_with(&fake)
        .resolve(&url("http://api.example.com:8080/"))
        .await
        .unwrap();
    assert!(found.iter().all(|a| a.port() == 8080), "{found:?}");
    assert_eq!(fake.asked().len(), 1);
}

#[tokio::test]
async fn an_allowed_address_opens_that_address_only() {
    let fake = FakeResolver::standard();
    let policy = EgressPolicy::new(EgressPolicy::parse_allowlist("127.0.0.1").unwrap())
        .with_resolver(fake.clone());
    assert_eq!(
        policy
            .resolve(&url("http://127.0.0.1:8080/"))
            .await
            .unwrap(),
        vec![addr("127.0.0.1:8080")]
    );
    assert_eq!(
        policy.resolve(&url("http://0x7f.1:8080/")).await.unwrap(),
        vec![addr("127.0.0.1:8080")]
    );
    for (target, kind) in [
        ("http://[::ffff:127.0.0.1]/", Ipv4Embedded),
        ("http://127.0.0.2/", Loopback),
        ("http://[::1]/", Loopback),
        ("http://10.0.0.1/", Private),
    ] {
        match policy.resolve(&url(target)).await {
            Err(EgressError::Refused { refusal, .. }) => assert_eq!(refusal.kind, kind, "{target}"),
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
    }
    // A name answering 127.0.0.1 among public addresses is now fine.
    assert_eq!(
        policy
            .resolve(&url("http://rebind.example/"))
            .await
            .unwrap(),
        vec![addr("93.184.216.34:80"), addr("127.0.0.1:80")]
    );
    // Literals were never looked up; the one name was, once.
    assert_eq!(fake.asked(), vec!["rebind.example".to_owned()]);
}

#[tokio::test]
async fn an_allowed_network_reaches_localhost_through_the_system_resolver() {
    let policy = EgressPolicy::new(EgressPolicy::parse_allowlist("127.0.0.0/8, ::1").unwrap());
    let found = policy.resolve(&url("http://localhost:9/")).await.unwrap();
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|a| a.ip().is_loopback() && a.port() == 9),
        "{found:?}"
    );
}

#[tokio::test]
async fn an_allowed_host_opens_that_name_only() {
    let fake = FakeResolver::standard();
    let policy = EgressPolicy::new(EgressPolicy::parse_allowlist("Sandbox.Test.").unwrap())
        .with_resolver(fake.clone());
    for target in [
        "http://sandbox.test/",
        "http://SANDBOX.test./",
        "https://user:pw@sandbox.test:8443/x",
    ] {
        let port = url(target).port_or_known_default().unwrap();
        assert_eq!(
            policy.resolve(&url(target)).await.unwrap(),
            vec![SocketAddr::new("10.9.8.7".parse().unwrap(), port)],
            "{target}"
        );
    }
    for target in [
        "http://other.test/",
        "http://api.sandbox.test/",
        "http://10.9.8.7/",
    ] {
        match policy.resolve(&url(target)).await {
            Err(EgressError::Refused { refusal, .. }) => assert_eq!(
                refusal,
                Refusal {
                    address: "10.9.8.7".parse().unwrap(),
                    kind: Private
                },
                "{target}"
            ),
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
    }
    assert_eq!(
        fake.asked(),
        vec![
            "sandbox.test".to_owned(),
            "sandbox.test".to_owned(),
            "sandbox.test".to_owned(),
            "other.test".to_owned(),
            "api.sandbox.test".to_owned(),
        ]
    );
}

#[tokio::test]
async fn an_allowed_host_on_a_port_opens_that_port_only() {
    let fake = FakeResolver::standard();
    let policy = EgressPolicy::new(EgressPolicy::parse_allowlist("sandbox.test:8443").unwrap())
        .with_resolver(fake.clone());
    assert_eq!(
        policy.resolve(&url("https://sandbox.test:8443/x")).await.unwrap(),
        vec![addr("10.9.8.7:8443")]
    );
    for target in ["https://sandbox.test/", "http://sandbox.test:8080/", "http://10.9.8.7:8443/"] {
        match policy.resolve(&url(target)).await {
            Err(EgressError::Refused { refusal, .. }) => assert_eq!(refusal.kind, Private, "{target}"),
            other => panic!("{target}: expected a refusal, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn refuses_other_schemes() {
    let fake = FakeResolver::standard();
    let strict = strict_with(&fake);
    for target in [
        "ftp://93.184.216.34/",
        "ftp://api.example.com/",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "ws://api.example.com/",
        "data:text/plain,hello",
        "mailto:someone@example.com",
    ] {
        let err = strict.resolve(&url(target)).await.unwrap_err();
        assert!(matches!(err, EgressError::NotHttp), "{target}: {err:?}");
        assert_eq!(
            err.to_string(),
            "Only http and https addresses can be tested."
        );
    }
    assert!(fake.asked().is_empty());
}

#[tokio::test]
async fn reports_names_that_cannot_be_found() {
    for target in ["http://nowhere.test/", "https://empty.test/"] {
        let fake = FakeResolver::standard();
        let err = strict_with(&fake).resolve(&url(target)).await.unwrap_err();
        let name = url(target).host_str().unwrap().to_owned();
        match &err {
            EgressError::Dns { host } => assert_eq!(host, &name),
            other => panic!("{target}: expected a DNS error, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            format!("The host {name} could not be found.")
        );
        assert_eq!(fake.asked(), vec![name]);
    }
    // An allowed host that cannot be found is still a DNS error.
    let fake = FakeResolver::standard();
    let policy =
        EgressPolicy::new(vec![AllowRule::host("nowhere.test")]).with_resolver(fake.clone());
    assert!(matches!(
        policy.resolve(&url("http://nowhere.test/")).await,
        Err(EgressError::Dns { .. })
    ));
}

// -- port-scoped rules through a real connection test -----------------------------

mod through_the_engine {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use conduit_server::egress::EgressPolicy;
    use conduit_server::engine::{Engine, EngineConfig, TestInput, TlsMaterial};
    use conduit_types::TestOutcome;

    /// A local system on a free loopback port that counts the requests it gets.
    async fn listener() -> (u16, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let app = Router::new().route(
            "/me",
            get(move |headers: HeaderMap| {
                let counter = counter.clone();
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    match headers.get("authorization") {
                        Some(v) if v == "Bearer tok-abc" => StatusCode::OK,
                        _ => StatusCode::UNAUTHORIZED,
                    }
                }
            }),
        );
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        (port, seen, task)
    }

    fn input(port: u16) -> TestInput {
        super::test_input::bearer_input("http://127.0.0.1:{{port}}", &[("port", &port.to_string())], "tok-abc", TlsMaterial::default())
    }

    #[tokio::test]
    async fn a_rule_for_one_port_refuses_a_test_of_another_port_of_that_address() {
        let (allowed, seen_allowed, task_a) = listener().await;
        let (other, seen_other, task_b) = listener().await;
        let policy = EgressPolicy::new(EgressPolicy::parse_allowlist(&format!("127.0.0.1:{allowed}")).unwrap());
        let engine = Engine::with_roots(policy, EngineConfig::default(), Arc::new(rustls::RootCertStore::empty()));

        let refused = engine.test(1, &input(other)).await.unwrap().result;
        assert_eq!(refused.outcome, TestOutcome::BlockedByPolicy, "{refused:?}");
        assert!(
            refused.message.contains("conduit does not connect to 127.0.0.1, a loopback address"),
            "{}",
            refused.message
        );
        assert_eq!(seen_other.load(Ordering::SeqCst), 0, "nothing reached the other port");

        let passed = engine.test(1, &input(allowed)).await.unwrap().result;
        assert_eq!(passed.outcome, TestOutcome::Ok, "{passed:?}");
        assert_eq!(seen_allowed.load(Ordering::SeqCst), 1);
        task_a.abort();
        task_b.abort();
    }
}
