//! When each saved instance is due for a check, in what order, and how
//! many run at once: plain functions over data, so tests move a manual
//! clock instead of sleeping.
//!
//! Each instance has a slot within the period, derived from its id, so the
//! checks of many instances spread over the period instead of all running
//! at once. An instance never checked, or saved since its last check, is
//! due at once.

use std::collections::BTreeMap;

use conduit_types::{Id, Timestamp};

use crate::store::HealthCandidate;

/// How often and how many at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Seconds between two scheduled checks of one instance (more than 0).
    pub period: i64,
    /// Checks of one company running at once.
    pub per_company: usize,
    /// Checks running at once in all.
    pub global: usize,
}

impl Limits {
    /// Every `minutes` minutes, at most 2 at once per company and 8 in all.
    pub fn every_minutes(minutes: u64) -> Limits {
        Limits { period: (minutes.max(1) * 60) as i64, per_company: 2, global: 8 }
    }
}

/// The instance's slot within the period: seconds after each multiple of
/// the period (a multiplicative hash of the id, so neighbours spread).
pub fn slot_offset(instance_id: Id, period: i64) -> i64 {
    (instance_id.wrapping_mul(2_654_435_761)).rem_euclid(period.max(1))
}

/// When the instance is next due: at once (its creation or save) when it
/// was never checked or saved since; otherwise at its first slot after the
/// last check.
pub fn next_due(candidate: &HealthCandidate, period: i64) -> Timestamp {
    let period = period.max(1);
    match candidate.last_checked_at {
        None => candidate.updated_at,
        Some(last) if candidate.updated_at > last => candidate.updated_at,
        Some(last) => {
            let offset = slot_offset(candidate.instance_id, period);
            last - (last - offset).rem_euclid(period) + period
        }
    }
}

/// The candidates due at `now`, the longest waiting first (then by id).
pub fn due(candidates: &[HealthCandidate], now: Timestamp, period: i64) -> Vec<HealthCandidate> {
    let mut due: Vec<(Timestamp, HealthCandidate)> = candidates
        .iter()
        .map(|c| (next_due(c, period), *c))
        .filter(|(at, _)| *at <= now)
        .collect();
    due.sort_by_key(|(at, c)| (*at, c.instance_id));
    due.into_iter().map(|(_, c)| c).collect()
}

/// Which of `due` (in order) to run together: at most `per_company` of any
/// one company and `global` in all.
pub fn pick(due: &[HealthCandidate], limits: &Limits) -> Vec<HealthCandidate> {
    let mut per_company: BTreeMap<Id, usize> = BTreeMap::new();
    let mut picked = vec![];
    for candidate in due {
        if picked.len() >= limits.global {
            break;
        }
        let running = per_company.entry(candidate.company_id).or_default();
        if *running < limits.per_company {
            *running += 1;
            picked.push(*candidate);
        }
    }
    picked
}

#[cfg(test)]
mod tests;
