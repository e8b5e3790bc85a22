//! Validation of `ClientOptions` (`docs/contract.md`, "Options"): auth, base URL, timeout,
//! retries, response size, headers.

use std::collections::HashSet;
use std::fmt;

use crate::issue::{printable, unrecognized, IssueCode, Issues, ValidationIssue};
use crate::validate::{check_boolean, check_string, expected, present_entries, readable_key};
use crate::value::{Kind, Node};

/// The API origin used when `baseUrl` is not given.
pub const DEFAULT_BASE_URL: &str = "https://app.refold.ai";
/// Per-attempt timeout when `timeoutMs` is not given, in ms.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
/// Upper bound of `timeoutMs`, in ms (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// Retries after the first attempt when `maxRetries` is not given.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Upper bound of `maxRetries`.
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// Most bytes of (decoded) response body read when `maxResponseBytes` is not given: 10 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u32 = 10 * 1024 * 1024;
/// Bounds of `maxResponseBytes`, in bytes: 1 KiB to 1 GiB.
pub const MAX_RESPONSE_BYTES_RANGE: (u32, u32) = (1024, 1024 * 1024 * 1024);

const OPTION_KEYS: [&str; 10] = [
    "apiKey",
    "sessionToken",
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "maxResponseBytes",
    "signal",
    "headers",
    "fetch",
    "dangerouslyAllowBrowser",
];

/// Headers the client sets itself, or that the platform owns (it computes them, or they
/// change how the message is framed); `headers` may not set them.
const OWNED_HEADERS: [&str; 12] = [
    "x-api-key",
    "authorization",
    "content-type",
    "content-length",
    "host",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "upgrade",
    "expect",
    "te",
    "trailer",
];

/// A credential. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

// The TypeScript of the options, hand-written beside this module: generation cannot say "one
// credential, not both", nor name `fetch` and `AbortSignal`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CLIENT_OPTIONS_TS: &str = include_str!("ts/client-options.d.ts");

/// How requests authenticate. Source: <https://docs.refold.ai/api-reference/overview>.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// Org API key, sent as `x-api-key`.
    ApiKey(Secret),
    /// Session token, sent as `Authorization: Bearer …`.
    SessionToken(Secret),
    /// No credential: `baseUrl` is a proxy that adds one.
    None,
}

/// The parts of a WHATWG URL that option checks need (as `new URL(s)` reports them).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct UrlParts {
    /// `"https:"`.
    pub protocol: String,
    /// `"app.refold.ai"`, `"127.0.0.1"`, `"[::1]"`.
    pub hostname: String,
    /// `"https://app.refold.ai"`.
    pub origin: String,
    /// `"/"` or `"/proxy/refold/"`.
    pub pathname: String,
    /// `""` or `"?a=1"`.
    pub search: String,
    /// `""` or `"#x"`.
    pub hash: String,
    /// Whether the URL carries a username or password.
    pub has_credentials: bool,
}

/// What option checks need from the runtime.
pub trait Env {
    /// Parses an absolute URL like `new URL(s)`; `None` when it throws.
    fn parse_url(&self, s: &str) -> Option<UrlParts>;
    /// Whether this is a browser page or a dedicated, shared or service worker, where every
    /// visitor can read the code's secrets.
    fn in_browser(&self) -> bool;
}

/// Options that passed every rule, ready for [`crate::request::build_request`].
///
/// `N` is the runtime's value type: `signal` and `fetch` are kept as given.
#[derive(Clone, PartialEq)]
pub struct ClientOptions<N> {
    /// The credential to send.
    pub auth: Auth,
    /// Origin plus path prefix, without a trailing slash: `https://app.refold.ai`.
    pub base_url: String,
    /// Per-attempt timeout in ms, 1..=600 000.
    pub timeout_ms: u32,
    /// Retries after the first attempt, 0..=10.
    pub max_retries: u32,
    /// Most bytes of (decoded) response body read, 1 KiB..=1 GiB; past it reading stops.
    pub max_response_bytes: u32,
    /// Extra request headers, names as given.
    pub headers: Vec<(String, String)>,
    /// The caller's `AbortSignal`.
    pub signal: Option<N>,
    /// A custom `fetch` function.
    pub fetch: Option<N>,
}

impl<N> ClientOptions<N> {
    /// The same options with the caller's `signal` and `fetch` replaced: wasm validates the
    /// reader's copy of the options (`src/reader.js`), then keeps the very JS objects it read
    /// for sending.
    pub fn with_handles<M>(self, signal: Option<M>, fetch: Option<M>) -> ClientOptions<M> {
        ClientOptions {
            auth: self.auth,
            base_url: self.base_url,
            timeout_ms: self.timeout_ms,
            max_retries: self.max_retries,
            max_response_bytes: self.max_response_bytes,
            headers: self.headers,
            signal,
            fetch,
        }
    }
}

impl<N> fmt::Debug for ClientOptions<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("auth", &self.auth)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("headers", &self.headers)
            .field("signal", &self.signal.is_some())
            .field("fetch", &self.fetch.is_some())
            .finish()
    }
}

/// Checks `options` against the rules of `docs/contract.md` ("Options"); every issue at once.
///
/// `options` may be `undefined` (all defaults). Issue paths are option names (`["apiKey"]`).
/// Codes: `invalid_type`, `required`, `too_small`, `too_big`, `invalid_string`,
/// `unrecognized_key`, `duplicate_key`, `not_finite`, `conflict`. Messages never contain
/// the API key or session token.
pub fn parse_options<N: Node, E: Env>(
    options: &N,
    env: &E,
) -> Result<ClientOptions<N>, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let kind = options.kind();
    if kind != Kind::PlainObject && kind != Kind::Undefined {
        issues.push(
            &[],
            IssueCode::InvalidType,
            expected("an options object", kind),
        );
        return Err(issues.list);
    }
    let mut api_key = None;
    let mut session_token = None;
    // Given but invalid still counts as given: one issue, not also "required".
    let mut gave_credential = false;
    let mut base = None;
    let mut base_is_refold = true;
    let mut timeout_ms = DEFAULT_TIMEOUT_MS;
    let mut max_retries = DEFAULT_MAX_RETRIES;
    let mut max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES;
    let mut headers = Vec::new();
    let mut signal = None;
    let mut fetch = None;
    let mut allow_browser = false;

    let entries = if kind == Kind::Undefined {
        Vec::new()
    } else {
        let Some(entries) = present_entries(options, Kind::PlainObject, &[], &mut issues) else {
            return Err(issues.list);
        };
        entries
    };
    for (key, value) in entries {
        let Some(key) = readable_key(key, &[], &mut issues) else {
            continue;
        };
        match &*key {
            "apiKey" => {
                gave_credential = true;
                api_key = check_credential(&value, "apiKey", &mut issues);
            }
            "sessionToken" => {
                gave_credential = true;
                session_token = check_credential(&value, "sessionToken", &mut issues);
            }
            "baseUrl" => {
                if let Some((url, is_refold)) = check_base_url(&value, env, &mut issues) {
                    base = Some(url);
                    base_is_refold = is_refold;
                }
            }
            "timeoutMs" => {
                if let Some(n) = check_integer(&value, "timeoutMs", 1, MAX_TIMEOUT_MS, &mut issues)
                {
                    timeout_ms = n;
                }
            }
            "maxRetries" => {
                if let Some(n) =
                    check_integer(&value, "maxRetries", 0, MAX_RETRIES_LIMIT, &mut issues)
                {
                    max_retries = n;
                }
            }
            "maxResponseBytes" => {
                let (min, max) = MAX_RESPONSE_BYTES_RANGE;
                if let Some(n) = check_integer(&value, "maxResponseBytes", min, max, &mut issues) {
                    max_response_bytes = n;
                }
            }
            "signal" => {
                if value.kind() == Kind::AbortSignal {
                    signal = Some(value);
                } else {
                    issues.push(
                        &["signal"],
                        IssueCode::InvalidType,
                        expected("an AbortSignal", value.kind()),
                    );
                }
            }
            "headers" => headers = check_headers(&value, &mut issues),
            "fetch" => {
                if value.kind() == Kind::Function {
                    fetch = Some(value);
                } else {
                    issues.push(
                        &["fetch"],
                        IssueCode::InvalidType,
                        expected("a fetch function", value.kind()),
                    );
                }
            }
            "dangerouslyAllowBrowser" => {
                if let Some(b) = check_boolean(&value, "dangerouslyAllowBrowser", &mut issues) {
                    allow_browser = b;
                }
            }
            other => issues.push(
                &[other],
                IssueCode::UnrecognizedKey,
                unrecognized(other, &OPTION_KEYS),
            ),
        }
    }

    let auth = match (api_key, session_token) {
        (Some(_), Some(_)) => {
            issues.push(
                &["sessionToken"],
                IssueCode::Conflict,
                "give apiKey or sessionToken, not both",
            );
            Auth::None
        }
        (Some(key), None) => {
            if env.in_browser() && !allow_browser {
                issues.push(
                    &["apiKey"],
                    IssueCode::Conflict,
                    "an org apiKey in a browser page or worker is visible to every visitor (Refold's docs: keep \
                     it server-side); use a sessionToken from your backend, or a backend proxy as \
                     baseUrl, or set dangerouslyAllowBrowser for trusted internal tools",
                );
            }
            Auth::ApiKey(key)
        }
        (None, Some(token)) => Auth::SessionToken(token),
        (None, None) => {
            // A credential given but unreadable (a throwing getter) was reported already.
            let unreadable = issues.has(&["apiKey"]) || issues.has(&["sessionToken"]);
            if base_is_refold && !gave_credential && !unreadable {
                issues.push(
                    &["apiKey"],
                    IssueCode::Required,
                    "apiKey (server side) or sessionToken (browser) is required when baseUrl is a \
                     Refold host; omit both only when baseUrl is your own proxy that adds auth",
                );
            }
            Auth::None
        }
    };

    if !issues.list.is_empty() {
        return Err(issues.list);
    }
    Ok(ClientOptions {
        auth,
        base_url: base.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        timeout_ms,
        max_retries,
        max_response_bytes,
        headers,
        signal,
        fetch,
    })
}

/// The options of a call Refold serves only with the org API key (`function` names it): a
/// `sessionToken` is a `conflict` at `["sessionToken"]`. Source:
/// <https://docs.refold.ai/api-reference/customer/delete-linked-account>.
pub fn require_api_key<N>(
    options: ClientOptions<N>,
    function: &str,
) -> Result<ClientOptions<N>, Vec<ValidationIssue>> {
    if !matches!(options.auth, Auth::SessionToken(_)) {
        return Ok(options);
    }
    let mut issues = Issues::default();
    issues.push(
        &["sessionToken"],
        IssueCode::Conflict,
        [
            function,
            " needs the org apiKey (server side): Refold does not accept a session token for it",
        ]
        .concat(),
    );
    Err(issues.list)
}

/// Whether `s` can be sent as a credential header: non-empty visible ASCII (no whitespace,
/// controls or other characters). The rule of `apiKey` and `sessionToken`, and of a minted
/// session token.
pub fn is_usable_credential(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic())
}

/// `apiKey` / `sessionToken`: a non-empty string of visible ASCII. The value is never quoted.
fn check_credential<N: Node>(value: &N, name: &str, issues: &mut Issues) -> Option<Secret> {
    let path = [name];
    let s = check_string(value, &path, issues)?;
    if s.is_empty() {
        issues.push(
            &path,
            IssueCode::TooSmall,
            [name, " must not be empty"].concat(),
        );
        return None;
    }
    if !is_usable_credential(&s) {
        issues.push(
            &path,
            IssueCode::InvalidString,
            [
                name,
                " must not contain whitespace, control or non-ASCII characters \
                 (check for a stray newline or quote when it was copied)",
            ]
            .concat(),
        );
        return None;
    }
    Some(Secret::new(s))
}

fn is_loopback(hostname: &str) -> bool {
    hostname == "localhost"
        || hostname == "[::1]"
        || hostname.strip_prefix("127.").is_some_and(|rest| {
            let mut parts = 0;
            rest.split('.').all(|p| {
                parts += 1;
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
            }) && parts == 3
        })
}

/// Whether `hostname` is Refold's (`app.refold.ai`, or the older `*.gocobalt.io` hosts).
/// Source: <https://docs.refold.ai/api-reference/overview>.
pub fn is_refold_host(hostname: &str) -> bool {
    // A fully qualified name ("app.refold.ai.") is the same host.
    let hostname = hostname.strip_suffix('.').unwrap_or(hostname);
    ["refold.ai", "gocobalt.io"].iter().any(|domain| {
        hostname == *domain
            || hostname
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

/// Returns the normalised base (origin + path, no trailing slash) and whether it is Refold's.
fn check_base_url<N: Node, E: Env>(
    value: &N,
    env: &E,
    issues: &mut Issues,
) -> Option<(String, bool)> {
    let path = ["baseUrl"];
    let s = check_string(value, &path, issues)?;
    let Some(url) = env.parse_url(&s) else {
        issues.push(
            &path,
            IssueCode::InvalidString,
            "baseUrl must be an absolute URL such as https://app.refold.ai",
        );
        return None;
    };
    let message = match url.protocol.as_str() {
        _ if url.has_credentials => Some("baseUrl must not contain a username or password"),
        _ if !url.search.is_empty()
            || !url.hash.is_empty()
            || s.bytes().any(|b| b == b'?' || b == b'#') =>
        {
            Some("baseUrl must not have a query string or fragment")
        }
        "https:" => None,
        "http:" if is_loopback(&url.hostname) => None,
        "http:" => Some(
            "baseUrl must use https: (plain http: is allowed only for loopback: \
             127.0.0.0/8, localhost, [::1])",
        ),
        _ => Some("baseUrl must be an https: URL (or http: to loopback)"),
    };
    if let Some(message) = message {
        issues.push(&path, IssueCode::InvalidString, message);
        return None;
    }
    let mut path = url.pathname.as_str();
    while let Some(shorter) = path.strip_suffix('/') {
        path = shorter;
    }
    let base = [url.origin.as_str(), path].concat();
    Some((base, is_refold_host(&url.hostname)))
}

pub(crate) fn check_integer<N: Node>(
    value: &N,
    name: &str,
    min: u32,
    max: u32,
    issues: &mut Issues,
) -> Option<u32> {
    let path = [name];
    let Some(n) = value.number() else {
        issues.push(
            &path,
            IssueCode::InvalidType,
            expected("an integer", value.kind()),
        );
        return None;
    };
    let range = [
        name,
        " must be an integer from ",
        &(u64::from(min)).to_string(),
        " to ",
        &(u64::from(max)).to_string(),
    ]
    .concat();
    if !n.is_finite() {
        issues.push(&path, IssueCode::NotFinite, range);
    } else if n % 1.0 != 0.0 {
        issues.push(&path, IssueCode::InvalidType, range);
    } else if n < f64::from(min) {
        issues.push(&path, IssueCode::TooSmall, range);
    } else if n > f64::from(max) {
        issues.push(&path, IssueCode::TooBig, range);
    } else {
        return Some(n as u32);
    }
    None
}

/// RFC 9110 `token`: the characters a header name may hold.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn check_headers<N: Node>(value: &N, issues: &mut Issues) -> Vec<(String, String)> {
    let kind = value.kind();
    if kind != Kind::PlainObject && kind != Kind::Headers {
        issues.push(
            &["headers"],
            IssueCode::InvalidType,
            expected("a plain object or Headers", kind),
        );
        return Vec::new();
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let Some(entries) = present_entries(value, kind, &["headers"], issues) else {
        return Vec::new();
    };
    // Names given so far, ASCII-lower-cased: header names ignore case.
    let mut names: HashSet<String> = HashSet::with_capacity(entries.len());
    for (name, value) in entries {
        let Some(name) = readable_key(name, &["headers"], issues) else {
            continue;
        };
        let path = ["headers", &*name];
        if !is_token(&name) {
            issues.push(
                &path,
                IssueCode::InvalidString,
                [
                    "\"",
                    &printable(&name),
                    "\" is not a valid HTTP header name",
                ]
                .concat(),
            );
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if OWNED_HEADERS.contains(&lower.as_str()) {
            issues.push(
                &path,
                IssueCode::Conflict,
                [
                    "the client sets ",
                    &lower,
                    " itself (use apiKey or sessionToken for auth)",
                ]
                .concat(),
            );
            continue;
        }
        if names.contains(&name.to_ascii_lowercase()) {
            issues.push(
                &path,
                IssueCode::DuplicateKey,
                "header names are case-insensitive; this one is given twice",
            );
            continue;
        }
        match value.string() {
            Some(Ok(v))
                if v.chars()
                    .all(|c| c == '\t' || (!c.is_control() && c <= '\u{ff}')) =>
            {
                names.insert(name.to_ascii_lowercase());
                out.push((name.into_owned(), v))
            }
            Some(_) => issues.push(
                &path,
                IssueCode::InvalidString,
                "header values must not contain control characters other than tab (U+0000–U+0008, \
                 U+000A–U+001F, U+007F–U+009F) or characters above U+00FF",
            ),
            None => issues.push(
                &path,
                IssueCode::InvalidType,
                expected("string", value.kind()),
            ),
        }
    }
    out
}
