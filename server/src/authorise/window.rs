//! Binding an embed session's authorisation to one browser window. The
//! session's iframe has no cookie of ours (third-party cookies are blocked),
//! so the way back from the provider cannot be checked against a sign-in.
//! Instead the authorisation's consent address is first our own one-time
//! begin address: the window that opens it (a popup, top-level on our
//! origin, where a first-party cookie works) gets a random cookie of its
//! own, and is sent on to the provider. Only a callback carrying that
//! cookie completes the authorisation. Nothing secret of the session is in
//! an address: the begin key opens once, and opens only the provider's page.

use crate::tokens::{prefixed_secret, token_hash};

/// What the cookie's name starts with; the rest tells authorisations apart.
pub const COOKIE_PREFIX: &str = "conduit_oauth_";

/// An authorisation's window binding.
pub struct Window {
    /// The provider's consent page (with `state` and the PKCE challenge).
    consent_url: String,
    /// The one-time key of the begin address; empty once opened.
    begin: String,
    /// The cookie the opening window got: its name and its value's hash.
    cookie: Option<(String, String)>,
}

/// What the window opening the begin address gets.
pub struct Opened {
    pub consent_url: String,
    pub cookie_name: String,
    pub cookie_value: String,
}

impl Window {
    /// A binding for `consent_url`, not opened yet.
    pub fn new(consent_url: String) -> Window {
        Window { consent_url, begin: prefixed_secret(""), cookie: None }
    }

    /// The begin address's one-time key.
    pub fn begin_key(&self) -> &str {
        &self.begin
    }

    /// Whether `key` opens this binding now (it was not opened yet).
    pub fn opens_with(&self, key: &str) -> bool {
        !self.begin.is_empty() && self.begin == key
    }

    /// Opens the binding (once): the cookie for the opening window and
    /// where to send it.
    pub fn open(&mut self) -> Opened {
        self.begin.clear();
        let cookie_name = format!("{COOKIE_PREFIX}{}", &prefixed_secret("")[..12]);
        let cookie_value = prefixed_secret("");
        self.cookie = Some((cookie_name.clone(), token_hash(&cookie_value)));
        Opened { consent_url: self.consent_url.clone(), cookie_name, cookie_value }
    }

    /// The cookie's name, once opened.
    pub fn cookie_name(&self) -> Option<&str> {
        self.cookie.as_ref().map(|(name, _)| name.as_str())
    }

    /// Whether a request whose cookies `cookie` reads by name comes from the
    /// window that opened the binding (never before it was opened).
    pub fn is_opener(&self, cookie: &dyn Fn(&str) -> Option<String>) -> bool {
        self.cookie.as_ref().is_some_and(|(name, hash)| cookie(name).is_some_and(|value| token_hash(&value) == *hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_begin_key_opens_once_and_only_the_opening_windows_cookie_counts() {
        let mut window = Window::new("https://provider.example/authorize?state=s".into());
        let key = window.begin_key().to_owned();
        assert!(key.len() >= 43, "{key}");
        let none = |_: &str| None;
        assert!(!window.is_opener(&none), "nobody before it is opened");
        assert!(!window.opens_with("other") && !window.opens_with(""));
        assert!(window.opens_with(&key));
        let opened = window.open();
        assert_eq!(opened.consent_url, "https://provider.example/authorize?state=s");
        assert!(opened.cookie_name.starts_with(COOKIE_PREFIX) && opened.cookie_name.len() == COOKIE_PREFIX.len() + 12);
        assert_eq!(window.cookie_name(), Some(opened.cookie_name.as_str()));
        assert!(!window.opens_with(&key), "once");
        assert!(!window.opens_with(""), "not with nothing once opened");

        let (name, value) = (opened.cookie_name.clone(), opened.cookie_value.clone());
        assert!(window.is_opener(&|n: &str| (n == name).then(|| value.clone())));
        assert!(!window.is_opener(&|n: &str| (n == name).then(|| "guessed".to_owned())));
        assert!(!window.is_opener(&|_: &str| Some(value.clone()).filter(|_| false)));
        assert!(!window.is_opener(&none));
    }
}
