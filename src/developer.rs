//! The `developer settings` page's state in plain Rust: the `create API key`
//! form, the list of keys, and the draft of the origins allowed to embed.
//! The page and its components only show these and wire them to requests.

pub mod key_form;
pub mod key_list;
pub mod origins;

pub use key_form::KeyForm;
pub use key_list::{KeyList, RevokeFocus};
pub use origins::{OriginRow, OriginsDraft};
