//! How often sign-in may be tried: per account and per client address.
//!
//! Each attempt counts as a failure the moment it starts (so a burst of
//! parallel guesses cannot slip past the count while passwords are being
//! checked); a success takes it back, and for the account forgets every
//! earlier failure. After `free` failures in a row a key must wait, starting
//! at `first` and doubling with each further failure up to `max`. Refused
//! attempts are not checked and do not count, so they never lengthen a wait.
//! A key's failures are forgotten `forget` after its last one.
//!
//! Why someone elsewhere cannot lock a user out: the account's wait is short
//! and bounded (it only slows guessing), while the address that keeps failing
//! waits ever longer, up to a much longer bound, and cannot add failures
//! while it waits. A correct password from an address with no failures is
//! checked as soon as the account's own wait is over.
//!
//! The counts are kept in memory, in tables of bounded size: when one is
//! full the entries already forgotten go first, then the one whose last
//! failure is oldest. Several server processes each keep their own counts.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

/// How one kind of key (accounts or addresses) is limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Failures in a row that need no wait.
    pub free: u32,
    /// The first wait, after `free` failures.
    pub first: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Backoff {
    /// The wait after `failures` failures in a row, if any.
    fn wait(&self, failures: u32) -> Option<Duration> {
        let beyond = failures.checked_sub(self.free)?;
        let factor = 1u32.checked_shl(beyond.min(31)).unwrap_or(u32::MAX);
        Some(self.first.saturating_mul(factor).min(self.max))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub account: Backoff,
    pub address: Backoff,
    /// Failures are forgotten this long after the last one.
    pub forget: Duration,
    /// The most entries each table keeps.
    pub capacity: usize,
}

impl Default for Limits {
    /// Five free tries per account, then 1 s doubling up to 5 minutes; twenty
    /// per address (offices share one), then 1 s doubling up to 15 minutes.
    fn default() -> Limits {
        Limits {
            account: Backoff { free: 5, first: Duration::from_secs(1), max: Duration::from_secs(5 * 60) },
            address: Backoff { free: 20, first: Duration::from_secs(1), max: Duration::from_secs(15 * 60) },
            forget: Duration::from_secs(60 * 60),
            capacity: 10_000,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last_failure: Instant,
    wait_until: Option<Instant>,
}

/// Failure counts by key, with at most `capacity` entries.
struct Table<K> {
    entries: HashMap<K, Entry>,
}

impl<K: Eq + Hash + Clone> Table<K> {
    fn new() -> Table<K> {
        Table { entries: HashMap::new() }
    }

    /// The entry for `key` unless it has been forgotten.
    fn current(&self, key: &K, now: Instant, forget: Duration) -> Option<Entry> {
        self.entries
            .get(key)
            .copied()
            .filter(|e| now.saturating_duration_since(e.last_failure) < forget)
    }

    /// How long `key` must still wait.
    fn wait(&self, key: &K, now: Instant, forget: Duration) -> Option<Duration> {
        let until = self.current(key, now, forget)?.wait_until?;
        (until > now).then(|| until - now)
    }

    fn fail(&mut self, key: K, now: Instant, backoff: &Backoff, limits: &Limits) {
        let failures = self.current(&key, now, limits.forget).map_or(0, |e| e.failures);
        if !self.entries.contains_key(&key) {
            self.make_room(now, limits);
        }
        let failures = failures.saturating_add(1);
        let wait_until = backoff.wait(failures).map(|wait| now + wait);
        self.entries.insert(key, Entry { failures, last_failure: now, wait_until });
    }

    /// Takes back one failure (the attempt succeeded), and the wait it made.
    fn forgive_one(&mut self, key: &K, backoff: &Backoff) {
        if let Some(entry) = self.entries.get_mut(key) {
            entry.failures = entry.failures.saturating_sub(1);
            entry.wait_until = backoff.wait(entry.failures).map(|wait| entry.last_failure + wait);
        }
    }

    fn make_room(&mut self, now: Instant, limits: &Limits) {
        if self.entries.len() < limits.capacity {
            return;
        }
        self.entries
            .retain(|_, e| now.saturating_duration_since(e.last_failure) < limits.forget);
        while self.entries.len() >= limits.capacity.max(1) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_failure)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(key) => self.entries.remove(&key),
                None => break,
            };
        }
    }
}

/// The key of an account: a digest of the normalised email, so long or many
/// emails cost the same small amount of memory (and none is kept as text).
type AccountKey = [u8; 32];

fn account_key(email: &str) -> AccountKey {
    Sha256::digest(email.trim().to_lowercase().as_bytes()).into()
}

/// The key of a client address: IPv4 as it is, IPv6 by its /64 network
/// (one machine usually has a whole /64 to choose addresses from).
fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(network.into())
            }
        },
        v4 => v4,
    }
}

/// A sign-in attempt that was let through; it counts as a failure until
/// [`SignInLimit::succeeded`] says otherwise.
#[must_use]
#[derive(Debug)]
pub struct Attempt {
    account: AccountKey,
    address: Option<IpAddr>,
}

/// The sign-in limit of one server process.
pub struct SignInLimit {
    limits: Limits,
    accounts: Mutex<Table<AccountKey>>,
    addresses: Mutex<Table<IpAddr>>,
}

impl Default for SignInLimit {
    fn default() -> SignInLimit {
        SignInLimit::new(Limits::default())
    }
}

impl SignInLimit {
    pub fn new(limits: Limits) -> SignInLimit {
        SignInLimit { limits, accounts: Mutex::new(Table::new()), addresses: Mutex::new(Table::new()) }
    }

    /// Lets an attempt for `email` from `address` (unknown when `None`)
    /// through, counting it; or says how long to wait first.
    pub fn begin(&self, email: &str, address: Option<IpAddr>, now: Instant) -> Result<Attempt, Duration> {
        let account = account_key(email);
        let address = address.map(address_key);
        let limits = &self.limits;
        // One lock order everywhere: accounts, then addresses.
        let mut accounts = lock(&self.accounts);
        let mut addresses = lock(&self.addresses);
        let waits = [
            accounts.wait(&account, now, limits.forget),
            address.and_then(|a| addresses.wait(&a, now, limits.forget)),
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait);
        }
        accounts.fail(account, now, &limits.account, limits);
        if let Some(address) = address {
            addresses.fail(address, now, &limits.address, limits);
        }
        Ok(Attempt { account, address })
    }

    /// The attempt had the right password: the account starts afresh, and
    /// the address gets this attempt back.
    pub fn succeeded(&self, attempt: Attempt) {
        lock(&self.accounts).entries.remove(&attempt.account);
        if let Some(address) = attempt.address {
            lock(&self.addresses).forgive_one(&address, &self.limits.address);
        }
    }

    #[cfg(test)]
    fn sizes(&self) -> (usize, usize) {
        (lock(&self.accounts).entries.len(), lock(&self.addresses).entries.len())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The tables stay consistent even if a holder panicked.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Who is signing in, for the limit: the connection's peer, or behind a
/// trusted proxy the address it appended last to `X-Forwarded-For`.
/// Unknown (in-process tests) only the account is limited.
pub fn client_address(peer: Option<SocketAddr>, headers: &HeaderMap, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

/// The sentence for a refused attempt.
pub fn wait_message(wait: Duration) -> String {
    let seconds = retry_after_secs(wait);
    let duration = if seconds < 60 {
        plural(seconds, "second")
    } else {
        plural(seconds.div_ceil(60), "minute")
    };
    format!("Too many sign-in attempts. Wait {duration}, then try again.")
}

/// Whole seconds to send in `Retry-After` (at least 1).
pub fn retry_after_secs(wait: Duration) -> u64 {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    whole.max(1)
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "ada@northwind.example";
    const SECOND: Duration = Duration::from_secs(1);

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    fn limits() -> Limits {
        Limits {
            account: Backoff { free: 3, first: SECOND, max: 8 * SECOND },
            address: Backoff { free: 5, first: SECOND, max: 60 * SECOND },
            forget: Duration::from_secs(600),
            capacity: 100,
        }
    }

    /// `n` failed attempts, all let through.
    fn fail(limit: &SignInLimit, email: &str, address: Option<IpAddr>, n: u32, now: Instant) {
        for _ in 0..n {
            let _failed = limit.begin(email, address, now).expect("let through");
        }
    }

    #[test]
    fn an_account_waits_after_its_free_failures_doubling_up_to_the_bound() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        fail(&limit, A, ip("192.0.2.1"), 2, t0);
        // The third failure (the last free one) starts the first wait.
        fail(&limit, A, ip("192.0.2.2"), 1, t0);
        assert_eq!(limit.begin(A, ip("192.0.2.3"), t0).unwrap_err(), SECOND);
        let mut now = t0;
        for expected in [2, 4, 8, 8, 8] {
            now += limit.begin(A, ip("192.0.2.3"), now).map(|_| Duration::ZERO).unwrap_or_else(|w| w);
            fail(&limit, A, None, 1, now);
            assert_eq!(limit.begin(A, None, now).unwrap_err(), expected * SECOND, "bounded");
        }
        // Emails differing in case and spaces are one account.
        assert!(limit.begin(" ADA@Northwind.example ", None, now).is_err());
        assert!(limit.begin("grace@northwind.example", None, now).is_ok(), "other accounts are not slowed");
    }

    #[test]
    fn refused_attempts_neither_count_nor_lengthen_the_wait() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        fail(&limit, A, ip("192.0.2.1"), 3, t0);
        for i in 0..1000 {
            let now = t0 + Duration::from_millis(i);
            assert!(limit.begin(A, ip("192.0.2.1"), now).is_err());
        }
        assert!(limit.begin(A, ip("198.51.100.7"), t0 + SECOND).is_ok(), "the wait ended on time");
    }

    #[test]
    fn the_right_password_after_the_wait_works_and_starts_the_account_afresh() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        fail(&limit, A, ip("203.0.113.9"), 3, t0);
        let later = t0 + SECOND;
        let attempt = limit.begin(A, ip("198.51.100.7"), later).expect("after the wait");
        limit.succeeded(attempt);
        // A fresh start: three more free tries.
        fail(&limit, A, ip("198.51.100.7"), 2, later);
        assert!(limit.begin(A, ip("198.51.100.7"), later).is_ok());
    }

    #[test]
    fn an_address_that_keeps_failing_waits_far_longer_than_the_account() {
        let limit = SignInLimit::new(limits());
        let attacker = ip("203.0.113.9");
        let mut now = Instant::now();
        let mut attacker_waits = vec![];
        let mut failures = 0;
        // The attacker tries again the moment each wait is over.
        while failures < 30 {
            match limit.begin(A, attacker, now) {
                Ok(_) => failures += 1,
                Err(wait) => {
                    attacker_waits.push(wait);
                    now += wait;
                }
            }
        }
        assert_eq!(attacker_waits.iter().max(), Some(&(60 * SECOND)), "the attacker reaches its own bound");

        // Right after the attacker's latest failure the user, elsewhere, waits
        // only the account's bound, then gets in with the right password.
        let user = ip("198.51.100.7");
        let wait = limit.begin(A, user, now).unwrap_err();
        assert_eq!(wait, 8 * SECOND);
        let attempt = limit.begin(A, user, now + wait).expect("the user is let through");
        limit.succeeded(attempt);
        assert_eq!(limit.begin(A, attacker, now + wait).unwrap_err(), 52 * SECOND, "the attacker still waits");
    }

    #[test]
    fn a_success_does_not_clear_an_addresss_failures_for_other_accounts() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        let address = ip("203.0.113.9");
        for i in 0..4 {
            fail(&limit, &format!("user{i}@example.com"), address, 1, t0);
        }
        limit.succeeded(limit.begin("own@example.com", address, t0).unwrap());
        // 4 failures, 1 success: the fifth failure starts the address's wait.
        fail(&limit, "user9@example.com", address, 1, t0);
        assert_eq!(limit.begin("user10@example.com", address, t0).unwrap_err(), SECOND);
    }

    #[test]
    fn ipv6_addresses_count_by_network_and_mapped_ipv4_as_ipv4() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        for i in 0..5 {
            fail(&limit, &format!("u{i}@example.com"), ip(&format!("2001:db8:1:2::{i:x}")), 1, t0);
        }
        assert!(limit.begin("x@example.com", ip("2001:db8:1:2:ffff::1"), t0).is_err());
        assert!(limit.begin("x@example.com", ip("2001:db8:1:3::1"), t0).is_ok());

        for i in 0..5 {
            fail(&limit, &format!("v{i}@example.com"), ip("::ffff:192.0.2.1"), 1, t0);
        }
        assert!(limit.begin("y@example.com", ip("192.0.2.1"), t0).is_err());
    }

    #[test]
    fn failures_are_forgotten_after_a_quiet_while() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        fail(&limit, A, None, 3, t0);
        assert!(limit.begin(A, None, t0).is_err());
        let later = t0 + Duration::from_secs(600);
        fail(&limit, A, None, 2, later);
        assert!(limit.begin(A, None, later).is_ok(), "counted from zero again");
    }

    #[test]
    fn the_tables_stay_within_their_capacity_keeping_recent_entries() {
        let limit = SignInLimit::new(limits());
        let t0 = Instant::now();
        fail(&limit, A, None, 3, t0);
        for i in 0..1000u32 {
            let now = t0 + Duration::from_millis(u64::from(i) + 1);
            let address = IpAddr::from((0xC000_0000u32 + i).to_be_bytes());
            let _ = limit.begin(&format!("{i}-{}", "x".repeat(1000)), Some(address), now);
            let (accounts, addresses) = limit.sizes();
            assert!(accounts <= 100 && addresses <= 100, "{accounts} {addresses}");
        }
        // The oldest entry went first: the account's failures were evicted.
        assert!(limit.begin(A, None, t0 + 2 * SECOND).is_ok());
    }

    #[test]
    fn the_client_address_is_the_peer_unless_a_trusted_proxy_names_it() {
        let peer: Option<SocketAddr> = Some("10.0.0.5:41000".parse().unwrap());
        let mut headers = HeaderMap::new();
        headers.append("x-forwarded-for", "198.51.100.1, 203.0.113.7".parse().unwrap());
        headers.append("x-forwarded-for", "192.0.2.44".parse().unwrap());
        assert_eq!(client_address(peer, &headers, false), ip("10.0.0.5"), "the header is not trusted by default");
        assert_eq!(client_address(peer, &headers, true), ip("192.0.2.44"), "the entry the proxy added last");
        headers.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(client_address(peer, &headers, true), ip("10.0.0.5"));
        assert_eq!(client_address(None, &HeaderMap::new(), true), None);
    }

    #[test]
    fn the_wait_is_said_in_words_and_whole_seconds() {
        assert_eq!(wait_message(Duration::from_millis(300)), "Too many sign-in attempts. Wait 1 second, then try again.");
        assert_eq!(wait_message(Duration::from_millis(1500)), "Too many sign-in attempts. Wait 2 seconds, then try again.");
        assert_eq!(wait_message(Duration::from_secs(61)), "Too many sign-in attempts. Wait 2 minutes, then try again.");
        assert_eq!(retry_after_secs(Duration::from_millis(1500)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
