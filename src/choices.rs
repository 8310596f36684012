//! The options of a drop-down whose saved value may no longer be offered.

#[cfg(test)]
mod tests;

/// `options` as `(value, label)`, with `current` put in at position `at`
/// (labelled with itself) when no option has that value: a value saved
/// before the list changed stays shown, and validation says to choose
/// another.
pub fn keeping_current(mut options: Vec<(String, String)>, at: usize, current: &str) -> Vec<(String, String)> {
    if !options.iter().any(|(value, _)| value == current) {
        options.insert(at.min(options.len()), (current.to_string(), current.to_string()));
    }
    options
}
