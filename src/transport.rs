//! `fetch` transport (wasm only): one attempt with a timer that aborts the request and the
//! body read, linked to the caller's `AbortSignal`.
//!
//! The attempt itself is `src/fetch.js`: the `AbortController`, timer, listeners and `Request`
//! it needs are a dozen JS objects, and wiring them from Rust cost dozens of calls across the
//! boundary and about 4 KB of import shims (README, "Performance"). It reports what happened;
//! every decision stays in [`crate::client`]. `fetch` is called directly, not through
//! gloo-net, which turns a rejection into a string and loses the original error (kept here
//! as `cause`).

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::client::{Transport, TransportFailure};
use crate::request::HttpRequest;
use crate::response::RawResponse;
use crate::retry::Platform;
use crate::text::find;

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// One attempt (`src/fetch.js`); the promise never rejects.
    #[wasm_bindgen(js_name = attempt)]
    fn fetch_attempt(
        custom: &JsValue,
        method: &str,
        url: &str,
        header_lines: &str,
        body: &JsValue,
        timeout_ms: u32,
        signal: &JsValue,
    ) -> Promise;
    /// Resolves `true` after `ms`, or `false` as soon as `signal` aborts.
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_ms(ms: f64, signal: &JsValue) -> Promise;
}

/// Sends attempts with the global `fetch`, or the caller's `fetch` option.
pub(crate) struct FetchTransport {
    fetch: JsValue,
    signal: JsValue,
    /// The request's JSON body, written once for every attempt.
    body: JsValue,
}

impl FetchTransport {
    pub(crate) fn new(fetch: Option<JsValue>, signal: Option<JsValue>, body: &str) -> Self {
        FetchTransport {
            fetch: fetch.unwrap_or(JsValue::UNDEFINED),
            signal: signal.unwrap_or(JsValue::UNDEFINED),
            body: JsValue::from_str(body),
        }
    }

    fn user_abort_reason(&self) -> Option<Option<JsValue>> {
        if self.signal.is_undefined() {
            return None;
        }
        // Read through Reflect: options validation checked `aborted` reads as a boolean, but a
        // getter is still code that could throw.
        let aborted = Reflect::get(&self.signal, &JsValue::from_str("aborted")).ok()?;
        aborted
            .is_truthy()
            .then(|| Reflect::get(&self.signal, &JsValue::from_str("reason")).ok())
    }
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn present(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined()).then_some(value)
}

impl Transport for FetchTransport {
    async fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<RawResponse<JsValue>, TransportFailure<JsValue>> {
        // Names are tokens and values hold no line break (options validation), so one string
        // carries them all across the boundary.
        let mut header_lines = String::new();
        for (name, value) in &request.headers {
            for part in [name, value] {
                header_lines.push_str(part);
                header_lines.push('\n');
            }
        }
        let outcome = JsFuture::from(fetch_attempt(
            &self.fetch,
            request.method,
            &request.url,
            &header_lines,
            &self.body,
            timeout_ms,
            &self.signal,
        ))
        .await
        .unwrap_or(JsValue::UNDEFINED);
        match field(&outcome, "failure").as_string().as_deref() {
            None => Ok(RawResponse {
                status: field(&outcome, "status").as_f64().unwrap_or(0.0) as u16,
                request_id: field(&outcome, "requestId").as_string(),
                retry_after: field(&outcome, "retryAfter").as_string(),
                text: field(&outcome, "text"),
                json: present(field(&outcome, "json")),
            }),
            Some("aborted") => Err(TransportFailure::Aborted(present(field(&outcome, "cause")))),
            Some("timeout") => Err(TransportFailure::Timeout),
            Some(_) => Err(TransportFailure::Network {
                detail: field(&outcome, "detail").as_string().unwrap_or_default(),
                cause: present(field(&outcome, "cause")),
            }),
        }
    }

    async fn sleep(&mut self, ms: u64) -> Result<(), Option<JsValue>> {
        if let Some(reason) = self.user_abort_reason() {
            return Err(reason);
        }
        let slept = JsFuture::from(sleep_ms(ms as f64, &self.signal)).await;
        match slept {
            Ok(done) if done.is_truthy() => Ok(()),
            _ => Err(self.user_abort_reason().unwrap_or(None)),
        }
    }

    fn aborted(&self) -> Option<Option<JsValue>> {
        self.user_abort_reason()
    }

    fn random(&mut self) -> f64 {
        js_sys::Math::random()
    }
}

impl Platform for FetchTransport {
    type Node = JsValue;

    fn parse_json(&self, text: &str) -> Option<JsValue> {
        js_sys::JSON::parse(text).ok()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn parse_http_date_ms(&self, value: &str) -> Option<f64> {
        // The asctime form carries no zone; HTTP-dates are GMT, and Date.parse would otherwise
        // read it as local time.
        let ms = if find(value, "GMT").is_some() {
            js_sys::Date::parse(value)
        } else {
            js_sys::Date::parse(&[value, " GMT"].concat())
        };
        ms.is_finite().then_some(ms)
    }
}
