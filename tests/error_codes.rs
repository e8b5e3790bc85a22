//! The hand-written TypeScript contract (`pkg-template/index.d.ts`) names exactly the codes the
//! Rust core can produce: every `ERROR_CODES` entry and every `IssueCode`, as string literal
//! types, and the `ErrorCode` / `IssueCode` unions hold nothing else. A code added in Rust
//! without a type (or the reverse) fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use refold_linked_accounts::{IssueCode, ERROR_CODES};

const DTS: &str = include_str!("../pkg-template/index.d.ts");

/// The source text without `//` line comments and `/* … */` block comments (TSDoc), so that
/// a code mentioned only in prose does not count. The d.ts holds no string containing `//`
/// or `/*` outside comments except URLs in TSDoc, which this removes with the comment.
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |end| &after[end + 2..]);
        } else if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |end| &after[end..]);
        } else if let Some(after) = rest.strip_prefix('"') {
            // Copy a string literal whole, so `"https://…"` is not taken for a comment.
            let end = after.find('"').map_or(after.len(), |i| i + 1);
            out.push('"');
            out.push_str(&after[..end]);
            rest = &after[end..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The string literals of `export type <name> = "A" | "B" | …;`, in order. Panics with a
/// message when the alias is missing or holds anything but string literals.
fn union_members(code: &str, name: &str) -> Vec<String> {
    let head = format!("export type {name} =");
    let start = code
        .find(&head)
        .unwrap_or_else(|| panic!("index.d.ts has no `{head}`"))
        + head.len();
    let body = &code[start..];
    let body = &body[..body
        .find(';')
        .unwrap_or_else(|| panic!("`{head}` is not closed by `;`"))];
    body.split('|')
        .map(str::trim)
        .filter(|member| !member.is_empty())
        .map(|member| {
            member
                .strip_prefix('"')
                .and_then(|m| m.strip_suffix('"'))
                .filter(|m| !m.contains('"'))
                .unwrap_or_else(|| {
                    panic!("`{name}` member {member:?} is not a string literal type")
                })
                .to_owned()
        })
        .collect()
}

fn issue_codes() -> Vec<&'static str> {
    IssueCode::ALL.iter().map(|c| c.as_str()).collect()
}

fn assert_same_set(what: &str, in_dts: &[String], in_rust: &[&str]) {
    let dts: BTreeSet<&str> = in_dts.iter().map(String::as_str).collect();
    let rust: BTreeSet<&str> = in_rust.iter().copied().collect();
    assert_eq!(
        dts.len(),
        in_dts.len(),
        "{what} in index.d.ts lists a code twice: {in_dts:?}"
    );
    let missing: Vec<_> = rust.difference(&dts).collect();
    let extra: Vec<_> = dts.difference(&rust).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what} in index.d.ts differs from Rust: missing {missing:?}, not in Rust {extra:?}"
    );
}

#[test]
fn every_error_code_is_a_string_literal_type() {
    let code = strip_comments(DTS);
    for c in ERROR_CODES {
        assert!(
            code.contains(&format!("\"{c}\"")),
            "index.d.ts has no string literal type \"{c}\" (outside comments)"
        );
    }
}

#[test]
fn every_issue_code_is_a_string_literal_type() {
    let code = strip_comments(DTS);
    for c in issue_codes() {
        assert!(
            code.contains(&format!("\"{c}\"")),
            "index.d.ts has no string literal type \"{c}\" (outside comments)"
        );
    }
}

#[test]
fn error_code_union_is_exactly_the_rust_codes() {
    let members = union_members(&strip_comments(DTS), "ErrorCode");
    assert_same_set("ErrorCode", &members, &ERROR_CODES);
}

#[test]
fn issue_code_union_is_exactly_the_rust_codes() {
    let members = union_members(&strip_comments(DTS), "IssueCode");
    assert_same_set("IssueCode", &members, &issue_codes());
}

/// Each code has its own member of the `LinkedAccountError` union, discriminated by
/// `code: "<CODE>";` and named `"LinkedAccountError"`.
#[test]
fn every_error_code_has_a_discriminated_interface() {
    let code = strip_comments(DTS);
    let union_start = code
        .find("export type LinkedAccountError =")
        .expect("index.d.ts has no `export type LinkedAccountError =`");
    let union_text = &code[union_start..];
    let union_text = &union_text[..union_text.find(';').expect("union is closed by `;`")];
    let members: Vec<&str> = union_text
        .trim_start_matches("export type LinkedAccountError =")
        .split('|')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect();
    assert_eq!(
        members.len(),
        ERROR_CODES.len(),
        "LinkedAccountError should have one member per code: {members:?}"
    );
    let mut discriminants = Vec::new();
    for member in members {
        let head = format!("export interface {member} extends Error {{");
        let start = code
            .find(&head)
            .unwrap_or_else(|| panic!("index.d.ts has no `{head}`"));
        let body = &code[start..];
        let body = &body[..body.find("\n}").expect("interface is closed")];
        assert!(
            body.contains("name: \"LinkedAccountError\";"),
            "{member} does not declare name: \"LinkedAccountError\""
        );
        let tag = body
            .split("\n  code: ")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_else(|| panic!("{member} has no `code:` property"));
        discriminants.extend(union_members(&format!("export type X = {tag};"), "X"));
    }
    assert_same_set("LinkedAccountError codes", &discriminants, &ERROR_CODES);
}

#[test]
fn parser_rejects_what_it_should() {
    let src =
        "// \"NOT_A_CODE\"\n/** \"ALSO_NOT\" https://x.y/z */\nexport type E = \"A\" | \"B\";";
    let code = strip_comments(src);
    assert!(!code.contains("NOT_A_CODE") && !code.contains("ALSO_NOT"));
    assert_eq!(union_members(&code, "E"), ["A", "B"]);
    let url = strip_comments("export type U = \"https://a.b/c\";");
    assert_eq!(union_members(&url, "U"), ["https://a.b/c"]);
}
