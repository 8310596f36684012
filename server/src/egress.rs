//! The egress policy: the one place that decides where the server may connect
//! on a user's behalf.
//!
//! Testing a connection means the server makes a request to an address a user
//! typed, which is the classic server-side request forgery hole: without a
//! policy a user could make the server talk to its own admin ports, the
//! private network it runs in, or a cloud metadata service. So every outbound
//! request made for a user resolves its target through [`EgressPolicy::resolve`]
//! and then connects only to the socket addresses that call returned. The name
//! is looked up exactly once, so a DNS answer that changes between the check
//! and the connection (DNS rebinding) cannot slip a private address past it.
//!
//! Only globally routable addresses are allowed by default. An administrator
//! can allow more with an allowlist of host names (their addresses are then
//! used unchecked) and of networks (addresses inside them are allowed even if
//! they are loopback or private), each on one port or on every port, which is
//! how tests and self-hosted installs reach services on their own network
//! (see [`AllowRule`]).

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use url::Url;

mod allow;

use allow::{v4_mask, v6_mask};
pub use allow::{AllowRule, AllowTarget};

/// Looks names up. The policy asks it once per [`EgressPolicy::resolve`].
pub trait Resolve: Send + Sync + fmt::Debug {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send + 'a>>;
}

/// The operating system's resolver, through `tokio::net::lookup_host`.
#[derive(Debug)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
        port: u16,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send + 'a>> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host, port)).await?.collect()) })
    }
}

/// Why an address was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub address: IpAddr,
    pub kind: RefusalKind,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, {}", self.address, self.kind)
    }
}

/// The kinds of address that are not on the public internet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// `0.0.0.0/8`, `::`.
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`.
    Private,
    /// `100.64.0.0/10`.
    SharedCgnat,
    /// `169.254.0.0/16` (cloud metadata services live here), `fe80::/10`.
    LinkLocal,
    /// `224.0.0.0/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`, `2001:db8::/32`,
    /// `3fff::/20`.
    Documentation,
    /// `198.18.0.0/15`.
    Benchmarking,
    /// `240.0.0.0/4`, `192.0.0.0/24`, `2001::/23`.
    Reserved,
    /// `fc00::/7`.
    UniqueLocal,
    /// An IPv6 address carrying an IPv4 one: mapped `::ffff:0:0/96`,
    /// compatible `::/96`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4
    /// `2002::/16`, Teredo `2001::/32`. Always refused, whatever IPv4 address
    /// they carry, since what they reach depends on translators in between.
    Ipv4Embedded,
    /// Anything else that is not globally routable (outside `2000::/3`, the
    /// discard prefix `100::/64`).
    NotGlobal,
}

impl RefusalKind {
    /// A short description that reads after an address: "127.0.0.1, a
    /// loopback address".
    pub fn description(self) -> &'static str {
        match self {
            RefusalKind::Unspecified => "an unspecified (\"this network\") address",
            RefusalKind::Loopback => "a loopback address",
            RefusalKind::Private => "a private network address",
            RefusalKind::SharedCgnat => "a carrier-grade NAT shared address",
            RefusalKind::LinkLocal => "a link-local address (such as a cloud metadata service)",
            RefusalKind::Multicast => "a multicast address",
            RefusalKind::Broadcast => "the broadcast address",
            RefusalKind::Documentation => "an address reserved for documentation",
            RefusalKind::Benchmarking => "an address reserved for network benchmarking",
            RefusalKind::Reserved => "a reserved address",
            RefusalKind::UniqueLocal => "a unique local (private) IPv6 address",
            RefusalKind::Ipv4Embedded => "an IPv6 address with an IPv4 address embedded in it",
            RefusalKind::NotGlobal => "an address that is not globally routable",
        }
    }
}

impl fmt::Display for RefusalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// Why a URL cannot be connected to.
#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    /// The scheme is not http or https, or the URL has no host.
    #[error("Only http and https addresses can be tested.")]
    NotHttp,
    /// The host is, or resolves to, an address the policy refuses.
    #[error("{}", refused_sentence(.host, .refusal))]
    Refused { host: String, refusal: Refusal },
    /// The lookup failed or found no addresses.
    #[error("The host {host} could not be found.")]
    Dns { host: String },
}

fn refused_sentence(host: &str, refusal: &Refusal) -> String {
    const ALLOW: &str = "An administrator can allow it in the egress allowlist.";
    if host == refusal.address.to_string() {
        format!(
            "conduit does not connect to {}, {}, because it is not on the public internet. {ALLOW}",
            refusal.address, refusal.kind
        )
    } else {
        format!(
            "conduit does not connect to {host}, because it resolves to {}, {}, \
             which is not on the public internet. {ALLOW}",
            refusal.address, refusal.kind
        )
    }
}

/// Decides which addresses the server may connect to on a user's behalf.
#[derive(Clone, Debug)]
pub struct EgressPolicy {
    allow: Vec<AllowRule>,
    resolver: Arc<dyn Resolve>,
}

impl Default for EgressPolicy {
    /// The strict policy: public addresses only.
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl EgressPolicy {
    /// A policy allowing public addresses plus `allow`; an empty list is the
    /// strict policy. Names are looked up with the [`SystemResolver`].
    pub fn new(allow: Vec<AllowRule>) -> Self {
        EgressPolicy {
            allow,
            resolver: Arc::new(SystemResolver),
        }
    }

    /// Parses an allowlist: entries separated by commas and/or whitespace.
    /// An empty (or blank) list gives no rules.
    pub fn parse_allowlist(list: &str) -> Result<Vec<AllowRule>, String> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .map(str::parse)
            .collect()
    }

    /// Looks names up with `resolver` instead of the system's.
    pub fn with_resolver(mut self, resolver: Arc<dyn Resolve>) -> Self {
        self.resolver = resolver;
        self
    }

    /// The rules this policy allows beyond public addresses.
    pub fn allowlist(&self) -> &[AllowRule] {
        &self.allow
    }

    /// Allows `addr` if its address is globally routable, or it lies inside
    /// an allowed network on a port that rule opens.
    pub fn check(&self, addr: SocketAddr) -> Result<(), Refusal> {
        if self.allow.iter().any(|rule| rule.contains(addr)) {
            return Ok(());
        }
        match classify(addr.ip()) {
            None => Ok(()),
            Some(kind) => Err(Refusal { address: addr.ip(), kind }),
        }
    }

    /// The addresses to connect to for `url`: the server must connect only to
    /// these, and must not look the name up again.
    ///
    /// An IP literal is checked without any lookup. A name on the allowlist is
    /// looked up and its addresses returned unchecked. Any other name is
    /// looked up once and refused if any of its addresses is refused.
    pub async fn resolve(&self, url: &Url) -> Result<Vec<SocketAddr>, EgressError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(EgressError::NotHttp);
        }
        let port = url.port_or_known_default().ok_or(EgressError::NotHttp)?;
        let host = url.host().ok_or(EgressError::NotHttp)?;

        let ip = match host {
            url::Host::Ipv4(ip) => IpAddr::V4(ip),
            url::Host::Ipv6(ip) => IpAddr::V6(ip),
            url::Host::Domain(name) => return self.resolve_name(name, port).await,
        };
        match self.check(SocketAddr::new(ip, port)) {
            Ok(()) => Ok(vec![SocketAddr::new(ip, port)]),
            Err(refusal) => {
                tracing::info!(address = %ip, kind = ?refusal.kind, "egress refused");
                Err(EgressError::Refused {
                    host: ip.to_string(),
                    refusal,
                })
            }
        }
    }

    async fn resolve_name(&self, name: &str, port: u16) -> Result<Vec<SocketAddr>, EgressError> {
        // `example.com.` and `example.com` are one host; not every resolver
        // takes the dotted form (hosts files hold `localhost`, not
        // `localhost.`), so it is looked up, matched and reported without it.
        let name = name.strip_suffix('.').unwrap_or(name);
        if name.is_empty() {
            return Err(EgressError::NotHttp);
        }
        let dns_error = || EgressError::Dns {
            host: name.to_owned(),
        };
        let found = match self.resolver.lookup(name, port).await {
            Ok(found) => found,
            Err(error) => {
                tracing::debug!(host = name, %error, "egress lookup failed");
                return Err(dns_error());
            }
        };

        let mut seen = HashSet::new();
        let addrs: Vec<SocketAddr> = found
            .into_iter()
            .map(|mut addr| {
                addr.set_port(port);
                addr
            })
            .filter(|addr| seen.insert(*addr))
            .collect();
        if addrs.is_empty() {
            tracing::debug!(host = name, "egress lookup found no addresses");
            return Err(dns_error());
        }

        if self.allow.iter().any(|rule| rule.names(name, port)) {
            return Ok(addrs);
        }
        for addr in &addrs {
            if let Err(refusal) = self.check(*addr) {
                tracing::info!(
                    host = name,
                    address = %refusal.address,
                    kind = ?refusal.kind,
                    "egress refused"
                );
                return Err(EgressError::Refused {
                    host: name.to_owned(),
                    refusal,
                });
            }
        }
        Ok(addrs)
    }
}

/// The kind of `ip` if it is not globally routable, `None` if it is.
fn classify(ip: IpAddr) -> Option<RefusalKind> {
    match ip {
        IpAddr::V4(ip) => classify_v4(ip),
        IpAddr::V6(ip) => classify_v6(ip),
    }
}

fn in_v4(ip: u32, net: [u8; 4], prefix: u8) -> bool {
    let m = v4_mask(prefix);
    ip & m == u32::from_be_bytes(net) & m
}

fn in_v6(ip: u128, net: u128, prefix: u8) -> bool {
    let m = v6_mask(prefix);
    ip & m == net & m
}

fn classify_v4(ip: Ipv4Addr) -> Option<RefusalKind> {
    use RefusalKind::*;
    let n = u32::from(ip);
    // Most specific first: 255.255.255.255 lies inside 240/4.
    let table: &[([u8; 4], u8, RefusalKind)] = &[
        ([255, 255, 255, 255], 32, Broadcast),
        ([0, 0, 0, 0], 8, Unspecified),
        ([127, 0, 0, 0], 8, Loopback),
        ([10, 0, 0, 0], 8, Private),
        ([172, 16, 0, 0], 12, Private),
        ([192, 168, 0, 0], 16, Private),
        ([100, 64, 0, 0], 10, SharedCgnat),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([224, 0, 0, 0], 4, Multicast),
        ([192, 0, 2, 0], 24, Documentation),
        ([198, 51, 100, 0], 24, Documentation),
        ([203, 0, 113, 0], 24, Documentation),
        ([198, 18, 0, 0], 15, Benchmarking),
        ([240, 0, 0, 0], 4, Reserved),
        ([192, 0, 0, 0], 24, Reserved),
    ];
    table
        .iter()
        .find(|(net, prefix, _)| in_v4(n, *net, *prefix))
        .map(|(_, _, kind)| *kind)
}

fn classify_v6(ip: Ipv6Addr) -> Option<RefusalKind> {
    use RefusalKind::*;
    let n = u128::from(ip);
    // Most specific first: `::` and `::1` lie inside `::/96`, Teredo inside
    // `2001::/23`, and everything except `2000::/3` is caught at the end.
    let table: &[(u128, u8, RefusalKind)] = &[
        (0, 128, Unspecified),
        (1, 128, Loopback),
        (0xffff_0000_0000, 96, Ipv4Embedded),
        (0, 96, Ipv4Embedded),
        (0x0064_ff9b_u128 << 96, 96, Ipv4Embedded),
        (0x0064_ff9b_0001_u128 << 80, 48, Ipv4Embedded),
        (0x2002_u128 << 112, 16, Ipv4Embedded),
        (0x2001_0000_u128 << 96, 32, Ipv4Embedded),
        (0xfe80_u128 << 112, 10, LinkLocal),
        (0xfc00_u128 << 112, 7, UniqueLocal),
        (0xff00_u128 << 112, 8, Multicast),
        (0x2001_0db8_u128 << 96, 32, Documentation),
        (0x3fff_u128 << 112, 20, Documentation),
        (0x0100_u128 << 112, 64, NotGlobal),
        (0x2001_u128 << 112, 23, Reserved),
    ];
    if let Some((_, _, kind)) = table
        .iter()
        .find(|(net, prefix, _)| in_v6(n, *net, *prefix))
    {
        return Some(*kind);
    }
    if !in_v6(n, 0x2000_u128 << 112, 3) {
        return Some(NotGlobal);
    }
    None
}

#[cfg(test)]
mod tests {
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
}
