use super::*;

fn flow(name: &str) -> ProcessFlowRef {
    ProcessFlowRef { id: 1, name: name.into(), enabled: true }
}

#[test]
fn only_exactly_the_word_confirm_makes_the_delete_button_available() {
    assert_eq!(unavailable_reason("confirm"), None);
    for typed in ["", "confir", "Confirm", "confirm ", " confirm", "CONFIRM", "confirmed"] {
        assert_eq!(unavailable_reason(typed), Some("Type confirm in the field above to delete the instance."), "{typed:?}");
    }
}

#[test]
fn the_question_names_the_instance_and_what_goes() {
    assert_eq!(
        question("Orders"),
        "“Orders” goes for good, with its stored secrets, certificate key and tokens. This cannot be undone."
    );
}

#[test]
fn the_refusal_speaks_of_one_flow_or_several() {
    assert_eq!(in_use_text(&[flow("A")]), "This instance cannot be deleted while this process flow uses it. Remove it from them first:");
    assert_eq!(in_use_text(&[flow("A"), flow("B")]), "This instance cannot be deleted while these process flows use it. Remove it from them first:");
}

#[test]
fn the_status_message_is_shown_once() {
    leave_status(deleted_message("Orders"));
    assert_eq!(take_status().as_deref(), Some("The instance “Orders” was deleted."));
    assert_eq!(take_status(), None);
}
