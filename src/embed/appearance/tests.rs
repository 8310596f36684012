use serde_json::json;

use super::*;

fn theme_of(value: serde_json::Value) -> Theme {
    theme(value.as_object().expect("an object"))
}

fn property<'a>(theme: &'a Theme, name: &str) -> Option<&'a str> {
    theme.properties.iter().find(|(p, _)| *p == name).map(|(_, v)| v.as_str())
}

#[test]
fn valid_variables_become_custom_properties() {
    let theme = theme_of(json!({
        "colorPrimary": "#0A7",
        "colorBackground": "#ffffff",
        "colorText": "#111111",
        "colorDanger": "#b00020",
        "fontFamily": "\"Inter\", Arial, sans-serif",
        "borderRadius": "4px",
        "spacing": 1.25,
    }));
    assert_eq!(theme.ignored, None);
    assert_eq!(property(&theme, "--color-brand"), Some("#0a7"));
    assert_eq!(property(&theme, "--color-focus"), Some("#0a7"));
    assert_eq!(property(&theme, "--color-page"), Some("#ffffff"));
    assert_eq!(property(&theme, "--color-text"), Some("#111111"));
    assert_eq!(property(&theme, "--color-bad"), Some("#b00020"));
    assert_eq!(property(&theme, "--font-sans"), Some("\"Inter\", Arial, sans-serif"));
    assert_eq!(property(&theme, "--radius"), Some("4px"));
    assert_eq!(property(&theme, "--radius-small"), Some("3px"));
    assert_eq!(property(&theme, "--space-4"), Some("1.25rem"));
    assert_eq!(property(&theme, "--space-1"), Some("0.313rem"));
    assert_eq!(theme_of(json!({ "borderRadius": 12 })).properties[0], ("--radius", "12px".to_owned()));
}

#[test]
fn css_that_is_not_a_plain_value_is_ignored_and_named() {
    let theme = theme_of(json!({
        "colorPrimary": "red; background: url(https://evil.example/x)",
        "colorText": "rgb(0,0,0)",
        "fontFamily": "Arial; } body { display: none",
        "borderRadius": "100px",
        "spacing": 9,
        "backgroundImage": "url(x)",
    }));
    assert!(theme.properties.is_empty(), "{:?}", theme.properties);
    let sentence = theme.ignored.expect("a sentence");
    assert!(sentence.contains("colorPrimary") && sentence.contains("spacing"), "{sentence}");
    assert!(sentence.contains("an unknown variable"), "{sentence}");
    assert!(!sentence.contains("backgroundImage") && !sentence.contains("evil"), "never echoes input: {sentence}");
}

#[test]
fn every_variable_is_read() {
    for name in VARIABLES {
        let theme = theme_of(json!({ name: "#000" }));
        let sentence = theme.ignored.unwrap_or_default();
        assert!(!sentence.contains("unknown"), "{name}: {sentence}");
    }
}
