use leptos::prelude::*;

/// One step of a breadcrumb trail; the last step is the current page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crumb {
    pub label: String,
    /// Where the step leads; `None` for a step that is only a heading.
    pub href: Option<String>,
}

impl Crumb {
    pub fn text(label: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: None,
        }
    }

    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Crumb {
            label: label.into(),
            href: Some(href.into()),
        }
    }
}

/// The trail shown at the top of every page, e.g.
/// `process flows ➤ connectors & instances ➤ Shopify - UK ➤ instance settings`.
#[component]
pub fn Breadcrumb(#[prop(into)] trail: Signal<Vec<Crumb>>) -> impl IntoView {
    view! {
        <nav class="breadcrumb" aria-label="breadcrumb">
            <ol>
                {move || {
                    let trail = trail.get();
                    let last = trail.len().saturating_sub(1);
                    trail
                        .into_iter()
                        .enumerate()
                        .map(|(i, crumb)| {
                            let separator = (i > 0)
                                .then(|| {
                                    view! {
                                        <span class="breadcrumb__separator" aria-hidden="true">
                                            " ➤ "
                                        </span>
                                    }
                                });
                            let step = if i == last {
                                view! { <span aria-current="page">{crumb.label}</span> }.into_any()
                            } else if let Some(href) = crumb.href {
                                view! { <a href=crate::base_path::url(&href)>{crumb.label}</a> }.into_any()
                            } else {
                                view! { <span>{crumb.label}</span> }.into_any()
                            };
                            view! { <li>{separator} {step}</li> }
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}
