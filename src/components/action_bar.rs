use std::time::Duration;

use conduit_types::{TestOutcome, TestResult};
use leptos::{html, prelude::*};

use crate::components::form_field::{focus_field_soon, Form};
use crate::editor::{section_of, tab_of, Activity, Block, TestReport, NO_TEST_NOTE};
use crate::tabs::SettingsTab;
use crate::text;

/// The element id of the sentence saying why save is not available.
pub const SAVE_REASON_ID: &str = "save-reason";
const PROBLEMS_ID: &str = "save-problems";

/// The bar under every tab: progress and results in a live region, the
/// reason save is not available, the fields to fix, a conflict, and the
/// buttons `test instance connection` and `save instance settings`.
#[component]
pub fn ActionBar(
    form: Form,
    on_test: Callback<()>,
    on_cancel_test: Callback<()>,
    /// A click on `save instance settings`, while save is available.
    on_save: Callback<()>,
    on_reload: Callback<()>,
    on_select: Callback<SettingsTab>,
    save_button: NodeRef<html::Button>,
) -> impl IntoView {
    let editor = form.editor;
    let gate = Memo::new(move |_| editor.with(|e| e.gate()));
    let activity = Memo::new(move |_| editor.with(|e| e.activity()));
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
        if let Activity::Testing { .. } = activity.get() {
            now_ms.set(js_sys::Date::now() as u64);
            let tick = move || now_ms.set(js_sys::Date::now() as u64);
            ticker.set_value(set_interval_with_handle(tick, Duration::from_secs(1)).ok());
        }
    });
    on_cleanup(stop_ticker);

    let status = move || {
        let report = editor.with(|e| {
            if e.saved_notice() {
                None
            } else {
                e.last_test().cloned()
            }
        });
        match activity.get() {
            Activity::Testing { started_ms } => {
                let seconds = move || now_ms.get().saturating_sub(started_ms) / 1000;
                view! {
                    <p class="progress">
                        <span class="spinner" aria-hidden="true"></span>
                        "testing the connection… "
                        <span role="timer" aria-live="off">{seconds} " s"</span>
                    </p>
                }
                .into_any()
            }
            Activity::Saving => {
                view! { <p class="progress"><span class="spinner" aria-hidden="true"></span>"saving…"</p> }
                    .into_any()
            }
            Activity::Idle if editor.with(|e| e.saved_notice()) => {
                view! { <p class="outcome outcome--good">"instance settings saved"</p> }.into_any()
            }
            Activity::Idle => match report {
                Some(TestReport::Finished(result)) => test_result(result),
                Some(TestReport::Cancelled) => {
                    view! { <p class="outcome">"connection test cancelled"</p> }.into_any()
                }
                Some(TestReport::NotRun(sentence)) => {
                    view! { <p class="outcome outcome--bad">{sentence}</p> }.into_any()
                }
                None => ().into_any(),
            },
        }
    };
    let testing = move || matches!(activity.get(), Activity::Testing { .. });
    let cancel = move |_| {
        on_cancel_test.run(());
        if let Some(button) = test_button.get_untracked() {
            _ = button.focus();
        }
    };

    let reason = move || match gate.get() {
        Err(Block::NeedsTest) => editor
            .with(|e| e.test_required().map(str::to_string))
            .unwrap_or_else(|| Block::NeedsTest.sentence().to_string()),
        Err(block) => block.sentence().to_string(),
        Ok(()) => String::new(),
    };

    let problems = move || {
        if gate.get() != Err(Block::Invalid) {
            return None;
        }
        let errors = form.errors.get();
        (!errors.is_empty()).then(|| {
            let items = errors
                .into_iter()
                .map(|error| {
                    let tab = tab_of(section_of(&error.field));
                    let go = move |_| {
                        on_select.run(tab);
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
                <div class="problems" id=PROBLEMS_ID tabindex="-1">
                    <p class="problems__title">"fields to fix"</p>
                    <ul>{items}</ul>
                </div>
            }
        })
    };

    let conflict = move || {
        editor.with(|e| e.conflict().map(str::to_string)).map(|sentence| {
            view! {
                <div class="alert__message conflict">
                    <p>{sentence}</p>
                    <button
                        type="button"
                        class="button button--secondary"
                        on:click=move |_| on_reload.run(())
                    >
                        "reload saved settings"
                    </button>
                </div>
            }
        })
    };
    let failure = move || {
        editor
            .with(|e| {
                e.problem()
                    .or(e.test_required())
                    .map(str::to_string)
            })
            .map(|sentence| view! { <p class="alert__message">{sentence}</p> })
    };

    let busy = move || activity.get() != Activity::Idle;
    let on_test_click = move |_| {
        if !busy() {
            on_test.run(());
        }
    };
    let on_save_click = move |_| {
        if busy() {
            return;
        }
        on_save.run(());
        // Save was refused for fields to fix: take the user to the list.
        if gate.get_untracked() == Err(Block::Invalid) {
            request_animation_frame(|| {
                if let Some(list) = document().get_element_by_id(PROBLEMS_ID) {
                    _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(list).focus();
                }
            });
        }
    };
    let test_control = move || {
        if can_test.get() {
            view! {
                <button
                    type="button"
                    class="button button--secondary"
                    node_ref=test_button
                    aria-disabled=move || busy().then_some("true")
                    on:click=on_test_click
                >
                    "test instance connection"
                </button>
            }
            .into_any()
        } else {
            view! { <p class="action-bar__note">{NO_TEST_NOTE}</p> }.into_any()
        }
    };

    view! {
        <div class="action-bar">
            <div class="alert" role="alert">{conflict} {failure}</div>
            <div class="action-bar__status">
                <div class="action-bar__live" role="status">{status}</div>
                <button type="button" class="button button--secondary button--small" hidden=move || !testing() on:click=cancel>
                    "cancel test"
                </button>
            </div>
            <div class="action-bar__row">
                <div class="action-bar__why">
                    <p id=SAVE_REASON_ID class="action-bar__reason">{reason}</p>
                    {problems}
                </div>
                <div class="action-bar__buttons">
                    {test_control}
                    <button
                        type="button"
                        class="button button--primary"
                        node_ref=save_button
                        aria-disabled=move || gate.get().is_err().then_some("true")
                        aria-describedby=SAVE_REASON_ID
                        on:click=on_save_click
                    >
                        "save instance settings"
                    </button>
                </div>
            </div>
        </div>
    }
}

/// A finished test: the outcome as a heading, the server's sentence, and
/// each step with its result, duration and HTTP status.
fn test_result(result: TestResult) -> AnyView {
    let passed = result.outcome == TestOutcome::Ok;
    let steps = result
        .steps
        .into_iter()
        .map(|step| {
            let (mark, state) = if step.ok { ("✓", "ok") } else { ("✗", "failed") };
            let status = step.http_status.map(|s| format!(", HTTP {s}"));
            view! {
                <li class=if step.ok { "test-step" } else { "test-step test-step--failed" }>
                    <span class="test-step__mark" aria-hidden="true">{mark}</span>
                    <span class="test-step__name">{step.kind.label()}</span>
                    " "
                    <span class="test-step__detail">
                        {state} ", " {text::duration(step.duration_ms)} {status}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class=if passed { "test-result test-result--good" } else { "test-result test-result--bad" }>
            <h3 class="test-result__heading">{text::test_heading(result.outcome)}</h3>
            <p>{result.message}</p>
            <ol class="test-steps">{steps}</ol>
        </div>
    }
    .into_any()
}
