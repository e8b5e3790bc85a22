//! The wire types of the Upsert linked account API, defined once: serde derives give their
//! JSON form and tsify derives the TypeScript the package ships.
//!
//! Source: <https://docs.refold.ai/api-reference/customer/upsert-a-linked-account>.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// A `udf` value: the primitives Refold accepts (`string | number | boolean | null`); numbers
/// are finite.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(type = "string | number | boolean | null")
)]
#[serde(untagged)]
pub enum UdfValue {
    /// A string.
    String(String),
    /// A finite number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
}

// By hand rather than `#[serde(untagged)]`, which buffers every value before trying each
// variant: a visitor reads the one value directly.
impl<'de> Deserialize<'de> for UdfValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Primitive;
        impl Visitor<'_> for Primitive {
            type Value = UdfValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<UdfValue, E> {
                Ok(UdfValue::String(s.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<UdfValue, E> {
                Ok(UdfValue::Number(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<UdfValue, E> {
                Ok(UdfValue::Number(n as f64))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<UdfValue, E> {
                Ok(UdfValue::Number(n as f64))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<UdfValue, E> {
                Ok(UdfValue::Bool(b))
            }
            fn visit_unit<E: de::Error>(self) -> Result<UdfValue, E> {
                Ok(UdfValue::Null)
            }
        }
        deserializer.deserialize_any(Primitive)
    }
}

/// `your_app`: the customer's credentials for the org's own app.
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct YourApp {
    /// `app_id`, when given (non-empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | undefined"))]
    pub app_id: Option<String>,
    /// `auth_credentials` in the caller's key order: at least one entry, non-empty keys, no
    /// two keys equal ignoring ASCII case. The values are secrets, never shown in errors.
    #[serde(serialize_with = "as_object")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub auth_credentials: Vec<(String, String)>,
}

impl fmt::Debug for YourApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.auth_credentials.iter().map(|(k, _)| &**k).collect();
        f.debug_struct("YourApp")
            .field("app_id", &self.app_id)
            .field("auth_credentials (values redacted)", &keys)
            .finish()
    }
}

/// The body of `PUT /api/v2/public/linked-account`: `linked_account_id` and, when given,
/// `name`, `your_app` and `udf`, with the rules of `docs/contract.md` ("Request rules"). In
/// Rust, only validation builds one, so one that exists passed every rule.
///
/// Fields in wire order; absent ones are left out of the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[non_exhaustive]
pub struct UpsertLinkedAccountRequest {
    /// `linked_account_id`: the customer's id in your system (an email, say); non-empty after
    /// trimming, no control characters.
    pub linked_account_id: String,
    /// `name`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | undefined"))]
    pub name: Option<String>,
    /// `your_app`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "YourApp | undefined"))]
    pub your_app: Option<YourApp>,
    /// `udf` (user-defined fields) in the caller's key order, when given (may be empty).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "as_optional_object"
    )]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, UdfValue> | undefined")
    )]
    pub udf: Option<Vec<(String, UdfValue)>>,
}

/// One entry of a linked account's `udf`, as the server returns it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct UdfEntry {
    /// The `udf` key.
    pub key_name: String,
    /// Its value.
    pub key_value: UdfValue,
    /// The entry's id (24 hex digits).
    pub _id: String,
    /// ISO-8601 creation time.
    #[serde(rename = "createdAt")]
    pub created_at: String,
    /// ISO-8601 time of the last change.
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
}

/// A linked account as the server returns it (a 2xx body).
///
/// A body must have a string `_id` and `account_id`, a `udf` array of entries and a
/// non-negative integer `__v`, and the other fields below, when present and not `null`, must
/// have these types, or the answer is a `DECODE_ERROR`. The caller receives the body as the server sent it, every field kept, also
/// those this type does not list (`new_account`, `is_seed`, `integrations` …).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct LinkedAccount {
    /// The account's id (24 hex digits).
    pub _id: String,
    /// The org that owns it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub associated_org: Option<String>,
    /// The `linked_account_id` it was upserted with.
    pub account_id: String,
    /// `"test"` or `"production"`, after the API key used.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "\"test\" | \"production\" | (string & {})")
    )]
    pub environment: Option<String>,
    /// `name`, when set.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub name: Option<String>,
    /// The user-defined fields.
    pub udf: Vec<UdfEntry>,
    /// ISO-8601 creation time.
    #[serde(rename = "createdAt")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub created_at: Option<String>,
    /// ISO-8601 time of the last change.
    #[serde(rename = "updatedAt")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub updated_at: Option<String>,
    /// The document version: 0 when created, one more on every write (a retried write
    /// counts too).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub __v: u64,
    /// Whether the write that answered created the account (newer API versions). A retried
    /// write that had created it answers `false`.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "boolean"))]
    pub new_account: Option<bool>,
    /// Whether this is a seed account (newer API versions).
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "boolean"))]
    pub is_seed: Option<bool>,
    /// The apps installed for the account, trimmed (no credentials or tokens): sent by
    /// `getLinkedAccount` (and by newer API versions in list pages), not by upsert.
    /// Source: <https://docs.refold.ai/v3/api-reference/linked-accounts/get-linked-account>.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "Integration[]"))]
    pub integrations: Option<Vec<Integration>>,
}

/// One app installed for a linked account, as `getLinkedAccount` returns it (trimmed: no
/// credentials or tokens). Every field the server sends is kept, also those not listed here
/// (`_id`, `icon`, `reauth_required` …).
/// Source: <https://docs.refold.ai/v3/api-reference/linked-accounts/get-linked-account>.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct Integration {
    /// The app's slug (`"hubspot"`), or `"custom"` for the org's own app.
    #[serde(rename = "type")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub kind: Option<String>,
    /// The app's name.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string"))]
    pub name: Option<String>,
    /// The custom app's id; `null` for other apps.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub app_id: Option<String>,
}

/// Writes `(key, value)` pairs as one JSON object, in order.
fn as_object<S: Serializer, V: Serialize>(
    entries: &[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (key, value) in entries {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

fn as_optional_object<S: Serializer, V: Serialize>(
    entries: &Option<Vec<(String, V)>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match entries {
        Some(entries) => as_object(entries, serializer),
        None => serializer.serialize_none(),
    }
}

/// The query of `GET /api/v2/public/linked-account` (list): the page wanted and the
/// documented filters, with the rules of `docs/contract.md` ("The other calls"). In Rust, only
/// validation builds one. Source:
/// <https://docs.refold.ai/api-reference/customer/list-linked-accounts>.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[non_exhaustive]
pub struct ListLinkedAccountsQuery {
    /// The page, from 1 (the server's default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number | undefined"))]
    pub page: Option<u32>,
    /// Accounts per page, 1 to 100 (the server's default: 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number | undefined"))]
    pub limit: Option<u32>,
    /// Only accounts with this environment variable (`udf` key).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | undefined"))]
    pub env_variable_name: Option<String>,
    /// Only accounts whose environment variable has this value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | undefined"))]
    pub env_variable_value: Option<String>,
    /// Only accounts of this scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | undefined"))]
    pub scope: Option<String>,
}

/// The second argument of `createSessionToken`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateSessionTokenOptions {
    /// Mint a new token even when the account has a valid one (`?force_refresh=true`).
    /// Default `false`: the server hands back the account's valid token, if it has one.
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "boolean | undefined"))]
    pub force_refresh: bool,
}

/// The body of `POST /api/v2/public/session-token`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionTokenRequest {
    /// The account the token is for.
    pub linked_account_id: String,
}

/// One page of `GET /api/v2/public/linked-account`: the accounts and where the page is
/// (the mongoose-paginate shape). `prevPage`/`nextPage` are `null` where there is none.
/// Source: <https://docs.refold.ai/api-reference/customer/list-linked-accounts>.
///
/// A 2xx body must have this shape (every `docs` item a [`LinkedAccount`]) or the answer is a
/// `DECODE_ERROR`; the caller receives the body as sent, every field kept.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct LinkedAccountPage {
    /// The accounts of this page, at most `limit`.
    pub docs: Vec<LinkedAccount>,
    /// Accounts across all pages (after filters).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub total_docs: u64,
    /// Accounts per page.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub limit: u64,
    /// Pages in all.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub total_pages: u64,
    /// This page's number, from 1.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub page: u64,
    /// The 1-based position of this page's first account in the whole list.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub paging_counter: u64,
    /// Whether a page comes before this one.
    pub has_prev_page: bool,
    /// Whether a page comes after this one.
    pub has_next_page: bool,
    /// The previous page's number, or `null`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub prev_page: Option<u64>,
    /// The next page's number, or `null`.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub next_page: Option<u64>,
}

/// The answer of `DELETE /api/v2/public/linked-account/{linked_account_id}`:
/// `{ message: "User deleted successfully" }`.
/// Source: <https://docs.refold.ai/api-reference/customer/delete-linked-account>.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct DeletedLinkedAccount {
    /// The server's confirmation.
    pub message: String,
}

/// A session token for one linked account, from `POST /api/v2/public/session-token`. Older
/// API versions send only `token` (valid 24 h); newer ones add the rest. The token is a
/// secret: give it only to that account's browser session.
/// Source: <https://docs.refold.ai/api-reference/session-token/generate-token-for-linked-account>.
#[derive(Clone, PartialEq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct SessionToken {
    /// The token, sent as `Authorization: Bearer <token>`: a non-empty string of visible
    /// ASCII (the rule of the `sessionToken` option), or the answer is a `DECODE_ERROR`.
    pub token: String,
    /// A token to get a new one with, when the server sends one (`null` counts as absent).
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "string | null"))]
    pub refresh_token: Option<String>,
    /// Seconds until `token` expires, when the server says (`null` counts as absent).
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number | null"))]
    pub expires_in: Option<f64>,
    /// Seconds until `refresh_token` expires, when the server says (`null` counts as absent).
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "number | null"))]
    pub refresh_expires_in: Option<f64>,
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionToken")
            .field("token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("refresh_expires_in", &self.refresh_expires_in)
            .finish()
    }
}
