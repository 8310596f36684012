use leptos::prelude::*;

use crate::instance_actions::InstanceActions;

/// After a conflict: who saved in between, whether the user's edits touch
/// the same fields, and the ways on: `re-apply my changes` (on top of the
/// new version) or `reload saved settings` (take it as it is). Both ask
/// the page to load the saved settings; the editor knows which was chosen.
#[component]
pub fn ConflictAlert(actions: InstanceActions) -> impl IntoView {
    let editor = actions.editor();
    move || {
        let (sentence, clashes, dirty) = editor.with(|e| {
            let sentence = e.conflict()?.to_string();
            Some((sentence, e.conflict_clashes(), e.is_dirty()))
        })?;
        let advice = match (dirty, clashes.is_empty()) {
            (false, _) => String::new(),
            (true, true) => "Your edits are to other fields: re-apply them on the new version.".to_string(),
            (true, false) => format!(
                "You both changed {}. Re-applying your edits keeps your values for these; reloading takes the saved ones.",
                clashes.join(", ")
            ),
        };
        Some(view! {
            <div class="alert__message conflict">
                <p>{sentence} " " {advice}</p>
                {dirty.then(|| view! {
                    <button type="button" class="button button--primary" on:click=move |_| actions.reapply()>
                        "re-apply my changes"
                    </button>
                })}
                <button type="button" class="button button--secondary" on:click=move |_| actions.ask(|r| r.reload())>
                    "reload saved settings"
                </button>
            </div>
        })
    }
}
