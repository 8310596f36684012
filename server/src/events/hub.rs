//! The in-memory event hub: one broadcast channel for every company's
//! events (a stream keeps its own company's, or its one instance's), a
//! short replay buffer so a page that reconnects with `Last-Event-ID` misses
//! nothing recent, and a cap on each company's open streams.
//!
//! [`EventHub::publish`] is the only way in. A second server process could
//! feed this hub later by calling it with what it heard from the other
//! processes (e.g. PostgreSQL `LISTEN`/`NOTIFY` or a message bus); today
//! every event is published by the process it happened in.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use conduit_types::{Id, InstanceEvent};
use tokio::sync::{broadcast, watch};

/// How many recent events (of every company) a reconnecting page can catch up on.
pub const REPLAY_LEN: usize = 512;

/// How many streams one company may have open at once (every open page of
/// every user holds one).
pub const STREAMS_PER_COMPANY: usize = 50;

/// An event as the hub holds it: its number within this process's life, and whose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    pub seq: u64,
    pub company_id: Id,
    pub event: InstanceEvent,
}

/// What a subscriber missed since the event id it last saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replay {
    /// These events (perhaps none): nothing else was missed.
    Events(Vec<Arc<Published>>),
    /// More than the buffer holds, or an id from another server run: the
    /// page should load what it shows afresh.
    TooOld,
}

/// The company already has [`STREAMS_PER_COMPANY`] streams open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamsFull;

/// One open stream: what it missed, the live events after them, and its
/// place under the company's cap (given back when dropped).
pub struct Subscription {
    pub replay: Replay,
    pub live: broadcast::Receiver<Arc<Published>>,
    /// The id of the newest event at subscribing (what a page has seen once
    /// it has the replay).
    pub latest: String,
    /// Says `true` once the server is shutting down.
    pub closing: watch::Receiver<bool>,
    pub(super) epoch: Arc<str>,
    _permit: StreamPermit,
}

impl Subscription {
    /// The SSE id of a published event.
    pub fn id_of(&self, published: &Published) -> String {
        event_id(&self.epoch, published.seq)
    }
}

struct Ring {
    next_seq: u64,
    recent: VecDeque<Arc<Published>>,
}

/// The hub: cheap to clone, shared by the store (which publishes) and the
/// stream handler (which subscribes).
#[derive(Clone)]
pub struct EventHub {
    /// This server run, so that ids of an earlier run are recognised.
    epoch: Arc<str>,
    ring: Arc<Mutex<Ring>>,
    sender: broadcast::Sender<Arc<Published>>,
    streams: Arc<Mutex<HashMap<Id, usize>>>,
    closing: Arc<watch::Sender<bool>>,
}

impl std::fmt::Debug for EventHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventHub").field("epoch", &self.epoch).finish_non_exhaustive()
    }
}

impl Default for EventHub {
    fn default() -> Self {
        EventHub::new()
    }
}

fn event_id(epoch: &str, seq: u64) -> String {
    format!("{epoch}-{seq}")
}

impl EventHub {
    pub fn new() -> EventHub {
        let (sender, _) = broadcast::channel(REPLAY_LEN);
        EventHub {
            epoch: format!("{:x}", rand::random::<u32>()).into(),
            ring: Arc::new(Mutex::new(Ring { next_seq: 1, recent: VecDeque::with_capacity(REPLAY_LEN) })),
            sender,
            streams: Arc::default(),
            closing: Arc::new(watch::channel(false).0),
        }
    }

    /// The server is shutting down: every open stream ends, so that the
    /// requests in flight can finish.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Tells `company_id`'s open streams about `event`, and keeps it for
    /// reconnecting ones. Never fails: with no stream open it is only kept.
    pub fn publish(&self, company_id: Id, event: InstanceEvent) {
        let mut ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let published = Arc::new(Published { seq: ring.next_seq, company_id, event });
        ring.next_seq += 1;
        if ring.recent.len() == REPLAY_LEN {
            ring.recent.pop_front();
        }
        ring.recent.push_back(published.clone());
        // Sent under the lock, so a subscriber sees each event exactly once:
        // in its replay or live, never both, never neither.
        let _ = self.sender.send(published);
    }

    /// Opens a stream for `company_id` (only `instance`'s events when
    /// given), catching up from `last_event_id` when the page had one.
    pub fn subscribe(
        &self,
        company_id: Id,
        instance: Option<Id>,
        last_event_id: Option<&str>,
    ) -> Result<Subscription, StreamsFull> {
        let permit = StreamPermit::take(&self.streams, company_id)?;
        let ring = self.ring.lock().unwrap_or_else(|e| e.into_inner());
        let live = self.sender.subscribe();
        let newest = ring.next_seq - 1;
        let replay = match last_event_id {
            None => Replay::Events(vec![]),
            Some(id) => match self.seen_seq(id) {
                Some(seen) if seen == newest => Replay::Events(vec![]),
                Some(seen) if seen < newest && ring.recent.front().is_some_and(|first| first.seq <= seen + 1) => {
                    Replay::Events(
                        ring.recent
                            .iter()
                            .filter(|p| p.seq > seen && p.company_id == company_id)
                            .filter(|p| instance.is_none_or(|i| p.event.instance == i))
                            .cloned()
                            .collect(),
                    )
                }
                _ => Replay::TooOld,
            },
        };
        Ok(Subscription {
            replay,
            live,
            latest: event_id(&self.epoch, newest),
            closing: self.closing.subscribe(),
            epoch: self.epoch.clone(),
            _permit: permit,
        })
    }

    /// The number in an id this run gave out.
    fn seen_seq(&self, id: &str) -> Option<u64> {
        let (epoch, seq) = id.trim().rsplit_once('-')?;
        (epoch == &*self.epoch).then(|| seq.parse().ok()).flatten()
    }

    /// How many streams `company_id` has open.
    pub fn open_streams(&self, company_id: Id) -> usize {
        self.streams.lock().unwrap_or_else(|e| e.into_inner()).get(&company_id).copied().unwrap_or(0)
    }
}

/// A place under a company's stream cap, held while its stream is open.
struct StreamPermit {
    streams: Arc<Mutex<HashMap<Id, usize>>>,
    company_id: Id,
}

impl StreamPermit {
    fn take(streams: &Arc<Mutex<HashMap<Id, usize>>>, company_id: Id) -> Result<StreamPermit, StreamsFull> {
        let mut open = streams.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(company_id).or_default();
        if *count >= STREAMS_PER_COMPANY {
            return Err(StreamsFull);
        }
        *count += 1;
        Ok(StreamPermit { streams: streams.clone(), company_id })
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.company_id) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.company_id);
            }
        }
    }
}

#[cfg(test)]
mod tests;
