//! The wasm suite in Node (`wasm-bindgen-test-runner`'s default).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/suite.rs"]
mod suite;
