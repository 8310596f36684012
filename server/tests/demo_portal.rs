//! The sample partner portal (`demo-portal`) against a real conduit over
//! real sockets, on every configured database: demo mode seeds the portal's
//! key (hashed, named "demo partner portal", replaced when the secret
//! changes) and origin; `POST /conduit-session` answers a secret that the
//! iframe can exchange, refuses instances the portal does not list and other
//! sites' pages, and says so readably when conduit does not answer.

mod common;

use std::path::PathBuf;

use conduit_server::demo::portal::{self, ApiKey, Conduit, Portal, PortalState};
use conduit_server::demo::portal_seed::{seed_portal, PortalSeed, KEY_NAME};
use conduit_server::demo;
use conduit_server::store::Store;
use conduit_types::EmbedToken;
use sqlx::Row;

const KEY: &str = "ck_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const OTHER_KEY: &str = "ck_ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

/// Serves `app` on a free loopback port until the test ends; its address.
async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(conduit_server::serve_app(listener, app, std::future::pending()));
    addr
}

/// A seeded demo conduit with the portal's key and origin, on its own port.
async fn conduit(store: &Store, portal_origin: &str) -> String {
    common::seeded(store).await;
    let seed = PortalSeed::parse(Some(KEY), Some(portal_origin)).unwrap();
    seed_portal(store, &seed).await.unwrap().expect("a key is seeded");
    let state = common::state(store.clone(), PathBuf::from("missing"));
    format!("http://{}", serve(demo::app(state)).await)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The origin of a portal on a free port: `localhost`, another site than
/// conduit's 127.0.0.1.
fn portal_origin() -> String {
    format!("http://localhost:{}", free_port())
}

/// The portal at `origin`, talking to `conduit`; its base address.
async fn portal_at(origin: &str, conduit: &str, key: &str) -> String {
    let port: u16 = origin.rsplit(':').next().unwrap().parse().unwrap();
    let origin = origin.to_owned();
    let portal = Portal { conduit: Conduit::parse(conduit).unwrap(), origin: origin.clone(), instances: portal::DEFAULT_INSTANCES.to_vec() };
    let app = portal::router(PortalState { portal, key: ApiKey(key.to_owned()) });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}

async fn ask(portal: &str, body: serde_json::Value, origin: Option<&str>) -> (u16, serde_json::Value) {
    let mut request = reqwest::Client::new().post(format!("{portal}/conduit-session")).json(&body);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let reply = request.send().await.unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap())
}

/// What the iframe sends to trade the secret; `origin` is the host page's
/// origin as the iframe saw it (ignored by a server that does not read it).
fn exchange_body(secret: &str, host_origin: &str) -> serde_json::Value {
    serde_json::json!({"secret": secret, "origin": host_origin})
}

#[tokio::test]
async fn the_portal_answers_a_secret_the_iframe_can_exchange() {
    for t in common::stores().await {
        let origin = portal_origin();
        let conduit = conduit(&t.store, &origin).await;
        let portal = portal_at(&origin, &conduit, KEY).await;

        let (status, answer) = ask(&portal, serde_json::json!({"instance": 7}), Some(&portal)).await;
        assert_eq!(status, 201, "{}: {answer}", t.name);
        let secret = answer["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("cs_") && secret.len() > 40, "{secret}");
        assert!(answer["expires_at"].is_i64(), "{answer}");

        let reply = reqwest::Client::new().post(format!("{conduit}/api/embed/exchange")).json(&exchange_body(&secret, &portal)).send().await.unwrap();
        assert_eq!(reply.status(), 200, "{}", t.name);
        let token: EmbedToken = reply.json().await.unwrap();
        assert_eq!((token.instance, token.origin.as_str(), token.permissions.len()), (7, portal.as_str(), 6));

        // Asked by curl (no Origin) works too; the other listed instance as well.
        let (status, answer) = ask(&portal, serde_json::json!({"instance": 10}), None).await;
        assert_eq!(status, 201, "{answer}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_portal_refuses_unlisted_instances_other_sites_and_bad_bodies() {
    let t = common::sqlite().await;
    let origin = portal_origin();
    let conduit = conduit(&t.store, &origin).await;
    let portal = portal_at(&origin, &conduit, KEY).await;
    for instance in [1, 8, 12] {
        let (status, answer) = ask(&portal, serde_json::json!({"instance": instance}), Some(&portal)).await;
        assert_eq!((status, answer["code"].as_str()), (404, Some("not_found")), "{instance}: {answer}");
        assert_eq!(answer["message"], "This portal does not embed that instance.");
    }
    let (status, answer) = ask(&portal, serde_json::json!({"instance": 7}), Some(&conduit)).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("forbidden")), "{answer}");
    let (status, answer) = ask(&portal, serde_json::json!({"instance": "7"}), None).await;
    assert_eq!((status, answer["code"].as_str()), (400, Some("bad_request")), "{answer}");
    let sessions: i64 = sqlx::query("SELECT COUNT(*) AS n FROM embed_sessions").fetch_one(&t.raw().await).await.unwrap().get("n");
    assert_eq!(sessions, 0, "conduit was never asked");
    t.cleanup().await;
}

#[tokio::test]
async fn conduits_refusal_is_passed_on_as_it_is_and_silence_is_explained() {
    let t = common::sqlite().await;
    // The portal's origin is not the one conduit allows: conduit's 422 comes back whole.
    let conduit = conduit(&t.store, "http://localhost:1").await;
    let portal = portal_at(&portal_origin(), &conduit, KEY).await;
    let (status, answer) = ask(&portal, serde_json::json!({"instance": 7}), None).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["fields"][0]["field"], "origin", "{answer}");
    // A key conduit does not know: its 401.
    let wrong = portal_at(&portal_origin(), &conduit, OTHER_KEY).await;
    let (status, _) = ask(&wrong, serde_json::json!({"instance": 7}), None).await;
    assert_eq!(status, 401);
    // Nothing listens where conduit should be.
    let closed = format!("http://127.0.0.1:{}", free_port());
    let (status, answer) = ask(&portal_at(&portal_origin(), &closed, KEY).await, serde_json::json!({"instance": 7}), None).await;
    assert_eq!((status, answer["code"].as_str()), (502, Some("conduit_unreachable")), "{answer}");
    assert!(answer["message"].as_str().unwrap().starts_with("conduit did not answer"), "{answer}");
    t.cleanup().await;
}

#[tokio::test]
async fn demo_mode_seeds_the_portals_key_hashed_and_its_origin_once() {
    for t in common::stores().await {
        common::seeded(&t.store).await;
        let company = t.store.company_named(demo::COMPANY).await.unwrap().unwrap();
        t.store.replace_embed_origins(company, &["https://portal.example".to_owned()]).await.unwrap();
        let seed = PortalSeed::parse(Some(KEY), Some("http://localhost:3001")).unwrap();
        let id = seed_portal(&t.store, &seed).await.unwrap().unwrap();
        assert_eq!(seed_portal(&t.store, &seed).await.unwrap(), Some(id), "{}: the same secret keeps its key", t.name);
        assert_eq!(t.store.embed_origins(company).await.unwrap(), ["https://portal.example", "http://localhost:3001"]);
        let keys = t.store.api_keys(company).await.unwrap();
        assert_eq!(keys.iter().map(|k| (k.id, k.name.as_str(), k.prefix.as_str())).collect::<Vec<_>>(), [(id, KEY_NAME, &KEY[..10])]);
        assert_eq!(t.store.api_key_by_secret(KEY).await.unwrap().map(|o| o.company_id), Some(company));
        let raw = t.raw().await;
        let stored: Vec<String> = sqlx::query("SELECT secret_hash FROM api_keys").fetch_all(&raw).await.unwrap().iter().map(|r| r.get(0)).collect();
        assert!(stored.iter().all(|h| !h.contains(&KEY[3..])), "only the hash is stored");

        // The next run chose another secret: the old key stops working.
        let next = PortalSeed::parse(Some(OTHER_KEY), None).unwrap();
        let new_id = seed_portal(&t.store, &next).await.unwrap().unwrap();
        assert_ne!(new_id, id);
        assert_eq!(t.store.api_key_by_secret(KEY).await.unwrap(), None);
        assert_eq!(t.store.api_keys(company).await.unwrap().iter().map(|k| k.id).collect::<Vec<_>>(), [new_id]);
        // Nothing to seed: nothing changes.
        assert_eq!(seed_portal(&t.store, &PortalSeed::default()).await.unwrap(), None);
        assert_eq!(t.store.embed_origins(company).await.unwrap().len(), 2);
        raw.close().await;
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_portals_default_instances_are_the_demos_sandbox_instances() {
    for t in common::stores().await {
        common::seeded(&t.store).await;
        let company = t.store.company_named(demo::COMPANY).await.unwrap().unwrap();
        let list = t.store.connector_list(company).await.unwrap();
        let name = |id| list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.id == id).map(|i| i.name.clone());
        let names: Vec<_> = portal::DEFAULT_INSTANCES.iter().map(|id| name(*id)).collect();
        assert_eq!(names, [Some("Warehouse API".to_owned()), Some("Sandbox - bearer token".to_owned())], "{}", t.name);
        t.cleanup().await;
    }
}
