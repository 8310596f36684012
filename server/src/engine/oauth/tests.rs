//! Tests of the engine's OAuth pieces: OAuth 1 signatures against published
//! examples, token answers, endpoints and the consent URL.

use super::*;

/// Credentials from a realm, the consumer key and secret and the token
/// and its secret (in that order), and a signature method.
fn credentials<'a>(realm: Option<&'a str>, [consumer_key, consumer_secret, token, token_secret]: [&'a str; 4], method: SignatureMethod) -> OAuth1Credentials<'a> {
    OAuth1Credentials { realm, consumer_key, consumer_secret, token, token_secret, method }
}

/// The header signing a GET of `url`, and its parameters parsed back.
fn signed_get(credentials: &OAuth1Credentials<'_>, url: &str, timestamp: u64, nonce: &str) -> (String, BTreeMap<String, String>) {
    let header = oauth1_header(credentials, "GET", &Url::parse(url).unwrap(), timestamp, nonce);
    let params = parse_oauth1_header(&header).unwrap();
    (header, params)
}

/// The worked example of Twitter's "Creating a signature" guide, a
/// widely checked HMAC-SHA1 vector.
#[test]
fn hmac_sha1_signature_matches_the_published_example() {
    let credentials = credentials(None, ["xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"], SignatureMethod::HmacSha1);
    let url = Url::parse(
        "https://api.twitter.com/1.1/statuses/update.json?include_entities=true&status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21",
    )
    .unwrap();
    let params = [
        ("oauth_consumer_key", credentials.consumer_key),
        ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1318622958"),
        ("oauth_token", credentials.token),
        ("oauth_version", "1.0"),
    ];
    assert_eq!(
        oauth1_signature(&credentials, "POST", &url, &params),
        "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    );
}

/// The worked example of the OAuth Core 1.0 specification (appendix
/// A.5, the request RFC 5849 section 1.2 tells as a story): HMAC-SHA1
/// over a GET with query parameters.
#[test]
fn hmac_sha1_signature_matches_the_oauth_core_example() {
    let credentials = credentials(Some("http://photos.example.net/"), ["dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk", "pfkkdhi9sl3r4s00"], SignatureMethod::HmacSha1);
    let (header, params) = signed_get(&credentials, "http://photos.example.net/photos?file=vacation.jpg&size=original", 1_191_242_096, "kllo9940pd9333jh");
    assert_eq!(params["oauth_signature_method"], "HMAC-SHA1");
    assert_eq!(params["oauth_signature"], "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    assert!(header.contains(r#"oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D""#), "{header}");
}

#[test]
fn the_header_carries_realm_and_every_oauth_parameter_encoded() {
    let credentials = credentials(Some("1234567_SB1"), ["ck", "cs", "tk", "ts"], SignatureMethod::HmacSha256);
    let url = Url::parse("https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer?limit=1").unwrap();
    let header = oauth1_header(&credentials, "GET", &url, 1_700_000_000, "n0nce");
    assert!(header.starts_with("OAuth realm=\"1234567_SB1\", oauth_consumer_key=\"ck\""), "{header}");
    assert!(header.contains("oauth_signature_method=\"HMAC-SHA256\""));
    assert!(header.contains("oauth_timestamp=\"1700000000\""));
    assert!(!header.contains("cs") && !header.contains("\"ts\""), "secrets never appear: {header}");
    // A different secret gives a different signature.
    let other = OAuth1Credentials { token_secret: "other", ..credentials };
    assert_ne!(header, oauth1_header(&other, "GET", &url, 1_700_000_000, "n0nce"));
}

#[test]
fn a_signed_header_parses_back_to_its_parameters() {
    let credentials = credentials(Some("ACME_SB1"), ["c k", "cs", "tk", "ts"], SignatureMethod::HmacSha1);
    let (_, params) = signed_get(&credentials, "https://api.example.com/me", 42, "n");
    assert_eq!(params["realm"], "ACME_SB1");
    assert_eq!(params["oauth_consumer_key"], "c k");
    assert_eq!(params["oauth_timestamp"], "42");
    assert_eq!(signature_method(&params["oauth_signature_method"]), Some(SignatureMethod::HmacSha1));
    assert_eq!(signature_method("PLAINTEXT"), None);
    assert!(params["oauth_signature"].ends_with('='), "decoded base64");
    assert!(parse_oauth1_header("Bearer x").is_none());
}

#[test]
fn a_provider_accepts_only_a_signature_made_with_its_secrets() {
    let url = Url::parse("https://api.example.com/me?limit=1").unwrap();
    for method in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256] {
        let signer = credentials(None, ["ck", "cs", "tk", "ts"], method);
        let params = parse_oauth1_header(&oauth1_header(&signer, "GET", &url, 42, "n")).unwrap();
        assert!(oauth1_signature_valid(&params, "GET", &url, "cs", "ts"), "{method:?}");
        assert!(!oauth1_signature_valid(&params, "GET", &url, "cs", "other"), "another token secret");
        assert!(!oauth1_signature_valid(&params, "GET", &url, "other", "ts"), "another consumer secret");
        assert!(!oauth1_signature_valid(&params, "POST", &url, "cs", "ts"), "another method");
        assert!(!oauth1_signature_valid(&params, "GET", &Url::parse("https://api.example.com/me").unwrap(), "cs", "ts"), "another URL");
        let mut unnamed = params.clone();
        unnamed.insert("oauth_signature_method".into(), "PLAINTEXT".into());
        assert!(!oauth1_signature_valid(&unnamed, "GET", &url, "cs", "ts"), "an unsupported method");
    }
}

#[test]
fn only_standard_token_error_codes_are_passed_on() {
    assert_eq!(token_error_code(br#"{"error":"invalid_client","error_description":"secret abc"}"#), Some("invalid_client"));
    assert_eq!(token_error_code(br#"{"error":"my secret is hunter2"}"#), None);
    assert_eq!(token_error_code(b"<html>"), None);
}

#[test]
fn the_pkce_challenge_matches_the_rfc_example() {
    // RFC 7636, appendix B.
    assert_eq!(
        pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

#[test]
fn endpoints_come_from_the_template_or_the_field() {
    let vars = BTreeMap::from([("store".to_owned(), "north".to_owned())]);
    let shop = endpoint(Some("https://{{store}}.myshopify.com/admin/oauth/access_token"), Some("https://x.example"), &vars);
    assert_eq!(shop.unwrap().as_str(), "https://north.myshopify.com/admin/oauth/access_token");
    assert_eq!(endpoint(None, Some(" https://id.example/token "), &vars).unwrap().host_str(), Some("id.example"));
    for bad in ["ftp://id.example/token", "https://u:p@id.example/token", "not a url", ""] {
        assert!(endpoint(None, Some(bad), &vars).is_none(), "{bad}");
    }
    assert!(endpoint(None, None, &vars).is_none());
}

#[test]
fn encoding_keeps_only_unreserved_characters() {
    assert_eq!(encode("a b+c/d~e_f.g-h"), "a%20b%2Bc%2Fd~e_f.g-h");
}

#[test]
fn the_consent_url_asks_for_a_code_with_pkce_and_the_scopes_joined() {
    let consent = Consent {
        client_id: "client 1",
        redirect_uri: "https://conduit.example/api/oauth/callback",
        scope: Some(" read,write  admin "),
        scope_separator: ",",
        state: "s-1",
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    };
    let url = consent_url(Url::parse("https://id.example/authorize?tenant=7").unwrap(), &consent);
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        pairs,
        [
            ("tenant", "7"),
            ("response_type", "code"),
            ("client_id", "client 1"),
            ("redirect_uri", "https://conduit.example/api/oauth/callback"),
            ("scope", "read,write,admin"),
            ("state", "s-1"),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            ("code_challenge_method", "S256"),
        ]
    );
    assert_eq!((url.host_str(), url.path()), (Some("id.example"), "/authorize"));

    // Without scopes (none, or only separators) no scope is asked for.
    for scope in [None, Some(" , ")] {
        let url = consent_url(Url::parse("https://id.example/authorize").unwrap(), &Consent { scope, ..consent });
        assert!(!url.query_pairs().any(|(k, _)| k == "scope"), "{url}");
    }
    let spaced = consent_url(
        Url::parse("https://id.example/authorize").unwrap(),
        &Consent { scope: Some("read\twrite"), scope_separator: " ", ..consent },
    );
    assert!(spaced.query_pairs().any(|(k, v)| k == "scope" && v == "read write"), "{spaced}");
}
