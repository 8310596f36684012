//! The dashboard's `index.html` as the server sends it: read once at start,
//! with the base path written into its `<base href>` (Trunk writes relative
//! asset paths, so that one element decides where they load from and one
//! build serves under any base path). The page as built is sent as a file
//! (with its precompressed copies); a rewritten page is sent from memory,
//! never as the built copies, which hold the page before the rewrite.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// The page, worked out once at start.
#[derive(Clone, Debug)]
pub struct IndexPage {
    file: PathBuf,
    html: String,
    /// The page differs from the file: it is sent from memory.
    rewritten: bool,
}

impl IndexPage {
    /// `dir`'s `index.html` for base path `base` (empty when it is not
    /// built). At the root it is the page as built (whose `<base href="/">`
    /// fits).
    pub fn read(dir: &Path, base: &str) -> IndexPage {
        let file = dir.join("index.html");
        let built = std::fs::read_to_string(&file).unwrap_or_default();
        let html = if built.is_empty() || base.is_empty() { built.clone() } else { with_base(&built, base) };
        IndexPage { rewritten: html != built, file, html }
    }

    /// The page's text, as sent (its inline scripts are what the content
    /// security policy allows).
    pub fn html(&self) -> &str {
        &self.html
    }

    /// Answers `request` with the page.
    pub async fn serve(&self, request: Request) -> Response {
        if !self.rewritten {
            let file = ServeFile::new(&self.file).precompressed_br().precompressed_gzip();
            return match file.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
        }
        let mut response = self.html.clone().into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        response
    }
}

/// `html` with its first `<base>` element's `href` set to `{base}/`, or such
/// an element added at the start of its `<head>` when it has none. `base` is
/// a checked base path ([`crate::base_path::parse`]), safe in an attribute.
pub fn with_base(html: &str, base: &str) -> String {
    let href = format!("{base}/");
    // ASCII lowercasing keeps byte offsets, so positions in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let element = lower
        .match_indices("<base")
        .map(|(at, _)| at)
        .find(|&at| lower[at + 5..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/'));
    if let Some(start) = element {
        let end = lower[start..].find('>').map_or(html.len(), |len| start + len);
        let tag = &lower[start..end];
        if let Some(value) = attribute_value(tag, "href") {
            let (from, to) = (start + value.0, start + value.1);
            return format!("{}{href}{}", &html[..from], &html[to..]);
        }
        let at = start + "<base".len();
        return format!("{} href=\"{href}\"{}", &html[..at], &html[at..]);
    }
    let at = lower.find("<head>").map_or(0, |at| at + "<head>".len());
    format!("{}<base href=\"{href}\" />{}", &html[..at], &html[at..])
}

/// Where `name`'s value lies in `tag` (quoted with `"` or `'`, or bare), as
/// byte offsets of the value without its quotes.
fn attribute_value(tag: &str, name: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(found) = tag[at..].find(name) {
        let start = at + found;
        at = start + name.len();
        let before = tag[..start].chars().next_back();
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = tag[at..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else { continue };
        let value_start = tag.len() - rest.trim_start().len();
        let value = &tag[value_start..];
        return Some(match value.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let len = value[1..].find(quote).unwrap_or(value.len() - 1);
                (value_start + 1, value_start + 1 + len)
            }
            _ => {
                let len = value.find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(value.len());
                (value_start, value_start + len)
            }
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_element_gets_the_base_path() {
        let built = "<html><head><meta charset=\"utf-8\" />\n<base href=\"/\" />\n<script type=\"module\">import init from './a.js';</script></head></html>";
        assert_eq!(
            with_base(built, "/conduit"),
            "<html><head><meta charset=\"utf-8\" />\n<base href=\"/conduit/\" />\n<script type=\"module\">import init from './a.js';</script></head></html>"
        );
        assert_eq!(with_base("<BASE target=_top HREF='/x/'>", "/a/b"), "<BASE target=_top HREF='/a/b/'>");
        assert_eq!(with_base("<base href=/>", "/a"), "<base href=/a/>");
        assert_eq!(with_base("<base data-href=\"x\" href=\"/\">", "/a"), "<base data-href=\"x\" href=\"/a/\">");
        assert_eq!(with_base("<base target=\"_top\">", "/a"), "<base href=\"/a/\" target=\"_top\">");
    }

    #[test]
    fn a_page_without_a_base_element_gets_one_first_in_its_head() {
        assert_eq!(
            with_base("<html><head><basefont><title>x</title></head></html>", "/a"),
            "<html><head><base href=\"/a/\" /><basefont><title>x</title></head></html>"
        );
        assert_eq!(with_base("<p>no head</p>", "/a"), "<base href=\"/a/\" /><p>no head</p>");
    }

    #[test]
    fn only_a_rewritten_page_is_sent_from_memory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<head><base href=\"/\" /></head>").unwrap();
        let root = IndexPage::read(dir.path(), "");
        assert!(!root.rewritten);
        std::fs::write(dir.path().join("index.html"), "<head></head>").unwrap();
        assert_eq!(IndexPage::read(dir.path(), "").html(), "<head></head>", "the root serves the page as built");
        std::fs::write(dir.path().join("index.html"), "<head><base href=\"/\" /></head>").unwrap();
        let nested = IndexPage::read(dir.path(), "/conduit");
        assert!(nested.rewritten);
        assert_eq!(nested.html(), "<head><base href=\"/conduit/\" /></head>");
        let missing = IndexPage::read(&dir.path().join("missing"), "/conduit");
        assert_eq!(missing.html(), "");
    }
}
