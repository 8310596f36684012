//! The JSON API under `/api`. Each module owns the routes of one resource.

use axum::Router;

use crate::error::AppError;
use crate::AppState;

mod authorise;
mod certificates;
mod connectors;
mod instances;
mod session;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(certificates::router())
        .merge(connectors::router())
        .merge(instances::router())
        .merge(authorise::router())
        .fallback(|| async { AppError::NotFound("There is no such API endpoint.".to_owned()) })
}

/// Text for an HTML page, with the characters that mean something there escaped.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
