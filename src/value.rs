//! A read-only view of a JavaScript value, and an owned JSON value.
//!
//! The core (validation, request building, response decoding) is written against the
//! [`Node`] trait so that it runs unchanged on the host, over [`Value`], and in wasm, over the
//! reader's copy of caller input (`crate::input::Input`) and over parsed response bodies.

use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// What kind of JavaScript value a [`Node`] is, as far as validation cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `undefined`; an object key whose value is `undefined` counts as absent.
    Undefined,
    /// `null`.
    Null,
    /// `true` or `false`.
    Boolean,
    /// Any JS number, including `NaN` and `±Infinity`.
    Number,
    /// A `bigint`.
    BigInt,
    /// A string.
    String,
    /// A `symbol`.
    Symbol,
    /// A function (including classes).
    Function,
    /// An `Array`.
    Array,
    /// An object whose prototype is `Object.prototype` or `null`.
    PlainObject,
    /// A `Map`.
    Map,
    /// A `Set`.
    Set,
    /// A `Date`.
    Date,
    /// A `Headers` instance (Fetch standard).
    Headers,
    /// An `AbortSignal` instance.
    AbortSignal,
    /// Any other object (a class instance, a boxed primitive, a typed array …).
    OtherObject,
    /// An object that cannot be inspected: a revoked `Proxy`, or one whose traps throw.
    Unreadable,
}

impl Kind {
    /// The name used in messages: "received array", "received Map" …
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Undefined => "undefined",
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Number => "number",
            Kind::BigInt => "bigint",
            Kind::String => "string",
            Kind::Symbol => "symbol",
            Kind::Function => "function",
            Kind::Array => "array",
            Kind::PlainObject => "object",
            Kind::Map => "Map",
            Kind::Set => "Set",
            Kind::Date => "Date",
            Kind::Headers => "Headers",
            Kind::AbortSignal => "AbortSignal",
            Kind::OtherObject => "class instance",
            Kind::Unreadable => {
                "an object that cannot be read (a revoked Proxy or a throwing trap)"
            }
        }
    }
}

/// The longest string, in UTF-16 code units, read from a request or options: a longer one is
/// rejected before it is copied into wasm memory, which it could exhaust.
pub const MAX_STRING_UNITS: u32 = 1_048_576;

/// Why a JS string could not be read as Rust text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadString {
    /// It holds a lone UTF-16 surrogate, so it is not valid Unicode and cannot be sent as UTF-8
    /// without silently changing it.
    LoneSurrogate,
    /// It is longer than [`MAX_STRING_UNITS`].
    TooLong,
}

impl BadString {
    /// The issue code for it: `invalid_string` or `too_big`.
    pub fn code(self) -> crate::issue::IssueCode {
        match self {
            BadString::LoneSurrogate => crate::issue::IssueCode::InvalidString,
            BadString::TooLong => crate::issue::IssueCode::TooBig,
        }
    }

    /// What is wrong, for an issue message.
    pub fn message(self) -> &'static str {
        match self {
            BadString::LoneSurrogate => {
                "holds a lone UTF-16 surrogate, which is not valid Unicode and cannot be sent"
            }
            BadString::TooLong => "is longer than 1 048 576 UTF-16 code units",
        }
    }
}

/// A property key as read: its text (borrowed from the value where it can be), or why it
/// cannot be read as text.
pub type Key<'k> = Result<Cow<'k, str>, BadString>;

/// One own property as read: its key, and its value (`None` when its getter threw).
pub type Entry<'k, N> = (Key<'k>, Option<N>);

/// Read access to a JavaScript-like value.
///
/// Implementations never panic and never let a JS exception escape: what cannot be read is
/// reported as such ([`Kind::Unreadable`], a `None` entry value, `None` entries).
pub trait Node: Sized {
    /// The value's kind.
    fn kind(&self) -> Kind;
    /// The string, when [`Kind::String`]; `Err` when it holds a lone surrogate or is longer
    /// than [`MAX_STRING_UNITS`].
    fn string(&self) -> Option<Result<String, BadString>>;
    /// At most the first `max_units` UTF-16 code units of the string, any lone surrogate
    /// replaced by U+FFFD: for text kept only to be read by people (a response body).
    fn lossy_prefix(&self, max_units: u32) -> Option<String>;
    /// The number, when [`Kind::Number`].
    fn number(&self) -> Option<f64>;
    /// The boolean, when [`Kind::Boolean`].
    fn boolean(&self) -> Option<bool>;
    /// Own enumerable string-keyed properties of a plain object, in `Object.keys` order, or the
    /// entries of a `Headers`, as `kind` (found by the caller) says; `None` when the keys cannot
    /// be listed (a throwing Proxy trap).
    fn entries(&self, kind: Kind) -> Option<Vec<Entry<'_, Self>>>;
    /// The own property `key` of a plain object (`undefined` when missing or another kind).
    fn get(&self, key: &str) -> Option<Self>;
}

/// An owned JSON-compatible value (plus `undefined` and the kinds validation must reject).
///
/// Objects keep their keys in insertion order, as JavaScript does.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (may be non-finite, which JSON cannot carry).
    Number(f64),
    /// A string.
    String(String),
    /// A string holding a lone UTF-16 surrogate (host tests use this to stand for one).
    BrokenString,
    /// An array.
    Array(Vec<Value>),
    /// A property whose getter throws (as an object value: reading it fails).
    Throwing,
    /// A plain object, keys in order.
    Object(Vec<(String, Value)>),
    /// A value of another kind (`Map`, `Date`, `bigint`, function …), kept opaque.
    Opaque(Kind),
}

impl Value {
    /// A string value.
    pub fn str(s: &str) -> Self {
        Value::String(s.to_owned())
    }

    /// A plain object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Self {
        Value::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

/// The value as JSON, as `JSON.stringify` writes it: objects keep their key order, keys whose
/// value is `undefined` are left out, and what JSON cannot hold (`undefined` elsewhere,
/// non-finite numbers, opaque kinds) is `null`.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => serializer.serialize_bool(*b),
            // Whole numbers as integers, as a JS number holding one reads in serde-wasm-bindgen.
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
                serializer.serialize_i64(*n as i64)
            }
            Value::Number(n) if n.is_finite() => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            // As a JS string with a lone surrogate reads in Rust: the surrogate becomes U+FFFD.
            Value::BrokenString => serializer.serialize_str("\u{fffd}"),
            Value::Array(items) => serializer.collect_seq(items),
            Value::Object(entries) => serializer.collect_map(
                entries
                    .iter()
                    .filter(|(_, v)| !matches!(v, Value::Undefined))
                    .map(|(k, v)| (k, v)),
            ),
            _ => serializer.serialize_unit(),
        }
    }
}

impl Node for Value {
    fn kind(&self) -> Kind {
        match self {
            Value::Undefined => Kind::Undefined,
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(_) => Kind::Number,
            Value::String(_) | Value::BrokenString => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Throwing => Kind::Unreadable,
            Value::Object(_) => Kind::PlainObject,
            Value::Opaque(kind) => *kind,
        }
    }

    fn string(&self) -> Option<Result<String, BadString>> {
        match self {
            Value::String(s) if s.encode_utf16().count() > MAX_STRING_UNITS as usize => {
                Some(Err(BadString::TooLong))
            }
            Value::String(s) => Some(Ok(s.clone())),
            Value::BrokenString => Some(Err(BadString::LoneSurrogate)),
            _ => None,
        }
    }

    fn lossy_prefix(&self, max_units: u32) -> Option<String> {
        match self {
            Value::String(s) => Some(crate::text::utf16_prefix(s, max_units)),
            Value::BrokenString => Some('\u{fffd}'.to_string()),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn entries(&self, _kind: Kind) -> Option<Vec<Entry<'_, Self>>> {
        match self {
            Value::Object(entries) => Some(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let value = (!matches!(v, Value::Throwing)).then(|| v.clone());
                        (Ok(Cow::Borrowed(k.as_str())), value)
                    })
                    .collect(),
            ),
            Value::Opaque(Kind::Unreadable) => None,
            _ => Some(Vec::new()),
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        match self {
            Value::Object(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
            _ => None,
        }
    }
}
