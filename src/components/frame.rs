use conduit_types::Me;
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_location};

use crate::components::icons::LogoMark;
use crate::components::user_menu::UserMenu;
use crate::{base_path, paths};

/// The signed-in frame: the navigation rail, the top bar with the company
/// and the user's menu, and the page.
#[component]
pub fn Frame(me: Me, children: Children) -> impl IntoView {
    let location = use_location();
    // The instance settings pages belong to the connectors section.
    let in_connectors_section = move || {
        location
            .pathname
            .with(|path| crate::base_path::app_path(path).starts_with("/instances/"))
    };

    crate::page_focus::focus_heading_on_navigation(Memo::new(move |_| location.pathname.get()));
    // The link moves focus, not only the scroll, so the next Tab goes on
    // from the page (and the router does not treat it as a navigation).
    let skip = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            crate::page_focus::focus_element(&main);
            main.scroll_into_view();
        }
    };

    view! {
        <a class="skip-link" href="#main" on:click=skip>"skip to content"</a>
        <div class="frame">
            <nav class="rail" aria-label="main">
                <a class="rail__brand" href=base_path::url(paths::HOME)>
                    <LogoMark />
                    <span>"conduit"</span>
                </a>
                <h2 class="rail__heading" id="rail-process-flows">"process flows"</h2>
                <ul class="rail__links" aria-labelledby="rail-process-flows">
                    <li>
                        <A href=base_path::url(paths::HOME) attr:class="rail__link" {..} class:rail__link--section=in_connectors_section>
                            "connectors & instances"
                        </A>
                    </li>
                </ul>
                <h2 class="rail__heading" id="rail-company">"company"</h2>
                <ul class="rail__links" aria-labelledby="rail-company">
                    <li>
                        <A href=base_path::url(paths::DEVELOPER) attr:class="rail__link">"developer settings"</A>
                    </li>
                </ul>
            </nav>
            <div class="workspace">
                <header class="topbar">
                    <p class="topbar__company">{me.company.name.clone()}</p>
                    <UserMenu me />
                </header>
                <main id="main" class="page" tabindex="-1">{children()}</main>
            </div>
        </div>
    }
}
