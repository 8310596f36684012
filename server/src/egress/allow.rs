//! The egress allowlist's entries: what an administrator may open beyond the
//! public internet, parsed from `--egress-allow` and matched against the
//! socket addresses a connection test would reach.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use super::prefix::{v4_mask, v6_mask};

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

fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(u32::from(a) & v4_mask(prefix))),
        IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(u128::from(a) & v6_mask(prefix))),
    }
}

#[cfg(test)]
mod tests;
