//! What every request handler shares: the store, the configuration, the test
//! engine, the in-memory authorisations and sign-in limits, and the clock.

use std::sync::Arc;

use crate::clock::Clock;
use crate::store::Store;
use crate::{authorise, egress, engine, flows, sign_in_limit, Config};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub engine: Arc<engine::Engine>,
    /// Authorisations with providers in progress (memory only).
    pub authorisations: Arc<authorise::Authorisations>,
    /// Failed sign-ins by account and client address (memory only).
    pub sign_in_limit: Arc<sign_in_limit::SignInLimit>,
    /// The one clock: the store's, which the engine reads too.
    pub clock: Clock,
    /// What process flows' runs share: rate limits, pools, saved copies.
    pub flows: Arc<flows::Runner>,
}

impl AppState {
    /// The state the server runs with: the store, the configuration and a
    /// connection test engine under the configured egress policy, all
    /// reading the time from the store's clock.
    pub fn new(store: Store, config: Config) -> AppState {
        let clock = store.clock().clone();
        let policy = egress::EgressPolicy::new(config.egress_allow.0.clone());
        let engine_config = engine::EngineConfig {
            total_timeout: std::time::Duration::from_secs(config.test_timeout_secs),
            clock: clock.clone(),
            ..engine::EngineConfig::default()
        };
        AppState {
            store,
            config: Arc::new(config),
            engine: Arc::new(engine::Engine::new(policy, engine_config)),
            authorisations: Arc::new(authorise::Authorisations::new(clock.clone())),
            sign_in_limit: Arc::default(),
            clock,
            flows: Arc::default(),
        }
    }
}
