//! Why the egress policy refuses a target: the kinds of address that are not
//! on the public internet, and the error a connection test reports, in
//! sentences that name the host and how an administrator can allow it.

use std::fmt;
use std::net::IpAddr;

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

