//! Sans-IO request building: a validated [`Call`] + `ClientOptions` → the exact HTTP request.
//!
//! Paths and methods: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>
//! and the pages linked from each [`Call`] variant.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::options::{Auth, ClientOptions};
use crate::types::{ListLinkedAccountsQuery, SessionTokenRequest, UpsertLinkedAccountRequest};

/// The linked-account path (upsert, list), appended to the base URL; get and delete append
/// `/{linked_account_id}`.
/// Source: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.
pub const UPSERT_PATH: &str = "/api/v2/public/linked-account";
/// The session-token path. Source:
/// <https://docs.refold.ai/api-reference/session-token/generate-token-for-linked-account>.
pub const SESSION_TOKEN_PATH: &str = "/api/v2/public/session-token";

/// What a path segment or query value keeps as it is: RFC 3986's unreserved characters.
/// Everything else is percent-encoded as UTF-8 (`a/b?c#d` → `a%2Fb%3Fc%23d`, `@` → `%40`).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An HTTP method this client sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET` (get, list).
    Get,
    /// `PUT` (upsert).
    Put,
    /// `POST` (session token).
    Post,
    /// `DELETE` (delete).
    Delete,
}

impl Method {
    /// The method's name: `"GET"`, `"PUT"`, `"POST"`, `"DELETE"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl PartialEq<&str> for Method {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One call of the linked-account API, its arguments validated.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// `PUT /api/v2/public/linked-account`: create or update
    /// (<https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>).
    Upsert(UpsertLinkedAccountRequest),
    /// `GET /api/v2/public/linked-account/{linked_account_id}`
    /// (<https://docs.refold.ai/api-reference/customer/get-linked-account>).
    Get(String),
    /// `GET /api/v2/public/linked-account?page=&limit=…`
    /// (<https://docs.refold.ai/api-reference/customer/list-linked-accounts>).
    List(ListLinkedAccountsQuery),
    /// `DELETE /api/v2/public/linked-account/{linked_account_id}`
    /// (<https://docs.refold.ai/api-reference/customer/delete-linked-account>).
    Delete(String),
    /// `POST /api/v2/public/session-token[?force_refresh=true]`
    /// (<https://docs.refold.ai/api-reference/session-token/generate-token-for-linked-account>).
    CreateSessionToken {
        /// The account the token is for.
        linked_account_id: String,
        /// Mint a new token even if the account has a valid one.
        force_refresh: bool,
    },
}

/// What a 2xx answer must be (`docs/contract.md`, "The response"); anything else is a
/// `DECODE_ERROR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A `LinkedAccount` (upsert, get).
    Account,
    /// A `LinkedAccountPage` (list); when a page number was sent, the page with that number
    /// (a server that ignores `?page=` would otherwise hand a page walk the first page forever).
    Page(Option<u32>),
    /// `{ message }` (delete).
    Deleted,
    /// A `SessionToken`. Its body is a secret: a 2xx that fails to decode keeps no text.
    SessionToken,
}

/// Which failures a call may retry (`docs/contract.md`, "Retries").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryPolicy {
    /// Repeating the request has the effect of sending it once (`GET`, `PUT`, `DELETE`, and a
    /// session-token `POST` without `force_refresh`, which hands back the account's valid
    /// token): network errors, timeouts and 408, 429, 502, 503, 504 are retried.
    Idempotent,
    /// Each request that reaches the server has an effect (a session-token `POST` with
    /// `force_refresh` mints a new token): retried only on 408, 429 and 503, answers that say
    /// the server did not act on the request. A network error, a timeout, 502 or 504 may
    /// come after the server minted a token, so they are not retried.
    UnlessProcessed,
}

/// A request body; the transport sends its serde form as JSON.
#[derive(Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Body {
    /// The upsert request.
    Upsert(UpsertLinkedAccountRequest),
    /// `{ linked_account_id }` for a session token.
    SessionToken(SessionTokenRequest),
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<omitted: may hold credentials>")
    }
}

impl Call {
    /// The JS function that makes this call, for messages.
    pub fn function(&self) -> &'static str {
        match self {
            Call::Upsert(_) => "upsertLinkedAccount",
            Call::Get(_) => "getLinkedAccount",
            Call::List(_) => "listLinkedAccounts",
            Call::Delete(_) => "deleteLinkedAccount",
            Call::CreateSessionToken { .. } => "createSessionToken",
        }
    }

    /// Whether Refold accepts only the org API key here (no session token): every call but
    /// upsert and get, which a session token may make for its own account.
    pub fn needs_api_key(&self) -> bool {
        !matches!(self, Call::Upsert(_) | Call::Get(_))
    }

    /// What a 2xx answer must be.
    pub fn expect(&self) -> Expect {
        match self {
            Call::Upsert(_) | Call::Get(_) => Expect::Account,
            Call::List(query) => Expect::Page(query.page),
            Call::Delete(_) => Expect::Deleted,
            Call::CreateSessionToken { .. } => Expect::SessionToken,
        }
    }

    /// Which failures may be retried.
    pub fn retry(&self) -> RetryPolicy {
        match self {
            Call::CreateSessionToken {
                force_refresh: true,
                ..
            } => RetryPolicy::UnlessProcessed,
            _ => RetryPolicy::Idempotent,
        }
    }

    /// The values that must never appear in an error message besides the credential: every
    /// `auth_credentials` value of an upsert.
    pub fn secrets(&self) -> Vec<&str> {
        match self {
            Call::Upsert(request) => request
                .your_app
                .iter()
                .flat_map(|app| app.auth_credentials.iter().map(|(_, v)| v.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn method(&self) -> Method {
        match self {
            Call::Upsert(_) => Method::Put,
            Call::Get(_) | Call::List(_) => Method::Get,
            Call::Delete(_) => Method::Delete,
            Call::CreateSessionToken { .. } => Method::Post,
        }
    }

    /// Path and query, to append to the base URL.
    fn target(&self) -> String {
        let encode = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
        match self {
            Call::Upsert(_) => UPSERT_PATH.to_owned(),
            Call::Get(id) | Call::Delete(id) => [UPSERT_PATH, "/", &encode(id)].concat(),
            Call::List(query) => {
                let page = query.page.map(|n| n.to_string());
                let limit = query.limit.map(|n| n.to_string());
                let pairs = [
                    ("page", page.as_deref()),
                    ("limit", limit.as_deref()),
                    ("env_variable_name", query.env_variable_name.as_deref()),
                    ("env_variable_value", query.env_variable_value.as_deref()),
                    ("scope", query.scope.as_deref()),
                ];
                let mut out = UPSERT_PATH.to_owned();
                let present = pairs.iter().filter_map(|(n, v)| Some((n, (*v)?)));
                for (i, (name, value)) in present.enumerate() {
                    out.push(if i == 0 { '?' } else { '&' });
                    out.push_str(name);
                    out.push('=');
                    out.push_str(&encode(value));
                }
                out
            }
            Call::CreateSessionToken { force_refresh, .. } => {
                let query = if *force_refresh {
                    "?force_refresh=true"
                } else {
                    ""
                };
                [SESSION_TOKEN_PATH, query].concat()
            }
        }
    }

    fn body(&self) -> Option<Body> {
        match self {
            Call::Upsert(request) => Some(Body::Upsert(request.clone())),
            Call::CreateSessionToken {
                linked_account_id, ..
            } => Some(Body::SessionToken(SessionTokenRequest {
                linked_account_id: linked_account_id.clone(),
            })),
            Call::Get(_) | Call::List(_) | Call::Delete(_) => None,
        }
    }
}

/// One HTTP request, ready for a transport.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// `{baseUrl}` + path + query.
    pub url: String,
    /// Header names and values, in sending order. Contains the credential.
    pub headers: Vec<(String, String)>,
    /// The JSON body, for `PUT` and `POST`.
    pub body: Option<Body>,
    /// What a 2xx answer must be.
    pub expect: Expect,
    /// Which failures may be retried.
    pub retry: RetryPolicy,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let secret =
                    n.eq_ignore_ascii_case("x-api-key") || n.eq_ignore_ascii_case("authorization");
                (n.as_str(), if secret { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .field("expect", &self.expect)
            .field("retry", &self.retry)
            .finish()
    }
}

/// Builds the request of `call`: its method and `{base_url}` + path (a `linked_account_id`
/// percent-encoded as one path segment, query values as query components); headers
/// `content-type: application/json` (when there is a body), `accept: application/json`, the
/// credential (`x-api-key`, or `authorization: Bearer …`), then the caller's extra headers.
/// A body's serde form is the JSON the transport sends (fields in wire order, absent ones
/// left out).
pub fn build_request<N>(call: &Call, options: &ClientOptions<N>) -> HttpRequest {
    let body = call.body();
    let mut headers = Vec::with_capacity(3 + options.headers.len());
    if body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    headers.push(("accept".to_owned(), "application/json".to_owned()));
    match &options.auth {
        Auth::ApiKey(key) => headers.push(("x-api-key".to_owned(), key.expose().to_owned())),
        Auth::SessionToken(token) => headers.push((
            "authorization".to_owned(),
            format!("Bearer {}", token.expose()),
        )),
        Auth::None => {}
    }
    headers.extend(options.headers.iter().cloned());
    HttpRequest {
        method: call.method(),
        url: [options.base_url.as_str(), &call.target()].concat(),
        headers,
        body,
        expect: call.expect(),
        retry: call.retry(),
    }
}
