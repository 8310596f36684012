//! `GET /api/connectors` at scale: thousands of demo instances (seeded as
//! `--demo-instances` seeds them) paged in a stable order, searched and
//! filtered in the database, each company seeing only its own; on SQLite
//! and, with `TEST_DATABASE_URL`, PostgreSQL.

mod common;
#[path = "common/world.rs"]
mod world;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use axum::Router;
use conduit_server::store::{NewInstance, Secrets, Store};
use conduit_server::{app, demo};
use conduit_types::{ConnectorList, ConnectorSummary, Id, InstanceDetails, InstanceStatus, InstanceSummary};
use world::{call, loopback_state, sign_in};

/// Extra demo instances seeded, as `--demo-instances 2000` would.
const EXTRA: u32 = 2000;

struct Fixture {
    store: Store,
    app: Router,
    ada: String,
    hank: String,
    /// Every instance of the demo company by connector slug, as the store
    /// lists them without paging.
    everything: BTreeMap<String, Vec<InstanceSummary>>,
}

/// Names that differ only in case: the same search key, so only the id
/// orders them.
const TWINS: [&str; 6] = ["Twin shop", "TWIN SHOP", "twin shop", "Twin Shop", "tWIN sHOP", "twin SHOP"];

async fn fixture(store: &Store) -> Fixture {
    assert!(demo::seed_if_empty_with(store, common::SANDBOX, EXTRA).await.unwrap());
    let other = common::seed_other_company(store).await;
    let app = app(loopback_state(store.clone()));
    let (ada, me) = sign_in(&app, demo::EMAIL, demo::PASSWORD).await;
    let (hank, _) = sign_in(&app, other.email, other.password).await;
    let company = me.company.id;
    let full = store.connector_list(company).await.unwrap();
    let shopify = full.connectors.iter().find(|c| c.slug == "shopify").unwrap();
    let template = store.instance_settings(company, shopify.instances[0].id).await.unwrap().unwrap();
    for _round in 0..4 {
        for name in TWINS {
            let new = NewInstance {
                connector_id: shopify.id,
                details: InstanceDetails { name: name.into(), ..template.details.clone() },
                auth_method: template.authentication.method.clone(),
                auth_fields: BTreeMap::new(),
                secrets: Secrets::from_pairs([("access_token", "twin-token")]),
                status: InstanceStatus::NotTested,
                last_tested_at: None,
            };
            store.create_instance(company, &new).await.unwrap();
        }
    }
    let everything = store
        .connector_list(company)
        .await
        .unwrap()
        .connectors
        .into_iter()
        .map(|c| (c.slug, c.instances))
        .collect();
    Fixture { store: store.clone(), app, ada, hank, everything }
}

impl Fixture {
    async fn get(&self, cookie: &str, query: &str) -> (StatusCode, String) {
        let reply = call(&self.app, Method::GET, &format!("/api/connectors{query}"), cookie, None).await;
        (reply.status, reply.text())
    }

    async fn list(&self, cookie: &str, query: &str) -> ConnectorList {
        let (status, body) = self.get(cookie, query).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Every page of one connector under `filter` (`&search=…` and the
    /// like), `limit` at a time, in the order they came.
    async fn walk(&self, slug: &str, filter: &str, limit: u32) -> (Vec<InstanceSummary>, Vec<ConnectorSummary>) {
        let mut pages = Vec::new();
        let mut rows = Vec::new();
        let mut after = String::new();
        loop {
            let list = self.list(&self.ada, &format!("?connector={slug}&limit={limit}{filter}{after}")).await;
            let Some(card) = list.connectors.into_iter().next() else { break };
            assert!(card.instances.len() <= limit as usize);
            rows.extend(card.instances.iter().cloned());
            let next = card.next.clone();
            pages.push(card);
            match next {
                Some(cursor) => after = format!("&after={}", encode(&cursor)),
                None => break,
            }
        }
        (rows, pages)
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The list's order, worked out here from the rule: lower-case name, then id.
fn in_list_order(mut rows: Vec<InstanceSummary>) -> Vec<Id> {
    rows.sort_by(|a, b| (a.name.to_lowercase(), a.id).cmp(&(b.name.to_lowercase(), b.id)));
    rows.into_iter().map(|i| i.id).collect()
}

fn ids(rows: &[InstanceSummary]) -> Vec<Id> {
    rows.iter().map(|i| i.id).collect()
}

#[tokio::test]
async fn pages_cover_every_instance_once_in_a_stable_order_while_names_collide() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        let total: usize = f.everything.values().map(Vec::len).sum();
        assert!(total > EXTRA as usize, "{}", t.name);

        // The first screen: every connector, a default page of 25 each, with
        // how many there are in all.
        let first = f.list(&f.ada, "").await;
        assert_eq!(first.connectors.len(), f.everything.len(), "{}", t.name);
        for card in &first.connectors {
            let all = &f.everything[&card.slug];
            assert_eq!(card.instance_count as usize, all.len());
            assert_eq!(card.matching_count as usize, all.len());
            assert_eq!(card.instances.len(), all.len().min(25));
            assert_eq!(card.next.is_some(), all.len() > 25);
            assert_eq!(ids(&card.instances), in_list_order(all.clone())[..card.instances.len()]);
        }

        // Walking a connector page by page sees each instance once, in order;
        // the 24 case twins straddle page boundaries of 7.
        for (slug, limit) in [("shopify", 7), ("shopify", 100), ("netsuite", 33)] {
            let (rows, pages) = f.walk(slug, "", limit).await;
            let walked = ids(&rows);
            assert_eq!(walked.iter().collect::<BTreeSet<_>>().len(), walked.len(), "{}: duplicates", t.name);
            assert_eq!(walked, in_list_order(f.everything[slug].clone()), "{} {slug} by {limit}", t.name);
            assert!(pages.len() > 1);
        }
        let (twins, _) = f.walk("shopify", "&search=twin", 5).await;
        assert_eq!(twins.len(), TWINS.len() * 4);
        let twin_ids = ids(&twins);
        assert!(twin_ids.windows(2).all(|w| w[0] < w[1]), "{}: equal keys are ordered by id", t.name);

        // The same walk again gives the same pages.
        assert_eq!(ids(&f.walk("shopify", "", 7).await.0), ids(&f.walk("shopify", "", 7).await.0));
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_search_keeps_matching_instances_or_a_matching_connector_whole() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        // An instance name: only the matching instances, counted.
        let list = f.list(&f.ada, "?search=%20%2300042").await;
        let found: Vec<(&str, Vec<&str>)> =
            list.connectors.iter().map(|c| (c.slug.as_str(), c.instances.iter().map(|i| i.name.as_str()).collect())).collect();
        assert_eq!(found.len(), 1, "{}: {found:?}", t.name);
        assert_eq!(found[0].1.len(), 1);
        assert!(found[0].1[0].ends_with("#00042"));
        assert_eq!(list.connectors[0].matching_count, 1);

        // Case is ignored; the counts say how many match of how many.
        let list = f.list(&f.ada, "?search=UK").await;
        for card in &list.connectors {
            let all = &f.everything[&card.slug];
            let expected: Vec<_> = all.iter().filter(|i| i.name.to_lowercase().contains("uk")).cloned().collect();
            assert!(!expected.is_empty());
            assert_eq!(card.matching_count as usize, expected.len(), "{} {}", t.name, card.slug);
            assert_eq!(card.instance_count as usize, all.len());
            assert_eq!(ids(&card.instances), in_list_order(expected)[..card.instances.len().min(25)]);
        }
        let (rows, _) = f.walk("shopify", "&search=uk", 40).await;
        assert!(rows.iter().all(|i| i.name.to_lowercase().contains("uk")));

        // A connector's name keeps all of its instances.
        let list = f.list(&f.ada, "?search=netsuite").await;
        let netsuite = list.connectors.iter().find(|c| c.slug == "netsuite").unwrap();
        assert_eq!(netsuite.matching_count as usize, f.everything["netsuite"].len());

        // Wildcards are only themselves; nothing matching leaves no card.
        assert!(f.list(&f.ada, "?search=%25").await.connectors.is_empty(), "{}", t.name);
        assert!(f.list(&f.ada, "?search=_").await.connectors.is_empty());
        assert!(f.list(&f.ada, "?search=no+such+instance").await.connectors.is_empty());
        // Surrounding spaces are ignored, an empty search keeps everything.
        assert_eq!(f.list(&f.ada, "?search=%20%20").await.connectors.len(), f.everything.len());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_renamed_instance_is_found_by_its_new_name() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        let id = f.everything["shopify"][3].id;
        let pool = t.raw().await;
        // Written behind the store's back (as by an older version): the key
        // is brought up to date when the store opens.
        sqlx::query("UPDATE instances SET name = 'Ünïcode Spätzle', search_name = NULL WHERE id = $1")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let reopened = Store::connect(&t.url, &t.key).await.unwrap();
        let app = app(loopback_state(reopened.clone()));
        let reply = call(&app, Method::GET, "/api/connectors?search=%C3%BCn%C3%AFcode%20SP%C3%84TZLE", &f.ada, None).await;
        let list: ConnectorList = reply.json();
        assert_eq!(ids(&list.connectors[0].instances), [id], "{}", t.name);
        reopened.close().await;
        drop(f);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn status_and_connector_filters_narrow_the_list() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        let pool = t.raw().await;
        let failing: Vec<Id> = f.everything["shopify"].iter().step_by(50).map(|i| i.id).chain([f.everything["netsuite"][1].id]).collect();
        for id in &failing {
            sqlx::query("UPDATE instances SET status = 'failed_authentication' WHERE id = $1").bind(*id).execute(&pool).await.unwrap();
        }
        pool.close().await;

        let list = f.list(&f.ada, "?status=failed_authentication&limit=100").await;
        let mut shown: Vec<Id> = list.connectors.iter().flat_map(|c| ids(&c.instances)).collect();
        shown.sort();
        let mut expected = failing.clone();
        expected.sort();
        assert_eq!(shown, expected, "{}", t.name);
        assert!(list.connectors.iter().all(|c| c.instances.iter().all(|i| i.status == InstanceStatus::FailedAuthentication)));
        assert_eq!(list.connectors.len(), 2);

        // With a connector: that connector's card only.
        let list = f.list(&f.ada, "?status=failed_authentication&connector=netsuite").await;
        assert_eq!(list.connectors.len(), 1);
        assert_eq!(ids(&list.connectors[0].instances), [f.everything["netsuite"][1].id]);
        assert_eq!(list.connectors[0].matching_count, 1);

        // A connector alone keeps its card, whatever it holds.
        let list = f.list(&f.ada, "?connector=shopify").await;
        assert_eq!(list.connectors.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(), ["shopify"]);
        assert!(f.list(&f.ada, "?connector=no-such-connector").await.connectors.is_empty());
        // A status nobody has: nothing.
        assert!(f.list(&f.ada, "?status=certificate_expired").await.connectors.is_empty(), "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_bad_page_size_status_or_cursor_is_a_400_with_a_sentence() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        for bad in ["?limit=0", "?limit=101", "?limit=lots", "?limit=-5"] {
            let (status, body) = f.get(&f.ada, bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert!(body.contains("The page size (limit) must be a whole number from 1 to 100."), "{body}");
        }
        let (status, body) = f.get(&f.ada, "?status=%3Cscript%3E").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("The status filter must be one of") && !body.contains("script"), "{body}");
        let (status, body) = f.get(&f.ada, "?after=3:x").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("belongs to one connector"));
        let (status, body) = f.get(&f.ada, "?connector=shopify&after=garbage").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("is not one this list gave out") && !body.contains("garbage"), "{body}");
        // The largest page is allowed and kept to.
        let list = f.list(&f.ada, "?limit=100").await;
        assert!(list.connectors.iter().all(|c| c.instances.len() <= 100));
        assert!(list.connectors.iter().any(|c| c.instances.len() == 100));
        // Signed out: no list at all.
        let (status, _) = f.get("", "").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn each_company_pages_and_searches_only_its_own_instances() {
    for t in common::stores().await {
        let f = fixture(&t.store).await;
        let theirs = f.list(&f.hank, "").await;
        let names: Vec<&str> = theirs.connectors.iter().flat_map(|c| c.instances.iter().map(|i| i.name.as_str())).collect();
        assert_eq!(names, ["Globex Shopify"], "{}", t.name);
        let shopify = theirs.connectors.iter().find(|c| c.slug == "shopify").unwrap();
        assert_eq!((shopify.instance_count, shopify.next.clone()), (1, None));
        // Neither side's search finds the other's instances.
        assert!(f.list(&f.ada, "?search=globex").await.connectors.is_empty());
        assert!(f.list(&f.hank, "?search=%2300001").await.connectors.is_empty());
        // Ada's cursor in Hank's hands continues only through Hank's rows.
        let ada_page = f.list(&f.ada, "?connector=shopify&limit=2").await;
        let cursor = ada_page.connectors[0].next.clone().unwrap();
        let hanks = f.list(&f.hank, &format!("?connector=shopify&after={}", encode(&cursor))).await;
        assert!(hanks.connectors.iter().flat_map(|c| &c.instances).all(|i| i.name == "Globex Shopify"));
        drop(f.store);
        t.cleanup().await;
    }
}
