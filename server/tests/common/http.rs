//! What the tests that play a browser over real HTTP share: a client with
//! its own cookies that follows no redirect, an answer read whole, and the
//! hidden fields of the demo sandbox's consent form.

use conduit_types::{ErrorBody, ErrorCode};
use reqwest::{Client, StatusCode};

/// A browser of its own: a cookie store, no redirects followed.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

/// An answer: its status, where it redirects, the cookies it sets, its body.
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub cookies: Vec<String>,
    pub body: String,
}

impl Reply {
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.body))
    }

    /// The error body's sentence.
    pub fn message(&self) -> String {
        self.json::<ErrorBody>().message
    }

    /// The error body's sentence, once its code is `code`.
    pub fn error(&self, code: ErrorCode) -> String {
        let error: ErrorBody = self.json();
        assert_eq!(error.code, code, "{}", self.body);
        error.message
    }
}

pub async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    let cookies = response.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_owned()).collect();
    Reply { status, location, cookies, body: response.text().await.unwrap() }
}

/// The hidden inputs of the sandbox consent page's form, unescaped.
pub fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let unescape = |s: &str| {
        s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    };
    html.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|rest| {
            let name = rest.split("name=\"").nth(1).unwrap().split('"').next().unwrap();
            let value = rest.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
            (name.to_owned(), unescape(value))
        })
        .collect()
}
