//! Validation of an `UpsertLinkedAccountRequest` (`docs/contract.md`, "Request rules") and of
//! the other calls' arguments ("The other calls"), all
//! issues at once.
//!
//! Source for the request shape: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.

use crate::issue::{printable, unrecognized, IssueCode, Issues, ValidationIssue};
use crate::options::check_integer;
pub use crate::types::{
    CreateSessionTokenOptions, ListLinkedAccountsQuery, UdfValue, UpsertLinkedAccountRequest,
    YourApp,
};
use crate::value::{BadString, Key, Kind, Node};
use std::borrow::Cow;
use std::collections::HashMap;

const REQUEST_KEYS: [&str; 4] = ["linked_account_id", "name", "your_app", "udf"];
const YOUR_APP_KEYS: [&str; 2] = ["auth_credentials", "app_id"];

/// Checks `request` against every rule of `docs/contract.md` ("Request rules") and returns the typed request, or every
/// broken rule at once (never just the first).
///
/// Issue codes: `invalid_type`, `required`, `too_small`, `invalid_string`, `unrecognized_key`,
/// `duplicate_key`, `not_finite`. Paths are relative to the request (`["udf", "plan"]`).
pub fn validate<N: Node>(request: &N) -> Result<UpsertLinkedAccountRequest, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let kind = request.kind();
    if kind != Kind::PlainObject {
        issues.push(
            &[],
            IssueCode::InvalidType,
            expected("a plain object", kind),
        );
        return Err(issues.list);
    }

    let mut linked_account_id = None;
    let mut name = None;
    let mut your_app = None;
    let mut udf = None;
    let mut saw_id = false;
    let Some(entries) = present_entries(request, Kind::PlainObject, &[], &mut issues) else {
        return Err(issues.list);
    };
    for (key, value) in entries {
        let Some(key) = readable_key(key, &[], &mut issues) else {
            continue;
        };
        match &*key {
            "linked_account_id" => {
                saw_id = true;
                linked_account_id = check_id(&value, &mut issues);
            }
            "name" => name = check_string(&value, &["name"], &mut issues),
            "your_app" => your_app = check_your_app(&value, &mut issues),
            "udf" => udf = check_udf(&value, &mut issues),
            other => issues.push(
                &[other],
                IssueCode::UnrecognizedKey,
                unrecognized(other, &REQUEST_KEYS),
            ),
        }
    }
    if !saw_id && !issues.has(&["linked_account_id"]) {
        issues.push(
            &["linked_account_id"],
            IssueCode::Required,
            "linked_account_id is required: the customer's unique id in your system, e.g. an email",
        );
    }
    match linked_account_id {
        Some(linked_account_id) if issues.list.is_empty() => Ok(UpsertLinkedAccountRequest {
            linked_account_id,
            name,
            your_app,
            udf,
        }),
        _ => Err(issues.list),
    }
}

/// The message for a key that cannot be read as text.
fn bad_key(bad: BadString) -> String {
    ["a key ", bad.message()].concat()
}

/// The key as text, or `None` after an issue at `path` (the object holding it) when it cannot
/// be read as text.
pub(crate) fn readable_key<'k>(
    key: Key<'k>,
    path: &[&str],
    issues: &mut Issues,
) -> Option<Cow<'k, str>> {
    key.map_err(|bad| issues.push(path, bad.code(), bad_key(bad)))
        .ok()
}

/// Entries whose value is not `undefined` (which counts as absent everywhere). What cannot be
/// read is an `invalid_type` issue, never silently absent: a getter that throws at
/// `path + key`; keys that cannot be listed at `path`, and then `None`, as nothing more can
/// be said about the object.
pub(crate) fn present_entries<'n, N: Node>(
    node: &'n N,
    kind: Kind,
    path: &[&str],
    issues: &mut Issues,
) -> Option<Vec<(Key<'n>, N)>> {
    let Some(entries) = node.entries(kind) else {
        issues.push(path, IssueCode::InvalidType, UNLISTABLE);
        return None;
    };
    // Filtered in place: the list keeps its allocation.
    let present = entries
        .into_iter()
        .filter_map(|(key, value)| match value {
            Some(value) if value.kind() == Kind::Undefined => None,
            Some(value) => Some((key, value)),
            None => {
                let mut at = path.to_vec();
                if let Ok(key) = &key {
                    at.push(key);
                }
                issues.push(&at, IssueCode::InvalidType, UNREADABLE);
                None
            }
        })
        .collect();
    Some(present)
}

const UNLISTABLE: &str = "could not be read: listing its keys threw";
const UNREADABLE: &str = "could not be read: its getter threw";

pub(crate) fn expected(what: &str, received: Kind) -> String {
    ["expected ", what, ", received ", received.describe()].concat()
}

/// JS `String.prototype.trim()` whitespace (WhiteSpace and LineTerminator), which differs from
/// Rust's `char::is_whitespace` at U+0085 and U+FEFF.
pub(crate) fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// Empty after JS `trim()`.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(is_js_whitespace)
}

/// U+0000–U+001F and U+007F–U+009F.
pub(crate) fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

fn check_id<N: Node>(value: &N, issues: &mut Issues) -> Option<String> {
    let path = ["linked_account_id"];
    let id = check_string(value, &path, issues)?;
    let mut ok = true;
    if is_blank(&id) {
        issues.push(
            &path,
            IssueCode::TooSmall,
            "linked_account_id must not be empty or whitespace only",
        );
        ok = false;
    }
    if has_control(&id) {
        issues.push(
            &path,
            IssueCode::InvalidString,
            "linked_account_id must not contain control characters (U+0000–U+001F, U+007F–U+009F)",
        );
        ok = false;
    }
    ok.then_some(id)
}

/// A string at `path`, or an `invalid_type` / `invalid_string` issue.
pub(crate) fn check_string<N: Node>(
    value: &N,
    path: &[&str],
    issues: &mut Issues,
) -> Option<String> {
    match value.string() {
        Some(Ok(s)) => Some(s),
        Some(Err(bad)) => {
            issues.push(path, bad.code(), bad.message());
            None
        }
        None => {
            issues.push(
                path,
                IssueCode::InvalidType,
                expected("string", value.kind()),
            );
            None
        }
    }
}

fn check_your_app<N: Node>(value: &N, issues: &mut Issues) -> Option<YourApp> {
    let kind = value.kind();
    if kind != Kind::PlainObject {
        issues.push(
            &["your_app"],
            IssueCode::InvalidType,
            expected("an object with auth_credentials", kind),
        );
        return None;
    }
    let before = issues.list.len();
    let mut app_id = None;
    let mut credentials = None;
    let mut saw_credentials = false;
    for (key, value) in present_entries(value, Kind::PlainObject, &["your_app"], issues)? {
        let Some(key) = readable_key(key, &["your_app"], issues) else {
            continue;
        };
        match &*key {
            "auth_credentials" => {
                saw_credentials = true;
                credentials = check_credentials(&value, issues);
            }
            "app_id" => {
                let path = ["your_app", "app_id"];
                if let Some(id) = check_string(&value, &path, issues) {
                    if is_blank(&id) {
                        issues.push(
                            &path,
                            IssueCode::TooSmall,
                            "app_id must not be empty or whitespace only",
                        );
                    } else {
                        app_id = Some(id);
                    }
                }
            }
            other => issues.push(
                &["your_app", other],
                IssueCode::UnrecognizedKey,
                unrecognized(other, &YOUR_APP_KEYS),
            ),
        }
    }
    if !saw_credentials && !issues.has(&["your_app", "auth_credentials"]) {
        issues.push(
            &["your_app", "auth_credentials"],
            IssueCode::Required,
            "your_app needs auth_credentials: Refold rejects a your_app without them \
             (leave your_app out instead)",
        );
    }
    if issues.list.len() != before {
        return None;
    }
    credentials.map(|auth_credentials| YourApp {
        app_id,
        auth_credentials,
    })
}

fn check_credentials<N: Node>(value: &N, issues: &mut Issues) -> Option<Vec<(String, String)>> {
    let base = ["your_app", "auth_credentials"];
    let kind = value.kind();
    if kind != Kind::PlainObject {
        issues.push(
            &base,
            IssueCode::InvalidType,
            expected("an object of string credentials", kind),
        );
        return None;
    }
    let before_entries = issues.list.len();
    let entries = present_entries(value, Kind::PlainObject, &base, issues)?;
    if entries.is_empty() && issues.list.len() == before_entries {
        issues.push(
            &base,
            IssueCode::TooSmall,
            "auth_credentials must have at least one key",
        );
        return None;
    }
    let before = issues.list.len();
    let mut out: Vec<(String, String)> = Vec::with_capacity(entries.len());
    // Keys seen so far, by their ASCII-lower-case form, each with its first spelling.
    let mut seen: HashMap<String, Cow<'_, str>> = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        let Some(key) = readable_key(key, &base, issues) else {
            continue;
        };
        let path = ["your_app", "auth_credentials", &*key];
        if is_blank(&key) {
            issues.push(
                &path,
                IssueCode::TooSmall,
                "credential key names must not be empty or whitespace only",
            );
        } else if let Some(first) = seen.get(&key.to_ascii_lowercase()) {
            issues.push(
                &path,
                IssueCode::DuplicateKey,
                [
                    "credential key \"",
                    &printable(&key),
                    "\" repeats \"",
                    &printable(first),
                    "\" ignoring case; Refold rejects duplicate key names",
                ]
                .concat(),
            );
        }
        seen.entry(key.to_ascii_lowercase())
            .or_insert_with(|| key.clone());
        // Never echo the value: credentials are secrets.
        match value.string() {
            Some(Ok(s)) => out.push((key.into_owned(), s)),
            Some(Err(bad)) => issues.push(&path, bad.code(), bad.message()),
            None => issues.push(
                &path,
                IssueCode::InvalidType,
                expected("string", value.kind()),
            ),
        }
    }
    (issues.list.len() == before).then_some(out)
}

fn check_udf<N: Node>(value: &N, issues: &mut Issues) -> Option<Vec<(String, UdfValue)>> {
    let kind = value.kind();
    if kind != Kind::PlainObject {
        issues.push(
            &["udf"],
            IssueCode::InvalidType,
            expected("an object of primitive values", kind),
        );
        return None;
    }
    let before = issues.list.len();
    let mut out = Vec::new();
    for (key, value) in present_entries(value, Kind::PlainObject, &["udf"], issues)? {
        let Some(key) = readable_key(key, &["udf"], issues) else {
            continue;
        };
        let path = ["udf", &*key];
        if is_blank(&key) {
            issues.push(
                &path,
                IssueCode::TooSmall,
                "udf keys must not be empty or whitespace only",
            );
        }
        let kind = value.kind();
        let parsed = match kind {
            Kind::String => match value.string() {
                Some(Ok(s)) => Some(UdfValue::String(s)),
                Some(Err(bad)) => {
                    issues.push(&path, bad.code(), bad.message());
                    None
                }
                None => None,
            },
            Kind::Number => match value.number() {
                Some(n) if n.is_finite() => Some(UdfValue::Number(n)),
                _ => {
                    issues.push(
                        &path,
                        IssueCode::NotFinite,
                        "udf numbers must be finite: NaN and ±Infinity cannot be sent as JSON",
                    );
                    None
                }
            },
            Kind::Boolean => value.boolean().map(UdfValue::Bool),
            Kind::Null => Some(UdfValue::Null),
            _ => {
                issues.push(
                    &path,
                    IssueCode::InvalidType,
                    expected("a string, finite number, boolean or null", kind),
                );
                None
            }
        };
        if let Some(parsed) = parsed {
            out.push((key.into_owned(), parsed));
        }
    }
    (issues.list.len() == before).then_some(out)
}

// ---------------------------------------------------------------------------------------------
// The arguments of the other calls (`docs/contract.md`, "The other calls").

const LIST_QUERY_KEYS: [&str; 5] = [
    "page",
    "limit",
    "env_variable_name",
    "env_variable_value",
    "scope",
];
const SESSION_TOKEN_KEYS: [&str; 1] = ["forceRefresh"];

/// Most accounts the server sends per list page.
pub const MAX_LIST_LIMIT: u32 = 100;

/// Checks a `linked_account_id` argument (get, delete, session token) with the same rules as
/// the request field: a string, not blank, no control characters. Issues are at
/// `["linked_account_id"]`.
pub fn validate_linked_account_id<N: Node>(id: &N) -> Result<String, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    if id.kind() == Kind::Undefined {
        issues.push(
            &["linked_account_id"],
            IssueCode::Required,
            "linked_account_id is required: the customer's unique id in your system",
        );
        return Err(issues.list);
    }
    check_id(id, &mut issues).ok_or(issues.list)
}

/// [`validate_linked_account_id`] for an id sent as a path segment (get, delete): also not
/// `.` or `..`, which URL parsing removes as dot segments, in any percent-encoding, so the
/// request would go to another path (`DELETE …/linked-account/`, the collection's).
pub fn validate_linked_account_id_in_path<N: Node>(id: &N) -> Result<String, Vec<ValidationIssue>> {
    let id = validate_linked_account_id(id)?;
    if id == "." || id == ".." {
        let mut issues = Issues::default();
        issues.push(
            &["linked_account_id"],
            IssueCode::InvalidString,
            "linked_account_id \".\" or \"..\" cannot be sent in a URL path: URL parsing \
             removes it as a dot segment",
        );
        return Err(issues.list);
    }
    Ok(id)
}

/// Checks a list query: `undefined` or a plain object with `page` (integer from 1),
/// `limit` (integer 1–100) and the string filters `env_variable_name`, `env_variable_value`
/// and `scope` (non-empty, no control characters). Paths are the query's keys.
pub fn validate_list_query<N: Node>(
    query: &N,
) -> Result<ListLinkedAccountsQuery, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let mut out = ListLinkedAccountsQuery::default();
    for (key, value) in optional_object(query, "a query object", &mut issues) {
        let Some(key) = readable_key(key, &[], &mut issues) else {
            continue;
        };
        match &*key {
            "page" => {
                out.page = check_integer(&value, "page", 1, u32::MAX, &mut issues);
            }
            "limit" => {
                out.limit = check_integer(&value, "limit", 1, MAX_LIST_LIMIT, &mut issues);
            }
            "env_variable_name" => {
                out.env_variable_name = check_filter(&value, "env_variable_name", &mut issues)
            }
            "env_variable_value" => {
                out.env_variable_value = check_filter(&value, "env_variable_value", &mut issues)
            }
            "scope" => out.scope = check_filter(&value, "scope", &mut issues),
            other => issues.push(
                &[other],
                IssueCode::UnrecognizedKey,
                unrecognized(other, &LIST_QUERY_KEYS),
            ),
        }
    }
    issues.result(out)
}

/// Checks `createSessionToken`'s second argument: `undefined` or `{ forceRefresh?: boolean }`.
pub fn validate_session_token_options<N: Node>(
    value: &N,
) -> Result<CreateSessionTokenOptions, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let mut out = CreateSessionTokenOptions::default();
    for (key, value) in optional_object(
        value,
        "an object such as { forceRefresh: true }",
        &mut issues,
    ) {
        let Some(key) = readable_key(key, &[], &mut issues) else {
            continue;
        };
        match &*key {
            "forceRefresh" => {
                if let Some(b) = check_boolean(&value, "forceRefresh", &mut issues) {
                    out.force_refresh = b;
                }
            }
            other => issues.push(
                &[other],
                IssueCode::UnrecognizedKey,
                unrecognized(other, &SESSION_TOKEN_KEYS),
            ),
        }
    }
    issues.result(out)
}

/// A boolean at `[name]`, or an `invalid_type` issue.
pub(crate) fn check_boolean<N: Node>(value: &N, name: &str, issues: &mut Issues) -> Option<bool> {
    let boolean = value.boolean();
    if boolean.is_none() {
        issues.push(
            &[name],
            IssueCode::InvalidType,
            expected("boolean", value.kind()),
        );
    }
    boolean
}

/// The present entries of an argument that may be `undefined` (no entries) or a plain object;
/// anything else is one `invalid_type` issue at the root.
fn optional_object<'n, N: Node>(
    value: &'n N,
    what: &str,
    issues: &mut Issues,
) -> Vec<(Key<'n>, N)> {
    match value.kind() {
        Kind::Undefined => Vec::new(),
        Kind::PlainObject => {
            present_entries(value, Kind::PlainObject, &[], issues).unwrap_or_default()
        }
        kind => {
            issues.push(&[], IssueCode::InvalidType, expected(what, kind));
            Vec::new()
        }
    }
}

/// A list filter: a non-empty string without control characters.
fn check_filter<N: Node>(value: &N, name: &str, issues: &mut Issues) -> Option<String> {
    let path = [name];
    let s = check_string(value, &path, issues)?;
    if s.is_empty() {
        issues.push(
            &path,
            IssueCode::TooSmall,
            [name, " must not be empty (leave it out instead)"].concat(),
        );
        return None;
    }
    if has_control(&s) {
        issues.push(
            &path,
            IssueCode::InvalidString,
            [
                name,
                " must not contain control characters (U+0000–U+001F, U+007F–U+009F)",
            ]
            .concat(),
        );
        return None;
    }
    Some(s)
}
