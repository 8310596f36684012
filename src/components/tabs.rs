use leptos::{html, prelude::*};

use crate::tabs::{TabMark, TabMove};

/// One tab of a [`Tabs`] list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TabSpec {
    /// Unique on the page; the tab's element id is `tab-<key>`.
    pub key: &'static str,
    pub label: &'static str,
}

/// The element id of a tab.
pub fn tab_id(key: &str) -> String {
    format!("tab-{key}")
}

/// A WAI-ARIA tab list with its one panel.
///
/// The selection belongs to the caller (on the instance settings page it is
/// the URL): clicks and the Left/Right/Home/End keys ask for a new selection
/// through `on_select`, and the keys also move focus to the chosen tab. Only
/// the selected tab is in the Tab order (roving `tabindex`). All tabs control
/// the single panel, whose content the caller switches in `children`.
///
/// `marks` puts a dot on a tab with unsaved edits and a warning sign on one
/// with fields to fix; both are also words in the tab's accessible name.
#[component]
pub fn Tabs(
    /// The tab list's accessible name.
    #[prop(into)]
    label: String,
    tabs: Vec<TabSpec>,
    /// The index of the selected tab.
    #[prop(into)]
    selected: Signal<usize>,
    on_select: Callback<usize>,
    /// The panel's element id.
    panel_id: &'static str,
    /// What each tab is marked with, by index.
    #[prop(optional, into)]
    marks: Option<Signal<Vec<TabMark>>>,
    /// The selected tab's content.
    children: Children,
) -> impl IntoView {
    let count = tabs.len();
    let refs: Vec<NodeRef<html::Button>> = (0..count).map(|_| NodeRef::new()).collect();
    let labelled_by = {
        let tabs = tabs.clone();
        move || {
            tabs.get(selected.get())
                .map(|tab| tab_id(tab.key))
                .unwrap_or_default()
        }
    };

    let on_keydown = {
        let refs = refs.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let Some(step) = TabMove::from_key(&ev.key()) else {
                return;
            };
            ev.prevent_default();
            let next = step.apply(selected.get_untracked(), count);
            if let Some(button) = refs.get(next).and_then(|r| r.get_untracked()) {
                _ = button.focus();
            }
            if next != selected.get_untracked() {
                on_select.run(next);
            }
        }
    };

    let buttons = tabs
        .iter()
        .zip(refs)
        .enumerate()
        .map(|(i, (tab, node_ref))| {
            let is_selected = move || selected.get() == i;
            let mark = move || {
                marks
                    .and_then(|marks| marks.with(|m| m.get(i).copied()))
                    .unwrap_or_default()
            };
            view! {
                <button
                    type="button"
                    role="tab"
                    class="tab"
                    id=tab_id(tab.key)
                    node_ref=node_ref
                    aria-selected=move || if is_selected() { "true" } else { "false" }
                    aria-controls=panel_id
                    tabindex=move || if is_selected() { "0" } else { "-1" }
                    on:click=move |_| {
                        if !is_selected() {
                            on_select.run(i);
                        }
                    }
                >
                    {tab.label}
                    <span class="tab__marks" aria-hidden="true">
                        <span class="tab__dot" hidden=move || !mark().unsaved></span>
                        <span class="tab__alert" hidden=move || !mark().errors></span>
                    </span>
                    <span class="visually-hidden">{move || mark().suffix()}</span>
                </button>
            }
        })
        .collect_view();

    view! {
        <div class="tabs">
            <div class="tabs__list" role="tablist" aria-label=label on:keydown=on_keydown>
                {buttons}
            </div>
            <div class="tabs__panel" role="tabpanel" id=panel_id aria-labelledby=labelled_by tabindex="0">
                {children()}
            </div>
        </div>
    }
}
