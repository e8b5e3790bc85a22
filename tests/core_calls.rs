#![cfg(not(target_arch = "wasm32"))]
//! The calls besides upsert (get, list, delete, session token) on the same core: their
//! argument checks, the exact requests they build, what their answers must be, and how
//! they retry.

mod common;

use common::*;
use refold_linked_accounts::client::{execute, secrets, TransportFailure};
use refold_linked_accounts::options::require_api_key;
use refold_linked_accounts::request::{build_request, Call, Expect, RetryPolicy};
use refold_linked_accounts::response::decode_response;
use refold_linked_accounts::validate::{
    validate_linked_account_id, validate_list_query, validate_session_token_options,
};
use refold_linked_accounts::{Error, Value};

const KEY: &str = "tk-0001";

fn api_key() -> refold_linked_accounts::ClientOptions<Value> {
    options(&o([
        ("apiKey", s(KEY)),
        ("baseUrl", s("https://app.refold.ai/")),
    ]))
}

fn id(text: &str) -> String {
    validate_linked_account_id(&s(text)).expect("a valid id")
}

fn list(query: Value) -> Call {
    Call::List(validate_list_query(&query).expect("a valid query"))
}

fn token_call(id: &str, force_refresh: bool) -> Call {
    Call::CreateSessionToken {
        linked_account_id: id.to_owned(),
        force_refresh,
    }
}

fn header_names(call: &Call) -> Vec<String> {
    build_request(call, &api_key())
        .headers
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Requests

#[test]
fn each_call_has_its_method_url_and_body() {
    let table: Vec<(Call, &str, &str, Option<serde_json::Value>)> = vec![
        (
            Call::Get(id("acct-1")),
            "GET",
            "https://app.refold.ai/api/v2/public/linked-account/acct-1",
            None,
        ),
        (
            list(Value::Undefined),
            "GET",
            "https://app.refold.ai/api/v2/public/linked-account",
            None,
        ),
        (
            list(o([("page", n(2.0)), ("limit", n(100.0))])),
            "GET",
            "https://app.refold.ai/api/v2/public/linked-account?page=2&limit=100",
            None,
        ),
        (
            // Query order is fixed (page, limit, then the filters), whatever the caller's.
            list(o([
                ("scope", s("eu west")),
                ("env_variable_value", s("a&b=c")),
                ("env_variable_name", s("plan")),
                ("limit", n(5.0)),
            ])),
            "GET",
            "https://app.refold.ai/api/v2/public/linked-account?limit=5&env_variable_name=plan\
             &env_variable_value=a%26b%3Dc&scope=eu%20west",
            None,
        ),
        (
            Call::Delete(id("acct-1")),
            "DELETE",
            "https://app.refold.ai/api/v2/public/linked-account/acct-1",
            None,
        ),
        (
            token_call("acct-1", false),
            "POST",
            "https://app.refold.ai/api/v2/public/session-token",
            Some(serde_json::json!({ "linked_account_id": "acct-1" })),
        ),
        (
            token_call("acct-1", true),
            "POST",
            "https://app.refold.ai/api/v2/public/session-token?force_refresh=true",
            Some(serde_json::json!({ "linked_account_id": "acct-1" })),
        ),
    ];
    for (call, method, url, body) in table {
        let http = build_request(&call, &api_key());
        assert_eq!(http.method, method, "{call:?}");
        assert_eq!(http.url, url, "{call:?}");
        assert_eq!(
            http.body.as_ref().map(|b| serde_json::to_value(b).unwrap()),
            body,
            "{call:?}"
        );
    }
}

#[test]
fn a_linked_account_id_is_one_percent_encoded_path_segment() {
    let table = [
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("markwood@some_email.com", "markwood%40some_email.com"),
        ("Zoë Ünal", "Zo%C3%AB%20%C3%9Cnal"),
        ("100%", "100%25"),
        ("..", ".."),
        ("a-b_c.d~e", "a-b_c.d~e"),
        ("😀", "%F0%9F%98%80"),
    ];
    for (raw, encoded) in table {
        for call in [Call::Get(id(raw)), Call::Delete(id(raw))] {
            let url = build_request(&call, &api_key()).url;
            assert_eq!(
                url,
                format!("https://app.refold.ai/api/v2/public/linked-account/{encoded}"),
                "{raw}"
            );
        }
    }
}

#[test]
fn only_calls_with_a_body_send_content_type() {
    assert_eq!(header_names(&Call::Get(id("a"))), ["accept", "x-api-key"]);
    assert_eq!(
        header_names(&list(Value::Undefined)),
        ["accept", "x-api-key"]
    );
    assert_eq!(
        header_names(&Call::Delete(id("a"))),
        ["accept", "x-api-key"]
    );
    assert_eq!(
        header_names(&token_call("a", false)),
        ["content-type", "accept", "x-api-key"]
    );
}

#[test]
fn each_call_expects_its_answer_and_retries_by_idempotency() {
    let table = [
        (Call::Get(id("a")), Expect::Account, RetryPolicy::Idempotent),
        (
            list(Value::Undefined),
            Expect::Page(None),
            RetryPolicy::Idempotent,
        ),
        (
            Call::Delete(id("a")),
            Expect::Deleted,
            RetryPolicy::Idempotent,
        ),
        (
            token_call("a", false),
            Expect::SessionToken,
            RetryPolicy::Idempotent,
        ),
        (
            token_call("a", true),
            Expect::SessionToken,
            RetryPolicy::UnlessProcessed,
        ),
    ];
    for (call, expect, retry) in table {
        let http = build_request(&call, &api_key());
        assert_eq!((http.expect, http.retry), (expect, retry), "{call:?}");
    }
}

#[test]
fn only_upsert_and_get_take_a_session_token() {
    let session = options(&o([("sessionToken", s("st-SECRET-1"))]));
    let calls = [
        (Call::Get(id("a")), true),
        (list(Value::Undefined), false),
        (Call::Delete(id("a")), false),
        (token_call("a", false), false),
    ];
    for (call, allowed) in calls {
        assert_eq!(!call.needs_api_key(), allowed, "{call:?}");
    }
    let Err(issues) = require_api_key(session, "deleteLinkedAccount") else {
        panic!("a session token must be refused");
    };
    assert_eq!(briefs(&issues), [at(&["sessionToken"], "conflict")]);
    assert_eq!(
        issues[0].message,
        "deleteLinkedAccount needs the org apiKey (server side): Refold does not accept a \
         session token for it"
    );
    assert!(require_api_key(api_key(), "deleteLinkedAccount").is_ok());
    // A proxy adds the key itself.
    let proxy = options(&o([("baseUrl", s("https://proxy.example.com"))]));
    assert!(require_api_key(proxy, "deleteLinkedAccount").is_ok());
}

#[test]
fn the_credential_is_the_only_secret_of_the_other_calls() {
    let opts = api_key();
    for call in [
        Call::Get(id("a")),
        Call::Delete(id("a")),
        token_call("a", true),
    ] {
        assert_eq!(secrets(&call, &opts), [KEY]);
        let debug = format!("{:?}", build_request(&call, &opts));
        assert!(!debug.contains(KEY), "{debug}");
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments

#[test]
fn linked_account_id_arguments_follow_the_request_field_rules() {
    let table: Vec<(Value, Vec<Brief>)> = vec![
        (s("acct-1"), vec![]),
        (s(" a "), vec![]),
        (
            Value::Undefined,
            vec![at(&["linked_account_id"], "required")],
        ),
        (n(42.0), vec![at(&["linked_account_id"], "invalid_type")]),
        (
            Value::Null,
            vec![at(&["linked_account_id"], "invalid_type")],
        ),
        (s(""), vec![at(&["linked_account_id"], "too_small")]),
        (s("   "), vec![at(&["linked_account_id"], "too_small")]),
        (
            s(" \t"),
            vec![
                at(&["linked_account_id"], "too_small"),
                at(&["linked_account_id"], "invalid_string"),
            ],
        ),
        (
            s("a\nb"),
            vec![at(&["linked_account_id"], "invalid_string")],
        ),
        (
            Value::BrokenString,
            vec![at(&["linked_account_id"], "invalid_string")],
        ),
    ];
    for (value, expected) in table {
        let got = validate_linked_account_id(&value);
        match got {
            Ok(got) => {
                assert!(expected.is_empty(), "{value:?}");
                assert_eq!(Value::String(got), value);
            }
            Err(issues) => assert_eq!(briefs(&issues), expected, "{value:?}"),
        }
    }
    let Err(issues) = validate_linked_account_id(&n(1.0)) else {
        panic!()
    };
    assert_eq!(issues[0].message, "expected string, received number");
}

#[test]
fn an_id_in_a_path_is_not_a_dot_segment() {
    use refold_linked_accounts::validate::validate_linked_account_id_in_path;
    for dots in [".", ".."] {
        let issues = validate_linked_account_id_in_path(&s(dots)).unwrap_err();
        assert_eq!(
            briefs(&issues),
            [at(&["linked_account_id"], "invalid_string")]
        );
        assert_eq!(
            issues[0].message,
            "linked_account_id \".\" or \"..\" cannot be sent in a URL path: URL parsing removes \
             it as a dot segment"
        );
        // In a body (a session token's) it is an ordinary id.
        assert_eq!(validate_linked_account_id(&s(dots)).unwrap(), dots);
    }
    for fine in ["...", ".a", "a.", "%2E"] {
        assert_eq!(validate_linked_account_id_in_path(&s(fine)).unwrap(), fine);
    }
}

#[test]
fn list_queries_are_checked_before_sending() {
    let table: Vec<(Value, Vec<Brief>)> = vec![
        (Value::Undefined, vec![]),
        (o([]), vec![]),
        (
            o([
                ("page", n(1.0)),
                ("limit", n(100.0)),
                ("env_variable_name", s("plan")),
                ("env_variable_value", s("pro")),
                ("scope", s("eu")),
            ]),
            vec![],
        ),
        // undefined counts as absent, as everywhere.
        (o([("page", Value::Undefined)]), vec![]),
        (o([("page", s("2"))]), vec![at(&["page"], "invalid_type")]),
        (o([("page", n(0.0))]), vec![at(&["page"], "too_small")]),
        (o([("page", n(1.5))]), vec![at(&["page"], "invalid_type")]),
        (
            o([("page", n(f64::NAN))]),
            vec![at(&["page"], "not_finite")],
        ),
        (o([("limit", n(0.0))]), vec![at(&["limit"], "too_small")]),
        (o([("limit", n(101.0))]), vec![at(&["limit"], "too_big")]),
        (
            o([("env_variable_nme", s("plan"))]),
            vec![at(&["env_variable_nme"], "unrecognized_key")],
        ),
        (o([("scope", s(""))]), vec![at(&["scope"], "too_small")]),
        (o([("scope", n(1.0))]), vec![at(&["scope"], "invalid_type")]),
        (
            o([("env_variable_value", s("a\u{0}"))]),
            vec![at(&["env_variable_value"], "invalid_string")],
        ),
        (
            o([("page", s("2")), ("limt", n(3.0))]),
            vec![
                at(&["page"], "invalid_type"),
                at(&["limt"], "unrecognized_key"),
            ],
        ),
        (s("page=2"), vec![at(&[], "invalid_type")]),
        (Value::Null, vec![at(&[], "invalid_type")]),
    ];
    for (value, expected) in table {
        match validate_list_query(&value) {
            Ok(_) => assert!(expected.is_empty(), "{value:?} should fail"),
            Err(issues) => assert_eq!(briefs(&issues), expected, "{value:?}"),
        }
    }
    let Err(issues) = validate_list_query(&o([("limt", n(3.0))])) else {
        panic!()
    };
    assert_eq!(
        issues[0].message,
        "unrecognized key \"limt\"; did you mean \"limit\"?"
    );
    let Err(issues) = validate_list_query(&o([("limit", n(101.0))])) else {
        panic!()
    };
    assert_eq!(issues[0].message, "limit must be an integer from 1 to 100");
}

#[test]
fn session_token_options_take_only_force_refresh() {
    assert!(
        !validate_session_token_options(&Value::Undefined)
            .unwrap()
            .force_refresh
    );
    assert!(
        validate_session_token_options(&o([("forceRefresh", Value::Bool(true))]))
            .unwrap()
            .force_refresh
    );
    let table: Vec<(Value, Vec<Brief>)> = vec![
        (
            o([("forceRefresh", s("yes"))]),
            vec![at(&["forceRefresh"], "invalid_type")],
        ),
        (
            o([("force_refresh", Value::Bool(true))]),
            vec![at(&["force_refresh"], "unrecognized_key")],
        ),
        (Value::Bool(true), vec![at(&[], "invalid_type")]),
    ];
    for (value, expected) in table {
        let issues = validate_session_token_options(&value).unwrap_err();
        assert_eq!(briefs(&issues), expected, "{value:?}");
    }
    let issues =
        validate_session_token_options(&o([("force_refresh", Value::Bool(true))])).unwrap_err();
    assert_eq!(
        issues[0].message,
        "unrecognized key \"force_refresh\"; did you mean \"forceRefresh\"?"
    );
}

#[test]
fn a_validation_error_names_the_function() {
    let issues = validate_list_query(&o([("limit", n(0.0))])).unwrap_err();
    let error: Error = Error::ValidationFailed {
        issues,
        function: "listLinkedAccounts",
    };
    assert_eq!(
        error.message(),
        "invalid listLinkedAccounts request, nothing was sent: 1 issue: limit: limit must be an \
         integer from 1 to 100"
    );
    let session = options(&o([("sessionToken", s("st-SECRET-1"))]));
    let issues = require_api_key(session, "deleteLinkedAccount").unwrap_err();
    let error: Error = Error::InvalidOptions {
        issues,
        function: "deleteLinkedAccount",
    };
    assert_eq!(
        error.message(),
        "invalid client options of deleteLinkedAccount, nothing was sent: 1 issue: sessionToken: \
         deleteLinkedAccount needs the org apiKey (server side): Refold does not accept a session \
         token for it"
    );
}

// ---------------------------------------------------------------------------------------------
// Answers

const PAGE: &str = r#"{"docs":[{"_id":"63cabcc596d0d10508a69bdf","account_id":"acct-1","udf":[],"__v":0}],"totalDocs":11,"limit":10,"totalPages":2,"page":2,"pagingCounter":11,"hasPrevPage":true,"hasNextPage":false,"prevPage":1,"nextPage":null}"#;
const TOKEN: &str = r#"{"token":"eyJ.SESSION-SECRET.sig","refresh_token":"eyJ.REFRESH-SECRET.sig","expires_in":86400,"refresh_expires_in":604800}"#;

fn decode(expect: Expect, status: u16, text: &str) -> Result<Value, Error> {
    decode_response(response(status, text), expect, &TestPlatform(0.0), &[KEY])
}

fn decode_reason(expect: Expect, text: &str) -> String {
    match decode(expect, 200, text) {
        Err(e @ Error::Decode { .. }) => e.message(),
        other => panic!("expected DECODE_ERROR for {text}, got {other:?}"),
    }
}

#[test]
fn good_answers_are_returned_as_sent() {
    let with_integrations = r#"{"_id":"63cabcc596d0d10508a69bdf","account_id":"acct-1","udf":[],"__v":3,"integrations":[{"slug":"hubspot","extra":1}]}"#;
    let table = [
        (Expect::Account, with_integrations),
        (Expect::Page(Some(2)), PAGE),
        (
            Expect::Page(None),
            r#"{"docs":[],"totalDocs":0,"limit":10,"totalPages":1,"page":1,"pagingCounter":1,"hasPrevPage":false,"hasNextPage":false,"prevPage":null,"nextPage":null}"#,
        ),
        (
            Expect::Deleted,
            r#"{"message":"User deleted successfully"}"#,
        ),
        (Expect::SessionToken, TOKEN),
        // Older API versions send the token alone.
        (Expect::SessionToken, r#"{"token":"eyJ.a.b"}"#),
    ];
    for (expect, text) in table {
        assert_eq!(decode(expect, 200, text).ok(), parse_body(text), "{text}");
    }
}

#[test]
fn malformed_answers_are_decode_errors_that_say_what_was_wrong() {
    let not_page = "Refold API answered HTTP 200 but the body is not a page of linked accounts \
                    (docs must be an array of linked accounts; totalDocs, limit, totalPages, page \
                    and pagingCounter non-negative integers; hasPrevPage and hasNextPage \
                    booleans; prevPage and nextPage integers or null)";
    let table = [
        (Expect::Page(None), PAGE.replace(r#""docs":["#, r#""docs":{"x":["#).replace("}],", "}]},"), not_page),
        (Expect::Page(None), PAGE.replace(r#""hasNextPage":false,"#, ""), not_page),
        (Expect::Page(None), PAGE.replace(r#""page":2"#, r#""page":"2""#), not_page),
        (Expect::Page(None), PAGE.replace(r#""__v":0"#, r#""__v":-1"#), not_page),
        (
            Expect::Deleted,
            r#"{"ok":true}"#.to_owned(),
            "Refold API answered HTTP 200 but the body is not a delete confirmation ({ message: string })",
        ),
        (
            Expect::Deleted,
            String::new(),
            "Refold API answered HTTP 200 but the body is empty",
        ),
    ];
    for (expect, text, message) in table {
        assert_eq!(decode_reason(expect, &text), message, "{text}");
    }
    // A page walk asks for page n: a server that ignores ?page= must not hand it page 1 again.
    assert_eq!(
        decode_reason(Expect::Page(Some(3)), PAGE),
        "Refold API answered HTTP 200 but the body is page 2, not page 3 that was asked for (the \
         server did not apply ?page=)"
    );
    let bad_integrations = ACCOUNT.replace(r#""__v":0"#, r#""__v":0,"integrations":[{"type":7}]"#);
    assert_eq!(
        decode_reason(Expect::Account, &bad_integrations),
        "Refold API answered HTTP 200 but the body is not a linked account (udf must be an array \
         of entries, __v a non-negative integer, and the other fields strings)"
    );
}

#[test]
fn a_session_token_answer_that_fails_to_decode_keeps_no_text() {
    // Not a token shape, but it holds one: none of it may reach the error.
    let text = r#"{"token":{"value":"eyJ.SESSION-SECRET.sig"},"message":"eyJ.SESSION-SECRET.sig","request_id":"eyJ.SESSION-SECRET.sig"}"#;
    let r = with_request_id(response(200, text), "req-7");
    let error = decode_response(r, Expect::SessionToken, &TestPlatform(0.0), &[KEY]).unwrap_err();
    let Error::Decode {
        raw_body,
        request_id,
        server_message,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(raw_body, "");
    assert_eq!(server_message, &None);
    assert_eq!(request_id.as_deref(), Some("req-7"));
    assert_eq!(
        error.message(),
        "Refold API answered HTTP 200 but the body is not a session token ({ token: a non-empty \
         string of visible ASCII, … }); its text is not kept, as it may hold one [request_id \
         req-7]"
    );
    // A token that could not be sent back as the sessionToken option is no token.
    for text in [
        r#"{"token":""}"#,
        r#"{"token":"eyJ a.b"}"#,
        r#"{"token":"eyJ.é.b"}"#,
    ] {
        let error = decode(Expect::SessionToken, 200, text).unwrap_err();
        assert_eq!(error.code(), "DECODE_ERROR", "{text}");
    }
    // A non-2xx of the same call keeps its text as usual (it holds no token).
    let Err(Error::Http(e)) = decode(
        Expect::SessionToken,
        400,
        r#"{"error":"INVALID_LINKED_ACCOUNT_ID","message":"Invalid linked_account_id"}"#,
    ) else {
        panic!()
    };
    assert_eq!(
        e.server_message.as_deref(),
        Some("Invalid linked_account_id")
    );
}

// ---------------------------------------------------------------------------------------------
// Retries

fn run(call: &Call, script: Vec<Outcome>) -> (Result<Value, Error>, usize) {
    let opts = options(&o([("apiKey", s(KEY)), ("maxRetries", n(3.0))]));
    let http = build_request(call, &opts);
    let mut transport = FakeTransport::new(script);
    let result = block_on(execute(&mut transport, &http, &opts, &[KEY]));
    (result, transport.sent.len())
}

fn timeout() -> Outcome {
    Err(TransportFailure::Timeout)
}

#[test]
fn a_forced_session_token_is_retried_only_when_the_server_did_not_act() {
    let forced = token_call("a", true);
    // 408, 429 and 503 say the request was not acted on: retried.
    for status in [408, 429, 503] {
        let (result, sent) = run(
            &forced,
            vec![Ok(response(status, "")), Ok(response(200, TOKEN))],
        );
        assert!(result.is_ok(), "{status}");
        assert_eq!(sent, 2, "{status}");
    }
    // These may come after a token was minted: one attempt, and not retryable.
    let once: Vec<Outcome> = vec![
        timeout(),
        network("socket hang up"),
        Ok(response(502, "")),
        Ok(response(504, "")),
    ];
    for outcome in once {
        let label = format!("{outcome:?}");
        let (result, sent) = run(&forced, vec![outcome]);
        let error = result.unwrap_err();
        assert_eq!(sent, 1, "{label}");
        assert_eq!(error.attempts(), Some(1), "{label}");
        assert!(!error.retryable(), "{label}");
    }
    // Without forceRefresh the server hands back the valid token: retried like any call.
    let (result, sent) = run(
        &token_call("a", false),
        vec![timeout(), Ok(response(200, TOKEN))],
    );
    assert!(result.is_ok());
    assert_eq!(sent, 2);
}

#[test]
fn get_list_and_delete_retry_like_upsert() {
    let table = [
        (Call::Get(id("a")), ACCOUNT),
        (list(Value::Undefined), PAGE),
        (
            Call::Delete(id("a")),
            r#"{"message":"User deleted successfully"}"#,
        ),
    ];
    for (call, ok) in table {
        let (result, sent) = run(
            &call,
            vec![
                timeout(),
                network("ECONNRESET"),
                Ok(response(502, "")),
                Ok(response(200, ok)),
            ],
        );
        assert_eq!(result.ok(), parse_body(ok), "{call:?}");
        assert_eq!(sent, 4, "{call:?}");
    }
}

#[test]
fn a_delete_that_finds_nothing_after_a_lost_answer_says_so() {
    let not_found = r#"{"status_code":404,"error":"NOT_FOUND","message":"Linked Account with account id a not found"}"#;
    let (result, sent) = run(
        &Call::Delete(id("a")),
        vec![timeout(), Ok(response(404, not_found))],
    );
    assert_eq!(sent, 2);
    let Err(Error::Http(e)) = &result else {
        panic!("{result:?}")
    };
    assert_eq!((e.status, e.attempts, e.unanswered_attempts), (404, 2, 1));
    assert_eq!(
        result.unwrap_err().message(),
        "Refold API answered HTTP 404 (NOT_FOUND): Linked Account with account id a not found; \
         1 earlier attempt got no answer (timeout or network error): the server may have acted \
         on it"
    );
    // A 503 is an answer: the server says it did not act.
    let (result, _) = run(
        &Call::Delete(id("a")),
        vec![Ok(response(503, "")), Ok(response(404, not_found))],
    );
    let Err(Error::Http(e)) = result else {
        panic!()
    };
    assert_eq!((e.attempts, e.unanswered_attempts), (2, 0));
}
