//! The wasm transport: each attempt's request is built with gloo-net and its response read
//! through gloo-net; `attempt` in `src/fetch.js` sends it with the caller's `fetch` (or the
//! platform's) under the attempt's timer and abort wiring and reads the body, bounded by
//! `maxResponseBytes`. [`crate::client::execute`] drives the attempts: the loop that ships
//! is the loop the host tests drive.
//!
//! gloo-net is kept off the paths where it would hurt callers: its `send()` calls only the
//! global `fetch` (no custom `fetch`) and turns a rejection into a string, losing the
//! original error kept here as `cause`, and traps the module on a rejection that is not an
//! `Error`; its `text()` is not raced against the timeout and has no size bound. So the JS
//! helper sends and reads, and gloo-net builds the request and reads status and headers.

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::{Promise, Reflect};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestRedirect};

use crate::bindings::Js;
use crate::client::{Transport, TransportFailure};
use crate::request::HttpRequest;
use crate::response::RawResponse;
use crate::retry::Platform;

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// One attempt (`src/fetch.js`); resolves with an [`Outcome`], never rejects.
    fn attempt(
        request: &web_sys::Request,
        controller: &AbortController,
        custom: &JsValue,
        signal: &JsValue,
        timeout_ms: u32,
        max_bytes: u32,
    ) -> Promise;
    /// Waits `ms`; resolves `true`, or `false` as soon as `signal` aborts.
    fn sleep(ms: f64, signal: &JsValue) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// What [`attempt`] resolved with: `{ response, text, truncated, json }` or
    /// `{ failure, cause, detail }`. A plain object made by that code, so reading it cannot
    /// throw; each field is checked here.
    type Outcome;
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Outcome) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn response(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn truncated(this: &Outcome) -> bool;
    #[wasm_bindgen(method, getter)]
    fn json(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn cause(this: &Outcome) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn detail(this: &Outcome) -> Option<String>;
}

/// One call's way to the server: the caller's `fetch` (or `undefined` for the platform's), its
/// `AbortSignal` (or `undefined`), the request body as JSON text (for `PUT` and `POST`), and
/// the response body size bound.
pub(crate) struct FetchTransport {
    pub(crate) fetch: JsValue,
    pub(crate) signal: JsValue,
    pub(crate) body: Option<String>,
    pub(crate) max_response_bytes: u32,
}

fn present(value: JsValue) -> Option<Js> {
    (!value.is_undefined()).then_some(Js(value))
}

impl FetchTransport {
    /// The request of one attempt. Redirects are not followed: one would carry the credentials
    /// to another URL. The attempt's abort signal is given when it is sent (`src/fetch.js`):
    /// a `Request` built with a signal costs Node's fetch about 40 µs more (it links the
    /// signal), and sending makes a `Request` with the signal anyway.
    fn build(&self, request: &HttpRequest) -> Result<web_sys::Request, JsValue> {
        let method = match request.method {
            crate::request::Method::Get => Method::GET,
            crate::request::Method::Put => Method::PUT,
            crate::request::Method::Post => Method::POST,
            crate::request::Method::Delete => Method::DELETE,
        };
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            .redirect(RequestRedirect::Manual);
        // Names are HTTP tokens and values Latin-1 without controls (options validation), so
        // gloo-net's `Headers::set` cannot throw on them.
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let built = match &self.body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        };
        Ok(built.map_err(|e| JsValue::from_str(&e.to_string()))?.into())
    }
}

impl Transport for FetchTransport {
    async fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<RawResponse<Js>, TransportFailure<Js>> {
        let network =
            |detail: String, cause: Option<Js>| TransportFailure::Network { detail, cause };
        let controller = AbortController::new()
            .map_err(|e| network("AbortController is not available".into(), Some(Js(e))))?;
        let web_request = self.build(request).map_err(|e| {
            let detail = e
                .as_string()
                .unwrap_or_else(|| "the request could not be built".into());
            network(detail, None)
        })?;
        let promise = attempt(
            &web_request,
            &controller,
            &self.fetch,
            &self.signal,
            timeout_ms,
            self.max_response_bytes,
        );
        // `attempt` never rejects; an `Err` here would be a bug in it, reported as a network
        // failure rather than a trap.
        let outcome: Outcome = JsFuture::from(promise)
            .await
            .map_err(|e| network("fetch failed".into(), Some(Js(e))))?
            .unchecked_into();
        match outcome.failure().as_deref() {
            None => {}
            Some("aborted") => return Err(TransportFailure::Aborted(self.aborted().flatten())),
            Some("timeout") => return Err(TransportFailure::Timeout),
            Some(_) => {
                let detail = outcome.detail().unwrap_or_default();
                return Err(network(detail, present(outcome.cause())));
            }
        }
        // `attempt` resolves with a real Response, so gloo-net's getters cannot throw.
        let response = Response::from(outcome.response().unchecked_into::<web_sys::Response>());
        let headers = response.headers();
        Ok(RawResponse {
            status: response.status(),
            request_id: headers.get("x-request-id"),
            retry_after: headers.get("retry-after"),
            content_type: headers.get("content-type"),
            truncated: outcome.truncated(),
            text: Js(outcome.text()),
            json: present(outcome.json()),
        })
    }

    async fn sleep(&mut self, ms: u64) -> Result<(), Option<Js>> {
        let slept = JsFuture::from(sleep(ms as f64, &self.signal)).await;
        match slept.map(|v| v.is_truthy()) {
            Ok(true) => Ok(()),
            _ => Err(self.aborted().flatten()),
        }
    }

    fn aborted(&self) -> Option<Option<Js>> {
        abort_reason(&self.signal)
    }
}

/// The caller's `signal`'s reason once it has fired (`undefined` for no signal).
pub(crate) fn abort_reason(signal: &JsValue) -> Option<Option<Js>> {
    if signal.is_undefined() {
        return None;
    }
    // Read through Reflect: options validation checked `aborted` reads as a boolean, but a
    // getter is still code that could throw.
    let aborted = Reflect::get(signal, &JsValue::from_str("aborted")).ok()?;
    aborted.is_truthy().then(|| {
        Reflect::get(signal, &JsValue::from_str("reason"))
            .ok()
            .map(Js)
    })
}

impl Platform for FetchTransport {
    type Node = Js;

    fn parse_json(&self, text: &str) -> Option<Js> {
        js_sys::JSON::parse(text).ok().map(Js)
    }

    fn stringify_json(&self, value: &Js) -> Option<String> {
        js_sys::JSON::stringify(&value.0).ok()?.as_string()
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn parse_http_date_ms(&self, value: &str) -> Option<f64> {
        // The asctime form carries no zone; HTTP-dates are GMT, and Date.parse would otherwise
        // read it as local time.
        let ms = if value.contains("GMT") {
            js_sys::Date::parse(value)
        } else {
            js_sys::Date::parse(&format!("{value} GMT"))
        };
        ms.is_finite().then_some(ms)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn decode<T: DeserializeOwned>(&self, value: &Js) -> Option<T> {
        serde_wasm_bindgen::from_value(value.0.clone()).ok()
    }
}
