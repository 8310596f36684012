//! Demo mode, apart from the core: the demo data, the sandbox (a labelled
//! stand-in API under `/sandbox`) and the sandbox behind mutual TLS. The core
//! does not use this module; it uses the core's seams ([`crate::app_with`]
//! for the sandbox's routes, the egress allowlist in [`crate::Config`]).
//! `portal` is the sample partner portal the `demo-portal` binary serves (on
//! another site, embedding demo instances); `portal_seed` gives it its API
//! key and origin in the demo company.

pub mod checked;
pub mod data;
pub mod portal;
pub mod portal_seed;
pub mod sandbox;
pub mod sandbox_tls;
mod start;

pub use data::{
    egress_rules, mutual_tls_instance, sandbox_address, seed_if_empty, seed_if_empty_with, COMPANY, EMAIL, MUTUAL_TLS_INSTANCE, PASSWORD,
    SECOND_EMAIL, SECOND_USER_NAME, USER_NAME,
};
pub use checked::sandbox_instances;
pub use start::{app, routes, start};
