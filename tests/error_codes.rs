#![cfg(not(target_arch = "wasm32"))]
//! The codes are semver API. The TypeScript the package ships is generated from the serde
//! form of the Rust types (tsify), and `tests/types/consumer.ts` pins its `ErrorCode` and
//! `IssueCode` unions to the documented lists; this checks the Rust side of that chain: each
//! error variant serializes with the `code` its `code()` names, every code of `ERROR_CODES`
//! is one of them, and each issue code serializes as `as_str()`.

use refold_linked_accounts::{Error, HttpError, IssueCode, Value, ERROR_CODES};

fn one_of_each() -> Vec<Error<Value>> {
    vec![
        Error::ValidationFailed {
            issues: vec![],
            function: "upsertLinkedAccount",
        },
        Error::InvalidOptions {
            issues: vec![],
            function: "upsertLinkedAccount",
        },
        Error::Http(Box::new(HttpError {
            attempts: 1,
            retryable: false,
            status: 400,
            api_error_code: None,
            http_error_type: None,
            server_message: None,
            request_id: None,
            body: None,
            raw_body: String::new(),
            retry_after_ms: None,
            unanswered_attempts: 0,
        })),
        Error::Network {
            attempts: 1,
            retryable: true,
            detail: String::new(),
            cause: Some(Value::str("the JS error")),
        },
        Error::Timeout {
            attempts: 1,
            retryable: true,
            timeout_ms: 5,
        },
        Error::Aborted {
            attempts: 0,
            retryable: false,
            cause: Some(Value::str("the signal's reason")),
        },
        Error::Decode {
            attempts: 1,
            retryable: false,
            status: 200,
            reason: String::new(),
            server_message: None,
            raw_body: String::new(),
            request_id: None,
        },
    ]
}

#[test]
fn every_error_serializes_with_its_code_and_every_code_has_a_variant() {
    let errors = one_of_each();
    let codes: Vec<&str> = errors.iter().map(Error::code).collect();
    assert_eq!(codes, ERROR_CODES);
    for error in &errors {
        let json = serde_json::to_value(error).unwrap();
        assert_eq!(json["code"], error.code(), "{json}");
    }
}

#[test]
fn errors_serialize_the_fields_of_their_code_in_camel_case() {
    let keys = |e: &Error<Value>| -> Vec<String> {
        let json = serde_json::to_value(e).unwrap();
        json.as_object().unwrap().keys().cloned().collect()
    };
    let errors = one_of_each();
    assert_eq!(keys(&errors[0]), ["code", "issues"]);
    assert_eq!(
        keys(&errors[2]),
        [
            "code",
            "attempts",
            "retryable",
            "status",
            "apiErrorCode",
            "httpErrorType",
            "requestId",
            "body",
            "rawBody",
            "retryAfterMs",
            "unansweredAttempts"
        ]
    );
    assert_eq!(keys(&errors[3]), ["code", "attempts", "retryable", "cause"]);
    assert_eq!(
        keys(&errors[4]),
        ["code", "attempts", "retryable", "timeoutMs"]
    );
    assert_eq!(keys(&errors[5]), ["code", "attempts", "retryable", "cause"]);
    // A cause that was `undefined` is left out, so JS reads it as `undefined` again.
    let no_cause: Error<Value> = Error::Aborted {
        attempts: 0,
        retryable: false,
        cause: None,
    };
    assert_eq!(keys(&no_cause), ["code", "attempts", "retryable"]);
    assert_eq!(
        keys(&errors[6]),
        [
            "code",
            "attempts",
            "retryable",
            "status",
            "rawBody",
            "requestId"
        ]
    );
}

#[test]
fn every_issue_code_serializes_as_its_name() {
    let names: Vec<String> = IssueCode::ALL
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: Vec<&str> = IssueCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(names, expected);
    assert_eq!(
        expected,
        [
            "required",
            "invalid_type",
            "too_small",
            "too_big",
            "invalid_string",
            "unrecognized_key",
            "duplicate_key",
            "not_finite",
            "conflict"
        ]
    );
}
