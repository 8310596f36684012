use conduit_types::{InstanceEvent, InstanceEventKind, InstanceStatus};

use super::*;

fn event(instance: Id) -> InstanceEvent {
    InstanceEvent {
        instance,
        name: format!("instance {instance}"),
        kind: InstanceEventKind::Saved,
        status: Some(InstanceStatus::Operational),
        version: Some(2),
        actor: "Ada Lovelace".into(),
        by: Some(1),
        automatic: false,
        at: 1_800_000_000,
        changed: vec![],
    }
}

fn replayed(subscription: &Subscription) -> Vec<Id> {
    match &subscription.replay {
        Replay::Events(events) => events.iter().map(|p| p.event.instance).collect(),
        Replay::TooOld => panic!("expected a replay"),
    }
}

#[test]
fn a_reconnect_gets_exactly_the_company_events_after_the_id_it_saw() {
    let hub = EventHub::new();
    hub.publish(1, event(10));
    let first = hub.subscribe(1, None, None).unwrap();
    assert_eq!(replayed(&first), Vec::<Id>::new());
    let seen = first.latest.clone();
    drop(first);
    hub.publish(1, event(11));
    hub.publish(2, event(20));
    hub.publish(1, event(12));
    let again = hub.subscribe(1, None, Some(&seen)).unwrap();
    assert_eq!(replayed(&again), vec![11, 12]);
    let one_instance = hub.subscribe(1, Some(12), Some(&seen)).unwrap();
    assert_eq!(replayed(&one_instance), vec![12]);
}

#[test]
fn an_id_from_another_run_or_beyond_the_buffer_asks_for_a_refetch() {
    let hub = EventHub::new();
    let seen = hub.subscribe(1, None, None).unwrap().latest.clone();
    for i in 0..=REPLAY_LEN as Id {
        hub.publish(1, event(i));
    }
    assert_eq!(hub.subscribe(1, None, Some(&seen)).unwrap().replay, Replay::TooOld);
    let other_run = EventHub::new().subscribe(1, None, None).unwrap().latest.clone();
    assert_eq!(hub.subscribe(1, None, Some(&other_run)).unwrap().replay, Replay::TooOld);
    assert_eq!(hub.subscribe(1, None, Some("not an id")).unwrap().replay, Replay::TooOld);
    // The newest id is up to date, however many came before it.
    let newest = hub.subscribe(1, None, None).unwrap().latest.clone();
    assert_eq!(hub.subscribe(1, None, Some(&newest)).unwrap().replay, Replay::Events(vec![]));
}

#[test]
fn each_company_may_hold_only_so_many_streams_and_gets_them_back_when_closed() {
    let hub = EventHub::new();
    let open: Vec<_> = (0..STREAMS_PER_COMPANY).map(|_| hub.subscribe(1, None, None).unwrap()).collect();
    assert!(hub.subscribe(1, None, None).is_err());
    assert!(hub.subscribe(2, None, None).is_ok(), "another company has its own cap");
    drop(open);
    assert_eq!(hub.open_streams(1), 0);
    assert!(hub.subscribe(1, None, None).is_ok());
}
