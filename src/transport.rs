//! `fetch` transport (wasm only): one attempt with a timer that aborts the request and the
//! body read, linked to the caller's `AbortSignal`.
//!
//! `fetch` is called directly, not through gloo-net: gloo-net turns a rejection into a string,
//! losing the original error (kept here as `cause`), and for the one `Request` built here it
//! cost 1.6 KB gzipped (README, "Performance").

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use crate::client::{Transport, TransportFailure};
use crate::request::HttpRequest;
use crate::response::RawResponse;
use crate::retry::Platform;
use crate::text::find;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<JsValue, JsValue>;
}

/// Sends attempts with the global `fetch`, or the caller's `fetch` option.
pub(crate) struct FetchTransport {
    fetch: Option<Function>,
    signal: Option<AbortSignal>,
}

impl FetchTransport {
    pub(crate) fn new(fetch: Option<JsValue>, signal: Option<JsValue>) -> Self {
        FetchTransport {
            fetch: fetch.map(JsCast::unchecked_into),
            signal: signal.map(JsCast::unchecked_into),
        }
    }

    fn user_abort_reason(&self) -> Option<Option<JsValue>> {
        let signal = self.signal.as_ref()?;
        // Read through Reflect: options validation checked `aborted` reads as a boolean, but a
        // getter is still code that could throw.
        let aborted = Reflect::get(signal, &JsValue::from_str("aborted")).ok()?;
        aborted
            .is_truthy()
            .then(|| Reflect::get(signal, &JsValue::from_str("reason")).ok())
    }
}

/// `target.method.bind(target)`, a JS function with no Rust closure behind it (so a timer
/// or listener that is never called leaks nothing).
fn bound_method(target: &JsValue, method: &str) -> Option<Function> {
    let f: Function = Reflect::get(target, &JsValue::from_str(method))
        .ok()?
        .dyn_into()
        .ok()?;
    Some(f.bind0(target))
}

/// A promise that rejects when `signal` aborts (the rejection value is not used).
fn rejects_on_abort(signal: &AbortSignal) -> Promise {
    Promise::new(&mut |_resolve, reject| {
        let _ = signal.add_event_listener_with_callback("abort", &reject);
    })
}

/// `promise`, raced against `signal` when `race` is set: it then rejects once `signal` aborts
/// even if a custom fetch ignores the signal. The platform's fetch and body reading honour
/// the signal themselves, so they skip the extra promises.
async fn until_abort(
    promise: Promise,
    signal: &AbortSignal,
    race: bool,
) -> Result<JsValue, JsValue> {
    if !race {
        return JsFuture::from(promise).await;
    }
    let race = js_sys::Array::of2(&promise, &rejects_on_abort(signal));
    JsFuture::from(Promise::race(&race)).await
}

fn is_response_like(value: &JsValue) -> bool {
    let is_fn = |target: &JsValue, key: &str| {
        Reflect::get(target, &JsValue::from_str(key)).is_ok_and(|v| v.is_function())
    };
    value.is_object()
        && Reflect::get(value, &JsValue::from_str("status")).is_ok_and(|v| v.as_f64().is_some())
        && is_fn(value, "text")
        && Reflect::get(value, &JsValue::from_str("headers"))
            .is_ok_and(|h| h.is_object() && is_fn(&h, "get"))
}

fn header(response: &JsValue, name: &str) -> Option<String> {
    let headers = Reflect::get(response, &JsValue::from_str("headers")).ok()?;
    let get: Function = Reflect::get(&headers, &JsValue::from_str("get"))
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(&headers, &JsValue::from_str(name))
        .ok()?
        .as_string()
}

/// A JS error's message, with Node's `cause.code` (`ECONNREFUSED`) when there is one.
pub(crate) fn describe_js_error(error: &JsValue) -> String {
    let text = |v: &JsValue, key: &str| {
        Reflect::get(v, &JsValue::from_str(key))
            .ok()
            .and_then(|m| m.as_string())
    };
    let mut detail = if error.is_object() {
        text(error, "message").unwrap_or_default()
    } else {
        error.as_string().unwrap_or_default()
    };
    if detail.is_empty() {
        detail.push_str("fetch failed");
    }
    if let Some(code) = Reflect::get(error, &JsValue::from_str("cause"))
        .ok()
        .filter(JsValue::is_object)
        .and_then(|cause| text(&cause, "code").or_else(|| text(&cause, "message")))
    {
        detail.push_str(" (");
        detail.push_str(&code);
        detail.push(')');
    }
    detail
}

/// Clears the attempt's timer and unhooks it from the caller's signal when dropped.
struct AttemptGuard<'a> {
    timer: JsValue,
    user_signal: Option<&'a AbortSignal>,
    forward: Option<Function>,
}

impl Drop for AttemptGuard<'_> {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let (Some(signal), Some(forward)) = (self.user_signal, &self.forward) {
            let _ = signal.remove_event_listener_with_callback("abort", forward);
        }
    }
}

impl Transport for FetchTransport {
    async fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<RawResponse<JsValue>, TransportFailure<JsValue>> {
        let network =
            |detail: String, cause: Option<JsValue>| TransportFailure::Network { detail, cause };
        let controller = AbortController::new()
            .map_err(|e| network("AbortController is not available".into(), Some(e)))?;
        let attempt_signal = controller.signal();
        let controller_js: &JsValue = controller.as_ref();
        // One bound `controller.abort` serves the timer and the caller's signal.
        let forward = bound_method(controller_js, "abort");
        if let (Some(signal), Some(forward)) = (&self.signal, &forward) {
            let _ = signal.add_event_listener_with_callback("abort", forward);
        }
        let timer = match &forward {
            Some(abort) => set_timeout(abort, f64::from(timeout_ms)),
            None => JsValue::UNDEFINED,
        };
        let _guard = AttemptGuard {
            timer,
            user_signal: self.signal.as_ref(),
            forward,
        };
        let classify = |this: &Self, error: JsValue| match this.user_abort_reason() {
            Some(reason) => TransportFailure::Aborted(reason),
            None if attempt_signal.aborted() => TransportFailure::Timeout,
            None => TransportFailure::Network {
                detail: describe_js_error(&error),
                cause: Some(error),
            },
        };
        if let Some(reason) = self.user_abort_reason() {
            return Err(TransportFailure::Aborted(reason));
        }

        let body = js_sys::JSON::stringify(&crate::bindings::to_js(&request.body))
            .map_err(|e| network(describe_js_error(&e), Some(e)))?;
        let init = web_sys::RequestInit::new();
        init.set_method(request.method);
        // A plain object: the names were checked and are distinct ignoring case, and fetch
        // builds its own Headers from it.
        let headers = js_sys::Object::new();
        for (name, value) in &request.headers {
            crate::bindings::set(&headers, name, &JsValue::from_str(value));
        }
        init.set_headers(&headers);
        init.set_body(&body);
        init.set_signal(Some(&attempt_signal));
        // A redirect would carry the API key and the credentials to another URL.
        init.set_redirect(web_sys::RequestRedirect::Manual);
        // A custom fetch gets one `Request`; the platform's gets (url, init), which spares it
        // building a second `Request` from the first.
        let called = match &self.fetch {
            Some(custom) => web_sys::Request::new_with_str_and_init(&request.url, &init)
                .and_then(|web_request| custom.call1(&JsValue::UNDEFINED, &web_request)),
            None => global_fetch(&request.url, &init),
        };
        let promise = match called {
            Ok(value) => Promise::resolve(&value),
            Err(error) => return Err(classify(self, error)),
        };
        let response = until_abort(promise, &attempt_signal, self.fetch.is_some())
            .await
            .map_err(|e| classify(self, e))?;
        if !is_response_like(&response) {
            return Err(network(
                "fetch resolved to something that is not a Response".into(),
                Some(response),
            ));
        }
        let status = Reflect::get(&response, &JsValue::from_str("status"))
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0) as u16;
        let request_id = header(&response, "x-request-id");
        let retry_after = header(&response, "retry-after");
        let text_promise = match bound_method(&response, "text").map(|text| text.call0(&response)) {
            Some(Ok(p)) => Promise::resolve(&p),
            Some(Err(e)) => return Err(classify(self, e)),
            None => return Err(network("the Response has no text()".into(), None)),
        };
        let text = until_abort(text_promise, &attempt_signal, self.fetch.is_some())
            .await
            .map_err(|e| classify(self, e))?;
        let text: js_sys::JsString = match text.dyn_into() {
            Ok(text) => text,
            Err(_) => return Err(network("Response.text() gave no string".into(), None)),
        };
        // The JS string is parsed where it is: a good body is never copied into wasm memory.
        // Response.text() already drops a UTF-8 BOM; a custom fetch's Response may not.
        let json_source = if text.char_code_at(0) == f64::from(0xfeff_u16) {
            text.slice(1, text.length())
        } else {
            text.clone()
        };
        let json = json_parse(&json_source).ok();
        Ok(RawResponse {
            status,
            request_id,
            retry_after,
            text: text.into(),
            json,
        })
    }

    async fn sleep(&mut self, ms: u64) -> Result<(), Option<JsValue>> {
        if let Some(reason) = self.user_abort_reason() {
            return Err(reason);
        }
        let mut timer = JsValue::UNDEFINED;
        let mut on_abort = None;
        let signal = self.signal.clone();
        let wait = Promise::new(&mut |resolve, reject| {
            timer = set_timeout(&resolve, ms as f64);
            if let Some(signal) = &signal {
                let _ = signal.add_event_listener_with_callback("abort", &reject);
                on_abort = Some(reject);
            }
        });
        let outcome = JsFuture::from(wait).await;
        clear_timeout(&timer);
        if let (Some(signal), Some(on_abort)) = (&signal, &on_abort) {
            let _ = signal.remove_event_listener_with_callback("abort", on_abort);
        }
        match outcome {
            Ok(_) => Ok(()),
            Err(_) => Err(self.user_abort_reason().unwrap_or(None)),
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
