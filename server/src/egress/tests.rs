//! The egress policy's tests: parsing allowlists, classifying addresses,
//! allowlists overriding refusals, and refusals read as sentences.

use std::net::{IpAddr, SocketAddr};

use super::*;

fn v4(s: &str) -> IpAddr {
    IpAddr::V4(s.parse().unwrap())
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn net(s: &str, prefix: u8) -> AllowRule {
    AllowRule::net(ip(s), prefix)
}

/// `ip` on a port no rule here names.
fn at(ip: IpAddr) -> SocketAddr {
    SocketAddr::new(ip, 443)
}

#[test]
fn parses_allowlists() {
    assert_eq!(EgressPolicy::parse_allowlist(""), Ok(vec![]));
    assert_eq!(EgressPolicy::parse_allowlist("  , ,\n"), Ok(vec![]));
    assert_eq!(
        EgressPolicy::parse_allowlist("127.0.0.1, sandbox.test\n::1 fd00::/8,,10.0.0.0/8"),
        Ok(vec![
            net("127.0.0.1", 32),
            AllowRule::host("sandbox.test"),
            net("::1", 128),
            net("fd00::", 8),
            net("10.0.0.0", 8),
        ])
    );
    assert!(EgressPolicy::parse_allowlist("127.0.0.1, bad/entry").is_err());
    assert!(EgressPolicy::parse_allowlist("127.0.0.1 10.0.0.0/99").is_err());
}

#[test]
fn classifies_ipv4() {
    use RefusalKind::*;
    let strict = EgressPolicy::default();
    let cases = [
        ("0.0.0.0", Unspecified),
        ("0.255.255.255", Unspecified),
        ("127.0.0.1", Loopback),
        ("127.255.255.255", Loopback),
        ("10.0.0.0", Private),
        ("10.255.255.255", Private),
        ("172.16.0.1", Private),
        ("172.31.255.255", Private),
        ("192.168.0.1", Private),
        ("192.168.255.255", Private),
        ("100.64.0.0", SharedCgnat),
        ("100.127.255.255", SharedCgnat),
        ("169.254.169.254", LinkLocal),
        ("169.254.0.0", LinkLocal),
        ("224.0.0.1", Multicast),
        ("239.255.255.255", Multicast),
        ("255.255.255.255", Broadcast),
        ("192.0.2.1", Documentation),
        ("198.51.100.1", Documentation),
        ("203.0.113.255", Documentation),
        ("198.18.0.0", Benchmarking),
        ("198.19.255.255", Benchmarking),
        ("240.0.0.1", Reserved),
        ("255.255.255.254", Reserved),
        ("192.0.0.8", Reserved),
        ("192.0.0.255", Reserved),
    ];
    for (addr, kind) in cases {
        assert_eq!(
            strict.check(at(v4(addr))),
            Err(Refusal {
                address: v4(addr),
                kind
            }),
            "{addr}"
        );
    }
    for addr in [
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "192.0.1.255",
        "192.0.3.0",
        "192.167.255.255",
        "192.169.0.0",
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
    ] {
        assert_eq!(strict.check(at(v4(addr))), Ok(()), "{addr}");
    }
}

#[test]
fn classifies_ipv6() {
    use RefusalKind::*;
    let strict = EgressPolicy::default();
    let cases = [
        ("::", Unspecified),
        ("::1", Loopback),
        ("::ffff:127.0.0.1", Ipv4Embedded),
        ("::ffff:8.8.8.8", Ipv4Embedded),
        ("::127.0.0.1", Ipv4Embedded),
        ("::2", Ipv4Embedded),
        ("::8.8.8.8", Ipv4Embedded),
        ("64:ff9b::a00:1", Ipv4Embedded),
        ("64:ff9b::808:808", Ipv4Embedded),
        ("64:ff9b:1::1", Ipv4Embedded),
        ("2002:a00:1::", Ipv4Embedded),
        ("2002:808:808::1", Ipv4Embedded),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", Ipv4Embedded),
        ("fe80::1", LinkLocal),
        ("febf:ffff::1", LinkLocal),
        ("fc00::1", UniqueLocal),
        ("fd00::1", UniqueLocal),
        ("fdff:ffff::1", UniqueLocal),
        ("ff02::1", Multicast),
        ("ff0e::1", Multicast),
        ("2001:db8::1", Documentation),
        ("2001:db8:ffff::1", Documentation),
        ("3fff::1", Documentation),
        ("100::1", NotGlobal),
        ("100::ffff:ffff:ffff:ffff", NotGlobal),
        ("2001:1::1", Reserved),
        ("2001:2::1", Reserved),
        ("2001:10::1", Reserved),
        ("2001:1ff:ffff::1", Reserved),
        ("fec0::1", NotGlobal),
        ("::ffff:0:0:1", NotGlobal),
        ("100:0:0:1::1", NotGlobal),
        ("1fff:ffff::1", NotGlobal),
        ("4000::1", NotGlobal),
        ("5f00::1", NotGlobal),
        ("fe00::1", NotGlobal),
    ];
    for (addr, kind) in cases {
        assert_eq!(
            strict.check(at(ip(addr))),
            Err(Refusal {
                address: ip(addr),
                kind
            }),
            "{addr}"
        );
    }
    for addr in [
        "2606:4700:4700::1111",
        "2001:4860:4860::8888",
        "2001:200::1",
        "2003::1",
        "2001:db7:ffff::1",
        "2001:db9::1",
        "2400:cb00::1",
        "3ffe::1",
        "3ffe:ffff::1",
    ] {
        assert_eq!(strict.check(at(ip(addr))), Ok(()), "{addr}");
    }
}

#[test]
fn allowed_networks_override_refusals() {
    let policy = EgressPolicy::new(
        EgressPolicy::parse_allowlist("127.0.0.1 10.0.0.0/8 fd00::/8 169.254.169.254").unwrap(),
    );
    for addr in [
        "127.0.0.1",
        "10.0.0.1",
        "10.255.255.255",
        "fd00::1",
        "fdff::1",
        "169.254.169.254",
    ] {
        assert_eq!(policy.check(at(ip(addr))), Ok(()), "{addr}");
    }
    for (addr, kind) in [
        ("127.0.0.2", RefusalKind::Loopback),
        ("::1", RefusalKind::Loopback),
        ("::ffff:127.0.0.1", RefusalKind::Ipv4Embedded),
        ("::ffff:10.0.0.1", RefusalKind::Ipv4Embedded),
        ("::127.0.0.1", RefusalKind::Ipv4Embedded),
        ("fc00::1", RefusalKind::UniqueLocal),
        ("169.254.169.253", RefusalKind::LinkLocal),
        ("172.16.0.1", RefusalKind::Private),
    ] {
        assert_eq!(
            policy.check(at(ip(addr))),
            Err(Refusal {
                address: ip(addr),
                kind
            }),
            "{addr}"
        );
    }
    // The mapped range must be allowed explicitly.
    let mapped = EgressPolicy::new(vec!["::ffff:127.0.0.1".parse().unwrap()]);
    assert_eq!(mapped.check(at(ip("::ffff:127.0.0.1"))), Ok(()));
    assert!(mapped.check(at(ip("127.0.0.1"))).is_err());
    // Host rules never allow an address.
    let host = EgressPolicy::new(vec![AllowRule::host("localhost")]);
    assert!(host.check(at(ip("127.0.0.1"))).is_err());
    // Everything is not a choice an allowlist can make.
    assert!(EgressPolicy::parse_allowlist("0.0.0.0/0").is_err());
    assert!(EgressPolicy::parse_allowlist("127.0.0.1, ::/0").is_err());
}

#[test]
fn port_rules_open_their_port_only() {
    let policy = EgressPolicy::new(
        EgressPolicy::parse_allowlist("127.0.0.1:3000, 10.0.0.0/8:443, [::1]:3000, [fd00::]/8:8443").unwrap(),
    );
    let sock = |s: &str| s.parse::<SocketAddr>().unwrap();
    for allowed in ["127.0.0.1:3000", "10.1.2.3:443", "[::1]:3000", "[fd12::1]:8443"] {
        assert_eq!(policy.check(sock(allowed)), Ok(()), "{allowed}");
    }
    for (refused, kind) in [
        ("127.0.0.1:22", RefusalKind::Loopback),
        ("127.0.0.1:3001", RefusalKind::Loopback),
        ("127.0.0.2:3000", RefusalKind::Loopback),
        ("10.1.2.3:80", RefusalKind::Private),
        ("[::1]:22", RefusalKind::Loopback),
        ("[fd12::1]:443", RefusalKind::UniqueLocal),
        ("[::ffff:127.0.0.1]:3000", RefusalKind::Ipv4Embedded),
    ] {
        let addr = sock(refused);
        assert_eq!(policy.check(addr), Err(Refusal { address: addr.ip(), kind }), "{refused}");
    }
    // Public addresses stay allowed on every port.
    assert_eq!(policy.check(sock("93.184.216.34:22")), Ok(()));
}

#[test]
fn errors_read_as_sentences() {
    let loopback = Refusal {
        address: v4("127.0.0.1"),
        kind: RefusalKind::Loopback,
    };
    assert_eq!(
        EgressError::Refused {
            host: "127.0.0.1".into(),
            refusal: loopback
        }
        .to_string(),
        "conduit does not connect to 127.0.0.1, a loopback address, because it is not on \
         the public internet. An administrator can allow it in the egress allowlist."
    );
    assert_eq!(
        EgressError::Refused {
            host: "metadata.google.internal".into(),
            refusal: Refusal {
                address: v4("169.254.169.254"),
                kind: RefusalKind::LinkLocal
            }
        }
        .to_string(),
        "conduit does not connect to metadata.google.internal, because it resolves to \
         169.254.169.254, a link-local address (such as a cloud metadata service), which is \
         not on the public internet. An administrator can allow it in the egress allowlist."
    );
    assert_eq!(
        EgressError::Dns {
            host: "api.example.com".into()
        }
        .to_string(),
        "The host api.example.com could not be found."
    );
    assert_eq!(
        EgressError::NotHttp.to_string(),
        "Only http and https addresses can be tested."
    );
}
