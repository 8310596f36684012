//! Tests of the one rule for web addresses.

use super::{origin, url_problem};

fn problem(text: &str) -> String {
    url_problem("base URL", text, &[]).unwrap_or_default()
}

#[test]
fn an_address_without_a_scheme_says_to_start_with_http() {
    let message = problem("api.example.com/v1");
    assert_eq!(
        message,
        "The base URL must start with http:// or https://, e.g. https://api.example.com."
    );
    assert_eq!(problem("//api.example.com"), message);
    assert_eq!(problem("api.example.com:8080/v1"), message);
}

#[test]
fn only_http_and_https_are_addresses() {
    assert!(problem("ftp://files.example.com").contains("must start with http://"));
    assert!(problem("file:///etc/passwd").contains("must start with http://"));
    assert!(problem("javascript://alert(1)").contains("must start with http://"));
    assert_eq!(url_problem("token URL", "HTTPS://id.example.com/token", &[]), None);
    assert_eq!(url_problem("base URL", "http://127.0.0.1:8080/api", &[]), None);
    assert_eq!(url_problem("base URL", "https://[::1]:8443/v1?x=1#top", &[]), None);
    assert_eq!(url_problem("base URL", "https://bücher.example/api", &[]), None);
}

#[test]
fn an_address_needs_a_host() {
    for text in ["https://", "https:///v1", "http://:8080/x", "https://?q=1"] {
        assert!(problem(text).contains("needs a host name"), "{text}: {}", problem(text));
    }
}

#[test]
fn garbage_is_not_an_address_and_the_sentence_never_echoes_it() {
    for text in [
        "::::",
        "https://exa%mple.com",
        "https://a..b",
        "https://api.example.com:99999",
        "https://api.example.com:port",
        "https://[::1",
        "https://[zz]/",
        "http://x\\y",
        "<script>",
    ] {
        let message = problem(text);
        assert!(!message.is_empty(), "{text} was accepted");
        assert!(!message.contains(text), "{message}");
    }
    assert!(problem("https://user:pw@api.example.com").starts_with("Put credentials"));
}

#[test]
fn spaces_and_line_breaks_are_refused() {
    for text in ["not a url", "https://api.example.com/v 1", "https://api\n.example.com"] {
        assert_eq!(problem(text), "The base URL cannot contain spaces.", "{text:?}");
    }
    // Around the address they are ignored.
    assert_eq!(url_problem("base URL", "  https://api.example.com  ", &[]), None);
}

#[test]
fn templates_may_use_the_connectors_variables_only() {
    let shop = "https://{{store}}.myshopify.com/admin/api/2024-10";
    assert_eq!(url_problem("base URL", shop, &["store"]), None);
    assert_eq!(url_problem("base URL", "https://api.example.com/stores/{{ hash }}/v3", &["hash"]), None);
    let unknown = url_problem("base URL", shop, &["hash"]).unwrap();
    assert!(unknown.contains("not a setting of this connector"), "{unknown}");
    // A value a user types is not a template.
    assert!(url_problem("base URL", shop, &[]).is_some());
    assert!(url_problem("base URL", "https://{{store.example.com", &["store"]).is_some());
}

#[test]
fn nothing_entered_is_left_to_the_required_rule() {
    assert_eq!(url_problem("base URL", "", &[]), None);
    assert_eq!(url_problem("base URL", "   ", &[]), None);
}

#[test]
fn origins_are_normalised_the_way_browsers_send_them() {
    assert_eq!(origin("https://Portal.Example.com").unwrap(), "https://portal.example.com");
    assert_eq!(origin(" https://portal.example.com/ ").unwrap(), "https://portal.example.com");
    assert_eq!(origin("https://portal.example.com:443").unwrap(), "https://portal.example.com");
    assert_eq!(origin("https://portal.example.com:8443").unwrap(), "https://portal.example.com:8443");
    assert_eq!(origin("http://localhost:3001").unwrap(), "http://localhost:3001");
    assert_eq!(origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
    assert_eq!(origin("http://[::1]:80").unwrap(), "http://[::1]");
}

#[test]
fn what_is_not_one_site_is_refused_with_a_sentence() {
    for (text, says) in [
        ("", "Enter an origin"),
        ("https://*.example.com", "wildcards"),
        ("*", "wildcards"),
        ("portal.example.com", "must start with http:// or https://"),
        ("https://portal.example.com/embed", "no path"),
        ("https://portal.example.com?x=1", "no path"),
        ("https://user@portal.example.com", "credentials"),
        ("http://portal.example.com", "must use https://"),
        ("https://portal.example.com:99999", "not a valid web address"),
    ] {
        let problem = origin(text).unwrap_err();
        assert!(problem.contains(says), "{text:?}: {problem}");
        assert!(!problem.contains("portal.example.com/embed") && !problem.contains("user@"), "never echoes: {problem}");
    }
}
