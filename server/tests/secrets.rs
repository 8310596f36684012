//! Encryption at rest: instance secrets are sealed in the database, never on
//! disk in plain text, readable only with their key and only in their own row.

mod common;

use std::path::Path;

use conduit_server::crypto::{MasterKey, KEY_FILE};
use conduit_server::store::{CertificateChange, InstanceUpdate, SaveOutcome, Secrets, Store};
use conduit_server::{demo, open_store, Config};
use conduit_types::{AuthFieldValue, Id};
use sqlx::Row;

const FIRST: &str = "distinctive-secret-4711-first";
const SECOND: &str = "distinctive-secret-0815-second";

/// The demo company and the ids of two of its instances with a token each.
async fn seeded(store: &Store) -> (Id, Id, Id) {
    demo::seed_if_empty(store, common::SANDBOX).await.unwrap();
    let user = store.credentials(demo::EMAIL).await.unwrap().unwrap().user_id;
    let (_, hash) = conduit_server::auth::new_session_token();
    store.create_session(&hash, user, conduit_server::clock::Clock::system().now() + 60).await.unwrap();
    let company = store.session_user(&hash).await.unwrap().unwrap().company_id;
    let list = store.connector_list(company).await.unwrap();
    let id = |name: &str| list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == name).unwrap().id;
    (company, id("Sandbox - bearer token"), id("Shopify - UK"))
}

/// Saves `token` as the bearer instance's secret, as the API would.
async fn save_token(store: &Store, company: Id, id: Id, token: &str) {
    let settings = store.instance_settings(company, id).await.unwrap().unwrap();
    let user = store.credentials(demo::EMAIL).await.unwrap().unwrap().user_id;
    let secrets = Secrets::from_pairs([("token", token)]);
    let update = InstanceUpdate {
        company_id: company,
        instance_id: id,
        user_id: user,
        base_version: settings.version,
        details: &settings.details,
        auth_method: &settings.authentication.method,
        auth_fields: &Default::default(),
        secrets: &secrets,
        tested_at: Some(conduit_server::clock::Clock::system().now()),
        certificate: CertificateChange::Keep,
        changed: &["token".to_owned()],
        oauth_tokens: None,
    };
    assert_eq!(store.save_instance(&update).await.unwrap(), SaveOutcome::Saved { version: settings.version + 1 });
}

async fn sealed_column(pool: &sqlx::AnyPool, id: Id) -> String {
    sqlx::query("SELECT secrets FROM instances WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
        .try_get("secrets")
        .unwrap()
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn the_embedded_database_keeps_secrets_only_sealed_under_an_owner_only_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_tests(dir.path().to_owned());
    config.secret_key = None;
    let store = open_store(&config).await.unwrap();

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is readable by its owner only");
    }

    let (company, bearer, _) = seeded(&store).await;
    save_token(&store, company, bearer, FIRST).await;
    save_token(&store, company, bearer, SECOND).await;
    let connection = store.connection(company, bearer).await.unwrap().unwrap();
    assert_eq!(connection.secrets.get("token"), Some(SECOND));

    // Written and not checkpointed: the WAL holds the latest pages.
    let on_disk = files(dir.path());
    let names: Vec<_> = on_disk.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.iter().any(|n| n.ends_with("conduit.db")), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("conduit.db-wal")), "{names:?}");
    for (name, bytes) in &on_disk {
        for secret in [FIRST, SECOND, demo::PASSWORD] {
            assert!(!contains(bytes, secret), "{secret} is readable in {name}");
        }
    }

    // The next start reads the same key file and so the same secrets.
    store.close().await;
    let again = open_store(&config).await.unwrap();
    let connection = again.connection(company, bearer).await.unwrap().unwrap();
    assert_eq!(connection.secrets.get("token"), Some(SECOND));
    again.close().await;
}

#[tokio::test]
async fn secrets_are_stored_sealed_and_read_only_with_their_key() {
    for t in common::stores().await {
        let (company, bearer, shopify) = seeded(&t.store).await;
        save_token(&t.store, company, bearer, FIRST).await;

        let raw = t.raw().await;
        let sealed = sealed_column(&raw, bearer).await;
        assert!(sealed.starts_with("v1."), "{}: {sealed}", t.name);
        assert!(!sealed.contains(FIRST));

        let stranger = Store::connect(&t.url, &MasterKey::random()).await.unwrap();
        let error = stranger.instance_settings(company, bearer).await.unwrap_err();
        let message = format!("{error:#}");
        assert!(message.contains("cannot be decrypted"), "{}: {message}", t.name);
        assert!(message.contains("written with another secret key"), "{message}");
        assert!(!message.contains(FIRST) && !message.contains(&sealed), "{message}");
        assert!(stranger.connection(company, bearer).await.is_err());
        // What needs no secret still works.
        assert!(stranger.connector_list(company).await.is_ok());
        stranger.close().await;

        // With its own key the store still reads it.
        let settings = t.store.instance_settings(company, bearer).await.unwrap().unwrap();
        assert_eq!(settings.authentication.fields["token"], AuthFieldValue::Secret { is_set: true });

        // The sealed value of one instance does not open in another's row.
        sqlx::query("UPDATE instances SET secrets = $1 WHERE id = $2")
            .bind(&sealed)
            .bind(shopify)
            .execute(&raw)
            .await
            .unwrap();
        let moved = format!("{:#}", t.store.connection(company, shopify).await.unwrap_err());
        assert!(moved.contains("cannot be decrypted"), "{}: {moved}", t.name);
        assert_eq!(
            t.store.connection(company, bearer).await.unwrap().unwrap().secrets.get("token"),
            Some(FIRST)
        );
        raw.close().await;
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_secret_is_set_only_when_a_value_is_stored() {
    for t in common::stores().await {
        let (company, bearer, _) = seeded(&t.store).await;
        let settings = t.store.instance_settings(company, bearer).await.unwrap().unwrap();
        assert_eq!(settings.authentication.fields["token"], AuthFieldValue::Secret { is_set: true });

        save_token(&t.store, company, bearer, "").await;
        let settings = t.store.instance_settings(company, bearer).await.unwrap().unwrap();
        assert_eq!(settings.authentication.fields["token"], AuthFieldValue::Secret { is_set: false }, "{}", t.name);
        let raw = t.raw().await;
        let column: Option<String> = sqlx::query("SELECT secrets FROM instances WHERE id = $1")
            .bind(bearer)
            .fetch_one(&raw)
            .await
            .unwrap()
            .try_get("secrets")
            .unwrap();
        assert_eq!(column, None, "nothing left to seal");
        raw.close().await;
        t.cleanup().await;
    }
}
