//! `/process-flows/:id`: a process flow, the instances its step calls and
//! its recent runs (the instance version each request used and how it
//! went), with `run now`. While a run is going the page looks again every
//! second until it ends.

use std::time::Duration;

use conduit_types::{FlowRun, Id, ProcessFlow};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::ApiClient;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::guarded_button::GuardedButton;
use crate::components::states::{ErrorState, LoadingState, NotFoundState};
use crate::components::status_badge::Badge;
use crate::flow_runs;
use crate::pages::use_title;
use crate::paths;
use crate::tabs::SettingsTab;
use crate::text;

/// How soon the page looks again while a run is going.
const LOOK_AGAIN: Duration = Duration::from_secs(1);

#[component]
pub fn ProcessFlowPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get_str("id").and_then(|id| id.parse::<Id>().ok())));
    let flow = LocalResource::new(move || async move {
        match id.get() {
            Some(id) => api.process_flow(id).await.map(Some),
            None => Ok(None),
        }
    });
    let name = move || flow.get().and_then(|f| f.ok().flatten()).map(|f| f.name);
    use_title(move || name().unwrap_or_else(|| "process flow".to_owned()));

    // While the newest run is going, look again shortly.
    Effect::new(move |_| {
        if flow.get().and_then(|f| f.ok().flatten()).is_some_and(|f| flow_runs::running(&f)) {
            set_timeout(move || flow.refetch(), LOOK_AGAIN);
        }
    });

    let refusal = RwSignal::new(None::<String>);
    let starting = RwSignal::new(false);
    let shown = move || flow.get().and_then(|f| f.ok().flatten());
    let busy = Signal::derive(move || starting.get() || shown().is_some_and(|f| flow_runs::running(&f)));
    let run_now = Callback::new(move |()| {
        let Some(id) = id.get_untracked() else { return };
        starting.set(true);
        refusal.set(None);
        leptos::task::spawn_local(async move {
            if let Err(error) = api.run_flow(id).await {
                refusal.set(Some(error.to_string()));
            }
            starting.set(false);
            flow.refetch();
        });
    });

    // What is not the flow: loading, not found, failed.
    let state = move || match flow.get() {
        None => view! { <LoadingState text="loading the process flow…" lines=4 /> }.into_any(),
        Some(Err(error)) if error.is_not_found() => not_found().into_any(),
        Some(Ok(None)) => not_found().into_any(),
        Some(Err(error)) => view! {
            <ErrorState title="the process flow could not be loaded" error on_retry=Callback::new(move |()| flow.refetch()) />
        }
        .into_any(),
        Some(Ok(Some(_))) => ().into_any(),
    };
    let header = move || shown().map(|f| flow_header(&f));
    let details = move || shown().map(|f| view! { {flow_instances(&f)} {run_list(f.runs)} });
    // The button stays the same element while the runs refresh, so focus stays on it.
    let loaded = move || shown().is_some();
    let trail = Signal::derive(move || {
        vec![
            Crumb::text("process flows"),
            Crumb::text(name().unwrap_or_else(|| "process flow".to_owned())),
        ]
    });
    view! {
        <Breadcrumb trail />
        <div class="flow-page">
            {state}
            {header}
            <Show when=loaded>
                <div class="flow-page__actions">
                    <GuardedButton primary=true unavailable=busy on_click=run_now>"run now"</GuardedButton>
                    <span class="muted" role="status">{move || busy.get().then_some("running…")}</span>
                </div>
                {move || refusal.get().map(|r| view! { <div class="alert" role="alert">{r}</div> })}
            </Show>
            {details}
        </div>
    }
}

fn not_found() -> impl IntoView {
    view! {
        <NotFoundState
            title="process flow not found"
            message="There is no process flow at this address. It may have been removed, or the link may be mistyped."
        />
    }
}

fn flow_header(flow: &ProcessFlow) -> impl IntoView {
    let (tone, state) = if flow.enabled { ("good", "enabled") } else { ("neutral", "disabled") };
    let schedule = flow_runs::schedule_line(flow);
    let name = flow.name.clone();
    view! {
        <header class="page-header">
            <div class="page-header__title-row">
                <h1>{name}</h1>
                <Badge tone text=state />
            </div>
            <p class="page-header__subtitle">"process flow · " {schedule}</p>
        </header>
    }
}

/// The instances the flow's step calls, each linking to its settings.
fn flow_instances(flow: &ProcessFlow) -> impl IntoView {
    let items = flow
        .instances
        .iter()
        .map(|i| {
            let href = paths::instance_settings(i.id, SettingsTab::Details);
            let name = i.name.clone();
            view! { <li><A href=href>{name}</A></li> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="flow-instances-heading">
            <h2 id="flow-instances-heading">"instances it calls"</h2>
            <ul class="flow-list">{items}</ul>
        </section>
    }
}

/// The recent runs, newest first, each with its requests.
fn run_list(runs: Vec<FlowRun>) -> impl IntoView {
    let body = if runs.is_empty() {
        view! { <p class="muted">"no runs yet: run it now, or wait for its schedule"</p> }.into_any()
    } else {
        let items = runs.into_iter().map(run_item).collect_view();
        view! { <ol class="runs">{items}</ol> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="runs-heading">
            <h2 id="runs-heading">"recent runs"</h2>
            {body}
        </section>
    }
}

fn run_item(run: FlowRun) -> impl IntoView {
    let (tone, outcome) = flow_runs::run_badge(&run);
    let requests = run
        .requests
        .iter()
        .map(|r| {
            let (tone, said) = if r.ok { ("good", "ok") } else { ("bad", "failed") };
            view! {
                <li class="run__request">
                    <span>{flow_runs::request_line(r)}</span>
                    " "
                    <Badge tone text=said />
                    <span class="muted">" " {r.message.clone()}</span>
                </li>
            }
        })
        .collect_view();
    let when = text::date_time(run.started_at);
    let by = flow_runs::started_by(&run);
    let message = run.message.map(|m| view! { <p class="run__message">{m}</p> });
    view! {
        <li class="run">
            <p class="run__heading">
                <Badge tone text=outcome />
                " "
                <span>{when}</span>
                <span class="muted">" · " {by}</span>
            </p>
            {message}
            <ul class="run__requests">{requests}</ul>
        </li>
    }
}
