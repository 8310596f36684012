//! Tests of field keys: every form reads and writes today's strings, and
//! knows its part of the page and its place in page order.

use super::*;

/// Every form of key, with the string it travels as.
fn every_form() -> Vec<(FieldKey, &'static str)> {
    vec![
        (FieldKey::Name, "name"),
        (FieldKey::TimeZone, "time_zone"),
        (FieldKey::DateFormat, "date_format"),
        (FieldKey::RateLimit, "rate_limit"),
        (FieldKey::ConnectionPool, "connection_pool"),
        (FieldKey::Variables, "variables"),
        (FieldKey::Variable("store".into()), "variables.store"),
        (FieldKey::AuthMethod, "authentication.method"),
        (FieldKey::AuthField("token".into()), "authentication.token"),
        (FieldKey::AuthField("client_secret".into()), "authentication.client_secret"),
        (FieldKey::Certificate(CertificatePart::Certificate), "certificate"),
        (FieldKey::Certificate(CertificatePart::PrivateKey), "private_key"),
        (FieldKey::Certificate(CertificatePart::Passphrase), "passphrase"),
        (FieldKey::Certificate(CertificatePart::Pkcs12), "pkcs12"),
        (FieldKey::Certificate(CertificatePart::Ca), "ca_certificate"),
        (FieldKey::Authorisation, "authorisation"),
        (FieldKey::Other("email".into()), "email"),
    ]
}

#[test]
fn every_key_travels_as_todays_string_and_back() {
    for (key, text) in every_form() {
        assert_eq!(key.to_string(), text);
        assert_eq!(FieldKey::parse(text), key, "{text}");
        let json = serde_json::to_value(&key).unwrap();
        assert_eq!(json, serde_json::Value::String(text.into()));
        let back: FieldKey = serde_json::from_value(json).unwrap();
        assert_eq!(back, key);
    }
}

#[test]
fn the_old_helpers_and_constants_name_the_same_keys() {
    assert_eq!(variable_field("store"), "variables.store");
    assert_eq!(auth_field("token"), "authentication.token");
    assert_eq!(FieldKey::parse(FIELD_AUTH_METHOD), FieldKey::AuthMethod);
    assert_eq!(FieldKey::parse(FIELD_CERT_PKCS12), FieldKey::Certificate(CertificatePart::Pkcs12));
}

#[test]
fn each_key_knows_its_part_of_the_page() {
    let section = |text: &str| FieldKey::parse(text).section();
    assert_eq!(section("name"), Section::Details);
    assert_eq!(section("variables.store"), Section::Details);
    assert_eq!(section("variables"), Section::Details);
    assert_eq!(section("authentication.method"), Section::Authentication);
    assert_eq!(section("authentication.token"), Section::Authentication);
    assert_eq!(section("authorisation"), Section::Authentication);
    for part in CertificatePart::ALL {
        assert_eq!(section(part.key()), Section::Certificates);
    }
    assert_eq!(section("something else"), Section::Details);
}

#[test]
fn keys_sort_into_page_order() {
    let page = [
        "name",
        "time_zone",
        "date_format",
        "rate_limit",
        "connection_pool",
        "variables.store",
        "authentication.method",
        "authentication.token",
        "authorisation",
        "certificate",
        "private_key",
        "passphrase",
        "ca_certificate",
        "something else",
    ];
    let orders: Vec<u8> = page.iter().map(|k| FieldKey::parse(k).page_order()).collect();
    assert!(orders.windows(2).all(|w| w[0] < w[1]), "{orders:?}");
    assert_eq!(FieldKey::parse("pkcs12").page_order(), FieldKey::parse("certificate").page_order());
}

#[test]
fn only_keys_under_authentication_are_authentication_fields() {
    assert!(FieldKey::parse("authentication.method").is_authentication());
    assert!(FieldKey::parse("authentication.token").is_authentication());
    assert!(!FieldKey::parse("authorisation").is_authentication());
    assert!(FieldKey::parse("variables.store").is_variable());
    assert!(!FieldKey::parse("variables").is_variable());
}
