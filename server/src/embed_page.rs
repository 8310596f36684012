//! The page a host portal frames, `/embed/{company}/…`: the dashboard's
//! page, whose `frame-ancestors` is exactly the company's allowed origins
//! (`'none'` when it allows none, or there is no such company), so a page on
//! any other origin cannot frame it. What the page shows is the dashboard's.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use conduit_types::Id;

use crate::error::AppError;
use crate::index_page::IndexPage;
use crate::web_headers::WebHeaders;
use crate::AppState;

/// The `frame-ancestors` sources for a company's allowed origins.
pub fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "'none'".to_owned()
    } else {
        origins.join(" ")
    }
}

/// `GET /embed/{company}/…`: the dashboard's `index.html`, framed only by
/// the company's allowed origins.
pub async fn page(
    State(state): State<AppState>,
    Extension(web): Extension<Arc<WebHeaders>>,
    Extension(index): Extension<Arc<IndexPage>>,
    Path((company, _rest)): Path<(Id, String)>,
    request: Request,
) -> Response {
    let origins = match state.store.embed_origins(company).await {
        Ok(origins) => origins,
        Err(e) => return AppError::Internal(e).into_response(),
    };
    let policy = web.policy_framed_by(&frame_ancestors(&origins));
    let mut response = index.serve(request).await;
    if let Ok(value) = HeaderValue::try_from(policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_allowed_origins_may_frame_and_none_when_there_are_none() {
        assert_eq!(frame_ancestors(&[]), "'none'");
        let origins = ["https://portal.example".to_owned(), "http://localhost:4000".to_owned()];
        assert_eq!(frame_ancestors(&origins), "https://portal.example http://localhost:4000");
    }
}
