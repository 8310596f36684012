//! How the dashboard and the API are served, over a real socket: the
//! precompressed files chosen by `Accept-Encoding`, cache headers, and the
//! security headers (with the hashes of index.html's inline scripts).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use conduit_server::{bind, demo, serve_app, AppState, Config};
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};

const WASM: &str = "conduit-web-1f2e3d4c5b6a7980_bg.wasm";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The inline start-up script the way Trunk writes it.
const INLINE: &str = "\nimport init from '/conduit-web-1f2e3d4c5b6a7980.js';\n\
                      const wasm = await init('/conduit-web-1f2e3d4c5b6a7980_bg.wasm');\n\n\n\
                      dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n";
const SECOND_INLINE: &str = "window.second = true;";

/// A built dashboard: index.html with two inline scripts (and one that is
/// not inline), a hashed wasm file, compressed by the build's own script.
fn dist(dir: &Path) {
    let index = format!(
        "<!doctype html><html lang=\"en\"><head><title>conduit</title>\
         <link rel=\"modulepreload\" href=\"/conduit-web-1f2e3d4c5b6a7980.js\"></head>\
         <body><noscript>conduit needs JavaScript to run in this browser.</noscript>\
         {padding}\
         <script type=\"module\">{INLINE}</script><script src=\"/other.js\"></script>\
         <script>{SECOND_INLINE}</script></body></html>",
        padding = "<!-- long enough to be worth compressing -->".repeat(20),
    );
    std::fs::write(dir.join("index.html"), index).unwrap();
    let wasm: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8 ^ (i / 4096) as u8).collect();
    std::fs::write(dir.join(WASM), wasm).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/compress-dist.sh");
    let status = Command::new("bash").arg(script).arg(dir).status().expect("run scripts/compress-dist.sh");
    assert!(status.success(), "scripts/compress-dist.sh failed");
    for file in [format!("{WASM}.br"), format!("{WASM}.gz"), "index.html.br".into(), "index.html.gz".into()] {
        assert!(dir.join(&file).exists(), "the build wrote {file}");
    }
}

struct Running {
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.task.await.unwrap().unwrap();
    }
}

async fn start(state: AppState) -> Running {
    let (listener, addr) = bind(&state.config).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(serve_app(listener, demo::app(state), async {
        let _ = stopped.await;
    }));
    Running { base: format!("http://{addr}"), stop: Some(stop), task }
}

fn client() -> reqwest::Client {
    // No automatic decompression: the test reads what was sent.
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

async fn get(base: &str, path: &str, extra: &[(&str, &str)]) -> Answer {
    let mut request = client().get(format!("{base}{path}"));
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    Answer { status, headers, body }
}

fn sha256_source(text: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text)))
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[tokio::test]
async fn dashboard_files_are_sent_compressed_as_the_browser_accepts_and_cached_by_name() {
    let t = common::sqlite().await;
    let static_dir = tempfile::tempdir().unwrap();
    dist(static_dir.path());
    let server = start(common::state(t.store.clone(), static_dir.path().to_owned())).await;
    let dir = static_dir.path();

    for (accept, encoding, file) in [
        ("br", Some("br"), format!("{WASM}.br")),
        ("gzip", Some("gzip"), format!("{WASM}.gz")),
        ("gzip, deflate, br", Some("br"), format!("{WASM}.br")),
        ("identity", None, WASM.to_owned()),
    ] {
        let answer = get(&server.base, &format!("/{WASM}"), &[("accept-encoding", accept)]).await;
        assert_eq!(answer.status, 200, "{accept}");
        assert_eq!(answer.header("content-encoding"), encoding, "{accept}");
        assert_eq!(answer.body, read(dir, &file), "{accept}: the bytes of {file}");
        assert_eq!(answer.header("content-type"), Some("application/wasm"), "{accept}");
        assert_eq!(answer.header("vary"), Some("accept-encoding"), "{accept}");
        assert_eq!(answer.header("cache-control"), Some(IMMUTABLE), "{accept}");
    }
    // No Accept-Encoding at all: the file as it is.
    let response = client().get(format!("{}/{WASM}", server.base)).send().await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.bytes().await.unwrap().to_vec(), read(dir, WASM));

    // index.html and deep links: compressed too, and always revalidated.
    for path in ["/", "/index.html", "/instances/3/settings/authentication", "/main-0123456789abcdef.css"] {
        let answer = get(&server.base, path, &[("accept-encoding", "br")]).await;
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("content-encoding"), Some("br"), "{path}");
        assert_eq!(answer.body, read(dir, "index.html.br"), "{path}");
        assert_eq!(answer.header("cache-control"), Some("no-cache"), "{path}");
        assert_eq!(answer.header("vary"), Some("accept-encoding"), "{path}");
        let plain = get(&server.base, path, &[]).await;
        assert_eq!(plain.body, read(dir, "index.html"), "{path}");
        assert_eq!(plain.header("cache-control"), Some("no-cache"), "{path}");
    }

    // The API is never cached.
    let answer = get(&server.base, "/api/me", &[("accept-encoding", "br")]).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert!(answer.header("content-encoding").is_none());
    server.stop().await;
    t.cleanup().await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = common::sqlite().await;
    let static_dir = tempfile::tempdir().unwrap();
    dist(static_dir.path());
    let server = start(common::state(t.store.clone(), static_dir.path().to_owned())).await;

    let page = get(&server.base, "/instances/3/settings", &[]).await;
    let api = get(&server.base, "/api/me", &[]).await;
    for (what, answer) in [("the dashboard", &page), ("an API answer", &api)] {
        let csp = answer.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
        let directives: Vec<&str> = csp.split("; ").collect();
        let script_src = format!(
            "script-src 'self' 'wasm-unsafe-eval' {} {}",
            sha256_source(INLINE),
            sha256_source(SECOND_INLINE)
        );
        for directive in [
            "default-src 'self'",
            script_src.as_str(),
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ] {
            assert!(directives.contains(&directive), "{what}: {directive} in {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{what}");
        assert_eq!(answer.header("referrer-policy"), Some("same-origin"), "{what}");
        assert_eq!(answer.header("cross-origin-resource-policy"), Some("same-origin"), "{what}");
        let permissions = answer.header("permissions-policy").unwrap_or_default();
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"] {
            assert!(permissions.split(", ").any(|p| p == feature), "{what}: {feature} in {permissions}");
        }
        assert!(answer.header("strict-transport-security").is_none(), "{what}: no HSTS over http");
    }
    // The dashboard keeps its popup (the provider's page) its own.
    assert_eq!(page.header("cross-origin-opener-policy"), Some("same-origin-allow-popups"));
    // The page a provider sends the popup back to must not cut it from the
    // dashboard that watches it.
    let callback = get(&server.base, "/api/oauth/callback", &[]).await;
    assert_eq!(callback.status, 400);
    assert!(callback.header("cross-origin-opener-policy").is_none());
    assert!(callback.header("content-security-policy").unwrap().contains("script-src 'self'"));

    // Behind a proxy that says it took the request over https: HSTS.
    for path in ["/", "/api/me"] {
        let answer = get(&server.base, path, &[("x-forwarded-proto", "https")]).await;
        assert_eq!(
            answer.header("strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    server.stop().await;
    t.cleanup().await;
}

#[tokio::test]
async fn an_https_public_url_gets_hsts_everywhere_and_frame_ancestors_are_configured() {
    let t = common::sqlite().await;
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.static_dir = PathBuf::from("missing");
    config.public_url = Some("https://conduit.example.com".into());
    config.frame_ancestors = "'self' https://portal.example".into();
    let server = start(AppState::new(t.store.clone(), config)).await;
    for path in ["/", "/api/me"] {
        let answer = get(&server.base, path, &[]).await;
        assert_eq!(answer.header("strict-transport-security"), Some("max-age=31536000; includeSubDomains"), "{path}");
        let csp = answer.header("content-security-policy").unwrap();
        assert!(csp.ends_with("; frame-ancestors 'self' https://portal.example"), "{csp}");
        // Without a built dashboard there is no inline script to allow.
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), "{csp}");
    }
    server.stop().await;
    t.cleanup().await;
}

#[tokio::test]
async fn the_demo_consent_page_may_send_the_browser_on_to_the_redirect_uri() {
    let t = common::sqlite().await;
    let mut state = common::state(t.store.clone(), PathBuf::from("missing"));
    let mut config = (*state.config).clone();
    config.demo = true;
    state = AppState::new(t.store.clone(), config);
    let server = start(state).await;
    let query = format!(
        "response_type=code&client_id={}&redirect_uri=http%3A%2F%2F127.0.0.1%3A4321%2Fapi%2Foauth%2Fcallback\
         &state=s&code_challenge=abc&code_challenge_method=S256",
        demo::sandbox::CLIENT_ID
    );
    let answer = get(&server.base, &format!("/sandbox/oauth/authorize?{query}"), &[]).await;
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    let csp = answer.header("content-security-policy").unwrap();
    assert!(csp.contains("form-action 'self' http://127.0.0.1:4321;"), "{csp}");
    assert!(csp.contains("default-src 'none'"), "{csp}");
    server.stop().await;
    t.cleanup().await;
}
