//! Who is signed in, shared through context.
//!
//! The signed-in area asks the server once (`GET /api/me`) the first time it
//! is shown; signing in and out update the answer directly, so the server is
//! not asked again. Signing out goes through here, so views that offer it
//! (the user menu) send no request themselves.

use conduit_types::Me;
use leptos::prelude::*;

use crate::api::{ApiClient, ApiError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Not asked yet, or the answer is on its way.
    Unknown,
    SignedIn(Me),
    SignedOut,
    /// The server could not say (unreachable, or failing).
    Unavailable(ApiError),
}

#[derive(Clone, Copy)]
pub struct Session {
    api: ApiClient,
    state: RwSignal<SessionState>,
    check: Action<(), ()>,
}

impl Session {
    pub fn new(api: ApiClient) -> Self {
        let state = RwSignal::new(SessionState::Unknown);
        let check = Action::new_local(move |_: &()| async move {
            let answer = match api.me().await {
                Ok(me) => SessionState::SignedIn(me),
                Err(err) if err.is_unauthenticated() => SessionState::SignedOut,
                Err(err) => SessionState::Unavailable(err),
            };
            // A sign-in that finished while we were asking knows better.
            state.update(|current| {
                if *current == SessionState::Unknown {
                    *current = answer;
                }
            });
        });
        Session { api, state, check }
    }

    /// The current state (tracked).
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// Asks the server who is signed in, unless that is known or being asked.
    pub fn ensure_checked(&self) {
        let unknown = self
            .state
            .with_untracked(|state| *state == SessionState::Unknown);
        if unknown && !self.check.pending().get_untracked() {
            self.check.dispatch_local(());
        }
    }

    /// Asks again after the server could not say.
    pub fn retry(&self) {
        self.state.set(SessionState::Unknown);
        self.ensure_checked();
    }

    pub fn signed_in(&self, me: Me) {
        self.state.set(SessionState::SignedIn(me));
    }

    pub fn signed_out(&self) {
        self.state.set(SessionState::SignedOut);
    }

    /// `sign out`: ends the session at the server, then `leave` (for the
    /// page to go elsewhere) runs before the session counts as signed out.
    /// Nothing changes when the server refuses.
    pub async fn sign_out(self, leave: impl FnOnce()) -> Result<(), ApiError> {
        self.api.sign_out().await?;
        leave();
        self.signed_out();
        Ok(())
    }
}
