//! The `manage connectors` benchmark, run by `scripts/bench.sh` (never by
//! the tests: it is ignored unless asked for by name with `--ignored`).
//! Two release servers, one seeded with 10,000 more demo instances and one
//! with the demo's dozen, each with its own Chromium; runs alternate between
//! them and the medians are printed as a markdown table.
//!
//! What is measured, in the page, through WebDriver's execute script:
//! - data arrived → first rows painted: from the list answer's `responseEnd`
//!   (Resource Timing) to the `conduit:list-painted` mark the list sets in
//!   the task after the next animation frame once it has drawn an answer;
//! - keystroke → list updated: from the search box's `input` event
//!   (`event.timeStamp`) to the next `conduit:list-painted` mark, one typed
//!   character at a time (each asks the server);
//! - answer size: the first list answer's decoded body, in bytes;
//! - DOM elements: `document.getElementsByTagName('*').length` once painted.

mod support;

use serde_json::Value;
use support::{Browser, Server, DEMO_EMAIL, DEMO_PASSWORD};

/// One page load's numbers.
#[derive(Debug, Clone, Copy)]
struct Sample {
    first_paint_ms: f64,
    keystroke_ms: f64,
    answer_bytes: f64,
    dom_elements: f64,
}

/// Typed one character at a time; every instance name has `#0`.
const TYPED: &str = "#0004";

async fn signed_in(server: &Server) -> Browser {
    let browser = Browser::start().await;
    browser.goto(&server.url("/connectors")).await;
    browser.heading(1, "sign in").await;
    browser.sign_in(DEMO_EMAIL, DEMO_PASSWORD).await;
    browser.heading(1, "manage connectors").await;
    browser
}

async fn script(browser: &Browser, body: &str) -> Value {
    browser.client.execute_async(body, vec![]).await.expect("the page answers the benchmark's script")
}

async fn sample(browser: &Browser, server: &Server) -> Sample {
    browser.goto(&server.url("/connectors")).await;
    let first = script(
        browser,
        "const done = arguments[0];
         const wait = () => {
           const painted = performance.getEntriesByName('conduit:list-painted');
           const answers = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/connectors'));
           if (!painted.length || !answers.length) return setTimeout(wait, 10);
           done([painted[0].startTime - answers[0].responseEnd, answers[0].decodedBodySize,
                 document.getElementsByTagName('*').length]);
         };
         wait();",
    )
    .await;
    let search = browser.control("search connectors and instances").await;
    script(
        browser,
        "window.__inputs = [];
         document.getElementById('connector-search').addEventListener('input', e => window.__inputs.push(e.timeStamp));
         arguments[0]();",
    )
    .await;
    let mut keystrokes = Vec::new();
    for c in TYPED.chars() {
        let before = script(browser, "arguments[0](performance.getEntriesByName('conduit:list-painted').length)").await;
        search.send_keys(&c.to_string()).await.unwrap();
        let took = browser
            .client
            .execute_async(
                "const [before, done] = arguments;
                 const wait = () => {
                   const painted = performance.getEntriesByName('conduit:list-painted');
                   const typed = window.__inputs[window.__inputs.length - 1];
                   if (painted.length <= before || typed === undefined) return setTimeout(wait, 2);
                   done(painted[painted.length - 1].startTime - typed);
                 };
                 wait();",
                vec![before],
            )
            .await
            .unwrap();
        keystrokes.push(took.as_f64().unwrap());
    }
    Sample {
        first_paint_ms: first[0].as_f64().unwrap(),
        keystroke_ms: median(keystrokes),
        answer_bytes: first[1].as_f64().unwrap(),
        dom_elements: first[2].as_f64().unwrap(),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 }
}

fn medians(samples: &[Sample]) -> Sample {
    let of = |f: fn(&Sample) -> f64| median(samples.iter().map(f).collect());
    Sample {
        first_paint_ms: of(|s| s.first_paint_ms),
        keystroke_ms: of(|s| s.keystroke_ms),
        answer_bytes: of(|s| s.answer_bytes),
        dom_elements: of(|s| s.dom_elements),
    }
}

#[tokio::test]
#[ignore = "a benchmark: scripts/bench.sh runs it"]
async fn manage_connectors_with_ten_thousand_instances_and_with_a_dozen() {
    let runs: usize = std::env::var("CONDUIT_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(5);
    let large = Server::start_with(&["--demo-instances", "10000", "--health-check-minutes", "0"], &[]).await;
    let small = Server::start_with(&["--health-check-minutes", "0"], &[]).await;
    let large_browser = signed_in(&large).await;
    let small_browser = signed_in(&small).await;
    // One load each to warm the caches, not counted.
    sample(&large_browser, &large).await;
    sample(&small_browser, &small).await;
    let (mut at_scale, mut dozen) = (Vec::new(), Vec::new());
    for run in 0..runs {
        at_scale.push(sample(&large_browser, &large).await);
        dozen.push(sample(&small_browser, &small).await);
        eprintln!("run {}: 10,000 {:?}; dozen {:?}", run + 1, at_scale[run], dozen[run]);
    }
    let (a, d) = (medians(&at_scale), medians(&dozen));
    let table = format!(
        "| manage connectors (median of {runs} runs) | 10,000 instances | the demo's dozen |\n\
         | --- | ---: | ---: |\n\
         | data arrived → first rows painted | {:.0} ms | {:.0} ms |\n\
         | keystroke → list updated | {:.0} ms | {:.0} ms |\n\
         | answer size | {:.1} KB | {:.1} KB |\n\
         | DOM elements | {:.0} | {:.0} |\n",
        a.first_paint_ms,
        d.first_paint_ms,
        a.keystroke_ms,
        d.keystroke_ms,
        a.answer_bytes / 1000.0,
        d.answer_bytes / 1000.0,
        a.dom_elements,
        d.dom_elements,
    );
    println!("\n{table}");
    if let Ok(path) = std::env::var("CONDUIT_BENCH_OUT") {
        std::fs::write(path, &table).unwrap();
    }
}
