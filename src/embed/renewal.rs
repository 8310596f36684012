//! When the embedded page asks its host for a fresh session: ahead of the
//! token's expiry by a minute, or a third of its life when that is shorter,
//! so a short-lived token is still renewed in time.

use conduit_types::Timestamp;

/// Milliseconds from `now` until the renewal is due (0 when overdue), for
/// a token issued at `now` that lives until `expires_at` (both in seconds).
pub fn renew_in_ms(now: Timestamp, expires_at: Timestamp) -> u32 {
    let life = (expires_at - now).max(0);
    let margin = (life / 3).min(60);
    let due = (life - margin).max(0);
    u32::try_from(due.saturating_mul(1000)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_ahead_or_a_third_of_a_short_life() {
        assert_eq!(renew_in_ms(1_000, 1_900), 840_000);
        assert_eq!(renew_in_ms(1_000, 1_030), 20_000);
        assert_eq!(renew_in_ms(1_000, 1_000), 0);
        assert_eq!(renew_in_ms(1_000, 900), 0);
    }
}
