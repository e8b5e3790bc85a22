//! `refold-linked-accounts`: a validating, retrying client for Refold's linked-account API
//! ([Upsert linked account](https://docs.refold.ai/api-reference/customer/upsert-a-linked-account),
//! `PUT /api/v2/public/linked-account`, and get, list, delete and session tokens), compiled to
//! WebAssembly for JavaScript. The contract it follows is `docs/contract.md`.
//!
//! The work is done by pure Rust, host-tested with `cargo test`: the wire types
//! ([`types`], serde and tsify derives), [`mod@validate`] (request and argument rules),
//! [`options::parse_options`] (client options), [`request::build_request`] (a [`request::Call`]
//! → its HTTP request) and
//! [`response::decode_response`] (sans-IO HTTP), [`retry`] (retry decisions) and
//! [`client::execute`] (the attempt loop, over a [`client::Transport`]). In wasm, `bindings`
//! exports the JS API: caller input is read by `src/reader.js` into plain values
//! ([`input`]), and `transport` sends each attempt with gloo-net over `fetch`.
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod client;
pub mod error;
pub mod input;
pub mod issue;
pub mod options;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
pub mod text;
pub mod types;
pub mod validate;
pub mod value;

// talc: smaller and faster than the default dlmalloc in wasm (see scripts/bench/README.md).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
mod transport;

pub use error::{Error, HttpError, ERROR_CODES};
pub use issue::{IssueCode, PathSegment, ValidationIssue};
pub use options::{ClientOptions, Env, UrlParts};
pub use types::{
    CreateSessionTokenOptions, DeletedLinkedAccount, Integration, LinkedAccount, LinkedAccountPage,
    ListLinkedAccountsQuery, SessionToken, UdfEntry, UdfValue, UpsertLinkedAccountRequest, YourApp,
};
pub use validate::validate;
pub use value::{Kind, Node, Value};
