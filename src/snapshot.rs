//! A caller's JS value as read in one pass by `src/snapshot.js`, and its [`Node`] view.
//!
//! Reading a request key by key from wasm costs one call across the boundary per key, value
//! and type test; the JS side instead writes the value as one string (JSON, plus `!` tags for
//! what JSON cannot say: `undefined`, `NaN`, functions, class instances, throwing getters …)
//! and [`parse`] reads it back here. The tags are listed in `src/snapshot.js`.

use crate::prelude::*;
use alloc::borrow::Cow;

use crate::value::{BadString, Entry, Kind, Node};

/// A string of a snapshot: borrowed from the text unless it had escapes.
pub type Text<'a> = Result<Cow<'a, str>, BadString>;

/// An object's entries: key (or why it cannot be read as text) and value (`None` when its
/// getter threw).
pub type Entries<'a> = Vec<(Text<'a>, Option<Snap<'a>>)>;

/// One value of a snapshot, borrowing its strings from the snapshot text.
#[derive(Clone, Debug, PartialEq)]
pub enum Snap<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number, including `NaN` and `±Infinity`.
    Number(f64),
    /// A string, or why it cannot be read as text.
    String(Text<'a>),
    /// A plain object (`None`: its keys cannot be listed), or a `Headers` and its entries.
    Object(Kind, Option<Entries<'a>>),
    /// A value of any other kind: `undefined`, an array, a `Map`, a function …
    Other(Kind),
}

/// How deep objects may nest in a snapshot. `src/snapshot.js` writes at most 4 levels; the
/// limit keeps the recursive reader's stack bounded whatever the text holds.
pub const MAX_NESTING: u32 = 32;

/// Reads snapshot text. `number` turns a JSON number that is not a short integer into an
/// `f64` (in wasm, the JS engine's `parseFloat`, so that no float parser is compiled in).
/// `None` when the text is not a snapshot.
pub fn parse<'a>(text: &'a str, number: &dyn Fn(&str) -> f64) -> Option<Snap<'a>> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
        number,
    };
    let value = reader.value()?;
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'a, 'n> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: u32,
    number: &'n dyn Fn(&str) -> f64,
}

impl<'a> Reader<'a, '_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    #[inline]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn eat(&mut self, word: &str) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    fn value(&mut self) -> Option<Snap<'a>> {
        Some(match self.peek()? {
            b'"' => Snap::String(self.string()?),
            b'{' => Snap::Object(Kind::PlainObject, Some(self.entries()?)),
            b'[' => {
                self.eat("[]")?;
                Snap::Other(Kind::Array)
            }
            b't' => self.eat("true").map(|_| Snap::Bool(true))?,
            b'f' => self.eat("false").map(|_| Snap::Bool(false))?,
            b'n' => self.eat("null").map(|_| Snap::Null)?,
            b'!' => {
                self.at += 1;
                match self.next()? {
                    b'u' => Snap::Other(Kind::Undefined),
                    b'N' => Snap::Number(f64::NAN),
                    b'I' => Snap::Number(f64::INFINITY),
                    b'J' => Snap::Number(f64::NEG_INFINITY),
                    b'b' => Snap::Other(Kind::BigInt),
                    b's' => Snap::Other(Kind::Symbol),
                    b'f' => Snap::Other(Kind::Function),
                    b'M' => Snap::Other(Kind::Map),
                    b'S' => Snap::Other(Kind::Set),
                    b'D' => Snap::Other(Kind::Date),
                    b'A' => Snap::Other(Kind::AbortSignal),
                    b'O' => Snap::Other(Kind::OtherObject),
                    b'X' => Snap::Other(Kind::Unreadable),
                    b'K' => Snap::Object(Kind::PlainObject, None),
                    b'L' => Snap::String(Err(BadString::TooLong)),
                    b'H' => match self.value()? {
                        Snap::Object(Kind::PlainObject, entries) => {
                            Snap::Object(Kind::Headers, entries)
                        }
                        _ => return None,
                    },
                    _ => return None,
                }
            }
            _ => Snap::Number(self.number()?),
        })
    }

    fn entries(&mut self) -> Option<Entries<'a>> {
        self.eat("{")?;
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let mut entries = Vec::new();
        if self.eat("}").is_some() {
            self.depth -= 1;
            return Some(entries);
        }
        loop {
            let key = if self.eat("!L").is_some() {
                Err(BadString::TooLong)
            } else {
                self.string()?
            };
            self.eat(":")?;
            let value = if self.eat("!T").is_some() {
                None
            } else {
                Some(self.value()?)
            };
            entries.push((key, value));
            match self.next()? {
                b',' => {}
                b'}' => {
                    self.depth -= 1;
                    return Some(entries);
                }
                _ => return None,
            }
        }
    }

    /// A JSON string; `Err` when an escape leaves a lone surrogate, `None` when it is not a
    /// whole string.
    fn string(&mut self) -> Option<Text<'a>> {
        self.eat("\"")?;
        let mut out: Option<String> = None;
        let mut lone = false;
        loop {
            let start = self.at;
            let rest = self.bytes.get(start..).unwrap_or_default();
            self.at += rest
                .iter()
                .position(|b| *b == b'"' || *b == b'\\')
                .unwrap_or(rest.len());
            // The stop bytes are ASCII, so the run is whole UTF-8.
            let run = self.text.get(start..self.at).unwrap_or_default();
            let stop = self.next();
            if stop == Some(b'"') && out.is_none() {
                return Some(Ok(Cow::Borrowed(run)));
            }
            let owned = out.get_or_insert_with(String::new);
            owned.push_str(run);
            if stop? == b'"' {
                break;
            }
            let c = match self.next() {
                Some(b'u') => {
                    let unit = self.hex4();
                    if (0xd800..0xdc00).contains(&unit) && self.eat("\\u").is_some() {
                        let low = self.hex4();
                        if (0xdc00..0xe000).contains(&low) {
                            char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))
                        } else {
                            lone = true;
                            char::from_u32(low)
                        }
                    } else {
                        char::from_u32(unit)
                    }
                }
                Some(b'n') => Some('\n'),
                Some(b't') => Some('\t'),
                Some(b'r') => Some('\r'),
                Some(b'b') => Some('\u{8}'),
                Some(b'f') => Some('\u{c}'),
                Some(b) => Some(char::from(b)),
                None => return None,
            };
            match c {
                Some(c) => owned.push(c),
                None => lone = true,
            }
        }
        Some(match out {
            Some(s) if !lone => Ok(Cow::Owned(s)),
            _ => Err(BadString::LoneSurrogate),
        })
    }

    fn hex4(&mut self) -> u32 {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = self.next().and_then(|b| char::from(b).to_digit(16));
            unit = unit * 16 + digit.unwrap_or(0);
        }
        unit
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.at += 1;
        }
        let text = self.text.get(start..self.at)?;
        let digits = text.strip_prefix('-').unwrap_or(text);
        if digits.is_empty() {
            return None;
        }
        // Short integers, the usual case, without a call out.
        if digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let n = digits
                .bytes()
                .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
            return Some(if text.len() > digits.len() { -n } else { n });
        }
        let n = (self.number)(text);
        (!n.is_nan()).then_some(n)
    }
}

impl<'a> Node for &'a Snap<'a> {
    fn kind(&self) -> Kind {
        match self {
            Snap::Null => Kind::Null,
            Snap::Bool(_) => Kind::Boolean,
            Snap::Number(_) => Kind::Number,
            Snap::String(_) => Kind::String,
            Snap::Object(kind, _) | Snap::Other(kind) => *kind,
        }
    }

    fn string(&self) -> Option<Result<String, BadString>> {
        match self {
            Snap::String(s) => Some(s.clone().map(Cow::into_owned)),
            _ => None,
        }
    }

    fn lossy_prefix(&self, max_units: u32) -> Option<String> {
        match self {
            Snap::String(Ok(s)) => Some(crate::text::utf16_prefix(s, max_units)),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Snap::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn boolean(&self) -> Option<bool> {
        match self {
            Snap::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn entries(&self, _kind: Kind) -> Option<Vec<Entry<'_, Self>>> {
        let this: &'a Snap<'a> = self;
        match this {
            Snap::Object(_, entries) => Some(
                entries
                    .as_ref()?
                    .iter()
                    .map(|(k, v)| (k.as_deref().map(Cow::Borrowed).map_err(|b| *b), v.as_ref()))
                    .collect(),
            ),
            _ => Some(Vec::new()),
        }
    }

    fn get(&self, key: &str) -> Option<Self> {
        let this: &'a Snap<'a> = self;
        let Snap::Object(Kind::PlainObject, Some(entries)) = this else {
            return None;
        };
        entries
            .iter()
            .rev()
            .find(|(k, _)| k.as_deref() == Ok(key))
            .and_then(|(_, v)| v.as_ref())
    }
}
