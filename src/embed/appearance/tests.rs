use super::*;

fn text(name: &str, value: &str) -> (String, Setting) {
    (name.to_owned(), Setting::Text(value.to_owned()))
}

fn number(name: &str, value: f64) -> (String, Setting) {
    (name.to_owned(), Setting::Number(value))
}

fn property<'a>(theme: &'a Theme, name: &str) -> Option<&'a str> {
    theme.properties.iter().find(|(p, _)| *p == name).map(|(_, v)| v.as_str())
}

#[test]
fn valid_variables_become_custom_properties() {
    let theme = theme(&[
        text("colorPrimary", "#0A7"),
        text("colorBackground", "#ffffff"),
        text("colorText", "#111111"),
        text("colorDanger", "#b00020"),
        text("fontFamily", "\"Inter\", Arial, sans-serif"),
        text("borderRadius", "4px"),
        number("spacing", 1.25),
    ]);
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
    assert_eq!(super::theme(&[number("borderRadius", 12.0)]).properties[0], ("--radius", "12px".to_owned()));
}

#[test]
fn css_that_is_not_a_plain_value_is_ignored_and_named() {
    let theme = theme(&[
        text("colorPrimary", "red; background: url(https://evil.example/x)"),
        text("colorText", "rgb(0,0,0)"),
        text("fontFamily", "Arial; } body { display: none"),
        text("borderRadius", "100px"),
        number("spacing", 9.0),
        number("colorDanger", 1.0),
        text("backgroundImage", "url(x)"),
    ]);
    assert!(theme.properties.is_empty(), "{:?}", theme.properties);
    let sentence = theme.ignored.expect("a sentence");
    assert!(sentence.contains("colorPrimary") && sentence.contains("spacing"), "{sentence}");
    assert!(sentence.contains("an unknown variable"), "{sentence}");
    assert!(!sentence.contains("backgroundImage") && !sentence.contains("evil"), "never echoes input: {sentence}");
}

#[test]
fn every_variable_is_read() {
    for name in VARIABLES {
        let theme = theme(&[text(name, "#000")]);
        let sentence = theme.ignored.unwrap_or_default();
        assert!(!sentence.contains("unknown"), "{name}: {sentence}");
    }
}
