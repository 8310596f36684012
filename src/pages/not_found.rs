use leptos::prelude::*;

use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::states::NotFoundState;
use crate::pages::use_title;
use crate::paths;

/// Any address the dashboard does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    use_title(|| "page not found".to_string());
    let trail = vec![
        Crumb::text("process flows"),
        Crumb::link("connectors & instances", paths::HOME),
        Crumb::text("page not found"),
    ];
    view! {
        <Breadcrumb trail />
        <NotFoundState
            title="page not found"
            message="There is nothing at this address. It may have moved, or the link may be mistyped."
        />
    }
}
