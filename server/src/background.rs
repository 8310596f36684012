//! A background loop: one tokio task that does a piece of work every few
//! seconds until stopped. The health checker and the process-flow
//! scheduler are each one.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// A running loop; [`Background::stop`] ends it.
pub struct Background {
    stop: Arc<Notify>,
    handle: JoinHandle<()>,
}

impl Background {
    /// Runs `work` one `tick` after start and then a `tick` after each time
    /// it finished. Stopping drops a piece of work in progress.
    pub fn every<F, W>(tick: Duration, mut work: F) -> Background
    where
        F: FnMut() -> W + Send + 'static,
        W: Future<Output = ()> + Send,
    {
        let stop = Arc::new(Notify::new());
        let stopped = stop.clone();
        let handle = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopped.notified() => break,
                    _ = tokio::time::sleep(tick) => {}
                }
                tokio::select! {
                    _ = stopped.notified() => break,
                    _ = work() => {}
                }
            }
        });
        Background { stop, handle }
    }

    /// Stops the loop and waits for it.
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = self.handle.await;
    }
}
