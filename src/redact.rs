//! Secret redaction: each occurrence of a secret (the API key, the session token, an
//! `auth_credentials` value) in server text, in any encoding a server may echo it in, becomes
//! `[redacted]`; the text outside the occurrences is kept byte for byte.
//!
//! # The matching rule
//!
//! A secret occurs at a position of the text when its characters, in order, can be read from
//! there as consecutive *units*. A unit is one character of the secret written as:
//!
//! - itself: `a`, `é`, `\`, `&`, `%`, `+`;
//! - a JSON escape: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, or `\uXXXX` (hex digits in
//!   either case), two of them for a character outside the BMP (a surrogate pair);
//! - an HTML character reference closed by `;`: `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
//!   or a numeric one, decimal `&#NNN;` or hex `&#xHH;` / `&#XHH;` (any number of digits);
//! - percent-encoded: each UTF-8 byte of the character as `%XX` (hex in either case);
//! - `+` for a space (form encoding).
//!
//! Each character of an HTML reference or of a `%XX` run may itself be a JSON escape, as a
//! server writes an HTML-escaped `&` inside JSON when its encoder escapes `&` (`\u0026amp;`).
//! Encodings nest no deeper than that: `&amp;amp;` and `%2541` are read as `&amp;` and `%41`.
//! Anything else is only itself: a reference without its `;` (`&amp`), broken escapes (`\u12`,
//! `%G1`, `&#xZZ;`), escapes of a lone surrogate (`\ud800`, `&#xD800;`), and a `%XX` run that
//! is not one whole UTF-8 character (`%C3` alone).
//!
//! The text is never decoded as a whole, which would change it outside the secrets and lose
//! where each occurrence lies: every character position is tried, the ones inside another
//! occurrence too, and the text is read unit by unit from there. A backslash, `&` or `%` can
//! stand for itself or start an escape, so a secret may be readable in several lengths at one
//! position (`\\` is one escaped backslash, or two plain ones); the longest is hidden, so an
//! escape is never cut in half. Overlapping and touching occurrences are replaced by one
//! `[redacted]`, so no part of a secret is left beside another. As the text is not parsed,
//! an escape is recognised wherever it stands, even where it is in fact the tail of an
//! escaped backslash (`\\u0041`): the rule errs toward hiding more, never less.
//!
//! Cost: an occurrence can only start at the first byte of a secret's first character or at
//! `\`, `&`, `%` or `+`, so other bytes cost one table look-up; a try stops at the first
//! character that cannot be read. Ordinary text thus costs about one step per byte, and text
//! that repeats long prefixes of a secret up to the text's length times the secret's.

/// Secrets shorter than this many bytes are not searched for: they would match ordinary
/// words, garbling the text and revealing the secret through the gaps left around each
/// `[redacted]`.
pub const MIN_REDACTED_LEN: usize = 6;

/// What each run of hidden text becomes.
const REDACTED: &str = "[redacted]";

/// Takes server text (a body, a message, a header) and the caller's secrets; returns the text
/// with each occurrence of each secret of at least [`MIN_REDACTED_LEN`] bytes, written in any
/// of the encodings of the [matching rule](self), replaced by `[redacted]`, one per run of
/// overlapping or touching occurrences, and every other byte as it was. So that nothing the
/// package keeps of server text (`message`, `rawBody`, `body`, a request id) holds a secret,
/// however the server escaped its echo.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut secrets: Vec<Vec<char>> = secrets
        .iter()
        .filter(|s| s.len() >= MIN_REDACTED_LEN)
        .map(|s| s.chars().collect())
        .collect();
    secrets.sort_unstable();
    secrets.dedup();
    if secrets.is_empty() {
        return text.to_owned();
    }
    // The secrets by the first byte of their first character.
    let mut by_first: Vec<Vec<&[char]>> = vec![Vec::new(); 256];
    for secret in &secrets {
        if let Some(list) = secret
            .first()
            .and_then(|c| by_first.get_mut(first_byte(*c)))
        {
            list.push(secret);
        }
    }
    // Byte ranges to hide, in order, neither overlapping nor touching.
    let mut hidden: Vec<(usize, usize)> = Vec::new();
    let mut reach = Reach::default();
    for (start, byte) in text.bytes().enumerate() {
        // A unit begins with the first byte of its character, or with `\`, `&`, `%` or `+`:
        // at any other byte no secret starts, and plain text costs one look-up per byte.
        // Neither kind is a UTF-8 continuation byte, so `start` is a character boundary.
        let escape = matches!(byte, b'\\' | b'&' | b'%' | b'+');
        if !escape && by_first.get(usize::from(byte)).is_none_or(Vec::is_empty) {
            continue;
        }
        let mut end = None;
        for (c, after) in units(text, start).into_iter().flatten() {
            for secret in by_first.get(first_byte(c)).into_iter().flatten() {
                if let Some((_, rest)) = secret.split_first().filter(|(head, _)| **head == c) {
                    end = end.max(reach.longest(text, after, rest));
                }
            }
        }
        let Some(end) = end else { continue };
        match hidden.last_mut() {
            Some((_, last)) if start <= *last => *last = (*last).max(end),
            _ => hidden.push((start, end)),
        }
    }
    // Units are whole characters, so every range starts and ends on a character boundary.
    let mut out = String::with_capacity(text.len());
    let mut kept = 0;
    for (start, end) in hidden {
        out.push_str(text.get(kept..start).unwrap_or_default());
        out.push_str(REDACTED);
        kept = end;
    }
    out.push_str(text.get(kept..).unwrap_or_default());
    out
}

/// One unit: the character it stands for and the byte offset just past it.
type Unit = (char, usize);

/// The units that start at byte `at` of `text`: the character there as itself, as a JSON
/// escape, and as an HTML reference, a `%XX` run or `+` for a space (each `None` when the text
/// there is not one).
fn units(text: &str, at: usize) -> [Option<Unit>; 3] {
    let plain = char_at(text, at);
    let escaped = json_escape(text, at);
    let encoded = match escaped.or(plain) {
        Some(('&', _)) => reference(text, at),
        Some(('%', _)) => percent(text, at),
        Some(('+', end)) => Some((' ', end)),
        _ => None,
    };
    [plain, escaped, encoded]
}

/// Scratch space for [`Reach::longest`], kept across tries so that a try allocates nothing.
#[derive(Default)]
struct Reach {
    /// Where the text may continue after the characters of the secret read so far.
    now: Vec<usize>,
    /// The same after one character more.
    next: Vec<usize>,
}

impl Reach {
    /// Takes a position and the characters of a secret; returns the end of the longest
    /// reading of those characters from there, if there is one. Every way of reading the text
    /// is followed at once, as a set of positions, so that the ambiguous units (`\\`,
    /// `&amp;`, `%25`) cost no backtracking.
    fn longest(&mut self, text: &str, from: usize, secret: &[char]) -> Option<usize> {
        let Reach { now, next } = self;
        now.clear();
        now.push(from);
        for &c in secret {
            next.clear();
            for &at in now.iter() {
                push_ends(next, &units(text, at), c);
            }
            if next.is_empty() {
                return None;
            }
            core::mem::swap(now, next);
        }
        now.iter().copied().max()
    }
}

/// Adds to `ends` where each unit of `units` that stands for `c` ends, once each.
fn push_ends(ends: &mut Vec<usize>, units: &[Option<Unit>; 3], c: char) {
    for unit in units {
        if let Some((unit, end)) = *unit {
            if unit == c && !ends.contains(&end) {
                ends.push(end);
            }
        }
    }
}

/// The first byte of `c` in UTF-8, as an index.
fn first_byte(c: char) -> usize {
    let mut utf8 = [0; 4];
    let bytes = c.encode_utf8(&mut utf8).as_bytes();
    bytes.first().map_or(0, |b| usize::from(*b))
}

/// The character at byte `at`, as itself.
fn char_at(text: &str, at: usize) -> Option<Unit> {
    let c = text.get(at..)?.chars().next()?;
    Some((c, at + c.len_utf8()))
}

/// The JSON escape at byte `at`: a short one, `\uXXXX`, or a `\uXXXX\uXXXX` surrogate pair.
fn json_escape(text: &str, at: usize) -> Option<Unit> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'\\') {
        return None;
    }
    let c = match bytes.get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = hex4(text, at + 2)?;
            if !(0xd800..0xdc00).contains(&unit) {
                // A lone low surrogate is no character: `from_u32` refuses it.
                return char::from_u32(unit).map(|c| (c, at + 6));
            }
            if text.get(at + 6..at + 8) != Some("\\u") {
                return None;
            }
            let low = hex4(text, at + 8).filter(|low| (0xdc00..0xe000).contains(low))?;
            let pair = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
            return char::from_u32(pair).map(|c| (c, at + 12));
        }
        _ => return None,
    };
    Some((c, at + 2))
}

/// The four hex digits at byte `at`, as a number.
fn hex4(text: &str, at: usize) -> Option<u32> {
    text.get(at..at + 4)?
        .chars()
        .try_fold(0, |n, c| Some(n * 16 + c.to_digit(16)?))
}

/// The character at byte `at` as written or JSON-escaped: how the characters of an HTML
/// reference or a `%XX` run are read.
fn read(text: &str, at: usize) -> Option<Unit> {
    json_escape(text, at).or_else(|| char_at(text, at))
}

/// Where the text continues after reading `expected` with [`read`] from byte `at`.
fn read_str(text: &str, at: usize, expected: &str) -> Option<usize> {
    expected.chars().try_fold(at, |at, c| {
        read(text, at)
            .filter(|(got, _)| *got == c)
            .map(|(_, end)| end)
    })
}

/// The named HTML references read as one character.
const NAMED: [(&str, char); 5] = [
    ("amp;", '&'),
    ("lt;", '<'),
    ("gt;", '>'),
    ("quot;", '"'),
    ("apos;", '\''),
];

/// The HTML character reference at byte `at`: named (from [`NAMED`]) or numeric, closed by
/// `;`, standing for a character (not a surrogate, not past U+10FFFF).
fn reference(text: &str, at: usize) -> Option<Unit> {
    let at = read_str(text, at, "&")?;
    let named = NAMED
        .iter()
        .find_map(|(name, c)| read_str(text, at, name).map(|end| (*c, end)));
    if named.is_some() {
        return named;
    }
    let at = read_str(text, at, "#")?;
    let (radix, mut at) = match read(text, at)? {
        ('x' | 'X', end) => (16, end),
        _ => (10, at),
    };
    // Past U+10FFFF the value stops growing: it is no character however many digits follow.
    let mut value: Option<u32> = None;
    loop {
        let (c, end) = read(text, at)?;
        if c == ';' {
            return char::from_u32(value?).map(|c| (c, end));
        }
        let digit = c.to_digit(radix)?;
        value = Some(
            value
                .unwrap_or(0)
                .saturating_mul(radix)
                .saturating_add(digit)
                .min(0x11_0000),
        );
        at = end;
    }
}

/// The `%XX` byte at byte `at`.
fn percent_byte(text: &str, at: usize) -> Option<(u8, usize)> {
    let at = read_str(text, at, "%")?;
    let (high, at) = read(text, at)?;
    let (low, end) = read(text, at)?;
    let byte = high.to_digit(16)? * 16 + low.to_digit(16)?;
    Some((byte as u8, end))
}

/// The run of `%XX` bytes at byte `at` that encodes one UTF-8 character: as many as its first
/// byte announces, together valid UTF-8.
fn percent(text: &str, at: usize) -> Option<Unit> {
    let (lead, mut end) = percent_byte(text, at)?;
    let len = match lead {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    for byte in bytes.iter_mut().take(len).skip(1) {
        (*byte, end) = percent_byte(text, end)?;
    }
    let c = core::str::from_utf8(bytes.get(..len)?)
        .ok()?
        .chars()
        .next()?;
    Some((c, end))
}
