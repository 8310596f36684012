//! The server's one error type. Every failure reaches the client as an
//! [`ErrorBody`] with a readable sentence; internal details are logged, never sent.

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use conduit_types::{ConflictInfo, ErrorBody, ErrorCode, FieldError, InstanceInUse, ProcessFlowRef};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("That email and password do not match an account.")]
    BadCredentials,
    /// A bearer credential (API key, embed secret or token) that is missing,
    /// unknown, used or expired (401), with one sentence for all of them.
    #[error("{0}")]
    BadBearer(String),
    #[error("{0}")]
    NotFound(String),
    #[error("Some fields need attention.")]
    Validation(Vec<FieldError>),
    /// The request was read but cannot be carried out as it is (422).
    #[error("{0}")]
    Refused(String),
    /// A change to the connection without a valid receipt of a passing test.
    #[error("{0}")]
    TestRequired(String),
    /// The request was made from a version that is no longer current.
    #[error("{message}")]
    Conflict { message: String, conflict: Option<ConflictInfo> },
    /// Process flows still use what the request would remove (409, an
    /// [`InstanceInUse`] body naming them).
    #[error("{message}")]
    InUse { message: String, flows: Vec<ProcessFlowRef> },
    #[error("{0}")]
    TooManyRequests(String),
    /// Too many attempts: try again after `retry_after_secs` (sent as
    /// `Retry-After`).
    #[error("{message}")]
    RetryLater { message: String, retry_after_secs: u64 },
    /// The request is not allowed from where it came (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("This address does not accept that kind of request.")]
    MethodNotAllowed,
    #[error("The request is too large.")]
    TooLarge,
    #[error("{0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn not_found(what: &str) -> AppError {
        AppError::NotFound(format!("There is no {what} with that id."))
    }

    fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::Unauthenticated | AppError::BadCredentials | AppError::BadBearer(_) => {
                (StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated)
            }
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::Validation(_) | AppError::Refused(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation)
            }
            AppError::TestRequired(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::TestRequired),
            AppError::Conflict { .. } => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::InUse { .. } => (StatusCode::CONFLICT, ErrorCode::InUse),
            AppError::TooManyRequests(_) | AppError::RetryLater { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests)
            }
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::BadRequest),
            AppError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BadRequest),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        // serde's own text can quote the submitted values (a password, say), so
        // it is never passed on.
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::TooLarge;
        }
        let message = match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "The request body must be JSON, sent with Content-Type: application/json."
            }
            JsonRejection::JsonSyntaxError(_) => "The request body is not valid JSON.",
            JsonRejection::JsonDataError(_) => {
                "The request body does not have the fields this request needs."
            }
            _ => "The request body could not be read.",
        };
        AppError::BadRequest(message.to_owned())
    }
}

impl From<PathRejection> for AppError {
    fn from(_: PathRejection) -> Self {
        AppError::BadRequest("The address names an id that is not valid.".to_owned())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let retry_after = match &self {
            AppError::RetryLater { retry_after_secs, .. } => Some(HeaderValue::from(*retry_after_secs)),
            _ => None,
        };
        if let AppError::InUse { message, flows } = self {
            return (status, Json(InstanceInUse { code, message, flows })).into_response();
        }
        let (message, fields, conflict) = match self {
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "request failed");
                (
                    "Something went wrong on our side. Please try again in a moment.".to_owned(),
                    vec![],
                    None,
                )
            }
            AppError::Validation(fields) => ("Some fields need attention.".to_owned(), fields, None),
            AppError::Conflict { message, conflict } => (message, vec![], conflict),
            other => (other.to_string(), vec![], None),
        };
        let mut response = (status, Json(ErrorBody { code, message, fields, conflict })).into_response();
        if let Some(value) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl AppError {
    /// The error body for an answer that was made without one (axum's own
    /// rejections, a method the route does not take): a sentence for the
    /// status, never the original text.
    fn for_status(status: StatusCode) -> AppError {
        match status {
            StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
            StatusCode::FORBIDDEN => AppError::Forbidden("This request is not allowed.".to_owned()),
            StatusCode::NOT_FOUND => AppError::NotFound("There is no such API endpoint.".to_owned()),
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::BadRequest(
                "The request body must be JSON, sent with Content-Type: application/json.".to_owned(),
            ),
            StatusCode::TOO_MANY_REQUESTS => {
                AppError::TooManyRequests("Too many requests. Try again in a moment.".to_owned())
            }
            s if s.is_server_error() => AppError::Internal(anyhow::anyhow!("an answer of {s} without a body")),
            _ => AppError::BadRequest("The request could not be read.".to_owned()),
        }
    }
}

/// Middleware over the API: an error answer without a body of its own or
/// with axum's plain text (405 from the router, a rejection of an extractor
/// used without our wrapper, a layer's own refusal) is replaced by the error
/// body for its status. Our JSON body and the pages made for browsers (the
/// OAuth callback's HTML) stay. The status and headers such as `Allow` and
/// `Retry-After` stay; the original text, which may quote the request, is
/// dropped.
pub async fn json_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let made_by_us = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| !v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || made_by_us {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let replacement = AppError::for_status(status).into_response();
    let (new_parts, body) = replacement.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    for (name, value) in &new_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

/// `axum::Json`, with its rejections turned into our error body.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Path`, with its rejections turned into our error body.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

pub type ApiResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::extract::{Form, Query};
    use axum::http::Request;
    use axum::routing::{get, post};
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Wanted {
        page: u32,
    }

    /// Routes using axum's own extractors, whose rejections are plain text
    /// that quotes the request.
    fn router() -> Router {
        Router::new()
            .route("/query", get(|Query(_): Query<Wanted>| async { "ok" }))
            .route("/form", post(|Form(_): Form<Wanted>| async { "ok" }))
            .route("/page", get(|| async { (StatusCode::BAD_REQUEST, axum::response::Html("<p>a page</p>")) }))
            .layer(axum::middleware::from_fn(json_errors))
    }

    async fn answer(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = router().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn axums_own_rejections_become_the_error_body_without_the_request_text() {
        let cases = [
            (Request::get("/query?page=echoed-value").body(Body::empty()).unwrap(), StatusCode::BAD_REQUEST),
            (
                Request::post("/form")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("page=echoed-value"))
                    .unwrap(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (Request::post("/form").body(Body::from("page=echoed-value")).unwrap(), StatusCode::UNSUPPORTED_MEDIA_TYPE),
            (Request::delete("/query?echoed-value").body(Body::empty()).unwrap(), StatusCode::METHOD_NOT_ALLOWED),
        ];
        for (request, expected) in cases {
            let (status, headers, text) = answer(request).await;
            assert_eq!(status, expected, "{text}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{text}");
            let body: ErrorBody = serde_json::from_str(&text).unwrap();
            assert!(!body.message.is_empty() && body.message.ends_with('.'), "{text}");
            assert!(!text.contains("echoed"), "{text}");
            if status == StatusCode::METHOD_NOT_ALLOWED {
                assert!(headers.contains_key(header::ALLOW));
            }
        }
        // A page made on purpose keeps its own body.
        let (status, headers, text) = answer(Request::get("/page").body(Body::empty()).unwrap()).await;
        assert_eq!((status, text.as_str()), (StatusCode::BAD_REQUEST, "<p>a page</p>"));
        assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    }

    #[test]
    fn retry_later_carries_the_retry_after_header() {
        let response = AppError::RetryLater { message: "Wait.".into(), retry_after_secs: 7 }.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    }
}
