//! `manage connectors` with 2,000 more demo instances (`--demo-instances
//! 2000`): each card shows a page and says of how many, a search narrows
//! the list through the server, `load more` adds the next page and moves
//! focus to it, and the status filter narrows it and stays in the address
//! over a reload and `back`. No timings are checked here (see
//! `scripts/bench.sh`).

mod support;

use support::{eventually, Browser, Server, DEMO_EMAIL, DEMO_PASSWORD};

const SHOPIFY: &str = "//section[.//h2[normalize-space()='Shopify']]";

async fn rows(browser: &Browser, card: &str) -> usize {
    browser.count(&format!("{card}//li[contains(@class, 'instance')]")).await
}

#[tokio::test]
async fn two_thousand_instances_are_searched_paged_and_filtered_by_the_server() {
    let server = Server::start_with(&["--demo-instances", "2000"], &[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.url("/connectors")).await;
    browser.heading(1, "sign in").await;
    browser.sign_in(DEMO_EMAIL, DEMO_PASSWORD).await;
    browser.heading(1, "manage connectors").await;

    // A page per card, counted.
    let count = browser.find(&format!("{SHOPIFY}//p[starts-with(normalize-space(), 'showing 25 of ')]")).await;
    let total: u32 = count.text().await.unwrap().trim_start_matches("showing 25 of ").replace(',', "").parse().unwrap();
    assert!(total > 300, "{total}");
    assert_eq!(rows(&browser, SHOPIFY).await, 25);
    browser.snapshot("scale-first-page").await;

    // load more: 25 more rows, the count follows, focus on the first new row.
    browser.find(&format!("{SHOPIFY}//button[normalize-space()='load more']")).await.click().await.unwrap();
    browser.find(&format!("{SHOPIFY}//p[normalize-space()='showing 50 of {}']", with_commas(total))).await;
    assert_eq!(rows(&browser, SHOPIFY).await, 50);
    let first_new = browser.find(&format!("({SHOPIFY}//li[contains(@class, 'instance')])[26]")).await;
    let id = first_new.attr("id").await.unwrap().unwrap();
    eventually(async || match browser.focused_id().await {
        seen if seen == id => Ok(()),
        seen => Err(format!("focus is on {seen:?}, not the first new row {id:?}")),
    })
    .await;

    // A search narrows the list to one instance, through the server.
    browser.fill("search connectors and instances", "#00042").await;
    browser.find("//*[@role='status'][normalize-space()='1 instance in 1 connector matches']").await;
    eventually(async || match browser.count("//li[contains(@class, 'instance')]").await {
        1 => Ok(()),
        n => Err(format!("{n} rows after searching")),
    })
    .await;
    browser.find("//li[contains(@class, 'instance')]//span[contains(@class, 'instance__name')][contains(., '#00042')]").await;
    assert!(browser.client.current_url().await.unwrap().query().unwrap().contains("search=%2300042"));

    // The status filter: only instances with that status, in the address.
    let search = browser.control("search connectors and instances").await;
    search.send_keys(&"\u{E003}".repeat(6)).await.unwrap();
    browser.find(&format!("{SHOPIFY}//p[normalize-space()='showing 25 of {}']", with_commas(total))).await;
    let status = browser.control("status").await;
    status.select_by_value("not_tested").await.unwrap();
    eventually(async || {
        let query = browser.client.current_url().await.unwrap().query().unwrap_or_default().to_owned();
        let rows = browser.count("//li[contains(@class, 'instance')]").await;
        let not_tested = browser.count("//li[contains(@class, 'instance')][contains(., 'not tested')]").await;
        if query.contains("status=not_tested") && rows > 0 && rows == not_tested {
            Ok(())
        } else {
            Err(format!("{not_tested} of {rows} rows say not tested at ?{query}"))
        }
    })
    .await;
    // A status no instance has: nothing matches, and the page says so.
    browser.control("status").await.select_by_value("failed_authentication").await.unwrap();
    browser.text("nothing matches these filters").await;
    assert_eq!(browser.count("//li[contains(@class, 'instance')]").await, 0);

    // A reload keeps the filter; back goes to the status before it.
    browser.client.refresh().await.unwrap();
    browser.heading(1, "manage connectors").await;
    browser.wait_value("status", "failed_authentication").await;
    browser.text("nothing matches these filters").await;
    browser.client.back().await.unwrap();
    browser.wait_value("status", "not_tested").await;
    browser.find(&format!("{SHOPIFY}//li[contains(@class, 'instance')][contains(., 'not tested')]")).await;
}

fn with_commas(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
