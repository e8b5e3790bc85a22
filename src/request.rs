//! Sans-IO request building: `ValidRequest` + `ClientOptions` → the exact HTTP request.

use crate::prelude::*;
use crate::text::concat;
use core::fmt;

use crate::options::{Auth, ClientOptions};
use crate::validate::{UdfValue, ValidRequest};
use crate::value::Value;

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
    /// The JSON body as a value tree; the transport turns it into text.
    pub body: Value,
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
/// `authorization: Bearer …`), then the caller's extra headers; the body has the request's
/// fields in wire order (`linked_account_id`, `name`, `your_app`, `udf`), absent ones left out.
pub fn build_request<N>(request: &ValidRequest, options: &ClientOptions<N>) -> HttpRequest {
    let mut headers = vec![
        ("content-type".to_owned(), "application/json".to_owned()),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
    match &options.auth {
        Auth::ApiKey(key) => headers.push(("x-api-key".to_owned(), key.expose().to_owned())),
        Auth::SessionToken(token) => headers.push((
            "authorization".to_owned(),
            concat(&["Bearer ", token.expose()]),
        )),
        Auth::None => {}
    }
    headers.extend(options.headers.iter().cloned());
    HttpRequest {
        method: "PUT",
        url: concat(&[options.base_url.as_str(), UPSERT_PATH]),
        headers,
        body: request_body(request),
    }
}

/// The JSON body of an upsert.
pub fn request_body(request: &ValidRequest) -> Value {
    let mut body = vec![(
        "linked_account_id".to_owned(),
        Value::String(request.linked_account_id.clone()),
    )];
    if let Some(name) = &request.name {
        body.push(("name".to_owned(), Value::String(name.clone())));
    }
    if let Some(app) = &request.your_app {
        let mut your_app = Vec::with_capacity(2);
        if let Some(id) = &app.app_id {
            your_app.push(("app_id".to_owned(), Value::String(id.clone())));
        }
        let credentials = app
            .auth_credentials
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        your_app.push(("auth_credentials".to_owned(), Value::Object(credentials)));
        body.push(("your_app".to_owned(), Value::Object(your_app)));
    }
    if let Some(udf) = &request.udf {
        let udf = udf
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    UdfValue::String(s) => Value::String(s.clone()),
                    UdfValue::Number(n) => Value::Number(*n),
                    UdfValue::Bool(b) => Value::Bool(*b),
                    UdfValue::Null => Value::Null,
                };
                (k.clone(), v)
            })
            .collect();
        body.push(("udf".to_owned(), Value::Object(udf)));
    }
    Value::Object(body)
}
