//! The JSON API under `/api`. Each module owns the routes of one resource;
//! they translate HTTP to calls of the application layer (`crate::instances`)
//! and back.

use axum::Router;

use crate::error::AppError;
use crate::AppState;

mod authorise;
mod certificates;
mod connectors;
mod current_user;
mod developer;
mod embed;
mod html;
mod instance_call;
mod instances;
mod session;

pub(crate) use html::escape;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(certificates::router())
        .merge(connectors::router())
        .merge(instances::router())
        .merge(authorise::router())
        .merge(developer::router())
        .merge(embed::router())
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".to_owned()) })
}
