//! Sans-IO response decoding: status, headers and body text → the linked account or an error.
//!
//! Shapes: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account> (200 and the
//! documented 400/401/500 bodies); newer bodies use `error` instead of `error_code`
//! (<https://docs.refold.ai/v3/api-reference/overview>).

use crate::error::{truncate_utf16, Error, HttpError};
use crate::options::is_usable_credential;
use crate::redact::redact;
use crate::request::Expect;
use crate::retry::{is_retryable_status, parse_retry_after, Platform};
use crate::types::{DeletedLinkedAccount, LinkedAccount, LinkedAccountPage, SessionToken};
use crate::value::{Kind, Node};

/// What a transport read from one response.
#[derive(Clone, Debug, PartialEq)]
pub struct RawResponse<N> {
    /// HTTP status.
    pub status: u16,
    /// The `x-request-id` header, when present and readable (CORS must expose it).
    pub request_id: Option<String>,
    /// The `Retry-After` header, when present.
    pub retry_after: Option<String>,
    /// The `Content-Type` header, when present.
    pub content_type: Option<String>,
    /// Whether the body was longer than `maxResponseBytes`: `text` holds what was read.
    pub truncated: bool,
    /// The whole body as a string value (UTF-8 decoded). Only read on the error paths, so a
    /// good response is never copied into Rust.
    pub text: N,
    /// The body parsed as JSON (after removing a BOM), or `None` when it is not JSON.
    pub json: Option<N>,
}

/// The body text a JSON parser should see: without a leading UTF-8 BOM.
pub fn json_text(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// How much of an error body is copied into Rust, in UTF-16 units: enough to redact secrets
/// in it and re-parse it; a longer body keeps only its first part, and no parsed `body`.
/// Redaction costs about the text's length times a secret's, so this also bounds its time.
const ERROR_TEXT_UNITS: u32 = 65_536;

/// The most text one character of a secret can take when a server escapes it (`%F0%9F%98%80`,
/// or `\ud83d\ude00`, for one emoji): a body cut short keeps no tail this many times a secret's
/// length, where a secret could begin and be cut in half.
const ESCAPED_CHAR_BYTES: usize = 12;

/// A 2xx whose JSON body has the shape `expect` names → `Ok(json)`, the body as the server
/// sent it (unknown fields kept). Other 2xx → `DECODE_ERROR`; non-2xx → `HTTP_ERROR`.
///
/// `platform` turns a `Retry-After` HTTP-date into a delay and re-parses a redacted body.
/// `secrets` are replaced by `[redacted]` in the server text kept on an error (`message`,
/// `raw_body` and `body`), in their plain and JSON-escaped forms, before `raw_body` is cut to
/// its limit. A session-token 2xx that fails to decode keeps no text at all: it may hold a
/// token. `attempts` is left at 0 for the caller.
pub fn decode_response<N: Node>(
    response: RawResponse<N>,
    expect: Expect,
    platform: &impl Platform<Node = N>,
    secrets: &[&str],
) -> Result<N, Error<N>> {
    let RawResponse {
        status,
        request_id: header_id,
        retry_after,
        content_type,
        truncated,
        text,
        json,
    } = response;
    let success = (200..300).contains(&status);
    let charset = content_type.as_deref().and_then(charset);
    let foreign_charset = charset.filter(|c| !is_utf8_label(c));
    let object = json.as_ref().filter(|j| j.kind() == Kind::PlainObject);
    let readable = success && !truncated && foreign_charset.is_none();
    // The account's identity fields, checked first for a clearer reason.
    let has_ids = has_string(object, "_id") && has_string(object, "account_id");
    // The typed check; the caller gets the body as sent, every field kept.
    let typed = readable
        && (expect != Expect::Account || has_ids)
        && object.is_some_and(|j| match expect {
            Expect::Account => platform.decode::<LinkedAccount>(j).is_some(),
            Expect::Page(_) => platform.decode::<LinkedAccountPage>(j).is_some(),
            Expect::Deleted => platform.decode::<DeletedLinkedAccount>(j).is_some(),
            // Usable as the `sessionToken` option, and not a secret of the request (a server
            // that answered with the API key would have it handed to a browser), or it is no
            // token.
            Expect::SessionToken => platform.decode::<SessionToken>(j).is_some_and(|t| {
                is_usable_credential(&t.token) && !secrets.contains(&t.token.as_str())
            }),
        });
    // The page number of a page that has the right shape, when it is not the one asked for.
    let wrong_page = match expect {
        Expect::Page(Some(asked)) if typed => object
            .and_then(|o| o.get("page"))
            .and_then(|p| p.number())
            .filter(|page| *page != f64::from(asked)),
        _ => None,
    };
    if typed && wrong_page.is_none() {
        if let Some(body) = json {
            return Ok(body);
        }
    }
    let mut text = text.lossy_prefix(ERROR_TEXT_UNITS).unwrap_or_default();
    let complete = !truncated && text.encode_utf16().count() < ERROR_TEXT_UNITS as usize;
    if !complete {
        // Cut short (here or at maxResponseBytes): a secret may begin in the last part and be
        // cut in half, and a half does not match. That part is not kept.
        let longest = secrets.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        let keep = text
            .chars()
            .count()
            .saturating_sub(ESCAPED_CHAR_BYTES * longest);
        text = text.chars().take(keep).collect();
    }
    let mut redacted = redact(&text, secrets);
    let mut body = match json {
        Some(_) if !complete => None,
        Some(_) if redacted != text => platform.parse_json(json_text(&redacted)),
        json => json,
    };
    // The parsed body is checked once more, written as JSON.stringify writes it: the server may
    // have escaped a secret in a way the text does not show plainly. A body that cannot be
    // written again (nested too deep for the engine) cannot be checked, so it is not kept.
    if let Some(parsed) = &body {
        match platform.stringify_json(parsed) {
            Some(canonical) => {
                let clean = redact(&canonical, secrets);
                if clean != canonical {
                    body = platform.parse_json(&clean);
                    redacted = clean;
                }
            }
            None => body = None,
        }
    }
    let object = body.as_ref().filter(|j| j.kind() == Kind::PlainObject);
    let raw_body = truncate_utf16(&redacted);
    let server_message = field(object, "message").map(|m| redact(&m, secrets));
    // A request id echoes whatever the server chose: it may hold a secret too.
    let header_id = header_id.map(|id| redact(&id, secrets));
    let request_id = field(object, "request_id").or_else(|| header_id.clone());

    if success {
        let reason = if truncated {
            "the body is longer than maxResponseBytes".to_owned()
        } else if let Some(charset) = foreign_charset {
            // Server text like the rest: it could hold a secret.
            let charset = crate::issue::printable(&redact(charset, secrets));
            format!("the body is in charset {charset}, not UTF-8")
        } else if json_text(&text).trim_ascii().is_empty() {
            "the body is empty".to_owned()
        } else if body.is_none() {
            "the body is not JSON".to_owned()
        } else if object.is_none() {
            "the body is not a JSON object".to_owned()
        } else if let (Some(page), Expect::Page(Some(asked))) = (wrong_page, expect) {
            format!(
                "the body is page {page}, not page {asked} that was asked for (the server did \
                 not apply ?page=)"
            )
        } else {
            match expect {
                Expect::Account if !has_ids => {
                    "the body is not a linked account (no string _id and account_id)"
                }
                Expect::Account => {
                    "the body is not a linked account (udf must be an array of entries, __v a \
                     non-negative integer, and the other fields strings)"
                }
                Expect::Page(_) => {
                    "the body is not a page of linked accounts (docs must be an array of \
                     linked accounts; totalDocs, limit, totalPages, page and pagingCounter \
                     non-negative integers; hasPrevPage and hasNextPage booleans; prevPage and \
                     nextPage integers or null)"
                }
                Expect::Deleted => "the body is not a delete confirmation ({ message: string })",
                Expect::SessionToken => {
                    "the body is not a session token ({ token: a non-empty string of visible \
                     ASCII, … }); its text is not kept, as it may hold one"
                }
            }
            .to_owned()
        };
        // A session token's answer is a secret as a whole: none of its text is kept.
        let secret = expect == Expect::SessionToken;
        return Err(Error::Decode {
            attempts: 0,
            retryable: false,
            status,
            reason,
            server_message: server_message.filter(|_| !secret),
            raw_body: if secret { String::new() } else { raw_body },
            request_id: if secret { header_id } else { request_id },
        });
    }

    let api_error_code = field(object, "error_code").or_else(|| field(object, "error"));
    let http_error_type = field(object, "http_error_type");
    Err(Error::Http(Box::new(HttpError {
        attempts: 0,
        status,
        api_error_code,
        http_error_type,
        server_message,
        request_id,
        body,
        raw_body,
        // A body cut at maxResponseBytes would be cut again: not retried.
        retryable: is_retryable_status(status) && !truncated,
        retry_after_ms: retry_after.and_then(|v| parse_retry_after(&v, platform)),
        unanswered_attempts: 0,
    })))
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset="ISO-8859-1"` →
/// `ISO-8859-1`), when it names one.
pub fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim_ascii()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim_ascii().trim_matches('"'))
            .filter(|v| !v.is_empty())
    })
}

/// Whether `label` names UTF-8: one of the Encoding Standard's labels for it, in any case.
fn is_utf8_label(label: &str) -> bool {
    [
        "utf-8",
        "utf8",
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "x-unicode20utf8",
    ]
    .iter()
    .any(|utf8| label.eq_ignore_ascii_case(utf8))
}

/// The string property `key` of a JSON object body.
fn field<N: Node>(object: Option<&N>, key: &str) -> Option<String> {
    object?.get(key)?.string()?.ok()
}

/// Whether the JSON object has a string property `key` (any string, even one that is not
/// well-formed Unicode).
fn has_string<N: Node>(object: Option<&N>, key: &str) -> bool {
    object
        .and_then(|o| o.get(key))
        .is_some_and(|v| v.kind() == Kind::String)
}
