#![cfg(not(target_arch = "wasm32"))]
//! `options::parse_options` against every row of the options table in docs/contract.md
//! (Options) and the bullets under it. The `Env` maps `url::Url` the way WHATWG `new URL()` reports it.

mod common;

use common::*;
use refold_linked_accounts::options::{
    is_refold_host, parse_options, Auth, Secret, DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT_MS, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS,
};
use refold_linked_accounts::request::{build_request, Call};
use refold_linked_accounts::{Error, IssueCode, Kind, UrlParts, ValidationIssue, Value};

const PROXY: &str = "https://proxy.example.com";

fn issues_in(value: &Value, env: TestEnv) -> Vec<ValidationIssue> {
    match parse_options(value, &env) {
        Ok(o) => panic!("expected issues, got {o:?}"),
        Err(issues) => issues,
    }
}

fn check_table(env: TestEnv, table: Vec<(&str, Value, Vec<Brief>)>) {
    for (name, input, expected) in table {
        match parse_options(&input, &env) {
            Ok(o) => assert!(
                expected.is_empty(),
                "{name}: valid ({o:?}), expected {expected:?}"
            ),
            Err(issues) => assert_eq!(briefs(&issues), expected, "{name}"),
        }
    }
}

/// Options with a valid apiKey plus `extra`.
fn key_and<const N: usize>(extra: [(&str, Value); N]) -> Value {
    let mut entries = vec![("apiKey".to_owned(), s("tk-1"))];
    entries.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    Value::Object(entries)
}

// ---------------------------------------------------------------------------------------------
// The Env itself

#[test]
fn env_reports_urls_like_whatwg() {
    let parts = url_parts("HTTP://user:pw@[::1]:8787/a/b/?x=1#frag").unwrap();
    assert_eq!(
        parts,
        UrlParts {
            protocol: "http:".into(),
            hostname: "[::1]".into(),
            origin: "http://[::1]:8787".into(),
            pathname: "/a/b/".into(),
            search: "?x=1".into(),
            hash: "#frag".into(),
            has_credentials: true,
        }
    );
    let parts = url_parts("https://App.Refold.AI").unwrap();
    assert_eq!(parts.hostname, "app.refold.ai");
    assert_eq!(parts.origin, "https://app.refold.ai");
    assert_eq!(parts.pathname, "/");
    assert_eq!(parts.search, "");
    let parts = url_parts("https://x.example/?#").unwrap();
    assert_eq!((parts.search.as_str(), parts.hash.as_str()), ("", ""));
    assert_eq!(
        url_parts("https://x.example:443/").unwrap().origin,
        "https://x.example"
    );
    assert_eq!(url_parts("/relative"), None);
    assert_eq!(url_parts("app.refold.ai"), None);
    assert_eq!(url_parts(""), None);
}

// ---------------------------------------------------------------------------------------------
// Defaults

#[test]
fn defaults() {
    assert_eq!(DEFAULT_BASE_URL, "https://app.refold.ai");
    assert_eq!(DEFAULT_TIMEOUT_MS, 30_000);
    assert_eq!(DEFAULT_MAX_RETRIES, 2);
    assert_eq!(MAX_TIMEOUT_MS, 600_000);
    assert_eq!(MAX_RETRIES_LIMIT, 10);

    let opts = options(&o([("apiKey", s("tk-1"))]));
    assert_eq!(opts.auth, Auth::ApiKey(Secret::new("tk-1".into())));
    assert_eq!(opts.base_url, "https://app.refold.ai");
    assert_eq!(opts.timeout_ms, 30_000);
    assert_eq!(opts.max_retries, 2);
    assert_eq!(opts.headers, Vec::<(String, String)>::new());
    assert_eq!(opts.signal, None);
    assert_eq!(opts.fetch, None);

    // undefined values are absent: still the defaults.
    let opts = options(&o([
        ("apiKey", s("tk-1")),
        ("baseUrl", Value::Undefined),
        ("timeoutMs", Value::Undefined),
        ("maxRetries", Value::Undefined),
        ("headers", Value::Undefined),
        ("signal", Value::Undefined),
        ("fetch", Value::Undefined),
        ("sessionToken", Value::Undefined),
        ("dangerouslyAllowBrowser", Value::Undefined),
        ("unknownButUndefined", Value::Undefined),
    ]));
    assert_eq!(opts.base_url, "https://app.refold.ai");
    assert_eq!(opts.timeout_ms, 30_000);
    assert_eq!(opts.max_retries, 2);
}

#[test]
fn options_value_must_be_an_object() {
    check_table(
        SERVER,
        vec![
            ("null", Value::Null, vec![at(&[], "invalid_type")]),
            ("string", s("tk-1"), vec![at(&[], "invalid_type")]),
            ("array", a([]), vec![at(&[], "invalid_type")]),
            ("Map", opaque(Kind::Map), vec![at(&[], "invalid_type")]),
            (
                "class instance",
                opaque(Kind::OtherObject),
                vec![at(&[], "invalid_type")],
            ),
            // undefined means all defaults, which lack auth on the default host.
            (
                "undefined",
                Value::Undefined,
                vec![at(&["apiKey"], "required")],
            ),
            ("{}", o([]), vec![at(&["apiKey"], "required")]),
        ],
    );
    assert_eq!(
        issues_in(&Value::Null, SERVER)[0].message,
        "expected an options object, received null"
    );
}

// ---------------------------------------------------------------------------------------------
// apiKey / sessionToken

#[test]
fn credentials() {
    check_table(
        SERVER,
        vec![
            ("apiKey", o([("apiKey", s("tk-1"))]), vec![]),
            ("sessionToken", o([("sessionToken", s("eyJ.a.b"))]), vec![]),
            (
                "both",
                o([("apiKey", s("tk-1")), ("sessionToken", s("eyJ.a.b"))]),
                vec![at(&["sessionToken"], "conflict")],
            ),
            (
                "both, session token first",
                o([("sessionToken", s("eyJ.a.b")), ("apiKey", s("tk-1"))]),
                vec![at(&["sessionToken"], "conflict")],
            ),
            (
                "none on the default host",
                o([]),
                vec![at(&["apiKey"], "required")],
            ),
            (
                "none on an explicit Refold host",
                o([("baseUrl", s("https://app.refold.ai"))]),
                vec![at(&["apiKey"], "required")],
            ),
            (
                "none on the old gocobalt host",
                o([("baseUrl", s("https://api.gocobalt.io"))]),
                vec![at(&["apiKey"], "required")],
            ),
            ("none on a proxy", o([("baseUrl", s(PROXY))]), vec![]),
            (
                "none on loopback",
                o([("baseUrl", s("http://127.0.0.1:8787"))]),
                vec![],
            ),
            (
                "apiKey empty",
                o([("apiKey", s("")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "too_small")],
            ),
            (
                "apiKey number",
                o([("apiKey", n(1.0)), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_type")],
            ),
            (
                "apiKey null",
                o([("apiKey", Value::Null), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_type")],
            ),
            (
                "apiKey with a space",
                o([("apiKey", s("tk 1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey with a trailing newline",
                o([("apiKey", s("tk-1\n")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey with a leading tab",
                o([("apiKey", s("\ttk-1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey with NUL",
                o([("apiKey", s("tk\u{0}1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey with DEL",
                o([("apiKey", s("tk\u{7f}1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey with NBSP",
                o([("apiKey", s("tk\u{a0}1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "apiKey lone surrogate",
                o([("apiKey", Value::BrokenString), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
            (
                "sessionToken with whitespace",
                o([("sessionToken", s(" eyJ")), ("baseUrl", s(PROXY))]),
                vec![at(&["sessionToken"], "invalid_string")],
            ),
            (
                "sessionToken empty",
                o([("sessionToken", s("")), ("baseUrl", s(PROXY))]),
                vec![at(&["sessionToken"], "too_small")],
            ),
            (
                "sessionToken object",
                o([("sessionToken", o([])), ("baseUrl", s(PROXY))]),
                vec![at(&["sessionToken"], "invalid_type")],
            ),
            (
                "bad apiKey beside a good sessionToken",
                o([("apiKey", s("a b")), ("sessionToken", s("t"))]),
                vec![at(&["apiKey"], "invalid_string")],
            ),
        ],
    );
    assert_eq!(
        options(&o([("sessionToken", s("eyJ.a.b"))])).auth,
        Auth::SessionToken(Secret::new("eyJ.a.b".into()))
    );
    assert_eq!(options(&o([("baseUrl", s(PROXY))])).auth, Auth::None);
    assert_eq!(
        issues_in(&o([("apiKey", s("a")), ("sessionToken", s("b"))]), SERVER)[0].message,
        "give apiKey or sessionToken, not both"
    );
}

#[test]
fn invalid_api_key_is_one_issue_not_also_required() {
    for key in [s("tk 1"), s(""), n(1.0)] {
        let issues = issues_in(&o([("apiKey", key.clone())]), SERVER);
        assert_eq!(issues.len(), 1, "{key:?}: {issues:#?}");
        assert_eq!(issues[0].path, keys(&["apiKey"]));
        assert_ne!(issues[0].code, IssueCode::Required, "{key:?}");
    }
    let issues = issues_in(&o([("sessionToken", s("t t"))]), SERVER);
    assert_eq!(
        briefs(&issues),
        vec![at(&["sessionToken"], "invalid_string")]
    );
}

#[test]
fn api_key_in_a_browser() {
    check_table(
        BROWSER,
        vec![
            (
                "apiKey alone",
                o([("apiKey", s("tk-1"))]),
                vec![at(&["apiKey"], "conflict")],
            ),
            (
                "dangerouslyAllowBrowser false",
                o([
                    ("apiKey", s("tk-1")),
                    ("dangerouslyAllowBrowser", Value::Bool(false)),
                ]),
                vec![at(&["apiKey"], "conflict")],
            ),
            (
                "dangerouslyAllowBrowser true",
                o([
                    ("apiKey", s("tk-1")),
                    ("dangerouslyAllowBrowser", Value::Bool(true)),
                ]),
                vec![],
            ),
            (
                "dangerouslyAllowBrowser given first",
                o([
                    ("dangerouslyAllowBrowser", Value::Bool(true)),
                    ("apiKey", s("tk-1")),
                ]),
                vec![],
            ),
            (
                "apiKey to a proxy is still the org key in the page",
                o([("apiKey", s("tk-1")), ("baseUrl", s(PROXY))]),
                vec![at(&["apiKey"], "conflict")],
            ),
            (
                "sessionToken is fine",
                o([("sessionToken", s("eyJ"))]),
                vec![],
            ),
            (
                "no auth via a proxy is fine",
                o([("baseUrl", s(PROXY))]),
                vec![],
            ),
            (
                "no auth on Refold",
                o([]),
                vec![at(&["apiKey"], "required")],
            ),
            (
                "dangerouslyAllowBrowser not a boolean",
                o([
                    ("apiKey", s("tk-1")),
                    ("dangerouslyAllowBrowser", s("true")),
                ]),
                vec![
                    at(&["dangerouslyAllowBrowser"], "invalid_type"),
                    at(&["apiKey"], "conflict"),
                ],
            ),
        ],
    );
    // The server side does not care about dangerouslyAllowBrowser.
    check_table(
        SERVER,
        vec![
            ("apiKey on a server", o([("apiKey", s("tk-1"))]), vec![]),
            (
                "dangerouslyAllowBrowser on a server",
                o([
                    ("apiKey", s("tk-1")),
                    ("dangerouslyAllowBrowser", Value::Bool(true)),
                ]),
                vec![],
            ),
            (
                "dangerouslyAllowBrowser number",
                o([("apiKey", s("tk-1")), ("dangerouslyAllowBrowser", n(1.0))]),
                vec![at(&["dangerouslyAllowBrowser"], "invalid_type")],
            ),
        ],
    );
    let allowed = options_in(
        &o([
            ("apiKey", s("tk-1")),
            ("dangerouslyAllowBrowser", Value::Bool(true)),
        ]),
        BROWSER,
    );
    assert_eq!(allowed.auth, Auth::ApiKey(Secret::new("tk-1".into())));

    // The message says why.
    let message = &issues_in(&o([("apiKey", s(SECRET))]), BROWSER)[0].message;
    for part in [
        "browser",
        "server-side",
        "sessionToken",
        "proxy",
        "dangerouslyAllowBrowser",
    ] {
        assert!(message.contains(part), "{message:?} lacks {part:?}");
    }
    assert!(!message.contains(SECRET));
}

// ---------------------------------------------------------------------------------------------
// baseUrl

#[test]
fn base_url_accepted_and_normalised() {
    let cases = [
        ("https://app.refold.ai", "https://app.refold.ai"),
        ("https://app.refold.ai/", "https://app.refold.ai"),
        ("HTTPS://App.Refold.AI/", "https://app.refold.ai"),
        ("https://app.refold.ai:443", "https://app.refold.ai"),
        (
            "https://proxy.example.com/refold/",
            "https://proxy.example.com/refold",
        ),
        (
            "https://proxy.example.com/refold",
            "https://proxy.example.com/refold",
        ),
        (
            "https://proxy.example.com/a/b/",
            "https://proxy.example.com/a/b",
        ),
        (
            "https://proxy.example.com:8443",
            "https://proxy.example.com:8443",
        ),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787"),
        ("http://127.0.0.1", "http://127.0.0.1"),
        ("http://127.255.0.9:1/", "http://127.255.0.9:1"),
        ("http://localhost:8787/", "http://localhost:8787"),
        ("http://LOCALHOST:8787", "http://localhost:8787"),
        ("http://[::1]:8787", "http://[::1]:8787"),
        ("http://[::1]/", "http://[::1]"),
        ("http://127.1:8787", "http://127.0.0.1:8787"),
    ];
    for (input, base) in cases {
        let opts = options(&o([("apiKey", s("tk-1")), ("baseUrl", s(input))]));
        assert_eq!(opts.base_url, base, "{input}");
    }
}

#[test]
fn proxy_path_prefix_gives_the_full_url() {
    let opts = options(&o([("baseUrl", s("https://proxy.example.com/refold/"))]));
    assert_eq!(opts.auth, Auth::None);
    let request = valid(&o([("linked_account_id", s("x"))]));
    assert_eq!(
        build_request(&Call::Upsert(request.clone()), &opts).url,
        "https://proxy.example.com/refold/api/v2/public/linked-account"
    );
}

#[test]
fn base_url_rejected() {
    let bad = [
        "https://proxy.example.com/?a=1",
        "https://proxy.example.com/refold?x",
        "https://proxy.example.com/?",
        "https://proxy.example.com/#x",
        "https://proxy.example.com#",
        "http://example.com",
        "http://app.refold.ai",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
        "http://10.0.0.1",
        "http://[::2]",
        "http://0.0.0.0:8787",
        "ftp://example.com",
        "ws://127.0.0.1",
        "file:///etc/passwd",
        "data:text/plain,x",
        "javascript:alert(1)",
        "/relative",
        "api/v2",
        "app.refold.ai",
        "",
        "   ",
        "https://user:s3cr3t@proxy.example.com",
        "https://user@proxy.example.com",
        "https://:s3cr3t@proxy.example.com",
    ];
    for input in bad {
        let issues = issues_in(&key_and([("baseUrl", s(input))]), SERVER);
        assert_eq!(
            briefs(&issues),
            vec![at(&["baseUrl"], "invalid_string")],
            "{input:?}"
        );
        assert!(
            !issues[0].message.contains("s3cr3t"),
            "{input}: {:?}",
            issues[0].message
        );
    }
    check_table(
        SERVER,
        vec![
            (
                "number",
                key_and([("baseUrl", n(1.0))]),
                vec![at(&["baseUrl"], "invalid_type")],
            ),
            (
                "null",
                key_and([("baseUrl", Value::Null)]),
                vec![at(&["baseUrl"], "invalid_type")],
            ),
            (
                "URL object (not a string)",
                key_and([("baseUrl", opaque(Kind::OtherObject))]),
                vec![at(&["baseUrl"], "invalid_type")],
            ),
            (
                "lone surrogate",
                key_and([("baseUrl", Value::BrokenString)]),
                vec![at(&["baseUrl"], "invalid_string")],
            ),
        ],
    );
    let message = |url: &str| {
        issues_in(&key_and([("baseUrl", s(url))]), SERVER)[0]
            .message
            .clone()
    };
    assert_eq!(
        message("/x"),
        "baseUrl must be an absolute URL such as https://app.refold.ai"
    );
    assert_eq!(
        message("https://p.example/?a"),
        "baseUrl must not have a query string or fragment"
    );
    assert_eq!(
        message("https://u:p@p.example"),
        "baseUrl must not contain a username or password"
    );
    assert_eq!(
        message("http://example.com"),
        "baseUrl must use https: (plain http: is allowed only for loopback: 127.0.0.0/8, localhost, [::1])"
    );
    assert_eq!(
        message("ftp://example.com"),
        "baseUrl must be an https: URL (or http: to loopback)"
    );
}

#[test]
fn refold_hosts() {
    for host in [
        "app.refold.ai",
        "refold.ai",
        "eu.app.refold.ai",
        "api.gocobalt.io",
        "app.gocobalt.io",
        "gocobalt.io",
    ] {
        assert!(is_refold_host(host), "{host}");
    }
    for host in [
        "notrefold.ai",
        "refold.ai.evil.com",
        "proxy.example.com",
        "127.0.0.1",
        "localhost",
        "gocobalt.io.example",
    ] {
        assert!(!is_refold_host(host), "{host}");
    }
}

// ---------------------------------------------------------------------------------------------
// timeoutMs / maxRetries

#[test]
fn timeout_ms_bounds() {
    for (input, expected) in [(1.0, 1), (5.0, 5), (30_000.0, 30_000), (600_000.0, 600_000)] {
        let opts = options(&key_and([("timeoutMs", n(input))]));
        assert_eq!(opts.timeout_ms, expected, "{input}");
    }
    let bad: Vec<(&str, Value, &str)> = vec![
        ("0", n(0.0), "too_small"),
        ("-0", n(-0.0), "too_small"),
        ("-1", n(-1.0), "too_small"),
        ("600001", n(600_001.0), "too_big"),
        ("1e12", n(1e12), "too_big"),
        ("1.5", n(1.5), "invalid_type"),
        ("NaN", n(f64::NAN), "not_finite"),
        ("Infinity", n(f64::INFINITY), "not_finite"),
        ("-Infinity", n(f64::NEG_INFINITY), "not_finite"),
        ("\"5\"", s("5"), "invalid_type"),
        ("null", Value::Null, "invalid_type"),
        ("true", Value::Bool(true), "invalid_type"),
        ("bigint", opaque(Kind::BigInt), "invalid_type"),
    ];
    for (name, value, code) in bad {
        let issues = issues_in(&key_and([("timeoutMs", value)]), SERVER);
        assert_eq!(
            briefs(&issues),
            vec![at(&["timeoutMs"], code)],
            "timeoutMs {name}"
        );
    }
    assert_eq!(
        issues_in(&key_and([("timeoutMs", n(0.0))]), SERVER)[0].message,
        "timeoutMs must be an integer from 1 to 600000"
    );
    assert_eq!(
        issues_in(&key_and([("timeoutMs", s("5"))]), SERVER)[0].message,
        "expected an integer, received string"
    );
}

#[test]
fn max_retries_bounds() {
    for (input, expected) in [(0.0, 0), (1.0, 1), (2.0, 2), (10.0, 10)] {
        let opts = options(&key_and([("maxRetries", n(input))]));
        assert_eq!(opts.max_retries, expected, "{input}");
    }
    let bad: Vec<(&str, Value, &str)> = vec![
        ("-1", n(-1.0), "too_small"),
        ("11", n(11.0), "too_big"),
        ("1.5", n(1.5), "invalid_type"),
        ("NaN", n(f64::NAN), "not_finite"),
        ("Infinity", n(f64::INFINITY), "not_finite"),
        ("\"2\"", s("2"), "invalid_type"),
        ("null", Value::Null, "invalid_type"),
    ];
    for (name, value, code) in bad {
        let issues = issues_in(&key_and([("maxRetries", value)]), SERVER);
        assert_eq!(
            briefs(&issues),
            vec![at(&["maxRetries"], code)],
            "maxRetries {name}"
        );
    }
    assert_eq!(
        issues_in(&key_and([("maxRetries", n(11.0))]), SERVER)[0].message,
        "maxRetries must be an integer from 0 to 10"
    );
}

// ---------------------------------------------------------------------------------------------
// signal / fetch

#[test]
fn signal_and_fetch() {
    let opts = options(&key_and([
        ("signal", opaque(Kind::AbortSignal)),
        ("fetch", opaque(Kind::Function)),
    ]));
    assert_eq!(opts.signal, Some(opaque(Kind::AbortSignal)));
    assert_eq!(opts.fetch, Some(opaque(Kind::Function)));
    check_table(
        SERVER,
        vec![
            (
                "signal object",
                key_and([("signal", o([]))]),
                vec![at(&["signal"], "invalid_type")],
            ),
            (
                "signal string",
                key_and([("signal", s("abort"))]),
                vec![at(&["signal"], "invalid_type")],
            ),
            (
                "signal null",
                key_and([("signal", Value::Null)]),
                vec![at(&["signal"], "invalid_type")],
            ),
            (
                "AbortController instead of its signal",
                key_and([("signal", opaque(Kind::OtherObject))]),
                vec![at(&["signal"], "invalid_type")],
            ),
            (
                "fetch string",
                key_and([("fetch", s("fetch"))]),
                vec![at(&["fetch"], "invalid_type")],
            ),
            (
                "fetch object",
                key_and([("fetch", o([]))]),
                vec![at(&["fetch"], "invalid_type")],
            ),
            (
                "fetch null",
                key_and([("fetch", Value::Null)]),
                vec![at(&["fetch"], "invalid_type")],
            ),
        ],
    );
    assert_eq!(
        issues_in(&key_and([("signal", o([]))]), SERVER)[0].message,
        "expected an AbortSignal, received object"
    );
}

// ---------------------------------------------------------------------------------------------
// headers

#[test]
fn headers_accepted() {
    let opts = options(&key_and([(
        "headers",
        o([
            ("x-trace-id", s("t-1")),
            ("X-Tenant", s("acme")),
            ("gone", Value::Undefined),
            ("x-empty", s("")),
        ]),
    )]));
    assert_eq!(
        opts.headers,
        vec![
            ("x-trace-id".to_owned(), "t-1".to_owned()),
            ("X-Tenant".to_owned(), "acme".to_owned()),
            ("x-empty".to_owned(), String::new()),
        ]
    );
    // A `Headers` instance is accepted (its entries are read in wasm; none on the host).
    assert_eq!(
        options(&key_and([("headers", opaque(Kind::Headers))])).headers,
        vec![]
    );
    // Latin-1 values are what fetch accepts as a ByteString.
    let opts = options(&key_and([("headers", o([("x-name", s("Jos\u{e9}"))]))]));
    assert_eq!(
        opts.headers,
        vec![("x-name".to_owned(), "Jos\u{e9}".to_owned())]
    );
}

#[test]
fn headers_rejected() {
    let h = |name: &'static str| -> Vec<&'static str> { vec!["headers", name] };
    check_table(
        SERVER,
        vec![
            (
                "string",
                key_and([("headers", s("x-a: 1"))]),
                vec![at(&["headers"], "invalid_type")],
            ),
            (
                "array of pairs",
                key_and([("headers", a([a([s("x-a"), s("1")])]))]),
                vec![at(&["headers"], "invalid_type")],
            ),
            (
                "Map",
                key_and([("headers", opaque(Kind::Map))]),
                vec![at(&["headers"], "invalid_type")],
            ),
            (
                "null",
                key_and([("headers", Value::Null)]),
                vec![at(&["headers"], "invalid_type")],
            ),
            (
                "x-api-key",
                key_and([("headers", o([("x-api-key", s("other"))]))]),
                vec![at(&h("x-api-key"), "conflict")],
            ),
            (
                "X-API-KEY",
                key_and([("headers", o([("X-API-KEY", s("other"))]))]),
                vec![at(&h("X-API-KEY"), "conflict")],
            ),
            (
                "Authorization",
                key_and([("headers", o([("Authorization", s("Bearer x"))]))]),
                vec![at(&h("Authorization"), "conflict")],
            ),
            (
                "CONTENT-TYPE",
                key_and([("headers", o([("CONTENT-TYPE", s("text/plain"))]))]),
                vec![at(&h("CONTENT-TYPE"), "conflict")],
            ),
            (
                "forbidden even with a non-string value",
                key_and([("headers", o([("content-type", n(1.0))]))]),
                vec![at(&h("content-type"), "conflict")],
            ),
            (
                "number value",
                key_and([("headers", o([("x-n", n(1.0))]))]),
                vec![at(&h("x-n"), "invalid_type")],
            ),
            (
                "null value",
                key_and([("headers", o([("x-n", Value::Null)]))]),
                vec![at(&h("x-n"), "invalid_type")],
            ),
            (
                "bool value",
                key_and([("headers", o([("x-n", Value::Bool(true))]))]),
                vec![at(&h("x-n"), "invalid_type")],
            ),
            (
                "array value",
                key_and([("headers", o([("x-n", a([s("a")]))]))]),
                vec![at(&h("x-n"), "invalid_type")],
            ),
            (
                "name with a space",
                key_and([("headers", o([("bad name", s("v"))]))]),
                vec![at(&h("bad name"), "invalid_string")],
            ),
            (
                "empty name",
                key_and([("headers", o([("", s("v"))]))]),
                vec![at(&h(""), "invalid_string")],
            ),
            (
                "name with a colon",
                key_and([("headers", o([("x-a:", s("v"))]))]),
                vec![at(&h("x-a:"), "invalid_string")],
            ),
            (
                "non-ASCII name",
                key_and([("headers", o([("x-\u{e9}", s("v"))]))]),
                vec![at(&h("x-\u{e9}"), "invalid_string")],
            ),
            (
                "name with CRLF",
                key_and([("headers", o([("x-a\r\n", s("v"))]))]),
                vec![at(&h("x-a\r\n"), "invalid_string")],
            ),
            (
                "CR LF in value",
                key_and([("headers", o([("x-a", s("a\r\nb"))]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "LF in value",
                key_and([("headers", o([("x-a", s("a\nInjected: 1"))]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "CR in value",
                key_and([("headers", o([("x-a", s("a\r"))]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "NUL in value",
                key_and([("headers", o([("x-a", s("a\u{0}"))]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "above U+00FF",
                key_and([("headers", o([("x-a", s("\u{100}"))]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "lone surrogate value",
                key_and([("headers", o([("x-a", Value::BrokenString)]))]),
                vec![at(&h("x-a"), "invalid_string")],
            ),
            (
                "same name twice ignoring case",
                key_and([("headers", o([("x-a", s("1")), ("X-A", s("2"))]))]),
                vec![at(&h("X-A"), "duplicate_key")],
            ),
            (
                "several at once",
                key_and([(
                    "headers",
                    o([
                        ("x-api-key", s("k")),
                        ("ok", s("1")),
                        ("x-n", n(2.0)),
                        ("Authorization", s("B")),
                    ]),
                )]),
                vec![
                    at(&h("x-api-key"), "conflict"),
                    at(&h("x-n"), "invalid_type"),
                    at(&h("Authorization"), "conflict"),
                ],
            ),
        ],
    );
    let message = |name: &str| {
        issues_in(&key_and([("headers", o([(name, s("v"))]))]), SERVER)[0]
            .message
            .clone()
    };
    assert_eq!(
        message("X-Api-Key"),
        "the client sets x-api-key itself (use apiKey or sessionToken for auth)"
    );
    assert_eq!(
        message("Authorization"),
        "the client sets authorization itself (use apiKey or sessionToken for auth)"
    );
    assert_eq!(
        message("bad name"),
        "\"bad name\" is not a valid HTTP header name"
    );
    let issue = &issues_in(&key_and([("headers", o([("x-api-key", s("v"))]))]), SERVER)[0];
    assert_eq!(issue.path_string(), "headers[\"x-api-key\"]");
}

// ---------------------------------------------------------------------------------------------
// Unknown options, several issues at once

#[test]
fn unknown_options() {
    let issues = issues_in(&o([("apikey", s("tk-1"))]), SERVER);
    assert_eq!(
        briefs(&issues),
        // apiKey is not given (only the misspelt key), so it is also required.
        vec![
            at(&["apikey"], "unrecognized_key"),
            at(&["apiKey"], "required")
        ]
    );
    assert_eq!(
        issues[0].message,
        "unrecognized key \"apikey\"; did you mean \"apiKey\"?"
    );
    assert_eq!(issues[0].path_string(), "apikey");

    let cases = [
        (
            "api_key",
            "unrecognized key \"api_key\"; did you mean \"apiKey\"?",
        ),
        (
            "baseURL",
            "unrecognized key \"baseURL\"; did you mean \"baseUrl\"?",
        ),
        (
            "base_url",
            "unrecognized key \"base_url\"; did you mean \"baseUrl\"?",
        ),
        (
            "timeout",
            "unrecognized key \"timeout\"; did you mean \"timeoutMs\"?",
        ),
        (
            "max_retries",
            "unrecognized key \"max_retries\"; did you mean \"maxRetries\"?",
        ),
        (
            "session_token",
            "unrecognized key \"session_token\"; did you mean \"sessionToken\"?",
        ),
        (
            "header",
            "unrecognized key \"header\"; did you mean \"headers\"?",
        ),
        (
            "zzz",
            "unrecognized key \"zzz\"; expected one of: apiKey, sessionToken, baseUrl, timeoutMs, \
             maxRetries, maxResponseBytes, signal, headers, fetch, dangerouslyAllowBrowser",
        ),
    ];
    for (key, message) in cases {
        let issues = issues_in(&key_and([(key, s("x"))]), SERVER);
        assert_eq!(
            briefs(&issues),
            vec![at(&[key], "unrecognized_key")],
            "{key}"
        );
        assert_eq!(issues[0].message, message, "{key}");
    }
    // undefined counts as absent.
    assert!(parse_options(&key_and([("apikey", Value::Undefined)]), &SERVER).is_ok());
}

#[test]
fn several_option_issues_at_once() {
    let input = o([
        ("apiKey", s("")),
        ("baseUrl", s(PROXY)),
        ("timeoutMs", n(0.0)),
        ("maxRetries", n(11.0)),
        ("headers", o([("x-api-key", s("x"))])),
        ("signal", s("s")),
        ("bogus", n(1.0)),
    ]);
    assert_eq!(
        briefs(&issues_in(&input, SERVER)),
        vec![
            at(&["apiKey"], "too_small"),
            at(&["timeoutMs"], "too_small"),
            at(&["maxRetries"], "too_big"),
            at(&["headers", "x-api-key"], "conflict"),
            at(&["signal"], "invalid_type"),
            at(&["bogus"], "unrecognized_key"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Everything valid at once

#[test]
fn every_option_set() {
    let opts = options(&o([
        ("sessionToken", s("eyJ.a.b")),
        ("baseUrl", s("http://localhost:8787/prefix/")),
        ("timeoutMs", n(1234.0)),
        ("maxRetries", n(0.0)),
        ("signal", opaque(Kind::AbortSignal)),
        ("headers", o([("x-trace-id", s("t"))])),
        ("fetch", opaque(Kind::Function)),
        ("dangerouslyAllowBrowser", Value::Bool(false)),
    ]));
    assert_eq!(opts.auth, Auth::SessionToken(Secret::new("eyJ.a.b".into())));
    assert_eq!(opts.base_url, "http://localhost:8787/prefix");
    assert_eq!(opts.timeout_ms, 1234);
    assert_eq!(opts.max_retries, 0);
    assert_eq!(
        opts.headers,
        vec![("x-trace-id".to_owned(), "t".to_owned())]
    );
    assert!(opts.signal.is_some());
    assert!(opts.fetch.is_some());
}

// ---------------------------------------------------------------------------------------------
// Secrets never leak

#[test]
fn credentials_never_appear_in_messages_or_debug() {
    let bad_inputs = [
        (
            o([("apiKey", s(SECRET)), ("sessionToken", s(SECRET))]),
            SERVER,
        ),
        (o([("apiKey", s(SECRET))]), BROWSER),
        (
            o([("apiKey", s(&format!("{SECRET} "))), ("baseUrl", s(PROXY))]),
            SERVER,
        ),
        (
            o([
                ("sessionToken", s(&format!("{SECRET}\n"))),
                ("baseUrl", s(PROXY)),
            ]),
            SERVER,
        ),
        (
            o([
                ("apiKey", s(&format!("{SECRET}\u{e9}"))),
                ("baseUrl", s(PROXY)),
            ]),
            SERVER,
        ),
        (
            o([
                ("apiKey", s(SECRET)),
                ("baseUrl", s(&format!("https://u:{SECRET}@p.example"))),
            ]),
            SERVER,
        ),
        (
            o([
                ("apiKey", s(SECRET)),
                ("headers", o([("x-api-key", s(SECRET))])),
            ]),
            SERVER,
        ),
        (
            o([
                ("apiKey", s(SECRET)),
                (
                    "headers",
                    o([("Authorization", s(&format!("Bearer {SECRET}")))]),
                ),
            ]),
            SERVER,
        ),
        (o([("apiKey", s(SECRET)), ("apikey", s(SECRET))]), SERVER),
    ];
    for (input, env) in bad_inputs {
        let issues = issues_in(&input, env);
        for issue in &issues {
            assert!(!issue.to_string().contains(SECRET), "{issue}");
        }
        let error: Error = Error::InvalidOptions {
            issues,
            function: "upsertLinkedAccount",
        };
        assert_eq!(error.code(), "INVALID_OPTIONS");
        assert!(!error.to_string().contains(SECRET), "{error}");
        assert!(!format!("{error:?}").contains(SECRET), "{error:?}");
    }
    for auth in ["apiKey", "sessionToken"] {
        let opts = options(&o([(auth, s(SECRET))]));
        let debug = format!("{opts:?}");
        assert!(!debug.contains(SECRET), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(!format!("{opts:#?}").contains(SECRET));
        assert!(!format!("{:?}", opts.auth).contains(SECRET));
    }
    assert_eq!(
        format!("{:?}", Secret::new(SECRET.into())),
        "Secret(<redacted>)"
    );
    assert_eq!(Secret::new(SECRET.into()).expose(), SECRET);
}

#[test]
fn invalid_options_display() {
    let issues = issues_in(&o([("apiKey", s("a")), ("sessionToken", s("b"))]), SERVER);
    let error: Error = Error::InvalidOptions {
        issues,
        function: "upsertLinkedAccount",
    };
    assert_eq!(
        error.to_string(),
        "invalid client options of upsertLinkedAccount, nothing was sent: 1 issue: sessionToken: \
         give apiKey or sessionToken, not both"
    );
    assert_eq!(error.attempts(), None);
    assert!(!error.retryable());
}

#[test]
fn refold_host_with_trailing_dot_still_needs_auth() {
    assert_eq!(
        url_parts("https://app.refold.ai./").unwrap().hostname,
        "app.refold.ai."
    );
    let issues = issues_in(&o([("baseUrl", s("https://app.refold.ai./"))]), SERVER);
    assert_eq!(briefs(&issues), vec![at(&["apiKey"], "required")]);
}
