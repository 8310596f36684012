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
    let settings_name = format!("settings for {}", instance.name);
    let row_id = crate::filter::row_id(instance.id);
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let last_tested = text::last_tried(instance.last_tested_at, instance.last_checked_at, now);
    let certificate = instance
        .certificate_not_after
        .and_then(|not_after| text::expiry_badge(not_after, now))
        .map(|(tone, text)| view! { <Badge tone text /> });
    let kind = instance.auth_kind.label();
    // The connector's own label often already says the kind ("basic").
    let kind = (!text::same_words(&instance.auth_method_label, kind)).then_some(kind);

    view! {
        <li class="instance" id=row_id tabindex="-1">
            <div class="instance__identity">
                <span class="instance__name">{instance.name}</span>
                <span class="instance__auth">
                    {instance.auth_method_label}
                    {kind.map(|kind| view! { " " <span class="instance__kind">{kind}</span> })}
                </span>
            </div>
            <div class="instance__state">
                <StatusBadge status=instance.status />
                {certificate}
                {last_tested.map(|text| view! { <span class="muted">{text}</span> })}
            </div>
            <span class="instance__usage">{text::process_flow_usage(instance.process_flow_count)}</span>
            <a class="icon-button" href=settings_href aria-label=settings_name.clone() title=settings_name>
                <CogIcon />
            </a>
        </li>
    }
}
