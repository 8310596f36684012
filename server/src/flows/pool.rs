//! Connection pools: a cap on how many requests the instances in one of a
//! company's pools make at once, shared by every flow. A request over the
//! cap waits for a place.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use conduit_types::Id;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The places of every capped pool in use, by company and pool name.
#[derive(Debug, Default)]
pub struct Pools {
    places: Mutex<HashMap<(Id, String), (u32, Arc<Semaphore>)>>,
}

impl Pools {
    /// Waits for a place in pool `name` of `company_id` under `cap` (at
    /// least 1); the place is given back when the permit is dropped. A new
    /// cap starts a new count: requests already holding a place of the old
    /// one finish as they are.
    pub async fn acquire(&self, company_id: Id, name: &str, cap: u32) -> OwnedSemaphorePermit {
        let cap = cap.max(1);
        let semaphore = {
            let mut places = self.places.lock().unwrap_or_else(|e| e.into_inner());
            let entry = places
                .entry((company_id, name.to_owned()))
                .or_insert_with(|| (cap, Arc::new(Semaphore::new(cap as usize))));
            if entry.0 != cap {
                *entry = (cap, Arc::new(Semaphore::new(cap as usize)));
            }
            entry.1.clone()
        };
        semaphore.acquire_owned().await.expect("a pool's semaphore is never closed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_pool_at_its_cap_makes_the_next_request_wait_for_a_place() {
        let pools = Arc::new(Pools::default());
        let first = pools.acquire(1, "bulk exports", 1).await;
        let second = tokio::spawn({
            let pools = pools.clone();
            async move { pools.acquire(1, "bulk exports", 1).await }
        });
        // Other pools, and the same name in another company, are apart.
        let _other = pools.acquire(1, "default", 1).await;
        let _elsewhere = pools.acquire(2, "bulk exports", 1).await;
        tokio::task::yield_now().await;
        assert!(!second.is_finished(), "the second request waits");
        drop(first);
        let _second = tokio::time::timeout(Duration::from_secs(5), second).await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_cap_of_two_lets_two_through_at_once() {
        let pools = Pools::default();
        let _a = pools.acquire(1, "p", 2).await;
        let _b = tokio::time::timeout(Duration::from_secs(5), pools.acquire(1, "p", 2)).await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), pools.acquire(1, "p", 2)).await.is_err());
    }
}
