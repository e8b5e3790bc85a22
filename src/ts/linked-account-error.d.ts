// The error class of src/error.js, hand-written: its fields are generated from the Rust type
// `Error` (src/error.rs, as `LinkedAccountErrorFields`), and this file joins them to the JS
// `Error` each one is, one member per `code`. Rules: docs/contract.md, Errors.

/** Every `code` a {@link LinkedAccountError} can carry. Codes are semver API. */
export type ErrorCode = LinkedAccountErrorFields<unknown>["code"];

/** What every {@link LinkedAccountError} has, whatever its code. */
export interface LinkedAccountErrorBase<C extends ErrorCode> extends Error {
  name: "LinkedAccountError";
  /** Stable; tells which fields the error has. */
  code: C;
}

/**
 * The {@link LinkedAccountError} of one `code`, with that code's fields. Errors raised before
 * anything was sent (`VALIDATION_FAILED`, `INVALID_OPTIONS`) have no `attempts` or
 * `retryable`.
 */
export type LinkedAccountErrorOf<C extends ErrorCode> = LinkedAccountErrorBase<C> &
  Omit<Extract<LinkedAccountErrorFields<unknown>, { code: C }>, "code"> &
  (C extends "VALIDATION_FAILED" | "INVALID_OPTIONS"
    ? { attempts?: undefined; retryable?: undefined }
    : unknown);

/**
 * Every rejection of this package: a real `Error` with `name` `"LinkedAccountError"` and a
 * stable `code`, narrowed by `code` to that code's fields. `err instanceof LinkedAccountError`
 * works for errors of this copy of the package; {@link isLinkedAccountError} also for errors
 * from another realm or copy. Messages never hold the API key, the session token or a
 * credential value.
 */
export type LinkedAccountError = { [C in ErrorCode]: LinkedAccountErrorOf<C> }[ErrorCode];
/** The class of every {@link LinkedAccountError}, for `instanceof`. */
export declare const LinkedAccountError: {
  new (message: string, fields: LinkedAccountErrorFields<unknown>): LinkedAccountError;
  readonly prototype: LinkedAccountError;
};

/** The request broke a rule; nothing was sent. */
export type ValidationFailedError = LinkedAccountErrorOf<"VALIDATION_FAILED">;
/** The options broke a rule; nothing was sent. */
export type InvalidOptionsError = LinkedAccountErrorOf<"INVALID_OPTIONS">;
/** The server answered non-2xx (after retries, when retryable). */
export type HttpError = LinkedAccountErrorOf<"HTTP_ERROR">;
/** `fetch` rejected: refused, reset, DNS, or a CORS block (browsers cannot tell these apart). */
export type NetworkError = LinkedAccountErrorOf<"NETWORK_ERROR">;
/** An attempt exceeded `timeoutMs`, and no retry was left. */
export type TimeoutError = LinkedAccountErrorOf<"TIMEOUT">;
/** The caller's `signal` fired (never retried). */
export type AbortedError = LinkedAccountErrorOf<"ABORTED">;
/** A 2xx whose body is empty, not JSON, not a linked account, too large or not UTF-8. */
export type DecodeError = LinkedAccountErrorOf<"DECODE_ERROR">;
