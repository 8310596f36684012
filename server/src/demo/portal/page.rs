//! The sample partner portal's page: HTML with conduit's three embed lines
//! (the script and one `<conduit-instance-settings>` per instance), its CSS
//! and its event-log script, and the strict Content-Security-Policy it is
//! served with (scripts from itself and conduit, frames from conduit only).

use super::rules::{Portal, SESSION_PATH, USER_NAME};

pub const CSS: &str = include_str!("portal.css");
pub const SCRIPT: &str = include_str!("portal.js");
const HTML: &str = include_str!("page.html");

/// The page for `portal`.
pub fn html(portal: &Portal) -> String {
    let instances: String = portal
        .instances
        .iter()
        .map(|id| {
            format!(
                "  <section class=\"instance\" aria-labelledby=\"instance-{id}\">\n    <h2 id=\"instance-{id}\">instance {id}</h2>\n    <conduit-instance-settings instance=\"{id}\" session-url=\"{SESSION_PATH}\"></conduit-instance-settings>\n  </section>\n"
            )
        })
        .collect();
    HTML.replace("{script}", &escape(&portal.conduit.script_url()))
        .replace("{origin}", &escape(&portal.origin))
        .replace("{conduit}", &escape(&portal.conduit.origin))
        .replace("{session_path}", SESSION_PATH)
        .replace("{user}", USER_NAME)
        .replace("{instances}\n", &instances)
}

/// The page's Content-Security-Policy.
pub fn csp(portal: &Portal) -> String {
    let conduit = &portal.conduit.origin;
    format!(
        "default-src 'none'; script-src 'self' {conduit}; style-src 'self'; img-src 'self'; connect-src 'self'; frame-src {conduit}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::super::rules::sample_portal as portal;

    #[test]
    fn the_page_embeds_each_instance_with_the_contracts_three_lines() {
        let page = html(&portal());
        assert!(page.contains(r#"<script type="module" src="http://127.0.0.1:3000/embed/v1/conduit-embed.js"></script>"#), "{page}");
        for id in [7, 10] {
            let element = format!(r#"<conduit-instance-settings instance="{id}" session-url="/conduit-session"></conduit-instance-settings>"#);
            assert_eq!(page.matches(&element).count(), 1, "{page}");
        }
        assert_eq!(page.matches("<conduit-instance-settings").count(), 2);
        assert!(page.contains(r#"role="log""#) && page.contains(r#"<script type="module" src="/portal.js">"#));
        assert!(!page.contains('{'), "every placeholder is filled: {page}");
    }

    #[test]
    fn the_policy_allows_scripts_and_frames_from_conduit_only() {
        let policy = csp(&portal());
        assert!(policy.starts_with("default-src 'none'; script-src 'self' http://127.0.0.1:3000;"), "{policy}");
        assert!(policy.contains("frame-src http://127.0.0.1:3000;") && policy.contains("connect-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe") && !policy.contains('*'), "{policy}");
    }

    #[test]
    fn addresses_are_escaped_in_the_page() {
        assert_eq!(escape(r#"a"<b>&"#), "a&quot;&lt;b&gt;&amp;");
    }
}
