//! Tests of the developer settings rules: key names and the origins allowed to embed.

use super::*;


fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn fields(errors: &[FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn origins_are_normalised_and_keep_their_order() {
    let got = embed_origins(&list(&[" HTTPS://Portal.Example:443/ ", "http://localhost:8080", "https://b.example:8443"]));
    assert_eq!(got.unwrap(), ["https://portal.example", "http://localhost:8080", "https://b.example:8443"]);
    assert_eq!(embed_origins(&[]).unwrap(), Vec::<String>::new());
}

#[test]
fn each_bad_origin_is_refused_at_its_place_with_the_rules_sentence() {
    let input = list(&["https://ok.example", "http://plain.example", "https://a.example/path", "", "https://*.example"]);
    let errors = embed_origins(&input).unwrap_err();
    assert_eq!(fields(&errors), ["origins.1", "origins.2", "origins.3", "origins.4"]);
    for (error, text) in errors.iter().zip(&input[1..]) {
        assert_eq!(error.message, origin(text).unwrap_err());
        assert!(!error.message.contains("plain") && !error.message.contains("a.example"), "{}", error.message);
    }
}

#[test]
fn a_duplicate_after_normalising_is_refused_at_the_later_one() {
    let errors = embed_origins(&list(&["https://portal.example", "http://localhost", "HTTPS://PORTAL.example:443"])).unwrap_err();
    assert_eq!(fields(&errors), ["origins.2"]);
    assert_eq!(errors[0].message, "This origin is already in the list above.");
}

#[test]
fn at_most_twenty_origins_and_the_ones_past_that_are_named() {
    let twenty: Vec<String> = (0..MAX_ORIGINS).map(|n| format!("https://p{n}.example")).collect();
    assert_eq!(embed_origins(&twenty).unwrap().len(), 20);
    let mut more = twenty.clone();
    more.extend(list(&["https://p20.example", "https://p21.example"]));
    let errors = embed_origins(&more).unwrap_err();
    assert_eq!(fields(&errors), ["origins.20", "origins.21"]);
    assert_eq!(errors[0].message, "At most 20 origins may embed; remove this one or another.");
}

#[test]
fn a_name_is_trimmed_and_required() {
    assert_eq!(key_name("  portal backend \n").unwrap(), "portal backend");
    for blank in ["", "   ", "\t\n"] {
        let error = key_name(blank).unwrap_err();
        assert_eq!(error.field, "name");
        assert_eq!(error.message, "Enter a name for the key, e.g. the portal that will use it.");
    }
}

#[test]
fn a_name_has_at_most_80_characters_counted_as_characters() {
    assert_eq!(key_name(&"é".repeat(80)).unwrap().chars().count(), 80);
    let error = key_name(&"x".repeat(81)).unwrap_err();
    assert_eq!((error.field.as_str(), error.message.as_str()), ("name", "A key's name can be at most 80 characters."));
}

#[test]
fn a_name_with_control_characters_is_refused_without_echoing_it() {
    let error = key_name("portal\u{7}secret-words").unwrap_err();
    assert_eq!(error.field, "name");
    assert!(!error.message.contains("secret-words"), "{}", error.message);
    assert!(key_name("line\nbreak").is_err());
}

#[test]
fn a_created_keys_debug_output_leaves_its_secret_out() {
    let created = CreatedApiKey {
        key: ApiKeySummary { id: 3, name: "Portal".into(), prefix: "ck_AbCd".into(), created_by: "Ada".into(), created_at: 1, last_used_at: None },
        secret: "ck_AbCdEfGh-very-secret".into(),
    };
    let shown = format!("{created:?}");
    assert!(!shown.contains("very-secret") && shown.contains(crate::redacted::REDACTED), "{shown}");
    assert!(shown.contains("Portal"), "{shown}");
}
