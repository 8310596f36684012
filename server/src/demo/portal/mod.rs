//! A sample partner portal (the `demo-portal` binary): another site that
//! embeds conduit's instance settings the way EMBED.md says a host does.
//! `rules` (where conduit is, which instances, the session request),
//! `conduit_client` (its one call to conduit), `page` (HTML, CSS, event log,
//! CSP), `routes` (HTTP), `error` (its JSON errors).

pub mod conduit_client;
pub mod error;
pub mod page;
pub mod routes;
pub mod rules;

pub use conduit_client::ApiKey;
pub use routes::{router, PortalState};
pub use rules::{parse_instances, Conduit, Portal, DEFAULT_INSTANCES, SESSION_PATH, USER_NAME};
