#![cfg(not(target_arch = "wasm32"))]
//! docs/contract.md, Retries: the retry policy (`retry::*`) and the `client::execute` attempt loop, driven by a
//! scripted fake transport on a no-op-waker executor.

mod common;

use common::*;
use refold_linked_accounts::client::{execute, Attempts, Step, TransportFailure};
use refold_linked_accounts::request::{build_request, Call, Expect, HttpRequest, RetryPolicy};
use refold_linked_accounts::retry::{
    backoff_ms, is_retryable_status, parse_retry_after, retry_delay, Platform, BASE_DELAY_MS,
    MAX_DELAY_MS, MAX_RETRY_AFTER_MS,
};
use refold_linked_accounts::{ClientOptions, Error, HttpError, Value};

/// Tue, 14 Nov 2023 22:13:20 GMT.
const NOW_MS: f64 = 1_700_000_000_000.0;

fn http(status: u16, retry_after_ms: Option<u64>) -> Error {
    Error::Http(Box::new(HttpError {
        status,
        api_error_code: None,
        http_error_type: None,
        server_message: None,
        request_id: None,
        body: None,
        raw_body: String::new(),
        retryable: is_retryable_status(status),
        retry_after_ms,
        attempts: 1,
        unanswered_attempts: 0,
    }))
}

fn network_error() -> Error {
    Error::Network {
        retryable: true,
        detail: "fetch failed".into(),
        cause: None,
        attempts: 1,
    }
}

// ---------------------------------------------------------------------------------------------
// is_retryable_status

#[test]
fn retryable_statuses() {
    assert_eq!(
        (BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS),
        (500, 8_000, 60_000)
    );
    for status in [408, 429, 502, 503, 504] {
        assert!(is_retryable_status(status), "{status}");
    }
    for status in [
        200, 201, 301, 400, 401, 403, 404, 409, 422, 500, 501, 505, 599,
    ] {
        assert!(!is_retryable_status(status), "{status}");
    }
}

// ---------------------------------------------------------------------------------------------
// backoff_ms

#[test]
fn backoff_doubles_from_500_capped_at_8000_with_jitter() {
    // (retry, random, ms): base 500, 1000, 2000, 4000, 8000, 8000 scaled by 0.5 + 0.5 * random.
    let table = [
        (1, 0.0, 250),
        (2, 0.0, 500),
        (3, 0.0, 1_000),
        (4, 0.0, 2_000),
        (5, 0.0, 4_000),
        (6, 0.0, 4_000),
        (1, 0.5, 375),
        (2, 0.5, 750),
        (3, 0.5, 1_500),
        (4, 0.5, 3_000),
        (5, 0.5, 6_000),
        (6, 0.5, 6_000),
        (1, 0.999, 499),
        (2, 0.999, 999),
        (3, 0.999, 1_999),
        (4, 0.999, 3_998),
        (5, 0.999, 7_996),
        (6, 0.999, 7_996),
        // Far past the cap: no overflow.
        (30, 0.0, 4_000),
        (u32::MAX, 0.999, 7_996),
    ];
    for (retry, random, ms) in table {
        assert_eq!(
            backoff_ms(retry, random),
            ms,
            "retry {retry}, random {random}"
        );
    }
}

#[test]
fn backoff_jitter_stays_in_half_to_full() {
    for retry in 1..=8u32 {
        let full = (500u64 << (retry - 1)).min(8_000);
        for step in 0..1000 {
            let random = f64::from(step) / 1000.0;
            let ms = backoff_ms(retry, random);
            assert!(
                ms >= full / 2 && ms <= full,
                "retry {retry} random {random}: {ms}"
            );
        }
    }
    // Out-of-range randoms are clamped, never outside [0.5, 1] of the base.
    assert_eq!(backoff_ms(1, -3.0), 250);
    assert_eq!(backoff_ms(1, 7.0), 500);
}

// ---------------------------------------------------------------------------------------------
// parse_retry_after

#[test]
fn retry_after_values() {
    let table: [(&str, Option<u64>); 18] = [
        ("1", Some(1_000)),
        ("120", Some(120_000)),
        (" 3 ", Some(3_000)),
        ("0", Some(0)),
        ("007", Some(7_000)),
        ("1.5", None),
        ("abc", None),
        ("", None),
        ("   ", None),
        ("-1", None),
        ("+1", None),
        ("1e3", None),
        ("3 s", None),
        // Only spaces and tabs around it are optional whitespace (RFC 9110 OWS).
        ("\u{a0}3", None),
        ("\t3\t", Some(3_000)),
        // IMF-fixdate 10 s after now.
        ("Tue, 14 Nov 2023 22:13:30 GMT", Some(10_000)),
        // A date in the past is 0.
        ("Sun, 06 Nov 1994 08:49:37 GMT", Some(0)),
        // Exactly now.
        ("Tue, 14 Nov 2023 22:13:20 GMT", Some(0)),
    ];
    for (value, expected) in table {
        assert_eq!(
            parse_retry_after(value, &TestPlatform(NOW_MS)),
            expected,
            "{value:?}"
        );
    }
    // The date is relative to now, to the ms.
    assert_eq!(
        parse_retry_after(
            "Tue, 14 Nov 2023 22:13:30 GMT",
            &TestPlatform(NOW_MS + 500.0)
        ),
        Some(9_500)
    );
    assert_eq!(
        parse_retry_after(" Tue, 14 Nov 2023 22:14:20 GMT ", &TestPlatform(NOW_MS)),
        Some(60_000)
    );
    // RFC 9110 obsolete date forms are accepted too.
    assert_eq!(
        parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", &TestPlatform(NOW_MS)),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Sun Nov  6 08:49:37 1994", &TestPlatform(NOW_MS)),
        Some(0)
    );
    // Huge delay-seconds saturate at the largest exact JS integer; far above the wait limit.
    assert_eq!(
        parse_retry_after("99999999999999999999999", &TestPlatform(NOW_MS)),
        Some(9_007_199_254_740_991)
    );
}

/// A platform whose date parser accepts anything, as lenient as JS `Date.parse` ("1.5 GMT"
/// is a date in 2001 there).
struct LenientDates;

impl Platform for LenientDates {
    fn decode<T: serde::de::DeserializeOwned>(&self, value: &Value) -> Option<T> {
        serde_json::from_value(serde_json::to_value(value).ok()?).ok()
    }

    type Node = Value;
    fn now_ms(&self) -> f64 {
        NOW_MS
    }
    fn parse_http_date_ms(&self, _value: &str) -> Option<f64> {
        Some(978_307_200_000.0)
    }
    fn parse_json(&self, _text: &str) -> Option<Value> {
        None
    }
    fn stringify_json(&self, _value: &Value) -> Option<String> {
        None
    }
    fn random(&self) -> f64 {
        0.0
    }
}

#[test]
fn retry_after_needs_a_month_name_before_it_is_read_as_a_date() {
    for value in ["1.5", "-5", "+5", "1e3", "soon", "5 GMT", "12:00:00"] {
        assert_eq!(parse_retry_after(value, &LenientDates), None, "{value:?}");
    }
    // Every HTTP-date form names a month, in any case.
    for value in [
        "Tue, 14 Nov 2023 22:13:30 GMT",
        "tuesday, 14-NOV-23 22:13:30 GMT",
        "Tue Nov 14 22:13:30 2023",
    ] {
        assert_eq!(
            parse_retry_after(value, &LenientDates),
            Some(0),
            "{value:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// retry_delay

#[test]
fn retry_delay_table() {
    struct Case {
        name: &'static str,
        error: Error,
        attempts: u32,
        max_retries: u32,
        random: f64,
        delay: Option<u64>,
    }
    let case = |name, error, attempts, max_retries, random, delay| Case {
        name,
        error,
        attempts,
        max_retries,
        random,
        delay,
    };
    let table = vec![
        case("503 first retry", http(503, None), 1, 2, 0.0, Some(250)),
        case("503 second retry", http(503, None), 2, 2, 0.0, Some(500)),
        case("503 no retry left", http(503, None), 3, 2, 0.0, None),
        case("503 jitter", http(503, None), 1, 2, 0.999, Some(499)),
        case("408", http(408, None), 1, 2, 0.0, Some(250)),
        case("429", http(429, None), 1, 2, 0.0, Some(250)),
        case("502", http(502, None), 1, 2, 0.0, Some(250)),
        case("504", http(504, None), 1, 2, 0.0, Some(250)),
        case("500 never", http(500, None), 1, 2, 0.0, None),
        case(
            "500 with Retry-After never",
            http(500, Some(1_000)),
            1,
            2,
            0.0,
            None,
        ),
        case("400 never", http(400, None), 1, 2, 0.0, None),
        case("401 never", http(401, None), 1, 2, 0.0, None),
        case("403 never", http(403, None), 1, 2, 0.0, None),
        case("404 never", http(404, None), 1, 2, 0.0, None),
        case(
            "Retry-After replaces backoff exactly",
            http(503, Some(3_000)),
            1,
            2,
            0.999,
            Some(3_000),
        ),
        case(
            "Retry-After exactly, random 0",
            http(429, Some(3_000)),
            2,
            2,
            0.0,
            Some(3_000),
        ),
        case("Retry-After 0", http(503, Some(0)), 1, 2, 0.5, Some(0)),
        case(
            "Retry-After 60000 is waited",
            http(429, Some(60_000)),
            1,
            2,
            0.0,
            Some(60_000),
        ),
        case(
            "Retry-After 60001 is not",
            http(429, Some(60_001)),
            1,
            2,
            0.0,
            None,
        ),
        case(
            "Retry-After 120 s is not",
            http(429, Some(120_000)),
            1,
            2,
            0.0,
            None,
        ),
        case(
            "Retry-After but no retry left",
            http(429, Some(1_000)),
            3,
            2,
            0.0,
            None,
        ),
        case("network", network_error(), 1, 2, 0.0, Some(250)),
        case(
            "network third retry",
            network_error(),
            3,
            3,
            0.5,
            Some(1_500),
        ),
        case("network no retry left", network_error(), 4, 3, 0.0, None),
        case(
            "timeout",
            Error::Timeout {
                retryable: true,
                timeout_ms: 10,
                attempts: 1,
            },
            1,
            2,
            0.0,
            Some(250),
        ),
        case("maxRetries 0", http(503, None), 1, 0, 0.0, None),
        case("maxRetries 0, network", network_error(), 1, 0, 0.0, None),
        case(
            "maxRetries 10, 10th retry",
            http(503, None),
            10,
            10,
            0.0,
            Some(4_000),
        ),
        case(
            "maxRetries 10, none after",
            http(503, None),
            11,
            10,
            0.0,
            None,
        ),
        case(
            "aborted never",
            Error::Aborted {
                retryable: false,
                cause: None,
                attempts: 1,
            },
            1,
            2,
            0.0,
            None,
        ),
        case(
            "decode never",
            Error::Decode {
                retryable: false,
                status: 200,
                reason: "x".to_owned(),
                raw_body: String::new(),
                server_message: None,
                request_id: None,
                attempts: 1,
            },
            1,
            2,
            0.0,
            None,
        ),
        case(
            "validation never",
            Error::ValidationFailed {
                issues: vec![],
                function: "upsertLinkedAccount",
            },
            1,
            2,
            0.0,
            None,
        ),
        case(
            "options never",
            Error::InvalidOptions {
                issues: vec![],
                function: "upsertLinkedAccount",
            },
            1,
            2,
            0.0,
            None,
        ),
    ];
    for c in table {
        assert_eq!(
            retry_delay(&c.error, c.attempts, c.max_retries, c.random),
            c.delay,
            "{}",
            c.name
        );
    }
}

#[test]
fn retryable_flag_per_error_kind() {
    assert!(http(503, None).retryable());
    assert!(!http(500, None).retryable());
    assert!(network_error().retryable());
    assert!(Error::<Value>::Timeout {
        retryable: true,
        timeout_ms: 1,
        attempts: 1
    }
    .retryable());
    assert!(!Error::<Value>::Aborted {
        retryable: false,
        cause: None,
        attempts: 1
    }
    .retryable());
}

// ---------------------------------------------------------------------------------------------
// execute

fn opts(max_retries: u32, timeout_ms: u32) -> ClientOptions<Value> {
    options(&o([
        ("apiKey", s("tk-1")),
        ("maxRetries", n(f64::from(max_retries))),
        ("timeoutMs", n(f64::from(timeout_ms))),
    ]))
}

fn request(options: &ClientOptions<Value>) -> HttpRequest {
    build_request(
        &Call::Upsert(valid(&o([("linked_account_id", s("acct-1"))]))),
        options,
    )
}

fn run(transport: &mut FakeTransport, options: &ClientOptions<Value>) -> Result<Value, Error> {
    let req = request(options);
    let out = block_on(execute(transport, &req, options, &[]));
    for (sent, timeout) in &transport.sent {
        assert_eq!(sent, &req, "every attempt sends the same request");
        assert_eq!(*timeout, options.timeout_ms, "every attempt gets timeoutMs");
    }
    out
}

fn account() -> Value {
    parse_body(ACCOUNT).unwrap()
}

fn unwrap_http(result: Result<Value, Error>) -> HttpError {
    match result {
        Err(Error::Http(e)) => *e,
        other => panic!("expected HTTP_ERROR, got {other:?}"),
    }
}

#[test]
fn ok_on_first_attempt() {
    let mut t = FakeTransport::new([Ok(response(200, ACCOUNT))]);
    assert_eq!(run(&mut t, &opts(2, 30_000)), Ok(account()));
    assert_eq!(t.sent.len(), 1);
    assert_eq!(t.sleeps, Vec::<u64>::new());
}

#[test]
fn bad_gateway_then_ok() {
    let mut t = FakeTransport::new([
        Ok(response(502, "<html>502</html>")),
        Ok(response(200, ACCOUNT)),
    ]);
    assert_eq!(run(&mut t, &opts(2, 30_000)), Ok(account()));
    assert_eq!(t.sent.len(), 2);
    assert_eq!(t.sleeps, vec![250]);
}

#[test]
fn internal_server_error_is_not_retried() {
    let body = fixture("500-app-id-required.json");
    let mut t = FakeTransport::new([Ok(with_request_id(response(500, &body), "hdr"))]);
    let e = unwrap_http(run(&mut t, &opts(2, 30_000)));
    assert_eq!(t.sent.len(), 1);
    assert_eq!(t.sleeps, Vec::<u64>::new());
    assert_eq!(e.status, 500);
    assert_eq!(e.attempts, 1);
    assert!(!e.retryable);
    assert_eq!(e.api_error_code.as_deref(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(
        e.server_message.as_deref(),
        Some("A valid app_id is required")
    );
    assert_eq!(
        e.request_id.as_deref(),
        Some("89bd1675-a826-46cb-9210-6cb2ae169f67")
    );
}

#[test]
fn client_errors_are_not_retried() {
    for (status, body) in [
        (400, fixture("400-duplicate-auth-key.json")),
        (401, fixture("401-invalid-credentials.json")),
        (404, String::new()),
    ] {
        let mut t = FakeTransport::new([Ok(response(status, &body))]);
        let e = unwrap_http(run(&mut t, &opts(2, 30_000)));
        assert_eq!((e.status, e.attempts, t.sent.len()), (status, 1, 1));
        assert_eq!(t.sleeps, Vec::<u64>::new());
        assert_eq!(e.raw_body, body);
    }
}

#[test]
fn three_service_unavailable_exhaust_two_retries() {
    let mut t = FakeTransport::new((0..3).map(|_| Ok(response(503, ""))));
    let e = unwrap_http(run(&mut t, &opts(2, 30_000)));
    assert_eq!(t.sent.len(), 3);
    assert_eq!(t.sleeps, vec![250, 500]);
    assert_eq!(e.status, 503);
    assert_eq!(e.attempts, 3);
    assert!(
        e.retryable,
        "retryable says what kind of failure it is, retries left or not"
    );
    let error = Error::Http(Box::new(e));
    assert_eq!(error.code(), "HTTP_ERROR");
    assert_eq!(error.attempts(), Some(3));
}

#[test]
fn backoff_uses_the_transport_random() {
    let mut t = FakeTransport::new((0..4).map(|_| Ok(response(504, ""))));
    t.random = 0.5;
    let e = unwrap_http(run(&mut t, &opts(3, 30_000)));
    assert_eq!(e.attempts, 4);
    assert_eq!(t.sleeps, vec![375, 750, 1_500]);
}

#[test]
fn max_retries_ten_backs_off_to_the_cap() {
    let mut t = FakeTransport::new((0..11).map(|_| Ok(response(429, ""))));
    let e = unwrap_http(run(&mut t, &opts(10, 30_000)));
    assert_eq!(e.attempts, 11);
    assert_eq!(
        t.sleeps,
        vec![250, 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000, 4_000, 4_000]
    );
}

#[test]
fn max_retries_zero_sends_once() {
    let mut t = FakeTransport::new([Ok(response(503, ""))]);
    let e = unwrap_http(run(&mut t, &opts(0, 30_000)));
    assert_eq!((e.attempts, t.sent.len()), (1, 1));
    assert_eq!(t.sleeps, Vec::<u64>::new());
}

#[test]
fn network_error_is_retried() {
    let mut t = FakeTransport::new([network("connection refused"), Ok(response(200, ACCOUNT))]);
    assert_eq!(run(&mut t, &opts(2, 30_000)), Ok(account()));
    assert_eq!(t.sent.len(), 2);
    assert_eq!(t.sleeps, vec![250]);
}

#[test]
fn network_errors_exhaust_retries() {
    let mut t = FakeTransport::new([network("reset 1"), network("reset 2"), network("reset 3")]);
    let out = run(&mut t, &opts(2, 30_000));
    assert_eq!(
        out,
        Err(Error::Network {
            retryable: true,
            detail: "reset 3".into(),
            cause: Some(s("reset 3")),
            attempts: 3,
        })
    );
    assert_eq!(t.sleeps, vec![250, 500]);
    let e = out.unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR");
    assert!(e.retryable());
    assert_eq!(e.request_id(), None);
}

#[test]
fn timeouts_are_retried_then_raised() {
    let mut t = FakeTransport::new([
        Err(TransportFailure::Timeout),
        Err(TransportFailure::Timeout),
        Err(TransportFailure::Timeout),
    ]);
    let out = run(&mut t, &opts(2, 1_234));
    assert_eq!(
        out,
        Err(Error::Timeout {
            retryable: true,
            timeout_ms: 1_234,
            attempts: 3
        })
    );
    assert_eq!(t.sleeps, vec![250, 500]);
    assert_eq!(
        out.unwrap_err().to_string(),
        "the Refold API did not answer within timeoutMs = 1234 ms"
    );

    let mut t = FakeTransport::new([Err(TransportFailure::Timeout), Ok(response(201, ACCOUNT))]);
    assert_eq!(run(&mut t, &opts(2, 5)), Ok(account()));
}

#[test]
fn mixed_failures_then_success() {
    let mut t = FakeTransport::new([
        network("dns"),
        Err(TransportFailure::Timeout),
        Ok(response(503, "")),
        Ok(response(200, ACCOUNT)),
    ]);
    assert_eq!(run(&mut t, &opts(3, 30_000)), Ok(account()));
    assert_eq!(t.sent.len(), 4);
    assert_eq!(t.sleeps, vec![250, 500, 1_000]);
}

#[test]
fn abort_during_backoff_sleep() {
    let mut t = FakeTransport::new([Ok(response(503, "")), Ok(response(200, ACCOUNT))]);
    t.abort_during_sleep = Some(Some(s("user cancelled")));
    let out = run(&mut t, &opts(2, 30_000));
    assert_eq!(
        out,
        Err(Error::Aborted {
            retryable: false,
            cause: Some(s("user cancelled")),
            attempts: 1,
        })
    );
    assert_eq!(t.sent.len(), 1, "nothing is sent after the abort");
    assert_eq!(t.sleeps, vec![250]);
    let e = out.unwrap_err();
    assert_eq!(e.code(), "ABORTED");
    assert!(!e.retryable());
    assert_eq!(
        e.to_string(),
        "the request was aborted by the caller's signal"
    );
}

#[test]
fn already_aborted_sends_nothing() {
    let mut t = FakeTransport::new([]);
    t.abort_reason = Some(Some(s("AbortError")));
    let out = run(&mut t, &opts(2, 30_000));
    assert_eq!(
        out,
        Err(Error::Aborted {
            retryable: false,
            cause: Some(s("AbortError")),
            attempts: 0,
        })
    );
    assert_eq!(t.sent.len(), 0);
    assert_eq!(t.sleeps, Vec::<u64>::new());
    assert_eq!(out.unwrap_err().attempts(), Some(0));

    // An abort without a reason.
    let mut t = FakeTransport::new([]);
    t.abort_reason = Some(None);
    assert_eq!(
        run(&mut t, &opts(2, 30_000)),
        Err(Error::Aborted {
            retryable: false,
            cause: None,
            attempts: 0
        })
    );
}

#[test]
fn abort_during_send_is_not_retried() {
    let mut t = FakeTransport::new([Err(TransportFailure::Aborted(Some(s("stop"))))]);
    let out = run(&mut t, &opts(2, 30_000));
    assert_eq!(
        out,
        Err(Error::Aborted {
            retryable: false,
            cause: Some(s("stop")),
            attempts: 1,
        })
    );
    assert_eq!(t.sleeps, Vec::<u64>::new());
}

#[test]
fn retry_after_120_is_not_waited() {
    let mut t = FakeTransport::new([Ok(with_retry_after(response(429, ""), "120"))]);
    let e = unwrap_http(run(&mut t, &opts(2, 30_000)));
    assert_eq!(t.sent.len(), 1);
    assert_eq!(t.sleeps, Vec::<u64>::new());
    assert_eq!(e.status, 429);
    assert_eq!(e.retry_after_ms, Some(120_000));
    assert_eq!(e.attempts, 1);
    assert!(e.retryable);
    assert_eq!(
        Error::Http(Box::new(e)).to_string(),
        "Refold API answered HTTP 429 with an empty body; Retry-After asks for 120000 ms"
    );
}

#[test]
fn retry_after_replaces_backoff_exactly() {
    let mut t = FakeTransport::new([
        Ok(with_retry_after(response(429, ""), "3")),
        Ok(with_retry_after(
            response(503, ""),
            "Tue, 14 Nov 2023 22:13:30 GMT",
        )),
        Ok(response(200, ACCOUNT)),
    ]);
    t.random = 0.7;
    assert_eq!(run(&mut t, &opts(2, 30_000)), Ok(account()));
    assert_eq!(t.sleeps, vec![3_000, 10_000]);
}

#[test]
fn unparseable_retry_after_falls_back_to_backoff() {
    let mut t = FakeTransport::new([
        Ok(with_retry_after(response(503, ""), "soon")),
        Ok(response(200, ACCOUNT)),
    ]);
    assert_eq!(run(&mut t, &opts(2, 30_000)), Ok(account()));
    assert_eq!(t.sleeps, vec![250]);
}

#[test]
fn last_attempt_keeps_retry_after() {
    let mut t = FakeTransport::new([
        Ok(with_retry_after(response(503, ""), "1")),
        Ok(with_retry_after(response(503, ""), "2")),
    ]);
    let e = unwrap_http(run(&mut t, &opts(1, 30_000)));
    assert_eq!(t.sleeps, vec![1_000]);
    assert_eq!((e.attempts, e.retry_after_ms), (2, Some(2_000)));
}

#[test]
fn decode_error_is_not_retried_and_keeps_the_request_id() {
    let mut t = FakeTransport::new([Ok(with_request_id(response(200, ""), "req-9"))]);
    let out = run(&mut t, &opts(2, 30_000));
    assert_eq!(
        out,
        Err(Error::Decode {
            retryable: false,
            status: 200,
            reason: "the body is empty".to_owned(),
            raw_body: String::new(),
            server_message: None,
            request_id: Some("req-9".into()),
            attempts: 1,
        })
    );
    assert_eq!(t.sleeps, Vec::<u64>::new());
}

#[test]
fn success_after_retries_returns_the_body_as_sent() {
    let body = fixture("200-upsert.json");
    let mut t = FakeTransport::new([Ok(response(502, "")), Ok(response(200, &body))]);
    let account = run(&mut t, &opts(2, 30_000)).unwrap();
    assert_eq!(account, js(serde_json::from_str(&body).unwrap()));
}

// ---------------------------------------------------------------------------------------------
// Attempts: the steps a driver (src/fetch.js in wasm) sees

#[test]
fn attempts_steps_send_wait_send_done() {
    let platform = TestPlatform(NOW_MS);
    let mut run = Attempts::new(5_000, 2, Expect::Account, RetryPolicy::Idempotent);
    assert_eq!(run.begin::<Value>(None), Step::Send);
    // 503 with `Retry-After: 2`: wait exactly 2 s, then send again.
    let step = run.on_attempt(Ok(with_retry_after(response(503, ""), "2")), &platform, &[]);
    assert_eq!(step, Step::Wait(2_000));
    assert_eq!(run.on_wait::<Value>(Ok(()), None), Step::Send);
    // A timeout: backoff with the platform's jitter (0.5) after the second attempt.
    let step = run.on_attempt(Err(TransportFailure::Timeout), &platform, &[]);
    assert_eq!(step, Step::Wait(backoff_ms(2, 0.5)));
    assert_eq!(run.on_wait::<Value>(Ok(()), None), Step::Send);
    let step = run.on_attempt(Ok(response(200, ACCOUNT)), &platform, &[]);
    assert_eq!(step, Step::Done(Ok(account())));
}

#[test]
fn attempts_stop_on_abort_before_sending_and_during_a_wait() {
    let platform = TestPlatform(NOW_MS);
    let reason = Some(s("stop"));
    let mut run = Attempts::new(5_000, 2, Expect::Account, RetryPolicy::Idempotent);
    match run.begin(Some(reason.clone())) {
        Step::Done(Err(Error::Aborted {
            cause, attempts, ..
        })) => {
            assert_eq!((cause, attempts), (reason.clone(), 0));
        }
        other => panic!("expected ABORTED, got {other:?}"),
    }
    let mut run = Attempts::new(5_000, 2, Expect::Account, RetryPolicy::Idempotent);
    assert_eq!(run.begin::<Value>(None), Step::Send);
    let step = run.on_attempt(Ok(response(502, "")), &platform, &[]);
    assert!(matches!(step, Step::Wait(_)), "{step:?}");
    match run.on_wait(Err(reason.clone()), None) {
        Step::Done(Err(Error::Aborted {
            cause, attempts, ..
        })) => {
            assert_eq!((cause, attempts), (reason, 1));
        }
        other => panic!("expected ABORTED, got {other:?}"),
    }
}

#[test]
fn attempts_give_up_after_max_retries_with_the_last_error() {
    let platform = TestPlatform(NOW_MS);
    let mut run = Attempts::new(5_000, 1, Expect::Account, RetryPolicy::Idempotent);
    assert_eq!(run.begin::<Value>(None), Step::Send);
    assert!(matches!(
        run.on_attempt(Ok(response(504, "")), &platform, &[]),
        Step::Wait(_)
    ));
    assert_eq!(run.on_wait::<Value>(Ok(()), None), Step::Send);
    match run.on_attempt(Ok(response(504, "")), &platform, &[]) {
        Step::Done(Err(Error::Http(e))) => assert_eq!((e.status, e.attempts), (504, 2)),
        other => panic!("expected HTTP_ERROR, got {other:?}"),
    }
}
