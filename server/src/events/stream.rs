//! One open stream's messages, in order: first what it missed (or
//! `refetch` when that is more than the hub remembers) and `ready`, then
//! the company's events as they are published — only its one instance's
//! for an embed session. A reader too slow to keep up is told to refetch.

use std::collections::VecDeque;

use conduit_types::{Id, LiveMessage};
use tokio::sync::broadcast::error::RecvError;

use super::hub::{Replay, Subscription};

/// A message with the id the page says it saw when it reconnects.
/// (`None`: the id stays what it was.)
pub type Message = (Option<String>, LiveMessage);

pub struct LiveStream {
    subscription: Subscription,
    company_id: Id,
    instance: Option<Id>,
    pending: VecDeque<Message>,
}

impl LiveStream {
    pub fn new(mut subscription: Subscription, company_id: Id, instance: Option<Id>) -> LiveStream {
        let mut pending = VecDeque::new();
        match std::mem::replace(&mut subscription.replay, Replay::Events(vec![])) {
            Replay::Events(missed) => {
                for published in missed {
                    pending.push_back((Some(subscription.id_of(&published)), LiveMessage::Instance(published.event.clone())));
                }
                pending.push_back((Some(subscription.latest.clone()), LiveMessage::Ready));
            }
            Replay::TooOld => pending.push_back((Some(subscription.latest.clone()), LiveMessage::Refetch)),
        }
        LiveStream { subscription, company_id, instance, pending }
    }

    /// The next message; `None` once the server is shutting down.
    pub async fn next(&mut self) -> Option<Message> {
        if let Some(message) = self.pending.pop_front() {
            return Some(message);
        }
        loop {
            let received = tokio::select! {
                received = self.subscription.live.recv() => received,
                _ = self.subscription.closing.wait_for(|closing| *closing) => return None,
            };
            match received {
                Ok(published) => {
                    let ours = published.company_id == self.company_id
                        && self.instance.is_none_or(|i| published.event.instance == i);
                    if ours {
                        return Some((Some(self.subscription.id_of(&published)), LiveMessage::Instance(published.event.clone())));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    // Events were dropped: the page loads afresh, and from
                    // here on hears what comes next.
                    return Some((None, LiveMessage::Refetch));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
