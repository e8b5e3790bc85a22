//! The attempt loop, written against a [`Transport`] so that it runs on the host in tests and
//! over `fetch` in wasm.

use crate::error::{redact, Error};
use crate::options::{Auth, ClientOptions};
use crate::request::HttpRequest;
use crate::response::{decode_response, RawResponse};
use crate::retry::{retry_delay, Platform};
use crate::validate::ValidRequest;

/// Why one attempt got no response.
#[derive(Clone, Debug, PartialEq)]
pub enum TransportFailure<N> {
    /// `fetch` rejected, or resolved to something that is not a `Response`.
    Network {
        /// The JS error's message.
        detail: String,
        /// The JS error.
        cause: Option<N>,
    },
    /// The attempt's timer fired before the body was read.
    Timeout,
    /// The caller's signal fired.
    Aborted(Option<N>),
}

/// Moves bytes; holds no retry or status logic.
#[allow(async_fn_in_trait)]
pub trait Transport: Platform {
    /// Sends one attempt; resolves once the whole body is read, or fails within `timeout_ms`.
    async fn send(
        &mut self,
        request: &HttpRequest,
        timeout_ms: u32,
    ) -> Result<RawResponse<Self::Node>, TransportFailure<Self::Node>>;
    /// Waits `ms`; fails at once with the reason if the caller's signal fires.
    async fn sleep(&mut self, ms: u64) -> Result<(), Option<Self::Node>>;
    /// The caller's signal's reason, if it has already fired.
    fn aborted(&self) -> Option<Option<Self::Node>>;
    /// A random number in `[0, 1)` for jitter.
    fn random(&mut self) -> f64;
}

/// Sends `request` with retries (design §4) and decodes the answer.
///
/// Resolves with the server's linked account object. Fails with `HTTP_ERROR`,
/// `NETWORK_ERROR`, `TIMEOUT`, `ABORTED` or `DECODE_ERROR`, each with `attempts`. `secrets`
/// (see [`secrets`]) are redacted from any server or JS text the error keeps.
pub async fn execute<T: Transport>(
    transport: &mut T,
    request: &HttpRequest,
    options: &ClientOptions<T::Node>,
    secrets: &[&str],
) -> Result<T::Node, Error<T::Node>> {
    let mut attempts = 0;
    loop {
        if let Some(cause) = transport.aborted() {
            return Err(Error::Aborted { cause, attempts });
        }
        attempts += 1;
        let outcome = match transport.send(request, options.timeout_ms).await {
            Ok(response) => decode_response(response, &*transport, secrets),
            Err(TransportFailure::Network { detail, cause }) => Err(Error::Network {
                detail: redact(&detail, secrets),
                cause,
                attempts,
            }),
            Err(TransportFailure::Timeout) => Err(Error::Timeout {
                timeout_ms: options.timeout_ms,
                attempts,
            }),
            Err(TransportFailure::Aborted(cause)) => Err(Error::Aborted { cause, attempts }),
        };
        let mut error = match outcome {
            Ok(account) => return Ok(account),
            Err(error) => error,
        };
        error.set_attempts(attempts);
        let random = transport.random();
        let Some(delay) = retry_delay(&error, attempts, options.max_retries, random) else {
            return Err(error);
        };
        if let Err(cause) = transport.sleep(delay).await {
            return Err(Error::Aborted { cause, attempts });
        }
    }
}

/// The values that must never appear in an error message: the credential and every
/// `auth_credentials` value of the request.
pub fn secrets<'a, N>(request: &'a ValidRequest, options: &'a ClientOptions<N>) -> Vec<&'a str> {
    let mut out = Vec::new();
    match &options.auth {
        Auth::ApiKey(s) | Auth::SessionToken(s) => out.push(s.expose()),
        Auth::None => {}
    }
    if let Some(app) = &request.your_app {
        out.extend(app.auth_credentials.iter().map(|(_, v)| v.as_str()));
    }
    out
}
