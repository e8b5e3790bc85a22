//! A caller's value (a request or the options) as `src/reader.js` read it, and its [`Node`]
//! view for validation.
//!
//! The reader reads every property once, in JS, guarding every read, and hands wasm a copy
//! made of plain JSON values: a JSON primitive stands for itself, anything else is an array
//! whose first item names what was found (`["object", [[key, value], …]]`, `["Map"]`,
//! `["threw"]` …; the list is in `src/reader.js`). That copy is deserialized here with serde
//! (serde-wasm-bindgen in wasm, serde_json in host tests), so no caller object is ever read
//! from wasm.

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

use crate::value::{BadString, Entry, Kind, Node};

/// One value of a caller's input.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number, including `NaN` and `±Infinity`.
    Number(f64),
    /// A string, or why it cannot be read as text.
    String(Result<String, BadString>),
    /// A plain object or a `Headers` (the kind says which) and its entries; `None` when its
    /// keys cannot be listed. An entry's value is [`Input::Threw`] when its getter threw.
    Object(Kind, Option<Vec<(Result<String, BadString>, Input)>>),
    /// A property whose getter threw.
    Threw,
    /// The whole value: its JSON would pass 16 MiB, so it was not read.
    TooBig,
    /// A value of any other kind: `undefined`, an array, a `Map`, a function …
    Other(Kind),
}

impl Input {
    fn into_key(self) -> Result<String, BadString> {
        match self {
            Input::String(key) => key,
            // The reader writes keys as strings or string tags only.
            _ => Err(BadString::LoneSurrogate),
        }
    }
}

/// The tags of `src/reader.js`, for error messages.
const TAGS: &[&str] = &[
    "object",
    "Headers",
    "undefined",
    "NaN",
    "Infinity",
    "-Infinity",
    "bigint",
    "symbol",
    "function",
    "array",
    "Map",
    "Set",
    "Date",
    "AbortSignal",
    "instance",
    "unreadable",
    "threw",
    "lone_surrogate",
    "too_long",
    "too_big",
];

struct InputVisitor;

impl<'de> Visitor<'de> for InputVisitor {
    type Value = Input;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value written by src/reader.js")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Input, E> {
        Ok(Input::Null)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Input, E> {
        Ok(Input::Bool(b))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Input, E> {
        Ok(Input::Number(n))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Input, E> {
        Ok(Input::Number(n as f64))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Input, E> {
        Ok(Input::Number(n as f64))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Input, E> {
        Ok(Input::String(Ok(s.to_owned())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Input, E> {
        Ok(Input::String(Ok(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Input, A::Error> {
        let tag: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let kind = match tag.as_str() {
            "object" | "Headers" => {
                let kind = if tag == "object" {
                    Kind::PlainObject
                } else {
                    Kind::Headers
                };
                let entries: Option<Vec<(Input, Input)>> = seq.next_element()?;
                let entries = entries.map(|list| {
                    list.into_iter()
                        .map(|(key, value)| (key.into_key(), value))
                        .collect()
                });
                return Ok(Input::Object(kind, entries));
            }
            "NaN" => return Ok(Input::Number(f64::NAN)),
            "Infinity" => return Ok(Input::Number(f64::INFINITY)),
            "-Infinity" => return Ok(Input::Number(f64::NEG_INFINITY)),
            "lone_surrogate" => return Ok(Input::String(Err(BadString::LoneSurrogate))),
            "too_long" => return Ok(Input::String(Err(BadString::TooLong))),
            "threw" => return Ok(Input::Threw),
            "too_big" => return Ok(Input::TooBig),
            "undefined" => Kind::Undefined,
            "bigint" => Kind::BigInt,
            "symbol" => Kind::Symbol,
            "function" => Kind::Function,
            "array" => Kind::Array,
            "Map" => Kind::Map,
            "Set" => Kind::Set,
            "Date" => Kind::Date,
            "AbortSignal" => Kind::AbortSignal,
            "instance" => Kind::OtherObject,
            "unreadable" => Kind::Unreadable,
            _ => return Err(de::Error::unknown_variant(&tag, TAGS)),
        };
        Ok(Input::Other(kind))
    }
}

impl<'de> Deserialize<'de> for Input {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Input, D::Error> {
        deserializer.deserialize_any(InputVisitor)
    }
}

impl<'a> Node for &'a Input {
    fn kind(&self) -> Kind {
        match self {
            Input::Null => Kind::Null,
            Input::Bool(_) => Kind::Boolean,
            Input::Number(_) => Kind::Number,
            Input::String(_) => Kind::String,
            Input::Object(kind, _) | Input::Other(kind) => *kind,
            Input::Threw | Input::TooBig => Kind::Unreadable,
        }
    }

    fn string(&self) -> Option<Result<String, BadString>> {
        match self {
            Input::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    fn lossy_prefix(&self, max_units: u32) -> Option<String> {
        match self {
            Input::String(Ok(s)) => Some(crate::text::utf16_prefix(s, max_units)),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Input::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Input::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn entries(&self, _kind: Kind) -> Option<Vec<Entry<'_, Self>>> {
        let this: &'a Input = self;
        match this {
            Input::Object(_, entries) => Some(
                entries
                    .as_ref()?
                    .iter()
                    .map(|(k, v)| {
                        let key = k.as_deref().map(Cow::Borrowed).map_err(|b| *b);
                        (key, (!matches!(v, Input::Threw)).then_some(v))
                    })
                    .collect(),
            ),
            _ => Some(Vec::new()),
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        let this: &'a Input = self;
        let Input::Object(Kind::PlainObject, Some(entries)) = this else {
            return None;
        };
        entries
            .iter()
            .rev()
            .find(|(k, _)| k.as_deref() == Ok(key))
            .map(|(_, v)| v)
    }
}
