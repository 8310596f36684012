//! What every run shares, kept in the application state: the instances'
//! rate limits, the connection pools' places, the saved settings' copies,
//! which flows are running now, and which instances flows may call.

use std::collections::BTreeSet;
use std::sync::{Mutex, RwLock};

use conduit_types::Id;

use super::pool::Pools;
use super::rate::RateLimits;
use super::snapshot::Snapshots;
use crate::health::Scope;

#[derive(Debug, Default)]
pub struct Runner {
    pub rates: RateLimits,
    pub pools: Pools,
    pub snapshots: Snapshots,
    running: Mutex<BTreeSet<Id>>,
    scope: RwLock<Scope>,
}

impl Runner {
    /// Limits which instances flows send requests to (the demo: only its
    /// sandbox's, so its sample credentials never reach a real provider).
    pub fn set_scope(&self, scope: Scope) {
        *self.scope.write().unwrap_or_else(|e| e.into_inner()) = scope;
    }

    pub fn may_call(&self, instance_id: Id) -> bool {
        self.scope.read().unwrap_or_else(|e| e.into_inner()).includes(instance_id)
    }

    /// Marks flow `flow_id` as running; `false` when it already was.
    pub fn begin(&self, flow_id: Id) -> bool {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).insert(flow_id)
    }

    pub fn end(&self, flow_id: Id) {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).remove(&flow_id);
    }

    /// The flows running now.
    pub fn running(&self) -> Vec<Id> {
        self.running.lock().unwrap_or_else(|e| e.into_inner()).iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_runs_once_at_a_time() {
        let runner = Runner::default();
        assert!(runner.begin(3));
        assert!(!runner.begin(3));
        assert_eq!(runner.running(), vec![3]);
        runner.end(3);
        assert!(runner.begin(3));
    }

    #[test]
    fn the_scope_says_which_instances_flows_may_call() {
        let runner = Runner::default();
        assert!(runner.may_call(9));
        runner.set_scope(Scope::Only(BTreeSet::from([1])));
        assert!(runner.may_call(1));
        assert!(!runner.may_call(9));
    }
}
