//! Retry decisions and backoff (`docs/contract.md`, "Retries"), pure and host-tested.
//!
//! Upsert is a `PUT`, idempotent, so a retry cannot create a second account. 500 is not
//! retried: Refold answers 500 for deterministic input errors such as "A valid app_id is
//! required" (<https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>).

use crate::error::Error;
use serde::de::DeserializeOwned;

/// First backoff delay, in ms.
pub const BASE_DELAY_MS: u64 = 500;
/// Largest computed backoff delay, in ms.
pub const MAX_DELAY_MS: u64 = 8_000;
/// A `Retry-After` above this (ms) is not waited out: the error is raised with it.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Statuses that are retried: 408, 429, 502, 503, 504.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// What the runtime already provides: the time, HTTP-date parsing and JSON parsing
/// (`Date.now()`, `Date.parse()`, `JSON.parse()` in JS), so the wasm carries no date or JSON
/// code of its own.
pub trait Platform {
    /// The runtime's value type.
    type Node: crate::value::Node;
    /// Ms since the Unix epoch.
    fn now_ms(&self) -> f64;
    /// An HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete RFC 850 and asctime
    /// forms) as ms since the Unix epoch; `None` when it is not one.
    fn parse_http_date_ms(&self, value: &str) -> Option<f64>;
    /// `text` parsed as JSON; `None` when it is not JSON.
    fn parse_json(&self, text: &str) -> Option<Self::Node>;
    /// `value` written as JSON the way `JSON.stringify` writes it (only `"`, `\`, control
    /// characters and lone surrogates escaped).
    fn stringify_json(&self, value: &Self::Node) -> Option<String>;
    /// A random number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
    /// `value` deserialized as a `T` (serde), or `None` when it does not have that shape.
    fn decode<T: DeserializeOwned>(&self, value: &Self::Node) -> Option<T>;
}

/// The largest integer a JS number holds exactly (2^53 − 1): a longer delay-seconds is this.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Month abbreviations, one of which every HTTP-date form holds (lower case).
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `Retry-After` in ms: delay-seconds (`"120"`, at most 2^53 − 1 ms) or an HTTP-date,
/// relative to the platform's now; a date in the past is 0. `None` for anything else
/// (`"1.5"`, `"-5"`, `"soon"`).
pub fn parse_retry_after(value: &str, clock: &impl Platform) -> Option<u64> {
    let value = value.trim_ascii();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.bytes().fold(0u64, |n, b| {
            n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(seconds.saturating_mul(1000).min(MAX_SAFE_INTEGER));
    }
    // Every HTTP-date form names its month. Without this check `Date.parse` reads "1.5" or
    // "-5" (which get " GMT" appended) as dates in 2001, a delay of 0.
    let lower = value.to_ascii_lowercase();
    if !MONTHS.iter().any(|month| lower.contains(month)) {
        return None;
    }
    let at_ms = clock
        .parse_http_date_ms(value)
        .filter(|ms| ms.is_finite())?;
    Some((at_ms - clock.now_ms()).max(0.0) as u64)
}

/// The exponential delay before retry number `retry` (1-based): 500 ms doubling, capped at
/// 8 s, scaled by `0.5 + 0.5 * random` with `random` in `[0, 1)`.
pub fn backoff_ms(retry: u32, random: f64) -> u64 {
    let exp = BASE_DELAY_MS.saturating_mul(1u64 << retry.saturating_sub(1).min(16));
    let capped = exp.min(MAX_DELAY_MS) as f64;
    (capped * (0.5 + 0.5 * random.clamp(0.0, 1.0))) as u64
}

/// How long to wait before the next attempt, or `None` to stop and raise `error`.
///
/// `attempts` is how many were made so far; `max_retries` how many may follow the first.
/// A retryable failure's `Retry-After` replaces the computed delay exactly (no jitter); one
/// above [`MAX_RETRY_AFTER_MS`] stops the retries.
pub fn retry_delay<N>(
    error: &Error<N>,
    attempts: u32,
    max_retries: u32,
    random: f64,
) -> Option<u64> {
    if !error.retryable() || attempts > max_retries {
        return None;
    }
    if let Error::Http(http) = error {
        if let Some(ms) = http.retry_after_ms {
            return (ms <= MAX_RETRY_AFTER_MS).then_some(ms);
        }
    }
    Some(backoff_ms(attempts, random))
}
