//! The application layer for one instance's settings: the rules for reading,
//! testing, authorising and saving a draft, in plain Rust that the routes
//! call. Each child does one job:
//!
//! - `accept`: the draft is for the user's instance, from its current
//!   version (else a conflict naming who saved), and valid;
//! - `secrets`: which stored secrets a draft keeps, merged with its values;
//! - `receipt`: receipts of passing tests, issued and checked by the clock;
//! - `test`, `save`, `read`: testing, saving and reading an instance;
//! - `delete`: deleting an instance no process flow uses;
//! - `create`: adding an instance from a new draft (blank or a duplicate),
//!   once it passed a test or was authorised; `names`: names are unique
//!   within a company's connector;
//! - `authorise`: the OAuth steps before and after the provider's consent.

mod accept;
pub mod authorise;
mod create;
mod delete;
#[cfg(test)]
mod fixture;
mod names;
mod read;
mod receipt;
mod save;
mod saved;
mod secrets;
mod test;

pub use create::{authorise_new, create, duplicate, embed_may_not_create, new_instance_draft, test_new};
pub use delete::{delete_instance, may_delete};
pub use read::{history, settings};
pub use save::save_draft;
pub use saved::saved_input;
pub use secrets::connection_fields;
pub use test::{status_found, test_draft};
