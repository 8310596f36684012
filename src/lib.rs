//! conduit: the dashboard for connectors and their instances.
//!
//! A client-side-rendered Leptos app. Logic that needs no browser lives in
//! plain modules (`editor`, `choices`, `conflict`, `filter`, `flow_runs`, `paths`, `tabs`, `text`, `upload`, `certificate_files`)
//! with their own tests; views live in `components` and `pages`, and all HTTP goes through `api`. Components
//! do not send requests: the settings view asks through `instance_actions` (the page's requests are
//! `settings_requests`), the user menu through `session`, `manage connectors` through `list_requests`.

pub mod api;
pub mod app;
pub mod base_path;
pub mod certificate_files;
pub mod choices;
pub mod components;
pub mod conflict;
pub mod deletion;
pub mod developer;
pub mod developer_actions;
pub mod editor;
pub mod embed;
pub mod filter;
pub mod flow_runs;
pub mod instance_actions;
pub mod leave_guard;
pub mod list_requests;
pub mod new_instance_requests;
pub mod live;
pub mod page_focus;
pub mod paint_mark;
pub mod pages;
pub mod paths;
pub mod session;
pub mod settings_host;
pub mod settings_requests;
pub mod tabs;
pub mod text;
pub mod upload;

pub use app::App;
