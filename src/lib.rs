//! `refold-linked-accounts`: a validating, retrying client for Refold's
//! [Upsert linked account](https://docs.refold.ai/api-reference/customer/upsert-a-linked-account)
//! API (`PUT /api/v2/public/linked-account`), compiled to WebAssembly for JavaScript.
//!
//! The work is done by pure Rust, host-tested with `cargo test`: [`validate::validate`]
//! (design §2 request rules), [`options::parse_options`] (client options),
//! [`request::build_request`] and [`response::decode_response`] (sans-IO HTTP),
//! [`retry`] (design §4) and [`client::Attempts`] (the attempt loop as a state machine, which
//! [`client::execute`] drives over a [`client::Transport`] in tests). In wasm, `bindings`
//! exports the JS API: requests and options arrive as one [`snapshot`] string written by
//! `src/snapshot.js`, and `transport` holds each call's state machine, which `src/fetch.js`
//! drives over `fetch`.
#![no_std]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;
// The release wasm build (`--features wasm-panic-trap`, see scripts/build.sh) links no `std`: a
// panic, which the code is written never to reach, traps instead of formatting a message. That
// drops std's panic machinery and most of `core::fmt` from the module. Every other build
// (host, wasm tests) links `std` and keeps its panic messages.
#[cfg(not(all(target_arch = "wasm32", feature = "wasm-panic-trap")))]
extern crate std;

#[cfg(all(target_arch = "wasm32", feature = "wasm-panic-trap"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// `alloc` names that the `std` prelude would otherwise provide.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod client;
pub mod error;
pub mod issue;
pub mod options;
pub mod redact;
pub mod request;
pub mod response;
pub mod retry;
pub mod snapshot;
pub mod text;
pub mod validate;
pub mod value;

// talc: smaller (−2.6 KB gzipped) and faster than the default dlmalloc in wasm.
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
pub use validate::{validate, ValidRequest};
pub use value::{Kind, Node, Value};
