//! The whole app under a base path (`--base-path /conduit`), over a real
//! socket: the API, deep links, static files and the served page (which
//! carries the base, its inline script allowed by the policy, never the
//! built compressed copies of the page before the rewrite), nothing outside
//! the base, the session cookie's path, and the OAuth addresses.

mod common;

use common::http::hidden_inputs;

use std::path::{Path, PathBuf};
use std::process::Command;

use conduit_server::config::Allowlist;
use conduit_server::demo::{self, sandbox};
use conduit_server::web_headers::inline_script_hashes;
use conduit_server::{bind, serve_app, AppState, Config};
use conduit_types::draft::{AuthoriseMode, AuthoriseStart, DraftField, InstanceDraft};
use conduit_types::{ConnectorList, InstanceSettings};
use reqwest::{Client, StatusCode};

const BASE: &str = "/conduit";
const JS: &str = "conduit-web-1f2e3d4c5b6a7980.js";
const INSTANCE: &str = "Sandbox app (OAuth 2 authorisation code)";

/// The page the way `trunk build --release` writes it (relative asset
/// paths, `<base href="/" />` from index.html), compressed by the build's
/// own script, so stale `.br`/`.gz` copies of the unrewritten page exist.
fn dist(dir: &Path) {
    let index = format!(
        "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>conduit</title>\n\
         <base href=\"/\" />\n    <link rel=\"icon\" type=\"image/svg+xml\" href=\"public/favicon.svg\" />\n\
         <script type=\"module\">\nimport init, * as bindings from './{JS}';\n\
         const wasm = await init({{ module_or_path: './conduit-web-1f2e3d4c5b6a7980_bg.wasm' }});\n</script>\n\
         <link rel=\"modulepreload\" href=\"./{JS}\"></head>\n  <body>{padding}</body>\n</html>\n",
        padding = "<!-- long enough to be worth compressing -->".repeat(20),
    );
    std::fs::write(dir.join("index.html"), index).unwrap();
    std::fs::write(dir.join(JS), "export default function init() {}\n".repeat(50)).unwrap();
    std::fs::create_dir(dir.join("public")).unwrap();
    std::fs::write(dir.join("public/favicon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>").unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/compress-dist.sh");
    let status = Command::new("bash").arg(script).arg(dir).status().expect("run scripts/compress-dist.sh");
    assert!(status.success(), "scripts/compress-dist.sh failed");
    assert!(dir.join("index.html.br").exists() && dir.join("index.html.gz").exists());
}

fn browser() -> Client {
    // No automatic decompression or redirects: the test reads what was sent.
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The app in demo mode under [`BASE`] on a free port, its sandbox the
/// provider; answers the origin (`http://127.0.0.1:port`).
async fn start(t: &common::TestStore, static_dir: &Path) -> String {
    let mut config = Config::for_tests(PathBuf::from("unused"));
    config.demo = true;
    config.static_dir = static_dir.to_owned();
    config.base_path = BASE.to_owned();
    config.egress_allow = Allowlist(vec!["127.0.0.1/32".parse().unwrap()]);
    let (listener, addr) = bind(&config).await.unwrap();
    config.port = addr.port();
    let origin = format!("http://{addr}");
    assert!(demo::seed_if_empty(&t.store, &format!("{origin}{BASE}/sandbox")).await.unwrap());
    let state = AppState::new(t.store.clone(), config);
    tokio::spawn(serve_app(listener, demo::app(state), std::future::pending()));
    origin
}

async fn sign_in(origin: &str) -> (Client, String) {
    let client = browser();
    let body = serde_json::json!({"email": demo::EMAIL, "password": demo::PASSWORD});
    let response = client.post(format!("{origin}{BASE}/api/session")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    (client, cookie)
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn get(client: &Client, url: &str, accept_encoding: &str) -> Answer {
    let response = client.get(url).header("accept-encoding", accept_encoding).send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    Answer { status, headers, body: response.bytes().await.unwrap().to_vec() }
}

#[tokio::test]
async fn everything_is_served_under_the_base_path_and_nothing_outside_it() {
    let t = common::sqlite().await;
    let static_dir = tempfile::tempdir().unwrap();
    dist(static_dir.path());
    let origin = start(&t, static_dir.path()).await;
    let client = browser();

    // The page, at the base, at deep links and as index.html: the base
    // written in, sent as it is whatever the browser accepts (the built
    // copies hold the page without it).
    let built = std::fs::read_to_string(static_dir.path().join("index.html")).unwrap();
    let expected = built.replace("<base href=\"/\" />", "<base href=\"/conduit/\" />");
    assert_ne!(expected, built);
    for path in ["/", "/index.html", "/instances/7/settings/details", "/connectors", "/embed/1/instances/7/settings/details"] {
        for accept in ["br", "gzip", "gzip, deflate, br", "identity"] {
            let page = get(&client, &format!("{origin}{BASE}{path}"), accept).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_eq!(page.header("content-encoding"), None, "{path} {accept}");
            assert_eq!(page.text(), expected, "{path} {accept}");
            assert!(page.header("content-type").unwrap().starts_with("text/html"), "{path}");
            // The policy allows exactly the scripts of the page served.
            let csp = page.header("content-security-policy").unwrap();
            let hashes = inline_script_hashes(&page.text());
            assert_eq!(hashes.len(), 1);
            assert!(csp.contains(&format!("script-src 'self' 'wasm-unsafe-eval' {};", hashes[0])), "{path}: {csp}");
        }
    }
    let page = get(&client, &format!("{origin}{BASE}/"), "br").await;
    assert_eq!(page.header("cache-control"), Some("no-cache"));

    // Static files, compressed and cached by name as at the root.
    let js = get(&client, &format!("{origin}{BASE}/{JS}"), "br").await;
    assert_eq!((js.status, js.header("content-encoding")), (StatusCode::OK, Some("br")));
    assert_eq!(js.header("cache-control"), Some("public, max-age=31536000, immutable"));
    let icon = get(&client, &format!("{origin}{BASE}/public/favicon.svg"), "identity").await;
    assert_eq!(icon.status, StatusCode::OK);
    assert!(icon.text().starts_with("<svg"));

    // The base without its slash is sent on to it.
    let bare = get(&client, &format!("{origin}{BASE}"), "identity").await;
    assert_eq!(bare.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(bare.header("location"), Some("/conduit/"));

    // Outside the base: nothing, with the security headers all the same.
    for path in ["/", "/index.html", "/api/me", "/instances/7/settings/details", &format!("/{JS}"), "/public/favicon.svg", "/conduitx/api/me", "/sandbox/oauth/me"] {
        let answer = get(&client, &format!("{origin}{path}"), "br").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.text().contains("<base"), "{path}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{path}");
    }

    // The API: under the base, the session cookie scoped to it.
    let answer = get(&client, &format!("{origin}{BASE}/api/me"), "identity").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.text().contains("\"code\""), "the API's error body: {}", answer.text());
    let (ada, cookie) = sign_in(&origin).await;
    assert!(cookie.split("; ").any(|part| part == "Path=/conduit"), "{cookie}");
    let me = get(&ada, &format!("{origin}{BASE}/api/me"), "identity").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    let out = ada.delete(format!("{origin}{BASE}/api/session")).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let removal = out.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(removal.split("; ").any(|part| part == "Path=/conduit"), "{removal}");
    t.cleanup().await;
}

#[tokio::test]
async fn the_oauth_addresses_include_the_base_path() {
    let t = common::sqlite().await;
    let origin = start(&t, Path::new("missing")).await;
    let (ada, _) = sign_in(&origin).await;
    let api = format!("{origin}{BASE}/api");
    let list: ConnectorList = ada.get(format!("{api}/connectors")).send().await.unwrap().json().await.unwrap();
    let id = list.connectors.iter().flat_map(|c| &c.instances).find(|i| i.name == INSTANCE).unwrap().id;
    let saved: InstanceSettings = ada.get(format!("{api}/instances/{id}")).send().await.unwrap().json().await.unwrap();
    let callback = format!("{origin}{BASE}/api/oauth/callback");
    assert_eq!(saved.oauth_callback_url.as_deref(), Some(callback.as_str()));

    for mode in [AuthoriseMode::Redirect, AuthoriseMode::Popup] {
        let mut draft = InstanceDraft::from_settings(&saved);
        draft.authentication.fields.insert("client_secret".into(), DraftField::Replace { value: sandbox::CLIENT_SECRET.into() });
        let body = serde_json::json!({"base_version": saved.version, "draft": draft, "mode": mode});
        let started = ada.post(format!("{api}/instances/{id}/authorise")).json(&body).send().await.unwrap();
        assert_eq!(started.status(), StatusCode::OK);
        let started: AuthoriseStart = started.json().await.unwrap();
        let encoded: String = url::form_urlencoded::byte_serialize(callback.as_bytes()).collect();
        assert!(started.url.contains(&format!("redirect_uri={encoded}")), "{}", started.url);

        // The consent page (the demo sandbox, under the base too) sends the
        // browser back to the callback under the base.
        let consent = ada.get(&started.url).send().await.unwrap().text().await.unwrap();
        let mut form = hidden_inputs(&consent);
        form.push(("decision".into(), "allow".into()));
        let decided = ada.post(format!("{origin}{BASE}/sandbox/oauth/authorize")).form(&form).send().await.unwrap();
        assert_eq!(decided.status(), StatusCode::SEE_OTHER);
        let back = decided.headers().get("location").unwrap().to_str().unwrap().to_owned();
        assert!(back.starts_with(&format!("{callback}?")), "{back}");
        let answer = ada.get(&back).send().await.unwrap();
        match mode {
            AuthoriseMode::Redirect => {
                assert_eq!(answer.status(), StatusCode::SEE_OTHER);
                let to = answer.headers().get("location").unwrap().to_str().unwrap();
                assert_eq!(to, format!("/conduit/instances/{id}/settings/authentication?authorisation={}", started.authorisation));
            }
            AuthoriseMode::Popup => {
                assert_eq!(answer.status(), StatusCode::OK);
                let page = answer.text().await.unwrap();
                assert!(page.contains("<script src=\"/conduit/api/oauth/close.js\"></script>"), "{page}");
                let script = ada.get(format!("{api}/oauth/close.js")).send().await.unwrap();
                assert_eq!(script.status(), StatusCode::OK);
            }
        }
    }
    t.cleanup().await;
}
