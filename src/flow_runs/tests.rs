//! Tests of what a process flow's page says.

use super::*;

fn flow(every: Option<u32>, requests: u32, enabled: bool, runs: Vec<FlowRun>) -> ProcessFlow {
    ProcessFlow {
        id: 1,
        name: "Warehouse stock check".into(),
        enabled,
        runs_every_minutes: every,
        requests_per_run: requests,
        instances: vec![],
        runs,
    }
}

fn run(outcome: RunOutcome) -> FlowRun {
    FlowRun { id: 1, started_by: RunStart::RunNow, started_at: 0, finished_at: None, outcome, message: None, requests: vec![] }
}

#[test]
fn the_schedule_says_how_often_and_how_many_requests() {
    assert_eq!(schedule_line(&flow(Some(5), 2, true, vec![])), "runs every 5 minutes · 2 requests to each instance per run");
    assert_eq!(schedule_line(&flow(Some(1), 1, true, vec![])), "runs every minute · 1 request to each instance per run");
    assert_eq!(schedule_line(&flow(None, 1, true, vec![])), "runs only when you run it now · 1 request to each instance per run");
    assert!(schedule_line(&flow(None, 1, false, vec![])).starts_with("disabled"));
}

#[test]
fn a_request_names_its_instance_version_and_status() {
    let mut request = FlowRequest {
        instance_id: 3,
        instance_name: "Warehouse API".into(),
        instance_version: Some(4),
        at: 0,
        http_status: Some(200),
        ok: true,
        message: "fine".into(),
    };
    assert_eq!(request_line(&request), "Warehouse API · version 4 · HTTP 200");
    request.instance_version = None;
    request.http_status = None;
    assert_eq!(request_line(&request), "Warehouse API · not sent");
}

#[test]
fn the_newest_run_decides_whether_the_flow_is_running() {
    assert!(running(&flow(None, 1, true, vec![run(RunOutcome::Running), run(RunOutcome::Failed)])));
    assert!(!running(&flow(None, 1, true, vec![run(RunOutcome::Succeeded), run(RunOutcome::Running)])));
    assert!(!running(&flow(None, 1, true, vec![])));
    assert_eq!(run_badge(&run(RunOutcome::Failed)), ("bad", "failed"));
}
