//! Checking a request for an embed session: the host page's origin must be
//! one the company allows to embed, and the end user's name must be fit for
//! the history. And how long a session's secret and token live.

use conduit_types::address::origin;
use conduit_types::embed::{FIELD_ORIGIN, FIELD_USER_NAME, MAX_USER_NAME};
use conduit_types::{FieldError, NewEmbedSession, Timestamp};

/// How long a session's one-time secret can be exchanged: five minutes.
pub const SECRET_SECONDS: i64 = 5 * 60;
/// How long the bearer token it is exchanged for lives by default: fifteen
/// minutes (`--embed-token-seconds` sets it).
pub const TOKEN_SECONDS: i64 = 15 * 60;
/// The token lifetimes that may be configured: from 30 seconds to an hour.
pub const TOKEN_SECONDS_RANGE: std::ops::RangeInclusive<i64> = 30..=3600;

/// When something made at `now`, living `seconds`, expires.
pub fn expires_at(now: Timestamp, seconds: i64) -> Timestamp {
    now + seconds
}

/// A request's origin (normalised) and user name (trimmed), once valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRequest {
    pub origin: String,
    pub user_name: String,
}

/// Checks `new` against the company's `allowed` origins (normalised);
/// every field's problem at its key.
pub fn check_request(new: &NewEmbedSession, allowed: &[String]) -> Result<CheckedRequest, Vec<FieldError>> {
    let mut errors = vec![];
    let origin = match origin(&new.origin) {
        Ok(o) if allowed.contains(&o) => Some(o),
        Ok(_) => {
            errors.push(field(FIELD_ORIGIN, "This origin is not allowed to embed. Add it in the developer settings first."));
            None
        }
        Err(message) => {
            errors.push(FieldError { field: FIELD_ORIGIN.to_owned(), message });
            None
        }
    };
    let user_name = new.user_name.trim();
    if user_name.is_empty() {
        errors.push(field(FIELD_USER_NAME, "Give the end user's name, as the history should show it."));
    } else if user_name.chars().count() > MAX_USER_NAME {
        errors.push(field(FIELD_USER_NAME, &format!("The user's name can be at most {MAX_USER_NAME} characters.")));
    } else if user_name.chars().any(char::is_control) {
        errors.push(field(FIELD_USER_NAME, "The user's name cannot contain line breaks, tabs or other control characters."));
    }
    match origin {
        Some(origin) if errors.is_empty() => Ok(CheckedRequest { origin, user_name: user_name.to_owned() }),
        _ => Err(errors),
    }
}

fn field(key: &str, message: &str) -> FieldError {
    FieldError { field: key.to_owned(), message: message.to_owned() }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn request(origin: &str, user_name: &str) -> NewEmbedSession {
        NewEmbedSession { instance: 7, origin: origin.into(), user_name: user_name.into(), permissions: BTreeSet::new() }
    }

    fn allowed() -> Vec<String> {
        vec!["https://portal.example".to_owned(), "http://localhost:4000".to_owned()]
    }

    fn fields(result: Result<CheckedRequest, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn an_allowed_origin_is_normalised_and_the_name_trimmed() {
        let checked = check_request(&request(" HTTPS://Portal.Example:443/ ", "  Jane Doe "), &allowed()).unwrap();
        assert_eq!(checked, CheckedRequest { origin: "https://portal.example".into(), user_name: "Jane Doe".into() });
        assert!(check_request(&request("http://localhost:4000", "J"), &allowed()).is_ok());
    }

    #[test]
    fn an_origin_not_allowed_or_not_an_origin_is_refused_at_its_field() {
        for origin in ["https://evil.example", "https://portal.example.evil", "http://portal.example", "https://portal.example/page", "", "*"] {
            assert_eq!(fields(check_request(&request(origin, "Jane"), &allowed())), ["origin"], "{origin}");
        }
        assert_eq!(fields(check_request(&request("https://portal.example", "Jane"), &[])), ["origin"]);
    }

    #[test]
    fn the_user_name_is_required_short_and_one_line() {
        let long = "x".repeat(MAX_USER_NAME + 1);
        for name in ["", "   ", long.as_str(), "Jane\nDoe", "Jane\tDoe"] {
            assert_eq!(fields(check_request(&request("https://portal.example", name), &allowed())), ["user_name"], "{name:?}");
        }
        assert!(check_request(&request("https://portal.example", &"é".repeat(MAX_USER_NAME)), &allowed()).is_ok());
        assert_eq!(fields(check_request(&request("https://evil.example", ""), &allowed())), ["origin", "user_name"]);
    }

    #[test]
    fn a_secret_lives_five_minutes_and_a_token_fifteen() {
        assert_eq!(expires_at(1_000, SECRET_SECONDS), 1_300);
        assert_eq!(expires_at(1_000, TOKEN_SECONDS), 1_900);
    }
}
