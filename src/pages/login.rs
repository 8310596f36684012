use conduit_types::LoginRequest;
use leptos::{ev, prelude::*};
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};

use crate::api::{ApiClient, ApiError};
use crate::components::icons::LogoMark;
use crate::pages::use_title;
use crate::paths;
use crate::session::Session;

/// `/login`: the sign-in form. On success the user goes on to the `next`
/// path when it is one of ours, else to `manage connectors`.
#[component]
pub fn LoginPage() -> impl IntoView {
    use_title(|| "sign in".to_string());
    let api = expect_context::<ApiClient>();
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let query = use_query_map();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let sign_in = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        let navigate = navigate.clone();
        async move {
            match api.sign_in(&request).await {
                Ok(me) => {
                    let next = query.with_untracked(|q| paths::after_sign_in(q.get_str("next")));
                    session.signed_in(me);
                    let options = NavigateOptions {
                        replace: true,
                        ..Default::default()
                    };
                    navigate(&next, options);
                    Ok(())
                }
                Err(err) => {
                    if err.is_unauthenticated() {
                        password.set(String::new());
                    }
                    Err(err)
                }
            }
        }
    });
    let pending = sign_in.pending();
    // While a new attempt is on its way the old complaint is cleared, so the
    // same complaint is announced again if it comes back.
    let error = Memo::new(move |_| {
        if pending.get() {
            None
        } else {
            sign_in.value().get().and_then(Result::<(), ApiError>::err)
        }
    });
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        sign_in.dispatch_local(LoginRequest {
            email: email.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        });
    };

    view! {
        <main class="login">
            <div class="card login__card">
                <p class="login__brand">
                    <LogoMark />
                    <span>"conduit"</span>
                </p>
                <h1 class="login__title">"sign in"</h1>
                <p class="muted">"to manage your connectors and instances"</p>
                <div class="alert" role="alert">
                    {move || error.get().map(|err| view! { <p class="alert__message">{err.to_string()}</p> })}
                </div>
                <form class="form" on:submit=on_submit>
                    {sign_in_field("email", "email", "username", true, email, error)}
                    {sign_in_field("password", "password", "current-password", false, password, error)}
                    <button type="submit" class="button button--primary button--block" aria-disabled=move || pending.get().then_some("true")>
                        {move || pending.get().then(|| view! { <span class="spinner spinner--on-primary" aria-hidden="true"></span> })}
                        "sign in"
                    </button>
                </form>
            </div>
        </main>
    }
}

/// One labelled sign-in field (`name` is its id too), with the server's
/// complaint about it under it, tied to it by `aria-describedby`.
fn sign_in_field(
    name: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    autofocus: bool,
    value: RwSignal<String>,
    error: Memo<Option<ApiError>>,
) -> impl IntoView {
    let message = move || error.with(|e| e.as_ref().and_then(|e| e.field_message(name)).map(str::to_string));
    let error_id = format!("{name}-error");
    let described_by = error_id.clone();
    view! {
        <div class="form-field">
            <label for=name>{name}</label>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                required
                autofocus=autofocus
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=move || message().is_some().then(|| described_by.clone())
                bind:value=value
            />
            {move || message().map(|message| view! { <p class="form-field__error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}
