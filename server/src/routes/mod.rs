//! The JSON API under `/api`. Each module owns the routes of one resource;
//! they translate HTTP to calls of the application layer (`crate::instances`)
//! and back.

use axum::Router;

use crate::error::AppError;
use crate::origin::refuse_marked_requests;
use crate::AppState;

mod authorise;
mod certificates;
mod connectors;
mod current_user;
mod developer;
mod embed;
mod events;
mod html;
mod instance_call;
mod instances;
mod new_instances;
mod process_flows;
mod session;

pub(crate) use html::escape;

pub fn router() -> Router<AppState> {
    // Only the instance, authorisation and certificate routes may act for
    // an embed session; every other route refuses a change the Origin guard
    // handed on marked.
    let never_embedded = Router::new()
        .merge(session::router())
        .merge(connectors::router())
        .merge(developer::router())
        .merge(embed::router())
        .merge(process_flows::router())
        .route_layer(axum::middleware::from_fn(refuse_marked_requests));
    Router::new()
        .merge(never_embedded)
        .merge(instances::router())
        .merge(new_instances::router())
        .merge(events::router())
        .merge(authorise::router())
        .merge(certificates::router())
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".to_owned()) })
}
