use conduit_types::draft::FIELD_CERTIFICATE;
use conduit_types::{CertificateState, Timestamp};
use leptos::prelude::*;

use crate::components::form_field::{field_error, Form};
use crate::components::read_only_field::ReadOnlyField;
use crate::components::status_badge::Badge;
use crate::editor::field_id;
use crate::text::{self, Expiry};

/// The `certificates` tab: the instance's client certificate, if it has
/// one, which the draft can remove (and keep again) until it is saved.
#[component]
pub fn CertificatesPanel(
    form: Form,
    /// The time to judge expiry by.
    now: Timestamp,
) -> impl IntoView {
    let editor = form.editor;
    let certificate = editor.with_untracked(|e| e.saved().certificate.clone());
    let body = match certificate {
        CertificateState::None => view! {
            <p class="panel__empty">"no certificate"</p>
            <p class="muted">
                "This instance does not present a client certificate when it connects."
            </p>
        }
        .into_any(),
        CertificateState::Stored { subject, not_after } => {
            let warning = Expiry::at(not_after, now).map(|expiry| {
                let tone = match expiry {
                    Expiry::Expired => "bad",
                    Expiry::Soon { .. } => "warning",
                };
                view! { <Badge tone text=expiry.sentence() /> }
            });
            let removing = Memo::new(move |_| editor.with(|e| e.removes_certificate()));
            let toggle = move |_| {
                let remove = !removing.get_untracked();
                editor.update(|e| e.set_certificate_removal(remove));
            };
            view! {
                <dl class="fields">
                    <ReadOnlyField label="subject">
                        <span class="value value--break">{subject}</span>
                    </ReadOnlyField>
                    <ReadOnlyField label="expires">
                        <span class="value">{text::date_time(not_after)}</span>
                        " "
                        {warning}
                    </ReadOnlyField>
                </dl>
                <div class="certificate-actions">
                    <p class="notice notice--warning" hidden=move || !removing.get()>
                        "The certificate is removed when you save instance settings."
                    </p>
                    <button
                        type="button"
                        class="button button--secondary"
                        id=field_id(FIELD_CERTIFICATE)
                        on:click=toggle
                    >
                        {move || if removing.get() { "keep certificate" } else { "remove certificate" }}
                    </button>
                    {field_error(form, FIELD_CERTIFICATE)}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <h2 class="visually-hidden">"certificates"</h2>
        {body}
    }
}
