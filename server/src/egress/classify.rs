//! Which kind of address an IP address is, when it is not globally
//! routable: the IPv4 and IPv6 special-purpose ranges, most specific first.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::prefix::{v4_mask, v6_mask};
use super::refusal::RefusalKind;

/// The kind of `ip` if it is not globally routable, `None` if it is.
pub(super) fn classify(ip: IpAddr) -> Option<RefusalKind> {
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

