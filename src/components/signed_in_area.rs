use leptos::prelude::*;
use leptos_router::{
    components::{Outlet, Redirect},
    hooks::use_location,
    NavigateOptions,
};

use crate::components::frame::Frame;
use crate::components::states::{ErrorState, LoadingState};
use crate::paths;
use crate::session::{Session, SessionState};

/// Every page but sign-in: shown inside the frame once the server confirms
/// who is signed in; anyone else is sent to sign in and brought back after.
#[component]
pub fn SignedInArea() -> impl IntoView {
    let session = expect_context::<Session>();
    session.ensure_checked();
    let location = use_location();

    // Re-render the frame only when the kind of state changes, not on every
    // read of the session.
    let state = Memo::new(move |_| session.state());

    move || match state.get() {
        SessionState::Unknown => view! {
            <div class="fullscreen">
                <LoadingState text="opening your dashboard…" lines=0 />
            </div>
        }
        .into_any(),
        SessionState::SignedIn(me) => {
            // One live event stream for every page of the signed-in area.
            crate::live::provide_live_updates();
            view! { <Frame me><Outlet /></Frame> }.into_any()
        }
        SessionState::SignedOut => {
            let here = paths::full_path(
                &location.pathname.get_untracked(),
                &location.search.get_untracked(),
                "",
            );
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            view! { <Redirect path=paths::login_href(&here) options /> }.into_any()
        }
        SessionState::Unavailable(error) => view! {
            <div class="fullscreen">
                <ErrorState
                    title="the dashboard could not open"
                    error
                    on_retry=Callback::new(move |()| session.retry())
                />
            </div>
        }
        .into_any(),
    }
}
