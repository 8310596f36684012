//! Limits and choices a draft's details must keep to, and the one rule for
//! reading a typed rate limit.

pub const NAME_MAX_CHARS: usize = 100;
pub const VALUE_MAX_CHARS: usize = 2048;
pub const RATE_LIMIT_MAX: u32 = 1_000_000;

/// Said at the rate limit when its text is not a whole number.
pub const RATE_LIMIT_NOT_A_NUMBER: &str =
    "Enter the rate limit as a whole number of requests, such as 60, or leave it empty for no limit.";

/// What the rate limit's text box holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitInput {
    /// Empty: no rate limit.
    NoLimit,
    /// A whole number. Numbers too large for the draft become `u32::MAX`,
    /// which validation then refuses with its own sentence.
    Amount(u32),
    /// Anything else (letters, a fraction, a sign).
    NotANumber,
}

/// Reads the text of a rate limit box: the one rule for typed rate limits.
/// (The API carries numbers; [`validate`] checks their range.)
pub fn parse_rate_limit(text: &str) -> RateLimitInput {
    let text = text.trim();
    if text.is_empty() {
        RateLimitInput::NoLimit
    } else if text.bytes().all(|b| b.is_ascii_digit()) {
        let amount = text.bytes().fold(0u64, |n, b| {
            (n * 10 + u64::from(b - b'0')).min(u64::from(u32::MAX))
        });
        RateLimitInput::Amount(amount as u32)
    } else {
        RateLimitInput::NotANumber
    }
}

/// Date formats an instance can use: the format, and how 24 November 2026,
/// 14:05:09 looks in it.
pub const DATE_FORMATS: &[(&str, &str)] = &[
    ("Y-m-d H:i:s", "2026-11-24 14:05:09"),
    ("Y-m-d\\TH:i:sP", "2026-11-24T14:05:09+00:00"),
    ("d/m/Y H:i", "24/11/2026 14:05"),
    ("m/d/Y H:i", "11/24/2026 14:05"),
    ("d.m.Y H:i", "24.11.2026 14:05"),
    ("Y-m-d", "2026-11-24"),
    ("U", "1795615509 (Unix seconds)"),
];

#[cfg(test)]
mod tests;
