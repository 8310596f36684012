//! The security headers every response carries (OWASP's secure headers):
//! a content security policy that allows the dashboard's own files and the
//! inline start-up script Trunk writes (by its hash), and nothing else.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::index_page::IndexPage;
use crate::Config;

const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), \
     publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The headers, worked out once at start.
#[derive(Clone, Debug)]
pub struct WebHeaders {
    csp: HeaderValue,
    /// The inline scripts' hashes, for the policies of framed pages.
    script_hashes: Vec<String>,
    /// The configured public URL is https, so every answer gets HSTS.
    https: bool,
}

impl WebHeaders {
    /// For `config`: the frame ancestors it names, and the hashes of the
    /// inline scripts in the dashboard's `index.html` as it is served (none
    /// when it is not built).
    pub fn new(config: &Config, index: &IndexPage) -> WebHeaders {
        let script_hashes = inline_script_hashes(index.html());
        let policy = content_security_policy(&config.frame_ancestors, &script_hashes);
        let csp = HeaderValue::try_from(policy).unwrap_or_else(|_| {
            HeaderValue::from_static("default-src 'self'; object-src 'none'; frame-ancestors 'self'")
        });
        WebHeaders { csp, script_hashes, https: config.public_url_is_https() }
    }

    /// The same policy, framed by `frame_ancestors` instead (an embed page's).
    pub fn policy_framed_by(&self, frame_ancestors: &str) -> String {
        content_security_policy(frame_ancestors, &self.script_hashes)
    }
}

/// The content security policy: the dashboard's own origin for everything,
/// WebAssembly compilation, the inline scripts named by `script_hashes`
/// (`'sha256-…'`), and embedding by `frame_ancestors` only.
pub fn content_security_policy(frame_ancestors: &str, script_hashes: &[String]) -> String {
    let mut script_src = "'self' 'wasm-unsafe-eval'".to_owned();
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// The CSP sources (`'sha256-<base64>'`) of the inline `<script>` elements
/// in `html`, in order: each hash is of the exact text between the opening
/// tag and `</script>`, as browsers hash it. Scripts with a `src` are left
/// out (`'self'` allows them).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower`
    // index `html`.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let tag_start = at + found;
        let name_end = tag_start + "<script".len();
        // `<scripts>` or `<script-x>` are other elements.
        if !lower[name_end..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()) {
            at = name_end;
            continue;
        }
        let Some(tag_len) = lower[name_end..].find('>') else { break };
        let body_start = name_end + tag_len + 1;
        let Some(body_len) = lower[body_start..].find("</script") else { break };
        let attributes = &lower[name_end..body_start - 1];
        let has_src = attributes
            .split(|c: char| c.is_ascii_whitespace())
            .any(|attribute| attribute == "src" || attribute.starts_with("src="));
        if !has_src {
            let digest = Sha256::digest(&html.as_bytes()[body_start..body_start + body_len]);
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        at = body_start + body_len;
    }
    hashes
}

/// Behind a TLS-terminating proxy the request says how it arrived. Trusting
/// the header can only make answers stricter (a `Secure` cookie, HSTS).
pub fn came_over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Middleware: sets the headers on every answer. A route that sets its own
/// content security policy (the demo sandbox's consent page) or resource
/// policy (the embed script) keeps it.
pub async fn apply(State(web): State<Arc<WebHeaders>>, request: Request, next: Next) -> Response {
    let https = web.https || came_over_https(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert_with(|| web.csp.clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // The embed script, loaded by host pages on other origins, sets its own.
    headers
        .entry(HeaderName::from_static("cross-origin-resource-policy"))
        .or_insert_with(|| HeaderValue::from_static("same-origin"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}

#[cfg(test)]
mod tests;
