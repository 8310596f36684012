//! OAuth pieces of the engine: OAuth 1 request signing (RFC 5849, as NetSuite
//! token-based authentication uses it) and reading OAuth 2 token answers.

use std::collections::BTreeMap;

use base64::Engine as _;
use conduit_types::SignatureMethod;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use url::Url;

/// RFC 3986 unreserved characters stay; everything else is encoded.
const OAUTH: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, OAUTH).to_string()
}

/// What an OAuth 1 signature needs.
pub struct OAuth1Credentials<'a> {
    pub realm: Option<&'a str>,
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: &'a str,
    pub token_secret: &'a str,
    pub method: SignatureMethod,
}

/// The `Authorization` header value for `http_method` on `url`, with the
/// given timestamp and nonce (fresh ones for every request).
pub fn oauth1_header(
    credentials: &OAuth1Credentials<'_>,
    http_method: &str,
    url: &Url,
    timestamp: u64,
    nonce: &str,
) -> String {
    let method_name = signature_method_name(credentials.method);
    let timestamp = timestamp.to_string();
    let oauth_params = [
        ("oauth_consumer_key", credentials.consumer_key),
        ("oauth_nonce", nonce),
        ("oauth_signature_method", method_name),
        ("oauth_timestamp", timestamp.as_str()),
        ("oauth_token", credentials.token),
        ("oauth_version", "1.0"),
    ];
    let signature = oauth1_signature(credentials, http_method, url, &oauth_params);

    let mut header = String::from("OAuth ");
    if let Some(realm) = credentials.realm {
        header.push_str(&format!("realm=\"{}\", ", encode(realm)));
    }
    for (key, value) in oauth_params {
        header.push_str(&format!("{key}=\"{}\", ", encode(value)));
    }
    header.push_str(&format!("oauth_signature=\"{}\"", encode(&signature)));
    header
}

/// The name of a signature method as `oauth_signature_method` carries it.
pub fn signature_method_name(method: SignatureMethod) -> &'static str {
    method.name()
}

/// The signature method an `oauth_signature_method` value names, if supported.
pub fn signature_method(name: &str) -> Option<SignatureMethod> {
    SignatureMethod::from_name(name)
}

/// The parameters of an `OAuth …` Authorization header, decoded, as a
/// provider reads them (the sandbox and test providers check signatures).
pub fn parse_oauth1_header(value: &str) -> Option<BTreeMap<String, String>> {
    let params = value.strip_prefix("OAuth ")?;
    Some(
        params
            .split(',')
            .filter_map(|kv| kv.trim().split_once('='))
            .map(|(k, v)| {
                let v = percent_encoding::percent_decode_str(v.trim_matches('"')).decode_utf8_lossy();
                (k.to_owned(), v.into_owned())
            })
            .collect(),
    )
}

/// The check a provider makes (the demo's sandbox and the test providers):
/// whether the parsed header `params` sign an `http_method` request to `url`
/// with the consumer and token secrets, by the signature method they name.
pub fn oauth1_signature_valid(
    params: &BTreeMap<String, String>,
    http_method: &str,
    url: &Url,
    consumer_secret: &str,
    token_secret: &str,
) -> bool {
    let Some(method) = params.get("oauth_signature_method").and_then(|m| signature_method(m)) else {
        return false;
    };
    // Only the secrets and the method sign; the keys are among the parameters.
    let credentials = OAuth1Credentials { realm: None, consumer_key: "", consumer_secret, token: "", token_secret, method };
    let signed: Vec<(&str, &str)> = params
        .iter()
        .filter(|(k, _)| k.starts_with("oauth_") && *k != "oauth_signature")
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    params.get("oauth_signature") == Some(&oauth1_signature(&credentials, http_method, url, &signed))
}

/// The base64 signature over the signature base string (RFC 5849 3.4.1).
pub fn oauth1_signature(
    credentials: &OAuth1Credentials<'_>,
    http_method: &str,
    url: &Url,
    oauth_params: &[(&str, &str)],
) -> String {
    let mut params: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (encode(&k), encode(&v)))
        .chain(oauth_params.iter().map(|(k, v)| (encode(k), encode(v))))
        .collect();
    params.sort();
    let normalised = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let mut base_url = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default().to_lowercase());
    if let Some(port) = url.port() {
        base_url.push_str(&format!(":{port}"));
    }
    base_url.push_str(url.path());

    let base = format!(
        "{}&{}&{}",
        http_method.to_uppercase(),
        encode(&base_url),
        encode(&normalised)
    );
    let key = format!("{}&{}", encode(credentials.consumer_secret), encode(credentials.token_secret));
    let digest = match credentials.method {
        SignatureMethod::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
        SignatureMethod::HmacSha1 => {
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
            mac.update(base.as_bytes());
            mac.finalize().into_bytes().to_vec()
        }
    };
    base64::engine::general_purpose::STANDARD.encode(digest)
}

/// An OAuth 2 endpoint of a method: the connector's template (filled with
/// the instance's variables) when it has one, else the method's field. Only
/// a full http or https address without credentials in it counts.
pub fn endpoint(
    template: Option<&str>,
    field: Option<&str>,
    variables: &BTreeMap<String, String>,
) -> Option<Url> {
    let text = match template {
        Some(template) => crate::catalogue::render(template, |name| variables.get(name).map(|v| v.trim().to_owned())).ok()?,
        None => field?.trim().to_owned(),
    };
    Url::parse(&text)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .filter(|u| u.username().is_empty() && u.password().is_none())
}

/// The PKCE S256 challenge of a code verifier (RFC 7636 4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

/// What the provider's consent page is asked for: an authorisation code
/// for `client_id`, sent back to `redirect_uri` with `state`, bound to the
/// code verifier by its PKCE S256 challenge.
pub struct Consent<'a> {
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    /// The scopes as entered, apart by white space or `scope_separator`.
    pub scope: Option<&'a str>,
    /// How the provider wants scopes apart (RFC 6749 says a space).
    pub scope_separator: &'a str,
    pub state: &'a str,
    pub code_verifier: &'a str,
}

/// The address of the provider's consent page (RFC 6749 4.1.1, RFC 7636
/// 4.3): `authorize_url` with the request in its query. Scopes are joined
/// by the provider's separator; without any, no `scope` is sent.
pub fn consent_url(mut authorize_url: Url, consent: &Consent<'_>) -> Url {
    let separator = consent.scope_separator;
    let scope = consent
        .scope
        .map(|s| {
            s.split(|c: char| c.is_whitespace() || separator.contains(c))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(separator)
        })
        .unwrap_or_default();
    {
        let mut query = authorize_url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", consent.client_id)
            .append_pair("redirect_uri", consent.redirect_uri);
        if !scope.is_empty() {
            query.append_pair("scope", &scope);
        }
        query
            .append_pair("state", consent.state)
            .append_pair("code_challenge", &pkce_challenge(consent.code_verifier))
            .append_pair("code_challenge_method", "S256");
    }
    authorize_url
}

/// A successful OAuth 2 token answer (RFC 6749 5.1).
#[derive(Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<i64>,
    /// The scopes granted, when the provider says (RFC 6749 5.1).
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
}

/// The standard error code of a failed token answer (RFC 6749 5.2). Only the
/// codes the standard defines are passed on, so nothing else from the third
/// party's body ever reaches a user.
pub fn token_error_code(body: &[u8]) -> Option<&'static str> {
    const KNOWN: [&str; 6] = [
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    ];
    let parsed: TokenError = serde_json::from_slice(body).ok()?;
    KNOWN.into_iter().find(|k| *k == parsed.error)
}

#[cfg(test)]
mod tests;
