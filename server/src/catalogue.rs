//! The built-in connector catalogue. A connector is data: its definition lives
//! in `connectors/<slug>.json` and is checked here before it is stored.

use std::collections::BTreeSet;

use anyhow::Context;
use conduit_types::{
    AuthKind, AuthMethodDef, ClientAuthStyle, ConnectorDefinition, FieldDef, Placement, SignatureMethod, CLIENT_AUTH_FIELD,
    SIGNATURE_METHOD_FIELD,
};
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct CatalogueEntry {
    pub slug: String,
    pub name: String,
    pub definition: ConnectorDefinition,
}

const BUILTIN: [(&str, &str); 4] = [
    ("shopify", include_str!("../connectors/shopify.json")),
    ("bigcommerce", include_str!("../connectors/bigcommerce.json")),
    ("netsuite", include_str!("../connectors/netsuite.json")),
    ("http-api", include_str!("../connectors/http-api.json")),
];

/// Every built-in connector, parsed and checked.
pub fn builtin() -> anyhow::Result<Vec<CatalogueEntry>> {
    BUILTIN
        .iter()
        .map(|(file, text)| {
            let entry: CatalogueEntry =
                serde_json::from_str(text).with_context(|| format!("connectors/{file}.json is not valid"))?;
            check(&entry.definition)
                .map_err(|problems| anyhow::anyhow!("connectors/{file}.json: {}", problems.join("; ")))?;
            Ok(entry)
        })
        .collect()
}

/// The `{{names}}` a template refers to, in order of appearance.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut names = vec![];
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("{template:?} opens a {{{{ it never closes"))?;
        let name = after[..end].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("{template:?} has a placeholder with a name that is not valid"));
        }
        names.push(name);
        rest = &after[end + 2..];
    }
    Ok(names)
}

/// The template with each `{{name}}` replaced by `value(name)` (missing
/// names become empty).
pub fn render(template: &str, value: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    placeholders(template)?;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or(after.len());
        out.push_str(&value(after[..end].trim()).unwrap_or_default());
        rest = after.get(end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

/// A definition is usable when its keys are unique, every placeholder names a
/// declared variable, and it offers at least one authentication method.
pub fn check(definition: &ConnectorDefinition) -> Result<(), Vec<String>> {
    let mut problems = vec![];
    let mut variables = BTreeSet::new();
    for v in &definition.variables {
        if !variables.insert(v.key.as_str()) {
            problems.push(format!("variable {} is declared twice", v.key));
        }
        if v.secret {
            problems.push(format!("variable {} cannot be secret; secrets belong to an authentication method", v.key));
        }
    }
    for template in [&definition.base_url, &definition.test_request.path] {
        match placeholders(template) {
            Ok(names) => {
                for name in names.into_iter().filter(|n| !variables.contains(n)) {
                    problems.push(format!("{{{{{name}}}}} is used but not declared as a variable"));
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    let declared: Vec<&str> = variables.iter().copied().collect();
    let address_problem = |template: &str| {
        // A template that starts with a variable (a base URL the user enters)
        // is checked at that variable instead.
        if template.trim_start().starts_with("{{") {
            return None;
        }
        conduit_types::address::url_problem("address", template, &declared)
    };
    problems.extend(address_problem(&definition.base_url));
    if definition.auth_methods.is_empty() {
        problems.push("no authentication method is offered".to_owned());
    }
    let mut methods = BTreeSet::new();
    for method in &definition.auth_methods {
        if !methods.insert(method.key.as_str()) {
            problems.push(format!("authentication method {} is declared twice", method.key));
        }
        if method.kind == conduit_types::AuthKind::Oauth2AuthorisationCode {
            let s = &method.settings;
            for (template, field) in [(&s.authorize_url, "authorize_url"), (&s.token_url, "token_url")] {
                match template {
                    Some(template) => match placeholders(template) {
                        Ok(names) => {
                            for name in names.into_iter().filter(|n| !variables.contains(n)) {
                                problems.push(format!("{{{{{name}}}}} is used but not declared as a variable"));
                            }
                            problems.extend(address_problem(template).map(|p| format!("{field}: {p}")));
                        }
                        Err(problem) => problems.push(problem),
                    },
                    None if !method.fields.iter().any(|f| f.key == field) => problems.push(format!(
                        "authentication method {} needs a {field} setting or field",
                        method.key
                    )),
                    None => {}
                }
            }
        }
        let mut fields = BTreeSet::new();
        for field in &method.fields {
            if !fields.insert(field.key.as_str()) {
                problems.push(format!("field {} of {} is declared twice", field.key, method.key));
            }
            if field.secret && field.placement == Placement::Url {
                problems.push(format!("secret field {} of {} cannot go in the URL", field.key, method.key));
            }
            problems.extend(check_choices(method, field));
        }
    }
    if definition.test_request.expected_statuses.is_empty() {
        problems.push("the test request expects no status".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A choice field offers distinct values and is not secret; the fields the
/// engine reads as choices offer only values it knows, on methods that use them.
fn check_choices(method: &AuthMethodDef, field: &FieldDef) -> Vec<String> {
    let mut problems = vec![];
    let oauth2 = matches!(method.kind, AuthKind::Oauth2ClientCredentials | AuthKind::Oauth2AuthorisationCode);
    let known: fn(&str) -> bool = match field.key.as_str() {
        CLIENT_AUTH_FIELD if oauth2 => |v| ClientAuthStyle::from_key(v).is_some(),
        SIGNATURE_METHOD_FIELD if method.kind == AuthKind::Oauth1 => |v| SignatureMethod::from_name(v).is_some(),
        _ if field.choices.is_empty() => return problems,
        _ => |_| true,
    };
    let name = format!("field {} of {}", field.key, method.key);
    if field.choices.is_empty() {
        problems.push(format!("{name} needs a list of choices"));
    }
    if field.secret {
        problems.push(format!("{name} offers choices and cannot be secret"));
    }
    let mut values = BTreeSet::new();
    for choice in &field.choices {
        if choice.value.is_empty() || !values.insert(choice.value.as_str()) {
            problems.push(format!("{name} offers an empty or repeated choice"));
        }
        if !known(&choice.value) {
            problems.push(format!("{name} offers {:?}, which conduit does not support", choice.value));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_connector_is_valid() {
        let entries = builtin().unwrap();
        let slugs: Vec<_> = entries.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, ["shopify", "bigcommerce", "netsuite", "http-api"]);
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(
            placeholders("https://{{store}}.example.com/{{ version }}/x").unwrap(),
            ["store", "version"]
        );
        assert_eq!(placeholders("/plain/path").unwrap(), Vec::<&str>::new());
        assert!(placeholders("https://{{store.example.com").is_err());
        assert!(placeholders("https://{{}}.example.com").is_err());
        assert!(placeholders("https://{{a b}}.example.com").is_err());
    }

    #[test]
    fn render_fills_every_placeholder_spaced_or_not() {
        let value = |name: &str| match name {
            "store" => Some("northwind".to_owned()),
            "v" => Some("2024-10".to_owned()),
            _ => None,
        };
        assert_eq!(
            render("https://{{store}}.example.com/{{ v }}/{{v}}/{{gone}}x", value).unwrap(),
            "https://northwind.example.com/2024-10/2024-10/x"
        );
        assert!(render("https://{{store", value).is_err());
    }

    #[test]
    fn an_undeclared_variable_or_a_secret_in_the_url_is_refused() {
        let mut def = builtin().unwrap().remove(0).definition;
        def.base_url = "https://{{shop}}.myshopify.com".into();
        def.auth_methods[0].fields[0].placement = Placement::Url;
        let problems = check(&def).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("{{shop}} is used but not declared")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("cannot go in the URL")), "{problems:?}");
    }

    #[test]
    fn choices_the_engine_reads_must_be_ones_it_knows() {
        let entries = builtin().unwrap();
        let mut def = entries.into_iter().find(|e| e.slug == "http-api").unwrap().definition;
        let method = def.auth_methods.iter_mut().find(|m| m.key == "oauth1").unwrap();
        let field = method.fields.iter_mut().find(|f| f.key == SIGNATURE_METHOD_FIELD).unwrap();
        field.choices[1].value = "PLAINTEXT".into();
        field.secret = true;
        let problems = check(&def).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("\"PLAINTEXT\", which conduit does not support")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("cannot be secret")), "{problems:?}");
    }

    #[test]
    fn a_templated_address_must_be_an_http_address_using_declared_variables() {
        let mut def = builtin().unwrap().remove(0).definition;
        assert_eq!(check(&def), Ok(()), "https://{{{{store}}}}.myshopify.com is fine");
        def.base_url = "{{store}}.myshopify.com/admin".into();
        assert_eq!(check(&def), Ok(()), "starting with a variable, the variable decides");
        def.base_url = "ftp://{{store}}.myshopify.com/admin".into();
        let problems = check(&def).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("must start with http://")), "{problems:?}");
    }

    #[test]
    fn a_definition_without_authentication_is_refused() {
        let mut def = builtin().unwrap().remove(0).definition;
        def.auth_methods.clear();
        assert_eq!(check(&def).unwrap_err(), ["no authentication method is offered"]);
    }
}
