//! Text helpers std does not have: UTF-16-aware cutting, JSON string escaping, quoting user
//! text safely in messages, and decoding `\uXXXX` escapes.

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
    while let Some(found) = s.get(at..).unwrap_or_default().find("\\u") {
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
    fn clip_hides_controls_and_cuts() {
        assert_eq!(clip("a\nb", 64, '?'), "a?b");
        assert_eq!(
            clip("a\u{202e}b\u{2028}c\u{2066}d\u{200f}", 64, '?'),
            "a?b?c?d?"
        );
        assert_eq!(clip("\u{85}\u{7f}\0", 64, ' '), "   ");
        assert_eq!(clip("ééé", 2, ' '), "éé…");
        assert_eq!(clip("ééé", 3, ' '), "ééé");
        assert_eq!(clip("", 3, ' '), "");
    }
}
