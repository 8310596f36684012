//! Component tests of a process flow's page in headless Chromium, mounted
//! in the app's router with `fetch` faked: the runs with the instance
//! version each request used, `run now` asking the server and showing the
//! new run, and a refusal said in an alert.
#![cfg(target_arch = "wasm32")]

use conduit_types::{ErrorBody, ErrorCode, FlowInstance, FlowRequest, FlowRun, ProcessFlow, RunOutcome, RunStart, StartedRun};
use conduit_web::api::ApiClient;
use conduit_web::pages::process_flow::ProcessFlowPage;
use conduit_web::session::Session;
use leptos::{mount::mount_to, prelude::*};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn run(id: i64, version: i64, outcome: RunOutcome) -> FlowRun {
    FlowRun {
        id,
        started_by: RunStart::RunNow,
        started_at: 1_767_225_600 + id,
        finished_at: Some(1_767_225_601 + id),
        outcome,
        message: None,
        requests: vec![FlowRequest {
            instance_id: 3,
            instance_name: "Warehouse API".into(),
            instance_version: Some(version),
            at: 1_767_225_600 + id,
            http_status: Some(200),
            ok: true,
            message: "The connection works: 127.0.0.1 accepted the credentials.".into(),
        }],
    }
}

fn flow(runs: Vec<FlowRun>) -> ProcessFlow {
    ProcessFlow {
        id: 7,
        name: "Warehouse stock check".into(),
        enabled: true,
        runs_every_minutes: Some(5),
        requests_per_run: 1,
        instances: vec![FlowInstance { id: 3, name: "Warehouse API".into() }],
        runs,
    }
}

async fn open(answers: &[(&str, u16, String)]) -> (HtmlElement, impl Drop, FakeApi) {
    let fake = fake_api(answers);
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some("/process-flows/7")).unwrap();
    let root = container();
    let handle = mount_to(root.clone(), move || {
        let api = ApiClient::new();
        provide_context(api);
        provide_context(Session::new(api));
        view! {
            <Router>
                <Routes fallback=|| "nothing">
                    <Route path=path!("/process-flows/:id") view=ProcessFlowPage />
                </Routes>
            </Router>
        }
    });
    wait_for("the flow to load", || text_of(&root).contains("recent runs")).await;
    (root, handle, fake)
}

#[wasm_bindgen_test]
async fn run_now_starts_a_run_and_the_page_shows_the_version_it_used() {
    let before = json(&flow(vec![run(1, 1, RunOutcome::Succeeded)]));
    let after = json(&flow(vec![run(2, 2, RunOutcome::Succeeded), run(1, 1, RunOutcome::Succeeded)]));
    let (root, _mounted, _fake) = open(&[
        ("GET /api/process-flows/7", 200, before),
        ("GET /api/process-flows/7", 200, after),
        ("POST /api/process-flows/7/run", 202, json(&StartedRun { run_id: 2 })),
    ])
    .await;
    let page = text_of(&root);
    assert!(page.contains("runs every 5 minutes · 1 request to each instance per run"), "{page}");
    assert!(page.contains("Warehouse API · version 1 · HTTP 200"), "{page}");
    // The instance links to its settings.
    let link = named(all(&root, "a[href]"), "Warehouse API");
    assert_eq!(attr(&link, "href").as_deref(), Some("/instances/3/settings/details"));

    let run_now = button(&root, "run now");
    run_now.unchecked_ref::<HtmlElement>().focus().unwrap();
    click(&run_now);
    wait_for("the new run", || text_of(&root).contains("version 2")).await;
    // The runs refreshed around the button: it still has the focus.
    assert_eq!(focused().map(|f| text_of(&f)), Some("run now".to_owned()));
    assert!(fake_asked().contains(&"POST /api/process-flows/7/run".to_owned()));
    assert_eq!(all(&root, "ol.runs > li").len(), 2);
}

#[wasm_bindgen_test]
async fn a_refused_run_is_said_in_an_alert() {
    let refusal = ErrorBody {
        code: ErrorCode::Conflict,
        message: "This flow is running now. Wait for its run to finish, then run it again.".into(),
        fields: vec![],
        conflict: None,
    };
    let (root, _mounted, _fake) = open(&[
        ("GET /api/process-flows/7", 200, json(&flow(vec![]))),
        ("POST /api/process-flows/7/run", 409, json(&refusal)),
    ])
    .await;
    assert!(text_of(&root).contains("no runs yet"));
    click(&button(&root, "run now"));
    wait_for("the refusal", || by_role(&root, "alert").iter().any(|a| text_of(a).contains("running now"))).await;
}
