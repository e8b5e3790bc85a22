//! Message building without `core::fmt`: its integer, padding and pattern-search machinery is
//! a large share of the wasm, and messages here only join strings and small integers.

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
        push_json_string(&mut out, "a\"b\\c\nd\u{1}é/");
        assert_eq!(out, r#""a\"b\\c\nd\u0001é/""#);
        let back: String = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(back, "a\"b\\c\nd\u{1}é/");
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
