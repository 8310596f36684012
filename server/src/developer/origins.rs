//! The list of origins allowed to embed: each checked and normalised by the
//! shared origin rule, each once, and not too many.

use conduit_types::address::origin;
use conduit_types::developer::{origin_field, MAX_ORIGINS};
use conduit_types::FieldError;

/// `list` normalised (`scheme://host[:port]`, as browsers send it), in its
/// order; or an error at every entry that is not a valid origin, that
/// repeats an earlier one once normalised, or that is past [`MAX_ORIGINS`].
/// The sentences never quote the entry.
pub fn embed_origins(list: &[String]) -> Result<Vec<String>, Vec<FieldError>> {
    let mut origins: Vec<String> = Vec::with_capacity(list.len());
    let mut errors = vec![];
    for (n, text) in list.iter().enumerate() {
        let problem = if n >= MAX_ORIGINS {
            Some(format!("At most {MAX_ORIGINS} origins may embed; remove this one or another."))
        } else {
            match origin(text) {
                Ok(normal) if origins.contains(&normal) => Some("This origin is already in the list above.".to_owned()),
                Ok(normal) => {
                    origins.push(normal);
                    None
                }
                Err(sentence) => Some(sentence),
            }
        };
        if let Some(message) = problem {
            errors.push(FieldError { field: origin_field(n), message });
        }
    }
    if errors.is_empty() {
        Ok(origins)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
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
}
