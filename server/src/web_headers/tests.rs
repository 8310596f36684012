//! The security headers' tests: inline script hashes, the content security
//! policy's directives and reading https from the proxy header.

use super::*;

fn sha256(text: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text)))
}

#[test]
fn hashes_each_inline_script_exactly_as_written() {
    let first = "\nimport init from '/conduit-web-1a2b3c.js';\nconst wasm = await init('/conduit-web-1a2b3c_bg.wasm');\n";
    let second = " window.x = 1; ";
    let html = format!(
        "<!doctype html><html><head><script type=\"module\" src=\"/a.js\"></script>\
         <SCRIPT type=\"module\">{first}</SCRIPT></head>\
         <body><scripts>not a script</scripts><script>{second}</script><script src=/b.js></script></body></html>"
    );
    assert_eq!(inline_script_hashes(&html), vec![sha256(first), sha256(second)]);
    // A known value: echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert_eq!(
        inline_script_hashes("<script>alert(1)</script>"),
        vec!["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='".to_owned()]
    );
    assert!(inline_script_hashes("<p>no scripts</p>").is_empty());
    assert!(inline_script_hashes("<script>never closed").is_empty());
    assert!(inline_script_hashes("").is_empty());
}

#[test]
fn the_policy_names_every_directive() {
    let policy = content_security_policy("'self' https://portal.example", &["'sha256-abc='".to_owned()]);
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self' https://portal.example",
    ] {
        assert!(policy.split("; ").any(|d| d == directive), "{directive} in {policy}");
    }
    assert!(!policy.contains("unsafe-inline"), "{policy}");
}

#[test]
fn https_is_read_from_the_proxy_header() {
    let mut headers = HeaderMap::new();
    assert!(!came_over_https(&headers));
    headers.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS"));
    assert!(came_over_https(&headers));
    headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
    assert!(!came_over_https(&headers));
}
