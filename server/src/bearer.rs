//! The credential in a request's `Authorization: Bearer …` header.

use axum::http::{header, HeaderMap};

/// The bearer credential, if the request sends one (scheme case-insensitive).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, credential) = value.split_once(' ')?;
    let credential = credential.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credential.is_empty()).then_some(credential)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn only_a_bearer_credential_is_read() {
        assert_eq!(bearer(&with("Bearer ck_abc")), Some("ck_abc"));
        assert_eq!(bearer(&with("bearer   ck_abc ")), Some("ck_abc"));
        assert_eq!(bearer(&with("Basic ck_abc")), None);
        assert_eq!(bearer(&with("Bearer ")), None);
        assert_eq!(bearer(&with("Bearer")), None);
        assert_eq!(bearer(&HeaderMap::new()), None);
    }
}
