//! The host's theming: a small, validated set of variables (colours, font,
//! radius, spacing) turned into the page's CSS custom properties. No raw
//! CSS crosses over: every value is checked against a narrow shape, and
//! what fails is left out and named in one sentence.

use super::messages::Setting;

/// The custom properties to set, and the sentence naming what was ignored.
#[derive(Debug, Default, PartialEq)]
pub struct Theme {
    pub properties: Vec<(&'static str, String)>,
    pub ignored: Option<String>,
}

/// Spacing steps of the stylesheet, in rem, before the multiplier.
const SPACES: [(&str, f64); 6] =
    [("--space-1", 0.25), ("--space-2", 0.5), ("--space-3", 0.75), ("--space-4", 1.0), ("--space-5", 1.5), ("--space-6", 2.0)];

/// The appearance variables, by their names in the JS API (the element's
/// attributes are the same names in kebab case: `color-primary`, …).
pub const VARIABLES: [&str; 7] =
    ["colorPrimary", "colorBackground", "colorText", "colorDanger", "fontFamily", "borderRadius", "spacing"];

/// Reads `appearance`, keeping what is valid.
pub fn theme(appearance: &[(String, Setting)]) -> Theme {
    let mut theme = Theme::default();
    let mut ignored = Vec::new();
    for (name, value) in appearance {
        let name = name.as_str();
        if !apply(&mut theme.properties, name, value) {
            // Only known names are repeated back; they are ours, not input.
            let known = VARIABLES.iter().find(|n| **n == name).copied();
            ignored.push(known.unwrap_or("an unknown variable"));
        }
    }
    ignored.dedup();
    if !ignored.is_empty() {
        theme.ignored = Some(format!(
            "Some appearance settings were ignored ({}): see the embedding guide for the values allowed.",
            ignored.join(", ")
        ));
    }
    theme
}

fn apply(properties: &mut Vec<(&'static str, String)>, name: &str, value: &Setting) -> bool {
    let text = match value {
        Setting::Text(text) => Some(text.trim()),
        Setting::Number(_) => None,
    };
    match name {
        "colorPrimary" => colour(text).is_some_and(|c| {
            properties.extend(["--color-brand", "--color-brand-strong", "--color-focus"].map(|p| (p, c.clone())));
            true
        }),
        "colorBackground" => set(properties, "--color-page", colour(text)),
        "colorText" => set(properties, "--color-text", colour(text)),
        "colorDanger" => set(properties, "--color-bad", colour(text)),
        "fontFamily" => set(properties, "--font-sans", text.and_then(font_family)),
        "borderRadius" => radius(value).is_some_and(|px| {
            properties.push(("--radius", format!("{px}px")));
            properties.push(("--radius-small", format!("{}px", (px * 3).div_ceil(5))));
            true
        }),
        "spacing" => spacing(value).is_some_and(|k| {
            properties.extend(SPACES.map(|(p, rem)| (p, format!("{}rem", round(rem * k)))));
            true
        }),
        _ => false,
    }
}

fn set(properties: &mut Vec<(&'static str, String)>, property: &'static str, value: Option<String>) -> bool {
    value.map(|v| properties.push((property, v))).is_some()
}

/// `#rgb` or `#rrggbb`, lower-cased.
fn colour(text: Option<&str>) -> Option<String> {
    let hex = text?.strip_prefix('#')?;
    ((hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("#{}", hex.to_ascii_lowercase()))
}

/// A font stack: names of letters, digits, spaces and hyphens, some quoted,
/// separated by commas.
fn font_family(text: &str) -> Option<String> {
    let fine = |c: char| c.is_ascii_alphanumeric() || " ,-\"'".contains(c);
    (!text.is_empty() && text.len() <= 200 && text.chars().all(fine) && text.matches('"').count() % 2 == 0 && text.matches('\'').count() % 2 == 0)
        .then(|| text.to_owned())
}

/// 0 to 24 pixels, as a number or `"Npx"`.
fn radius(value: &Setting) -> Option<u32> {
    let number = match value {
        Setting::Number(n) => *n,
        Setting::Text(s) => s.trim().strip_suffix("px").unwrap_or(s.trim()).parse().ok()?,
    };
    (0.0..=24.0).contains(&number).then(|| number.round() as u32)
}

/// A multiplier of the stylesheet's spacing, 0.75 to 1.5.
fn spacing(value: &Setting) -> Option<f64> {
    let number = match value {
        Setting::Number(n) => *n,
        Setting::Text(s) => s.trim().parse().ok()?,
    };
    (0.75..=1.5).contains(&number).then_some(number)
}

fn round(rem: f64) -> f64 {
    (rem * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
