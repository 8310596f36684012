//! An instance's rate limit: at most `amount` requests in any window of one
//! `unit` (by the server's clock, in whole seconds). A request over the
//! limit waits for its slot; it never fails. [`next_slot`] is the rule;
//! [`RateLimits`] keeps, per instance, when its recent requests went.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use conduit_types::{Id, RateLimit, RateLimitUnit, Timestamp};

use super::wait::wait_until;
use crate::clock::Clock;

/// How long one unit of a rate limit is, in seconds.
pub fn window(unit: RateLimitUnit) -> i64 {
    match unit {
        RateLimitUnit::Second => 1,
        RateLimitUnit::Minute => 60,
        RateLimitUnit::Hour => 3_600,
        RateLimitUnit::Day => 86_400,
    }
}

/// When the next request may go under `limit`, given when the earlier ones
/// went (oldest first): now, while fewer than `amount` went within the
/// window ending now; otherwise once the oldest of the last `amount` has
/// left the window. A limit of 0 is read as 1 (a limit never stops a flow).
pub fn next_slot(sent: &VecDeque<Timestamp>, limit: RateLimit, now: Timestamp) -> Timestamp {
    let amount = limit.amount.max(1) as usize;
    let window = window(limit.unit);
    let recent = sent.iter().filter(|at| **at > now - window).count();
    if recent < amount {
        return now;
    }
    let oldest_counted = sent[sent.len() - amount];
    (oldest_counted + window).max(now)
}

/// Forgets requests that left the longest window any limit has.
fn forget_old(sent: &mut VecDeque<Timestamp>, limit: RateLimit, now: Timestamp) {
    let window = window(limit.unit);
    let keep = limit.amount.max(1) as usize;
    while sent.front().is_some_and(|at| *at <= now - window) || sent.len() > keep {
        sent.pop_front();
    }
}

/// The requests each instance made recently, shared by every flow.
#[derive(Debug, Default)]
pub struct RateLimits {
    sent: Mutex<HashMap<Id, VecDeque<Timestamp>>>,
    waiting: AtomicUsize,
}

impl RateLimits {
    /// Waits until instance `instance_id` may make a request under `limit`,
    /// and counts it as made now.
    pub async fn acquire(&self, instance_id: Id, limit: RateLimit, clock: &Clock) {
        loop {
            let slot = {
                let mut all = self.sent.lock().unwrap_or_else(|e| e.into_inner());
                let sent = all.entry(instance_id).or_default();
                let now = clock.now();
                forget_old(sent, limit, now);
                let slot = next_slot(sent, limit, now);
                if slot <= now {
                    sent.push_back(now);
                    return;
                }
                slot
            };
            self.waiting.fetch_add(1, Ordering::SeqCst);
            wait_until(clock, slot).await;
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// How many requests are waiting for their slot now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(amount: u32, unit: RateLimitUnit) -> RateLimit {
        RateLimit { amount, unit }
    }

    #[test]
    fn requests_under_the_limit_go_at_once() {
        let two_a_second = limit(2, RateLimitUnit::Second);
        assert_eq!(next_slot(&VecDeque::new(), two_a_second, 100), 100);
        assert_eq!(next_slot(&VecDeque::from([100]), two_a_second, 100), 100);
        // Requests from before the window do not count.
        assert_eq!(next_slot(&VecDeque::from([98, 99]), two_a_second, 100), 100);
    }

    #[test]
    fn a_request_over_the_limit_waits_until_the_oldest_leaves_the_window() {
        let two_a_second = limit(2, RateLimitUnit::Second);
        assert_eq!(next_slot(&VecDeque::from([100, 100]), two_a_second, 100), 101);
        let ten_a_minute = limit(10, RateLimitUnit::Minute);
        let sent: VecDeque<_> = (0..10).map(|n| 1_000 + n).collect();
        assert_eq!(next_slot(&sent, ten_a_minute, 1_010), 1_060);
        assert_eq!(next_slot(&sent, limit(600, RateLimitUnit::Hour), 1_010), 1_010);
        assert_eq!(next_slot(&VecDeque::from([5]), limit(1, RateLimitUnit::Day), 10), 5 + 86_400);
    }

    #[test]
    fn a_limit_of_zero_still_lets_one_request_through_per_window() {
        assert_eq!(next_slot(&VecDeque::new(), limit(0, RateLimitUnit::Second), 7), 7);
        assert_eq!(next_slot(&VecDeque::from([7]), limit(0, RateLimitUnit::Second), 7), 8);
    }

    #[test]
    fn old_requests_are_forgotten() {
        let mut sent = VecDeque::from([1, 2, 50, 60, 61]);
        forget_old(&mut sent, limit(5, RateLimitUnit::Minute), 100);
        assert_eq!(sent, VecDeque::from([50, 60, 61]));
        forget_old(&mut sent, limit(1, RateLimitUnit::Minute), 100);
        assert_eq!(sent, VecDeque::from([61]));
    }

    #[tokio::test]
    async fn acquiring_over_the_limit_waits_for_the_clock() {
        let clock = Clock::manual(1_000);
        let limits = std::sync::Arc::new(RateLimits::default());
        let two_a_second = limit(2, RateLimitUnit::Second);
        limits.acquire(1, two_a_second, &clock).await;
        limits.acquire(1, two_a_second, &clock).await;
        // Another instance has its own limit.
        limits.acquire(2, two_a_second, &clock).await;
        let third = tokio::spawn({
            let (limits, clock) = (limits.clone(), clock.clone());
            async move { limits.acquire(1, two_a_second, &clock).await }
        });
        while limits.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        assert!(!third.is_finished());
        clock.advance(1);
        tokio::time::timeout(std::time::Duration::from_secs(5), third).await.unwrap().unwrap();
        assert_eq!(limits.waiting(), 0);
    }
}
