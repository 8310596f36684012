//! Reusable views. They take data as props and report through callbacks,
//! the settings view's `InstanceActions` or the `Session`; none sends a
//! request itself (only pages do, and the actions they hand down).

pub mod action_bar;
pub mod api_key_form;
pub mod api_keys;
pub mod authentication_panel;
pub mod breadcrumb;
pub mod callback_address;
pub mod certificates_panel;
pub mod confirm_dialog;
pub mod conflict_alert;
pub mod copy_field;
pub mod delete_instance;
pub mod connector_card;
pub mod connector_directory;
pub mod details_panel;
pub mod embed_origins;
pub mod discard_button;
pub mod form_field;
pub mod frame;
pub mod guarded_button;
pub mod history_card;
pub mod icons;
pub mod instance_editor;
pub mod instance_row;
pub mod live_notice;
pub mod messages;
pub mod process_flows_card;
pub mod read_only_field;
pub mod save_dialog;
pub mod secret_field;
pub mod signed_in_area;
pub mod states;
pub mod status_badge;
pub mod tabs;
pub mod test_steps;
pub mod user_menu;
