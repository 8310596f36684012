use conduit_types::Me;
use leptos::{ev, html, prelude::*};
use leptos_router::{hooks::use_navigate, NavigateOptions};
use wasm_bindgen::JsCast;

use crate::components::icons::ChevronDownIcon;
use crate::leave_guard;
use crate::paths;
use crate::session::Session;
use crate::text;

/// The signed-in user's menu in the top bar: who is signed in, and
/// `sign out`. A disclosure button; Escape or a click elsewhere closes it.
#[component]
pub fn UserMenu(me: Me) -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let root = NodeRef::<html::Div>::new();
    let toggle = NodeRef::<html::Button>::new();

    let sign_out = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        // Leave the signed-in area first, so it does not send the user to
        // sign in "and come back here".
        session.sign_out(move || navigate(paths::LOGIN, NavigateOptions::default()))
    });
    let failure = move || {
        sign_out
            .value()
            .get()
            .and_then(Result::err)
            .map(|err| view! { <p class="menu__error" role="alert">{err.to_string()}</p> })
    };

    // Close when a click lands outside the menu.
    let listener = window_event_listener(ev::click, move |ev| {
        let inside = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
            .zip(root.get_untracked())
            .is_some_and(|(node, root)| root.contains(Some(&node)));
        if !inside && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || listener.remove());

    let on_keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
            if let Some(toggle) = toggle.get_untracked() {
                _ = toggle.focus();
            }
        }
    };

    view! {
        <div class="user-menu" node_ref=root on:keydown=on_keydown>
            <button
                type="button"
                class="user-menu__toggle"
                node_ref=toggle
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls="user-menu"
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <span class="avatar avatar--small" aria-hidden="true">{text::initials(&me.user.name)}</span>
                <span class="user-menu__name">{me.user.name.clone()}</span>
                <ChevronDownIcon />
            </button>
            <div id="user-menu" class="user-menu__panel" hidden=move || !open.get()>
                <p class="user-menu__who">
                    <span class="user-menu__full-name">{me.user.name}</span>
                    <span class="muted">{me.user.email}</span>
                </p>
                <button
                    type="button"
                    class="button button--secondary button--block"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        // Signing out leaves the page: unsaved edits ask first.
                        if leave_guard::confirm_leaving() {
                            sign_out.dispatch_local(());
                        }
                    }
                >
                    {move || if sign_out.pending().get() { "signing out…" } else { "sign out" }}
                </button>
                {failure}
            </div>
        </div>
    }
}
