//! The storage suite: the same tests against embedded SQLite and, when
//! `TEST_DATABASE_URL` is set, PostgreSQL.

mod common;

use conduit_server::auth::hash_password;
use conduit_server::demo;
use conduit_server::store::Store;
use conduit_types::{AuthFieldValue, ConnectorList, Id, InstanceStatus, RateLimitUnit};

fn instance_id(list: &ConnectorList, name: &str) -> Id {
    list.connectors
        .iter()
        .flat_map(|c| &c.instances)
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no instance named {name}"))
        .id
}

async fn demo_company(store: &Store) -> Id {
    demo::seed_if_empty(store, common::SANDBOX).await.unwrap();
    let creds = store.credentials(demo::EMAIL).await.unwrap().unwrap();
    let (_, hash) = conduit_server::auth::new_session_token();
    store.create_session(&hash, creds.user_id, store.clock().now() + 60).await.unwrap();
    store.session_user(&hash).await.unwrap().unwrap().company_id
}

#[tokio::test]
async fn migrating_an_existing_database_again_changes_nothing() {
    for t in common::stores().await {
        demo::seed_if_empty(&t.store, common::SANDBOX).await.unwrap();
        let again = Store::connect(&t.url, &t.key).await.unwrap();
        assert_eq!(again.company_count().await.unwrap(), 1, "{}", t.name);
        assert!(!demo::seed_if_empty(&again, common::SANDBOX).await.unwrap(), "{}: seeded twice", t.name);
        assert_eq!(again.company_count().await.unwrap(), 1, "{}", t.name);
        again.close().await;
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_seeds_extra_instances_on_request_none_of_them_at_the_sandbox() {
    for t in common::stores().await {
        assert!(demo::seed_if_empty_with(&t.store, common::SANDBOX, 25).await.unwrap());
        let company = demo_company(&t.store).await;
        let list = t.store.connector_list(company).await.unwrap();
        let names: Vec<&str> = list.connectors.iter().flat_map(|c| &c.instances).map(|i| i.name.as_str()).collect();
        let extra: Vec<&&str> = names.iter().filter(|n| n.contains(" #")).collect();
        assert_eq!(extra.len(), 25, "{}: {names:?}", t.name);
        assert!(names.contains(&"Shopify - UK #00001") && extra.iter().any(|n| n.ends_with("#00025")), "{names:?}");
        assert!(extra.iter().all(|n| !n.starts_with("Sandbox") && !n.starts_with("Warehouse") && !n.starts_with("Carrier")), "{names:?}");
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "names are unique");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_later_demo_run_points_the_sandbox_instances_at_its_own_address() {
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let list = t.store.connector_list(company).await.unwrap();
        let id = instance_id(&list, "Sandbox app (OAuth 2 authorisation code)");
        let before = t.store.instance_settings(company, id).await.unwrap().unwrap();
        let moved = "http://127.0.0.1:4321/sandbox";
        assert!(!demo::seed_if_empty(&t.store, moved).await.unwrap(), "{}", t.name);
        let after = t.store.instance_settings(company, id).await.unwrap().unwrap();
        assert_eq!(after.details.variables["base_url"], format!("{moved}/oauth"), "{}", t.name);
        assert_eq!(
            after.authentication.fields["token_url"],
            conduit_types::AuthFieldValue::Plain { value: format!("{moved}/oauth/token") }
        );
        assert_eq!(after.version, before.version, "not a user's edit");
        let shopify = instance_id(&list, "Shopify - UK");
        assert_eq!(t.store.instance_settings(company, shopify).await.unwrap().unwrap().details.variables["store"], "northwind-uk");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_later_demo_run_brings_the_built_in_connectors_up_to_date() {
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let list = t.store.connector_list(company).await.unwrap();
        let id = instance_id(&list, "Warehouse API");
        let current = t.store.instance_settings(company, id).await.unwrap().unwrap().connector.definition;
        assert!(current.auth_method("oauth1").is_some(), "{}", t.name);
        // A database seeded by an older server, before OAuth 1 was offered.
        let mut older = current.clone();
        older.auth_methods.retain(|m| m.key != "oauth1");
        t.store.upsert_connector("http-api", "HTTP API", &older).await.unwrap();
        let stale = t.store.instance_settings(company, id).await.unwrap().unwrap().connector.definition;
        assert!(stale.auth_method("oauth1").is_none());

        assert!(!demo::seed_if_empty(&t.store, common::SANDBOX).await.unwrap(), "{}", t.name);
        let after = t.store.instance_settings(company, id).await.unwrap().unwrap().connector.definition;
        assert_eq!(after, current, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_demo_lists_its_connectors_with_instances_and_flow_counts() {
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let list = t.store.connector_list(company).await.unwrap();
        let names: Vec<_> = list.connectors.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["BigCommerce", "HTTP API", "NetSuite", "Shopify"], "{}", t.name);

        let shopify = list.connectors.iter().find(|c| c.slug == "shopify").unwrap();
        let summary: Vec<_> = shopify
            .instances
            .iter()
            .map(|i| (i.name.as_str(), i.auth_method_label.as_str(), i.process_flow_count))
            .collect();
        assert_eq!(
            summary,
            [
                ("Shopify - EU app", "Shopify app (OAuth)", 0),
                ("Shopify - UK", "admin API access token", 2),
                ("Shopify - US", "admin API access token", 1),
            ],
            "{}",
            t.name
        );
        assert!(shopify.instances.iter().all(|i| i.status == InstanceStatus::NotTested));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn instance_settings_are_read_back_with_flows_and_secrets_only_as_set_or_not() {
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let list = t.store.connector_list(company).await.unwrap();
        let id = instance_id(&list, "NetSuite - Production");
        let s = t.store.instance_settings(company, id).await.unwrap().unwrap();

        assert_eq!(s.details.name, "NetSuite - Production");
        assert_eq!(s.connector.name, "NetSuite");
        assert_eq!(s.version, 1);
        assert_eq!(s.details.time_zone, "Europe/London");
        let rate = s.details.rate_limit.unwrap();
        assert_eq!((rate.amount, rate.unit), (10, RateLimitUnit::Second));
        assert_eq!(s.details.variables["account_id"], "4820193");
        assert_eq!(s.authentication.method, "tba");
        assert_eq!(
            s.authentication.fields["consumer_key"],
            AuthFieldValue::Plain { value: "c1f0e2d4a7".into() }
        );
        assert_eq!(s.authentication.fields["token_secret"], AuthFieldValue::Secret { is_set: true });
        assert_eq!(s.details.connection_pool.as_deref(), Some("bulk exports"));
        assert_eq!(s.connection_pools, ["bulk exports", "default"], "sorted");
        let flows: Vec<_> = s.process_flows.iter().map(|f| (f.name.as_str(), f.enabled)).collect();
        assert_eq!(
            flows,
            [("NetSuite stock levels to Shopify", true), ("Shopify UK orders to NetSuite", true)],
            "{}",
            t.name
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_company_never_reads_another_companys_instances() {
    for t in common::stores().await {
        let demo = demo_company(&t.store).await;
        let other = common::seed_other_company(&t.store).await;

        assert!(t.store.instance_settings(demo, other.instance_id).await.unwrap().is_none(), "{}", t.name);
        assert!(t.store.instance_settings(other.company_id, other.instance_id).await.unwrap().is_some());
        assert!(t.store.instance_settings(demo, 999_999).await.unwrap().is_none());

        let others_list = t.store.connector_list(other.company_id).await.unwrap();
        assert_eq!(others_list.connectors.len(), 1);
        assert_eq!(others_list.connectors[0].instances.len(), 1);
        let demo_list = t.store.connector_list(demo).await.unwrap();
        assert!(demo_list.connectors.iter().flat_map(|c| &c.instances).all(|i| i.id != other.instance_id));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_process_flow_cannot_use_another_companys_instance() {
    for t in common::stores().await {
        let demo = demo_company(&t.store).await;
        let other = common::seed_other_company(&t.store).await;
        let before = t.store.instance_settings(other.company_id, other.instance_id).await.unwrap().unwrap();

        let refused = t.store.create_process_flow(demo, "Sneaky", true, &[other.instance_id]).await;
        assert!(refused.is_err(), "{}", t.name);

        let after = t.store.instance_settings(other.company_id, other.instance_id).await.unwrap().unwrap();
        assert_eq!(before.process_flows, after.process_flows);
        assert!(after.process_flows.is_empty());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn sessions_expire_and_can_be_ended() {
    for t in common::stores().await {
        let company = t.store.create_company("Initech").await.unwrap();
        let user = t
            .store
            .create_user(company, " Peter@Initech.Example ", "Peter", &hash_password("tps").unwrap())
            .await
            .unwrap();

        let found = t.store.credentials("peter@initech.example").await.unwrap().unwrap();
        assert_eq!(found.user_id, user, "{}: email is matched without case", t.name);
        assert!(t.store.credentials("nobody@initech.example").await.unwrap().is_none());

        t.store.create_session("live", user, t.store.clock().now() + 60).await.unwrap();
        t.store.create_session("stale", user, t.store.clock().now() - 1).await.unwrap();
        let live = t.store.session_user("live").await.unwrap().unwrap();
        assert_eq!(live.me.user.email, "peter@initech.example");
        assert_eq!(live.me.company.name, "Initech");
        assert!(t.store.session_user("stale").await.unwrap().is_none(), "{}", t.name);
        assert!(t.store.session_user("unknown").await.unwrap().is_none());

        t.store.delete_session("live").await.unwrap();
        assert!(t.store.session_user("live").await.unwrap().is_none(), "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_history_answers_the_newest_fifty_entries_of_the_companys_own_instance() {
    use conduit_types::draft::HistoryEvent;
    use conduit_types::{TestOutcome, TestResult};
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let other = common::seed_other_company(&t.store).await;
        let user = t.store.credentials(demo::EMAIL).await.unwrap().unwrap().user_id;
        let list = t.store.connector_list(company).await.unwrap();
        let id = instance_id(&list, "Warehouse API");
        for n in 0..55 {
            let result = TestResult {
                outcome: TestOutcome::Ok,
                message: format!("test {n}"),
                steps: vec![],
                http_status: Some(200),
                duration_ms: 1,
                fix: None,
            };
            t.store.record_test(company, id, user, &result).await.unwrap();
            // A test recorded against another company's instance is dropped.
            t.store.record_test(company, other.instance_id, user, &result).await.unwrap();
        }
        let history = t.store.history(company, id).await.unwrap().unwrap();
        assert_eq!(history.len(), 50, "{}", t.name);
        let messages: Vec<_> = history
            .iter()
            .map(|e| match &e.event {
                HistoryEvent::Tested { message, .. } => message.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(messages[0], "test 54");
        assert_eq!(messages[49], "test 5");
        assert!(history.iter().all(|e| e.user == demo::USER_NAME));
        assert!(t.store.history(company, other.instance_id).await.unwrap().is_none());
        assert_eq!(t.store.history(other.company_id, other.instance_id).await.unwrap().unwrap(), vec![]);
        t.cleanup().await;
    }
}

/// Rows written in the stored format (by earlier versions of the server)
/// still read: the text columns and the certificate details are the
/// store's own format, not whatever the wire types serialise to now.
#[tokio::test]
async fn rows_in_the_stored_format_still_read() {
    use conduit_types::draft::HistoryEvent;
    use conduit_types::{CertificateState, TestOutcome};
    for t in common::stores().await {
        let company = demo_company(&t.store).await;
        let user = t.store.credentials(demo::EMAIL).await.unwrap().unwrap().user_id;
        let list = t.store.connector_list(company).await.unwrap();
        let id = instance_id(&list, "Shopify - UK");
        let raw = t.raw().await;
        sqlx::query(
            r#"UPDATE instances SET status = 'failed_authentication', rate_limit_amount = 5, rate_limit_unit = 'hour',
                   variables = '{"store":"legacy-shop"}', certificate_ca = 'a CA as PEM',
                   certificate_info = '{"ca":{"subject":"CN=Partner CA","issuer":"CN=Partner CA","subject_alt_names":["ca.example.com"],"not_before":1600000000,"not_after":1900000000,"sha256_fingerprint":"AB:CD","key_type":"RSA 2048"}}'
               WHERE id = $1"#,
        )
        .bind(id)
        .execute(&raw)
        .await
        .unwrap();
        sqlx::query(
            r#"INSERT INTO instance_events (company_id, instance_id, user_id, at, kind, version, changed, outcome, message)
               VALUES ($1, $2, $3, 100, 'saved', 2, '["store","trusted CA certificate"]', NULL, NULL),
                      ($1, $2, $3, 101, 'tested', NULL, NULL, 'auth_rejected', 'refused')"#,
        )
        .bind(company)
        .bind(id)
        .bind(user)
        .execute(&raw)
        .await
        .unwrap();
        raw.close().await;

        let s = t.store.instance_settings(company, id).await.unwrap().unwrap();
        assert_eq!(s.status, InstanceStatus::FailedAuthentication, "{}", t.name);
        let rate = s.details.rate_limit.unwrap();
        assert_eq!((rate.amount, rate.unit), (5, RateLimitUnit::Hour));
        assert_eq!(s.details.variables["store"], "legacy-shop");
        let CertificateState::Stored(stored) = &s.certificate else { panic!("{:?}", s.certificate) };
        assert_eq!(stored.client, None);
        let ca = stored.ca.as_ref().unwrap();
        assert_eq!((ca.subject.as_str(), ca.not_after, ca.key_type.as_str()), ("CN=Partner CA", 1900000000, "RSA 2048"));
        assert_eq!(ca.subject_alt_names, ["ca.example.com"]);
        let tls = t.store.connection(company, id).await.unwrap().unwrap().tls;
        assert_eq!(tls.ca_pem.as_deref(), Some("a CA as PEM"));

        let list = t.store.connector_list(company).await.unwrap();
        let summary = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == id).unwrap();
        assert_eq!((summary.status, summary.certificate_not_after), (InstanceStatus::FailedAuthentication, Some(1900000000)));

        let history = t.store.history(company, id).await.unwrap().unwrap();
        let events: Vec<_> = history.iter().map(|e| e.event.clone()).collect();
        assert_eq!(
            events,
            [
                HistoryEvent::Tested { outcome: TestOutcome::AuthRejected, message: "refused".into() },
                HistoryEvent::Saved { version: 2, changed: vec!["store".into(), "trusted CA certificate".into()] },
            ],
            "{}",
            t.name
        );
        assert_eq!(t.store.changed_since(company, id, 1).await.unwrap(), ["store", "trusted CA certificate"]);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn an_api_key_is_found_by_its_secret_only_while_live_and_stamped_when_used() {
    use conduit_server::clock::Clock;
    use conduit_server::store::{ApiKeyOwner, ApiKeyRecord};
    for t in common::stores().await {
        let clock = Clock::manual(1_800_000_000);
        let store = t.store.clone().with_clock(clock.clone());
        let company = demo_company(&store).await;
        let user = store.credentials(demo::EMAIL).await.unwrap().unwrap().user_id;
        let made = conduit_server::developer::new_key();
        let record = ApiKeyRecord { company_id: company, created_by: user, name: "Portal", prefix: &made.prefix, secret_hash: &made.secret_hash };
        let key = store.create_api_key(&record).await.unwrap();
        assert_eq!((key.created_at, key.last_used_at, key.created_by.as_str()), (1_800_000_000, None, demo::USER_NAME));

        clock.advance(90);
        let owner = store.api_key_by_secret(&made.secret).await.unwrap();
        assert_eq!(owner, Some(ApiKeyOwner { key_id: key.id, company_id: company }), "{}", t.name);
        assert_eq!(store.api_keys(company).await.unwrap()[0].last_used_at, Some(1_800_000_090), "{}", t.name);
        assert_eq!(store.api_key_by_secret(&made.secret_hash).await.unwrap(), None, "the hash is not the key");

        let other = store.create_company("Initech").await.unwrap();
        assert!(!store.revoke_api_key(other, key.id).await.unwrap(), "{}: another company's key", t.name);
        assert!(store.api_key_by_secret(&made.secret).await.unwrap().is_some());
        assert!(store.revoke_api_key(company, key.id).await.unwrap());
        assert!(!store.revoke_api_key(company, key.id).await.unwrap(), "revoked once");
        assert_eq!(store.api_key_by_secret(&made.secret).await.unwrap(), None, "{}", t.name);
        assert!(store.api_keys(company).await.unwrap().is_empty());
        t.cleanup().await;
    }
}
