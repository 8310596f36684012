//! What every end-to-end test needs: the real server binary on a free loopback
//! port with a fresh data directory, and Chromium driven through chromedriver.
//! Elements are found the way a person finds them: by role, label and text.
//! For embedding: the server with the demo API key and allowed origins
//! ([`Server::start_embedding`]), a host site on another site ([`host`]) and
//! Chromium with third-party cookies blocked.

#![allow(dead_code)]

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

pub mod embedding;
pub mod host;

pub const WAIT: Duration = Duration::from_secs(20);

/// The demo's user.
pub const DEMO_EMAIL: &str = "ada@northwind.example";
pub const DEMO_PASSWORD: &str = "conduit-demo";
/// The demo company's API key in [`Server::start_embedding`] (a test value).
pub const E2E_API_KEY: &str = "ck_e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0";

/// The server binary, in demo mode, on its own port and data directory.
pub struct Server {
    pub base: String,
    _child: Child,
    _data: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(&[], &[]).await
    }

    /// [`Server::start`] with the demo's API key [`E2E_API_KEY`] (named
    /// "demo partner portal") and `origins` allowed to embed, and `args`
    /// (e.g. `["--embed-token-seconds", "30"]`).
    pub async fn start_embedding(origins: &[&str], args: &[&str]) -> Server {
        let origins = origins.join(",");
        Server::start_with(args, &[("CONDUIT_DEMO_API_KEY", E2E_API_KEY), ("CONDUIT_DEMO_PORTAL_ORIGIN", &origins)]).await
    }

    /// [`Server::start`] with more `args` and `env`.
    pub async fn start_with(args: &[&str], env: &[(&str, &str)]) -> Server {
        let bin = std::env::var("CONDUIT_SERVER_BIN")
            .expect("CONDUIT_SERVER_BIN names the server binary (scripts/test.sh sets it)");
        let dist = std::env::var("CONDUIT_DIST")
            .expect("CONDUIT_DIST names the built dashboard (scripts/test.sh sets it)");
        assert!(
            std::path::Path::new(&dist).join("index.html").exists(),
            "{dist}/index.html is missing: run `trunk build --release` first"
        );
        let data = tempfile::tempdir().unwrap();
        let mut command = Command::new(bin);
        command
            .args(["--demo", "--bind", "127.0.0.1", "--port", "0", "--static-dir", &dist, "--data-dir"])
            .arg(data.path())
            .args(args)
            .env_remove("DATABASE_URL")
            .envs(env.iter().copied());
        let (child, base) = spawn_listening(command, "conduit is listening on ").await;
        Server { base, _child: child, _data: data }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's data directory (where demo mode writes its sample
    /// certificate files).
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }
}

/// Starts `command` (its output piped, killed on drop) and waits until it
/// prints a line starting with `prefix` and an address; that address, without
/// its last `/`. Its output is drained from then on.
pub async fn spawn_listening(mut command: Command, prefix: &str) -> (Child, String) {
    let mut child = command.env("RUST_LOG", "warn").stdout(Stdio::piped()).kill_on_drop(true).spawn().expect("start the binary");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(WAIT, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix(prefix) {
                return url.trim_end_matches('/').to_owned();
            }
        }
        panic!("the binary exited before printing {prefix:?}");
    })
    .await
    .expect("the binary starts listening");
    // Keep draining its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, base)
}

/// What the browser does with cookies of frames from another site.
enum ThirdPartyCookies {
    /// Chromium's own default.
    Default,
    Allowed,
    Blocked,
}

/// A headless Chromium with a fresh profile, driven through its own chromedriver.
/// Dropping it ends chromedriver and every Chromium process it started.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    /// chromedriver's process group, which its Chromium processes share.
    group: Option<u32>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Killing chromedriver alone would leave its Chromium running.
        if let Some(group) = self.group {
            _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::launch(ThirdPartyCookies::Default).await
    }

    /// [`Browser::start`] with third-party cookies blocked for certain, as
    /// Safari, Firefox's strict mode and many Chrome users have it: a frame
    /// from another site gets no cookies. (This headless Chromium blocks
    /// them by default too; this does not depend on that.)
    pub async fn start_blocking_third_party_cookies() -> Browser {
        Browser::launch(ThirdPartyCookies::Blocked).await
    }

    /// [`Browser::start`] with third-party cookies allowed, as browsers
    /// used to have it.
    pub async fn start_allowing_third_party_cookies() -> Browser {
        Browser::launch(ThirdPartyCookies::Allowed).await
    }

    async fn launch(third_party_cookies: ThirdPartyCookies) -> Browser {
        let port = free_port();
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let group = driver.id();
        for attempt in 0.. {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            assert!(attempt < 200, "chromedriver did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            },
            // Prompts (such as the unsaved-changes question) stay open until
            // a test answers them.
            "unhandledPromptBehavior": "ignore"
        });
        let mut capabilities = capabilities;
        let options = &mut capabilities["goog:chromeOptions"];
        match third_party_cookies {
            ThirdPartyCookies::Default => {}
            ThirdPartyCookies::Allowed => {
                options["prefs"] = serde_json::json!({"profile.cookie_controls_mode": 0, "profile.block_third_party_cookies": false});
            }
            ThirdPartyCookies::Blocked => {
                options["prefs"] = serde_json::json!({"profile.cookie_controls_mode": 1, "profile.block_third_party_cookies": true});
                options["args"].as_array_mut().unwrap().push("--test-third-party-cookie-phaseout".into());
            }
        }
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!() };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("open a Chromium session");
        Browser { client, _driver: driver, group, _profile: profile }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn find(&self, xpath: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("nothing matches {xpath}: {e}"))
    }

    /// The form control (input, select, textarea) labelled `label`, by a
    /// `<label for>` or a wrapping `<label>`.
    pub async fn control(&self, label: &str) -> Element {
        let controls = "self::input or self::select or self::textarea";
        self.find(&format!(
            "//*[{controls}][@id=//label[normalize-space()='{label}']/@for] | //label[normalize-space()='{label}']//*[{controls}]"
        ))
        .await
    }

    /// Replaces the text of the control labelled `label`.
    pub async fn fill(&self, label: &str, text: &str) {
        let control = self.control(label).await;
        control.clear().await.unwrap();
        control.send_keys(text).await.unwrap();
    }

    /// The current value of the control labelled `label`.
    pub async fn value(&self, label: &str) -> String {
        self.control(label).await.prop("value").await.unwrap().unwrap_or_default()
    }

    /// Waits until the control labelled `label` holds `value` (bounded).
    pub async fn wait_value(&self, label: &str, value: &str) {
        eventually(async || match self.value(label).await {
            seen if seen == value => Ok(()),
            seen => Err(format!("{label} stayed {seen:?}, expected {value:?}")),
        })
        .await
    }

    /// Waits until the button named `name` is enabled (`true`) or disabled
    /// (`disabled`, or `aria-disabled` for a button that stays focusable).
    pub async fn wait_enabled(&self, name: &str, enabled: bool) {
        eventually(async || {
            let button = self.button(name).await;
            let aria_disabled = button.attr("aria-disabled").await.unwrap().as_deref() == Some("true");
            if (button.is_enabled().await.unwrap() && !aria_disabled) == enabled {
                Ok(())
            } else {
                Err(format!("{name} did not become {}", if enabled { "enabled" } else { "disabled" }))
            }
        })
        .await
    }

    /// Waits for an element whose text contains `text`.
    pub async fn text(&self, text: &str) -> Element {
        self.find(&format!("//*[contains(normalize-space(), \"{text}\")][not(*[contains(normalize-space(), \"{text}\")])]"))
            .await
    }

    /// Waits for a browser prompt (confirm, alert) that `why` should have
    /// opened, and returns its text.
    pub async fn prompt_text(&self, why: &str) -> String {
        eventually(async || {
            (self.client.get_alert_text().await).map_err(|_| format!("no prompt appeared after {why}"))
        })
        .await
    }

    pub async fn button(&self, name: &str) -> Element {
        self.find(&format!("//button[normalize-space()='{name}' or @aria-label='{name}']")).await
    }

    /// Clicks the button named `name` after scrolling it to the middle of
    /// the window, clear of the sticky action bar, as a person would.
    pub async fn click_button(&self, name: &str) {
        let button = self.button(name).await;
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&button).unwrap()])
            .await
            .unwrap();
        button.click().await.unwrap();
    }

    pub async fn heading(&self, level: u8, text: &str) -> Element {
        self.find(&format!("//h{level}[contains(normalize-space(), '{text}')]")).await
    }

    pub async fn tab(&self, name: &str) -> Element {
        self.find(&format!("//*[@role='tab'][normalize-space()='{name}']")).await
    }

    /// Waits until the element's attribute has `value` (bounded).
    pub async fn wait_attr(&self, element: &Element, attribute: &str, value: &str) {
        eventually(async || match element.attr(attribute).await.unwrap() {
            Some(seen) if seen == value => Ok(()),
            seen => Err(format!("{attribute} stayed {seen:?}, expected {value:?}")),
        })
        .await
    }

    /// Waits until the page's path is `path` (bounded).
    pub async fn wait_path(&self, path: &str) {
        eventually(async || match self.path().await {
            seen if seen == path => Ok(()),
            seen => Err(format!("the page stayed at {seen}, expected {path}")),
        })
        .await
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// The accessible name (text or aria-label) of the focused element.
    pub async fn focused_text(&self) -> String {
        let value = self
            .client
            .execute("return document.activeElement && document.activeElement.textContent.trim()", vec![])
            .await
            .unwrap();
        value.as_str().unwrap_or_default().to_owned()
    }

    /// The id of the focused element.
    pub async fn focused_id(&self) -> String {
        let value = self.client.execute("return document.activeElement && document.activeElement.id", vec![]).await.unwrap();
        value.as_str().unwrap_or_default().to_owned()
    }

    /// How many elements match `xpath` now (no waiting).
    pub async fn count(&self, xpath: &str) -> usize {
        self.client.find_all(Locator::XPath(xpath)).await.unwrap().len()
    }

    /// Whether `text` is anywhere on the page: in its markup or in the value
    /// of any field.
    pub async fn shows_anywhere(&self, text: &str) -> bool {
        let in_fields = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll('input, textarea')).some(f => f.value.includes(arguments[0]))",
                vec![serde_json::Value::from(text)],
            )
            .await
            .unwrap();
        in_fields.as_bool().unwrap_or(true) || self.client.source().await.unwrap().contains(text)
    }

    pub async fn press(&self, element: &Element, key: fantoccini::key::Key) {
        element.send_keys(&char::from(key).to_string()).await.unwrap();
    }

    /// Signs in as the demo user through `base` and opens `instance`'s
    /// settings from its cog on `manage connectors`, as a person would.
    pub async fn open_instance_settings(&self, base: &str, instance: &str) {
        self.goto(&format!("{base}/connectors")).await;
        self.heading(1, "sign in").await;
        self.sign_in(DEMO_EMAIL, DEMO_PASSWORD).await;
        self.heading(1, "manage connectors").await;
        self.find(&format!("//*[@aria-label='settings for {instance}']")).await.click().await.unwrap();
        self.heading(1, instance).await;
    }

    /// Waits for the notice that the instance settings were saved.
    pub async fn saved_notice(&self) {
        self.find("//*[@role='status'][contains(., 'instance settings saved')]").await;
    }

    /// Saves the instance settings (nothing to confirm), waits for the notice
    /// and for the history's newest save naming `change`.
    pub async fn save_settings_changing(&self, change: &str) {
        self.click_button("save instance settings").await;
        self.saved_notice().await;
        self.saved_in_history(change).await;
    }

    /// Saves an instance a process flow uses: saving asks first, `save now`.
    pub async fn save_in_use_changing(&self, change: &str) {
        self.click_button("save instance settings").await;
        self.confirm_save().await;
        self.saved_notice().await;
        self.saved_in_history(change).await;
    }

    /// The open save dialog's `save now` (the instance is used by a process flow).
    pub async fn confirm_save(&self) {
        self.find("//dialog[@open]//button[normalize-space()='save now']").await.click().await.unwrap();
    }

    async fn saved_in_history(&self, change: &str) {
        self.find(&format!("//section[.//h2[normalize-space()='history']]//li[contains(., 'saved')][contains(., '{change}')]"))
            .await;
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.button("sign in").await.click().await.unwrap();
    }

    /// Saves a PNG of the page as `<name>.png` in `CONDUIT_E2E_SCREENSHOTS`, when set,
    /// so a person can look at what the tests saw.
    pub async fn snapshot(&self, name: &str) {
        if let Ok(dir) = std::env::var("CONDUIT_E2E_SCREENSHOTS") {
            let png = self.client.screenshot().await.unwrap();
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
        }
    }

    pub async fn close(self) {
        self.client.clone().close().await.unwrap();
    }
}

/// Asks `probe` every 50 ms, 200 times at most, until it answers `Ok`;
/// otherwise panics with its last answer (what it saw instead).
pub async fn eventually<T>(mut probe: impl AsyncFnMut() -> Result<T, String>) -> T {
    let mut last = String::new();
    for _ in 0..200 {
        match probe().await {
            Ok(found) => return found,
            Err(seen) => last = seen,
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{last}");
}

/// A loopback proxy between the browser and the server that keeps every byte
/// the server sent back, so a test can check what reached the browser.
pub struct Recorder {
    pub base: String,
    received: Arc<Mutex<Vec<u8>>>,
    task: JoinHandle<()>,
}

impl Recorder {
    /// Listens on a free loopback port and forwards to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Recorder {
        let upstream = upstream.trim_start_matches("http://").to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(&upstream).await else { return };
                    let (mut from_browser, mut to_browser) = inbound.into_split();
                    let (mut from_server, mut to_server) = outbound.into_split();
                    let up = async {
                        let _ = tokio::io::copy(&mut from_browser, &mut to_server).await;
                        let _ = to_server.shutdown().await;
                    };
                    let down = async {
                        let mut buf = vec![0; 16 * 1024];
                        loop {
                            match from_server.read(&mut buf).await {
                                Ok(0) | Err(_) => break,
                                Ok(n) => {
                                    log.lock().unwrap().extend_from_slice(&buf[..n]);
                                    if to_browser.write_all(&buf[..n]).await.is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                        let _ = to_browser.shutdown().await;
                    };
                    tokio::join!(up, down);
                });
            }
        });
        Recorder { base, received, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// How many bytes the server has sent so far.
    pub fn len(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    /// Whether anything the server sent contains `needle`.
    pub fn saw(&self, needle: &str) -> bool {
        self.times_seen(needle) > 0
    }

    /// How many times what the server sent contains `needle`.
    pub fn times_seen(&self, needle: &str) -> usize {
        let received = self.received.lock().unwrap();
        received.windows(needle.len()).filter(|w| *w == needle.as_bytes()).count()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
