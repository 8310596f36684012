//! The one clock the server reads the time from, in whole seconds since the
//! Unix epoch. The running server uses the system clock; tests use a manual
//! clock they move forward, so expiry (receipts, tokens, authorisations) is
//! tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use conduit_types::Timestamp;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    manual: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system's wall clock.
    pub fn system() -> Clock {
        Clock { manual: None }
    }

    /// A clock that reads `start` until it is moved with [`Clock::advance`].
    pub fn manual(start: Timestamp) -> Clock {
        Clock { manual: Some(Arc::new(AtomicI64::new(start))) }
    }

    pub fn now(&self) -> Timestamp {
        match &self.manual {
            Some(at) => at.load(Ordering::SeqCst),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        }
    }

    /// Moves a manual clock (and every copy of it) forward; the system clock
    /// cannot be moved, so this panics on it.
    pub fn advance(&self, seconds: i64) {
        self.manual.as_ref().expect("only a manual clock can be moved").fetch_add(seconds, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_copies_follow() {
        let clock = Clock::manual(1_000);
        let copy = clock.clone();
        assert_eq!(clock.now(), 1_000);
        copy.advance(30);
        assert_eq!(clock.now(), 1_030);
    }

    #[test]
    fn the_system_clock_reads_the_present() {
        // 2020-09-13 and 2100-01-01: any real present lies between them.
        let now = Clock::system().now();
        assert!(now > 1_600_000_000 && now < 4_102_444_800, "{now}");
    }
}
