#![cfg(not(target_arch = "wasm32"))]
//! `validate::validate` against every row and every "Precisely" bullet of docs/contract.md,
//! Request rules.

mod common;

use common::*;
use refold_linked_accounts::validate::UdfValue;
use refold_linked_accounts::{
    validate, Error, IssueCode, Kind, PathSegment, ValidationIssue, Value,
};

/// A request with a valid id plus `extra` fields.
fn req<const N: usize>(extra: [(&str, Value); N]) -> Value {
    let mut entries = vec![("linked_account_id".to_owned(), s("acct-1"))];
    entries.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Value::Object(entries)
}

/// A request with `your_app` set to `app`.
fn with_app(app: Value) -> Value {
    req([("your_app", app)])
}

/// A request with `your_app.auth_credentials` set to `creds`.
fn with_creds(creds: Value) -> Value {
    with_app(o([("auth_credentials", creds)]))
}

/// A request with `udf` set to `udf`.
fn with_udf(udf: Value) -> Value {
    req([("udf", udf)])
}

fn check_table(table: Vec<(&str, Value, Vec<Brief>)>) {
    for (name, input, expected) in table {
        match validate(&input) {
            Ok(v) => assert!(
                expected.is_empty(),
                "{name}: valid ({v:?}), expected {expected:?}"
            ),
            Err(issues) => {
                assert!(!issues.is_empty(), "{name}: Err with no issues");
                assert_eq!(briefs(&issues), expected, "{name}");
            }
        }
    }
}

fn message_of(input: &Value) -> Vec<String> {
    validate(input)
        .expect_err("invalid")
        .into_iter()
        .map(|i| i.message)
        .collect()
}

const IT: &str = "invalid_type";

// ---------------------------------------------------------------------------------------------
// (the value)

#[test]
fn not_a_plain_object() {
    let cases = [
        (
            "null",
            Value::Null,
            "expected a plain object, received null",
        ),
        (
            "undefined",
            Value::Undefined,
            "expected a plain object, received undefined",
        ),
        ("array", a([]), "expected a plain object, received array"),
        (
            "array of objects",
            a([o([("linked_account_id", s("x"))])]),
            "expected a plain object, received array",
        ),
        (
            "Map",
            opaque(Kind::Map),
            "expected a plain object, received Map",
        ),
        (
            "Set",
            opaque(Kind::Set),
            "expected a plain object, received Set",
        ),
        (
            "Date",
            opaque(Kind::Date),
            "expected a plain object, received Date",
        ),
        (
            "class instance",
            opaque(Kind::OtherObject),
            "expected a plain object, received class instance",
        ),
        (
            "string",
            s("{\"linked_account_id\":\"x\"}"),
            "expected a plain object, received string",
        ),
        ("number", n(1.0), "expected a plain object, received number"),
        (
            "boolean",
            Value::Bool(true),
            "expected a plain object, received boolean",
        ),
        (
            "bigint",
            opaque(Kind::BigInt),
            "expected a plain object, received bigint",
        ),
        (
            "function",
            opaque(Kind::Function),
            "expected a plain object, received function",
        ),
    ];
    for (name, input, message) in cases {
        let issues = validate(&input).expect_err(name);
        assert_eq!(
            issues,
            vec![ValidationIssue {
                path: vec![],
                code: IssueCode::InvalidType,
                message: message.to_owned(),
            }],
            "{name}"
        );
        assert_eq!(issues[0].path_string(), "(root)");
    }
}

// ---------------------------------------------------------------------------------------------
// linked_account_id

#[test]
fn linked_account_id_rules() {
    let id = |v: Value| o([("linked_account_id", v)]);
    let p = ["linked_account_id"];
    check_table(vec![
        ("missing", o([]), vec![at(&p, "required")]),
        ("undefined", id(Value::Undefined), vec![at(&p, "required")]),
        ("number", id(n(12345678.0)), vec![at(&p, IT)]),
        ("null", id(Value::Null), vec![at(&p, IT)]),
        ("boolean", id(Value::Bool(true)), vec![at(&p, IT)]),
        ("object", id(o([])), vec![at(&p, IT)]),
        ("array", id(a([s("x")])), vec![at(&p, IT)]),
        ("bigint", id(opaque(Kind::BigInt)), vec![at(&p, IT)]),
        ("empty", id(s("")), vec![at(&p, "too_small")]),
        ("spaces", id(s("   ")), vec![at(&p, "too_small")]),
        // JS trim() removes U+FEFF (ZWNBSP) and all Zs / line terminators.
        ("U+FEFF only", id(s("\u{feff}")), vec![at(&p, "too_small")]),
        (
            "every JS non-control whitespace",
            id(s("\u{20}\u{a0}\u{1680}\u{2000}\u{2005}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{feff}")),
            vec![at(&p, "too_small")],
        ),
        // U+0085 is not JS whitespace: it is a control character, so not "empty".
        ("U+0085 only", id(s("\u{85}")), vec![at(&p, "invalid_string")]),
        ("U+0085 inside", id(s("a\u{85}b")), vec![at(&p, "invalid_string")]),
        // Whitespace that is also a control char breaks both rules.
        ("tab only", id(s("\t")), vec![at(&p, "too_small"), at(&p, "invalid_string")]),
        ("CRLF only", id(s("\r\n")), vec![at(&p, "too_small"), at(&p, "invalid_string")]),
        ("U+0000", id(s("a\u{0}b")), vec![at(&p, "invalid_string")]),
        ("U+001F", id(s("a\u{1f}b")), vec![at(&p, "invalid_string")]),
        ("U+007F", id(s("a\u{7f}b")), vec![at(&p, "invalid_string")]),
        ("U+009F", id(s("a\u{9f}b")), vec![at(&p, "invalid_string")]),
        ("trailing newline", id(s("acct-1\n")), vec![at(&p, "invalid_string")]),
        ("lone surrogate", id(Value::BrokenString), vec![at(&p, "invalid_string")]),
        // Boundaries that are fine.
        ("U+0020 inside", id(s("a b")), vec![]),
        ("U+007E", id(s("~")), vec![]),
        ("U+00A0 inside", id(s("a\u{a0}b")), vec![]),
        ("U+00A0 around text", id(s("\u{a0}x\u{a0}")), vec![]),
        // Not whitespace for JS trim(): U+200B and U+180E.
        ("U+200B only", id(s("\u{200b}")), vec![]),
        ("U+180E only", id(s("\u{180e}")), vec![]),
        ("padded", id(s("  acct-1  ")), vec![]),
        ("email", id(s("markwood@some_email.com")), vec![]),
        ("non-BMP", id(s("\u{1F600}")), vec![]),
    ]);
}

#[test]
fn linked_account_id_messages() {
    assert_eq!(
        message_of(&o([])),
        vec![
            "linked_account_id is required: the customer's unique id in your system, e.g. an email"
        ]
    );
    assert_eq!(
        message_of(&o([("linked_account_id", n(1.0))])),
        vec!["expected string, received number"]
    );
    assert_eq!(
        message_of(&o([("linked_account_id", s(" "))])),
        vec!["linked_account_id must not be empty or whitespace only"]
    );
    assert_eq!(
        message_of(&o([("linked_account_id", s("a\u{0}"))])),
        vec![
            "linked_account_id must not contain control characters (U+0000–U+001F, U+007F–U+009F)"
        ]
    );
    assert_eq!(
        message_of(&o([("linked_account_id", Value::BrokenString)])),
        vec!["holds a lone UTF-16 surrogate, which is not valid Unicode and cannot be sent"]
    );
}

#[test]
fn linked_account_id_is_kept_as_given() {
    // Trimming decides emptiness only; the id is sent unchanged.
    let v = valid(&o([("linked_account_id", s("  acct-1  "))]));
    assert_eq!(v.linked_account_id, "  acct-1  ");
}

// ---------------------------------------------------------------------------------------------
// name

#[test]
fn name_rules() {
    let p = ["name"];
    check_table(vec![
        ("null", req([("name", Value::Null)]), vec![at(&p, IT)]),
        ("number", req([("name", n(1.0))]), vec![at(&p, IT)]),
        ("object", req([("name", o([]))]), vec![at(&p, IT)]),
        (
            "lone surrogate",
            req([("name", Value::BrokenString)]),
            vec![at(&p, "invalid_string")],
        ),
        (
            "undefined is absent",
            req([("name", Value::Undefined)]),
            vec![],
        ),
        ("empty string is a string", req([("name", s(""))]), vec![]),
        ("string", req([("name", s("Mark Wood"))]), vec![]),
    ]);
    assert_eq!(
        message_of(&req([("name", Value::Null)])),
        vec!["expected string, received null"]
    );
    assert_eq!(valid(&req([("name", Value::Undefined)])).name, None);
    assert_eq!(valid(&req([("name", s(""))])).name.as_deref(), Some(""));
}

// ---------------------------------------------------------------------------------------------
// your_app

#[test]
fn your_app_rules() {
    let app = ["your_app"];
    let creds = ["your_app", "auth_credentials"];
    let ok_creds = || o([("x-api-key", s("k"))]);
    check_table(vec![
        ("string", with_app(s("app")), vec![at(&app, IT)]),
        ("null", with_app(Value::Null), vec![at(&app, IT)]),
        ("number", with_app(n(1.0)), vec![at(&app, IT)]),
        ("array", with_app(a([])), vec![at(&app, IT)]),
        ("Map", with_app(opaque(Kind::Map)), vec![at(&app, IT)]),
        (
            "class instance",
            with_app(opaque(Kind::OtherObject)),
            vec![at(&app, IT)],
        ),
        ("undefined is absent", with_app(Value::Undefined), vec![]),
        ("{}", with_app(o([])), vec![at(&creds, "required")]),
        (
            "auth_credentials undefined",
            with_app(o([("auth_credentials", Value::Undefined)])),
            vec![at(&creds, "required")],
        ),
        (
            "only app_id",
            with_app(o([("app_id", s("app-1"))])),
            vec![at(&creds, "required")],
        ),
        (
            "appId suggests app_id",
            with_app(o([("auth_credentials", ok_creds()), ("appId", s("a"))])),
            vec![at(&["your_app", "appId"], "unrecognized_key")],
        ),
        (
            "authCredentials suggests auth_credentials (and the real one is missing)",
            with_app(o([("authCredentials", ok_creds())])),
            vec![
                at(&["your_app", "authCredentials"], "unrecognized_key"),
                at(&creds, "required"),
            ],
        ),
        (
            "unknown key with undefined value is absent",
            with_app(o([
                ("auth_credentials", ok_creds()),
                ("extra", Value::Undefined),
            ])),
            vec![],
        ),
        (
            "app_id empty",
            with_app(o([("auth_credentials", ok_creds()), ("app_id", s(""))])),
            vec![at(&["your_app", "app_id"], "too_small")],
        ),
        (
            "app_id whitespace",
            with_app(o([
                ("auth_credentials", ok_creds()),
                ("app_id", s(" \u{feff}")),
            ])),
            vec![at(&["your_app", "app_id"], "too_small")],
        ),
        (
            "app_id number",
            with_app(o([("auth_credentials", ok_creds()), ("app_id", n(7.0))])),
            vec![at(&["your_app", "app_id"], IT)],
        ),
        (
            "app_id null",
            with_app(o([
                ("auth_credentials", ok_creds()),
                ("app_id", Value::Null),
            ])),
            vec![at(&["your_app", "app_id"], IT)],
        ),
        (
            "app_id lone surrogate",
            with_app(o([
                ("auth_credentials", ok_creds()),
                ("app_id", Value::BrokenString),
            ])),
            vec![at(&["your_app", "app_id"], "invalid_string")],
        ),
        (
            "app_id empty and no credentials",
            with_app(o([("app_id", s(""))])),
            vec![
                at(&["your_app", "app_id"], "too_small"),
                at(&creds, "required"),
            ],
        ),
        (
            "app_id undefined is absent",
            with_app(o([
                ("auth_credentials", ok_creds()),
                ("app_id", Value::Undefined),
            ])),
            vec![],
        ),
        (
            "valid with app_id",
            with_app(o([
                ("app_id", s("app-1")),
                ("auth_credentials", ok_creds()),
            ])),
            vec![],
        ),
    ]);
}

#[test]
fn your_app_messages() {
    assert_eq!(
        message_of(&with_app(o([
            ("auth_credentials", o([("k", s("v"))])),
            ("appId", s("a"))
        ]))),
        vec!["unrecognized key \"appId\"; did you mean \"app_id\"?"]
    );
    assert_eq!(
        message_of(&with_app(o([]))),
        vec!["your_app needs auth_credentials: Refold rejects a your_app without them (leave your_app out instead)"]
    );
    assert_eq!(
        message_of(&with_app(s("x"))),
        vec!["expected an object with auth_credentials, received string"]
    );
    assert_eq!(
        message_of(&with_app(o([
            ("auth_credentials", o([("k", s("v"))])),
            ("app_id", s(""))
        ]))),
        vec!["app_id must not be empty or whitespace only"]
    );
}

// ---------------------------------------------------------------------------------------------
// your_app.auth_credentials

#[test]
fn auth_credentials_rules() {
    let c = ["your_app", "auth_credentials"];
    let ck = |k: &'static str| -> Vec<&'static str> { vec!["your_app", "auth_credentials", k] };
    check_table(vec![
        ("string", with_creds(s("k=v")), vec![at(&c, IT)]),
        ("null", with_creds(Value::Null), vec![at(&c, IT)]),
        ("array", with_creds(a([s("k")])), vec![at(&c, IT)]),
        ("Map", with_creds(opaque(Kind::Map)), vec![at(&c, IT)]),
        ("number", with_creds(n(1.0)), vec![at(&c, IT)]),
        ("{}", with_creds(o([])), vec![at(&c, "too_small")]),
        (
            "only undefined values",
            with_creds(o([("a", Value::Undefined), ("b", Value::Undefined)])),
            vec![at(&c, "too_small")],
        ),
        (
            "empty key",
            with_creds(o([("", s("v"))])),
            vec![at(&ck(""), "too_small")],
        ),
        (
            "space key",
            with_creds(o([(" ", s("v"))])),
            vec![at(&ck(" "), "too_small")],
        ),
        (
            "U+FEFF key",
            with_creds(o([("\u{feff}", s("v"))])),
            vec![at(&ck("\u{feff}"), "too_small")],
        ),
        (
            "number value",
            with_creds(o([("k", n(1.0))])),
            vec![at(&ck("k"), IT)],
        ),
        (
            "null value",
            with_creds(o([("k", Value::Null)])),
            vec![at(&ck("k"), IT)],
        ),
        (
            "boolean value",
            with_creds(o([("k", Value::Bool(true))])),
            vec![at(&ck("k"), IT)],
        ),
        (
            "object value",
            with_creds(o([("k", o([]))])),
            vec![at(&ck("k"), IT)],
        ),
        (
            "lone surrogate value",
            with_creds(o([("k", Value::BrokenString)])),
            vec![at(&ck("k"), "invalid_string")],
        ),
        (
            "duplicate ignoring ASCII case: issue at the later key",
            with_creds(o([
                ("x-api-key", s("a")),
                ("base-url", s("u")),
                ("X-Api-Key", s("b")),
            ])),
            vec![at(&ck("X-Api-Key"), "duplicate_key")],
        ),
        (
            "duplicate where the later is lower case",
            with_creds(o([("TOKEN", s("a")), ("token", s("b"))])),
            vec![at(&ck("token"), "duplicate_key")],
        ),
        (
            "three keys equal ignoring case: one issue per later key",
            with_creds(o([
                ("a", s("1")),
                ("A", s("2")),
                ("b", s("3")),
                ("B", s("4")),
            ])),
            vec![at(&ck("A"), "duplicate_key"), at(&ck("B"), "duplicate_key")],
        ),
        (
            "an undefined value counts as absent (no duplicate)",
            with_creds(o([("x-api-key", s("a")), ("X-API-KEY", Value::Undefined)])),
            vec![],
        ),
        (
            "non-ASCII letters differ in case only outside ASCII: not duplicates",
            with_creds(o([("Ä", s("1")), ("ä", s("2"))])),
            vec![],
        ),
        (
            "duplicate with a non-string value: both rules",
            with_creds(o([("k", s("1")), ("K", n(2.0))])),
            vec![at(&ck("K"), "duplicate_key"), at(&ck("K"), IT)],
        ),
        (
            "free-form keys",
            with_creds(o([
                ("x-api-key", s("k")),
                ("base-url", s("https://x")),
                ("email", s("")),
                ("password", s(" ")),
            ])),
            vec![],
        ),
    ]);
    assert_eq!(
        message_of(&with_creds(o([("x-api-key", s("a")), ("X-Api-Key", s("b"))]))),
        vec!["credential key \"X-Api-Key\" repeats \"x-api-key\" ignoring case; Refold rejects duplicate key names"]
    );
    assert_eq!(
        message_of(&with_creds(o([]))),
        vec!["auth_credentials must have at least one key"]
    );
    assert_eq!(
        message_of(&with_creds(o([("", s("v"))]))),
        vec!["credential key names must not be empty or whitespace only"]
    );
    assert_eq!(
        message_of(&with_creds(o([("k", n(1.0))]))),
        vec!["expected string, received number"]
    );
    assert_eq!(
        message_of(&with_creds(a([]))),
        vec!["expected an object of string credentials, received array"]
    );
}

#[test]
fn duplicate_path_string_quotes_the_key() {
    let issues = validate(&with_creds(o([
        ("x-api-key", s("a")),
        ("X-Api-Key", s("b")),
    ])))
    .unwrap_err();
    assert_eq!(
        issues[0].path,
        keys(&["your_app", "auth_credentials", "X-Api-Key"])
    );
    assert_eq!(
        issues[0].path_string(),
        "your_app.auth_credentials[\"X-Api-Key\"]"
    );
}

// ---------------------------------------------------------------------------------------------
// udf

#[test]
fn udf_rules() {
    let u = ["udf"];
    let uk = |k: &'static str| -> Vec<&'static str> { vec!["udf", k] };
    check_table(vec![
        ("string", with_udf(s("x")), vec![at(&u, IT)]),
        ("null", with_udf(Value::Null), vec![at(&u, IT)]),
        ("array", with_udf(a([])), vec![at(&u, IT)]),
        ("Map", with_udf(opaque(Kind::Map)), vec![at(&u, IT)]),
        ("Date", with_udf(opaque(Kind::Date)), vec![at(&u, IT)]),
        ("number", with_udf(n(1.0)), vec![at(&u, IT)]),
        ("undefined is absent", with_udf(Value::Undefined), vec![]),
        ("{} is fine", with_udf(o([])), vec![]),
        (
            "empty key",
            with_udf(o([("", s("v"))])),
            vec![at(&uk(""), "too_small")],
        ),
        (
            "whitespace key",
            with_udf(o([("\t ", s("v"))])),
            vec![at(&uk("\t "), "too_small")],
        ),
        (
            "U+FEFF key",
            with_udf(o([("\u{feff}", n(1.0))])),
            vec![at(&uk("\u{feff}"), "too_small")],
        ),
        (
            "U+0085 key is not whitespace",
            with_udf(o([("\u{85}", n(1.0))])),
            vec![],
        ),
        (
            "NaN",
            with_udf(o([("plan", n(f64::NAN))])),
            vec![at(&uk("plan"), "not_finite")],
        ),
        (
            "Infinity",
            with_udf(o([("plan", n(f64::INFINITY))])),
            vec![at(&uk("plan"), "not_finite")],
        ),
        (
            "-Infinity",
            with_udf(o([("plan", n(f64::NEG_INFINITY))])),
            vec![at(&uk("plan"), "not_finite")],
        ),
        (
            "object",
            with_udf(o([("plan", o([]))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "array",
            with_udf(o([("plan", a([n(1.0)]))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "bigint",
            with_udf(o([("plan", opaque(Kind::BigInt))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "Date",
            with_udf(o([("plan", opaque(Kind::Date))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "Map",
            with_udf(o([("plan", opaque(Kind::Map))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "symbol",
            with_udf(o([("plan", opaque(Kind::Symbol))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "function",
            with_udf(o([("plan", opaque(Kind::Function))])),
            vec![at(&uk("plan"), IT)],
        ),
        (
            "lone surrogate",
            with_udf(o([("plan", Value::BrokenString)])),
            vec![at(&uk("plan"), "invalid_string")],
        ),
        (
            "empty key with a bad value: both",
            with_udf(o([("", n(f64::NAN))])),
            vec![at(&uk(""), "too_small"), at(&uk(""), "not_finite")],
        ),
        (
            "every bad value reported",
            with_udf(o([
                ("a", n(f64::NAN)),
                ("b", s("ok")),
                ("c", a([])),
                ("d", n(f64::INFINITY)),
            ])),
            vec![
                at(&uk("a"), "not_finite"),
                at(&uk("c"), IT),
                at(&uk("d"), "not_finite"),
            ],
        ),
        (
            "primitives",
            with_udf(o([
                ("s", s("x")),
                ("empty", s("")),
                ("n", n(1.5)),
                ("zero", n(0.0)),
                ("neg", n(-3.0)),
                ("max", n(f64::MAX)),
                ("t", Value::Bool(true)),
                ("f", Value::Bool(false)),
                ("nil", Value::Null),
                ("gone", Value::Undefined),
            ])),
            vec![],
        ),
    ]);
    assert_eq!(
        message_of(&with_udf(o([("plan", n(f64::NAN))]))),
        vec!["udf numbers must be finite: NaN and ±Infinity cannot be sent as JSON"]
    );
    assert_eq!(
        message_of(&with_udf(o([("plan", opaque(Kind::BigInt))]))),
        vec!["expected a string, finite number, boolean or null, received bigint"]
    );
    assert_eq!(
        message_of(&with_udf(o([("", s("v"))]))),
        vec!["udf keys must not be empty or whitespace only"]
    );
    assert_eq!(
        message_of(&with_udf(a([]))),
        vec!["expected an object of primitive values, received array"]
    );
}

#[test]
fn udf_values_are_typed_in_order_with_undefined_left_out() {
    let v = valid(&with_udf(o([
        ("plan", s("pro")),
        ("gone", Value::Undefined),
        ("seats", n(5.0)),
        ("trial", Value::Bool(false)),
        ("note", Value::Null),
    ])));
    assert_eq!(
        v.udf,
        Some(vec![
            ("plan".to_owned(), UdfValue::String("pro".to_owned())),
            ("seats".to_owned(), UdfValue::Number(5.0)),
            ("trial".to_owned(), UdfValue::Bool(false)),
            ("note".to_owned(), UdfValue::Null),
        ])
    );
    assert_eq!(valid(&with_udf(o([]))).udf, Some(vec![]));
    assert_eq!(valid(&req([])).udf, None);
}

// ---------------------------------------------------------------------------------------------
// Unknown keys

#[test]
fn unknown_keys_at_every_level() {
    check_table(vec![
        (
            "linkedAccountId next to the real one",
            req([("linkedAccountId", s("x"))]),
            vec![at(&["linkedAccountId"], "unrecognized_key")],
        ),
        (
            "linkedAccountId instead of the real one",
            o([("linkedAccountId", s("x"))]),
            vec![
                at(&["linkedAccountId"], "unrecognized_key"),
                at(&["linked_account_id"], "required"),
            ],
        ),
        (
            "account_id alias is not part of this contract",
            o([("account_id", s("x"))]),
            vec![
                at(&["account_id"], "unrecognized_key"),
                at(&["linked_account_id"], "required"),
            ],
        ),
        (
            "payload wrapper",
            req([("payload", o([]))]),
            vec![at(&["payload"], "unrecognized_key")],
        ),
        (
            "unknown with undefined value is absent",
            req([("extra", Value::Undefined)]),
            vec![],
        ),
        (
            "inside your_app",
            with_app(o([
                ("auth_credentials", o([("k", s("v"))])),
                ("appID", s("a")),
                ("zzz", n(1.0)),
            ])),
            vec![
                at(&["your_app", "appID"], "unrecognized_key"),
                at(&["your_app", "zzz"], "unrecognized_key"),
            ],
        ),
    ]);
}

#[test]
fn unknown_key_messages_suggest_the_closest_key() {
    let cases = [
        (
            "linkedAccountId",
            "unrecognized key \"linkedAccountId\"; did you mean \"linked_account_id\"?",
        ),
        (
            "LINKED_ACCOUNT_ID",
            "unrecognized key \"LINKED_ACCOUNT_ID\"; did you mean \"linked_account_id\"?",
        ),
        (
            "linked-account-id",
            "unrecognized key \"linked-account-id\"; did you mean \"linked_account_id\"?",
        ),
        ("nme", "unrecognized key \"nme\"; did you mean \"name\"?"),
        (
            "names",
            "unrecognized key \"names\"; did you mean \"name\"?",
        ),
        (
            "yourApp",
            "unrecognized key \"yourApp\"; did you mean \"your_app\"?",
        ),
        ("UDF", "unrecognized key \"UDF\"; did you mean \"udf\"?"),
        ("udfs", "unrecognized key \"udfs\"; did you mean \"udf\"?"),
        (
            "zzz",
            "unrecognized key \"zzz\"; expected one of: linked_account_id, name, your_app, udf",
        ),
        // A hostile key cannot forge message text: control characters are shown as '?'.
        (
            "bad\nkey",
            "unrecognized key \"bad?key\"; expected one of: linked_account_id, name, your_app, udf",
        ),
    ];
    for (key, message) in cases {
        let issues = validate(&req([(key, s("x"))])).unwrap_err();
        assert_eq!(issues.len(), 1, "{key}");
        assert_eq!(issues[0].path, keys(&[key]), "{key}");
        assert_eq!(issues[0].code, IssueCode::UnrecognizedKey, "{key}");
        assert_eq!(issues[0].message, message, "{key}");
    }
}

// ---------------------------------------------------------------------------------------------
// All at once

#[test]
fn several_broken_rules_give_every_issue_in_one_call() {
    let input = o([
        ("linked_account_id", s("")),
        ("name", Value::Null),
        ("your_app", o([("appId", s("x")), ("app_id", n(1.0))])),
        (
            "udf",
            o([
                ("n", n(f64::NAN)),
                ("o", o([])),
                ("", s("v")),
                ("ok", s("fine")),
            ]),
        ),
        ("linkedAccountId", s("dup")),
    ]);
    let issues = validate(&input).unwrap_err();
    assert_eq!(
        briefs(&issues),
        vec![
            at(&["linked_account_id"], "too_small"),
            at(&["name"], IT),
            at(&["your_app", "appId"], "unrecognized_key"),
            at(&["your_app", "app_id"], IT),
            at(&["your_app", "auth_credentials"], "required"),
            at(&["udf", "n"], "not_finite"),
            at(&["udf", "o"], IT),
            at(&["udf", ""], "too_small"),
            at(&["linkedAccountId"], "unrecognized_key"),
        ]
    );
    let paths: Vec<String> = issues.iter().map(ValidationIssue::path_string).collect();
    assert_eq!(
        paths,
        vec![
            "linked_account_id",
            "name",
            "your_app.appId",
            "your_app.app_id",
            "your_app.auth_credentials",
            "udf.n",
            "udf.o",
            "udf[\"\"]",
            "linkedAccountId",
        ]
    );
}

#[test]
fn missing_id_and_bad_credentials_together() {
    let input = o([(
        "your_app",
        o([(
            "auth_credentials",
            o([("a", s("1")), ("A", s("2")), ("", n(3.0))]),
        )]),
    )]);
    assert_eq!(
        briefs(&validate(&input).unwrap_err()),
        vec![
            at(&["your_app", "auth_credentials", "A"], "duplicate_key"),
            at(&["your_app", "auth_credentials", ""], "too_small"),
            at(&["your_app", "auth_credentials", ""], IT),
            at(&["linked_account_id"], "required"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Valid requests

#[test]
fn valid_request_gives_the_typed_fields() {
    let v = valid(&o([
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
        ("udf", o([("plan", s("pro")), ("seats", n(5.0))])),
    ]));
    assert_eq!(v.linked_account_id, "markwood@some_email.com");
    assert_eq!(v.name.as_deref(), Some("Mark Wood"));
    let app = v.your_app.as_ref().expect("your_app");
    assert_eq!(app.app_id.as_deref(), Some("app-1"));
    assert_eq!(
        app.auth_credentials,
        vec![
            ("x-api-key".to_owned(), SECRET.to_owned()),
            ("base-url".to_owned(), "https://api.example.com".to_owned()),
        ]
    );
    assert_eq!(
        v.udf,
        Some(vec![
            ("plan".to_owned(), UdfValue::String("pro".to_owned())),
            ("seats".to_owned(), UdfValue::Number(5.0)),
        ])
    );
    // Same input, same result; the result compares equal to itself.
    assert_eq!(v, v.clone());
}

#[test]
fn minimal_valid_request() {
    let v = valid(&o([("linked_account_id", s("12345678"))]));
    assert_eq!(v.linked_account_id, "12345678");
    assert_eq!(v.name, None);
    assert_eq!(v.your_app, None);
    assert_eq!(v.udf, None);
}

#[test]
fn your_app_without_app_id() {
    let v = valid(&with_creds(o([("token", s("t"))])));
    let app = v.your_app.expect("your_app");
    assert_eq!(app.app_id, None);
    assert_eq!(
        app.auth_credentials,
        vec![("token".to_owned(), "t".to_owned())]
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets never leak

#[test]
fn credential_values_never_appear_in_messages_or_debug() {
    let bad_inputs = [
        // Duplicate keys holding the secret.
        with_creds(o([("x-api-key", s(SECRET)), ("X-API-KEY", s(SECRET))])),
        // Secret next to a broken id.
        o([
            ("linked_account_id", s("")),
            (
                "your_app",
                o([
                    ("auth_credentials", o([("x-api-key", s(SECRET))])),
                    ("app_id", s("")),
                ]),
            ),
        ]),
        // Secret next to an empty key and an unknown key.
        with_app(o([
            (
                "auth_credentials",
                o([("x-api-key", s(SECRET)), ("", s(SECRET))]),
            ),
            ("secret", s(SECRET)),
        ])),
        // Secret beside a credential of the wrong type.
        with_creds(o([("password", s(SECRET)), ("pin", n(1234.0))])),
    ];
    for input in bad_inputs {
        let issues = validate(&input).unwrap_err();
        for issue in &issues {
            assert!(!issue.message.contains(SECRET), "{issue:?}");
            assert!(!issue.to_string().contains(SECRET), "{issue}");
        }
        let error: Error = Error::ValidationFailed {
            issues,
            function: "upsertLinkedAccount",
        };
        assert!(!error.to_string().contains(SECRET), "{error}");
        assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
        assert_eq!(error.code(), "VALIDATION_FAILED");
    }

    let v = valid(&with_app(o([
        ("app_id", s("app-1")),
        (
            "auth_credentials",
            o([("x-api-key", s(SECRET)), ("base-url", s("u"))]),
        ),
    ])));
    let debug = format!("{v:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("x-api-key"), "keys are shown: {debug}");
    let app = v.your_app.as_ref().unwrap();
    assert!(!format!("{app:?}").contains(SECRET));
    assert!(!format!("{app:#?}").contains(SECRET));
}

// ---------------------------------------------------------------------------------------------
// The error and the issue types

#[test]
fn validation_error_display() {
    let issues = validate(&o([("linked_account_id", Value::Undefined)])).unwrap_err();
    let error: Error = Error::ValidationFailed {
        issues,
        function: "upsertLinkedAccount",
    };
    assert_eq!(error.code(), "VALIDATION_FAILED");
    assert_eq!(error.attempts(), None);
    assert_eq!(error.request_id(), None);
    assert!(!error.retryable());
    assert_eq!(
        error.to_string(),
        "invalid upsertLinkedAccount request, nothing was sent: 1 issue: linked_account_id: \
         linked_account_id is required: the customer's unique id in your system, e.g. an email"
    );

    let issues = validate(&o([("name", n(1.0)), ("udf", n(2.0))])).unwrap_err();
    let error: Error = Error::ValidationFailed {
        issues,
        function: "upsertLinkedAccount",
    };
    assert_eq!(
        error.to_string(),
        "invalid upsertLinkedAccount request, nothing was sent: 3 issues: \
         name: expected string, received number; \
         udf: expected an object of primitive values, received number; \
         linked_account_id: linked_account_id is required: the customer's unique id in your \
         system, e.g. an email"
    );
}

#[test]
fn issue_codes_and_path_strings() {
    let codes: Vec<&str> = IssueCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        codes,
        vec![
            "required",
            "invalid_type",
            "too_small",
            "too_big",
            "invalid_string",
            "unrecognized_key",
            "duplicate_key",
            "not_finite",
            "conflict",
        ]
    );
    let issue = |path: Vec<PathSegment>| ValidationIssue {
        path,
        code: IssueCode::Required,
        message: "m".to_owned(),
    };
    let cases = [
        (vec![], "(root)"),
        (keys(&["udf", "plan"]), "udf.plan"),
        (keys(&["headers", "x-api-key"]), "headers[\"x-api-key\"]"),
        (keys(&["udf", "$ok_1"]), "udf.$ok_1"),
        (keys(&["udf", "1a"]), "udf[\"1a\"]"),
        (keys(&["udf", "a\"b\\c"]), "udf[\"a\\\"b\\\\c\"]"),
        (keys(&["udf", "a\nb"]), "udf[\"a?b\"]"),
        (
            vec![PathSegment::Key("a".into()), PathSegment::Index(3)],
            "a[3]",
        ),
        (keys(&["-x"]), "[\"-x\"]"),
    ];
    for (path, expected) in cases {
        assert_eq!(issue(path.clone()).path_string(), expected, "{path:?}");
    }
    assert_eq!(issue(keys(&["udf", "plan"])).to_string(), "udf.plan: m");
}
