use conduit_types::{FieldDef, InstanceDetails};
use leptos::prelude::*;

use crate::components::read_only_field::{NotSet, ReadOnlyField, SecretState};
use crate::text;

/// The `instance details` tab: the instance's general settings and the
/// connector's own variables, read-only.
#[component]
pub fn DetailsPanel(details: InstanceDetails, variables: Vec<FieldDef>) -> impl IntoView {
    let InstanceDetails {
        name,
        time_zone,
        date_format,
        rate_limit,
        connection_pool,
        variables: values,
    } = details;

    let variable_fields = variables
        .into_iter()
        .map(|def| {
            let value = values.get(&def.key).filter(|v| !v.is_empty()).cloned();
            let shown = if def.secret {
                view! { <SecretState is_set=value.is_some() /> }.into_any()
            } else {
                match value {
                    Some(value) => view! { <span class="value">{value}</span> }.into_any(),
                    None => view! { <NotSet /> }.into_any(),
                }
            };
            view! { <ReadOnlyField label=def.label help=def.help>{shown}</ReadOnlyField> }
        })
        .collect_view();

    view! {
        <h2 class="visually-hidden">"instance details"</h2>
        <dl class="fields">
            <ReadOnlyField label="name" help=Some("what your users will see when they choose an instance".to_string())>
                <span class="value">{name}</span>
            </ReadOnlyField>
            <ReadOnlyField label="time zone" help=Some("used to convert times in date filters".to_string())>
                <span class="value">{time_zone}</span>
            </ReadOnlyField>
            <ReadOnlyField label="date format">
                <code class="value">{date_format}</code>
            </ReadOnlyField>
            <ReadOnlyField label="rate limit" help=Some("requests over the limit are queued".to_string())>
                <span class="value">{text::rate_limit(rate_limit)}</span>
            </ReadOnlyField>
            <ReadOnlyField label="connection pool">
                <span class="value">{connection_pool.unwrap_or_else(|| "none".to_string())}</span>
            </ReadOnlyField>
            {variable_fields}
        </dl>
    }
}
