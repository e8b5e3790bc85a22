//! Text helpers std does not have: cutting at a UTF-16 length, and quoting user or server text
//! safely in messages.

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

#[cfg(test)]
mod tests {
    use super::*;

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
