#![cfg(not(target_arch = "wasm32"))]
//! `input::Input`, the plain copy `src/reader.js` makes of a caller's value, and its `Node`
//! view: the copy must validate exactly as the value it was made from. The copy is JSON, so
//! serde_json stands in for serde-wasm-bindgen here.

mod common;

use common::*;
use refold_linked_accounts::input::Input;
use refold_linked_accounts::options::parse_options;
use refold_linked_accounts::value::BadString;
use refold_linked_accounts::{validate, Kind, Node, Value};
use serde_json::json;

fn tag(kind: Kind) -> serde_json::Value {
    match kind {
        Kind::Undefined => json!(["undefined"]),
        Kind::BigInt => json!(["bigint"]),
        Kind::Symbol => json!(["symbol"]),
        Kind::Function => json!(["function"]),
        Kind::Map => json!(["Map"]),
        Kind::Set => json!(["Set"]),
        Kind::Date => json!(["Date"]),
        Kind::AbortSignal => json!(["AbortSignal"]),
        Kind::OtherObject => json!(["instance"]),
        Kind::Headers => json!(["Headers", []]),
        Kind::Array => json!(["array"]),
        Kind::PlainObject => json!(["object", []]),
        Kind::Null => json!(null),
        Kind::Unreadable | Kind::Boolean | Kind::Number | Kind::String => json!(["unreadable"]),
    }
}

/// What `src/reader.js` makes of a value of this model (the same rules, restated).
fn copy(value: &Value, depth: usize) -> serde_json::Value {
    match value {
        Value::Undefined => json!(["undefined"]),
        Value::Null => json!(null),
        Value::Bool(b) => json!(b),
        Value::Number(x) if x.is_nan() => json!(["NaN"]),
        Value::Number(x) if x.is_infinite() => {
            json!([if *x > 0.0 { "Infinity" } else { "-Infinity" }])
        }
        Value::Number(x) => json!(x),
        Value::String(t) => json!(t),
        Value::BrokenString => json!(["lone_surrogate"]),
        Value::Array(_) => json!(["array"]),
        Value::Throwing => json!(["unreadable"]),
        Value::Object(_) if depth > 2 => json!(["object", []]),
        Value::Object(entries) => {
            let entries: Vec<serde_json::Value> = entries
                .iter()
                .map(|(k, v)| {
                    let v = if *v == Value::Throwing {
                        json!(["threw"])
                    } else {
                        copy(v, depth + 1)
                    };
                    json!([k, v])
                })
                .collect();
            json!(["object", entries])
        }
        Value::Opaque(kind) => tag(*kind),
    }
}

fn input(copy: serde_json::Value) -> Input {
    serde_json::from_value(copy.clone()).unwrap_or_else(|e| panic!("not a copy: {copy}: {e}"))
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const KEYS: [&str; 14] = [
    "linked_account_id",
    "name",
    "your_app",
    "udf",
    "auth_credentials",
    "app_id",
    "linkedAccountId",
    "x-api-key",
    "X-API-KEY",
    "",
    " ",
    "é\"\\\n",
    "__proto__",
    "plan",
];

const STRINGS: [&str; 10] = [
    "acct-1",
    "",
    "   ",
    "\t\u{a0}",
    "line\nbreak",
    "ctl\u{1}",
    "é 😀 \u{2028}",
    "quote\"back\\slash",
    "sk-live-0123456789",
    "https://api.example.com",
];

fn value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 4 { 9 } else { 12 }) {
        0 => Value::Undefined,
        1 => Value::Null,
        2 => Value::Bool(rng.below(2) == 0),
        3 => Value::Number(*rng.pick(&[
            0.0,
            -0.0,
            42.0,
            -7.0,
            1.5,
            1e21,
            1e-7,
            123_456_789_012_345_680.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1,
        ])),
        4..=6 => Value::str(STRINGS[rng.below(STRINGS.len())]),
        7 => Value::BrokenString,
        8 => Value::Opaque(*rng.pick(&[
            Kind::Map,
            Kind::Set,
            Kind::Date,
            Kind::Function,
            Kind::BigInt,
            Kind::Symbol,
            Kind::OtherObject,
            Kind::AbortSignal,
            Kind::Unreadable,
            Kind::Headers,
        ])),
        9 => Value::Array((0..rng.below(3)).map(|_| value(rng, depth + 1)).collect()),
        _ => object(rng, depth),
    }
}

fn object(rng: &mut Rng, depth: usize) -> Value {
    let n = rng.below(5);
    Value::Object(
        (0..n)
            .map(|_| {
                let v = if rng.below(12) == 0 {
                    Value::Throwing
                } else {
                    value(rng, depth + 1)
                };
                (rng.pick(&KEYS).to_string(), v)
            })
            .collect(),
    )
}

/// A request that is often valid, so that both outcomes are exercised.
fn request(rng: &mut Rng) -> Value {
    let mut entries = vec![];
    if rng.below(6) > 0 {
        entries.push(("linked_account_id".to_owned(), value_or(rng, s("acct-1"))));
    }
    if rng.below(2) == 0 {
        entries.push(("name".to_owned(), value_or(rng, s("Mark Wood"))));
    }
    if rng.below(2) == 0 {
        let creds = if rng.below(3) > 0 {
            o([("x-api-key", value_or(rng, s("cust-key-0123")))])
        } else {
            object(rng, 2)
        };
        entries.push((
            "your_app".to_owned(),
            value_or(rng, o([("auth_credentials", creds)])),
        ));
    }
    if rng.below(2) == 0 {
        entries.push(("udf".to_owned(), object(rng, 1)));
    }
    if rng.below(5) == 0 {
        entries.push((rng.pick(&KEYS).to_string(), value(rng, 1)));
    }
    Value::Object(entries)
}

fn value_or(rng: &mut Rng, usual: Value) -> Value {
    if rng.below(4) == 0 {
        value(rng, 1)
    } else {
        usual
    }
}

#[test]
fn copies_validate_exactly_as_the_values_they_were_made_from() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut valid, mut invalid) = (0, 0);
    for i in 0..20_000 {
        let value = if i % 4 == 0 {
            value(&mut rng, 0)
        } else {
            request(&mut rng)
        };
        let made = copy(&value, 0);
        let expected = validate(&value);
        let got = validate(&&input(made.clone()));
        assert_eq!(got, expected, "case {i}: {made}");
        if expected.is_ok() {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    // Both outcomes are well represented, so the comparison means something.
    assert!(
        valid > 2_000 && invalid > 2_000,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn options_copies_parse_exactly_as_the_values_they_were_made_from() {
    let cases = [
        o([("apiKey", s("sk-live-0123456789"))]),
        o([
            ("sessionToken", s("tok-0123456789")),
            ("baseUrl", s("http://127.0.0.1:8787")),
            ("timeoutMs", n(2500.0)),
            ("maxRetries", n(1.5)),
            ("maxResponseBytes", n(2048.0)),
            ("headers", o([("x-trace", s("t-1")), ("X-Trace", s("t-2"))])),
        ]),
        o([
            ("apiKey", n(1.0)),
            ("signal", opaque(Kind::AbortSignal)),
            ("fetch", opaque(Kind::Function)),
            ("headers", opaque(Kind::Headers)),
            ("colour", s("red")),
            ("timeoutMs", Value::Throwing),
        ]),
        Value::Undefined,
        Value::Null,
        opaque(Kind::Map),
    ];
    for value in cases {
        let made = copy(&value, 0);
        let expected = parse_options(&value, &SERVER).map(|o| format!("{o:?}"));
        let got = parse_options(&&input(made.clone()), &SERVER).map(|o| format!("{o:?}"));
        assert_eq!(got, expected, "{made}");
    }
}

#[test]
fn every_tag_reads_as_its_kind() {
    let cases = [
        (json!(["undefined"]), Kind::Undefined),
        (json!(["NaN"]), Kind::Number),
        (json!(["Infinity"]), Kind::Number),
        (json!(["-Infinity"]), Kind::Number),
        (json!(["bigint"]), Kind::BigInt),
        (json!(["symbol"]), Kind::Symbol),
        (json!(["function"]), Kind::Function),
        (json!(["Map"]), Kind::Map),
        (json!(["Set"]), Kind::Set),
        (json!(["Date"]), Kind::Date),
        (json!(["AbortSignal"]), Kind::AbortSignal),
        (json!(["instance"]), Kind::OtherObject),
        (json!(["unreadable"]), Kind::Unreadable),
        (json!(["object"]), Kind::PlainObject),
        (json!(["too_long"]), Kind::String),
        (json!(["lone_surrogate"]), Kind::String),
        (json!(["Headers", []]), Kind::Headers),
        (json!(["Headers"]), Kind::Headers),
        (json!(["array"]), Kind::Array),
        (json!(["object", []]), Kind::PlainObject),
        (json!(null), Kind::Null),
        (json!(true), Kind::Boolean),
        (json!(-1.5e-300), Kind::Number),
    ];
    for (made, kind) in cases {
        assert_eq!((&input(made.clone())).kind(), kind, "{made}");
    }
    assert!((&input(json!(["NaN"]))).number().is_some_and(f64::is_nan));
    assert_eq!(
        (&input(json!(["-Infinity"]))).number(),
        Some(f64::NEG_INFINITY)
    );
    assert_eq!((&input(json!(-1.5e-300))).number(), Some(-1.5e-300));
    assert_eq!(
        (&input(json!(["too_long"]))).string(),
        Some(Err(BadString::TooLong))
    );
    assert_eq!(
        (&input(json!(["lone_surrogate"]))).string(),
        Some(Err(BadString::LoneSurrogate))
    );
    assert_eq!(input(json!(["too_big"])), Input::TooBig);
    // Keys that cannot be listed, and a Headers whose entries cannot be read.
    assert_eq!((&input(json!(["object"]))).entries(Kind::PlainObject), None);
    assert_eq!((&input(json!(["Headers"]))).entries(Kind::Headers), None);
    let headers = input(json!(["Headers", [["x-a", "1"]]]));
    let node = &headers;
    let entries = node.entries(Kind::Headers).unwrap_or_default();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0.as_deref(), Ok("x-a"));
}

#[test]
fn entries_keep_order_duplicates_throwing_getters_and_bad_keys() {
    let root = input(json!([
        "object",
        [
            ["b", 1],
            ["a", ["threw"]],
            [["lone_surrogate"], 2],
            [["too_long"], 3],
            ["b", "last"]
        ]
    ]));
    let node = &root;
    let entries = node.entries(Kind::PlainObject).unwrap_or_default();
    let keys: Vec<_> = entries.iter().map(|(k, _)| k.as_deref()).collect();
    assert_eq!(
        keys,
        [
            Ok("b"),
            Ok("a"),
            Err(&BadString::LoneSurrogate),
            Err(&BadString::TooLong),
            Ok("b"),
        ]
    );
    assert!(entries[1].1.is_none(), "a throwing getter has no value");
    // `get` reads the last of duplicate keys, as JS does.
    assert_eq!(
        (&root).get("b").and_then(|v| v.string()),
        Some(Ok("last".to_owned()))
    );
    assert_eq!((&root).get("missing"), None);
}

#[test]
fn a_copy_the_reader_would_never_make_is_an_error_not_a_panic() {
    for made in [
        json!([]),
        json!(["no-such-tag"]),
        json!([1]),
        json!({"k": 1}),
        json!(["object", 5]),
        json!(["object", [["k"]]]),
    ] {
        assert!(
            serde_json::from_value::<Input>(made.clone()).is_err(),
            "{made}"
        );
    }
}
