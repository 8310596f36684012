//! Waiting for a moment of the server's clock. The clock counts whole
//! seconds and a test's clock moves only when told, so the wait looks at it
//! every [`POLL`] rather than sleeping for a computed time.

use std::time::Duration;

use conduit_types::Timestamp;

use crate::clock::Clock;

pub const POLL: Duration = Duration::from_millis(50);

/// Returns once `clock` reads `at` or later.
pub async fn wait_until(clock: &Clock, at: Timestamp) {
    while clock.now() < at {
        tokio::time::sleep(POLL).await;
    }
}
