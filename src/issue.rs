//! Validation issues: one per broken rule per place, each with a path, a stable code and a
//! message for people.

use serde::Serialize;
use std::fmt;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One segment of an issue's path: an object key or an array index (`string | number`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(untagged)]
pub enum PathSegment {
    /// An object key, e.g. `"udf"`.
    Key(String),
    /// An array index.
    Index(u32),
}

/// The stable machine-readable kind of a [`ValidationIssue`] (its JS `code` string:
/// `"required"`, `"invalid_type"` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// A required field is missing (or `undefined`).
    Required,
    /// The value has the wrong type (`expected string, received number`).
    InvalidType,
    /// A string or object is empty where a non-empty one is required, or a number is below
    /// its minimum.
    TooSmall,
    /// A number is above its maximum.
    TooBig,
    /// A string has the right type but a wrong form (control characters, a bad URL …).
    InvalidString,
    /// An object has a key this API does not know.
    UnrecognizedKey,
    /// Two keys are equal ignoring ASCII case.
    DuplicateKey,
    /// A number is `NaN` or `±Infinity`, which JSON cannot carry.
    NotFinite,
    /// Two settings cannot be used together, or a setting collides with one the client owns.
    Conflict,
}

impl IssueCode {
    /// Every code, for contract tests.
    pub const ALL: [IssueCode; 9] = [
        IssueCode::Required,
        IssueCode::InvalidType,
        IssueCode::TooSmall,
        IssueCode::TooBig,
        IssueCode::InvalidString,
        IssueCode::UnrecognizedKey,
        IssueCode::DuplicateKey,
        IssueCode::NotFinite,
        IssueCode::Conflict,
    ];

    /// The code as JS sees it: `"required"`, `"invalid_type"` …
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Required => "required",
            IssueCode::InvalidType => "invalid_type",
            IssueCode::TooSmall => "too_small",
            IssueCode::TooBig => "too_big",
            IssueCode::InvalidString => "invalid_string",
            IssueCode::UnrecognizedKey => "unrecognized_key",
            IssueCode::DuplicateKey => "duplicate_key",
            IssueCode::NotFinite => "not_finite",
            IssueCode::Conflict => "conflict",
        }
    }
}

/// One broken rule at one place: `{ path: ["udf", "plan"], code: "not_finite", message }`.
///
/// The message never contains a secret: it names the field and what was expected, not the
/// value that was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ValidationIssue {
    /// Where, relative to the validated value (the request, or the options).
    pub path: Vec<PathSegment>,
    /// Which rule.
    pub code: IssueCode,
    /// For people; may change between versions.
    pub message: String,
}

impl ValidationIssue {
    /// The path as JS would write it: `udf.plan`, `headers["x-api-key"]`, or `(root)`.
    pub fn path_string(&self) -> String {
        if self.path.is_empty() {
            return "(root)".to_owned();
        }
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                PathSegment::Key(key) if is_identifier(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                PathSegment::Key(key) => {
                    out.push_str("[\"");
                    for c in key.chars() {
                        match c {
                            '"' => out.push_str("\\\""),
                            '\\' => out.push_str("\\\\"),
                            c if c.is_control() => out.push('?'),
                            c => out.push(c),
                        }
                    }
                    out.push_str("\"]");
                }
                PathSegment::Index(i) => {
                    out.push('[');
                    out.push_str(&(u64::from(*i)).to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

impl ValidationIssue {
    /// `path: message`, as in the error's message.
    pub fn to_text(&self) -> String {
        [self.path_string().as_str(), ": ", &self.message].concat()
    }
}

impl fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// Collects issues under a growing path.
#[derive(Default)]
pub(crate) struct Issues {
    pub(crate) list: Vec<ValidationIssue>,
}

impl Issues {
    /// Whether an issue was already reported at exactly `path`.
    pub(crate) fn has(&self, path: &[&str]) -> bool {
        self.list.iter().any(|issue| {
            issue.path.len() == path.len()
                && issue
                    .path
                    .iter()
                    .zip(path)
                    .all(|(segment, key)| matches!(segment, PathSegment::Key(k) if k == key))
        })
    }

    /// `Ok(value)` when no issue was reported, else every issue.
    pub(crate) fn result<T>(self, value: T) -> Result<T, Vec<ValidationIssue>> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(self.list)
        }
    }

    pub(crate) fn push(&mut self, path: &[&str], code: IssueCode, message: impl Into<String>) {
        self.list.push(ValidationIssue {
            path: path
                .iter()
                .map(|s| PathSegment::Key((*s).to_owned()))
                .collect(),
            code,
            message: message.into(),
        });
    }
}

/// The closest key in `known` to `key`, for "did you mean" hints: equal ignoring ASCII case,
/// `_` and `-` (`linkedAccountId` → `linked_account_id`), else one is a prefix of the other
/// (`timeout` → `timeoutMs`), else within a small edit distance counting a swap of two
/// neighbours as one edit (`nmae` → `name`).
pub fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    // ASCII-only folding: the known keys are ASCII, and Unicode case tables cost wasm bytes.
    let squash = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = squash(key);
    let candidates: Vec<(Vec<char>, &'a str)> = known.iter().map(|k| (squash(k), *k)).collect();
    if let Some((_, hit)) = candidates.iter().find(|(k, _)| *k == wanted) {
        return Some(hit);
    }
    if wanted.len() >= 4 {
        if let Some((_, hit)) = candidates
            .iter()
            .find(|(k, _)| k.starts_with(&wanted) || wanted.starts_with(k))
        {
            return Some(hit);
        }
    }
    let limit = (wanted.len() / 3).clamp(1, 3);
    candidates
        .iter()
        // Lengths further apart than the limit are further apart than it in distance too, and
        // a megabyte-long key never reaches the quadratic table.
        .filter(|(k, _)| k.len().abs_diff(wanted.len()) <= limit)
        .map(|(k, name)| (edit_distance(&wanted, k), *name))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), over short
/// keys only, so the quadratic cost is nothing.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d: Vec<usize> = vec![0; (a.len() + 1) * width];
    // Read with `get`: every index is in range, and no bounds-check panic code is linked.
    let at = |d: &[usize], i: usize, j: usize| d.get(i * width + j).copied().unwrap_or(0);
    let same = |i: usize, j: usize| a.get(i).is_some_and(|c| Some(c) == b.get(j));
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let value = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(!same(i - 1, j - 1));
                let mut best = (at(&d, i - 1, j) + 1)
                    .min(at(&d, i, j - 1) + 1)
                    .min(at(&d, i - 1, j - 1) + cost);
                if i > 1 && j > 1 && same(i - 1, j - 2) && same(i - 2, j - 1) {
                    best = best.min(at(&d, i - 2, j - 2) + 1);
                }
                best
            };
            if let Some(slot) = d.get_mut(i * width + j) {
                *slot = value;
            }
        }
    }
    at(&d, a.len(), b.len())
}

/// "unrecognized key "x"; did you mean "y"?" (or without the hint). The key is quoted with
/// control characters replaced, so a hostile key cannot forge message text.
pub(crate) fn unrecognized(key: &str, known: &[&str]) -> String {
    let mut message = ["unrecognized key \"", &printable(key), "\""].concat();
    match suggest(key, known) {
        Some(hint) => {
            message.push_str("; did you mean \"");
            message.push_str(hint);
            message.push_str("\"?");
        }
        None => {
            message.push_str("; expected one of: ");
            for (i, name) in known.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                message.push_str(name);
            }
        }
    }
    message
}

/// `s` with control, line-separator and bidirectional-control characters shown as `?` and cut
/// to 64 chars, for quoting user keys.
pub(crate) fn printable(s: &str) -> String {
    crate::text::clip(s, 64, '?')
}
