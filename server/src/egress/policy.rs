//! The egress policy itself: a target is looked up once, through a
//! [`Resolve`]r, and its addresses checked against the allowlist and the
//! kinds of address that are refused; the engine connects only to what
//! [`EgressPolicy::resolve`] answers.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use url::Url;

use super::allow::AllowRule;
use super::classify::classify;
use super::refusal::{EgressError, Refusal};

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
