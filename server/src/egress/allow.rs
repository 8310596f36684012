//! The egress allowlist's entries: what an administrator may open beyond the
//! public internet, parsed from `--egress-allow` and matched against the
//! socket addresses a connection test would reach.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

/// One entry of the egress allowlist: a host name or a network, on one port
/// or (without a port) on every port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowRule {
    pub target: AllowTarget,
    /// The one port the rule opens; `None` opens every port.
    pub port: Option<u16>,
}

/// What an [`AllowRule`] names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllowTarget {
    /// A host name, lowercase, without a trailing dot. The addresses it
    /// resolves to are used without being checked.
    Host(String),
    /// A network; addresses inside it are allowed whatever their kind. The
    /// address has its bits past `prefix` cleared.
    Net { addr: IpAddr, prefix: u8 },
}

impl AllowRule {
    /// A network on every port (bits past `prefix` are cleared).
    pub fn net(addr: IpAddr, prefix: u8) -> AllowRule {
        let prefix = prefix.min(if addr.is_ipv4() { 32 } else { 128 });
        AllowRule {
            target: AllowTarget::Net {
                addr: mask(addr, prefix),
                prefix,
            },
            port: None,
        }
    }

    /// A host name on every port, as written (use [`str::parse`] to check
    /// and normalise one an administrator typed).
    pub fn host(name: &str) -> AllowRule {
        AllowRule {
            target: AllowTarget::Host(name.to_owned()),
            port: None,
        }
    }

    /// Exactly one address and port.
    pub fn address(addr: SocketAddr) -> AllowRule {
        AllowRule::net(addr.ip(), if addr.is_ipv4() { 32 } else { 128 }).on_port(addr.port())
    }

    /// The same target on `port` only.
    pub fn on_port(self, port: u16) -> AllowRule {
        AllowRule {
            port: Some(port),
            ..self
        }
    }

    fn opens_port(&self, port: u16) -> bool {
        self.port.is_none_or(|p| p == port)
    }

    /// Whether `addr` lies inside this rule's network, on its port. An IPv4
    /// network never contains an IPv6 address (not even an IPv4-mapped one)
    /// and the other way round.
    pub(super) fn contains(&self, addr: SocketAddr) -> bool {
        match self.target {
            AllowTarget::Host(_) => false,
            AllowTarget::Net { addr: net, prefix } => {
                net_contains(net, prefix, addr.ip()) && self.opens_port(addr.port())
            }
        }
    }

    /// Whether this rule names `host` (lowercase and without a trailing dot)
    /// on `port`.
    pub(super) fn names(&self, host: &str, port: u16) -> bool {
        match &self.target {
            AllowTarget::Host(name) => name == host && self.opens_port(port),
            AllowTarget::Net { .. } => false,
        }
    }
}

impl fmt::Display for AllowRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.target, self.port) {
            (AllowTarget::Host(name), None) => f.write_str(name),
            (AllowTarget::Host(name), Some(port)) => write!(f, "{name}:{port}"),
            (AllowTarget::Net { addr, prefix }, None) => write!(f, "{addr}/{prefix}"),
            (AllowTarget::Net { addr: IpAddr::V4(addr), prefix }, Some(port)) => {
                write!(f, "{addr}/{prefix}:{port}")
            }
            (AllowTarget::Net { addr: IpAddr::V6(addr), prefix }, Some(port)) => {
                write!(f, "[{addr}]/{prefix}:{port}")
            }
        }
    }
}

impl FromStr for AllowRule {
    type Err = String;

    /// Parses `sandbox.example` (a host), `127.0.0.1` (one address),
    /// `127.0.0.0/8`, `::1` or `fd00::/8` (networks), each on every port, or
    /// with a port: `erp.internal:8443`, `127.0.0.1:3000`, `10.0.0.0/8:443`,
    /// `[::1]:3000`, `[fd00::]/8:443` (IPv6 in brackets when a port follows).
    /// Entries that open every address (`0.0.0.0/0`, `::/0`) are refused.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let entry = s.trim();
        if entry.is_empty() {
            return Err("An egress allowlist entry is empty.".to_owned());
        }
        let (target, port) = split_port(entry)?;
        let port = port.map(|p| parse_port(entry, p)).transpose()?;
        let target = parse_target(entry, target)?;
        if let AllowTarget::Net { prefix: 0, .. } = target {
            return Err(format!(
                "The egress allowlist entry \"{entry}\" would let connection tests reach every \
                 address, including this server's own ports, its private network and cloud \
                 metadata services. List the hosts and networks they need instead."
            ));
        }
        Ok(AllowRule { target, port })
    }
}

/// Splits `entry` into what it names and the text of its port, if any.
fn split_port(entry: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(rest) = entry.strip_prefix('[') {
        let bad = || {
            format!(
                "The egress allowlist entry \"{entry}\" is not valid: write an IPv6 address in \
                 brackets, then perhaps a prefix length and a port, such as [fd00::]/8:443."
            )
        };
        let close = rest.find(']').ok_or_else(bad)?;
        let after = &rest[close + 1..];
        let (prefix, port) = match after.split_once(':') {
            Some((prefix, port)) => (prefix, Some(port)),
            None => (after, None),
        };
        if !(prefix.is_empty() || prefix.starts_with('/')) {
            return Err(bad());
        }
        // The brackets stay for parse_target, which takes them off.
        return Ok((&entry[..close + 2 + prefix.len()], port));
    }
    match entry.matches(':').count() {
        0 => Ok((entry, None)),
        1 => {
            let (target, port) = entry.split_once(':').unwrap_or((entry, ""));
            Ok((target, Some(port)))
        }
        // Bare IPv6: `::1`, `fd00::/8`. A port needs brackets.
        _ if entry.contains('/') && entry.rsplit('/').next().is_some_and(|p| p.contains(':')) => Err(format!(
            "The egress allowlist entry \"{entry}\" is not valid: write an IPv6 network with a \
             port in brackets, such as [fd00::]/8:443."
        )),
        _ => Ok((entry, None)),
    }
}

fn parse_port(entry: &str, text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|p| *p > 0 && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            format!(
                "The egress allowlist entry \"{entry}\" has a bad port: write a number from 1 to \
                 65535 after the colon, such as erp.internal:8443."
            )
        })
}

fn parse_target(entry: &str, target: &str) -> Result<AllowTarget, String> {
    if let Some((addr, prefix)) = target.split_once('/') {
        let addr = parse_ip(addr).ok_or_else(|| {
            format!(
                "The egress allowlist entry \"{entry}\" is not a network: \
                 \"{addr}\" is not an IP address."
            )
        })?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix
            .parse::<u8>()
            .ok()
            .filter(|p| *p <= max && prefix.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                format!(
                    "The egress allowlist entry \"{entry}\" has a bad prefix length: \
                     it must be a number from 0 to {max}."
                )
            })?;
        return Ok(AllowTarget::Net {
            addr: mask(addr, prefix),
            prefix,
        });
    }

    if let Some(addr) = parse_ip(target) {
        let prefix = if addr.is_ipv4() { 32 } else { 128 };
        return Ok(AllowTarget::Net { addr, prefix });
    }

    parse_host_rule(entry, target).map(AllowTarget::Host)
}

/// Parses an IP address as written in an allowlist: dotted-quad IPv4, or IPv6
/// with or without brackets.
fn parse_ip(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    let s = s
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(s);
    s.parse().ok()
}

/// Checks and normalises a host name: lowercase (and punycode for
/// international names, the way URLs carry them), no trailing dot.
fn parse_host_rule(entry: &str, name: &str) -> Result<String, String> {
    let bad = |why: &str| format!("The egress allowlist entry \"{entry}\" is not valid: {why}.");
    if let Some(c) = name.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                ':' | '/' | '\\' | '@' | '?' | '#' | '%' | '*' | '[' | ']' | '<' | '>' | '"' | ','
            )
    }) {
        let why = match c {
            ':' => "a host name has no scheme (write the name, perhaps with a port, such as erp.internal:8443)"
                .to_owned(),
            '/' | '\\' | '?' | '#' => {
                "a host name has no path (write just the name, such as sandbox.example)".to_owned()
            }
            '*' => "wildcards are not supported; list each host name".to_owned(),
            c if c.is_whitespace() => "a host name has no spaces".to_owned(),
            c => format!("a host name cannot contain {c:?}"),
        };
        return Err(bad(&why));
    }

    let host = match url::Host::parse(name) {
        Ok(url::Host::Domain(name)) => name,
        Ok(url::Host::Ipv4(_)) | Ok(url::Host::Ipv6(_)) => {
            return Err(bad(
                "it reads as an IPv4 address in a shortened or non-decimal form; \
                 write it as four decimal numbers, such as 127.0.0.1",
            ))
        }
        Err(_) => return Err(bad("it is not a host name")),
    };
    let host = host.strip_suffix('.').unwrap_or(&host).to_owned();
    if host.is_empty() || host.len() > 253 {
        return Err(bad("it is not a host name"));
    }
    if host
        .split('.')
        .any(|label| label.is_empty() || label.len() > 63)
    {
        return Err(bad(
            "a host name has no empty labels and none longer than 63 characters",
        ));
    }
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(bad("it is not a host name"));
    }
    Ok(host)
}

fn net_contains(net: IpAddr, prefix: u8, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let m = v4_mask(prefix);
            u32::from(net) & m == u32::from(ip) & m
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let m = v6_mask(prefix);
            u128::from(net) & m == u128::from(ip) & m
        }
        _ => false,
    }
}

pub(super) fn v4_mask(prefix: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0)
}

pub(super) fn v6_mask(prefix: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(prefix.min(128)))
        .unwrap_or(0)
}

fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & v4_mask(prefix))),
        IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a) & v6_mask(prefix))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn net(s: &str, prefix: u8) -> AllowRule {
        AllowRule::net(ip(s), prefix)
    }

    fn at(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_hosts() {
        assert_eq!("sandbox.example".parse(), Ok(AllowRule::host("sandbox.example")));
        assert_eq!("  Sandbox.EXAMPLE. ".parse(), Ok(AllowRule::host("sandbox.example")));
        assert_eq!("localhost".parse(), Ok(AllowRule::host("localhost")));
        assert_eq!("my_host-1.internal".parse(), Ok(AllowRule::host("my_host-1.internal")));
        // International names are kept the way URLs carry them.
        assert_eq!("bücher.example".parse(), Ok(AllowRule::host("xn--bcher-kva.example")));
    }

    #[test]
    fn parses_networks() {
        assert_eq!("127.0.0.1".parse(), Ok(net("127.0.0.1", 32)));
        assert_eq!("127.0.0.0/8".parse(), Ok(net("127.0.0.0", 8)));
        assert_eq!("::1".parse(), Ok(net("::1", 128)));
        assert_eq!("[::1]".parse(), Ok(net("::1", 128)));
        assert_eq!("fd00::/8".parse(), Ok(net("fd00::", 8)));
        assert_eq!("::ffff:127.0.0.1".parse(), Ok(net("::ffff:127.0.0.1", 128)));
        // Host bits are cleared.
        assert_eq!("10.1.2.3/16".parse(), Ok(net("10.1.0.0", 16)));
        assert_eq!("fd12:3456::1/32".parse(), Ok(net("fd12:3456::", 32)));
        assert_eq!("192.168.1.1/32".parse(), Ok(net("192.168.1.1", 32)));
        assert_eq!("fe80::1/128".parse(), Ok(net("fe80::1", 128)));
    }

    #[test]
    fn parses_ports() {
        assert_eq!("127.0.0.1:3000".parse(), Ok(net("127.0.0.1", 32).on_port(3000)));
        assert_eq!("10.0.0.0/8:443".parse(), Ok(net("10.0.0.0", 8).on_port(443)));
        assert_eq!("10.1.2.3/16:443".parse(), Ok(net("10.1.0.0", 16).on_port(443)));
        assert_eq!("ERP.internal.:8443".parse(), Ok(AllowRule::host("erp.internal").on_port(8443)));
        assert_eq!("[::1]:3000".parse(), Ok(net("::1", 128).on_port(3000)));
        assert_eq!("[fd00::]/8:443".parse(), Ok(net("fd00::", 8).on_port(443)));
        assert_eq!("[fd00::1]/8".parse(), Ok(net("fd00::", 8)));
        assert_eq!("localhost:65535".parse(), Ok(AllowRule::host("localhost").on_port(65535)));
        assert_eq!(AllowRule::address(at("127.0.0.1:3000")), net("127.0.0.1", 32).on_port(3000));
        assert_eq!(AllowRule::address(at("[::1]:3000")), net("::1", 128).on_port(3000));
    }

    #[test]
    fn rejects_bad_entries_with_a_sentence() {
        for bad in [
            "",
            "   ",
            "127.0.0.0/33",
            "::/129",
            "127.0.0.0/",
            "127.0.0.0/-1",
            "127.0.0.0/+8",
            "127.0.0.0/eight",
            "127.0.0.0/8/8",
            "300.0.0.1/8",
            "example.com/8",
            "sandbox.example/path",
            "http://sandbox.example",
            "sand box.example",
            "*.example.com",
            "user@sandbox.example",
            "a..b",
            ".",
            "..",
            "127.1",
            "2130706433",
            "0x7f.0.0.1",
            "127.0.0.1.",
            "[::1",
            "fe80::1%eth0",
            &format!("{}.example", "a".repeat(64)),
            // Ports.
            "127.0.0.1:",
            "127.0.0.1:0",
            "127.0.0.1:65536",
            "127.0.0.1:+80",
            "127.0.0.1:http",
            "erp.internal:80:81",
            ":3000",
            "[::1]3000",
            "[::1]:",
            "[::1]/8/8:1",
            "fd00::/8:443",
            "[sandbox.example]:80",
        ] {
            let err = bad
                .parse::<AllowRule>()
                .expect_err(&format!("{bad:?} should be rejected"));
            assert!(err.ends_with('.'), "{bad:?}: {err}");
            assert!(err.len() > 20, "{bad:?}: {err}");
        }
        let err = "127.0.0.0/33".parse::<AllowRule>().unwrap_err();
        assert!(err.contains("0 to 32"), "{err}");
        let err = "::/129".parse::<AllowRule>().unwrap_err();
        assert!(err.contains("0 to 128"), "{err}");
        let err = "127.0.0.1:99999".parse::<AllowRule>().unwrap_err();
        assert!(err.contains("1 to 65535"), "{err}");
        let err = "fd00::/8:443".parse::<AllowRule>().unwrap_err();
        assert!(err.contains("[fd00::]/8:443"), "{err}");
    }

    #[test]
    fn refuses_rules_that_open_every_address() {
        for everything in ["0.0.0.0/0", "::/0", "10.0.0.0/0", "0.0.0.0/0:443", "[::]/0:443", "[2001:db8::]/0"] {
            let err = everything
                .parse::<AllowRule>()
                .expect_err(&format!("{everything:?} should be refused"));
            assert!(err.contains("would let connection tests reach every address"), "{err}");
            assert!(err.ends_with("List the hosts and networks they need instead."), "{err}");
        }
        // Wide but not everything is the administrator's choice.
        assert_eq!("0.0.0.0/1".parse(), Ok(net("0.0.0.0", 1)));
    }

    #[test]
    fn displays_rules_so_they_parse_back() {
        for text in [
            "sandbox.example",
            "sandbox.example:8443",
            "127.0.0.1/32",
            "127.0.0.1/32:3000",
            "10.0.0.0/8",
            "10.0.0.0/8:443",
            "fd00::/8",
            "[fd00::]/8:443",
            "::1/128",
            "[::1]/128:3000",
        ] {
            let rule: AllowRule = text.parse().unwrap();
            assert_eq!(rule.to_string(), text);
            assert_eq!(rule.to_string().parse::<AllowRule>(), Ok(rule));
        }
    }

    #[test]
    fn networks_match_addresses_and_ports() {
        let any_port = net("127.0.0.1", 32);
        assert!(any_port.contains(at("127.0.0.1:22")));
        assert!(any_port.contains(at("127.0.0.1:3000")));
        assert!(!any_port.contains(at("127.0.0.2:3000")));

        let one_port = net("127.0.0.1", 32).on_port(3000);
        assert!(one_port.contains(at("127.0.0.1:3000")));
        assert!(!one_port.contains(at("127.0.0.1:3001")));
        assert!(!one_port.contains(at("127.0.0.1:22")));
        assert!(!one_port.contains(at("127.0.0.2:3000")));

        let v6: AllowRule = "[fd00::]/8:443".parse().unwrap();
        assert!(v6.contains(at("[fd12::1]:443")));
        assert!(!v6.contains(at("[fd12::1]:80")));
        assert!(!v6.contains(at("[fe80::1]:443")));
        // Never across families, not even IPv4-mapped.
        let v4: AllowRule = "127.0.0.1:3000".parse().unwrap();
        assert!(!v4.contains(at("[::ffff:127.0.0.1]:3000")));
        // Host rules never contain an address.
        assert!(!AllowRule::host("localhost").contains(at("127.0.0.1:80")));
    }

    #[test]
    fn host_rules_match_whole_names_and_their_port() {
        let rule = AllowRule::host("sandbox.test");
        assert!(rule.names("sandbox.test", 80));
        assert!(rule.names("sandbox.test", 8443));
        assert!(!rule.names("api.sandbox.test", 80));
        assert!(!rule.names("sandbox.test.evil", 80));
        assert!(!rule.names("xsandbox.test", 80));

        let rule = AllowRule::host("erp.internal").on_port(8443);
        assert!(rule.names("erp.internal", 8443));
        assert!(!rule.names("erp.internal", 443));
        assert!(!rule.names("erp.internal", 22));
        // Network rules never name a host.
        assert!(!net("127.0.0.1", 32).names("localhost", 80));
    }
}
