//! A read-only view of a JavaScript value, and an owned JSON value.
//!
//! The core (validation, request building, response decoding) is written against the
//! [`Node`] trait so that it runs unchanged on the host, over [`Value`], and in wasm, over
//! `JsValue`, without first copying JS objects into Rust.

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
        }
    }
}

/// A string read from JS that is not valid Unicode (it holds a lone UTF-16 surrogate), so it
/// cannot be sent as UTF-8 without silently changing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoneSurrogate;

/// Read access to a JavaScript-like value.
///
/// Implementations never panic and never let a JS exception escape: a getter that throws reads
/// as `undefined`, a proxy whose keys cannot be listed has no entries.
pub trait Node: Sized {
    /// The value's kind.
    fn kind(&self) -> Kind;
    /// The string, when [`Kind::String`]; `Err` when it holds a lone surrogate.
    fn string(&self) -> Option<Result<String, LoneSurrogate>>;
    /// The string with any lone surrogate replaced by U+FFFD, for text kept only to be read
    /// by people (a response body).
    fn lossy_string(&self) -> Option<String>;
    /// The number, when [`Kind::Number`].
    fn number(&self) -> Option<f64>;
    /// The boolean, when [`Kind::Boolean`].
    fn boolean(&self) -> Option<bool>;
    /// Own enumerable string-keyed properties of a plain object, in `Object.keys` order, or the
    /// entries of a `Headers`. Empty for every other kind.
    fn entries(&self) -> Vec<(Result<String, LoneSurrogate>, Self)>;
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

impl Node for Value {
    fn kind(&self) -> Kind {
        match self {
            Value::Undefined => Kind::Undefined,
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(_) => Kind::Number,
            Value::String(_) | Value::BrokenString => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::PlainObject,
            Value::Opaque(kind) => *kind,
        }
    }

    fn string(&self) -> Option<Result<String, LoneSurrogate>> {
        match self {
            Value::String(s) => Some(Ok(s.clone())),
            Value::BrokenString => Some(Err(LoneSurrogate)),
            _ => None,
        }
    }

    fn lossy_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
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

    fn entries(&self) -> Vec<(Result<String, LoneSurrogate>, Self)> {
        match self {
            Value::Object(entries) => entries
                .iter()
                .map(|(k, v)| (Ok(k.clone()), v.clone()))
                .collect(),
            _ => Vec::new(),
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
