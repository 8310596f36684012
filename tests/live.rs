//! Component tests of live updates: a row of `manage connectors` follows its
//! instance's events (status badge, name, "last checked", gone once deleted)
//! and leaves other instances' alone; the settings page's live notice is a
//! polite live region that is there before it has anything to say.
#![cfg(target_arch = "wasm32")]

use conduit_types::{AuthKind, InstanceEvent, InstanceEventKind, InstanceStatus, InstanceSummary, LiveMessage};
use conduit_web::components::{instance_row::InstanceRow, live_notice::LiveNotice};
use conduit_web::live::LiveUpdates;
use leptos::{mount::mount_to, prelude::*};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::*;

fn row(id: i64, name: &str) -> InstanceSummary {
    InstanceSummary {
        id,
        name: name.into(),
        auth_kind: AuthKind::Token,
        auth_method_label: "bearer token".into(),
        status: InstanceStatus::NotTested,
        last_tested_at: None,
        last_checked_at: None,
        process_flow_count: 0,
        certificate_not_after: None,
    }
}

fn event(instance: i64, kind: InstanceEventKind, status: Option<InstanceStatus>) -> LiveMessage {
    LiveMessage::Instance(InstanceEvent {
        instance,
        name: "Orders API (EU)".into(),
        kind,
        status,
        version: Some(2),
        actor: "automatic check".into(),
        by: None,
        automatic: true,
        at: (js_sys::Date::now() / 1000.0) as i64 - 120,
        changed: vec![],
    })
}

fn badge(root: &web_sys::Element) -> String {
    text_of(&all(root, ".badge")[0])
}

#[wasm_bindgen_test]
async fn a_row_follows_its_instances_events_and_no_other() {
    let live = LiveUpdates::new();
    let root = container();
    let _handle = mount_to(root.clone(), move || {
        provide_context(live);
        view! { <ul><InstanceRow instance=row(7, "Orders API") /><InstanceRow instance=row(8, "Rates API") /></ul> }
    });
    settle().await;
    let rows = all(&root, "li");
    assert_eq!((badge(&rows[0]), badge(&rows[1])), ("not tested".to_string(), "not tested".to_string()));

    live.tell(event(7, InstanceEventKind::Status, Some(InstanceStatus::Unreachable)));
    settle().await;
    assert_eq!(badge(&rows[0]), "unreachable");
    assert!(text_of(&rows[0]).contains("last checked 2 minutes ago"), "{}", text_of(&rows[0]));
    assert_eq!(badge(&rows[1]), "not tested", "another instance's row stays");

    live.tell(event(7, InstanceEventKind::Saved, Some(InstanceStatus::Operational)));
    settle().await;
    assert_eq!(badge(&rows[0]), "operational");
    named(all(&rows[0], "a"), "settings for Orders API (EU)");
    assert!(text_of(&rows[0]).contains("Orders API (EU)"));

    live.tell(event(8, InstanceEventKind::Deleted, None));
    settle().await;
    assert!(rows[1].has_attribute("hidden"), "a deleted instance's row goes");
    assert!(!rows[0].has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn the_live_notice_is_a_polite_region_there_before_it_speaks() {
    let text = RwSignal::new(None::<String>);
    let root = container();
    let _handle = mount_to(root.clone(), move || view! { <LiveNotice text /> });
    settle().await;
    let region = by_role(&root, "status");
    assert_eq!(region.len(), 1, "the live region is there while silent");
    assert_eq!(text_of(&region[0]), "");

    text.set(Some("Ada Lovelace saved this instance a moment ago.".into()));
    settle().await;
    assert_eq!(text_of(&by_role(&root, "status")[0]), "Ada Lovelace saved this instance a moment ago.");
}
