//! The JS API (wasm only): `upsertLinkedAccount`, `getLinkedAccount`, `listLinkedAccounts`,
//! `allLinkedAccounts`, `deleteLinkedAccount`, `createSessionToken`,
//! `validateUpsertLinkedAccount`, `isLinkedAccountError`. Caller input is read by `src/reader.js` into plain values
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
use crate::options::{parse_options, require_api_key, ClientOptions, Env, UrlParts};
use crate::request::{build_request, Call};
use crate::transport::FetchTransport;
use crate::types::ListLinkedAccountsQuery;
use crate::validate::{
    validate, validate_linked_account_id, validate_linked_account_id_in_path, validate_list_query,
    validate_session_token_options,
};
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

#[wasm_bindgen(module = "/src/pages.js")]
extern "C" {
    /// The async generator of `allLinkedAccounts` over `cursor`, or one whose first `next()`
    /// rejects with `error`.
    fn pages(cursor: &JsValue, error: &JsValue) -> JsValue;
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

/// A caller's argument, read once by `src/reader.js` and checked by `check`.
fn argument<T>(
    value: &JsValue,
    what: &str,
    check: impl FnOnce(&&Input) -> Result<T, Vec<ValidationIssue>>,
) -> Result<T, Vec<ValidationIssue>> {
    match input(read_request(value)) {
        Input::TooBig => Err(too_big(what)),
        copy => check(&&copy),
    }
}

fn check_request(
    request: &JsValue,
) -> Result<crate::UpsertLinkedAccountRequest, Vec<ValidationIssue>> {
    argument(request, "the request", |copy| validate(copy))
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

/// Reads and checks the options of a call of `function`: `INVALID_OPTIONS`, else the call's
/// checked arguments `args` or `VALIDATION_FAILED`, before anything is sent. `signal` and
/// `fetch` are the very values the reader read.
fn prepare(
    options: &JsValue,
    function: &'static str,
    api_key_only: bool,
    args: Result<Call, Vec<ValidationIssue>>,
) -> Result<(Call, ClientOptions<JsValue>), Error<Js>> {
    let read = read_options(options);
    let parsed = match input(read.get(0)) {
        Input::TooBig => Err(too_big("the options")),
        copy => parse_options(&&copy, &JsEnv).map(|o| {
            let (signal, fetch) = (o.signal.is_some(), o.fetch.is_some());
            o.with_handles(signal.then_some(()), fetch.then_some(()))
        }),
    };
    let parsed = parsed.and_then(|o| {
        if api_key_only {
            require_api_key(o, function)
        } else {
            Ok(o)
        }
    });
    let options = parsed.map_err(|issues| Error::InvalidOptions { issues, function })?;
    let args = args.map_err(|issues| Error::ValidationFailed { issues, function })?;
    let signal = options.signal.map(|()| read.get(1));
    let fetch = options.fetch.map(|()| read.get(2));
    Ok((args, options.with_handles(signal, fetch)))
}

/// Sends `call` with retries and resolves with the checked 2xx body, or rejects with a
/// `LinkedAccountError`.
fn send(call: &Call, options: ClientOptions<JsValue>) -> js_sys::Promise {
    let http = build_request(call, &options);
    let body = http.body.as_ref().map(|body| {
        body.serialize(
            &serde_wasm_bindgen::Serializer::json_compatible().serialize_maps_as_objects(false),
        )
        .map(|value| body_json(&value))
        .unwrap_or_default()
    });
    let secrets: Vec<String> = secrets(call, &options)
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
            .map(|body| body.0)
            .map_err(error_to_js)
    })
}

/// Checks the options and arguments of a call, then sends it; never throws. The arguments
/// are read first, but an options issue is reported before theirs.
fn call(
    options: &JsValue,
    function: &'static str,
    api_key_only: bool,
    args: Result<Call, Vec<ValidationIssue>>,
) -> js_sys::Promise {
    match prepare(options, function, api_key_only, args) {
        Ok((call, options)) => send(&call, options),
        Err(error) => js_sys::Promise::reject(&error_to_js(error)),
    }
}

fn linked_account_id(id: &JsValue) -> Result<String, Vec<ValidationIssue>> {
    argument(id, "linked_account_id", |copy| {
        validate_linked_account_id(copy)
    })
}

fn linked_account_id_in_path(id: &JsValue) -> Result<String, Vec<ValidationIssue>> {
    argument(id, "linked_account_id", |copy| {
        validate_linked_account_id_in_path(copy)
    })
}

fn list_query(query: &JsValue) -> Result<ListLinkedAccountsQuery, Vec<ValidationIssue>> {
    argument(query, "the query", |copy| validate_list_query(copy))
}

/// Checks an `UpsertLinkedAccountRequest` without sending anything.
///
/// Returns every `ValidationIssue` (`{ path: (string|number)[], code, message }`) at once, or
/// `[]` when the request is valid. Synchronous; never throws for bad input. Rules:
/// `docs/contract.md` ("Request rules"), after
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
    let args = check_request(&request).map(Call::Upsert);
    call(&options, "upsertLinkedAccount", false, args)
}

/// `GET {baseUrl}/api/v2/public/linked-account/{linked_account_id}`: one linked account
/// (<https://docs.refold.ai/api-reference/customer/get-linked-account>).
///
/// `linkedAccountId` is percent-encoded as one path segment (`a/b?c#d` reaches the server
/// whole). Returns a `Promise` of the account object (with `integrations`, when the server
/// sends them; every field kept). API key or session token. Rejects as
/// `upsertLinkedAccount` does; an unknown id is `HTTP_ERROR` 404 (500 in older API versions).
/// Retried like upsert (a `GET` is idempotent).
// The parameters are named as JavaScript names them: they appear in the typings.
#[allow(non_snake_case)]
#[wasm_bindgen(js_name = getLinkedAccount, unchecked_return_type = "Promise<LinkedAccount>")]
pub fn get_linked_account(
    #[wasm_bindgen(unchecked_param_type = "string")] linkedAccountId: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
) -> js_sys::Promise {
    let args = linked_account_id_in_path(&linkedAccountId).map(Call::Get);
    call(&options, "getLinkedAccount", false, args)
}

/// `GET {baseUrl}/api/v2/public/linked-account?page=&limit=…`: one page of the org's linked
/// accounts (<https://docs.refold.ai/api-reference/customer/list-linked-accounts>).
///
/// `query` (`undefined` for the first page of 10): `page` (from 1), `limit` (1–100) and the
/// filters `env_variable_name`, `env_variable_value`, `scope`; checked before sending
/// (`VALIDATION_FAILED`, paths are the query's keys). Returns a `Promise` of the page
/// (`{ docs, totalDocs, limit, totalPages, page, pagingCounter, hasPrevPage, hasNextPage,
/// prevPage, nextPage }`). Org API key only (a `sessionToken` is `INVALID_OPTIONS`). Rejects
/// and retries as `upsertLinkedAccount` does.
#[wasm_bindgen(js_name = listLinkedAccounts, unchecked_return_type = "Promise<LinkedAccountPage>")]
pub fn list_linked_accounts(
    #[wasm_bindgen(unchecked_param_type = "ListLinkedAccountsQuery | undefined")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiKeyClientOptions")] options: JsValue,
) -> js_sys::Promise {
    let args = list_query(&query).map(Call::List);
    call(&options, "listLinkedAccounts", true, args)
}

/// Every linked account, page after page: an async iterable of `LinkedAccount` for
/// `for await`. Requests the page `query.page` (default 1) when iteration starts and the next
/// one only once the previous page's accounts are consumed; stops after the page with
/// `hasNextPage: false` (or one with no accounts). Each page is one `listLinkedAccounts`
/// call, with its retries and errors; the first `next()` rejects with `VALIDATION_FAILED` or
/// `INVALID_OPTIONS` when the query or options are invalid, and `signal` aborts the page in
/// flight or the next one (`ABORTED`). Never throws synchronously.
#[wasm_bindgen(
    js_name = allLinkedAccounts,
    unchecked_return_type = "AsyncGenerator<LinkedAccount, void, undefined>"
)]
pub fn all_linked_accounts(
    #[wasm_bindgen(unchecked_param_type = "ListLinkedAccountsQuery | undefined")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiKeyClientOptions")] options: JsValue,
) -> JsValue {
    let args = list_query(&query).map(Call::List);
    match prepare(&options, "allLinkedAccounts", true, args) {
        Ok((Call::List(query), options)) => pages(
            &JsValue::from(PageCursor { query, options }),
            &JsValue::UNDEFINED,
        ),
        Ok(_) => JsValue::UNDEFINED,
        Err(error) => pages(&JsValue::UNDEFINED, &error_to_js(error)),
    }
}

/// What `allLinkedAccounts` walks with (`src/pages.js`): its checked query and options.
#[wasm_bindgen(skip_typescript)]
pub struct PageCursor {
    query: ListLinkedAccountsQuery,
    options: ClientOptions<JsValue>,
}

#[wasm_bindgen]
impl PageCursor {
    /// The first page to request: the query's `page`, else 1.
    #[wasm_bindgen(getter)]
    pub fn first(&self) -> u32 {
        self.query.page.unwrap_or(1)
    }

    /// Requests page `n` (a `listLinkedAccounts` call, whose answer must be page `n`); resolves
    /// `null` when `n` is past the last page number a query can name (4 294 967 295).
    pub fn page(&self, n: f64) -> js_sys::Promise {
        if !(1.0..=f64::from(u32::MAX)).contains(&n) {
            return js_sys::Promise::resolve(&JsValue::NULL);
        }
        let mut query = self.query.clone();
        query.page = Some(n as u32);
        send(&Call::List(query), self.options.clone())
    }

    /// The `ABORTED` error once the caller's signal has fired, else `undefined`: checked before
    /// each account is handed out, so a walk stops as soon as its signal fires.
    pub fn aborted(&self) -> JsValue {
        let signal = self.options.signal.clone().unwrap_or(JsValue::UNDEFINED);
        match crate::transport::abort_reason(&signal) {
            Some(cause) => error_to_js(Error::Aborted {
                attempts: 0,
                retryable: false,
                cause,
            }),
            None => JsValue::UNDEFINED,
        }
    }
}

/// `DELETE {baseUrl}/api/v2/public/linked-account/{linked_account_id}`: deletes the account,
/// revokes its session tokens and removes its installs
/// (<https://docs.refold.ai/api-reference/customer/delete-linked-account>).
///
/// Returns a `Promise` of `{ message }` (`"User deleted successfully"`). Org API key only (a
/// `sessionToken` is `INVALID_OPTIONS`). An unknown id is `HTTP_ERROR` with status 404 (500
/// in older API versions). Retried like upsert (a `DELETE` is idempotent): when an attempt
/// got no answer and a retry then finds the account gone, the `HTTP_ERROR` says so
/// (`unansweredAttempts` above 0; `docs/contract.md`, "Retries").
// The parameters are named as JavaScript names them: they appear in the typings.
#[allow(non_snake_case)]
#[wasm_bindgen(js_name = deleteLinkedAccount, unchecked_return_type = "Promise<DeletedLinkedAccount>")]
pub fn delete_linked_account(
    #[wasm_bindgen(unchecked_param_type = "string")] linkedAccountId: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiKeyClientOptions")] options: JsValue,
) -> js_sys::Promise {
    let args = linked_account_id_in_path(&linkedAccountId).map(Call::Delete);
    call(&options, "deleteLinkedAccount", true, args)
}

/// `POST {baseUrl}/api/v2/public/session-token[?force_refresh=true]`: a session token for one
/// linked account, for its browser session
/// (<https://docs.refold.ai/api-reference/session-token/generate-token-for-linked-account>).
///
/// `tokenOptions`: `undefined` or `{ forceRefresh }` (default `false`: the server hands back
/// the account's valid token when it has one). Returns a `Promise` of `{ token,
/// refresh_token?, expires_in?, refresh_expires_in? }` (seconds). Org API key only, server
/// side (in a browser, `apiKey` needs `dangerouslyAllowBrowser`). The token never appears in
/// an error. Retries: without `forceRefresh` like upsert (a repeat gets the same token);
/// with it only HTTP 408, 429 and 503 (a repeat of a request that reached the server would
/// mint a second token).
// The parameters are named as JavaScript names them: they appear in the typings.
#[allow(non_snake_case)]
#[wasm_bindgen(js_name = createSessionToken, unchecked_return_type = "Promise<SessionToken>")]
pub fn create_session_token(
    #[wasm_bindgen(unchecked_param_type = "string")] linkedAccountId: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CreateSessionTokenOptions | undefined")]
    tokenOptions: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ApiKeyClientOptions")] options: JsValue,
) -> js_sys::Promise {
    let id = linked_account_id(&linkedAccountId);
    let token = argument(&tokenOptions, "the token options", |copy| {
        validate_session_token_options(copy)
    });
    let args = match (id, token) {
        (Ok(linked_account_id), Ok(token)) => Ok(Call::CreateSessionToken {
            linked_account_id,
            force_refresh: token.force_refresh,
        }),
        (id, token) => Err([id.err(), token.err()]
            .into_iter()
            .flatten()
            .flatten()
            .collect()),
    };
    call(&options, "createSessionToken", true, args)
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
