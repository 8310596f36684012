//! Tests of connector definitions' wire form and choices.

use super::*;

#[test]
fn placement_is_tagged_by_where_it_goes() {
    let p: Placement =
        serde_json::from_str(r#"{"in":"header","name":"X-Shopify-Access-Token"}"#).unwrap();
    assert_eq!(
        p,
        Placement::Header {
            name: "X-Shopify-Access-Token".into(),
            prefix: None,
        }
    );
}

#[test]
fn choice_values_match_their_wire_names() {
    for style in ClientAuthStyle::ALL {
        assert_eq!(serde_json::to_value(style).unwrap(), style.key());
        assert_eq!(ClientAuthStyle::from_key(style.key()), Some(style));
    }
    for method in SignatureMethod::ALL {
        assert_eq!(serde_json::to_value(method).unwrap(), method.name());
        assert_eq!(SignatureMethod::from_name(method.name()), Some(method));
    }
    assert_eq!(ClientAuthStyle::from_key("Basic"), None);
    assert_eq!(SignatureMethod::from_name("PLAINTEXT"), None);
}

#[test]
fn an_empty_choice_is_the_first_one_and_other_fields_keep_their_value() {
    let mut def: FieldDef = serde_json::from_str(
        r#"{"key":"client_auth","label":"client authentication","placement":{"in":"auth"},
                "choices":[{"value":"basic_header","label":"basic header"},{"value":"request_body","label":"in the request body"}]}"#,
    )
    .unwrap();
    assert_eq!(def.chosen(""), "basic_header");
    assert_eq!(def.chosen("request_body"), "request_body");
    def.choices.clear();
    assert_eq!(def.chosen(""), "");
}

#[test]
fn only_authorisation_code_needs_a_user_step() {
    let needing: Vec<_> = [
        AuthKind::Basic,
        AuthKind::Token,
        AuthKind::Oauth2ClientCredentials,
        AuthKind::Oauth2AuthorisationCode,
        AuthKind::Oauth1,
    ]
    .into_iter()
    .filter(|k| k.needs_user_step())
    .collect();
    assert_eq!(needing, vec![AuthKind::Oauth2AuthorisationCode]);
}
