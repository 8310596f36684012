use conduit_types::Permission;
use std::time::Duration;

use leptos::{html, prelude::*};

use crate::components::conflict_alert::ConflictAlert;
use crate::components::discard_button::DiscardButton;
use crate::components::form_field::{focus_field_soon, Form};
use crate::components::guarded_button::GuardedButton;
use crate::components::test_steps::test_result;
use crate::editor::{section_of, tab_of, Activity, Authorising, Block, TestReport, NO_TEST_NOTE};
use crate::instance_actions::InstanceActions;

/// The element id of the sentence saying why save is not available.
pub const SAVE_REASON_ID: &str = "save-reason";

/// The bar under every tab: progress and results in a live region, the
/// reason save is not available, the fields to fix, a conflict, and the
/// buttons `test instance connection` and `save instance settings`.
#[component]
pub fn ActionBar(
    form: Form,
    /// Testing, authorising (`authorise` or `reconnect`, for methods checked
    /// at the provider), their cancelling, reloading and switching tabs.
    actions: InstanceActions,
    /// A click on `save instance settings` while save is available. Otherwise
    /// the button is `aria-disabled` (not `disabled`), so it keeps focus and
    /// its description, the reason beside it, can be reached and read.
    on_save: Callback<()>,
    save_button: NodeRef<html::Button>,
) -> impl IntoView {
    let editor = form.editor;
    // Plain closures rather than memos: cheap to work out again, and each
    // memo type adds to the bundle.
    let gate = move || editor.with(|e| e.gate());
    let activity = move || editor.with(|e| e.activity().clone());
    let can_test = Memo::new(move |_| editor.with(|e| e.can_test()));
    let test_button = NodeRef::<html::Button>::new();

    // Whole seconds since the running test started, ticking while it runs.
    let now_ms = RwSignal::new(0u64);
    let ticker = StoredValue::new(None::<IntervalHandle>);
    let stop_ticker = move || {
        if let Some(handle) = ticker.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    };
    Effect::new(move |_| {
        stop_ticker();
        if let Activity::Testing { .. } = activity() {
            now_ms.set(js_sys::Date::now() as u64);
            let tick = move || now_ms.set(js_sys::Date::now() as u64);
            ticker.set_value(set_interval_with_handle(tick, Duration::from_secs(1)).ok());
        }
    });
    on_cleanup(stop_ticker);
    // A finished test's steps fold under its one-line outcome, so the bar
    // stays compact; every new test starts folded.
    let details_open = RwSignal::new(false);
    Effect::new(move |_| {
        if let Activity::Testing { .. } = activity() {
            details_open.set(false);
        }
    });

    let seconds = move || match activity() {
        Activity::Testing { started_ms, .. } => now_ms.get().saturating_sub(started_ms) / 1000,
        _ => 0,
    };
    // What the live region says: progress, the saved notice, or the last
    // test's end. One line view for all but a finished test's panel.
    let status = move || {
        let (class, text) = match activity() {
            Activity::Testing { .. } => ("progress", "testing the connection…".to_string()),
            Activity::Saving => ("progress", "saving…".to_string()),
            Activity::Authorising { .. } => (
                "progress",
                "waiting for you to authorise in the provider's window…".to_string(),
            ),
            Activity::Idle if editor.with(|e| e.saved_notice()) => (
                "outcome outcome--good",
                "instance settings saved".to_string(),
            ),
            Activity::Idle if !can_test.get() => match editor.with(|e| e.authorising().cloned()) {
                Some(Authorising::Authorised { .. }) => (
                    "outcome outcome--good",
                    "authorised with the provider: save instance settings to keep it".to_string(),
                ),
                Some(Authorising::Failed(sentence)) => ("outcome outcome--bad", sentence),
                _ => return ().into_any(),
            },
            Activity::Idle => match editor.with(|e| e.last_test().cloned()) {
                Some(TestReport::Finished(result)) => return test_result(result, actions.on_select(), details_open),
                Some(TestReport::Cancelled) => ("outcome", "connection test cancelled".to_string()),
                Some(TestReport::NotRun(sentence)) => ("outcome outcome--bad", sentence),
                None => return ().into_any(),
            },
        };
        let busy = class == "progress";
        let testing = editor.with_untracked(|e| matches!(e.activity(), Activity::Testing { .. }));
        view! {
            <p class=class>
                {busy.then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                {text}
                {testing.then(|| view! { " " <span role="timer" aria-live="off">{seconds} " s"</span> })}
            </p>
        }
        .into_any()
    };
    let cancellable = move || matches!(activity(), Activity::Testing { .. } | Activity::Authorising { .. });
    let cancel = move |_| {
        if matches!(activity(), Activity::Authorising { .. }) {
            actions.ask(|r| r.cancel_authorise());
        } else {
            actions.ask(|r| r.cancel_test());
        }
        if let Some(button) = test_button.get_untracked() {
            _ = button.focus();
        }
    };

    let reason = move || match gate() {
        Err(Block::NeedsTest) => editor
            .with(|e| e.test_required().map(str::to_string))
            .unwrap_or_else(|| Block::NeedsTest.sentence().to_string()),
        Err(block) => block.sentence().to_string(),
        Ok(()) => String::new(),
    };

    let problems = Memo::new(move |_| editor.with(|e| e.problems()));
    let problems = move || {
        let errors = problems.get();
        (!errors.is_empty()).then(|| {
            let items = errors
                .into_iter()
                .map(|error| {
                    let tab = tab_of(section_of(&error.field));
                    let go = move |_| {
                        actions.select(tab);
                        focus_field_soon(&error.field);
                    };
                    view! {
                        <li>
                            <button type="button" class="link-button" on:click=go>
                                {tab.label()} ": " {error.message.clone()}
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="problems">
                    <p class="problems__title">"fields to fix"</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    let failure = move || {
        editor
            .with(|e| e.problem().or(e.test_required()).map(str::to_string))
            .map(|sentence| view! { <p class="alert__message">{sentence}</p> })
    };

    // The browser blocked the provider's window: a link opens it instead.
    let consent_link = move || {
        editor.with(|e| e.consent_link().map(str::to_owned)).map(|url| {
            view! {
                <p class="action-bar__note">
                    "Your browser blocked the provider's window. "
                    <a href=url target="_blank" rel="noopener">"open the provider's page"</a>
                </p>
            }
        })
    };

    let busy = Signal::derive(move || activity() != Activity::Idle);
    let test_control = move || {
        let allowed = editor.with(|e| e.may(if can_test.get() { Permission::Test } else { Permission::Authorise }));
        if !allowed {
            view! { <p class="action-bar__note">"This portal does not let you check the connection here."</p> }.into_any()
        } else if can_test.get() {
            view! {
                <GuardedButton button=test_button unavailable=busy on_click=Callback::new(move |()| actions.ask(|r| r.test()))>
                    "test instance connection"
                </GuardedButton>
            }
            .into_any()
        } else {
            let label = move || editor.with(|e| e.authorise_label());
            view! {
                <p class="action-bar__note" id="authorise-note">{NO_TEST_NOTE}</p>
                <GuardedButton
                    button=test_button
                    unavailable=busy
                    on_click=Callback::new(move |()| actions.ask(|r| r.authorise()))
                    described_by="authorise-note"
                >
                    {label}
                </GuardedButton>
            }
            .into_any()
        }
    };

    // The page keeps a focused field clear of the sticky bar: the bar's
    // height is the scroller's `scroll-padding-bottom` (see main.css), so
    // focusing scrolls the field above it. Measured after each change.
    let bar = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        editor.track();
        request_animation_frame(move || {
            if let Some(bar) = bar.get_untracked() {
                // Not sticky (a narrow card): it covers nothing.
                let sticky = window()
                    .get_computed_style(&bar)
                    .ok()
                    .flatten()
                    .and_then(|style| style.get_property_value("position").ok())
                    .is_some_and(|position| position == "sticky");
                set_bar_height(&if sticky { format!("{}px", bar.offset_height()) } else { String::new() });
            }
        });
    });
    on_cleanup(|| set_bar_height(""));

    view! {
        <div class="action-bar" node_ref=bar>
            <div class="alert" role="alert"><ConflictAlert actions /> {failure}</div>
            <div class="action-bar__status">
                <div class="action-bar__live" role="status">{status}</div>
                {consent_link}
                <button type="button" class="button button--secondary button--small" hidden=move || !cancellable() on:click=cancel>
                    {move || if matches!(activity(), Activity::Authorising { .. }) { "cancel authorising" } else { "cancel test" }}
                </button>
            </div>
            <div class="action-bar__row">
                <div class="action-bar__why">
                    <p id=SAVE_REASON_ID class="action-bar__reason">{reason}</p>
                    {problems}
                </div>
                <div class="action-bar__buttons">
                    {test_control}
                    <DiscardButton actions />
                    <GuardedButton
                        button=save_button
                        unavailable=Signal::derive(move || gate().is_err())
                        on_click=on_save
                        primary=true
                        described_by=SAVE_REASON_ID
                    >
                        "save instance settings"
                    </GuardedButton>
                </div>
            </div>
        </div>
    }
}

/// Sets (or with `""` removes) `--action-bar-height` on the page's root.
fn set_bar_height(value: &str) {
    use wasm_bindgen::JsCast;
    let root = document().document_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        _ = root.style().set_property("--action-bar-height", value);
    }
}
