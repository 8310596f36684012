//! Live events: what happens to a company's instances, told to its open
//! pages as it happens (`GET /api/events`, server-sent events).
//!
//! The store publishes each event from the one place it happens (a save, a
//! test and the status it found, a status change found by the health
//! checker, a deletion), after it is committed; `hub` hands it to the
//! company's open streams and keeps a short replay for reconnecting pages;
//! `stream` turns one subscription into the SSE answer's messages.

pub mod hub;
pub mod stream;

pub use hub::{EventHub, Published, Replay, StreamsFull, Subscription, REPLAY_LEN, STREAMS_PER_COMPANY};
