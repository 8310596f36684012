//! What a process flow's page says about the flow and its runs: its
//! schedule, each run's outcome and each request's instance version and
//! status, and whether a run is still going (the page then looks again).

use conduit_types::{FlowRequest, FlowRun, ProcessFlow, RunOutcome, RunStart};

/// "runs every 5 minutes · 2 requests to each instance per run".
pub fn schedule_line(flow: &ProcessFlow) -> String {
    let when = match flow.runs_every_minutes {
        Some(1) => "runs every minute".to_owned(),
        Some(minutes) => format!("runs every {minutes} minutes"),
        None if flow.enabled => "runs only when you run it now".to_owned(),
        None => "disabled: runs only when you run it now".to_owned(),
    };
    let requests = match flow.requests_per_run {
        1 => "1 request to each instance per run".to_owned(),
        n => format!("{n} requests to each instance per run"),
    };
    format!("{when} · {requests}")
}

/// The badge of a run: its tone and words.
pub fn run_badge(run: &FlowRun) -> (&'static str, &'static str) {
    match run.outcome {
        RunOutcome::Running => ("neutral", "running"),
        RunOutcome::Succeeded => ("good", "succeeded"),
        RunOutcome::Failed => ("bad", "failed"),
    }
}

pub fn started_by(run: &FlowRun) -> &'static str {
    match run.started_by {
        RunStart::Schedule => "on schedule",
        RunStart::RunNow => "run now",
    }
}

/// One request, e.g. "Warehouse API · version 3 · HTTP 200".
pub fn request_line(request: &FlowRequest) -> String {
    let mut parts = vec![request.instance_name.clone()];
    parts.push(match request.instance_version {
        Some(version) => format!("version {version}"),
        None => "not sent".to_owned(),
    });
    if let Some(status) = request.http_status {
        parts.push(format!("HTTP {status}"));
    }
    parts.join(" · ")
}

/// Whether the newest run is still going.
pub fn running(flow: &ProcessFlow) -> bool {
    flow.runs.first().is_some_and(|run| run.outcome == RunOutcome::Running)
}

#[cfg(test)]
mod tests;
