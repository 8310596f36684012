use conduit_types::InstanceSummary;
use leptos::prelude::*;

use crate::components::icons::CogIcon;
use crate::components::status_badge::{Badge, StatusBadge};
use crate::paths;
use crate::tabs::SettingsTab;
use crate::text;

/// One instance under its connector on `manage connectors`: name,
/// authentication method, status, how many process flows use it, and the
/// settings cog. The row can take focus (after `load more` it does).
#[component]
pub fn InstanceRow(instance: InstanceSummary) -> impl IntoView {
    let settings_href = crate::base_path::url(&paths::instance_settings(instance.id, SettingsTab::Details));
    let row_id = crate::filter::row_id(instance.id);
    let now = (js_sys::Date::now() / 1000.0) as i64;
    // Saves, status changes and deletions made elsewhere patch the row.
    let live = crate::live::follow_row(instance.clone());
    let shown = move |f: fn(&InstanceSummary) -> String| move || live.with(|row| row.as_ref().map(f).unwrap_or_default());
    let settings_name = shown(|row| format!("settings for {}", row.name));
    let status = instance.status;
    let status = Signal::derive(move || live.with(|row| row.as_ref().map_or(status, |row| row.status)));
    let last_tested = move || {
        live.with(|row| row.as_ref().and_then(|row| text::last_tried(row.last_tested_at, row.last_checked_at, now)))
    };
    let certificate = instance
        .certificate_not_after
        .and_then(|not_after| text::expiry_badge(not_after, now))
        .map(|(tone, text)| view! { <Badge tone text /> });
    let kind = instance.auth_kind.label();
    // The connector's own label often already says the kind ("basic").
    let kind = (!text::same_words(&instance.auth_method_label, kind)).then_some(kind);

    view! {
        <li class="instance" id=row_id tabindex="-1" hidden=move || live.with(Option::is_none)>
            <div class="instance__identity">
                <span class="instance__name">{shown(|row| row.name.clone())}</span>
                <span class="instance__auth">
                    {instance.auth_method_label}
                    {kind.map(|kind| view! { " " <span class="instance__kind">{kind}</span> })}
                </span>
            </div>
            <div class="instance__state">
                <StatusBadge status />
                {certificate}
                {move || last_tested().map(|text| view! { <span class="muted">{text}</span> })}
            </div>
            <span class="instance__usage">{text::process_flow_usage(instance.process_flow_count)}</span>
            <a class="icon-button" href=settings_href aria-label=settings_name title=settings_name>
                <CogIcon />
            </a>
        </li>
    }
}
