//! The JS API (wasm only): `upsertLinkedAccount`, `validateUpsertLinkedAccount`,
//! `isLinkedAccountError`. Everything JS hands us is read through [`Node`] without panicking;
//! every failure becomes a real `Error` named `LinkedAccountError`.

use std::borrow::Cow;
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::client::{secrets, Attempts};
use crate::error::{Error, HttpError};
use crate::issue::{IssueCode, Issues, PathSegment, ValidationIssue};
use crate::options::{parse_options, Env, UrlParts};
use crate::request::build_request;
use crate::snapshot::Snap;
use crate::text::{concat, decimal, push_json_string, split_ascii};
use crate::transport::Call;
use crate::validate::validate;
use crate::value::{BadString, Entry, Kind, Node, MAX_STRING_UNITS};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    // Response bodies come from JSON.parse: their properties are plain data, so reading them
    // cannot throw, and these skip the exception wrapper.
    #[wasm_bindgen(js_namespace = Object, js_name = hasOwn)]
    fn has_own(value: &JsValue, key: &str) -> bool;
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn json_get(value: &JsValue, key: &str) -> JsValue;
    /// Any JS string, for calling `String.prototype` methods on it.
    type StringValue;
    #[wasm_bindgen(method, js_name = isWellFormed, catch)]
    fn is_well_formed_method(this: &StringValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_name = parseFloat)]
    fn parse_float(text: &str) -> f64;
}

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// A `LinkedAccountError` with `message` and the members of the JSON object `fields`;
    /// `cause`, `body` and `issues` replace the `null`s of those names. Never throws.
    #[wasm_bindgen(js_name = linkedAccountError)]
    fn linked_account_error(
        message: &str,
        fields: &str,
        cause: &JsValue,
        body: &JsValue,
        issues: &JsValue,
    ) -> JsValue;
}

#[wasm_bindgen(module = "/src/snapshot.js")]
extern "C" {
    /// The caller's value as snapshot text (`src/snapshot.js`); never throws.
    #[wasm_bindgen(js_name = snapshot)]
    fn snapshot_text(value: &JsValue) -> String;
    /// `[text, signal, fetch]`: the options' snapshot text and the `signal` and `fetch` values
    /// it read (`undefined` when absent); never throws.
    #[wasm_bindgen(js_name = snapshotOptions)]
    fn snapshot_options(value: &JsValue) -> Array;
    /// `new URL(s)`'s parts, one per line; `None` when it throws.
    #[wasm_bindgen(js_name = urlParts)]
    fn url_parts(s: &str) -> Option<String>;
    #[wasm_bindgen(js_name = inBrowser)]
    fn in_browser() -> bool;
}

/// The snapshot text of a value whose text would pass 16 MiB (`MAX_TEXT_UNITS` in
/// `src/snapshot.js`): it was not written, and is one issue at the root.
const TOO_BIG: &str = "!Z";

/// `f` of a snapshot's text (see [`crate::snapshot`]); `what` names the value in the issue
/// for a value too big to snapshot.
fn with_snapshot<T>(
    text: &str,
    what: &str,
    f: impl FnOnce(&Snap<'_>) -> Result<T, Vec<ValidationIssue>>,
) -> Result<T, Vec<ValidationIssue>> {
    if text == TOO_BIG {
        let mut issues = Issues::default();
        issues.push(
            &[],
            IssueCode::TooBig,
            [
                what,
                " would be over 16 MiB of JSON (16 777 216 UTF-16 units): no server takes a \
                 body that large",
            ].concat(),
        );
        return Err(issues.list);
    }
    let snap = crate::snapshot::parse(text, &|text| parse_float(text));
    f(&snap.unwrap_or(Snap::Other(Kind::Unreadable)))
}

/// A finite number as `JSON.stringify` writes it.
fn json_number(n: f64) -> String {
    js_sys::JSON::stringify(&JsValue::from_f64(n))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "null".into())
}

fn key(name: &str) -> JsValue {
    JsValue::from_str(name)
}

fn get(target: &JsValue, name: &str) -> JsValue {
    Reflect::get(target, &key(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Whether a JS string has no lone surrogate (`String.prototype.isWellFormed`, in every
/// supported runtime). Only asked about strings whose copy holds a U+FFFD; an engine without
/// it rejects those rather than risk reading a changed string.
fn is_well_formed(s: &JsValue) -> bool {
    s.unchecked_ref::<StringValue>()
        .is_well_formed_method()
        .unwrap_or(false)
}

fn read_string(s: &JsValue) -> Option<Result<String, BadString>> {
    if !s.is_string() {
        return None;
    }
    // Checked before the copy: a huge string could exhaust wasm memory.
    if s.unchecked_ref::<js_sys::JsString>().length() > MAX_STRING_UNITS {
        return Some(Err(BadString::TooLong));
    }
    let text = s.as_string()?;
    // Conversion turns a lone surrogate into U+FFFD, so a string without one was well formed
    // and needs no second call across the boundary.
    Some(
        if crate::text::find(&text, "\u{fffd}").is_none() || is_well_formed(s) {
            Ok(text)
        } else {
            Err(BadString::LoneSurrogate)
        },
    )
}

/// A value made by `JSON.parse` (a response body): only JSON's kinds occur, so an object
/// that is not an array is plain.
impl Node for JsValue {
    fn kind(&self) -> Kind {
        if self.is_string() {
            Kind::String
        } else if self.is_object() {
            if Array::is_array(self) {
                Kind::Array
            } else {
                Kind::PlainObject
            }
        } else if self.is_null() {
            Kind::Null
        } else if self.as_f64().is_some() {
            Kind::Number
        } else if self.as_bool().is_some() {
            Kind::Boolean
        } else {
            Kind::Undefined
        }
    }

    fn string(&self) -> Option<Result<String, BadString>> {
        read_string(self)
    }

    fn lossy_prefix(&self, max_units: u32) -> Option<String> {
        let text: &js_sys::JsString = self.dyn_ref()?;
        if text.length() > max_units {
            return text.slice(0, max_units).as_string();
        }
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn entries(&self, _kind: Kind) -> Option<Vec<Entry<'_, Self>>> {
        let keys = object_keys(self).ok()?;
        Some(
            keys.iter()
                .map(|k| {
                    let text = read_string(&k).unwrap_or(Err(BadString::LoneSurrogate));
                    (text.map(Cow::Owned), Reflect::get(self, &k).ok())
                })
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<Self> {
        (self.is_object() && has_own(self, name)).then(|| json_get(self, name))
    }
}

/// JSON text being written as one object, key by key (keys are ASCII names of ours).
struct JsonObject(String);

impl JsonObject {
    fn new() -> Self {
        JsonObject(String::from("{"))
    }

    /// Starts the member `name`; the caller writes its value.
    fn key(&mut self, name: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push('"');
        self.0.push_str(name);
        self.0.push_str("\":");
        &mut self.0
    }

    fn raw(&mut self, name: &str, json: &str) {
        self.key(name).push_str(json);
    }

    fn number(&mut self, name: &str, n: u64) {
        self.raw(name, &n.to_string());
    }

    fn string(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(s) => push_json_string(self.key(name), s),
            None => self.raw(name, "null"),
        }
    }

    fn end(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// One issue as JSON text: `{"path":[…],"code":…,"message":…}`.
fn push_issue_json(json: &mut String, issue: &ValidationIssue) {
    json.push_str("{\"path\":[");
    for (j, segment) in issue.path.iter().enumerate() {
        if j > 0 {
            json.push(',');
        }
        match segment {
            PathSegment::Key(k) => push_json_string(json, k),
            PathSegment::Index(i) => json.push_str(&(u64::from(*i)).to_string()),
        }
    }
    json.push_str("],\"code\":\"");
    json.push_str(issue.code.as_str());
    json.push_str("\",\"message\":");
    push_json_string(json, &issue.message);
    json.push('}');
}

/// Issue JSON text is parsed in chunks of about this many bytes: a million issues in one text
/// would pass the engine's longest string (2^29 − 24 UTF-16 units in V8).
const ISSUE_CHUNK_BYTES: usize = 1 << 22;

/// The issues as a JS array of `{ path, code, message }`, made by `JSON.parse` of text built
/// here (a chunk of issues at a time) rather than by a dozen calls across the boundary per
/// issue.
fn issues_to_js(issues: &[ValidationIssue]) -> Array {
    let parse = |json: &str| -> Array {
        js_sys::JSON::parse(json)
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .unwrap_or_default()
    };
    let mut all: Option<Array> = None;
    let mut rest = issues;
    while !rest.is_empty() {
        let mut json = String::from("[");
        let mut taken = 0;
        for issue in rest {
            if taken > 0 {
                if json.len() >= ISSUE_CHUNK_BYTES {
                    break;
                }
                json.push(',');
            }
            push_issue_json(&mut json, issue);
            taken += 1;
        }
        json.push(']');
        rest = rest.get(taken..).unwrap_or_default();
        let chunk = parse(&json);
        all = Some(match all {
            None => chunk,
            Some(all) => all.concat(&chunk),
        });
    }
    all.unwrap_or_default()
}

/// The JS `Error` for `error`: `name` `"LinkedAccountError"`, `code`, and the fields of
/// design §3, in a fixed order. They cross as one JSON text (plus `cause`, `body` and
/// `issues`, which are JS values) and `linkedAccountError` in `src/fetch.js` makes the object.
/// Server text in it was redacted by the decoder; the rest never holds a secret.
pub(crate) fn error_to_js(error: Error<JsValue>) -> JsValue {
    let message = error.message();
    let mut fields = JsonObject::new();
    fields.string("code", Some(error.code()));
    if let Some(attempts) = error.attempts() {
        fields.number("attempts", u64::from(attempts));
        fields.raw(
            "retryable",
            if error.retryable() { "true" } else { "false" },
        );
    }
    // `null` holds the place of each JS value in the text; JS puts the value there.
    let (mut cause, mut body, mut list) = (JsValue::UNDEFINED, JsValue::NULL, JsValue::NULL);
    match error {
        Error::ValidationFailed { issues } | Error::InvalidOptions { issues } => {
            fields.raw("issues", "null");
            list = issues_to_js(&issues).into();
        }
        Error::Http(http) => {
            let HttpError {
                status,
                api_error_code,
                http_error_type,
                request_id,
                body: json,
                raw_body,
                retry_after_ms,
                ..
            } = *http;
            fields.number("status", u64::from(status));
            fields.string("apiErrorCode", api_error_code.as_deref());
            fields.string("httpErrorType", http_error_type.as_deref());
            fields.string("requestId", request_id.as_deref());
            fields.raw("body", "null");
            body = json.unwrap_or(JsValue::NULL);
            fields.string("rawBody", Some(&raw_body));
            match retry_after_ms {
                Some(ms) => fields.number("retryAfterMs", ms),
                None => fields.raw("retryAfterMs", "null"),
            }
        }
        Error::Network { cause: c, .. } | Error::Aborted { cause: c, .. } => {
            fields.raw("cause", "null");
            cause = c.unwrap_or(JsValue::UNDEFINED);
        }
        Error::Timeout { timeout_ms, .. } => fields.number("timeoutMs", u64::from(timeout_ms)),
        Error::Decode {
            status,
            raw_body,
            request_id,
            ..
        } => {
            fields.number("status", u64::from(status));
            fields.string("rawBody", Some(&raw_body));
            fields.string("requestId", request_id.as_deref());
        }
    }
    linked_account_error(&message, &fields.end(), &cause, &body, &list)
}

struct JsEnv;

impl Env for JsEnv {
    fn parse_url(&self, s: &str) -> Option<UrlParts> {
        // One call across the boundary for the whole URL, not one per part.
        let text = url_parts(s)?;
        let mut lines = split_ascii(&text, b'\n').map(str::to_owned);
        let mut part = || lines.next().unwrap_or_default();
        Some(UrlParts {
            protocol: part(),
            hostname: part(),
            origin: part(),
            pathname: part(),
            search: part(),
            hash: part(),
            has_credentials: !part().is_empty(),
        })
    }

    fn in_browser(&self) -> bool {
        in_browser()
    }
}

/// Checks an `UpsertLinkedAccountRequest` without sending anything.
///
/// Returns every `ValidationIssue` (`{ path: (string|number)[], code, message }`) at once, or
/// `[]` when the request is valid. Synchronous; never throws for bad input. Rules: design §2,
/// after <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.
#[wasm_bindgen(js_name = validateUpsertLinkedAccount)]
pub fn validate_upsert_linked_account(request: JsValue) -> Array {
    match with_snapshot(&snapshot_text(&request), "the request", |snap| {
        validate(&snap)
    }) {
        Ok(_) => Array::new(),
        Err(issues) => issues_to_js(&issues),
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
#[wasm_bindgen(js_name = upsertLinkedAccount)]
pub fn upsert_linked_account(request: JsValue, options: JsValue) -> js_sys::Promise {
    let read = snapshot_options(&options);
    let text = read.get(0).as_string().unwrap_or_default();
    let parsed = with_snapshot(&text, "the options", |snap| {
        parse_options(&snap, &JsEnv).map(|o| {
            let (signal, fetch) = (o.signal.is_some(), o.fetch.is_some());
            o.with_handles(signal.then_some(()), fetch.then_some(()))
        })
    });
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(issues) => return reject(Error::InvalidOptions { issues }),
    };
    let valid = match with_snapshot(&snapshot_text(&request), "the request", |snap| {
        validate(&snap)
    }) {
        Ok(valid) => valid,
        Err(issues) => return reject(Error::ValidationFailed { issues }),
    };
    // The snapshot said these are an AbortSignal and a function; send with the very values it
    // read, not with a second read of the options.
    let signal = parsed.signal.map(|()| read.get(1));
    let fetch = parsed.fetch.map(|()| read.get(2));
    let options = parsed.with_handles(signal, fetch);
    let http = build_request(&valid, &options);
    let body = http.body.to_json(&json_number);
    let secrets = secrets(&valid, &options)
        .into_iter()
        .map(str::to_owned)
        .collect();
    Call::send(
        Attempts::new(options.timeout_ms, options.max_retries),
        secrets,
        &http,
        &body,
        options.timeout_ms,
        options.fetch.unwrap_or(JsValue::UNDEFINED),
        options.signal.unwrap_or(JsValue::UNDEFINED),
    )
}

fn reject(error: Error<JsValue>) -> js_sys::Promise {
    js_sys::Promise::reject(&error_to_js(error))
}

/// Whether `value` is a `LinkedAccountError` from this package: an `Error` whose `name` is
/// `"LinkedAccountError"` and whose `code` is one of the documented codes.
#[wasm_bindgen(js_name = isLinkedAccountError)]
pub fn is_linked_account_error(value: JsValue) -> bool {
    value.is_instance_of::<js_sys::Error>()
        && get(&value, "name").as_string().as_deref() == Some("LinkedAccountError")
        && get(&value, "code")
            .as_string()
            .is_some_and(|code| crate::error::ERROR_CODES.contains(&code.as_str()))
}
