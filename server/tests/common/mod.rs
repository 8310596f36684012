//! Test helpers: a fresh store per test on every configured database.
//!
//! SQLite always; PostgreSQL too when `TEST_DATABASE_URL` is set, each test in
//! a schema of its own so tests run in parallel without seeing each other.

#![allow(dead_code)]

pub mod http;

use std::collections::BTreeMap;
use std::path::PathBuf;

use conduit_server::auth::hash_password;
use conduit_server::crypto::MasterKey;
use conduit_server::store::{NewInstance, Secrets, Store};
use conduit_server::{demo, AppState, Config};
use conduit_types::{Id, InstanceDetails, InstanceStatus};

/// Where seeded demo instances think the sandbox is (nothing listens there in
/// store and API tests).
pub const SANDBOX: &str = "http://127.0.0.1:9/sandbox";

pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    pub url: String,
    /// The master key the store seals secrets with.
    pub key: MasterKey,
    _dir: Option<tempfile::TempDir>,
    pg_schema: Option<(String, String)>,
}

impl TestStore {
    /// The SQLite store's data directory.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self._dir.as_ref().map(|d| d.path())
    }

    /// A raw connection to the same database, for tests that reach behind the store.
    pub async fn raw(&self) -> sqlx::AnyPool {
        sqlx::AnyPool::connect(&self.url).await.expect("connect to the test database")
    }

    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((admin_url, schema)) = self.pg_schema {
            let admin = sqlx::AnyPool::connect(&admin_url).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&admin)
                .await
                .expect("drop the test schema");
            admin.close().await;
        }
    }
}

/// One fresh, migrated store per configured database.
pub async fn stores() -> Vec<TestStore> {
    let mut all = vec![sqlite().await];
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        all.push(postgres(&url).await);
    }
    all
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("conduit.db").display());
    let key = MasterKey::random();
    let store = Store::connect(&url, &key).await.expect("open SQLite");
    TestStore { name: "sqlite", store, url, key, _dir: Some(dir), pg_schema: None }
}

async fn postgres(admin_url: &str) -> TestStore {
    sqlx::any::install_default_drivers();
    let schema = format!("t_{:016x}", rand_u64());
    let admin = sqlx::AnyPool::connect(admin_url).await.expect("connect to TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.expect("create a schema");
    admin.close().await;
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    let key = MasterKey::random();
    let store = Store::connect(&url, &key).await.expect("open PostgreSQL");
    TestStore {
        name: "postgres",
        store,
        url,
        key,
        _dir: None,
        pg_schema: Some((admin_url.to_owned(), schema)),
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// A second company, with its own user and one Shopify instance.
pub struct OtherCompany {
    pub company_id: Id,
    pub email: &'static str,
    pub password: &'static str,
    pub instance_id: Id,
}

pub async fn seed_other_company(store: &Store) -> OtherCompany {
    let company_id = store.create_company("Globex").await.unwrap();
    let (email, password) = ("hank@globex.example", "globex-password");
    store
        .create_user(company_id, email, "Hank Scorpio", &hash_password(password).unwrap())
        .await
        .unwrap();
    let shopify = conduit_server::catalogue::builtin().unwrap().remove(0);
    let connector_id = store
        .upsert_connector(&shopify.slug, &shopify.name, &shopify.definition)
        .await
        .unwrap();
    store.install_connector(company_id, connector_id).await.unwrap();
    let instance_id = store
        .create_instance(
            company_id,
            &NewInstance {
                connector_id,
                details: InstanceDetails {
                    name: "Globex Shopify".into(),
                    time_zone: "America/Chicago".into(),
                    date_format: "Y-m-d".into(),
                    rate_limit: None,
                    connection_pool: None,
                    variables: BTreeMap::from([("store".into(), "globex".into())]),
                },
                auth_method: "admin_token".into(),
                auth_fields: BTreeMap::new(),
                secrets: Secrets::from_pairs([("access_token", "globex-shopify-token")]),
                status: InstanceStatus::NotTested,
                last_tested_at: None,
            },
        )
        .await
        .unwrap();
    OtherCompany { company_id, email, password, instance_id }
}

/// The demo company plus a second company, ready for API tests.
pub async fn seeded(store: &Store) -> OtherCompany {
    assert!(demo::seed_if_empty(store, SANDBOX).await.unwrap());
    seed_other_company(store).await
}

pub fn state(store: Store, static_dir: PathBuf) -> AppState {
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.static_dir = static_dir;
    AppState::new(store, config)
}
