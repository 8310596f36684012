//! The steps a test reports: the test request's resolve, connect, TLS and
//! request stages as the transport timed them, and durations in milliseconds.

use std::time::Duration;

use conduit_types::{TestStep, TestStepKind};

use super::fix::Culprit;
use super::stop::{failure_stop, Stop};
use super::transport::{OutboundRequest, Stage, Transport};

/// Sends the test request, recording its steps; answers its status.
pub(super) async fn send_test(transport: &Transport, request: OutboundRequest, steps: &mut Vec<TestStep>) -> Result<u16, Stop> {
    let mut timings = vec![];
    let sent = transport.send(request, &mut timings).await;
    steps.extend(timings.iter().map(|t| TestStep {
        kind: match t.stage {
            Stage::Resolve => TestStepKind::Resolve,
            Stage::Connect => TestStepKind::Connect,
            Stage::Tls => TestStepKind::TlsHandshake,
            Stage::Request => TestStepKind::TestRequest,
        },
        ok: t.ok,
        duration_ms: millis(t.duration),
        http_status: t.status,
    }));
    Ok(sent.map_err(|f| failure_stop(f, "the test request").unreachable(Culprit::AddressUnreachable))?.status)
}

pub(super) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
