//! Demo mode's background checks: the demo's sandbox instances become
//! operational without anyone testing, and its instances for real
//! providers are never checked on their own. The app serves its sandbox on
//! a free loopback port. On every configured database.

mod common;

use std::path::PathBuf;

use conduit_server::config::Config;
use conduit_server::demo;
use conduit_server::health::{run_round, Limits, Scope};
use conduit_server::AppState;
use conduit_types::InstanceStatus;

#[tokio::test]
async fn the_demo_checks_its_sandbox_instances_and_only_those() {
    for t in common::stores().await {
        let data = tempfile::tempdir().unwrap();
        let mut config = Config::for_tests(data.path().to_path_buf());
        config.demo = true;
        config.static_dir = PathBuf::from("missing");
        let (listener, addr) = conduit_server::bind(&config).await.unwrap();
        config.port = addr.port();
        let tls = demo::start(&t.store, &mut config, addr).await.unwrap();
        let ids = demo::sandbox_instances(&t.store, &[demo::sandbox_address(addr), tls.addr]).await.unwrap();
        let scope = Scope::Only(ids.clone());
        let state = AppState::new(t.store.clone(), config);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(conduit_server::serve_app(listener, demo::app(state.clone()), async {
            let _ = stopped.await;
        }));

        run_round(&state, &Limits::every_minutes(1), &scope).await.unwrap();
        let company = t.store.company_named(demo::COMPANY).await.unwrap().unwrap();
        let list = t.store.connector_list(company).await.unwrap();
        let instances: Vec<_> = list.connectors.iter().flat_map(|c| &c.instances).collect();
        let mut operational = 0;
        for instance in &instances {
            if !ids.contains(&instance.id) {
                assert_eq!((instance.status, instance.last_checked_at), (InstanceStatus::NotTested, None), "{} {}", instance.name, t.name);
            } else if instance.status == InstanceStatus::Operational {
                operational += 1;
                assert!(instance.last_checked_at.is_some());
            } else {
                // Only the instance waiting to be authorised has nothing to test with.
                assert_eq!(instance.status, InstanceStatus::NotTested, "{} {}", instance.name, t.name);
                assert!(instance.name.contains("authorisation code"), "{} {}", instance.name, t.name);
            }
        }
        assert!(instances.iter().any(|i| i.name.starts_with("Shopify") && !ids.contains(&i.id)));
        assert!(instances.iter().any(|i| i.name == demo::MUTUAL_TLS_INSTANCE && ids.contains(&i.id)));
        assert_eq!(operational, ids.len() - 1, "{} {:?}", t.name, instances);
        let _ = stop.send(());
        t.cleanup().await;
    }
}
