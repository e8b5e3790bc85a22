#![cfg(not(target_arch = "wasm32"))]
//! Sans-IO HTTP: `request::build_request` (URL, headers, body tree) and
//! `response::decode_response` over the documented response bodies in `tests/fixtures`.

mod common;

use common::*;
use refold_linked_accounts::client::secrets;
use refold_linked_accounts::error::{truncate_utf16, RAW_BODY_LIMIT};
use refold_linked_accounts::request::{build_request, Call, Expect, UPSERT_PATH};
use refold_linked_accounts::response::{decode_response, json_text, RawResponse};
use refold_linked_accounts::{Error, HttpError, Value};

const NOW_MS: f64 = 1_700_000_000_000.0;

fn full_request() -> Value {
    o([
        ("linked_account_id", s("markwood@some_email.com")),
        ("name", s("Mark Wood")),
        (
            "your_app",
            o([
                (
                    "auth_credentials",
                    o([
                        ("x-api-key", s(SECRET)),
                        ("base-url", s("https://api.example.com")),
                    ]),
                ),
                ("app_id", s("app-1")),
            ]),
        ),
        (
            "udf",
            o([
                ("plan", s("pro")),
                ("seats", n(5.0)),
                ("ratio", n(-0.25)),
                ("trial", Value::Bool(false)),
                ("note", Value::Null),
            ]),
        ),
    ])
}

fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// build_request

#[test]
fn full_request_with_api_key() {
    let req = valid(&full_request());
    let opts = options(&o([("apiKey", s("tk-0001"))]));
    let http = build_request(&Call::Upsert(req.clone()), &opts);
    assert_eq!(http.method, "PUT");
    assert_eq!(
        http.url,
        "https://app.refold.ai/api/v2/public/linked-account"
    );
    assert_eq!(
        http.headers,
        headers(&[
            ("content-type", "application/json"),
            ("accept", "application/json"),
            ("x-api-key", "tk-0001"),
        ])
    );
    // Wire order: linked_account_id, name, your_app (app_id, auth_credentials), udf.
    let expected = o([
        ("linked_account_id", s("markwood@some_email.com")),
        ("name", s("Mark Wood")),
        (
            "your_app",
            o([
                ("app_id", s("app-1")),
                (
                    "auth_credentials",
                    o([
                        ("x-api-key", s(SECRET)),
                        ("base-url", s("https://api.example.com")),
                    ]),
                ),
            ]),
        ),
        (
            "udf",
            o([
                ("plan", s("pro")),
                ("seats", n(5.0)),
                ("ratio", n(-0.25)),
                ("trial", Value::Bool(false)),
                ("note", Value::Null),
            ]),
        ),
    ]);
    assert_eq!(body_json(&http.body), expected);
    assert_eq!(body_json(&req), expected);
}

#[test]
fn body_is_in_wire_order_whatever_the_input_order() {
    let req = valid(&o([
        ("udf", o([("b", n(2.0)), ("a", n(1.0))])),
        ("name", s("N")),
        ("linked_account_id", s("id-1")),
    ]));
    let body = body_json(&req);
    assert_eq!(
        body,
        o([
            ("linked_account_id", s("id-1")),
            ("name", s("N")),
            // udf keys keep the caller's order.
            ("udf", o([("b", n(2.0)), ("a", n(1.0))])),
        ])
    );
}

#[test]
fn minimal_body_leaves_absent_fields_out() {
    let cases: Vec<(&str, Value, Value)> = vec![
        (
            "only the id",
            o([("linked_account_id", s("id-1"))]),
            o([("linked_account_id", s("id-1"))]),
        ),
        (
            "undefined fields are absent",
            o([
                ("linked_account_id", s("id-1")),
                ("name", Value::Undefined),
                ("your_app", Value::Undefined),
                ("udf", Value::Undefined),
            ]),
            o([("linked_account_id", s("id-1"))]),
        ),
        (
            "empty name is kept",
            o([("linked_account_id", s("id-1")), ("name", s(""))]),
            o([("linked_account_id", s("id-1")), ("name", s(""))]),
        ),
        (
            "empty udf is kept as {}",
            o([("linked_account_id", s("id-1")), ("udf", o([]))]),
            o([("linked_account_id", s("id-1")), ("udf", o([]))]),
        ),
        (
            "udf undefined values dropped",
            o([
                ("linked_account_id", s("id-1")),
                ("udf", o([("gone", Value::Undefined), ("kept", n(1.0))])),
            ]),
            o([
                ("linked_account_id", s("id-1")),
                ("udf", o([("kept", n(1.0))])),
            ]),
        ),
        (
            "your_app without app_id",
            o([
                ("linked_account_id", s("id-1")),
                (
                    "your_app",
                    o([
                        ("app_id", Value::Undefined),
                        ("auth_credentials", o([("token", s("t"))])),
                    ]),
                ),
            ]),
            o([
                ("linked_account_id", s("id-1")),
                (
                    "your_app",
                    o([("auth_credentials", o([("token", s("t"))]))]),
                ),
            ]),
        ),
        (
            "credential with an undefined value dropped",
            o([
                ("linked_account_id", s("id-1")),
                (
                    "your_app",
                    o([(
                        "auth_credentials",
                        o([("a", s("1")), ("A", Value::Undefined)]),
                    )]),
                ),
            ]),
            o([
                ("linked_account_id", s("id-1")),
                ("your_app", o([("auth_credentials", o([("a", s("1"))]))])),
            ]),
        ),
    ];
    let opts = options(&o([("apiKey", s("tk-1"))]));
    for (name, input, expected) in cases {
        let http = build_request(&Call::Upsert(valid(&input).clone()), &opts);
        assert_eq!(body_json(&http.body), expected, "{name}");
    }
}

#[test]
fn session_token_is_sent_as_bearer() {
    let opts = options(&o([("sessionToken", s("eyJhbGciOi.J9.sig"))]));
    let http = build_request(
        &Call::Upsert(valid(&o([("linked_account_id", s("x"))]))),
        &opts,
    );
    assert_eq!(
        http.headers,
        headers(&[
            ("content-type", "application/json"),
            ("accept", "application/json"),
            ("authorization", "Bearer eyJhbGciOi.J9.sig"),
        ])
    );
}

#[test]
fn extra_headers_follow_in_order_and_proxy_needs_no_auth() {
    let opts = options(&o([
        ("baseUrl", s("https://proxy.example.com/refold/")),
        (
            "headers",
            o([("x-trace-id", s("t-1")), ("X-Tenant", s("acme"))]),
        ),
    ]));
    let http = build_request(
        &Call::Upsert(valid(&o([("linked_account_id", s("x"))]))),
        &opts,
    );
    assert_eq!(
        http.url,
        "https://proxy.example.com/refold/api/v2/public/linked-account"
    );
    assert_eq!(
        http.headers,
        headers(&[
            ("content-type", "application/json"),
            ("accept", "application/json"),
            ("x-trace-id", "t-1"),
            ("X-Tenant", "acme"),
        ])
    );
}

#[test]
fn extra_headers_follow_the_credential() {
    let opts = options(&o([
        ("apiKey", s("tk-1")),
        ("headers", o([("x-trace-id", s("t-1"))])),
    ]));
    let http = build_request(
        &Call::Upsert(valid(&o([("linked_account_id", s("x"))]))),
        &opts,
    );
    assert_eq!(
        http.headers,
        headers(&[
            ("content-type", "application/json"),
            ("accept", "application/json"),
            ("x-api-key", "tk-1"),
            ("x-trace-id", "t-1"),
        ])
    );
}

#[test]
fn url_is_base_plus_upsert_path() {
    assert_eq!(UPSERT_PATH, "/api/v2/public/linked-account");
    let cases = [
        (
            "https://app.refold.ai",
            "https://app.refold.ai/api/v2/public/linked-account",
        ),
        (
            "https://app.refold.ai/",
            "https://app.refold.ai/api/v2/public/linked-account",
        ),
        (
            "http://127.0.0.1:8787",
            "http://127.0.0.1:8787/api/v2/public/linked-account",
        ),
        (
            "http://localhost:8787/",
            "http://localhost:8787/api/v2/public/linked-account",
        ),
        (
            "http://[::1]:8787",
            "http://[::1]:8787/api/v2/public/linked-account",
        ),
        (
            "https://proxy.example.com/refold/",
            "https://proxy.example.com/refold/api/v2/public/linked-account",
        ),
        (
            "https://proxy.example.com/a/b",
            "https://proxy.example.com/a/b/api/v2/public/linked-account",
        ),
        (
            "https://proxy.example.com:8443",
            "https://proxy.example.com:8443/api/v2/public/linked-account",
        ),
    ];
    let req = valid(&o([("linked_account_id", s("x"))]));
    for (base, url) in cases {
        let opts = options(&o([("apiKey", s("tk-1")), ("baseUrl", s(base))]));
        assert_eq!(
            build_request(&Call::Upsert(req.clone()), &opts).url,
            url,
            "{base}"
        );
    }
}

#[test]
fn http_request_debug_hides_credentials_and_body() {
    let req = valid(&full_request());
    for auth in ["apiKey", "sessionToken"] {
        let opts = options(&o([(auth, s(SECRET))]));
        let http = build_request(&Call::Upsert(req.clone()), &opts);
        let debug = format!("{http:?}");
        assert!(!debug.contains(SECRET), "{auth}: {debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(debug.contains("https://app.refold.ai/api/v2/public/linked-account"));
        // The body holds credential values: what gets sent has them, its Debug does not.
        assert!(serde_json::to_string(&http.body).unwrap().contains(SECRET));
        assert!(!format!("{:?}", http.body).contains(SECRET));
    }
}

#[test]
fn secrets_lists_the_credential_and_every_credential_value() {
    let req = valid(&full_request());
    let opts = options(&o([("apiKey", s("tk-key"))]));
    assert_eq!(
        secrets(&Call::Upsert(req.clone()), &opts),
        vec!["tk-key", SECRET, "https://api.example.com"]
    );
    let proxy = options(&o([("baseUrl", s("https://proxy.example.com"))]));
    assert_eq!(
        secrets(
            &Call::Upsert(valid(&o([("linked_account_id", s("x"))]))),
            &proxy
        ),
        Vec::<&str>::new()
    );
}

// ---------------------------------------------------------------------------------------------
// decode_response: the fixture table

fn raw(
    status: u16,
    text: &str,
    request_id: Option<&str>,
    retry_after: Option<&str>,
) -> RawResponse<Value> {
    RawResponse {
        status,
        request_id: request_id.map(str::to_owned),
        retry_after: retry_after.map(str::to_owned),
        content_type: None,
        truncated: false,
        text: Value::String(text.to_owned()),
        json: parse_body(text),
    }
}

fn opt_str(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

#[test]
fn decode_table_from_fixtures() {
    let table = fixture_json("decode-cases.json");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let status = case["status"].as_u64().expect("status") as u16;
        let text = match case["body_file"].as_str() {
            Some(file) => fixture(file),
            None => case["body_text"].as_str().expect("body").to_owned(),
        };
        let x_request_id = case["x_request_id"].as_str();
        let retry_after = case["retry_after"].as_str();
        let expect = &case["expect"];
        let result = decode_response(
            raw(status, &text, x_request_id, retry_after),
            Expect::Account,
            &TestPlatform(NOW_MS),
            &[],
        );

        if expect["ok"].as_bool() == Some(true) {
            let account = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            // The body as the server sent it, every field kept, in order.
            let expected = js(serde_json::from_str(&text).expect("fixture JSON"));
            assert_eq!(account, expected, "{name}");
            continue;
        }

        let error = result.expect_err(name);
        assert_eq!(error.code(), expect["code"].as_str().unwrap(), "{name}");
        assert_eq!(
            error.attempts(),
            Some(0),
            "{name}: attempts left for the caller"
        );
        assert_eq!(
            error.request_id().map(str::to_owned),
            opt_str(&expect["request_id"]),
            "{name}"
        );
        match &error {
            Error::Http(e) => {
                let HttpError {
                    status: got_status,
                    api_error_code,
                    http_error_type,
                    server_message,
                    request_id,
                    body,
                    raw_body,
                    retryable,
                    retry_after_ms,
                    attempts,
                    unanswered_attempts,
                } = e.as_ref();
                assert_eq!(*unanswered_attempts, 0, "{name}");
                assert_eq!(
                    u64::from(*got_status),
                    expect["status"].as_u64().unwrap(),
                    "{name}"
                );
                assert_eq!(
                    *api_error_code,
                    opt_str(&expect["api_error_code"]),
                    "{name}"
                );
                assert_eq!(
                    *http_error_type,
                    opt_str(&expect["http_error_type"]),
                    "{name}"
                );
                assert_eq!(
                    *server_message,
                    opt_str(&expect["server_message"]),
                    "{name}"
                );
                assert_eq!(*request_id, opt_str(&expect["request_id"]), "{name}");
                if expect["body_is_json"].as_bool().unwrap() {
                    let parsed = js(serde_json::from_str(json_text(&text)).unwrap());
                    assert_eq!(body.as_ref(), Some(&parsed), "{name}");
                } else {
                    assert_eq!(*body, None, "{name}");
                }
                assert_eq!(*raw_body, text, "{name}: raw body kept exactly");
                assert_eq!(*retryable, expect["retryable"].as_bool().unwrap(), "{name}");
                assert_eq!(*retry_after_ms, expect["retry_after_ms"].as_u64(), "{name}");
                assert_eq!(*attempts, 0, "{name}");
                assert_eq!(error.retryable(), *retryable, "{name}");
            }
            Error::Decode {
                status: got_status,
                reason,
                raw_body,
                request_id,
                server_message: _,
                attempts,
                retryable,
            } => {
                assert_eq!(
                    u64::from(*got_status),
                    expect["status"].as_u64().unwrap(),
                    "{name}"
                );
                assert_eq!(*reason, expect["reason"].as_str().unwrap(), "{name}");
                assert_eq!(*raw_body, text, "{name}");
                assert_eq!(*request_id, opt_str(&expect["request_id"]), "{name}");
                assert_eq!(*attempts, 0, "{name}");
                assert!(!retryable && !error.retryable(), "{name}");
            }
            other => panic!("{name}: unexpected {other:?}"),
        }
        let display = error.to_string();
        if let Some(exact) = expect["display"].as_str() {
            assert_eq!(display, exact, "{name}");
        }
        if let Some(parts) = expect["display_contains"].as_array() {
            for part in parts {
                let part = part.as_str().unwrap();
                assert!(display.contains(part), "{name}: {display:?} lacks {part:?}");
            }
        }
        // A server message is always part of the error's message.
        if let Some(m) = expect["server_message"].as_str() {
            assert!(display.contains(m), "{name}");
        }
    }
}

#[test]
fn the_401_fixture_is_invalid_json_as_documented() {
    let text = fixture("401-invalid-credentials.json");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());
    assert!(text.contains("\"message\": \"Invalid Credentials\"\n    \"request_id\""));
    let error = decode_response(
        response(401, &text),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap_err();
    let Error::Http(e) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(e.status, 401);
    assert_eq!(e.body, None);
    assert_eq!(e.raw_body, text);
    assert_eq!(e.api_error_code, None);
    assert_eq!(error.code(), "HTTP_ERROR");
}

#[test]
fn bom_prefixed_200_is_success() {
    let text = format!("\u{feff}{}", fixture("200-upsert.json"));
    let r = response(200, &text);
    assert!(r.json.is_some(), "json_text strips the BOM before parsing");
    let account =
        decode_response(r, Expect::Account, &TestPlatform(NOW_MS), &[]).expect("BOM is ignored");
    assert_eq!(account, js(serde_json::from_str(json_text(&text)).unwrap()));
    assert_eq!(json_text(&text), fixture("200-upsert.json"));
    assert_eq!(json_text("{}"), "{}");
    // Only one leading BOM is removed, never one elsewhere.
    assert_eq!(json_text("\u{feff}\u{feff}x"), "\u{feff}x");
    assert_eq!(json_text("x\u{feff}"), "x\u{feff}");
}

#[test]
fn bom_prefixed_error_body_is_still_read() {
    let text = format!("\u{feff}{}", fixture("400-duplicate-auth-key.json"));
    let Err(Error::Http(e)) = decode_response(
        response(400, &text),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!("expected HTTP_ERROR")
    };
    assert_eq!(e.api_error_code.as_deref(), Some("SERVER_ERROR"));
    assert_eq!(
        e.server_message.as_deref(),
        Some("Duplicate Auth key_name not allowed")
    );
    assert_eq!(
        e.raw_body, text,
        "raw body is the text as received, BOM included"
    );
}

#[test]
fn unknown_fields_of_a_200_are_kept() {
    let text = r#"{"_id":"a1","account_id":"acct","new_account":true,"is_seed":false,"integrations":null,"nested":{"x":[1,2,{"y":null}]},"udf":[],"__v":0}"#;
    let account = decode_response(
        response(200, text),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap();
    assert_eq!(
        account,
        o([
            ("_id", s("a1")),
            ("account_id", s("acct")),
            ("new_account", Value::Bool(true)),
            ("is_seed", Value::Bool(false)),
            ("integrations", Value::Null),
            (
                "nested",
                o([("x", a([n(1.0), n(2.0), o([("y", Value::Null)])]))])
            ),
            ("udf", a([])),
            ("__v", n(0.0)),
        ])
    );
}

#[test]
fn every_2xx_with_an_account_is_success() {
    for status in [200, 201, 202, 203, 299] {
        assert!(
            decode_response(
                response(status, ACCOUNT),
                Expect::Account,
                &TestPlatform(NOW_MS),
                &[]
            )
            .is_ok(),
            "{status}"
        );
    }
    for status in [199, 300, 304, 400, 404, 500] {
        let e = decode_response(
            response(status, ACCOUNT),
            Expect::Account,
            &TestPlatform(NOW_MS),
            &[],
        )
        .unwrap_err();
        assert_eq!(e.code(), "HTTP_ERROR", "{status}");
    }
}

#[test]
fn body_request_id_wins_over_header() {
    let e = decode_response(
        with_request_id(
            response(400, &fixture("400-duplicate-auth-key.json")),
            "hdr",
        ),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap_err();
    assert_eq!(e.request_id(), Some("89bd1675-a826-46cb-9210-6cb2ae169f67"));
    // A non-string request_id in the body falls back to the header.
    let e = decode_response(
        with_request_id(response(400, r#"{"request_id":42}"#), "hdr"),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap_err();
    assert_eq!(e.request_id(), Some("hdr"));
}

#[test]
fn error_code_wins_over_error() {
    let Err(Error::Http(e)) = decode_response(
        response(400, r#"{"error":"NEWER","error_code":"OLDER"}"#),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(e.api_error_code.as_deref(), Some("OLDER"));
    let Err(Error::Http(e)) = decode_response(
        response(400, r#"{"error":"NEWER","error_code":7}"#),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(e.api_error_code.as_deref(), Some("NEWER"));
}

// ---------------------------------------------------------------------------------------------
// rawBody limit

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[test]
fn two_mib_body_is_cut_to_1024_utf16_units() {
    assert_eq!(RAW_BODY_LIMIT, 1024);
    let big: String = "0123456789abcdef".repeat(2 * 1024 * 1024 / 16);
    assert_eq!(big.len(), 2 * 1024 * 1024);
    let Err(Error::Http(e)) = decode_response(
        response(502, &big),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(utf16_len(&e.raw_body), 1024);
    assert_eq!(e.raw_body, big[..1024]);

    // The same limit on DECODE_ERROR.
    let Err(Error::Decode { raw_body, .. }) = decode_response(
        response(200, &big),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(raw_body, big[..1024]);
}

#[test]
fn non_bmp_char_straddling_the_limit_is_not_split() {
    let emoji = "\u{1F600}"; // two UTF-16 units
                             // Units 1024 and 1025 would be the pair: the whole char is left out.
    let straddling = format!("{}{emoji}{}", "a".repeat(1023), "b".repeat(2 * 1024 * 1024));
    let Err(Error::Http(e)) = decode_response(
        response(503, &straddling),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    ) else {
        panic!()
    };
    assert_eq!(e.raw_body, "a".repeat(1023));
    assert_eq!(utf16_len(&e.raw_body), 1023);

    // Ending exactly on the limit keeps the pair.
    let fits = format!("{}{emoji}tail", "a".repeat(1022));
    assert_eq!(
        truncate_utf16(&fits),
        format!("{}{emoji}", "a".repeat(1022))
    );
    assert_eq!(utf16_len(&truncate_utf16(&fits)), 1024);

    // Multi-byte BMP chars count one unit each (not UTF-8 bytes).
    let accents = "é".repeat(3000);
    assert_eq!(truncate_utf16(&accents), "é".repeat(1024));
    assert_eq!(truncate_utf16("short"), "short");
    assert_eq!(truncate_utf16(""), "");
}

// ---------------------------------------------------------------------------------------------
// Secrets in HTTP errors

#[test]
fn decoder_redacts_echoed_secrets() {
    let body = format!(r#"{{"message":"bad key {SECRET}","error_code":"SERVER_ERROR"}}"#);
    let echoed = decode_response(
        response(401, &body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap_err();
    assert!(
        echoed.to_string().contains(SECRET),
        "precondition: the server echoed it"
    );
    let error = decode_response(
        response(401, &body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[SECRET, ""],
    )
    .unwrap_err();
    let Error::Http(e) = &error else { panic!() };
    assert_eq!(e.server_message.as_deref(), Some("bad key [redacted]"));
    assert!(!e.raw_body.contains(SECRET));
    assert!(e.raw_body.contains("[redacted]"));
    assert_eq!(
        error.to_string(),
        "Refold API answered HTTP 401 (SERVER_ERROR): bad key [redacted]"
    );

    let decode = decode_response(
        response(200, &format!("not json {SECRET}")),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[SECRET],
    )
    .unwrap_err();
    let Error::Decode { raw_body, .. } = &decode else {
        panic!()
    };
    assert_eq!(raw_body, "not json [redacted]");
}

#[test]
fn redaction_happens_before_the_raw_body_limit_and_skips_short_secrets() {
    // A secret straddling the 1024-unit cut is still removed whole.
    let body = format!("{}{SECRET}", "x".repeat(1020));
    let Err(Error::Http(e)) = decode_response(
        response(502, &body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[SECRET],
    ) else {
        panic!()
    };
    assert_eq!(
        e.raw_body,
        format!("{}[redacted]", "x".repeat(1020))[..1024]
    );
    // A one-letter "secret" would garble every word and reveal itself through the gaps.
    let Err(Error::Http(e)) = decode_response(
        response(400, "<html>Bad request</html>"),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &["e"],
    ) else {
        panic!()
    };
    assert_eq!(e.raw_body, "<html>Bad request</html>");
    // Redaction never pushes raw_body over its limit (each "abcdef " grows to "[redacted] ").
    let Err(Error::Http(e)) = decode_response(
        response(400, &"abcdef ".repeat(400)),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &["abcdef"],
    ) else {
        panic!()
    };
    assert_eq!(e.raw_body.encode_utf16().count(), 1024);
    assert!(e.raw_body.starts_with("[redacted] [redacted] "));
    // Touching occurrences are one run: how many there were is not told either.
    let Err(Error::Http(e)) = decode_response(
        response(400, &"abcdef".repeat(3)),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &["abcdef"],
    ) else {
        panic!()
    };
    assert_eq!(e.raw_body, "[redacted]");
}

#[test]
fn decode_error_message_contains_the_body_message() {
    // A 2xx carrying an error-shaped body (a proxy or an API quirk): DECODE_ERROR, and the
    // server's message must still reach the person reading the error.
    let body = fixture("400-duplicate-auth-key.json");
    let error = decode_response(
        response(200, &body),
        Expect::Account,
        &TestPlatform(NOW_MS),
        &[],
    )
    .unwrap_err();
    assert_eq!(error.code(), "DECODE_ERROR");
    let display = error.to_string();
    assert!(
        display.contains("Duplicate Auth key_name not allowed"),
        "{display:?}"
    );
}
