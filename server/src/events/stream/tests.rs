use conduit_types::{Id, InstanceEvent, InstanceEventKind, InstanceStatus, LiveMessage};

use super::*;
use crate::events::hub::EventHub;

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

#[tokio::test]
async fn a_live_stream_hears_only_its_company_and_nothing_twice() {
    let hub = EventHub::new();
    hub.publish(1, event(10));
    let seen = hub.subscribe(1, None, None).unwrap().latest.clone();
    hub.publish(1, event(11));
    let mut stream = LiveStream::new(hub.subscribe(1, None, Some(&seen)).unwrap(), 1, None);
    hub.publish(2, event(20));
    hub.publish(1, event(12));
    let mut heard = vec![];
    for _ in 0..3 {
        heard.push(stream.next().await.unwrap().1);
    }
    let ids: Vec<_> = heard
        .iter()
        .map(|m| match m {
            LiveMessage::Instance(e) => e.instance,
            LiveMessage::Ready => 0,
            LiveMessage::Refetch => -1,
        })
        .collect();
    assert_eq!(ids, vec![11, 0, 12]);
}


#[tokio::test]
async fn a_reader_that_falls_behind_is_told_to_refetch() {
    let hub = EventHub::new();
    let mut stream = LiveStream::new(hub.subscribe(1, None, None).unwrap(), 1, None);
    for i in 0..(crate::events::REPLAY_LEN as Id + 5) {
        hub.publish(1, event(i));
    }
    assert_eq!(stream.next().await.unwrap().1, LiveMessage::Ready);
    assert_eq!(stream.next().await.unwrap(), (None, LiveMessage::Refetch));
}

#[tokio::test]
async fn a_stream_ends_when_the_server_shuts_down() {
    let hub = EventHub::new();
    let mut stream = LiveStream::new(hub.subscribe(1, None, None).unwrap(), 1, None);
    assert_eq!(stream.next().await.unwrap().1, LiveMessage::Ready);
    hub.close();
    assert_eq!(stream.next().await, None);
    // A stream opened while closing ends at once too.
    let mut late = LiveStream::new(hub.subscribe(1, None, None).unwrap(), 1, None);
    late.next().await;
    assert_eq!(late.next().await, None);
}
