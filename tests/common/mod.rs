#![cfg(not(target_arch = "wasm32"))]
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

//! Shared helpers for the host tests: `Value` builders, JSON → `Value`, an `Env` built on the
//! `url` crate (reporting parts the way WHATWG `new URL()` does), a tiny executor and a
//! scripted fake `Transport`.

use refold_linked_accounts::retry::Platform;
use std::collections::VecDeque;
use std::future::Future;
use std::path::PathBuf;
use std::task::{Context, Poll, Waker};

use refold_linked_accounts::client::{Transport, TransportFailure};
use refold_linked_accounts::request::HttpRequest;
use refold_linked_accounts::response::{json_text, RawResponse};
use refold_linked_accounts::{
    ClientOptions, Env, Kind, PathSegment, UpsertLinkedAccountRequest, UrlParts, ValidationIssue,
    Value,
};

/// The credential used by the "never leaks" tests.
pub const SECRET: &str = "sk-SECRET-123";

// ---------------------------------------------------------------------------------------------
// Value builders

/// A string value.
pub fn s(text: &str) -> Value {
    Value::str(text)
}

/// A number value.
pub fn n(x: f64) -> Value {
    Value::Number(x)
}

/// A plain object, keys in the given order.
pub fn o<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::object(entries)
}

/// An array.
pub fn a<const N: usize>(items: [Value; N]) -> Value {
    Value::Array(items.into())
}

/// An opaque JS value of another kind (`Map`, `Date`, class instance …).
pub fn opaque(kind: Kind) -> Value {
    Value::Opaque(kind)
}

/// A serde_json value as a `Value` (object keys keep their order: serde_json has
/// `preserve_order`).
pub fn js(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(x) => Value::Number(x.as_f64().expect("a JSON number is an f64")),
        serde_json::Value::String(t) => Value::String(t),
        serde_json::Value::Array(items) => Value::Array(items.into_iter().map(js).collect()),
        serde_json::Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, js(v))).collect())
        }
    }
}

/// The JSON a serde type writes, as a [`Value`] (the request body the transport sends).
pub fn body_json(body: &impl serde::Serialize) -> Value {
    js(serde_json::to_value(body).expect("serializes"))
}

/// Parses body text the way the transport does: `JSON.parse(json_text(text))`, `None` when
/// it is not JSON.
pub fn parse_body(text: &str) -> Option<Value> {
    serde_json::from_str::<serde_json::Value>(json_text(text))
        .ok()
        .map(js)
}

// ---------------------------------------------------------------------------------------------
// Issues

/// An issue as `(path, code)` with the path as plain strings (`#3` for an index).
pub type Brief = (Vec<String>, &'static str);

/// Every issue as `(path, code)`, in order.
pub fn briefs(issues: &[ValidationIssue]) -> Vec<Brief> {
    issues
        .iter()
        .map(|i| {
            let path = i
                .path
                .iter()
                .map(|seg| match seg {
                    PathSegment::Key(k) => k.clone(),
                    PathSegment::Index(x) => format!("#{x}"),
                })
                .collect();
            (path, i.code.as_str())
        })
        .collect()
}

/// Builds an expected `(path, code)`.
pub fn at(path: &[&str], code: &'static str) -> Brief {
    (path.iter().map(|p| (*p).to_owned()).collect(), code)
}

/// A path of object keys.
pub fn keys(path: &[&str]) -> Vec<PathSegment> {
    path.iter()
        .map(|p| PathSegment::Key((*p).to_owned()))
        .collect()
}

/// Validates a request that must be valid.
pub fn valid(request: &Value) -> UpsertLinkedAccountRequest {
    match refold_linked_accounts::validate(request) {
        Ok(v) => v,
        Err(issues) => panic!("expected a valid request, got {issues:#?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Env

/// An `Env` over the `url` crate, reporting what WHATWG `new URL(s)` would.
#[derive(Clone, Copy, Debug, Default)]
pub struct TestEnv {
    /// Whether `globalThis.document` exists.
    pub browser: bool,
}

/// Not a browser page (Node, Deno, workers).
pub const SERVER: TestEnv = TestEnv { browser: false };
/// A browser page.
pub const BROWSER: TestEnv = TestEnv { browser: true };

impl Env for TestEnv {
    fn parse_url(&self, s: &str) -> Option<UrlParts> {
        url_parts(s)
    }

    fn in_browser(&self) -> bool {
        self.browser
    }
}

/// `new URL(s)` as `UrlParts`, `None` when it would throw.
pub fn url_parts(s: &str) -> Option<UrlParts> {
    let url = url::Url::parse(s).ok()?;
    // WHATWG `search` and `hash` are "" for both a missing and an empty query / fragment.
    let search = match url.query() {
        Some(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    };
    let hash = match url.fragment() {
        Some(f) if !f.is_empty() => format!("#{f}"),
        _ => String::new(),
    };
    Some(UrlParts {
        protocol: format!("{}:", url.scheme()),
        hostname: url.host_str().unwrap_or("").to_owned(),
        origin: url.origin().ascii_serialization(),
        pathname: url.path().to_owned(),
        search,
        hash,
        has_credentials: !url.username().is_empty() || url.password().is_some(),
    })
}

/// Parses options that must be valid (server env).
pub fn options(value: &Value) -> ClientOptions<Value> {
    options_in(value, SERVER)
}

/// Parses options that must be valid in `env`.
pub fn options_in(value: &Value, env: TestEnv) -> ClientOptions<Value> {
    match refold_linked_accounts::options::parse_options(value, &env) {
        Ok(o) => o,
        Err(issues) => panic!("expected valid options, got {issues:#?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Executor

/// Runs a future to completion by polling it with a no-op waker. The fake transport never
/// returns `Pending`, so a few polls always suffice.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the future did not complete");
}

// ---------------------------------------------------------------------------------------------
// Responses and the fake transport

/// A response as the transport reads it: `json` parsed from `text` (BOM removed).
pub fn response(status: u16, text: &str) -> RawResponse<Value> {
    RawResponse {
        status,
        request_id: None,
        retry_after: None,
        content_type: None,
        truncated: false,
        text: Value::String(text.to_owned()),
        json: parse_body(text),
    }
}

/// `response` with an `x-request-id` header.
pub fn with_request_id(mut r: RawResponse<Value>, id: &str) -> RawResponse<Value> {
    r.request_id = Some(id.to_owned());
    r
}

/// `response` with a `Retry-After` header.
pub fn with_retry_after(mut r: RawResponse<Value>, value: &str) -> RawResponse<Value> {
    r.retry_after = Some(value.to_owned());
    r
}

/// A minimal linked-account body.
pub const ACCOUNT: &str = r#"{"_id":"63cabcc596d0d10508a69bdf","account_id":"acct-1","environment":"test","udf":[],"__v":0}"#;

/// One scripted outcome of `send`.
pub type Outcome = Result<RawResponse<Value>, TransportFailure<Value>>;

/// A network failure outcome.
pub fn network(detail: &str) -> Outcome {
    Err(TransportFailure::Network {
        detail: detail.to_owned(),
        cause: Some(s(detail)),
    })
}

/// A transport that plays a script and records what the loop asked of it.
#[derive(Debug, Default)]
pub struct FakeTransport {
    /// Outcomes of successive `send` calls; running out panics.
    pub script: VecDeque<Outcome>,
    /// Every request sent, with the timeout it was given.
    pub sent: Vec<(HttpRequest, u32)>,
    /// Every delay the loop asked to sleep, in ms (including the one an abort cut short).
    pub sleeps: Vec<u64>,
    /// `Some(reason)` once the caller's signal has fired.
    pub abort_reason: Option<Option<Value>>,
    /// When set, the first `sleep` fires the signal with this reason.
    pub abort_during_sleep: Option<Option<Value>>,
    /// What `random()` returns.
    pub random: f64,
    /// What `now_ms()` returns.
    pub now_ms: f64,
}

impl FakeTransport {
    /// A transport that will play `script`.
    pub fn new(script: impl IntoIterator<Item = Outcome>) -> Self {
        FakeTransport {
            script: script.into_iter().collect(),
            now_ms: 1_700_000_000_000.0,
            ..FakeTransport::default()
        }
    }
}

impl Transport for FakeTransport {
    async fn send(&mut self, request: &HttpRequest, timeout_ms: u32) -> Outcome {
        self.sent.push((request.clone(), timeout_ms));
        self.script
            .pop_front()
            .expect("execute sent more requests than the script holds")
    }

    async fn sleep(&mut self, ms: u64) -> Result<(), Option<Value>> {
        self.sleeps.push(ms);
        if let Some(reason) = self.abort_during_sleep.take() {
            self.abort_reason = Some(reason.clone());
            return Err(reason);
        }
        Ok(())
    }

    fn aborted(&self) -> Option<Option<Value>> {
        self.abort_reason.clone()
    }
}

impl Platform for FakeTransport {
    type Node = Value;

    fn random(&self) -> f64 {
        self.random
    }

    fn parse_json(&self, text: &str) -> Option<Value> {
        parse_body(text)
    }

    fn stringify_json(&self, value: &Value) -> Option<String> {
        serde_json::to_string(value).ok()
    }

    fn now_ms(&self) -> f64 {
        self.now_ms
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, value: &Value) -> Option<T> {
        decode(value)
    }

    fn parse_http_date_ms(&self, value: &str) -> Option<f64> {
        http_date_ms(value)
    }
}

/// A fixed clock that parses HTTP-dates the way `Date.parse` does for the three RFC 9110
/// forms, and JSON with serde_json; its jitter is always 0.5.
pub struct TestPlatform(pub f64);

impl Platform for TestPlatform {
    type Node = Value;

    fn random(&self) -> f64 {
        0.5
    }

    fn parse_json(&self, text: &str) -> Option<Value> {
        parse_body(text)
    }

    fn stringify_json(&self, value: &Value) -> Option<String> {
        serde_json::to_string(value).ok()
    }

    fn now_ms(&self) -> f64 {
        self.0
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, value: &Value) -> Option<T> {
        decode(value)
    }

    fn parse_http_date_ms(&self, value: &str) -> Option<f64> {
        http_date_ms(value)
    }
}

/// `value` as a `T`, through its JSON form (the wasm build deserializes the JS value itself).
fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> Option<T> {
    serde_json::from_value(serde_json::to_value(value).ok()?).ok()
}

fn http_date_ms(value: &str) -> Option<f64> {
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as f64)
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/// `tests/fixtures/<name>`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// The text of `tests/fixtures/<name>`, exactly as stored.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_path(name))
        .unwrap_or_else(|e| panic!("cannot read fixture {name}: {e}"))
}

/// `tests/fixtures/<name>` parsed as JSON (for expected-value tables).
pub fn fixture_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}
