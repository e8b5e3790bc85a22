//! The wasm side of an upsert once it is valid: a [`Call`] holds the [`Attempts`] state
//! machine, and `drive` in `src/fetch.js` runs it: it sends each attempt with `fetch` (timer,
//! `AbortController` and the caller's `AbortSignal` wired in JS), waits out each backoff, and
//! reports back. Every decision (retry or not, how long to wait, what the answer means) is
//! made here, in [`crate::client`] and [`crate::response`].
//!
//! Driving from JS rather than from a Rust future spares each call a future and its closures,
//! and the wasm 5.7 KB (2.4 KB gzipped) of async runtime and import shims (README,
//! "Performance"). `fetch` is called
//! directly, not through gloo-net, which turns a rejection into a string and loses the
//! original error (kept here as `cause`).

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::client::{Attempts, Step, TransportFailure};
use crate::request::HttpRequest;
use crate::response::RawResponse;
use crate::retry::Platform;
use crate::text::{concat, find};

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// Runs `call` to its end (`src/fetch.js`); resolves with the account or rejects with
    /// the error that [`Call::finish`] gives.
    #[allow(clippy::too_many_arguments)]
    fn drive(
        call: Call,
        custom: &JsValue,
        signal: &JsValue,
        method: &str,
        url: &str,
        header_lines: &str,
        body: &str,
        timeout_ms: u32,
    ) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// What one attempt in `src/fetch.js` resolved with: `{ status, requestId, retryAfter,
    /// text, json }` or `{ failure, cause, detail }`. A plain object made by that code, so
    /// reading it cannot throw; every field is taken as a `JsValue` and checked here, so no
    /// conversion can throw either (a throw would leave the `Call` borrowed).
    pub type Outcome;
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = requestId)]
    fn request_id(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    fn retry_after(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn json(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn cause(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn detail(this: &Outcome) -> JsValue;
}

/// [`Call::begin`] and friends return this to send an attempt.
const SEND: f64 = -1.0;
/// … and this when the call is over: its result is taken with [`Call::finish`]. Any other
/// value is a wait in ms.
const DONE: f64 = -2.0;

/// One upsert in flight, driven by `drive` in `src/fetch.js` (internal: the package's entry
/// points do not export it).
#[wasm_bindgen]
pub struct Call {
    run: Attempts,
    secrets: Vec<String>,
    signal: JsValue,
    result: Option<Result<JsValue, JsValue>>,
}

fn present(value: JsValue) -> Option<JsValue> {
    (!value.is_undefined()).then_some(value)
}

#[wasm_bindgen]
impl Call {
    /// The first step: [`SEND`], or [`DONE`] when the caller's signal has already fired.
    pub fn begin(&mut self) -> f64 {
        let step = self.run.begin(self.aborted());
        self.step(step)
    }

    /// After an attempt: the next step ([`SEND`] is never returned here; a wait in ms, or
    /// [`DONE`]).
    #[wasm_bindgen(js_name = onAttempt)]
    pub fn on_attempt(&mut self, outcome: Outcome) -> f64 {
        let outcome = match outcome.failure().as_string().as_deref() {
            None => Ok(RawResponse {
                status: outcome.status().as_f64().unwrap_or(0.0) as u16,
                request_id: outcome.request_id().as_string(),
                retry_after: outcome.retry_after().as_string(),
                text: outcome.text(),
                json: present(outcome.json()),
            }),
            Some("aborted") => Err(TransportFailure::Aborted(self.aborted().unwrap_or(None))),
            Some("timeout") => Err(TransportFailure::Timeout),
            Some(_) => Err(TransportFailure::Network {
                detail: outcome.detail().as_string().unwrap_or_default(),
                cause: present(outcome.cause()),
            }),
        };
        let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
        let step = self.run.on_attempt(outcome, &JsPlatform, &secrets);
        self.step(step)
    }

    /// After a wait: `slept` is false when the caller's signal cut it short.
    #[wasm_bindgen(js_name = onWait)]
    pub fn on_wait(&mut self, slept: bool) -> f64 {
        let waited = if slept {
            Ok(())
        } else {
            Err(self.aborted().unwrap_or(None))
        };
        let step = self.run.on_wait(waited, self.aborted());
        self.step(step)
    }

    /// The account once [`DONE`]; otherwise the `LinkedAccountError` (thrown in JS).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.result
            .take()
            .unwrap_or_else(|| Err(js_sys::Error::new("the call has not finished").into()))
    }
}

impl Call {
    /// Sends `request`, by handing this call to `drive` with the caller's `fetch` and `signal`
    /// (or `undefined`); `body` is the request's JSON.
    pub(crate) fn send(
        run: Attempts,
        secrets: Vec<String>,
        request: &HttpRequest,
        body: &str,
        timeout_ms: u32,
        fetch: JsValue,
        signal: JsValue,
    ) -> Promise {
        // Names are tokens and values hold no line break (options validation), so one string
        // carries them all across the boundary.
        let mut header_lines = String::new();
        for (name, value) in &request.headers {
            for part in [name, value] {
                header_lines.push_str(part);
                header_lines.push('\n');
            }
        }
        let call = Call {
            run,
            secrets,
            signal: signal.clone(),
            result: None,
        };
        drive(
            call,
            &fetch,
            &signal,
            request.method,
            &request.url,
            &header_lines,
            body,
            timeout_ms,
        )
    }

    fn step(&mut self, step: Step<JsValue>) -> f64 {
        match step {
            Step::Send => SEND,
            Step::Wait(ms) => ms as f64,
            Step::Done(result) => {
                self.result = Some(result.map_err(crate::bindings::error_to_js));
                DONE
            }
        }
    }

    /// The caller's signal's reason, if it has fired.
    fn aborted(&self) -> Option<Option<JsValue>> {
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

/// Clock, dates, JSON and randomness from the JS engine.
struct JsPlatform;

impl Platform for JsPlatform {
    type Node = JsValue;

    fn parse_json(&self, text: &str) -> Option<JsValue> {
        js_sys::JSON::parse(text).ok()
    }

    fn stringify_json(&self, value: &JsValue) -> Option<String> {
        js_sys::JSON::stringify(value).ok()?.as_string()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn parse_http_date_ms(&self, value: &str) -> Option<f64> {
        // The asctime form carries no zone; HTTP-dates are GMT, and Date.parse would otherwise
        // read it as local time.
        let ms = if value.find("GMT").is_some() {
            js_sys::Date::parse(value)
        } else {
            js_sys::Date::parse(&[value, " GMT"].concat())
        };
        ms.is_finite().then_some(ms)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}
