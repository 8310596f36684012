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

mod allow;
mod classify;
mod policy;
mod prefix;
mod refusal;
#[cfg(test)]
mod tests;

pub use allow::{AllowRule, AllowTarget};
pub use policy::{EgressPolicy, Resolve, SystemResolver};
pub use refusal::{EgressError, Refusal, RefusalKind};
