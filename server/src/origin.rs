//! Requests that change something must come from conduit's own pages.
//!
//! A browser says where a request comes from: `Sec-Fetch-Site` (modern
//! browsers, which scripts cannot set) and `Origin` (on every cross-origin
//! request and on same-origin POST/PUT/PATCH/DELETE). The rules, for every
//! method but GET, HEAD and OPTIONS:
//!
//! 1. An `Origin` in the allowed list (the public URL, plus configured
//!    origins such as an embedding portal) is accepted.
//! 2. `Sec-Fetch-Site: same-origin` or `none` (the user's own action) is
//!    accepted; `same-site` and `cross-site` are refused.
//! 3. Without `Sec-Fetch-Site`, an `Origin` whose host and port are the
//!    request's `Host` is accepted (so it works behind a proxy that passes
//!    `Host` on); any other `Origin`, `null` included, is refused.
//! 4. A request with neither header is not from a browser page (curl,
//!    scripts, the tests) and is accepted: the session cookie alone cannot be
//!    sent by another site without a browser adding one of them.
//! 5. A request refused by these rules that carries `Authorization: Bearer`
//!    and an `Origin` is handed on marked [`BearerOrigin`]: only an embed
//!    session's token whose session is bound to exactly that origin
//!    accepts it; everything else (a cookie, an API key) refuses it with
//!    the same answer as the guard ([`refuse_marked`]).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::bearer::bearer;
use crate::error::AppError;

pub const REFUSED: &str =
    "This request came from another site, so it was refused. Open conduit at its own address and try again.";

/// The origins allowed to make changes, besides the request's own host.
#[derive(Clone, Debug, Default)]
pub struct OriginPolicy {
    allowed: Vec<String>,
}

impl OriginPolicy {
    /// `origins` are `scheme://host[:port]`, as browsers send them.
    pub fn new<'a>(origins: impl IntoIterator<Item = &'a str>) -> OriginPolicy {
        OriginPolicy {
            allowed: origins
                .into_iter()
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .filter(|o| !o.is_empty())
                .collect(),
        }
    }

    /// Whether a request may go ahead.
    pub fn allows(&self, method: &Method, uri: &Uri, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        let origin = text(headers, header::ORIGIN);
        if origin.is_some_and(|o| self.allowed.iter().any(|a| a.eq_ignore_ascii_case(o))) {
            return true;
        }
        if let Some(site) = text(headers, SEC_FETCH_SITE) {
            return matches!(site, "same-origin" | "none");
        }
        let Some(origin) = origin else {
            return true;
        };
        let Some(origin_host) = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) else {
            return false;
        };
        let host = text(headers, header::HOST).or_else(|| uri.authority().map(|a| a.as_str()));
        host.is_some_and(|h| h.eq_ignore_ascii_case(origin_host))
    }
}

const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// The `Origin` of a bearer request the rules alone would refuse: the
/// embed session it is made with must be bound to exactly this origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BearerOrigin(pub String);

/// The mark a refused request gets instead of the refusal, when it has one.
pub fn bearer_origin(headers: &HeaderMap) -> Option<BearerOrigin> {
    bearer(headers)?;
    text(headers, header::ORIGIN).map(|o| BearerOrigin(o.to_owned()))
}

/// Whether a marked request is from `session_origin` (normalised).
pub fn from_origin(mark: &BearerOrigin, session_origin: &str) -> bool {
    conduit_types::address::origin(&mark.0).is_ok_and(|o| o == session_origin)
}

/// The guard's refusal, for a marked request that nothing accepts.
pub fn refuse_marked(extensions: &axum::http::Extensions) -> Result<(), AppError> {
    match extensions.get::<BearerOrigin>() {
        Some(_) => Err(AppError::Forbidden(REFUSED.to_owned())),
        None => Ok(()),
    }
}

/// [`refuse_marked`] as a route layer, for the routes that never act for
/// an embed session: a marked request gets the guard's answer before any
/// handler runs, so only the routes that check the session's origin
/// (through `Principal`) can ever accept one.
pub async fn refuse_marked_requests(request: Request, next: Next) -> Response {
    match refuse_marked(request.extensions()) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.into_response(),
    }
}

/// A header's text; one that is not text matches nothing.
fn text(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).map(|v| v.to_str().unwrap_or("\u{0}"))
}

/// The middleware: a refused request answers 403 with the error body and
/// never reaches a handler.
pub async fn guard(State(policy): State<Arc<OriginPolicy>>, mut request: Request, next: Next) -> Response {
    if policy.allows(request.method(), request.uri(), request.headers()) {
        next.run(request).await
    } else if let Some(mark) = bearer_origin(request.headers()) {
        request.extensions_mut().insert(mark);
        next.run(request).await
    } else {
        let path = match request.extensions().get::<axum::extract::OriginalUri>() {
            Some(original) => original.path().to_owned(),
            None => request.uri().path().to_owned(),
        };
        tracing::info!(method = %request.method(), path, "refused a request from another site");
        AppError::Forbidden(REFUSED.to_owned()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn policy() -> OriginPolicy {
        OriginPolicy::new(["https://conduit.example.com/", "https://portal.example.net"])
    }

    fn allows(method: Method, pairs: &[(&'static str, &str)]) -> bool {
        policy().allows(&method, &Uri::from_static("/api/session"), &headers(pairs))
    }

    const HOST: (&str, &str) = ("host", "127.0.0.1:3000");

    #[test]
    fn safe_methods_are_never_refused() {
        for method in [Method::GET, Method::HEAD, Method::OPTIONS] {
            assert!(allows(method, &[HOST, ("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")]));
        }
    }

    #[test]
    fn another_sites_changes_are_refused() {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::from_bytes(b"PURGE").unwrap()] {
            assert!(!allows(method.clone(), &[HOST, ("origin", "https://evil.example")]), "{method}");
            assert!(!allows(method.clone(), &[HOST, ("sec-fetch-site", "cross-site")]), "{method}");
            assert!(!allows(method.clone(), &[HOST, ("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "cross-site")]));
        }
        assert!(!allows(Method::POST, &[HOST, ("sec-fetch-site", "same-site")]), "a sibling subdomain is another site");
        assert!(!allows(Method::POST, &[HOST, ("origin", "null")]));
        assert!(!allows(Method::POST, &[HOST, ("origin", "http://127.0.0.1:3000.evil.example")]));
        assert!(!allows(Method::POST, &[HOST, ("origin", "ftp://127.0.0.1:3000")]));
        assert!(!allows(Method::POST, &[("origin", "http://127.0.0.1:3000")]), "no host to compare with");
    }

    #[test]
    fn the_servers_own_pages_and_non_browsers_are_accepted() {
        assert!(allows(Method::POST, &[HOST, ("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "same-origin")]));
        assert!(allows(Method::POST, &[HOST, ("origin", "http://127.0.0.1:3000")]), "older browsers: Origin is Host");
        assert!(allows(Method::POST, &[("host", "Conduit.Example.com"), ("origin", "https://conduit.example.com")]));
        assert!(allows(Method::DELETE, &[HOST, ("sec-fetch-site", "same-origin")]));
        assert!(allows(Method::POST, &[HOST, ("sec-fetch-site", "none")]));
        assert!(allows(Method::POST, &[HOST]), "curl and scripts send neither");
        // A dev proxy (trunk serve) changes Host; the browser still says same-origin.
        assert!(allows(
            Method::POST,
            &[HOST, ("origin", "http://127.0.0.1:8080"), ("sec-fetch-site", "same-origin")]
        ));
    }

    #[test]
    fn only_a_bearer_request_with_an_origin_is_marked_and_the_mark_names_one_origin() {
        let mark = bearer_origin(&headers(&[("authorization", "Bearer ct_x"), ("origin", "https://Portal.example:443")])).unwrap();
        assert!(from_origin(&mark, "https://portal.example"));
        assert!(!from_origin(&mark, "https://portal.example:8443"));
        assert!(!from_origin(&BearerOrigin("null".into()), "https://portal.example"));
        assert_eq!(bearer_origin(&headers(&[("origin", "https://portal.example")])), None, "a cookie request is never marked");
        assert_eq!(bearer_origin(&headers(&[("authorization", "Basic x"), ("origin", "https://portal.example")])), None);
        assert_eq!(bearer_origin(&headers(&[("authorization", "Bearer ct_x"), ("sec-fetch-site", "cross-site")])), None);
        let mut extensions = axum::http::Extensions::new();
        assert!(refuse_marked(&extensions).is_ok());
        extensions.insert(mark);
        assert!(matches!(refuse_marked(&extensions), Err(AppError::Forbidden(_))));
    }

    #[test]
    fn configured_origins_are_accepted_from_anywhere() {
        // The public URL behind a proxy that rewrites Host.
        assert!(allows(Method::PUT, &[HOST, ("origin", "https://conduit.example.com")]));
        // An embedding portal (cross-site by the browser's account).
        assert!(allows(Method::POST, &[HOST, ("origin", "https://portal.example.net"), ("sec-fetch-site", "cross-site")]));
        assert!(!allows(Method::POST, &[HOST, ("origin", "https://portal.example.net.evil"), ("sec-fetch-site", "cross-site")]));
    }
}
