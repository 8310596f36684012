//! A finished connection test: the outcome as a heading, the server's
//! sentence, each step with a tick or a cross (and the words `ok` or
//! `failed`), and, when the failure points at a field, a button that takes
//! the user to it.

use conduit_types::{TestOutcome, TestResult};
use leptos::prelude::*;

use crate::components::form_field::focus_field_soon;
use crate::editor::{section_of, tab_of};
use crate::tabs::SettingsTab;
use crate::text;

/// The element id of the folded steps.
const TEST_DETAILS_ID: &str = "test-details";

/// The panel of a finished test. `on_select` switches tabs, for the
/// `fix …` button; `open` says whether the steps are shown (folded at first
/// under `show details`, so the bar stays compact).
pub fn test_result(result: TestResult, on_select: Callback<SettingsTab>, open: RwSignal<bool>) -> AnyView {
    let passed = result.outcome == TestOutcome::Ok;
    let steps = result
        .steps
        .iter()
        .map(|step| {
            let class = if step.ok {
                "test-step"
            } else {
                "test-step test-step--failed"
            };
            view! { <li class=class>{text::test_step(step)}</li> }
        })
        .collect_view();
    let fix = result.fix.filter(|_| !passed).map(|fix| {
        let tab = tab_of(section_of(&fix.field));
        let field = fix.field;
        let go = move |_| {
            on_select.run(tab);
            focus_field_soon(&field);
        };
        view! {
            <p class="test-result__fix">
                {fix.message} " "
                <button type="button" class="link-button" on:click=go>
                    {text::fix_field(&fix.label)}
                </button>
            </p>
        }
    });
    view! {
        <div class=if passed { "test-result test-result--good" } else { "test-result test-result--bad" }>
            <h3 class="test-result__heading">{text::test_heading(result.outcome)}</h3>
            <p class="test-result__message">{result.message}</p>
            {fix}
            <button
                type="button"
                class="link-button test-result__toggle"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=TEST_DETAILS_ID
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {move || if open.get() { "hide details" } else { "show details" }}
            </button>
            <div id=TEST_DETAILS_ID class="test-result__details" hidden=move || !open.get()>
                <ol class="test-steps">{steps}</ol>
            </div>
        </div>
    }
    .into_any()
}
