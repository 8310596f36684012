//! `/embed/{company}/instances/{id}/settings/{tab}`: the instance settings
//! inside a host portal's iframe, without the dashboard's frame. The page
//! waits for its host's `conduit:connect`, trades the host's one-time
//! secret for a bearer token (in memory only: no cookie, so third-party
//! cookie blocking does not matter), shows the settings limited to what the
//! session may do, tells the host what happens, and renews the session
//! through the host before it ends, keeping the draft.

use std::time::Duration;

use conduit_types::{EmbedExchange, EmbedToken, Id};
use leptos::{html, prelude::*, task::spawn_local};
use leptos_router::hooks::use_params_map;
use wasm_bindgen::JsCast;

use super::appearance::theme;
use super::host_link::{framing_window, HostLink};
use super::messages::{FromHost, ToHost};
use super::renewal::renew_in_ms;
use super::report::{events, Look};
use super::resize::report_height;
use crate::api::{ApiClient, Bearer};
use crate::components::states::LoadingState;
use crate::editor::Editor;
use crate::instance_actions::InstanceActions;
use crate::pages::instance_settings::InstanceSettingsPage;
use crate::paths;
use crate::settings_host::SettingsHost;

/// Where the page has got to.
#[derive(Clone, Debug, PartialEq)]
enum Stage {
    /// Waiting for the host and its session.
    Waiting,
    /// The session is live (renewals change its token, not the stage).
    Live(EmbedToken),
    /// The settings cannot be shown; the sentence says why.
    Failed(String),
}

/// What a session that cannot start says.
const NOT_FRAMED: &str = "These instance settings are shown inside a partner's portal. Open them from there.";
const NO_SESSION: &str = "The portal could not start a session for these settings. Reload the page to try again.";
const OTHER_PAGE: &str = "This session was started for another page, so these settings cannot be shown here.";

#[component]
pub fn EmbedPage() -> impl IntoView {
    let params = use_params_map();
    let number = |key: &str| params.with_untracked(|p| p.get_str(key).and_then(|v| v.parse::<Id>().ok()));
    let (Some(company), Some(instance)) = (number("company"), number("id")) else {
        return view! { <EmbedProblem message=OTHER_PAGE.to_owned() /> }.into_any();
    };
    if let Some(root) = document().document_element() {
        _ = root.class_list().add_1("embedded");
    }

    let bearer = Bearer { token: StoredValue::new(String::new()), refused: RwSignal::new(0) };
    provide_context(ApiClient::embedded(bearer));
    let stage = RwSignal::new(Stage::Waiting);
    // The session ended and could not be renewed; the draft stays shown.
    let expired = RwSignal::new(false);
    // Set once the settings are shown; the host's save and discard use it.
    let shown = StoredValue::new(None::<(RwSignal<Editor>, InstanceActions)>);
    let renewing = StoredValue::new(false);
    let link_slot = StoredValue::new(None::<HostLink>);
    let send = move |message: ToHost| {
        if let Some(link) = link_slot.get_value() {
            link.send(&message);
        }
    };

    let fail = move |sentence: String| {
        send(ToHost::Error { message: sentence.clone() });
        stage.set(Stage::Failed(sentence));
    };
    let expire = move || {
        renewing.set_value(false);
        send(ToHost::SessionExpired);
        expired.set(true);
    };
    let ask_for_session = move || {
        if !renewing.get_value() {
            renewing.set_value(true);
            send(ToHost::SessionNeeded);
        }
    };
    let schedule = move |expires_at| {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let ms = renew_in_ms(now, expires_at);
        _ = set_timeout_with_handle(ask_for_session, Duration::from_millis(ms.into()));
    };
    let take_secret = move |secret: String| {
        let origin = link_slot.get_value().and_then(HostLink::origin).unwrap_or_default();
        let renewal = matches!(stage.get_untracked(), Stage::Live(_));
        spawn_local(async move {
            let answer = ApiClient::new().embed_exchange(&EmbedExchange { secret, origin: origin.clone() }).await;
            match answer {
                Ok(token) if token.origin == origin && token.instance == instance => {
                    bearer.token.set_value(token.token.clone());
                    renewing.set_value(false);
                    schedule(token.expires_at);
                    expired.set(false);
                    // A renewal keeps the page, and with it the draft.
                    if !renewal {
                        stage.set(Stage::Live(token));
                    }
                }
                Ok(_) | Err(_) if renewal => expire(),
                Ok(_) => fail(OTHER_PAGE.to_owned()),
                Err(error) => fail(error.to_string()),
            }
        });
    };
    let host = SettingsHost::new(
        paths::embed_area(company),
        Callback::new(move |(editor, actions): (RwSignal<Editor>, InstanceActions)| {
            if let Stage::Live(token) = stage.get_untracked() {
                editor.update(|e| e.limit_to(token.permissions));
            }
            shown.set_value(Some((editor, actions)));
            let last = StoredValue::new(editor.with_untracked(Look::at));
            Effect::new(move |_| {
                let now = editor.with(Look::at);
                let before = last.get_value();
                for event in events(&before, &now) {
                    send(event);
                }
                last.set_value(now);
            });
            send(ToHost::Ready);
        }),
    );
    provide_context(host);
    let on_message = move |message: FromHost| match message {
        FromHost::Session { secret } => take_secret(secret),
        FromHost::SessionUnavailable if matches!(stage.get_untracked(), Stage::Live(_)) => expire(),
        FromHost::SessionUnavailable => fail(NO_SESSION.to_owned()),
        FromHost::Save => host.press_save(),
        FromHost::Discard => {
            if let Some((_, actions)) = shown.get_value() {
                actions.discard();
            }
        }
        FromHost::Appearance(appearance) => {
            let theme = theme(&appearance);
            if let Some(style) = document().document_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()).map(|e| e.style()) {
                for (property, value) in &theme.properties {
                    _ = style.set_property(property, value);
                }
            }
            if let Some(message) = theme.ignored {
                send(ToHost::Error { message });
            }
        }
    };
    let link = HostLink::open(|| {}, on_message);
    link_slot.set_value(Some(link));
    if framing_window().is_none() {
        stage.set(Stage::Failed(NOT_FRAMED.to_owned()));
    }
    // A request the server refused the token for: the session is renewed.
    Effect::new(move |previous: Option<u32>| {
        let refused = bearer.refused.get();
        if previous.is_some_and(|p| p != refused) {
            ask_for_session();
        }
        refused
    });


    let root = NodeRef::<html::Div>::new();
    report_height(root, move |height| send(ToHost::Resize { height }));

    let content = move || match stage.get() {
        Stage::Waiting => view! { <LoadingState text="loading instance settings…" lines=5 /> }.into_any(),
        Stage::Failed(message) => view! { <EmbedProblem message /> }.into_any(),
        Stage::Live(token) => {
            let ended = move || expired.get().then(|| {
                view! {
                    <p class="embed-notice" role="alert">
                        "Your session has ended. Your changes are still on this page, but they cannot be tested or saved until you reload the page."
                    </p>
                }
            });
            view! {
                <p class="embed-who">{format!("{} · through {}", token.user_name, token.origin)}</p>
                {ended}
                <InstanceSettingsPage />
            }
            .into_any()
        }
    };
    view! {
        <div class="embed-root" node_ref=root>
            <main id="main" class="embed-main">{content}</main>
        </div>
    }
    .into_any()
}

#[component]
fn EmbedProblem(message: String) -> impl IntoView {
    view! {
        <div class="state state--error" role="alert">
            <h1 class="state__title">"the instance settings cannot be shown"</h1>
            <p>{message}</p>
        </div>
    }
}
