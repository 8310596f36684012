use conduit_types::draft::HistoryEntry;
use conduit_types::Timestamp;
use leptos::prelude::*;

use crate::text;

/// The `history` card beside the settings: who saved or tested the
/// instance and when. The caller fills it (the list, or its loading and
/// error states).
#[component]
pub fn HistoryCard(children: Children) -> impl IntoView {
    view! {
        <section class="card side-card" aria-labelledby="history-heading">
            <h2 id="history-heading" class="side-card__title">"history"</h2>
            {children()}
        </section>
    }
}

/// An instance's history, newest first: saves name the fields that changed
/// (never values), tests their outcome and sentence.
#[component]
pub fn HistoryList(
    entries: Vec<HistoryEntry>,
    /// The time to say "5 minutes ago" from.
    now: Timestamp,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"nothing saved or tested yet"</p> }.into_any();
    }
    let items = entries
        .iter()
        .map(|entry| {
            view! {
                <li class="history__entry">
                    <span>{text::history_line(entry)}</span>
                    " "
                    <span class="muted history__when" title=text::date_time(entry.at)>
                        {text::ago(entry.at, now)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="history">{items}</ol> }.into_any()
}
