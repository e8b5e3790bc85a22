//! The one error type (`docs/contract.md`, "Errors"): a stable `code` per variant, fields
//! for programs, a message for people that never holds a secret.

use serde::Serialize;
use std::fmt;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

use crate::issue::ValidationIssue;
use crate::value::Value;

/// Every `code` a `LinkedAccountError` can carry. Codes are semver API.
pub const ERROR_CODES: [&str; 7] = [
    "VALIDATION_FAILED",
    "INVALID_OPTIONS",
    "HTTP_ERROR",
    "NETWORK_ERROR",
    "TIMEOUT",
    "ABORTED",
    "DECODE_ERROR",
];

// The TypeScript of the error class (src/error.js), hand-written: it joins the fields generated
// from `Error` below to the JS `Error` each one is.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const LINKED_ACCOUNT_ERROR_TS: &str = include_str!("ts/linked-account-error.d.ts");

/// At most this many UTF-16 code units of a response body are kept in `rawBody`.
pub const RAW_BODY_LIMIT: usize = 1024;

/// A non-2xx answer (`HTTP_ERROR`), with everything the server told us.
///
/// Error bodies look like `{status_code, http_error_type, error_code | error, message,
/// request_id}`; see <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.
/// `N` is the runtime's value type (the parsed JSON body is kept as it was).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(rename = "HttpErrorFields", missing_as_null)
)]
#[serde(rename_all = "camelCase")]
pub struct HttpError<N = Value> {
    /// Attempts made, including the first.
    pub attempts: u32,
    /// Whether this call retries this status (408, 429, 502, 503, 504; only 408, 429 and 503
    /// for a `createSessionToken` with `forceRefresh`), whether or not retries were left.
    pub retryable: bool,
    /// HTTP status, e.g. 401; 0 for a browser's opaque redirect.
    pub status: u16,
    /// Body `error_code`, or `error` in newer bodies: `"SERVER_ERROR"`.
    pub api_error_code: Option<String>,
    /// Body `http_error_type`: `"UNAUTHORIZED"`.
    pub http_error_type: Option<String>,
    /// Body `message`: `"Invalid Credentials"` (part of the error's `message`).
    #[serde(skip)]
    pub server_message: Option<String>,
    /// Body `request_id`, else the `x-request-id` header.
    pub request_id: Option<String>,
    /// The parsed JSON body, secrets redacted; `null` when it is not JSON or could not be
    /// redacted safely.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub body: Option<N>,
    /// The body text, secrets redacted, at most 1024 UTF-16 units.
    pub raw_body: String,
    /// The `Retry-After` header in ms, when given and parseable.
    pub retry_after_ms: Option<u64>,
    /// Earlier attempts of this call that got no answer (`TIMEOUT` or `NETWORK_ERROR`): the
    /// server may have acted on them. A `deleteLinkedAccount` answered 404 (or 500) "not
    /// found" with this above 0 may have deleted the account itself.
    pub unanswered_attempts: u32,
}

/// Everything a call can fail with: one variant per stable `code` (`docs/contract.md`,
/// "Errors"). Serialized (serde) as the fields of the JS `LinkedAccountError`: `code`, then
/// `attempts` and `retryable` for failures that came after a request, then the variant's
/// own fields. `N` is the runtime's value type (JS bodies and causes are kept as they were).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(rename = "LinkedAccountErrorFields", missing_as_null)
)]
#[serde(tag = "code")]
pub enum Error<N = Value> {
    /// `VALIDATION_FAILED`: the request (or another call's arguments) broke a rule; nothing
    /// was sent.
    #[serde(rename = "VALIDATION_FAILED")]
    ValidationFailed {
        /// Every broken rule, paths relative to the request.
        issues: Vec<ValidationIssue>,
        /// The JS function called (`"upsertLinkedAccount"`), for the message.
        #[serde(skip)]
        function: &'static str,
    },
    /// `INVALID_OPTIONS`: the options broke a rule; nothing was sent.
    #[serde(rename = "INVALID_OPTIONS")]
    InvalidOptions {
        /// Every broken rule, paths are option names.
        issues: Vec<ValidationIssue>,
        /// The JS function called (`"upsertLinkedAccount"`), for the message.
        #[serde(skip)]
        function: &'static str,
    },
    /// `HTTP_ERROR`: the server answered non-2xx (after retries, when retryable).
    #[serde(rename = "HTTP_ERROR")]
    Http(
        #[cfg_attr(target_arch = "wasm32", tsify(type = "HttpErrorFields<unknown>"))]
        Box<HttpError<N>>,
    ),
    /// `NETWORK_ERROR`: `fetch` rejected (refused, reset, DNS, CORS) or did not give a
    /// Response. Retryable.
    #[serde(rename = "NETWORK_ERROR")]
    Network {
        /// Attempts made.
        attempts: u32,
        /// Whether this call retries it: `true`, except for a `createSessionToken` with
        /// `forceRefresh` (a retry could mint a second token).
        retryable: bool,
        /// The original JS error's message, secrets redacted (part of `message`).
        #[serde(skip)]
        detail: String,
        /// The original JS error (left out when it was `undefined`).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
        cause: Option<N>,
    },
    /// `TIMEOUT`: an attempt (headers and body) exceeded `timeout_ms`. Retryable.
    #[serde(rename = "TIMEOUT")]
    Timeout {
        /// Attempts made.
        attempts: u32,
        /// Whether this call retries it: `true`, except for a `createSessionToken` with
        /// `forceRefresh` (a retry could mint a second token).
        retryable: bool,
        /// The per-attempt limit in ms.
        #[serde(rename = "timeoutMs")]
        timeout_ms: u32,
    },
    /// `ABORTED`: the caller's signal fired. Never retried.
    #[serde(rename = "ABORTED")]
    Aborted {
        /// Attempts made (0 when the signal had fired before the first).
        attempts: u32,
        /// Always `false`.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "false"))]
        retryable: bool,
        /// The signal's `reason` (left out when it was `undefined`).
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
        cause: Option<N>,
    },
    /// `DECODE_ERROR`: a 2xx whose body is empty, not JSON, not a linked account, too large
    /// or in a charset other than UTF-8. Not retried.
    #[serde(rename = "DECODE_ERROR")]
    Decode {
        /// Attempts made.
        attempts: u32,
        /// Always `false`.
        #[cfg_attr(target_arch = "wasm32", tsify(type = "false"))]
        retryable: bool,
        /// HTTP status.
        status: u16,
        /// What was wrong (part of `message`).
        #[serde(skip)]
        reason: String,
        /// The body's `message`, when it is a JSON object that has one (part of `message`).
        #[serde(skip)]
        server_message: Option<String>,
        /// The body text, secrets redacted, at most 1024 UTF-16 units.
        #[serde(rename = "rawBody")]
        raw_body: String,
        /// The `request_id` of the body, else the `x-request-id` header.
        #[serde(rename = "requestId")]
        request_id: Option<String>,
    },
}

impl<N> Error<N> {
    /// The stable code, one of [`ERROR_CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            Error::ValidationFailed { .. } => "VALIDATION_FAILED",
            Error::InvalidOptions { .. } => "INVALID_OPTIONS",
            Error::Http(_) => "HTTP_ERROR",
            Error::Network { .. } => "NETWORK_ERROR",
            Error::Timeout { .. } => "TIMEOUT",
            Error::Aborted { .. } => "ABORTED",
            Error::Decode { .. } => "DECODE_ERROR",
        }
    }

    /// Attempts made, for errors that came after a request.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::ValidationFailed { .. } | Error::InvalidOptions { .. } => None,
            Error::Http(e) => Some(e.attempts),
            Error::Network { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Aborted { attempts, .. }
            | Error::Decode { attempts, .. } => Some(*attempts),
        }
    }

    /// Sets `attempts`, and on an `HTTP_ERROR` the earlier attempts that got no answer.
    pub(crate) fn set_attempts(&mut self, n: u32, unanswered: u32) {
        match self {
            Error::ValidationFailed { .. } | Error::InvalidOptions { .. } => {}
            Error::Http(e) => {
                e.attempts = n;
                e.unanswered_attempts = unanswered;
            }
            Error::Network { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Aborted { attempts, .. }
            | Error::Decode { attempts, .. } => *attempts = n,
        }
    }

    /// Whether the server said it did not act on the request: HTTP 408, 429 or 503.
    pub fn unprocessed(&self) -> bool {
        matches!(self, Error::Http(e) if matches!(e.status, 408 | 429 | 503))
    }

    /// Marks the failure as one this call does not retry.
    pub(crate) fn set_retryable(&mut self, value: bool) {
        match self {
            Error::Http(e) => e.retryable = value,
            Error::Network { retryable, .. }
            | Error::Timeout { retryable, .. }
            | Error::Aborted { retryable, .. }
            | Error::Decode { retryable, .. } => *retryable = value,
            Error::ValidationFailed { .. } | Error::InvalidOptions { .. } => {}
        }
    }

    /// The request id, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Http(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether this kind of failure is retried (`docs/contract.md`, "Retries"), whether or
    /// not retries were left.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Http(e) => e.retryable,
            Error::Network { retryable, .. }
            | Error::Timeout { retryable, .. }
            | Error::Aborted { retryable, .. }
            | Error::Decode { retryable, .. } => *retryable,
            Error::ValidationFailed { .. } | Error::InvalidOptions { .. } => false,
        }
    }
}

/// At most this many issues are spelled out in a message; `issues` always has them all.
pub const MESSAGE_ISSUES: usize = 20;

fn push_issues(out: &mut String, issues: &[ValidationIssue]) {
    out.push_str(&(issues.len() as u64).to_string());
    out.push_str(if issues.len() == 1 {
        " issue"
    } else {
        " issues"
    });
    for (i, issue) in issues.iter().take(MESSAGE_ISSUES).enumerate() {
        out.push_str(if i == 0 { ": " } else { "; " });
        out.push_str(&issue.to_text());
    }
    if issues.len() > MESSAGE_ISSUES {
        out.push_str("; … and ");
        out.push_str(&((issues.len() - MESSAGE_ISSUES) as u64).to_string());
        out.push_str(" more");
    }
}

impl<N> Error<N> {
    /// The message for people (also the `Display` text and the JS `message`). It never holds
    /// the API key, the session token or a credential value: server text in it was redacted
    /// by the decoder.
    pub fn message(&self) -> String {
        let mut out = String::new();
        match self {
            Error::ValidationFailed { issues, function } => {
                out.push_str("invalid ");
                out.push_str(function);
                out.push_str(" request, nothing was sent: ");
                push_issues(&mut out, issues);
            }
            Error::InvalidOptions { issues, function } => {
                out.push_str("invalid client options of ");
                out.push_str(function);
                out.push_str(", nothing was sent: ");
                push_issues(&mut out, issues);
            }
            Error::Http(e) => {
                out.push_str("Refold API answered HTTP ");
                out.push_str(&(u64::from(e.status)).to_string());
                if let Some(t) = &e.http_error_type {
                    out.push(' ');
                    out.push_str(t);
                }
                if let Some(c) = &e.api_error_code {
                    out.push_str(" (");
                    out.push_str(c);
                    out.push(')');
                }
                match &e.server_message {
                    Some(m) => {
                        out.push_str(": ");
                        out.push_str(m);
                    }
                    None if e.raw_body.is_empty() => out.push_str(" with an empty body"),
                    None => {
                        out.push_str(": ");
                        out.push_str(&short(&e.raw_body));
                    }
                }
                push_request_id(&mut out, e.request_id.as_deref());
                if e.status == 0 || (300..400).contains(&e.status) {
                    out.push_str(
                        "; redirects are not followed (they would carry the credentials \
                         elsewhere): use the final URL as baseUrl",
                    );
                }
                if e.unanswered_attempts > 0 {
                    out.push_str("; ");
                    out.push_str(&e.unanswered_attempts.to_string());
                    out.push_str(if e.unanswered_attempts == 1 {
                        " earlier attempt got no answer (timeout or network error): the server \
                         may have acted on it"
                    } else {
                        " earlier attempts got no answer (timeouts or network errors): the \
                         server may have acted on them"
                    });
                }
                if let Some(ms) = e.retry_after_ms.filter(|_| e.retryable) {
                    out.push_str("; Retry-After asks for ");
                    out.push_str(&ms.to_string());
                    out.push_str(" ms");
                }
            }
            Error::Network { detail, .. } => {
                out.push_str(
                    "network error, no response from the Refold API (connection refused or reset, \
                     DNS failure, or a CORS block: browsers do not say which): ",
                );
                out.push_str(detail);
            }
            Error::Timeout { timeout_ms, .. } => {
                out.push_str("the Refold API did not answer within timeoutMs = ");
                out.push_str(&(u64::from(*timeout_ms)).to_string());
                out.push_str(" ms");
            }
            Error::Aborted { .. } => out.push_str("the request was aborted by the caller's signal"),
            Error::Decode {
                status,
                reason,
                server_message,
                request_id,
                ..
            } => {
                out.push_str("Refold API answered HTTP ");
                out.push_str(&(u64::from(*status)).to_string());
                out.push_str(" but ");
                out.push_str(reason);
                if let Some(m) = server_message {
                    out.push_str("; its message: ");
                    out.push_str(m);
                }
                push_request_id(&mut out, request_id.as_deref());
            }
        }
        out
    }
}

fn push_request_id(out: &mut String, id: Option<&str>) {
    if let Some(id) = id {
        out.push_str(" [request_id ");
        out.push_str(id);
        out.push(']');
    }
}

impl<N> fmt::Display for Error<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// The first 200 chars of `s` on one line, for messages.
fn short(s: &str) -> String {
    crate::text::clip(s, 200, ' ')
}

/// `s` cut to at most [`RAW_BODY_LIMIT`] UTF-16 code units, never splitting a pair.
pub fn truncate_utf16(s: &str) -> String {
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > RAW_BODY_LIMIT {
            break;
        }
        end = i + c.len_utf8();
    }
    s.get(..end).unwrap_or_default().to_owned()
}
