use super::keeping_current;

fn options(values: &[&str]) -> Vec<(String, String)> {
    values.iter().map(|v| (v.to_string(), v.to_uppercase())).collect()
}

#[test]
fn an_offered_value_changes_nothing() {
    assert_eq!(keeping_current(options(&["a", "b"]), 0, "b"), options(&["a", "b"]));
}

#[test]
fn a_value_no_longer_offered_is_put_in_where_asked_labelled_with_itself() {
    let kept = keeping_current(options(&["", "a"]), 1, "old");
    assert_eq!(kept[1], ("old".to_string(), "old".to_string()));
    assert_eq!(kept.len(), 3);
    assert_eq!(keeping_current(options(&["a"]), 0, "old")[0].0, "old");
}
