//! Sans-IO request building: `UpsertLinkedAccountRequest` + `ClientOptions` → the exact HTTP
//! request.

use std::fmt;

use crate::options::{Auth, ClientOptions};
use crate::types::UpsertLinkedAccountRequest;

/// The upsert path, appended to the base URL.
/// Source: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.
pub const UPSERT_PATH: &str = "/api/v2/public/linked-account";

/// One HTTP request, ready for a transport.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    /// Always `"PUT"` (upsert is idempotent, so retrying it is safe).
    pub method: &'static str,
    /// `{baseUrl}/api/v2/public/linked-account`.
    pub url: String,
    /// Header names and values, in sending order. Contains the credential.
    pub headers: Vec<(String, String)>,
    /// The body; the transport sends its serde form as JSON.
    pub body: UpsertLinkedAccountRequest,
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
            .field("body", &"<omitted: may hold credentials>")
            .finish()
    }
}

/// Builds `PUT {base_url}/api/v2/public/linked-account` with `content-type:
/// application/json`, `accept: application/json`, the credential (`x-api-key`, or
/// `authorization: Bearer …`), then the caller's extra headers. The body is the request
/// itself: its serde form is the JSON the transport sends (fields in wire order,
/// `linked_account_id`, `name`, `your_app`, `udf`; absent ones left out).
pub fn build_request<N>(
    request: &UpsertLinkedAccountRequest,
    options: &ClientOptions<N>,
) -> HttpRequest {
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
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
        method: "PUT",
        url: format!("{}{UPSERT_PATH}", options.base_url),
        headers,
        body: request.clone(),
    }
}
