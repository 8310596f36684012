//! How a run ended, from the requests it made: succeeded when every request
//! succeeded; otherwise failed, saying how many failed and why the first did.

use conduit_types::{FlowRequest, RunOutcome};

pub const NO_INSTANCES: &str = "The flow uses no instances, so its step made no requests.";

pub fn run_outcome(requests: &[FlowRequest]) -> (RunOutcome, Option<String>) {
    if requests.is_empty() {
        return (RunOutcome::Failed, Some(NO_INSTANCES.to_owned()));
    }
    let failed: Vec<_> = requests.iter().filter(|r| !r.ok).collect();
    match failed.first() {
        None => (RunOutcome::Succeeded, None),
        Some(first) => {
            let count = match (failed.len(), requests.len()) {
                (1, 1) => "The request failed".to_owned(),
                (f, n) => format!("{f} of {n} requests failed"),
            };
            (RunOutcome::Failed, Some(format!("{count}. {}: {}", first.instance_name, first.message)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(name: &str, ok: bool, message: &str) -> FlowRequest {
        FlowRequest {
            instance_id: 1,
            instance_name: name.into(),
            instance_version: Some(1),
            at: 0,
            http_status: Some(if ok { 200 } else { 401 }),
            ok,
            message: message.into(),
        }
    }

    #[test]
    fn a_run_succeeds_only_when_every_request_did() {
        let ok = request("Warehouse API", true, "fine");
        assert_eq!(run_outcome(&[ok.clone(), ok.clone()]), (RunOutcome::Succeeded, None));
        let refused = request("Carrier rates API", false, "The host refused the credentials (HTTP 401).");
        let (outcome, message) = run_outcome(&[ok.clone(), refused.clone(), refused]);
        assert_eq!(outcome, RunOutcome::Failed);
        assert_eq!(message.unwrap(), "2 of 3 requests failed. Carrier rates API: The host refused the credentials (HTTP 401).");
        let (_, one) = run_outcome(&[request("A", false, "No.")]);
        assert_eq!(one.unwrap(), "The request failed. A: No.");
    }

    #[test]
    fn a_run_without_requests_failed() {
        assert_eq!(run_outcome(&[]), (RunOutcome::Failed, Some(NO_INSTANCES.to_owned())));
    }
}
