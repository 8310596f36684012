use conduit_types::{AuthFieldValue, AuthMethodDef, InstanceAuthentication};
use leptos::prelude::*;

use crate::components::read_only_field::{NotSet, ReadOnlyField, SecretState};

/// The `authentication` tab: the chosen method and its fields, read-only.
/// Secrets show only whether one is stored.
#[component]
pub fn AuthenticationPanel(
    authentication: InstanceAuthentication,
    methods: Vec<AuthMethodDef>,
) -> impl IntoView {
    let Some(method) = methods.into_iter().find(|m| m.key == authentication.method) else {
        return view! {
            <h2 class="visually-hidden">"authentication"</h2>
            <p class="notice notice--warning">
                "This instance names an authentication method (“" {authentication.method}
                "”) that its connector does not offer."
            </p>
        }
        .into_any();
    };

    let fields = authentication.fields;
    let rows = method
        .fields
        .into_iter()
        .map(|def| {
            let shown = match fields.get(&def.key) {
                Some(AuthFieldValue::Secret { is_set }) => {
                    view! { <SecretState is_set=*is_set /> }.into_any()
                }
                // A field the connector marks secret is never shown, even if
                // a value came back as plain text.
                Some(AuthFieldValue::Plain { value }) if def.secret => {
                    view! { <SecretState is_set=!value.is_empty() /> }.into_any()
                }
                Some(AuthFieldValue::Plain { value }) if !value.is_empty() => {
                    view! { <span class="value">{value.clone()}</span> }.into_any()
                }
                _ => view! { <NotSet /> }.into_any(),
            };
            view! { <ReadOnlyField label=def.label help=def.help>{shown}</ReadOnlyField> }
        })
        .collect_view();

    view! {
        <h2 class="visually-hidden">"authentication"</h2>
        <dl class="fields">
            <ReadOnlyField label="authentication method">
                <span class="value">{method.label}</span>
                " "
                <span class="tag">{method.kind.label()}</span>
            </ReadOnlyField>
            {rows}
        </dl>
    }
    .into_any()
}
