//! The sample partner portal's one error type and its JSON body, shaped like
//! conduit's (`{"code", "message"}`), so its page reads both the same way.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Why the portal could not answer a session.
#[derive(Debug)]
pub enum PortalError {
    /// The page asked for an instance the portal does not embed (404).
    NotListed,
    /// Another site's page asked (403).
    CrossSite,
    /// The body was not `{"instance": N}` (400).
    BadRequest,
    /// conduit did not answer (502).
    ConduitUnreachable,
}

impl PortalError {
    pub fn status_code_message(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            PortalError::NotListed => (StatusCode::NOT_FOUND, "not_found", "This portal does not embed that instance."),
            PortalError::CrossSite => (StatusCode::FORBIDDEN, "forbidden", "Only the portal's own pages can ask for a conduit session."),
            PortalError::BadRequest => (StatusCode::BAD_REQUEST, "bad_request", "Send {\"instance\": <id>} as JSON."),
            PortalError::ConduitUnreachable => (
                StatusCode::BAD_GATEWAY,
                "conduit_unreachable",
                "conduit did not answer, so no session could be started. Is it running at the address the portal was given?",
            ),
        }
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.status_code_message();
        (status, Json(serde_json::json!({ "code": code, "message": message }))).into_response()
    }
}
