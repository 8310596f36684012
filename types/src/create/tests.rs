use super::*;
use crate::draft::{changed_fields, validate, FIELD_NAME};
use crate::fixtures::shopify_uk;

fn blank() -> InstanceSettings {
    blank_settings(shopify_uk().connector, vec!["bulk orders".into()])
}

#[test]
fn a_blank_draft_has_the_first_method_and_nothing_stored() {
    let blank = blank();
    assert!(is_new(&blank));
    let draft = new_draft(&blank);
    assert_eq!(draft.authentication.method, "access_token");
    assert_eq!(draft.authentication.fields.get("token"), Some(&DraftField::Keep));
    assert_eq!(draft.details.variables.get("store").map(String::as_str), Some(""));
    assert_eq!(draft.details.time_zone, DEFAULT_TIME_ZONE);
    assert_eq!(draft.certificate, CertificateDraft::Keep);
}

#[test]
fn a_new_draft_always_changes_the_connection_so_it_needs_a_test() {
    let blank = blank();
    let draft = new_draft(&blank);
    assert!(changed_fields(&blank, &draft).iter().any(|c| c.connection));
    assert!(crate::draft::changes_connection(&blank, &draft));
}

#[test]
fn a_blank_draft_asks_for_the_name_and_every_required_value() {
    let blank = blank();
    let errors = validate(&blank, &new_draft(&blank));
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&FIELD_NAME), "{fields:?}");
    assert!(fields.contains(&"authentication.token"), "{fields:?}");
    assert!(fields.contains(&"variables.store"), "{fields:?}");
}

#[test]
fn a_duplicate_keeps_details_and_plain_fields_but_no_secret() {
    let original = shopify_uk();
    let draft = duplicate_draft(&original, "Shopify - UK (copy)".into(), None);
    assert_eq!(draft.details.name, "Shopify - UK (copy)");
    assert_eq!(draft.details.rate_limit, original.details.rate_limit);
    assert_eq!(draft.details.variables.get("store").map(String::as_str), Some("acme-uk"));
    // A secret variable is not copied either.
    assert_eq!(draft.details.variables.get("webhook_key").map(String::as_str), Some(""));
    assert_eq!(draft.authentication.method, "access_token");
    assert_eq!(draft.authentication.fields.get("token"), Some(&DraftField::Keep));
    // The client certificate (and its key) stays behind.
    assert_eq!(draft.certificate, CertificateDraft::Keep);
    // Against blank settings nothing is stored, so the token must be entered.
    let errors = validate(&blank(), &draft);
    assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["authentication.token"], "{errors:?}");
}

#[test]
fn a_duplicate_brings_the_trusted_ca_only() {
    let draft = duplicate_draft(&shopify_uk(), "x".into(), Some("-----BEGIN CERTIFICATE-----".into()));
    match draft.certificate {
        CertificateDraft::Upload(upload) => {
            assert!(upload.identity.is_none());
            assert_eq!(upload.ca_certificate_pem.as_deref(), Some("-----BEGIN CERTIFICATE-----"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_are_the_same_whatever_their_case_and_surrounding_spaces() {
    assert!(same_name("Shopify - UK", "shopify - uk"));
    assert!(same_name(" Shopify - UK ", "SHOPIFY - UK"));
    assert!(same_name("Ärger", "ärger"));
    assert!(!same_name("Shopify - UK", "Shopify - US"));
    assert!(name_taken("warehouse api", ["Orders", "Warehouse API"]));
    assert!(!name_taken("warehouse api", ["Orders"]));
}

#[test]
fn a_copy_takes_the_first_free_copy_name() {
    assert_eq!(copy_name("Orders", ["Orders"]), "Orders (copy)");
    assert_eq!(copy_name("Orders", ["Orders", "orders (COPY)"]), "Orders (copy 2)");
    assert_eq!(copy_name("Orders", ["Orders", "Orders (copy)", "Orders (copy 2)"]), "Orders (copy 3)");
    // A copy of a copy is named after the original.
    assert_eq!(copy_name("Orders (copy)", ["Orders", "Orders (copy)"]), "Orders (copy 2)");
    assert_eq!(copy_name("Orders (copy 2)", ["Orders (copy)", "Orders (copy 2)"]), "Orders (copy 3)");
    // Brackets that are not a copy's stay part of the name.
    assert_eq!(copy_name("Orders (EU)", ["Orders (EU)"]), "Orders (EU) (copy)");
    assert_eq!(copy_name("(copy)", Vec::<&str>::new()), "(copy) (copy)");
}

#[test]
fn a_duplicate_shows_only_the_copied_ca() {
    let mut original = shopify_uk();
    // The sample stores a client certificate and no CA: nothing to show.
    assert_eq!(copied_certificate(&original), None);
    if let CertificateState::Stored(stored) = &mut original.certificate {
        stored.ca = Some(crate::fixtures::certificate_info("Partner CA", 2_000_000_000));
    }
    let shown = copied_certificate(&original).expect("the CA");
    assert!(shown.client.is_none());
    assert_eq!(shown.ca.map(|ca| ca.subject), Some("Partner CA".to_owned()));
}
