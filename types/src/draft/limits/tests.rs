//! Tests of the draft's limits: rate limit text, time zones.

use super::*;

#[test]
fn rate_limit_text_is_read_as_a_whole_number_or_nothing() {
    assert_eq!(parse_rate_limit(""), RateLimitInput::NoLimit);
    assert_eq!(parse_rate_limit("  "), RateLimitInput::NoLimit);
    assert_eq!(parse_rate_limit("60"), RateLimitInput::Amount(60));
    assert_eq!(parse_rate_limit(" 007 "), RateLimitInput::Amount(7));
    assert_eq!(parse_rate_limit("0"), RateLimitInput::Amount(0));
    assert_eq!(
        parse_rate_limit("99999999999999999999999"),
        RateLimitInput::Amount(u32::MAX)
    );
    for text in ["abc", "1.5", "-3", "1e3", "6 0", "６０"] {
        assert_eq!(
            parse_rate_limit(text),
            RateLimitInput::NotANumber,
            "{text:?}"
        );
    }
}

#[test]
fn time_zones_are_sorted_so_they_can_be_searched() {
    let zones = crate::time_zones::TIME_ZONES;
    assert!(zones.windows(2).all(|w| w[0] < w[1]));
    assert!(zones.contains(&"Europe/London") && zones.contains(&"UTC"));
}
