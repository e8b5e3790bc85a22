#![cfg(not(target_arch = "wasm32"))]
//! `snapshot::parse` and its `Node` view: the text `src/snapshot.js` writes must validate
//! exactly as the value it was written from.

mod common;

use std::borrow::Cow;

use common::*;
use refold_linked_accounts::options::parse_options;
use refold_linked_accounts::snapshot::{parse, Snap, MAX_NESTING};
use refold_linked_accounts::value::BadString;
use refold_linked_accounts::{validate, Kind, Node, Value};

fn host_number(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

fn snap(text: &str) -> Snap<'_> {
    parse(text, &host_number).unwrap_or_else(|| panic!("not a snapshot: {text}"))
}

fn tag(kind: Kind) -> &'static str {
    match kind {
        Kind::Undefined => "!u",
        Kind::BigInt => "!b",
        Kind::Symbol => "!s",
        Kind::Function => "!f",
        Kind::Map => "!M",
        Kind::Set => "!S",
        Kind::Date => "!D",
        Kind::AbortSignal => "!A",
        Kind::OtherObject => "!O",
        Kind::Headers => "!H{}",
        Kind::Array => "[]",
        Kind::PlainObject => "{}",
        Kind::Null => "null",
        Kind::Unreadable | Kind::Boolean | Kind::Number | Kind::String => "!X",
    }
}

/// What `src/snapshot.js` writes for a value of this model (the same rules, restated).
fn write(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Undefined => out.push_str("!u"),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(x) if x.is_nan() => out.push_str("!N"),
        Value::Number(x) if x.is_infinite() => out.push_str(if *x > 0.0 { "!I" } else { "!J" }),
        Value::Number(x) => out.push_str(&serde_json::to_string(x).unwrap_or_default()),
        Value::String(t) => out.push_str(&serde_json::to_string(t).unwrap_or_default()),
        Value::BrokenString => out.push_str(r#""a\ud800b""#),
        Value::Array(_) => out.push_str("[]"),
        Value::Throwing => out.push_str("!X"),
        Value::Object(_) if depth > 2 => out.push_str("{}"),
        Value::Object(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                if *v == Value::Throwing {
                    out.push_str("!T");
                } else {
                    write(v, depth + 1, out);
                }
            }
            out.push('}');
        }
        Value::Opaque(kind) => out.push_str(tag(*kind)),
    }
}

fn snapshot_text(value: &Value) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    out
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
fn snapshots_validate_exactly_as_the_values_they_were_written_from() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut valid, mut invalid) = (0, 0);
    for i in 0..20_000 {
        let input = if i % 4 == 0 {
            value(&mut rng, 0)
        } else {
            request(&mut rng)
        };
        let text = snapshot_text(&input);
        let expected = validate(&input);
        let got = validate(&&snap(&text));
        assert_eq!(got, expected, "case {i}: {text}");
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
fn options_snapshots_parse_exactly_as_the_values_they_were_written_from() {
    let cases = [
        o([("apiKey", s("sk-live-0123456789"))]),
        o([
            ("sessionToken", s("tok-0123456789")),
            ("baseUrl", s("http://127.0.0.1:8787")),
            ("timeoutMs", n(2500.0)),
            ("maxRetries", n(1.5)),
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
    for input in cases {
        let text = snapshot_text(&input);
        let expected = parse_options(&input, &SERVER).map(|o| format!("{o:?}"));
        let got = parse_options(&&snap(&text), &SERVER).map(|o| format!("{o:?}"));
        assert_eq!(got, expected, "{text}");
    }
}

#[test]
fn every_tag_reads_as_its_kind() {
    let cases = [
        ("!u", Kind::Undefined),
        ("!N", Kind::Number),
        ("!I", Kind::Number),
        ("!J", Kind::Number),
        ("!b", Kind::BigInt),
        ("!s", Kind::Symbol),
        ("!f", Kind::Function),
        ("!M", Kind::Map),
        ("!S", Kind::Set),
        ("!D", Kind::Date),
        ("!A", Kind::AbortSignal),
        ("!O", Kind::OtherObject),
        ("!X", Kind::Unreadable),
        ("!K", Kind::PlainObject),
        ("!L", Kind::String),
        ("!H{}", Kind::Headers),
        ("!H!K", Kind::Headers),
        ("[]", Kind::Array),
        ("{}", Kind::PlainObject),
        ("null", Kind::Null),
        ("true", Kind::Boolean),
    ];
    for (text, kind) in cases {
        assert_eq!((&snap(text)).kind(), kind, "{text}");
    }
    assert!((&snap("!N")).number().is_some_and(f64::is_nan));
    assert_eq!((&snap("!J")).number(), Some(f64::NEG_INFINITY));
    assert_eq!((&snap("!L")).string(), Some(Err(BadString::TooLong)));
    // Keys that cannot be listed, and a Headers whose entries cannot be read.
    assert_eq!((&snap("!K")).entries(Kind::PlainObject), None);
    assert_eq!((&snap("!H!K")).entries(Kind::Headers), None);
    let headers = snap(r#"!H{"x-a":"1"}"#);
    let node = &headers;
    let entries = node.entries(Kind::Headers).unwrap_or_default();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0.as_deref(), Ok("x-a"));
}

#[test]
fn entries_keep_order_duplicates_throwing_getters_and_bad_keys() {
    let text = r#"{"b":1,"a":!T,"\ud800":2,!L:3,"b":"last"}"#;
    let root = snap(text);
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
    // Keys without escapes are read in place, not copied.
    assert!(entries
        .iter()
        .all(|(k, _)| matches!(k, Ok(std::borrow::Cow::Borrowed(_)) | Err(_))));
    assert!(entries[1].1.is_none(), "a throwing getter has no value");
    // `get` reads the last of duplicate keys, as JS does.
    assert_eq!(
        (&root).get("b").and_then(|v| v.string()),
        Some(Ok("last".to_owned()))
    );
    assert_eq!((&root).get("missing"), None);
}

#[test]
fn strings_decode_every_json_escape_and_flag_lone_surrogates() {
    let read = |text: &str| match snap(text) {
        Snap::String(s) => s.map(Cow::into_owned),
        other => panic!("{text}: not a string: {other:?}"),
    };
    assert_eq!(
        read(r#""a\"b\\c\/d\n\t\r\b\f\u0001é😀""#),
        Ok("a\"b\\c/d\n\t\r\u{8}\u{c}\u{1}é😀".to_owned())
    );
    assert_eq!(read(r#""\ud83d\ude00""#), Ok("😀".to_owned()));
    assert_eq!(read(r#""\u00e9\u2028""#), Ok("é\u{2028}".to_owned()));
    for lone in [
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""x\ud83d""#,
        r#""\ud83d\u0041""#,
        r#""\ud83d\ud83d\ude00""#,
    ] {
        assert_eq!(read(lone), Err(BadString::LoneSurrogate), "{lone}");
    }
    // A string without escapes is borrowed from the text, not copied.
    assert!(matches!(
        snap(r#""plain text""#),
        Snap::String(Ok(Cow::Borrowed("plain text")))
    ));
}

#[test]
fn numbers_read_exactly() {
    let cases: [(&str, f64); 10] = [
        ("0", 0.0),
        ("-0", -0.0),
        ("42", 42.0),
        ("-7", -7.0),
        ("999999999999999", 999_999_999_999_999.0),
        ("12345678901234567890", 12_345_678_901_234_567_890.0),
        ("1.5", 1.5),
        ("-0.1", -0.1),
        ("1e+21", 1e21),
        ("5e-324", 5e-324),
    ];
    for (text, expected) in cases {
        let got = (&snap(text)).number();
        assert_eq!(got.map(f64::to_bits), Some(expected.to_bits()), "{text}");
    }
}

#[test]
fn text_that_is_not_a_snapshot_is_none_never_a_panic() {
    let good = r#"{"linked_account_id":"a\u00e9\ud800","udf":{"n":-1.5e3,"t":true,"z":null},"x":!T,"h":!H{"k":"v"},"l":!L}"#;
    assert!(parse(good, &host_number).is_some());
    // Every truncation of a good text, and a set of broken ones.
    for end in 0..good.len() {
        if let Some(prefix) = good.get(..end) {
            assert_eq!(parse(prefix, &host_number), None, "{prefix}");
        }
    }
    for bad in [
        "",
        "{",
        "}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1]",
        "!",
        "!Z",
        "!H1",
        "tru",
        "nul",
        "-",
        "1 2",
        "\"abc",
        "\"\\u12\"",
        "{\"a\":1]",
        "{!T:1}",
        "{:1}",
    ] {
        assert_eq!(parse(bad, &host_number), None, "{bad}");
    }
}

#[test]
fn nesting_beyond_the_limit_is_none_not_a_stack_overflow() {
    let nested = |depth: u32| {
        let mut text = String::new();
        for _ in 0..depth {
            text.push_str(r#"{"a":"#);
        }
        text.push('1');
        for _ in 0..depth {
            text.push('}');
        }
        text
    };
    assert!(parse(&nested(MAX_NESTING), &host_number).is_some());
    assert_eq!(parse(&nested(MAX_NESTING + 1), &host_number), None);
    assert_eq!(parse(&nested(200_000), &host_number), None);
}

#[test]
fn a_value_json_writes_as_json_stringify_does() {
    let body = o([
        ("s", s("é\"\n")),
        ("n", n(-42.0)),
        ("f", n(1.5)),
        ("big", n(1e21)),
        ("t", Value::Bool(true)),
        ("z", Value::Null),
        ("gone", Value::Undefined),
        ("a", a([n(1.0), s("x")])),
    ]);
    let text = body.to_json(&|x| serde_json::to_string(&x).unwrap_or_default());
    assert_eq!(
        text,
        r#"{"s":"é\"\n","n":-42,"f":1.5,"big":1e+21,"t":true,"z":null,"a":[1,"x"]}"#
    );
    let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(back["n"], serde_json::json!(-42));
}
