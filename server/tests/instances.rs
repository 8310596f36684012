//! Updating an instance end to end through the API: test a draft, save it
//! with the receipt of its passing test, read it back, its history; against a
//! local third-party API on 127.0.0.1, on every configured database.

mod common;
#[path = "common/world.rs"]
mod world;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use conduit_types::draft::{reenter_message, DraftField, HistoryEvent, InstanceDraft, InstanceHistory, TestDraftResponse};
use conduit_types::{AuthFieldValue, ErrorCode, InstanceSettings, InstanceStatus, TestOutcome};

use world::*;

// -- the tests -----------------------------------------------------------------------

#[tokio::test]
async fn a_draft_is_tested_then_saved_with_its_receipt_and_the_secret_never_comes_back() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let saved = w.settings(&w.ada, w.bearer).await;
        assert_eq!(saved.authentication.fields["token"], AuthFieldValue::Secret { is_set: true }, "{}", t.name);
        let mut bodies = vec![];

        // The stored token is refused: a test of the saved settings says so
        // and records it as the instance's status.
        let unchanged = InstanceDraft::from_settings(&saved);
        let reply = w.test(&w.ada, w.bearer, saved.version, &unchanged).await;
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::AuthRejected, "{}", t.name);
        assert_eq!(w.status(w.bearer).await.0, InstanceStatus::FailedAuthentication);
        bodies.push(reply.text());

        // A wrong new token: a failed result and no receipt.
        let mut draft = InstanceDraft::from_settings(&saved);
        replace(&mut draft, "token", WRONG_TOKEN);
        let reply = w.test(&w.ada, w.bearer, saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::OK);
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::AuthRejected);
        assert!(tested.receipt.is_none(), "a failed test has no receipt");
        bodies.push(reply.text());

        // The right one passes and comes with a receipt; nothing is saved yet.
        replace(&mut draft, "token", NEW_TOKEN);
        let reply = w.test(&w.ada, w.bearer, saved.version, &draft).await;
        let tested: TestDraftResponse = reply.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}", tested.result.message);
        let receipt = tested.receipt.unwrap();
        assert!(receipt.expires_at > w.store.clock().now() + 14 * 60);
        bodies.push(reply.text());
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, saved.version, "testing saves nothing");
        let stored = w.store.connection(w.company, w.bearer).await.unwrap().unwrap();
        assert_eq!(stored.secrets.get("token"), Some(OLD_TOKEN));

        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt.token)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        bodies.push(reply.text());
        let after: InstanceSettings = reply.json();
        assert_eq!(after.version, saved.version + 1);
        assert_eq!(after.status, InstanceStatus::Operational);
        assert_eq!(after.authentication.fields["token"], AuthFieldValue::Secret { is_set: true });
        let (status, tested_at) = w.status(w.bearer).await;
        assert_eq!(status, InstanceStatus::Operational);
        assert_eq!(tested_at, Some(receipt.expires_at - conduit_server::receipts::RECEIPT_SECONDS));

        let reply = call(&w.app, Method::GET, &format!("/api/instances/{}", w.bearer), &w.ada, None).await;
        assert_eq!(reply.json::<InstanceSettings>(), after);
        bodies.push(reply.text());
        let stored = w.store.connection(w.company, w.bearer).await.unwrap().unwrap();
        assert_eq!(stored.secrets.get("token"), Some(NEW_TOKEN), "the new token is stored");

        let history = w.history(&w.ada, w.bearer).await;
        bodies.push(history.text());
        for body in &bodies {
            assert_no_secret("a response", body);
        }
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_saved_token_is_used_at_once_by_whatever_connects_with_the_instance() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (saved, draft, receipt) = w.tested_new_token().await;
        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

        // What a process flow does: read the instance, connect with it.
        let connection = w.store.connection(w.company, w.bearer).await.unwrap().unwrap();
        let input = conduit_server::engine::TestInput::from_settings(&connection.settings, &connection.secrets.0);
        let run = w.state.engine.test(w.company, &input).await.unwrap();
        assert_eq!(run.result.outcome, TestOutcome::Ok, "{}: {}", t.name, run.result.message);
        let seen = w.api.seen();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen.iter().all(|a| a == &format!("Bearer {NEW_TOKEN}")), "only the new token: {seen:?}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn saving_a_connection_change_needs_a_valid_receipt_for_exactly_that_draft() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (saved, draft) = w.new_token_draft().await;
        let v = saved.version;

        let refused = |reply: Reply, message: &str| {
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
            let error = reply.error();
            assert_eq!(error.code, ErrorCode::TestRequired);
            assert_eq!(error.message, message);
        };
        refused(w.save(&w.ada, w.bearer, v, &draft, None).await, RECEIPT_MISSING);
        refused(w.save(&w.ada, w.bearer, v, &draft, Some("garbage")).await, RECEIPT_INVALID);

        let receipt = w.receipt(w.bearer, v, &draft).await;
        let (payload, mac) = receipt.split_once('.').unwrap();
        let first = if mac.starts_with('A') { "B" } else { "A" };
        let flipped = format!("{first}{}", &mac[1..]);
        refused(w.save(&w.ada, w.bearer, v, &draft, Some(&format!("{payload}.{flipped}"))).await, RECEIPT_INVALID);

        // The receipt of this draft does not cover another token, nor another instance.
        let mut other = draft.clone();
        replace(&mut other, "token", "another-token");
        refused(w.save(&w.ada, w.bearer, v, &other, Some(&receipt)).await, RECEIPT_OTHER_DRAFT);
        let cc = w.settings(&w.ada, w.client_credentials).await;
        let mut cc_draft = InstanceDraft::from_settings(&cc);
        replace(&mut cc_draft, "client_secret", "another-secret");
        refused(w.save(&w.ada, w.client_credentials, cc.version, &cc_draft, Some(&receipt)).await, RECEIPT_OTHER_DRAFT);
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, v, "nothing was saved");

        // Renaming after the test needs no second test.
        let mut renamed = draft.clone();
        renamed.details.name = "Orders API (EU)".into();
        let reply = w.save(&w.ada, w.bearer, v, &renamed, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let after: InstanceSettings = reply.json();
        assert_eq!((after.version, after.details.name.as_str()), (v + 1, "Orders API (EU)"));

        // The receipt was for the old version: it cannot be used again.
        let mut again = InstanceDraft::from_settings(&after);
        replace(&mut again, "token", NEW_TOKEN);
        refused(w.save(&w.ada, w.bearer, v + 1, &again, Some(&receipt)).await, RECEIPT_OTHER_DRAFT);

        // A details-only change needs no test and keeps the status.
        let mut details = InstanceDraft::from_settings(&after);
        details.details.time_zone = "Europe/London".into();
        details.details.connection_pool = Some("default".into());
        let reply = w.save(&w.grace, w.bearer, after.version, &details, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        let later: InstanceSettings = reply.json();
        assert_eq!(later.status, InstanceStatus::Operational);
        assert_eq!(later.details.connection_pool.as_deref(), Some("default"));
        assert_eq!(later.version, after.version + 1);

        // A pool the company does not have is refused.
        let mut bad_pool = InstanceDraft::from_settings(&later);
        bad_pool.details.connection_pool = Some("someone else's".into());
        let errors = field_errors(&w.save(&w.ada, w.bearer, later.version, &bad_pool, None).await);
        assert_eq!(errors[0].0, "connection_pool", "{}", t.name);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_receipt_expires_fifteen_minutes_after_its_test_by_the_servers_clock() {
    use conduit_server::clock::Clock;
    use conduit_server::receipts::RECEIPT_SECONDS;
    const RECEIPT_EXPIRED: &str = "The passing test is more than 15 minutes old. Test the connection again, then save.";
    for t in common::stores().await {
        let clock = Clock::manual(Clock::system().now());
        let store = t.store.clone().with_clock(clock.clone());
        let w = world(&store).await;
        let (saved, draft, receipt) = w.tested_new_token().await;

        clock.advance(RECEIPT_SECONDS);
        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        assert_eq!((reply.error().code, reply.error().message.as_str()), (ErrorCode::TestRequired, RECEIPT_EXPIRED));
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, saved.version, "nothing was saved");

        // A second earlier, by the same clock, the receipt was still good.
        let again = w.receipt(w.bearer, saved.version, &draft).await;
        clock.advance(RECEIPT_SECONDS - 1);
        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&again)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_draft_that_sends_a_kept_secret_elsewhere_is_refused_before_any_connection() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let elsewhere = third_party().await;
        let evil = format!("http://127.0.0.1:{}", elsewhere.port);

        // A new base URL with the stored token kept.
        let saved = w.settings(&w.ada, w.bearer).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.variables.insert("base_url".into(), format!("{evil}/api"));
        let expected = vec![("authentication.token".to_owned(), reenter_message("token"))];
        assert_eq!(field_errors(&w.test(&w.ada, w.bearer, saved.version, &draft).await), expected, "{}", t.name);
        assert_eq!(field_errors(&w.save(&w.ada, w.bearer, saved.version, &draft, None).await), expected);

        // A new token URL with the stored client secret kept.
        let cc = w.settings(&w.ada, w.client_credentials).await;
        let mut cc_draft = InstanceDraft::from_settings(&cc);
        cc_draft
            .authentication
            .fields
            .insert("token_url".into(), DraftField::Plain { value: format!("{evil}/oauth/token") });
        let expected = vec![("authentication.client_secret".to_owned(), reenter_message("client secret"))];
        assert_eq!(field_errors(&w.test(&w.ada, w.client_credentials, cc.version, &cc_draft).await), expected);
        assert_eq!(field_errors(&w.save(&w.ada, w.client_credentials, cc.version, &cc_draft, None).await), expected);

        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(elsewhere.connections(), 0, "nothing reached the other address");
        assert!(w.api.seen().is_empty());

        // Entering the secret again lets the test go ahead, to the new address.
        replace(&mut draft, "token", NEW_TOKEN);
        let reply = w.test(&w.ada, w.bearer, saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
        assert_eq!(elsewhere.connections(), 1);
        assert_eq!(elsewhere.seen(), [format!("Bearer {NEW_TOKEN}")], "only the value entered for it");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_stale_draft_is_refused_naming_who_saved_in_between() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let saved = w.settings(&w.ada, w.bearer).await;
        let mut graces = InstanceDraft::from_settings(&saved);
        graces.details.name = "Orders API - Grace".into();
        let before = w.store.clock().now();
        let reply = w.save(&w.grace, w.bearer, saved.version, &graces, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());

        let mut adas = InstanceDraft::from_settings(&saved);
        adas.details.name = "Orders API - Ada".into();
        for reply in [
            w.save(&w.ada, w.bearer, saved.version, &adas, None).await,
            w.test(&w.ada, w.bearer, saved.version, &adas).await,
        ] {
            assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {}", t.name, reply.text());
            let error = reply.error();
            assert_eq!(error.code, ErrorCode::Conflict);
            assert_eq!(
                error.message,
                "Grace Hopper saved this instance after you started editing. Reload to see their changes."
            );
            let conflict = error.conflict.unwrap();
            assert_eq!((conflict.saved_by.as_str(), conflict.version), ("Grace Hopper", saved.version + 1));
            assert!(!conflict.by_you);
            assert_eq!(conflict.changed, ["name"], "what Grace's save changed");
            assert!(conflict.saved_at >= before && conflict.saved_at <= w.store.clock().now());
        }
        assert!(w.api.seen().is_empty(), "a stale draft is not tested");
        assert_eq!(w.settings(&w.ada, w.bearer).await.details.name, "Orders API - Grace");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_draft_made_stale_by_the_users_own_saves_says_so_and_names_every_field_they_changed() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let saved = w.settings(&w.ada, w.bearer).await;
        // Two saves in another tab: a rename, then a new time zone.
        let mut renamed = InstanceDraft::from_settings(&saved);
        renamed.details.name = "Orders API - renamed".into();
        let after: InstanceSettings = w.save(&w.ada, w.bearer, saved.version, &renamed, None).await.json();
        let mut zoned = InstanceDraft::from_settings(&after);
        zoned.details.time_zone = "Europe/Paris".into();
        let reply = w.save(&w.ada, w.bearer, after.version, &zoned, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());

        // This tab's draft started from the first version.
        let mut stale = InstanceDraft::from_settings(&saved);
        stale.details.date_format = "Y-m-d".into();
        let reply = w.save(&w.ada, w.bearer, saved.version, &stale, None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text());
        let error = reply.error();
        assert!(error.message.starts_with("You saved this instance elsewhere"), "{}", error.message);
        let conflict = error.conflict.unwrap();
        assert!(conflict.by_you, "{}", t.name);
        assert_eq!(conflict.version, saved.version + 2);
        assert_eq!(conflict.changed, ["name", "time zone"]);

        // From the middle version only the later save counts.
        let reply = w.save(&w.ada, w.bearer, after.version, &stale, None).await;
        assert_eq!(reply.error().conflict.unwrap().changed, ["time zone"]);
        // And someone else is not told it was them.
        let reply = w.save(&w.grace, w.bearer, saved.version, &stale, None).await;
        assert!(!reply.error().conflict.unwrap().by_you);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_test_of_the_saved_connection_answers_and_records_the_status_a_changed_draft_does_not() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let read = |id| {
            let w = &w;
            async move { w.settings(&w.ada, id).await.status }
        };

        // The saved client credentials pass: the answer says the instance is
        // operational, and so do its settings and the list.
        let cc = w.settings(&w.ada, w.client_credentials).await;
        assert_eq!(cc.status, InstanceStatus::NotTested);
        let tested: TestDraftResponse =
            w.test(&w.ada, w.client_credentials, cc.version, &InstanceDraft::from_settings(&cc)).await.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok, "{}: {}", t.name, tested.result.message);
        assert_eq!(tested.status, Some(InstanceStatus::Operational));
        assert_eq!(read(w.client_credentials).await, InstanceStatus::Operational);
        assert_eq!(w.status(w.client_credentials).await.0, InstanceStatus::Operational);

        // A passing test of a changed draft says nothing about the saved one.
        let (saved, draft) = w.new_token_draft().await;
        let tested: TestDraftResponse = w.test(&w.ada, w.bearer, saved.version, &draft).await.json();
        assert_eq!(tested.result.outcome, TestOutcome::Ok);
        assert_eq!(tested.status, None);
        assert_eq!(read(w.bearer).await, InstanceStatus::NotTested);
        assert_eq!(w.status(w.bearer).await.0, InstanceStatus::NotTested);

        // The saved token is refused: that is the instance's status now.
        let tested: TestDraftResponse =
            w.test(&w.ada, w.bearer, saved.version, &InstanceDraft::from_settings(&saved)).await.json();
        assert_eq!(tested.status, Some(InstanceStatus::FailedAuthentication));
        assert_eq!(read(w.bearer).await, InstanceStatus::FailedAuthentication);
        assert_eq!(w.status(w.bearer).await.0, InstanceStatus::FailedAuthentication);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_saves_from_the_same_version_exactly_one_wins() {
    for t in common::stores().await {
        let w = Arc::new(world(&t.store).await);
        for round in 0..4 {
            let saved = w.settings(&w.ada, w.bearer).await;
            let saves: Vec<_> = [("ada", w.ada.clone()), ("grace", w.grace.clone())]
                .into_iter()
                .map(|(who, cookie)| {
                    let w = w.clone();
                    let mut draft = InstanceDraft::from_settings(&saved);
                    draft.details.name = format!("Orders API by {who} {round}");
                    tokio::spawn(async move {
                        let reply = w.save(&cookie, w.bearer, saved.version, &draft, None).await;
                        (reply.status, draft.details.name)
                    })
                })
                .collect();
            let mut results = vec![];
            for save in saves {
                results.push(save.await.unwrap());
            }
            let won: Vec<_> = results.iter().filter(|(s, _)| *s == StatusCode::OK).collect();
            let lost = results.iter().filter(|(s, _)| *s == StatusCode::CONFLICT).count();
            assert_eq!((won.len(), lost), (1, 1), "{}: {results:?}", t.name);
            let now = w.settings(&w.ada, w.bearer).await;
            assert_eq!(now.version, saved.version + 1);
            assert_eq!(now.details.name, won[0].1);
        }
        drop(w);
        t.cleanup().await;
    }
}


#[tokio::test]
async fn a_save_whose_history_cannot_be_written_stores_nothing() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let saved = w.settings(&w.ada, w.bearer).await;
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.details.name = "Renamed".into();
        replace(&mut draft, "token", NEW_TOKEN);
        let receipt = w.receipt(w.bearer, saved.version, &draft).await;

        break_history(&t).await;
        let reply = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await;
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{}: {}", t.name, reply.text());
        let error = reply.error();
        assert_eq!(error.code, ErrorCode::Internal);
        assert_eq!(error.message, "Something went wrong on our side. Please try again in a moment.");
        assert_no_secret("the error", &reply.text());

        let after = w.store.connection(w.company, w.bearer).await.unwrap().unwrap();
        // (The callback address is the API's to add, not stored.)
        assert_eq!(after.settings, InstanceSettings { oauth_callback_url: None, ..saved }, "{}: the instance is wholly as it was", t.name);
        assert_eq!(after.secrets.get("token"), Some(OLD_TOKEN));
        assert_eq!(w.status(w.bearer).await.0, InstanceStatus::NotTested);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_history_names_who_tested_and_saved_which_fields_and_no_values() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (saved, mut draft) = w.failed_then_new_token().await;
        draft.details.name = "Orders".into();
        let receipt = w.receipt(w.bearer, saved.version, &draft).await;
        let after: InstanceSettings = w.save(&w.ada, w.bearer, saved.version, &draft, Some(&receipt)).await.json();
        let mut details = InstanceDraft::from_settings(&after);
        details.details.date_format = "Y-m-d".into();
        assert_eq!(w.save(&w.grace, w.bearer, after.version, &details, None).await.status, StatusCode::OK);

        let reply = w.history(&w.ada, w.bearer).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_no_secret("the history", &reply.text());
        let history: InstanceHistory = reply.json();
        let entries: Vec<_> = history.entries.iter().map(|e| (e.user.as_str(), e.event.clone())).collect();
        let rejected = match &entries[3].1 {
            HistoryEvent::Tested { outcome, message } => (*outcome, message.clone()),
            other => panic!("{other:?}"),
        };
        assert_eq!(rejected.0, TestOutcome::AuthRejected, "{}", t.name);
        assert!(rejected.1.contains("refused the credentials"), "{}", rejected.1);
        assert_eq!(
            entries,
            [
                ("Grace Hopper", HistoryEvent::Saved { version: after.version + 1, changed: vec!["date format".into()] }),
                ("Ada Lovelace", HistoryEvent::Saved { version: after.version, changed: vec!["name".into(), "token".into()] }),
                ("Ada Lovelace", entries[2].1.clone()),
                ("Ada Lovelace", entries[3].1.clone()),
            ],
            "{}",
            t.name
        );
        assert!(matches!(entries[2].1, HistoryEvent::Tested { outcome: TestOutcome::Ok, .. }));
        assert!(history.entries.windows(2).all(|p| p[0].id > p[1].id && p[0].at >= p[1].at), "newest first");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn another_companys_instance_cannot_be_tested_saved_or_its_history_read() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let (saved, draft, receipt) = w.tested_new_token().await;
        let seen = w.api.seen().len();

        let hank = &w.hank;
        let pairs = [
            (w.test(hank, w.bearer, saved.version, &draft).await, w.test(hank, 987_654, saved.version, &draft).await),
            (
                w.save(hank, w.bearer, saved.version, &draft, Some(&receipt)).await,
                w.save(hank, 987_654, saved.version, &draft, Some(&receipt)).await,
            ),
            (w.history(hank, w.bearer).await, w.history(hank, 987_654).await),
            (
                w.test(&w.ada, w.other.instance_id, 1, &draft).await,
                w.test(&w.ada, 987_654, 1, &draft).await,
            ),
            (
                w.save(&w.ada, w.other.instance_id, 1, &draft, None).await,
                w.save(&w.ada, 987_654, 1, &draft, None).await,
            ),
            (w.history(&w.ada, w.other.instance_id).await, w.history(&w.ada, 987_654).await),
        ];
        for (foreign, unknown) in pairs {
            assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}: {}", t.name, foreign.text());
            assert_eq!(foreign.body, unknown.body, "a foreign id answers like an unknown one");
            assert_eq!(foreign.error().message, "There is no instance with that id.");
        }
        assert_eq!(w.api.seen().len(), seen, "nothing was tested for the other company");
        assert_eq!(w.settings(&w.ada, w.bearer).await.version, saved.version);
        let theirs = w.store.connection(w.other.company_id, w.other.instance_id).await.unwrap().unwrap();
        assert_eq!(theirs.settings.version, 1);
        assert!(w.history(&w.ada, w.bearer).await.json::<InstanceHistory>().entries.len() == 1);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn authorisation_code_instances_are_not_tested_and_their_connection_is_saved_only_when_authorised() {
    for t in common::stores().await {
        let w = world(&t.store).await;
        let list = w.store.connector_list(w.company).await.unwrap();
        let id = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == "Shopify - EU app").unwrap().id;
        let saved = w.settings(&w.ada, id).await;
        let draft = InstanceDraft::from_settings(&saved);

        let reply = w.test(&w.ada, id, saved.version, &draft).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        let error = reply.error();
        assert_eq!(error.code, ErrorCode::Validation);
        assert!(error.message.contains("authorising with the provider"), "{}", error.message);

        let mut secret = draft.clone();
        replace(&mut secret, "client_secret", "new-client-secret");
        let reply = w.save(&w.ada, id, saved.version, &secret, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = reply.error();
        assert_eq!((error.code, error.message.as_str()), (ErrorCode::TestRequired, "Authorise with the provider, then save."));

        let mut renamed = draft.clone();
        renamed.details.name = "Shopify - EU".into();
        let reply = w.save(&w.ada, id, saved.version, &renamed, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", t.name, reply.text());
        let after: InstanceSettings = reply.json();
        assert_eq!(after.authentication.fields["client_secret"], AuthFieldValue::Secret { is_set: true });
        t.cleanup().await;
    }
}

#[tokio::test]
async fn invalid_drafts_and_bodies_are_refused_with_sentences() {
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    let saved = w.settings(&w.ada, w.bearer).await;

    let mut draft = InstanceDraft::from_settings(&saved);
    draft.details.name = " ".into();
    draft.authentication.fields.insert("token".into(), DraftField::Clear);
    let errors = field_errors(&w.test(&w.ada, w.bearer, saved.version, &draft).await);
    let fields: Vec<_> = errors.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(fields, ["name", "authentication.token"]);

    let uri = format!("/api/instances/{}", w.bearer);
    let reply = call(&w.app, Method::PUT, &uri, &w.ada, Some("{\"base_version\": 1".into())).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error().message, "The request body is not valid JSON.");
    let body = serde_json::json!({"base_version": 1, "draft": {"details": 7}, "receipt": NEW_TOKEN}).to_string();
    let reply = call(&w.app, Method::PUT, &uri, &w.ada, Some(body)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(!reply.text().contains(NEW_TOKEN));

    let mut huge = InstanceDraft::from_settings(&saved);
    replace(&mut huge, "token", &"x".repeat(300_000));
    let body = serde_json::json!({"base_version": saved.version, "draft": huge}).to_string();
    let reply = call(&w.app, Method::POST, &format!("{uri}/test"), &w.ada, Some(body)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error().message, "The request is too large.");

    for (method, path) in [(Method::POST, format!("{uri}/test")), (Method::PUT, uri.clone()), (Method::GET, format!("{uri}/history"))] {
        let reply = call(&w.app, method, &path, "conduit_session=forged", Some("{}".into())).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
}


#[tokio::test]
async fn an_address_that_is_not_an_http_url_is_a_field_error_before_any_connection() {
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    let saved = w.settings(&w.ada, w.bearer).await;
    let mut draft = InstanceDraft::from_settings(&saved);
    draft.details.variables.insert("base_url".into(), "api.example.com/v1".into());
    replace(&mut draft, "token", NEW_TOKEN);
    let expected = vec![(
        "variables.base_url".to_owned(),
        "The base URL must start with http:// or https://, e.g. https://api.example.com.".to_owned(),
    )];
    for reply in [
        w.test(&w.ada, w.bearer, saved.version, &draft).await,
        w.save(&w.ada, w.bearer, saved.version, &draft, None).await,
    ] {
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        assert_eq!(field_errors(&reply), expected);
    }

    // A token URL is an address too; and a rate limit of 0 is refused at its field.
    let cc = w.settings(&w.ada, w.client_credentials).await;
    let mut cc_draft = InstanceDraft::from_settings(&cc);
    cc_draft.authentication.fields.insert("token_url".into(), DraftField::Plain { value: "https:///token".into() });
    replace(&mut cc_draft, "client_secret", NEW_TOKEN);
    cc_draft.details.rate_limit = Some(conduit_types::RateLimit { amount: 0, unit: conduit_types::RateLimitUnit::Minute });
    for reply in [
        w.test(&w.ada, w.client_credentials, cc.version, &cc_draft).await,
        w.save(&w.ada, w.client_credentials, cc.version, &cc_draft, None).await,
    ] {
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
        let fields: Vec<_> = field_errors(&reply).into_iter().map(|e| e.0).collect();
        assert_eq!(fields, ["rate_limit", "authentication.token_url"]);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(w.api.seen().is_empty(), "nothing was sent anywhere");
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_runs_a_bounded_number_of_tests_and_an_abandoned_test_stops() {
    let t = common::sqlite().await;
    let w = world(&t.store).await;
    let saved = w.settings(&w.ada, w.bearer).await;
    let mut slow = InstanceDraft::from_settings(&saved);
    slow.details.variables.insert("base_url".into(), format!("http://127.0.0.1:{}/slow", w.api.port));
    replace(&mut slow, "token", NEW_TOKEN);
    let mut fast = InstanceDraft::from_settings(&saved);
    replace(&mut fast, "token", NEW_TOKEN);

    // The real server on a socket, so a browser can go away mid-test.
    let (listener, addr) = conduit_server::bind(&w.state.config).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(conduit_server::serve(listener, w.state.clone(), async {
        let _ = stopped.await;
    }));
    let url = format!("http://{addr}/api/instances/{}/test", w.bearer);
    let client = reqwest::Client::new();
    let post = |draft: &InstanceDraft| {
        client
            .post(&url)
            .header("cookie", &w.ada)
            .json(&serde_json::json!({"base_version": saved.version, "draft": draft}))
            .send()
    };

    // Four slow tests fill the company's slots (the engine's default).
    let running: Vec<_> = (0..4).map(|_| tokio::spawn(post(&slow))).collect();
    for _ in 0..500 {
        if w.api.seen().len() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(w.api.seen().len(), 4, "the slow tests reached the third party");

    let busy = post(&fast).await.unwrap();
    assert_eq!(busy.status(), 429);
    let error: conduit_types::ErrorBody = busy.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::TooManyRequests);
    assert!(error.message.contains("several connection tests running"), "{}", error.message);

    // The browsers go away: their tests stop and free the slots, long
    // before the third party would have answered.
    for request in running {
        request.abort();
        let _ = request.await;
    }
    let mut freed = false;
    for _ in 0..100 {
        let reply = post(&fast).await.unwrap();
        if reply.status() == 200 {
            let tested: TestDraftResponse = reply.json().await.unwrap();
            assert_eq!(tested.result.outcome, TestOutcome::Ok);
            freed = true;
            break;
        }
        assert_eq!(reply.status(), 429);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(freed, "abandoned tests still hold the company's slots");

    stop.send(()).unwrap();
    let _ = tokio::time::timeout(Duration::from_secs(10), server).await;
}
