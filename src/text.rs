//! Message building without `core::fmt`: its integer, padding and pattern-search machinery is
//! a large share of the wasm, and messages here only join strings and small integers.

use crate::prelude::*;
use alloc::borrow::Cow;

/// `n` in decimal.
pub fn decimal(mut n: u64) -> String {
    let mut out = String::new();
    loop {
        out.insert(0, char::from(b'0' + (n % 10) as u8));
        n /= 10;
        if n == 0 {
            return out;
        }
    }
}

/// The byte offset of the first `needle` in `haystack` (a plain scan: the texts are at most a
/// response body and the needles a few secrets).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// `haystack` with every `needle` replaced by `with`. A match of valid UTF-8 in valid UTF-8
/// starts and ends on character boundaries, so the pieces stay valid.
pub fn replace_all(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = find(rest, needle).filter(|_| !needle.is_empty()) {
        let (before, after) = (rest.get(..at), rest.get(at + needle.len()..));
        let (Some(before), Some(after)) = (before, after) else {
            break;
        };
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// At most the first `max_units` UTF-16 code units of `s`, cut between characters.
pub fn utf16_prefix(s: &str, max_units: u32) -> String {
    let mut units = 0;
    s.chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max_units as usize
        })
        .collect()
}

/// Appends `s` as a JSON string literal (quotes included), escaped as `JSON.stringify` does.
/// Runs that need no escape are copied whole.
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (at, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push_str(s.get(run..at).unwrap_or_default());
        run = at + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// The strings one after another, as `[…].concat()` gives them, without its generic code in
/// the wasm (1 KB).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The first `max` chars of `s`, and `…` when something was cut, with each character that
/// could break or reorder the message around it shown as `control`: control characters, the
/// Unicode line and paragraph separators, and the bidirectional controls (which would make a
/// hostile key display as other text). For quoting user and server text in messages.
pub fn clip(s: &str, max: usize, control: char) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        let unsafe_in_text = c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}'
                    | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            );
        out.push(if unsafe_in_text { control } else { c });
    }
    out
}

/// `s` cut at every `separator` (an ASCII byte), as `str::split` does, without its searcher
/// code in the wasm.
pub fn split_ascii(s: &str, separator: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let text = rest?;
        match text.bytes().position(|b| b == separator) {
            Some(at) => {
                rest = text.get(at + 1..);
                text.get(..at)
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// Strings seen so far, found again ignoring ASCII case in about constant time (a quadratic
/// scan made 20 000 credential keys take seconds). Hand-rolled: a `HashSet` would pull a
/// hasher and its tables into the wasm. Open addressing over one table of item numbers, so a
/// set costs two allocations whatever it holds; items are kept as given (borrowed keys stay
/// borrowed).
pub struct FoldedSet<'s> {
    /// `0` for an empty slot, else 1 + an index into `items`. Never more than half full.
    slots: Vec<u32>,
    items: Vec<Cow<'s, str>>,
}

impl<'s> FoldedSet<'s> {
    /// A set sized for about `n` strings (it grows past that).
    pub fn with_capacity(n: usize) -> Self {
        FoldedSet {
            slots: vec![0; (2 * n).max(8).next_power_of_two()],
            items: Vec::with_capacity(n),
        }
    }

    fn hash(s: &str) -> usize {
        // FNV-1a over the lower-cased bytes.
        let hash = s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
        });
        hash as usize
    }

    /// The slot holding a string equal to `s` ignoring ASCII case, else the empty slot where
    /// it would go.
    fn slot(&self, s: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = Self::hash(s) & mask;
        loop {
            match self.slots.get(at).copied().unwrap_or(0) {
                0 => return at,
                n => {
                    let item = self.items.get(n as usize - 1);
                    if item.is_some_and(|item| item.eq_ignore_ascii_case(s)) {
                        return at;
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The string already in the set that equals `s` ignoring ASCII case.
    pub fn find(&self, s: &str) -> Option<&str> {
        let n = *self.slots.get(self.slot(s))?;
        self.items
            .get(n.checked_sub(1)? as usize)
            .map(|item| &**item)
    }

    /// Adds `s`, unless the set already holds it ignoring ASCII case.
    pub fn insert(&mut self, s: Cow<'s, str>) {
        if 2 * (self.items.len() + 1) > self.slots.len() {
            let old = core::mem::take(&mut self.items);
            *self = FoldedSet::with_capacity(self.slots.len());
            for item in old {
                self.insert(item);
            }
        }
        let at = self.slot(&s);
        if let Some(slot @ 0) = self.slots.get_mut(at) {
            self.items.push(s);
            *slot = self.items.len() as u32;
        }
    }
}

/// `s` with every JSON `\uXXXX` escape (and escaped surrogate pair) replaced by its character;
/// other text, other escapes and escapes of lone surrogates are kept as they are. For finding
/// secrets that a server escaped in a way their listed forms do not cover.
pub fn decode_unicode_escapes(s: &str) -> String {
    let hex = |at: usize| {
        s.get(at..at + 4)?
            .chars()
            .try_fold(0, |n, c| Some(n * 16 + c.to_digit(16)?))
    };
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    while let Some(found) = find(s.get(at..).unwrap_or_default(), "\\u") {
        let start = at + found;
        out.push_str(s.get(at..start).unwrap_or_default());
        let decoded = hex(start + 2).and_then(|unit| match unit {
            0xd800..=0xdbff => {
                let low = (s.get(start + 6..start + 8) == Some("\\u"))
                    .then(|| hex(start + 8))
                    .flatten()
                    .filter(|low| (0xdc00..0xe000).contains(low))?;
                char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)).map(|c| (c, 12))
            }
            unit => char::from_u32(unit).map(|c| (c, 6)),
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                at = start + len;
            }
            None => {
                out.push_str("\\u");
                at = start + 2;
            }
        }
    }
    out.push_str(s.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_display() {
        for n in [0, 7, 10, 429, 60_000, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn json_strings_match_json_stringify() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c\nd\u{1}é/\u{8}\u{c}");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é/\b\f""#);
        let back: String = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back, "a\"b\\c\nd\u{1}é/\u{8}\u{c}");
    }

    #[test]
    fn unicode_escapes_decode_and_the_rest_stays() {
        assert_eq!(
            decode_unicode_escapes(r#"a\u0068b \ud83d\ude00 \u002B \ud800 x \u12 \n \uZZZZ"#),
            "ahb 😀 + \\ud800 x \\u12 \\n \\uZZZZ"
        );
        assert_eq!(decode_unicode_escapes("plain"), "plain");
        assert_eq!(decode_unicode_escapes("\\u00e9\\u00E9"), "éé");
    }

    #[test]
    fn folded_set_finds_keys_ignoring_ascii_case() {
        let mut set = FoldedSet::with_capacity(3);
        for key in ["X-Api-Key", "base-url", "é"] {
            set.insert(key.into());
        }
        assert_eq!(set.find("x-api-key"), Some("X-Api-Key"));
        assert_eq!(set.find("BASE-URL"), Some("base-url"));
        assert_eq!(set.find("É"), None, "only ASCII folds");
        assert_eq!(set.find("é"), Some("é"));
        assert_eq!(set.find("other"), None);
        let mut big = FoldedSet::with_capacity(50_000);
        for i in 0..50_000 {
            big.insert(concat(&["k", &decimal(i)]).into());
        }
        assert_eq!(big.find("K49999"), Some("k49999"));
        // Grows past its capacity; a repeat (ignoring case) keeps the first spelling.
        let mut grown = FoldedSet::with_capacity(0);
        for i in 0..1_000 {
            grown.insert(concat(&["Key", &decimal(i)]).into());
        }
        grown.insert("KEY7".into());
        assert_eq!(grown.items.len(), 1_000);
        for i in 0..1_000 {
            let key = concat(&["kEY", &decimal(i)]);
            assert_eq!(
                grown.find(&key),
                Some(concat(&["Key", &decimal(i)]).as_str())
            );
        }
        assert_eq!(grown.find("Key1000"), None);
    }

    #[test]
    fn clip_and_split_ascii() {
        assert_eq!(clip("a\nb", 64, '?'), "a?b");
        assert_eq!(
            clip("a\u{202e}b\u{2028}c\u{2066}d\u{200f}", 64, '?'),
            "a?b?c?d?"
        );
        assert_eq!(clip("\u{85}\u{7f}\0", 64, ' '), "   ");
        assert_eq!(clip("ééé", 2, ' '), "éé…");
        assert_eq!(clip("ééé", 3, ' '), "ééé");
        assert_eq!(clip("", 3, ' '), "");
        let parts = |s| split_ascii(s, b'.').collect::<Vec<_>>();
        assert_eq!(parts("0.0.1"), ["0", "0", "1"]);
        assert_eq!(parts(""), [""]);
        assert_eq!(parts("a..é."), ["a", "", "é", ""]);
    }

    #[test]
    fn replace_all_replaces_every_match_and_keeps_utf8() {
        assert_eq!(replace_all("a-key-b-key", "key", "[r]"), "a-[r]-b-[r]");
        assert_eq!(replace_all("ééé", "é", "e"), "eee");
        assert_eq!(replace_all("keykey", "key", ""), "");
        assert_eq!(replace_all("abc", "", "x"), "abc");
        assert_eq!(replace_all("abc", "zz", "x"), "abc");
        assert_eq!(find("héllo wörld", "wö"), Some(7));
        assert_eq!(find("short", "longer needle"), None);
    }
}
