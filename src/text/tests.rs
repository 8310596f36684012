//! Tests of the dashboard's wording: counts, rate limits, dates, case folding.

use super::*;
use conduit_types::RateLimitUnit;

#[test]
fn process_flow_usage_is_pluralised() {
    assert_eq!(process_flow_usage(0), "not used in any process flow");
    assert_eq!(process_flow_usage(1), "used in 1 process flow");
    assert_eq!(process_flow_usage(2), "used in 2 process flows");
    assert_eq!(process_flow_usage(12), "used in 12 process flows");
}

#[test]
fn instance_count_is_pluralised() {
    assert_eq!(instance_count(0), "no instances");
    assert_eq!(instance_count(1), "1 instance");
    assert_eq!(instance_count(3), "3 instances");
}

#[test]
fn rate_limit_reads_as_a_sentence() {
    let per = |amount, unit| Some(RateLimit { amount, unit });
    assert_eq!(rate_limit(None), "no rate limit");
    assert_eq!(
        rate_limit(per(60, RateLimitUnit::Minute)),
        "60 requests per minute"
    );
    assert_eq!(
        rate_limit(per(1, RateLimitUnit::Second)),
        "1 request per second"
    );
    assert_eq!(
        rate_limit(per(10_000, RateLimitUnit::Day)),
        "10000 requests per day"
    );
    assert_eq!(
        rate_limit(per(2, RateLimitUnit::Hour)),
        "2 requests per hour"
    );
}

#[test]
fn fold_case_lowers_any_script() {
    assert_eq!(fold_case("Shopify - UK"), "shopify - uk");
    assert_eq!(fold_case("ÉTÉ Über"), "été über");
}

#[test]
fn same_words_ignores_case_spaces_and_punctuation() {
    assert!(same_words(
        "OAuth 2 client credentials",
        "OAuth 2 (client credentials)"
    ));
    assert!(same_words("Basic", "basic"));
    assert!(!same_words("admin API access token", "token"));
}

#[test]
fn initials_take_two_words_or_a_camel_case_capital() {
    assert_eq!(initials("Shopify"), "S");
    assert_eq!(initials("NetSuite"), "NS");
    assert_eq!(initials("Big Commerce"), "BC");
    assert_eq!(initials("amazon seller central"), "AS");
    assert_eq!(initials("  "), "");
    assert_eq!(initials("3PL (Peoplevox)"), "3P");
}

#[test]
fn dates_are_utc_calendar_dates() {
    assert_eq!(date(0), "1 Jan 1970");
    assert_eq!(date(-1), "31 Dec 1969");
    // 2024-02-29 12:00:00 UTC, a leap day.
    assert_eq!(date(1_709_208_000), "29 Feb 2024");
    // 2026-03-12 09:05:30 UTC.
    assert_eq!(date(1_773_306_330), "12 Mar 2026");
    assert_eq!(date_time(1_773_306_330), "12 Mar 2026, 09:05 UTC");
    // 2000-12-31 23:59:59 UTC.
    assert_eq!(date_time(978_307_199), "31 Dec 2000, 23:59 UTC");
}

#[test]
fn a_conflict_names_who_saved_and_when() {
    // 12 Mar 2026, 14:02 UTC (the tests read clock times in UTC).
    assert_eq!(clock_time(1_773_324_120), "14:02");
    assert_eq!(clock_time(0), "00:00");
    assert_eq!(
        conflict_sentence("Grace Hopper", 1_773_324_120),
        "Grace Hopper saved this instance at 14:02, after you started editing."
    );
}

#[test]
fn ago_counts_minutes_and_hours_then_gives_the_date() {
    let now = 1_773_306_330;
    assert_eq!(ago(now, now), "just now");
    assert_eq!(ago(now - 59, now), "just now");
    assert_eq!(ago(now - 60, now), "1 minute ago");
    assert_eq!(ago(now - 45 * 60, now), "45 minutes ago");
    assert_eq!(ago(now - 3600, now), "1 hour ago");
    assert_eq!(ago(now - 23 * 3600, now), "23 hours ago");
    assert_eq!(ago(now - SECONDS_PER_DAY, now), "11 Mar 2026, 09:05 UTC");
    // A clock a little behind the server's still reads sensibly.
    assert_eq!(ago(now + 5, now), "just now");
}

#[test]
fn durations_read_in_ms_then_seconds() {
    assert_eq!(duration(0), "0 ms");
    assert_eq!(duration(85), "85 ms");
    assert_eq!(duration(999), "999 ms");
    assert_eq!(duration(1000), "1.0 s");
    assert_eq!(duration(15_250), "15.2 s");
}

#[test]
fn test_steps_say_result_duration_and_status() {
    use conduit_types::TestStepKind;
    let step = |kind, ok, duration_ms, http_status| TestStep {
        kind,
        ok,
        duration_ms,
        http_status,
    };
    assert_eq!(
        test_step(&step(TestStepKind::Resolve, true, 4, None)),
        "resolve: ok, 4 ms"
    );
    assert_eq!(
        test_step(&step(TestStepKind::TestRequest, false, 1_250, Some(401))),
        "test request: failed, 1.2 s, HTTP 401"
    );
}

#[test]
fn history_lines_name_who_did_what_never_values() {
    let entry = |event| HistoryEntry {
        id: 1,
        at: 0,
        user: "Ada Lovelace".into(),
        event,
    };
    assert_eq!(
        history_line(&entry(HistoryEvent::Saved {
            version: 4,
            changed: vec!["name".into(), "token".into()],
        })),
        "Ada Lovelace saved version 4: name, token"
    );
    assert_eq!(
        history_line(&entry(HistoryEvent::Saved {
            version: 2,
            changed: vec![],
        })),
        "Ada Lovelace saved version 2"
    );
    assert_eq!(
        history_line(&entry(HistoryEvent::Tested {
            outcome: TestOutcome::AuthRejected,
            message: "The token was not accepted.".into(),
        })),
        "Ada Lovelace tested: connection test failed — The token was not accepted."
    );
    assert_eq!(
        history_line(&entry(HistoryEvent::Tested {
            outcome: TestOutcome::Ok,
            message: "The credentials were accepted.".into(),
        })),
        "Ada Lovelace tested: connection test passed — The credentials were accepted."
    );
    assert_eq!(
        history_line(&entry(HistoryEvent::Created { version: 1 })),
        "Ada Lovelace created this instance"
    );
}

#[test]
fn certificate_badges_warn_within_thirty_days_and_alarm_within_fourteen() {
    let day = 86_400;
    let now = 1_800_000_000;
    assert_eq!(expiry_badge(now + 31 * day, now), None);
    assert_eq!(
        expiry_badge(now + 20 * day, now),
        Some(("warning", "certificate expires in 20 days".to_string()))
    );
    assert_eq!(
        expiry_badge(now + 14 * day, now),
        Some(("bad", "certificate expires in 14 days".to_string()))
    );
    assert_eq!(
        expiry_badge(now - 1, now),
        Some(("bad", "certificate expired".to_string()))
    );
}

#[test]
fn a_row_says_when_the_connection_was_last_checked_or_tested() {
    let now = 1_773_306_330;
    assert_eq!(last_tried(None, None, now), None);
    assert_eq!(last_tried(Some(now - SECONDS_PER_DAY), None, now).as_deref(), Some("last tested 11 Mar 2026"));
    assert_eq!(last_tried(None, Some(now - 300), now).as_deref(), Some("last checked 5 minutes ago"));
    assert_eq!(last_tried(Some(now - 900), Some(now - 300), now).as_deref(), Some("last checked 5 minutes ago"));
    // A person's test after the last check is the newer news.
    assert_eq!(last_tried(Some(now - 60), Some(now - 300), now).as_deref(), Some("last tested 12 Mar 2026"));
}
