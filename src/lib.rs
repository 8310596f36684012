//! conduit: the dashboard for connectors and their instances.
//!
//! A client-side-rendered Leptos app. Logic that needs no browser lives in
//! plain modules (`editor`, `conflict`, `filter`, `paths`, `tabs`, `text`, `upload`) with their own tests;
//! views live in `components` and `pages`, and all HTTP goes through `api`.

pub mod api;
pub mod app;
pub mod components;
pub mod conflict;
pub mod editor;
pub mod filter;
pub mod leave_guard;
pub mod page_focus;
pub mod pages;
pub mod paths;
pub mod session;
pub mod tabs;
pub mod text;
pub mod upload;

pub use app::App;
