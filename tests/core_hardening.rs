//! What a hostile or broken caller or server can do: throwing getters, unlistable objects,
//! huge strings, echoed and escaped secrets, lenient Retry-After values, redirects.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use refold_linked_accounts::options::parse_options;
use refold_linked_accounts::request::Expect;
use refold_linked_accounts::response::decode_response;
use refold_linked_accounts::retry::parse_retry_after;
use refold_linked_accounts::value::MAX_STRING_UNITS;
use refold_linked_accounts::{validate, Error, HttpError, Kind, Node, Value};

const NOW_MS: f64 = 1_700_000_000_000.0;

fn issues_of(request: &Value) -> Vec<Brief> {
    briefs(&validate(request).unwrap_err())
}

#[test]
fn a_throwing_getter_is_an_issue_at_its_path_never_absent() {
    let request = o([
        ("linked_account_id", s("a")),
        ("udf", o([("x", n(1.0)), ("boom", Value::Throwing)])),
        (
            "your_app",
            o([(
                "auth_credentials",
                o([("k", s("v")), ("secret", Value::Throwing)]),
            )]),
        ),
    ]);
    assert_eq!(
        issues_of(&request),
        [
            at(&["udf", "boom"], "invalid_type"),
            at(&["your_app", "auth_credentials", "secret"], "invalid_type"),
        ]
    );
    let message = &validate(&request).unwrap_err()[0].message;
    assert_eq!(message, "could not be read: its getter threw");
}

#[test]
fn a_throwing_required_field_is_one_issue_not_also_required() {
    let request = o([("linked_account_id", Value::Throwing)]);
    assert_eq!(
        issues_of(&request),
        [at(&["linked_account_id"], "invalid_type")]
    );
    let request = o([
        ("linked_account_id", s("a")),
        ("your_app", o([("auth_credentials", Value::Throwing)])),
    ]);
    assert_eq!(
        issues_of(&request),
        [at(&["your_app", "auth_credentials"], "invalid_type")]
    );
}

#[test]
fn unreadable_objects_are_invalid_type() {
    let unreadable = opaque(Kind::Unreadable);
    assert_eq!(issues_of(&unreadable), [at(&[], "invalid_type")]);
    let request = o([("linked_account_id", s("a")), ("udf", unreadable.clone())]);
    assert_eq!(issues_of(&request), [at(&["udf"], "invalid_type")]);
    assert!(validate(&request).unwrap_err()[0]
        .message
        .contains("cannot be read"));
}

#[test]
fn throwing_option_getters_are_invalid_options_not_defaults() {
    let options = o([("apiKey", Value::Throwing), ("timeoutMs", Value::Throwing)]);
    let issues = parse_options(&options, &SERVER).unwrap_err();
    assert_eq!(
        briefs(&issues),
        [
            at(&["apiKey"], "invalid_type"),
            at(&["timeoutMs"], "invalid_type")
        ]
    );
}

#[test]
fn strings_over_the_limit_are_too_big_before_any_other_check() {
    let huge = "x".repeat(MAX_STRING_UNITS as usize + 1);
    let request = o([
        ("linked_account_id", s(&huge)),
        ("udf", o([("k", s(&huge))])),
    ]);
    assert_eq!(
        issues_of(&request),
        [
            at(&["linked_account_id"], "too_big"),
            at(&["udf", "k"], "too_big")
        ]
    );
    let at_limit = "x".repeat(MAX_STRING_UNITS as usize);
    assert!(validate(&o([("linked_account_id", s(&at_limit))])).is_ok());
}

#[test]
fn platform_owned_headers_are_conflicts() {
    for name in ["content-length", "Host", "Transfer-Encoding", "expect"] {
        let options = o([("apiKey", s("tk-1")), ("headers", o([(name, s("1"))]))]);
        let issues = parse_options(&options, &SERVER).unwrap_err();
        assert_eq!(
            briefs(&issues),
            [at(&["headers", name], "conflict")],
            "{name}"
        );
    }
}

/// The `HTTP_ERROR` for a 400 whose body echoes `secrets`, after redaction.
fn echoed(body: &str, secrets: &[&str]) -> HttpError {
    match decode_response(
        response(400, body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        secrets,
    ) {
        Err(Error::Http(e)) => *e,
        other => panic!("expected HTTP_ERROR, got {other:?}"),
    }
}

/// `raw_body` is `raw`, and the server's `message` reads `message` in `message` and `body`.
fn assert_redacted(e: &HttpError, raw: &str, message: &str) {
    assert_eq!(e.raw_body, raw);
    assert_eq!(e.server_message.as_deref(), Some(message));
    assert_eq!(
        e.body.as_ref().and_then(|b| b.get("message")),
        Some(s(message))
    );
}

#[test]
fn json_escaped_secrets_are_redacted_in_raw_body_message_and_body() {
    let secret = r#"pa"ss\wörd/1"#;
    let e = echoed(
        r#"{"message":"got pa\"ss\\wörd\/1 and pa\"ss\\wörd/1","request_id":"r-1"}"#,
        &[secret],
    );
    assert_redacted(
        &e,
        r#"{"message":"got [redacted] and [redacted]","request_id":"r-1"}"#,
        "got [redacted] and [redacted]",
    );
    assert_eq!(e.request_id.as_deref(), Some("r-1"));
}

#[test]
fn a_secret_behind_other_json_escapes_is_redacted_in_the_parsed_form() {
    // `+` written as \u002B (.NET's default), `/` as \u002F: neither form is searched for in
    // the raw text, but the decoded body would hold the secret.
    let e = echoed(
        r#"{"message":"bad AbC\u002B\u002Fxyz/0123==","request_id":"r-2"}"#,
        &["AbC+/xyz/0123=="],
    );
    assert_redacted(
        &e,
        r#"{"message":"bad [redacted]","request_id":"r-2"}"#,
        "bad [redacted]",
    );
    assert_eq!(e.request_id.as_deref(), Some("r-2"));
}

#[test]
fn a_secret_that_begins_with_another_is_redacted_whole() {
    let e = echoed(
        r#"{"message":"key acme-prod-9f8e7d6c5b4a3210 for acme-prod"}"#,
        &["acme-prod", "acme-prod-9f8e7d6c5b4a3210"],
    );
    assert_redacted(
        &e,
        r#"{"message":"key [redacted] for [redacted]"}"#,
        "key [redacted] for [redacted]",
    );
}

#[test]
fn overlapping_secrets_are_redacted_as_one_run() {
    let e = echoed(
        r#"{"message":"got abcdef12345678 and 12345678"}"#,
        &["abcdef12", "12345678"],
    );
    assert_redacted(
        &e,
        r#"{"message":"got [redacted] and [redacted]"}"#,
        "got [redacted] and [redacted]",
    );
}

#[test]
fn secrets_behind_escapes_in_text_that_is_not_json_or_in_a_repeated_key_are_redacted() {
    for body in [
        r#"{"message":"\u0068unter2secret","message":"ok"}"#,
        r#"{"message":"\u0068unter2secret""#,
    ] {
        let e = echoed(body, &["hunter2secret"]);
        assert!(!e.raw_body.contains("unter2secret"), "{}", e.raw_body);
        assert!(e.raw_body.contains("[redacted]"), "{}", e.raw_body);
        let shown = format!("{e:?} {}", Error::Http(Box::new(e.clone())));
        assert!(!shown.contains("unter2secret"), "{shown}");
    }
}

#[test]
fn a_secret_in_the_request_id_header_is_redacted() {
    let mut r = response(400, r#"{"message":"nope"}"#);
    r.request_id = Some("req-sk-live-0123456789".to_owned());
    let Err(Error::Http(e)) = decode_response(
        r,
        Expect::Account,
        &TestPlatform(NOW_MS),
        &["sk-live-0123456789"],
    ) else {
        panic!()
    };
    assert_eq!(e.request_id.as_deref(), Some("req-[redacted]"));
}

#[test]
fn a_body_without_secrets_is_kept_as_parsed() {
    let body = r#"{"message":"plain","extra":[1,2]}"#;
    let Err(Error::Http(e)) = decode_response(
        response(400, body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &["long-secret-value"],
    ) else {
        panic!()
    };
    assert_eq!(e.body, parse_body(body));
}

#[test]
fn an_id_that_is_not_well_formed_unicode_is_still_an_account() {
    // `_id` with a lone surrogate is valid JSON: any 2xx with string `_id` and `account_id`
    // (and a `udf` array and a `__v`) is success.
    let mut r = response(200, ACCOUNT);
    r.json = Some(o([
        ("_id", Value::BrokenString),
        ("account_id", s("x")),
        ("udf", Value::Array(vec![])),
        ("__v", n(0.0)),
    ]));
    assert!(decode_response(r, Expect::Account, &TestPlatform(NOW_MS), &[]).is_ok());
}

#[test]
fn retry_after_that_is_neither_seconds_nor_a_date_is_ignored() {
    for value in ["1.5", "-5", "soon", "+3", "1e3", ""] {
        assert_eq!(
            parse_retry_after(value, &TestPlatform(NOW_MS)),
            None,
            "{value:?}"
        );
    }
}

#[test]
fn a_redirect_is_an_http_error_that_says_why_it_was_not_followed() {
    let Err(error) = decode_response(
        response(307, ""),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(error.code(), "HTTP_ERROR");
    assert!(!error.retryable());
    assert_eq!(
        error.message(),
        "Refold API answered HTTP 307 with an empty body; redirects are not followed (they \
         would carry the credentials elsewhere): use the final URL as baseUrl"
    );
}

#[test]
fn a_message_spells_out_at_most_twenty_issues() {
    let entries: Vec<(String, Value)> = (0..25)
        .map(|i| (format!("extra{i}"), n(1.0)))
        .chain([("linked_account_id".to_owned(), s("a"))])
        .collect();
    let issues = validate(&Value::Object(entries)).unwrap_err();
    assert_eq!(issues.len(), 25);
    let message = Error::<Value>::ValidationFailed {
        issues,
        function: "upsertLinkedAccount",
    }
    .message();
    assert!(
        message.starts_with("invalid upsertLinkedAccount request, nothing was sent: 25 issues: ")
    );
    assert!(message.ends_with("; … and 5 more"), "{message}");
    assert!(message.contains("extra19: ") && !message.contains("extra20: "));
}

#[test]
fn a_secret_named_as_the_charset_is_redacted_in_the_message() {
    let key = "tk-secret-charset-0123";
    let mut r = response(200, ACCOUNT);
    r.content_type = Some(format!("application/json; charset={key}"));
    let Err(e) = decode_response(r, Expect::Account, &TestPlatform(NOW_MS), &[key]) else {
        panic!("expected DECODE_ERROR")
    };
    assert_eq!(
        e.message(),
        "Refold API answered HTTP 200 but the body is in charset [redacted], not UTF-8"
    );
}

#[test]
fn every_label_of_utf8_is_utf8() {
    for label in [
        "utf-8",
        "UTF8",
        "\"utf-8\"",
        "unicode-1-1-utf-8",
        "x-unicode20utf8",
    ] {
        let mut r = response(200, ACCOUNT);
        r.content_type = Some(format!("application/json; charset={label}"));
        assert!(
            decode_response(r, Expect::Account, &TestPlatform(NOW_MS), &[]).is_ok(),
            "{label}"
        );
    }
}

#[test]
fn a_body_cut_short_keeps_no_part_of_a_secret_cut_in_half() {
    let key = "tkSECRETKEY0123456789abcdef";
    // The body was cut at maxResponseBytes 14 characters into the key.
    let text = format!("{}{}", "x".repeat(1010), &key[..14]);
    for status in [200, 400] {
        let mut r = response(status, &text);
        r.truncated = true;
        let e = decode_response(r, Expect::Account, &TestPlatform(NOW_MS), &[key]).unwrap_err();
        let raw = match &e {
            Error::Http(h) => h.raw_body.clone(),
            Error::Decode { raw_body, .. } => raw_body.clone(),
            other => panic!("{other:?}"),
        };
        // 12 × 27 characters of the tail are not kept, so no part of the key is.
        assert_eq!(raw, "x".repeat(1024 - 12 * key.len()), "{status}");
        assert!(!e.message().contains("tkSECRET"), "{status}");
    }
}
