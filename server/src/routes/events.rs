//! `GET /api/events`: the company's live events as server-sent events. A
//! signed-in user (session cookie) hears every instance of their company;
//! an embed session's bearer token only its own instance. Each message has
//! an `id:`; a reconnect that sends it back (`Last-Event-ID`) first gets
//! what it missed, or `refetch` when that is more than the server
//! remembers. Comments keep the connection alive; a stream ends after
//! [`STREAM_LIFETIME`] so the browser reconnects, and is authenticated
//! again (a signed-out session stops hearing).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use axum::Router;
use conduit_types::LiveMessage;
use futures_util::stream::{self, Stream};

use super::current_user::Principal;
use crate::error::AppError;
use crate::events::stream::LiveStream;
use crate::AppState;

/// How long one stream lasts before the browser is asked to reconnect.
pub const STREAM_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// How soon a browser reconnects after a stream ends.
const RETRY: Duration = Duration::from_secs(2);

const FULL: &str = "Too many pages of your company are following live updates. Close some, then reload this one.";

pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(events))
}

async fn events(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let (company_id, instance) = match &principal {
        Principal::User(user) => (user.company_id, None),
        Principal::Embed(grant) => {
            grant.reach(grant.instance_id)?;
            (grant.company_id, Some(grant.instance_id))
        }
    };
    let last_event_id = headers.get("last-event-id").and_then(|v| v.to_str().ok());
    let subscription = state
        .store
        .events()
        .subscribe(company_id, instance, last_event_id)
        .map_err(|_| AppError::TooManyRequests(FULL.to_owned()))?;
    let live = LiveStream::new(subscription, company_id, instance);
    let ends = tokio::time::Instant::now() + STREAM_LIFETIME;
    let messages = stream::unfold(live, move |mut live| async move {
        let (id, message) = tokio::time::timeout_at(ends, live.next()).await.ok()??;
        Some((Ok(sse_event(id, &message)), live))
    });
    Ok(Sse::new(messages).keep_alive(KeepAlive::default()))
}

fn sse_event(id: Option<String>, message: &LiveMessage) -> Event {
    let data = serde_json::to_string(message).unwrap_or_else(|_| "\"refetch\"".to_owned());
    let mut event = Event::default().data(data);
    if let Some(id) = id {
        event = event.id(id);
    }
    if !matches!(message, LiveMessage::Instance(_)) {
        event = event.retry(RETRY);
    }
    event
}
