//! Live updates: one `EventSource` on `GET /api/events` per signed-in area
//! (`source`), whose messages pages follow: `manage connectors` patches a
//! row (`row`, by the rules of `list`), `instance settings` tells who saved
//! or tested and keeps its header and history current (`settings_page`, by
//! the rules of `settings`). `list` and `settings` are plain Rust with
//! plain tests; embed mode opens no stream (an `EventSource` cannot send
//! its bearer token).

pub mod list;
pub mod row;
pub mod settings;
pub mod settings_page;
pub mod source;

pub use row::follow_row;
pub use settings_page::follow_settings;
pub use source::{on_instance_event, on_refetch, provide_live_updates, LiveUpdates};
