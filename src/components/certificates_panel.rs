use conduit_types::{CertificateState, Timestamp};
use leptos::prelude::*;

use crate::components::read_only_field::ReadOnlyField;
use crate::components::status_badge::Badge;
use crate::text::{self, Expiry};

/// The `certificates` tab: the instance's client certificate, if it has one.
#[component]
pub fn CertificatesPanel(
    certificate: CertificateState,
    /// The time to judge expiry by.
    now: Timestamp,
) -> impl IntoView {
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
            }
            .into_any()
        }
    };
    view! {
        <h2 class="visually-hidden">"certificates"</h2>
        {body}
    }
}
