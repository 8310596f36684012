//! Web addresses: the one rule for a field that holds an http(s) URL (a base
//! URL, a token URL), used by the dashboard as the user types and by the
//! server before it tests or saves, and for the address templates of a
//! connector definition.
//!
//! Hand-written rather than a full URL parser: it only has to tell a usable
//! `http://` or `https://` address from one that is not, and the dashboard's
//! bundle stays small. The server's engine parses the filled-in address
//! properly before it connects.

/// Why `text` is not a usable http or https address, as a sentence naming
/// the field by `label`; `None` when it is one. An empty `text` is left to
/// the field's own "required" rule.
///
/// `{{name}}` placeholders are accepted when `variables` holds their name
/// (a connector's templates, e.g. `https://{{store}}.myshopify.com`); each
/// stands for a value that fits in a host name. Values users enter are not
/// templates, so they are checked with no variables.
pub fn url_problem(label: &str, text: &str, variables: &[&str]) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let Some(filled) = fill(text, variables) else {
        return Some(format!(
            "The {label} uses a {{{{placeholder}}}} that is not a setting of this connector."
        ));
    };
    if filled.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("The {label} cannot contain spaces."));
    }
    let scheme_ok = filled.split_once("://").is_some_and(|(scheme, _)| {
        scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
    });
    if !scheme_ok {
        return Some(format!(
            "The {label} must start with http:// or https://, e.g. https://api.example.com."
        ));
    }
    let rest = filled.split_once("://").map_or("", |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Some(format!(
            "Put credentials in the authentication fields, not in the {label}."
        ));
    }
    let (host, port) = split_port(authority);
    if host.is_empty() {
        return Some(format!(
            "The {label} needs a host name after the scheme, e.g. https://api.example.com."
        ));
    }
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok());
    if !host_ok(host) || !port_ok || rest.contains('\\') {
        return Some(format!(
            "The {label} is not a valid web address, e.g. https://api.example.com."
        ));
    }
    None
}

/// The origin a browser would send for pages at `text` (`scheme://host[:port]`,
/// lower case, no default port), or why `text` is not one, as a sentence.
/// An origin is where a host portal's pages are served from: `https://` only,
/// except `http://localhost` and loopback addresses for development. A path,
/// query, fragment, credentials or a `*` are refused: an origin names one site.
pub fn origin(text: &str) -> Result<String, String> {
    let text = text.trim();
    let example = "e.g. https://portal.example.com";
    if text.is_empty() {
        return Err(format!("Enter an origin, {example}."));
    }
    if text.contains('*') {
        return Err(format!("An origin names one site; wildcards are not allowed, {example}."));
    }
    if let Some(problem) = url_problem("origin", text, &[]) {
        return Err(problem);
    }
    let (scheme, rest) = text.split_once("://").unwrap_or(("", text));
    let scheme = scheme.to_ascii_lowercase();
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#']) {
        return Err(format!("An origin has no path, query or fragment, {example}."));
    }
    let lower = rest.to_lowercase();
    let (host, port) = split_port(&lower);
    let loopback = host == "localhost" || host == "[::1]" || host.starts_with("127.");
    if scheme == "http" && !loopback {
        return Err(format!("An origin must use https:// (http:// only for localhost), {example}."));
    }
    let default_port = if scheme == "https" { 443 } else { 80 };
    Ok(match port.and_then(|p| p.parse::<u16>().ok()) {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// `text` with each `{{name}}` of `variables` replaced by a host-safe
/// stand-in; `None` when a placeholder names something else or is not closed.
fn fill(text: &str, variables: &[&str]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        if !variables.contains(&after[..end].trim()) {
            return None;
        }
        out.push('x');
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// The host and the port (when there is a `:`) of an authority.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        // An IPv6 literal, e.g. [::1]:8080; anything after it but a port is
        // reported as a port that is not valid.
        if let Some(end) = authority.find(']') {
            let (host, after) = authority.split_at(end + 1);
            return (host, (!after.is_empty()).then(|| after.strip_prefix(':').unwrap_or("x")));
        }
        return (authority, None);
    }
    match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

fn host_ok(host: &str) -> bool {
    if let Some(ip) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !ip.is_empty() && ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    }
    !host.starts_with(['.', '-'])
        && !host.contains("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

#[cfg(test)]
mod tests;
