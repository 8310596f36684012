//! When a flow runs on its own: every `run_every_minutes` of its own, or
//! the server's default; never while disabled or while the scheduler is off
//! (default 0); a flow that never ran is due at once. A tick starts only a
//! few due runs, oldest first, so a restart does not start every flow at once.

use conduit_types::{Id, Timestamp};

/// The most scheduled runs one tick starts.
pub const STARTS_PER_TICK: usize = 4;

/// A flow as the scheduler sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledFlow {
    pub company_id: Id,
    pub flow_id: Id,
    pub enabled: bool,
    /// The flow's own interval, in minutes.
    pub run_every_minutes: Option<u32>,
    /// When its latest run started.
    pub last_started_at: Option<Timestamp>,
}

/// How often `flow` runs on its own, in minutes (`None`: it does not).
/// The scheduler off (`default_minutes` 0) means no flow runs on its own.
pub fn interval(flow: &ScheduledFlow, default_minutes: u32) -> Option<u32> {
    if !flow.enabled || default_minutes == 0 {
        return None;
    }
    Some(flow.run_every_minutes.filter(|m| *m > 0).unwrap_or(default_minutes))
}

/// Whether `flow` is due at `now`.
pub fn is_due(flow: &ScheduledFlow, default_minutes: u32, now: Timestamp) -> bool {
    let Some(minutes) = interval(flow, default_minutes) else {
        return false;
    };
    flow.last_started_at.is_none_or(|at| now >= at + i64::from(minutes) * 60)
}

/// The flows to start now: the due ones not `running`, those that waited
/// longest (never run first) first, at most [`STARTS_PER_TICK`].
pub fn to_start(flows: &[ScheduledFlow], running: &[Id], default_minutes: u32, now: Timestamp) -> Vec<ScheduledFlow> {
    let mut due: Vec<_> = flows
        .iter()
        .filter(|f| is_due(f, default_minutes, now) && !running.contains(&f.flow_id))
        .cloned()
        .collect();
    due.sort_by_key(|f| (f.last_started_at.unwrap_or(i64::MIN), f.flow_id));
    due.truncate(STARTS_PER_TICK);
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(flow_id: Id, every: Option<u32>, last: Option<Timestamp>) -> ScheduledFlow {
        ScheduledFlow { company_id: 1, flow_id, enabled: true, run_every_minutes: every, last_started_at: last }
    }

    #[test]
    fn a_flow_runs_at_its_own_interval_or_the_default() {
        assert_eq!(interval(&flow(1, Some(5), None), 30), Some(5));
        assert_eq!(interval(&flow(1, None, None), 30), Some(30));
        assert_eq!(interval(&flow(1, Some(0), None), 30), Some(30));
        let disabled = ScheduledFlow { enabled: false, ..flow(1, Some(5), None) };
        assert_eq!(interval(&disabled, 30), None);
        // The scheduler off: not even a flow with an interval of its own.
        assert_eq!(interval(&flow(1, Some(5), None), 0), None);
    }

    #[test]
    fn a_flow_is_due_once_its_interval_passed_since_its_last_run() {
        assert!(is_due(&flow(1, Some(5), None), 30, 1_000));
        assert!(!is_due(&flow(1, Some(5), Some(1_000)), 30, 1_299));
        assert!(is_due(&flow(1, Some(5), Some(1_000)), 30, 1_300));
        assert!(!is_due(&flow(1, None, Some(1_000)), 30, 1_300));
        assert!(is_due(&flow(1, None, Some(1_000)), 30, 2_800));
    }

    #[test]
    fn a_tick_starts_a_few_due_flows_longest_waiting_first_and_none_running() {
        let flows: Vec<_> = (1..=8).map(|id| flow(id, Some(1), Some(1_000 - id))).collect();
        let mut with_new = flows.clone();
        with_new.push(flow(20, Some(1), None));
        let started: Vec<_> = to_start(&with_new, &[8], 30, 2_000).iter().map(|f| f.flow_id).collect();
        assert_eq!(started, vec![20, 7, 6, 5]);
        assert!(to_start(&flows, &[], 30, 1_000).is_empty(), "none due yet");
    }
}
