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
