//! Sentences and short phrases the dashboard shows, built from API values.
//! Plain functions so the wording is tested without a browser.

use conduit_types::draft::{HistoryEntry, HistoryEvent};
use conduit_types::{RateLimit, TestOutcome, TestStep, Timestamp};

const SECONDS_PER_DAY: i64 = 86_400;

/// "used in 3 process flows", "used in 1 process flow", or
/// "not used in any process flow".
pub fn process_flow_usage(count: u32) -> String {
    match count {
        0 => "not used in any process flow".to_string(),
        1 => "used in 1 process flow".to_string(),
        n => format!("used in {n} process flows"),
    }
}

/// "2 instances", "1 instance", or "no instances".
pub fn instance_count(count: usize) -> String {
    match count {
        0 => "no instances".to_string(),
        1 => "1 instance".to_string(),
        n => format!("{n} instances"),
    }
}

/// "60 requests per minute", "1 request per second", or "no rate limit".
pub fn rate_limit(limit: Option<RateLimit>) -> String {
    match limit {
        None => "no rate limit".to_string(),
        Some(RateLimit { amount: 1, unit }) => format!("1 request per {}", unit.label()),
        Some(RateLimit { amount, unit }) => format!("{amount} requests per {}", unit.label()),
    }
}

/// Lower-cases text for comparisons that ignore case.
///
/// In the browser this is JavaScript's `toLowerCase`, which follows the same
/// Unicode rules and spares the bundle Rust's case-mapping tables (about a
/// twentieth of its compressed size).
pub fn fold_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// Whether two labels say the same thing, ignoring case, spaces and
/// punctuation ("OAuth 2 client credentials" and "OAuth 2 (client
/// credentials)").
pub fn same_words(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    fold_case(&letters(a)) == fold_case(&letters(b))
}

/// Up to two letters standing for a name in an avatar: the first letter of
/// the first two words ("Big Commerce" → "BC"), or of a one-word name and
/// its next capital ("NetSuite" → "NS", "Shopify" → "S"). ASCII letters are
/// capitalised here; the avatar's CSS capitalises any others.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let letters: Vec<char> = match words.as_slice() {
        [] => vec![],
        [word] => {
            let mut chars = word.chars().filter(|c| c.is_alphanumeric());
            let first = chars.next();
            let capital = chars.find(|c| c.is_uppercase());
            first.into_iter().chain(capital).collect()
        }
        [first, second, ..] => [first, second]
            .iter()
            .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
            .collect(),
    };
    letters
        .into_iter()
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The UTC calendar date of a timestamp, e.g. "12 Mar 2026".
pub fn date(at: Timestamp) -> String {
    let (year, month, day) = civil_from_days(at.div_euclid(SECONDS_PER_DAY));
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// The UTC date and time of a timestamp, e.g. "12 Mar 2026, 09:05 UTC".
pub fn date_time(at: Timestamp) -> String {
    let seconds = at.rem_euclid(SECONDS_PER_DAY);
    format!(
        "{}, {:02}:{:02} UTC",
        date(at),
        seconds / 3600,
        (seconds % 3600) / 60
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month (1–12) and day (1–31) of a count of days since 1970-01-01, in
/// the proleptic Gregorian calendar (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The hour and minute of a timestamp, e.g. "14:02": in the browser's own
/// time zone, and in UTC outside a browser (where the tests run).
pub fn clock_time(at: Timestamp) -> String {
    #[cfg(target_arch = "wasm32")]
    let (hours, minutes) = {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64 * 1000.0));
        (i64::from(date.get_hours()), i64::from(date.get_minutes()))
    };
    #[cfg(not(target_arch = "wasm32"))]
    let (hours, minutes) = {
        let seconds = at.rem_euclid(SECONDS_PER_DAY);
        (seconds / 3600, (seconds % 3600) / 60)
    };
    format!("{hours:02}:{minutes:02}")
}

/// Who saved an instance while the user was editing it, e.g. "Grace Hopper
/// saved this instance at 14:02, after you started editing."
pub fn conflict_sentence(saved_by: &str, saved_at: Timestamp) -> String {
    format!(
        "{saved_by} saved this instance at {}, after you started editing.",
        clock_time(saved_at)
    )
}

/// How long ago something happened, for the last day ("just now",
/// "1 minute ago", "3 hours ago"), else its date and time.
pub fn ago(at: Timestamp, now: Timestamp) -> String {
    let seconds = now - at;
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit} ago")
        } else {
            format!("{n} {unit}s ago")
        }
    };
    match seconds {
        s if s < 60 => "just now".to_string(),
        s if s < 3600 => plural(s / 60, "minute"),
        s if s < SECONDS_PER_DAY => plural(s / 3600, "hour"),
        _ => date_time(at),
    }
}

/// When the instance's connection was last tried, for its row: the
/// background checker's time ("last checked 5 minutes ago") unless a
/// person tested since ("last tested 12 Mar 2026").
pub fn last_tried(tested: Option<Timestamp>, checked: Option<Timestamp>, now: Timestamp) -> Option<String> {
    match (tested, checked) {
        (tested, Some(checked)) if tested.is_none_or(|tested| checked >= tested) => {
            Some(format!("last checked {}", ago(checked, now)))
        }
        (tested, _) => tested.map(|at| format!("last tested {}", date(at))),
    }
}

/// A step's or test's duration: "85 ms", "1.2 s".
pub fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}

/// One step of a connection test, e.g. "test request: failed, 230 ms, HTTP 401".
pub fn test_step(step: &TestStep) -> String {
    let mut line = format!(
        "{}: {}, {}",
        step.kind.label(),
        if step.ok { "ok" } else { "failed" },
        duration(step.duration_ms)
    );
    if let Some(status) = step.http_status {
        line.push_str(&format!(", HTTP {status}"));
    }
    line
}

/// The button that takes the user to the field a failed test points at.
pub fn fix_field(label: &str) -> String {
    format!("fix {label}")
}

/// The heading of a finished connection test.
pub fn test_heading(outcome: TestOutcome) -> &'static str {
    if outcome == TestOutcome::Ok {
        "connection test passed"
    } else {
        "connection test failed"
    }
}

/// One line of an instance's history, e.g. "Ada Lovelace saved version 4:
/// name, token" or "Ada Lovelace tested: connection test failed — The token
/// was not accepted."
pub fn history_line(entry: &HistoryEntry) -> String {
    match &entry.event {
        HistoryEvent::Saved { version, changed } if changed.is_empty() => {
            format!("{} saved version {version}", entry.user)
        }
        HistoryEvent::Saved { version, changed } => {
            format!(
                "{} saved version {version}: {}",
                entry.user,
                changed.join(", ")
            )
        }
        HistoryEvent::Created { .. } => format!("{} created this instance", entry.user),
        HistoryEvent::Tested { outcome, message } => {
            format!(
                "{} tested: {} — {message}",
                entry.user,
                test_heading(*outcome)
            )
        }
    }
}

pub use conduit_types::Expiry;

/// A badge for a certificate valid until `not_after`, seen at `now`: its
/// tone (`bad` when expired or within [`Expiry::URGENT_DAYS`], else
/// `warning`) and words, or nothing while it has long to go.
pub fn expiry_badge(not_after: Timestamp, now: Timestamp) -> Option<(&'static str, String)> {
    Expiry::at(not_after, now).map(|expiry| {
        let tone = if expiry.is_urgent() { "bad" } else { "warning" };
        (tone, format!("certificate {}", expiry.sentence()))
    })
}

#[cfg(test)]
mod tests;
