//! The test request from a connector's definition and a draft: the values
//! it needs, its address with the variables filled in, the fields placed
//! where the connector says, choice fields read, and its answer judged by
//! the statuses the connector expects.

use std::collections::BTreeMap;

use conduit_types::{AuthKind, AuthMethodDef, ConnectorDefinition, Placement, TestOutcome};
use hyper::header::{HeaderName, HeaderValue};
use url::Url;

use super::stop::{stop, Stop};
use crate::catalogue::render;
use crate::credentials::{FieldValues, TestInput};

/// The value of choice field `key` of `method` (its first choice when left
/// empty), or `None` when the method has no such field.
pub(super) fn choice<'a>(method: &'a AuthMethodDef, fields: &'a FieldValues, key: &str) -> Option<&'a str> {
    let def = method.fields.iter().find(|f| f.key == key && !f.choices.is_empty())?;
    Some(def.chosen(fields.get(key).unwrap_or_default()))
}

pub(super) fn unknown_choice(method: &AuthMethodDef, key: &str) -> Stop {
    let label = method.fields.iter().find(|f| f.key == key).map_or(key, |f| f.label.as_str());
    stop(TestOutcome::InvalidSettings, format!("Choose the {label} from the list."))
}


/// Every required variable and field has a value.
pub(super) fn check_required(definition: &ConnectorDefinition, method: &AuthMethodDef, input: &TestInput) -> Result<(), Stop> {
    for variable in definition.variables.iter().filter(|v| v.required) {
        if input.variables.get(&variable.key).is_none_or(|v| v.trim().is_empty()) {
            return Err(stop(TestOutcome::InvalidSettings, format!("Enter a value for {}.", variable.label)));
        }
    }
    if method.kind == AuthKind::Oauth2AuthorisationCode {
        // Its tokens come from authorising, not from fields typed in here.
        return Ok(());
    }
    for field in method.fields.iter().filter(|f| f.required) {
        if input.fields.get(&field.key).is_none() {
            return Err(stop(TestOutcome::InvalidSettings, format!("Enter a value for {}.", field.label)));
        }
    }
    Ok(())
}

/// The base URL and test path with `{{variables}}` filled in.
pub(super) fn test_url(definition: &ConnectorDefinition, variables: &BTreeMap<String, String>) -> Result<Url, Stop> {
    let render = |template: &str| {
        render(template, |name| variables.get(name).map(|v| v.trim().to_owned()))
            .map_err(|_| stop(TestOutcome::InvalidSettings, "The connector's address template is not valid."))
    };
    let base = render(&definition.base_url)?;
    let path = render(&definition.test_request.path)?;
    let joined = format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'));
    let url = Url::parse(&joined)
        .map_err(|_| stop(TestOutcome::InvalidSettings, "The instance's address is not a valid URL. Check its variables."))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(stop(TestOutcome::InvalidSettings, "The instance's address must start with http:// or https://."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(stop(TestOutcome::InvalidSettings, "Put credentials in the authentication fields, not in the address."));
    }
    Ok(url)
}

/// Puts each field with a placement of its own where the connector says.
pub(super) fn place_fields(
    method: &AuthMethodDef,
    fields: &FieldValues,
    headers: &mut Vec<(HeaderName, HeaderValue)>,
    url: &mut Url,
    body: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<(), Stop> {
    for field in &method.fields {
        let Some(value) = fields.get(&field.key) else { continue };
        match &field.placement {
            Placement::Header { name, prefix } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| stop(TestOutcome::InvalidSettings, "The connector names a header that is not valid."))?;
                let full = format!("{}{value}", prefix.as_deref().unwrap_or_default());
                headers.push((name, header_value(&full).map_err(|_| {
                    stop(TestOutcome::InvalidSettings, format!("{} holds characters a header cannot carry.", field.label))
                })?));
            }
            Placement::Query { name } => {
                url.query_pairs_mut().append_pair(name, value);
            }
            Placement::Body { name } => {
                body.insert(name.clone(), serde_json::Value::String(value.to_owned()));
            }
            Placement::Url | Placement::Auth => {}
        }
    }
    Ok(())
}

pub(super) fn header_value(value: &str) -> Result<HeaderValue, Stop> {
    let mut header = HeaderValue::from_str(value)
        .map_err(|_| stop(TestOutcome::InvalidSettings, "A credential holds characters a header cannot carry."))?;
    header.set_sensitive(true);
    Ok(header)
}

/// Judges the test request's status.
pub(super) fn judge(expected: &[u16], host: &str, status: u16) -> (TestOutcome, String, u16) {
    if expected.contains(&status) {
        return (TestOutcome::Ok, format!("The connection works: {host} accepted the credentials."), status);
    }
    match status {
        401 | 403 => (
            TestOutcome::AuthRejected,
            format!("{host} refused the credentials (HTTP {status}). Check them and test again."),
            status,
        ),
        300..=399 => (
            TestOutcome::UnexpectedStatus,
            format!("{host} answered with a redirect (HTTP {status}). Tests do not follow redirects: check the address."),
            status,
        ),
        _ => (
            TestOutcome::UnexpectedStatus,
            format!("{host} answered HTTP {status}, which this connector does not expect. Check the address and variables."),
            status,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn definition(base_url: &str, path: &str) -> ConnectorDefinition {
        let mut def = crate::catalogue::builtin().unwrap().remove(0).definition;
        def.base_url = base_url.into();
        def.test_request.path = path.into();
        def
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[test]
    fn the_test_url_fills_variables_into_the_template() {
        let def = definition("https://{{store}}.myshopify.com/admin/api/2024-10", "/shop.json");
        let url = test_url(&def, &vars(&[("store", "northwind-uk")])).unwrap();
        assert_eq!(url.as_str(), "https://northwind-uk.myshopify.com/admin/api/2024-10/shop.json");
    }

    #[test]
    fn a_url_that_is_not_http_or_carries_credentials_is_invalid() {
        let def = definition("{{base}}", "/me");
        for base in ["ftp://files.example.com", "not a url", "https://user:pass@api.example.com"] {
            let Err(stop) = test_url(&def, &vars(&[("base", base)])) else { panic!("{base} accepted") };
            assert_eq!(stop.outcome, TestOutcome::InvalidSettings, "{base}");
            assert!(!stop.message.contains("pass"), "{}", stop.message);
        }
    }

    #[test]
    fn statuses_are_judged_against_the_expected_ones() {
        assert_eq!(judge(&[200], "h", 200).0, TestOutcome::Ok);
        assert_eq!(judge(&[200], "h", 401).0, TestOutcome::AuthRejected);
        assert_eq!(judge(&[200], "h", 403).0, TestOutcome::AuthRejected);
        assert_eq!(judge(&[200], "h", 302).0, TestOutcome::UnexpectedStatus);
        assert_eq!(judge(&[200], "h", 500).0, TestOutcome::UnexpectedStatus);
        assert_eq!(judge(&[200, 204], "h", 204).0, TestOutcome::Ok);
    }
}
