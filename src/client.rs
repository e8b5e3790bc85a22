//! The attempt loop, written against a [`Transport`] so that it runs on the host in tests and
//! over `fetch` in wasm.

use crate::error::Error;
use crate::options::{Auth, ClientOptions};
use crate::redact::redact;
use crate::request::{Call, Expect, HttpRequest, RetryPolicy};
use crate::response::{decode_response, RawResponse};
use crate::retry::{retry_delay, Platform};

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
}

/// What the driver of an [`Attempts`] does next.
#[derive(Debug, PartialEq)]
pub enum Step<N> {
    /// Send one attempt, then report it to [`Attempts::on_attempt`].
    Send,
    /// Wait this many ms (aborted early if the caller's signal fires), then report to
    /// [`Attempts::on_wait`].
    Wait(u64),
    /// The call is over: the linked account, or the error (with `attempts` set).
    Done(Result<N, Error<N>>),
}

/// The attempt loop (`docs/contract.md`, "Retries") as a state machine with no I/O: the driver sends, waits and
/// reports; this decides. [`execute`] drives it over a [`Transport`]: the fetch transport in
/// wasm, a scripted one in the host tests.
#[derive(Debug)]
pub struct Attempts {
    attempts: u32,
    unanswered: u32,
    max_retries: u32,
    timeout_ms: u32,
    expect: Expect,
    retry: RetryPolicy,
}

impl Attempts {
    /// A call that may retry `max_retries` times after the first attempt (the failures
    /// `retry` allows), each attempt limited to `timeout_ms`, whose 2xx must be `expect`.
    pub fn new(timeout_ms: u32, max_retries: u32, expect: Expect, retry: RetryPolicy) -> Self {
        Attempts {
            attempts: 0,
            unanswered: 0,
            max_retries,
            timeout_ms,
            expect,
            retry,
        }
    }

    /// The first step. `aborted` is the caller's signal's reason if it has already fired.
    pub fn begin<N>(&mut self, aborted: Option<Option<N>>) -> Step<N> {
        match aborted {
            Some(cause) => Step::Done(Err(Error::Aborted {
                attempts: self.attempts,
                retryable: false,
                cause,
            })),
            None => {
                self.attempts += 1;
                Step::Send
            }
        }
    }

    /// After an attempt: decodes the response (redacting `secrets` from any text an error
    /// keeps), and either finishes or waits to retry, with the platform's jitter.
    pub fn on_attempt<P: Platform>(
        &mut self,
        outcome: Result<RawResponse<P::Node>, TransportFailure<P::Node>>,
        platform: &P,
        secrets: &[&str],
    ) -> Step<P::Node> {
        let attempts = self.attempts;
        let answered = !matches!(
            outcome,
            Err(TransportFailure::Network { .. } | TransportFailure::Timeout)
        );
        let decoded = match outcome {
            Ok(response) => decode_response(response, self.expect, platform, secrets),
            Err(TransportFailure::Network { detail, cause }) => Err(Error::Network {
                attempts,
                retryable: true,
                detail: redact(&detail, secrets),
                cause,
            }),
            Err(TransportFailure::Timeout) => Err(Error::Timeout {
                attempts,
                retryable: true,
                timeout_ms: self.timeout_ms,
            }),
            Err(TransportFailure::Aborted(cause)) => Err(Error::Aborted {
                attempts,
                retryable: false,
                cause,
            }),
        };
        let mut error = match decoded {
            Ok(account) => return Step::Done(Ok(account)),
            Err(error) => error,
        };
        error.set_attempts(attempts, self.unanswered);
        if !answered {
            self.unanswered += 1;
        }
        if self.retry == RetryPolicy::UnlessProcessed && !error.unprocessed() {
            error.set_retryable(false);
        }
        let delay = if error.retryable() && attempts <= self.max_retries {
            retry_delay(&error, attempts, self.max_retries, platform.random())
        } else {
            None
        };
        match delay {
            Some(ms) => Step::Wait(ms),
            None => Step::Done(Err(error)),
        }
    }

    /// After a wait: `Err` with the caller's abort reason if the signal fired during it;
    /// otherwise as [`Attempts::begin`].
    pub fn on_wait<N>(
        &mut self,
        waited: Result<(), Option<N>>,
        aborted: Option<Option<N>>,
    ) -> Step<N> {
        match waited {
            Err(cause) => Step::Done(Err(Error::Aborted {
                attempts: self.attempts,
                retryable: false,
                cause,
            })),
            Ok(()) => self.begin(aborted),
        }
    }
}

/// Sends `request` with retries (`docs/contract.md`, "Retries") and decodes the answer, by driving [`Attempts`]
/// over `transport`.
///
/// Resolves with the server's 2xx body, checked to be what `request.expect` names. Fails with `HTTP_ERROR`,
/// `NETWORK_ERROR`, `TIMEOUT`, `ABORTED` or `DECODE_ERROR`, each with `attempts`. `secrets`
/// (see [`secrets`]) are redacted from any server or JS text the error keeps.
pub async fn execute<T: Transport, M>(
    transport: &mut T,
    request: &HttpRequest,
    options: &ClientOptions<M>,
    secrets: &[&str],
) -> Result<T::Node, Error<T::Node>> {
    let mut run = Attempts::new(
        options.timeout_ms,
        options.max_retries,
        request.expect,
        request.retry,
    );
    let mut step = run.begin(transport.aborted());
    loop {
        step = match step {
            Step::Send => {
                let outcome = transport.send(request, options.timeout_ms).await;
                run.on_attempt(outcome, &*transport, secrets)
            }
            Step::Wait(ms) => {
                let waited = transport.sleep(ms).await;
                run.on_wait(waited, transport.aborted())
            }
            Step::Done(result) => return result,
        };
    }
}

/// The values that must never appear in an error message: the credential and every
/// `auth_credentials` value of an upsert.
pub fn secrets<'a, N>(call: &'a Call, options: &'a ClientOptions<N>) -> Vec<&'a str> {
    let mut out = Vec::new();
    match &options.auth {
        Auth::ApiKey(s) | Auth::SessionToken(s) => out.push(s.expose()),
        Auth::None => {}
    }
    out.extend(call.secrets());
    out
}
