//! The JS API (wasm only): `upsertLinkedAccount`, `validateUpsertLinkedAccount`,
//! `isLinkedAccountError`. Caller input is read by `src/reader.js` into plain values
//! ([`crate::input`]); values go back to JS through serde-wasm-bindgen; every failure is a
//! `LinkedAccountError` (`src/error.js`).

use js_sys::{Array, Reflect};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{execute, secrets};
use crate::error::Error;
use crate::input::Input;
use crate::issue::{IssueCode, Issues, ValidationIssue};
use crate::options::{parse_options, Env, UrlParts};
use crate::request::build_request;
use crate::transport::FetchTransport;
use crate::validate::validate;
use crate::value::{BadString, Entry, Kind, Node};

#[wasm_bindgen(module = "/src/reader.js")]
extern "C" {
    /// The plain copy of a request (`src/reader.js`); never throws.
    #[wasm_bindgen(js_name = readRequest)]
    fn read_request(value: &JsValue) -> JsValue;
    /// `[copy, signal, fetch]`: the options' copy and the `signal` and `fetch` values it read
    /// (`undefined` when absent); never throws.
    #[wasm_bindgen(js_name = readOptions)]
    fn read_options(value: &JsValue) -> Array;
    /// `new URL(s)`'s parts as a plain object, or `null` when it throws.
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(s: &str) -> JsValue;
    #[wasm_bindgen(js_name = inBrowser)]
    fn in_browser() -> bool;
}

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// The request body as JSON text, its maps (`Map`s) written as objects.
    #[wasm_bindgen(js_name = bodyJson)]
    fn body_json(value: &JsValue) -> String;
}

#[wasm_bindgen(module = "/src/error.js")]
extern "C" {
    /// A `LinkedAccountError` with `message` and the members of `fields`. Never throws.
    #[wasm_bindgen(js_name = linkedAccountError)]
    fn linked_account_error(message: &str, fields: &JsValue) -> JsValue;
    /// Whether the value is an `Error` of any realm. Never throws.
    #[wasm_bindgen(js_name = isErrorObject)]
    fn is_error_object(value: &JsValue) -> bool;
}

#[wasm_bindgen]
extern "C" {
    // Response bodies come from JSON.parse: their properties are plain data, so reading them
    // cannot throw, and these skip the exception wrapper.
    #[wasm_bindgen(js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Array;
    #[wasm_bindgen(js_namespace = Object, js_name = hasOwn)]
    fn has_own(value: &JsValue, key: &str) -> bool;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn json_get(value: &JsValue, key: &str) -> JsValue;
    /// Any JS string, for calling `String.prototype` methods on it.
    type StringValue;
    /// `String.prototype.isWellFormed`: no lone surrogate (every supported runtime has it).
    #[wasm_bindgen(method, js_name = isWellFormed)]
    fn is_well_formed(this: &StringValue) -> bool;
}

/// A JS value kept as it is: a parsed response body, or an error's `cause`. It serializes
/// (serde-wasm-bindgen) as the very same JS value.
#[derive(Clone, Debug)]
pub struct Js(pub JsValue);

impl PartialEq for Js {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Serialize for Js {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, serializer)
    }
}

/// The serializer for every value wasm hands to JS: plain objects and `null`, never a `Map`
/// or `undefined`.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A value made by `JSON.parse` (a response body): only JSON's kinds occur, so an object that
/// is not an array is plain.
impl Node for Js {
    fn kind(&self) -> Kind {
        let v = &self.0;
        if v.is_string() {
            Kind::String
        } else if v.is_object() {
            if Array::is_array(v) {
                Kind::Array
            } else {
                Kind::PlainObject
            }
        } else if v.is_null() {
            Kind::Null
        } else if v.as_f64().is_some() {
            Kind::Number
        } else if v.as_bool().is_some() {
            Kind::Boolean
        } else {
            Kind::Undefined
        }
    }

    fn string(&self) -> Option<Result<String, BadString>> {
        let text: &js_sys::JsString = self.0.dyn_ref()?;
        if text.length() > crate::value::MAX_STRING_UNITS {
            return Some(Err(BadString::TooLong));
        }
        // The copy turns a lone surrogate into U+FFFD, so a copy without one was well formed
        // and needs no second call across the boundary.
        let copy = self.0.as_string()?;
        let whole =
            !copy.contains('\u{fffd}') || self.0.unchecked_ref::<StringValue>().is_well_formed();
        Some(if whole {
            Ok(copy)
        } else {
            Err(BadString::LoneSurrogate)
        })
    }

    fn lossy_prefix(&self, max_units: u32) -> Option<String> {
        let text: &js_sys::JsString = self.0.dyn_ref()?;
        if text.length() > max_units {
            return text.slice(0, max_units).as_string();
        }
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn entries(&self, _kind: Kind) -> Option<Vec<Entry<'_, Self>>> {
        Some(
            object_keys(&self.0)
                .iter()
                .map(|k| {
                    let key = Js(k.clone())
                        .string()
                        .unwrap_or(Err(BadString::LoneSurrogate));
                    (key.map(Cow::Owned), Reflect::get(&self.0, &k).ok().map(Js))
                })
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<Self> {
        (self.0.is_object() && has_own(&self.0, name)).then(|| Js(json_get(&self.0, name)))
    }
}

/// The issue list for an input whose JSON would pass 16 MiB: it was not read.
fn too_big(what: &str) -> Vec<ValidationIssue> {
    let mut issues = Issues::default();
    issues.push(
        &[],
        IssueCode::TooBig,
        format!(
            "{what} would be over 16 MiB of JSON (16 777 216 UTF-16 units): no server takes a \
             body that large"
        ),
    );
    issues.list
}

/// The copy `src/reader.js` made, as an [`Input`].
fn input(copy: JsValue) -> Input {
    // The reader writes only what `Input` reads; anything else would be a bug in it, and is
    // treated as a value that cannot be read.
    serde_wasm_bindgen::from_value(copy).unwrap_or(Input::Other(Kind::Unreadable))
}

fn check_request(
    request: &JsValue,
) -> Result<crate::UpsertLinkedAccountRequest, Vec<ValidationIssue>> {
    match input(read_request(request)) {
        Input::TooBig => Err(too_big("the request")),
        copy => validate(&&copy),
    }
}

struct JsEnv;

impl Env for JsEnv {
    fn parse_url(&self, s: &str) -> Option<UrlParts> {
        serde_wasm_bindgen::from_value(url_parts(s)).ok()
    }

    fn in_browser(&self) -> bool {
        in_browser()
    }
}

/// The JS `LinkedAccountError` for `error`: its `message`, and its fields as serde writes them
/// ([`Error`]). Server text in it was redacted by the decoder; the rest never holds a secret.
pub(crate) fn error_to_js(error: Error<Js>) -> JsValue {
    linked_account_error(&error.message(), &to_js(&error))
}

/// Checks an `UpsertLinkedAccountRequest` without sending anything.
///
/// Returns every `ValidationIssue` (`{ path: (string|number)[], code, message }`) at once, or
/// `[]` when the request is valid. Synchronous; never throws for bad input. Rules:
/// `docs/contract.md` ("The request"), after
/// <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.
#[wasm_bindgen(js_name = validateUpsertLinkedAccount, unchecked_return_type = "ValidationIssue[]")]
pub fn validate_upsert_linked_account(
    #[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue,
) -> Array {
    match check_request(&request) {
        Ok(_) => Array::new(),
        Err(issues) => to_js(&issues).unchecked_into(),
    }
}

/// `PUT {baseUrl}/api/v2/public/linked-account`: creates the linked account, or updates the
/// one with this `linked_account_id`
/// (<https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>).
///
/// Returns a `Promise` of the server's account object (`_id`, `account_id`, `udf` array,
/// `__v`, … and any field the server adds). Rejects with a `LinkedAccountError` whose `code`
/// is `VALIDATION_FAILED` or `INVALID_OPTIONS` (nothing sent), `HTTP_ERROR`, `NETWORK_ERROR`,
/// `TIMEOUT` (`timeoutMs` per attempt), `ABORTED` or `DECODE_ERROR`. Retries network errors,
/// timeouts and HTTP 408/429/502/503/504 up to `maxRetries` times with backoff. The request
/// is read when the call is made; it never throws synchronously.
#[wasm_bindgen(js_name = upsertLinkedAccount, unchecked_return_type = "Promise<LinkedAccount>")]
pub fn upsert_linked_account(
    #[wasm_bindgen(unchecked_param_type = "UpsertLinkedAccountRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
) -> js_sys::Promise {
    let read = read_options(&options);
    let options = match input(read.get(0)) {
        Input::TooBig => Err(too_big("the options")),
        copy => parse_options(&&copy, &JsEnv).map(|o| {
            let (signal, fetch) = (o.signal.is_some(), o.fetch.is_some());
            o.with_handles(signal.then_some(()), fetch.then_some(()))
        }),
    };
    let options = match options {
        Ok(options) => options,
        Err(issues) => return reject(Error::InvalidOptions { issues }),
    };
    let valid = match check_request(&request) {
        Ok(valid) => valid,
        Err(issues) => return reject(Error::ValidationFailed { issues }),
    };
    // The reader said these are an AbortSignal and a function; send with the very values it
    // read, not with a second read of the options.
    let signal = options.signal.map(|()| read.get(1));
    let fetch = options.fetch.map(|()| read.get(2));
    let options = options.with_handles(signal, fetch);
    let http = build_request(&valid, &options);
    let body = http
        .body
        .serialize(
            &serde_wasm_bindgen::Serializer::json_compatible().serialize_maps_as_objects(false),
        )
        .map(|value| body_json(&value))
        .unwrap_or_default();
    let secrets: Vec<String> = secrets(&valid, &options)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let mut transport = FetchTransport {
        fetch: options.fetch.clone().unwrap_or(JsValue::UNDEFINED),
        signal: options.signal.clone().unwrap_or(JsValue::UNDEFINED),
        body,
        max_response_bytes: options.max_response_bytes,
    };
    wasm_bindgen_futures::future_to_promise(async move {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        execute(&mut transport, &http, &options, &secrets)
            .await
            .map(|account| account.0)
            .map_err(error_to_js)
    })
}

fn reject(error: Error<Js>) -> js_sys::Promise {
    js_sys::Promise::reject(&error_to_js(error))
}

/// Whether `value` is a `LinkedAccountError` from this package, from any realm or copy of it:
/// an `Error` whose `name` is `"LinkedAccountError"` and whose `code` is one of the documented
/// codes.
#[wasm_bindgen(js_name = isLinkedAccountError, unchecked_return_type = "error is LinkedAccountError")]
pub fn is_linked_account_error(
    #[wasm_bindgen(unchecked_param_type = "unknown")] error: JsValue,
) -> bool {
    let get =
        |name: &str| Reflect::get(&error, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    is_error_object(&error)
        && get("name").as_string().as_deref() == Some("LinkedAccountError")
        && get("code")
            .as_string()
            .is_some_and(|code| crate::error::ERROR_CODES.contains(&code.as_str()))
}
