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

/// The panel of a finished test. `on_select` switches tabs, for the
/// `fix …` button.
pub fn test_result(result: TestResult, on_select: Callback<SettingsTab>) -> AnyView {
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
            <p>{result.message}</p>
            {fix}
            <ol class="test-steps">{steps}</ol>
        </div>
    }
    .into_any()
}
