//! Secret redaction (`redact::redact`): each encoding a server may echo a secret in, alone and
//! mixed, overlapping secrets, texts left alone, and a 1 MiB text. Every case states the exact
//! output.
#![cfg(not(target_arch = "wasm32"))]

use refold_linked_accounts::redact::{redact, MIN_REDACTED_LEN};

/// Each `(text, secrets, expected)` redacts to exactly `expected`.
fn check(cases: &[(&str, &[&str], &str)]) {
    for (i, (text, secrets, expected)) in cases.iter().enumerate() {
        assert_eq!(
            redact(text, secrets),
            *expected,
            "case {i}: {text:?} with {secrets:?}"
        );
    }
}

/// Each `(text, secrets)` comes back unchanged.
fn unchanged(cases: &[(&str, &[&str])]) {
    for (i, (text, secrets)) in cases.iter().enumerate() {
        assert_eq!(
            redact(text, secrets),
            *text,
            "case {i}: {text:?} with {secrets:?}"
        );
    }
}

#[test]
fn a_secret_as_written_is_redacted() {
    check(&[
        (
            "key sk-live-123456 end",
            &["sk-live-123456"],
            "key [redacted] end",
        ),
        ("sk-live-123456", &["sk-live-123456"], "[redacted]"),
        (
            "a sk-live-123456 b sk-live-123456",
            &["sk-live-123456"],
            "a [redacted] b [redacted]",
        ),
        // A secret with characters that start escapes, written plainly.
        (r"x a\b&c%41+d y", &[r"a\b&c%41+d"], "x [redacted] y"),
    ]);
}

#[test]
fn a_json_escaped_secret_is_redacted() {
    let quoted = r#"pa"ss\wörd/1"#;
    check(&[
        // As JSON.stringify writes it, and with `/` as `\/`.
        (
            r#"{"m":"pa\"ss\\wörd/1"}"#,
            &[quoted],
            r#"{"m":"[redacted]"}"#,
        ),
        (
            r#"{"m":"pa\"ss\\wörd\/1"}"#,
            &[quoted],
            r#"{"m":"[redacted]"}"#,
        ),
        // Control characters: short escapes and `\u00XX`.
        (
            r#""line1\nline2\ttab\r\b\f""#,
            &["line1\nline2\ttab\r\u{8}\u{c}"],
            r#""[redacted]""#,
        ),
        (r#""abc\u0001defg""#, &["abc\u{1}defg"], r#""[redacted]""#),
        // A secret that ends with a backslash: the whole `\\` escape goes.
        (
            r#"{"m":"secret1\\"}"#,
            &["secret1\\"],
            r#"{"m":"[redacted]"}"#,
        ),
        (r#""dir\\name1""#, &[r"dir\name1"], r#""[redacted]""#),
    ]);
}

#[test]
fn a_secret_behind_unicode_escapes_is_redacted() {
    check(&[
        (
            r"x \u0068unter2\u0073ecret y",
            &["hunter2secret"],
            "x [redacted] y",
        ),
        (
            r"\u0068\u0075\u006e\u0074\u0065\u0072\u0032",
            &["hunter2"],
            "[redacted]",
        ),
        (
            r"AbC\u002B\u002Fxyz/0123==",
            &["AbC+/xyz/0123=="],
            "[redacted]",
        ),
        (
            r"AbC\u002b\u002fxyz\/0123\u003D=",
            &["AbC+/xyz/0123=="],
            "[redacted]",
        ),
        // Surrogate pairs, hex in either case.
        (r"key\ud83d\ude00emoji.", &["key😀emoji"], "[redacted]."),
        (r"key\uD83D\uDE00emoji.", &["key😀emoji"], "[redacted]."),
    ]);
}

#[test]
fn a_secret_behind_html_references_is_redacted() {
    let secret = r#"tok<en>&"q'1"#;
    check(&[
        (
            "<p>tok&lt;en&gt;&amp;&quot;q&#39;1</p>",
            &[secret],
            "<p>[redacted]</p>",
        ),
        ("tok&lt;en&gt;&amp;&quot;q&#x27;1", &[secret], "[redacted]"),
        ("tok&lt;en&gt;&amp;&quot;q&apos;1", &[secret], "[redacted]"),
        // Numeric references for any character, decimal or hex (`x` or `X`, digits in
        // either case, leading zeros), mixed with plain characters.
        ("&#116;&#x6F;&#X6b;en12", &["token12"], "[redacted]"),
        ("t&#0111;ken&#x0000032;", &["token2"], "[redacted]"),
        (
            "&#116;&#111;&#107;&#101;&#110;&#51;",
            &["token3"],
            "[redacted]",
        ),
    ]);
}

#[test]
fn a_percent_encoded_secret_is_redacted() {
    let secret = "a b+c/d=é?";
    check(&[
        // encodeURIComponent, upper and lower case hex.
        ("q=a%20b%2Bc%2Fd%3D%C3%A9%3F&x", &[secret], "q=[redacted]&x"),
        ("q=a%20b%2bc%2fd%3d%c3%a9%3f&x", &[secret], "q=[redacted]&x"),
        // Form encoding: `+` for a space.
        ("q=a+b%2Bc%2Fd%3D%C3%A9%3F&x", &[secret], "q=[redacted]&x"),
        // Every byte encoded, letters too.
        ("%61%20%62%2B%63%2F%64%3D%C3%A9%3F", &[secret], "[redacted]"),
        ("two+words+here", &["two words here"], "[redacted]"),
    ]);
}

#[test]
fn mixed_encodings_inside_one_secret_are_redacted() {
    let secret = "A&B<c d/é😀";
    check(&[
        (
            r"[\u0041&amp;%42&#60;c+d\/&#xe9;%F0%9F%98%80]",
            &[secret],
            "[[redacted]]",
        ),
        (
            r"[A&#38;\u0042&lt;c%20d%2F%C3%A9\ud83d\ude00]",
            &[secret],
            "[[redacted]]",
        ),
        // The characters of an HTML reference or a `%XX` run JSON-escaped themselves, as an
        // encoder that escapes `&` in JSON writes an HTML-escaped text.
        (
            r#"{"m":"A\u0026amp;B\u0026lt;c d/é😀"}"#,
            &[secret],
            r#"{"m":"[redacted]"}"#,
        ),
        (
            r"x\u0025C3\u0025A9\u002B1234 y",
            &["é+1234"],
            "x[redacted] y",
        ),
        // A `%` (or `&`) in the secret, itself encoded.
        ("key%2541xyz", &["key%41xyz"], "[redacted]"),
        ("key&amp;amp;xyz", &["key&amp;xyz"], "[redacted]"),
    ]);
}

#[test]
fn overlapping_and_touching_secrets_are_one_run() {
    let pair: &[&str] = &["abcdef12", "12345678"];
    check(&[
        ("abcdef12345678", pair, "[redacted]"),
        (
            "got abcdef12345678 and 12345678.",
            pair,
            "got [redacted] and [redacted].",
        ),
        // Touching, and touching across encodings.
        ("abcdef1212345678", pair, "[redacted]"),
        ("abcdef%31%32345678", pair, "[redacted]"),
        (r"abcdef\u0031\u0032345678", pair, "[redacted]"),
        // One secret begins with another.
        (
            "key acme-prod-9f8e7d6c5b4a3210 for acme-prod",
            &["acme-prod", "acme-prod-9f8e7d6c5b4a3210"],
            "key [redacted] for [redacted]",
        ),
        // One secret inside another.
        (
            "xx-longsecret-inner-yy",
            &["inner-yy", "longsecret-inner"],
            "xx-[redacted]",
        ),
        // Overlapping occurrences of one secret.
        ("abababab", &["ababab"], "[redacted]"),
        // Apart by one character: two runs.
        ("abcdef12 12345678", pair, "[redacted] [redacted]"),
    ]);
}

#[test]
fn secrets_shorter_than_six_bytes_are_not_searched_for() {
    assert_eq!(MIN_REDACTED_LEN, 6);
    unchanged(&[
        ("x abcde y", &["abcde"]),
        ("", &["abcde"]),
        ("éé", &["éé"]),
        ("anything", &[""]),
    ]);
    check(&[
        (
            "x abcdef y abcde",
            &["abcdef", "abcde"],
            "x [redacted] y abcde",
        ),
        // Six bytes: three two-byte characters.
        ("x ééé y", &["ééé"], "x [redacted] y"),
    ]);
}

#[test]
fn non_ascii_secrets_are_redacted_in_every_encoding() {
    let secret = "pässwörd😀";
    check(&[
        ("<pässwörd😀>", &[secret], "<[redacted]>"),
        (
            r"<p\u00e4ssw\u00F6rd\ud83d\ude00>",
            &[secret],
            "<[redacted]>",
        ),
        ("<p&#228;ssw&#xF6;rd&#128512;>", &[secret], "<[redacted]>"),
        ("<p&#xe4;ssw&#246;rd&#x1f600;>", &[secret], "<[redacted]>"),
        (
            "<p%C3%A4ssw%c3%b6rd%F0%9F%98%80>",
            &[secret],
            "<[redacted]>",
        ),
        (
            "<p%C3%A4ssw&#246;rd\\ud83d\\ude00>",
            &[secret],
            "<[redacted]>",
        ),
        ("(é😀é😀)", &["é😀é😀"], "([redacted])"),
        (
            r"(\u00e9\ud83d\ude00\u00C9\uD83D\uDE00)",
            &["é😀É😀"],
            "([redacted])",
        ),
        (
            "(&#233;&#x1F600;&#xE9;&#128512;) &eacute;&#x1F600;&#233;&#128512;",
            &["é😀é😀"],
            // `&eacute;` is not read as `é`: the secret is not there.
            "([redacted]) &eacute;&#x1F600;&#233;&#128512;",
        ),
        (
            "(%C3%A9%F0%9F%98%80%c3%a9%f0%9f%98%80)",
            &["é😀é😀"],
            "([redacted])",
        ),
        (
            r"(é\ud83d\ude00&#233;%F0%9F%98%80)",
            &["é😀é😀"],
            "([redacted])",
        ),
        ("éé ééé éé", &["ééé"], "éé [redacted] éé"),
        ("%C3%A9%C3%A9%C3%A9", &["ééé"], "[redacted]"),
    ]);
}

#[test]
fn a_text_without_secrets_comes_back_unchanged() {
    let text = r#"{"a":"\u00e9 &amp; %C3%A9 + \\n \/ &#39; 😀 ☃","b":[1,2]}"#;
    unchanged(&[
        (text, &["unrelated-secret"]),
        (text, &[]),
        ("", &["unrelated-secret"]),
        // Every prefix of the secret, but never all of it.
        ("secre secret-valu secret-val%75", &["secret-value"]),
    ]);
}

#[test]
fn the_text_around_a_secret_is_kept_byte_for_byte() {
    check(&[
        (
            r#"{"x":"\u00e9&amp;%41+\n","m":"sk-live-123456","y":"&lt;%zz\"\u12"}"#,
            &["sk-live-123456"],
            r#"{"x":"\u00e9&amp;%41+\n","m":"[redacted]","y":"&lt;%zz\"\u12"}"#,
        ),
        (
            "é😀 \u{2028}sk-live-123456\u{0}\r\n☃",
            &["sk-live-123456"],
            "é😀 \u{2028}[redacted]\u{0}\r\n☃",
        ),
        // The escapes just before and after an encoded secret are not touched.
        (
            r"\u00e9sk%2Dlive%2D123456%41",
            &["sk-live-123456"],
            r"\u00e9[redacted]%41",
        ),
    ]);
}

#[test]
fn broken_escapes_and_references_without_a_semicolon_stand_for_nothing() {
    unchanged(&[
        // References without `;`, or that are no character.
        ("x&ampabcdef", &["x&abcdef"]),
        ("x&lt abcdef", &["x< abcdef"]),
        ("&#120abcdef", &["xabcdef"]),
        ("&#xZZ;abcdef", &["\u{0}abcdef"]),
        ("&#;abcdef", &["\u{0}abcdef"]),
        ("&#x;abcdef", &["\u{0}abcdef"]),
        ("&#xD800;abcdef", &["\u{fffd}abcdef"]),
        ("&#x110000;abcdef", &["\u{fffd}abcdef"]),
        ("&#99999999999999999999;abcdef", &["\u{fffd}abcdef"]),
        ("&AMP;abcdef", &["&abcdef"]),
        // Broken JSON escapes and lone surrogates.
        (r"\u12-abcdef", &["\u{12}-abcdef"]),
        (r"\uZZZZabcdef", &["\u{0}abcdef"]),
        (r"\ud83dabcdef", &["😀abcdef"]),
        (r"\ude00abcdef", &["😀abcdef"]),
        (r"\ud83d\u0041bcdef", &["😀Abcdef"]),
        // Broken percent runs: not hex, cut short, not one UTF-8 character.
        ("%G1abcdef", &["\u{1}abcdef"]),
        ("abcdef%4", &["abcdef\u{4}"]),
        ("%C3abcdef", &["éabcdef"]),
        ("%C3%41bcdef", &["éAbcdef"]),
        ("%A9abcdef", &["éabcdef"]),
        ("%F8%88%80%80%80abcdef", &["\u{fffd}abcdef"]),
    ]);
    // Beside a real secret they stay as they are.
    check(&[
        (
            r"\u12 %G1 &#xZZ; &amp sk-live-123456 &#x; %C3",
            &["sk-live-123456"],
            r"\u12 %G1 &#xZZ; &amp [redacted] &#x; %C3",
        ),
        (
            r"\u12sk-live-123456",
            &["sk-live-123456"],
            r"\u12[redacted]",
        ),
        // The text is not parsed: an escape counts wherever it stands, even as the tail of an
        // escaped backslash, so the rule hides more rather than less.
        (r"\\u0041bcdef", &["Abcdef"], r"\[redacted]"),
    ]);
}

/// A secret and the ways the large text writes it.
const ECHOES: [(&str, &[&str]); 10] = [
    (
        "sk-live-0123456789",
        &["sk-live-0123456789", r"sk-live-\u0030123456789"],
    ),
    (
        "tk_test_abcdefgh",
        &["tk_test_abcdefgh", "tk%5Ftest%5Fabcdefgh"],
    ),
    (
        "Bearer.eyJhbGci",
        &["Bearer.eyJhbGci", "Bearer&#46;eyJhbGci"],
    ),
    (
        r#"pa"ss\wörd/1"#,
        &[r#"pa\"ss\\wörd\/1"#, r"pa&quot;ss\\w%C3%B6rd/1"],
    ),
    (
        "AbC+/xyz/0123==",
        &[r"AbC\u002B\u002Fxyz/0123==", "AbC%2B%2Fxyz%2F0123%3D%3D"],
    ),
    (
        "key😀emoji",
        &[r"key\ud83d\ude00emoji", "key&#x1F600;emoji"],
    ),
    (
        "a<b>&c'd",
        &["a&lt;b&gt;&amp;c&#39;d", r"a\u003cb\u003e\u0026c'd"],
    ),
    ("two words here", &["two+words+here", "two%20words%20here"]),
    ("élan-vital", &["%C3%A9lan-vital", r"\u00e9lan-vital"]),
    ("ZXCVBNM123", &["ZXCVBNM123", "zxcvbnm123 is not it"]),
];

#[test]
fn a_mebibyte_of_text_with_ten_secrets() {
    let secrets: Vec<&str> = ECHOES.iter().map(|(secret, _)| *secret).collect();
    // Filler full of escapes, references and percent runs that stand for no secret.
    let filler = r#"{"id":"\u00e9\ud83d\ude00","q":"a%20b+c","h":"&lt;p&gt; &amp; &#39;sk-live-","n":"\\n\/","k":"tk_test_abcdefg ZXCVBNM12"}, "#;
    let mut text = String::new();
    let mut expected = String::new();
    let mut round = 0;
    while text.len() < 1 << 20 {
        text.push_str(filler);
        expected.push_str(filler);
        let (_, forms) = ECHOES[round % ECHOES.len()];
        let form = forms[round / ECHOES.len() % forms.len()];
        text.push_str(form);
        // The last form is not an occurrence: it stays.
        if form == "zxcvbnm123 is not it" {
            expected.push_str(form);
        } else {
            expected.push_str("[redacted]");
        }
        text.push('\n');
        expected.push('\n');
        round += 1;
    }
    assert!(text.len() >= 1 << 20 && round > 5_000, "{round}");
    assert_eq!(redact(&text, &secrets), expected);
}
