// Type definitions for refold-linked-accounts.
//
// This file is the package's public contract, written by hand and reviewed like code.
// index.d.cts (for `require`) is a byte-identical copy; tests/error_codes.rs checks both
// against the Rust error and issue codes, and tests/types/ checks them with `tsc --strict`.
//
// The types name the web platform's `Request`, `Response`, `Headers` and `AbortSignal`: a
// consumer needs `lib: ["dom"]`, `@types/node` (>= 20), Deno, Bun or
// `@cloudflare/workers-types` in scope, as any fetch-based client does.

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/**
 * Creates the linked account with `request.linked_account_id`, or updates it if it exists:
 * `PUT {baseUrl}/api/v2/public/linked-account` with a JSON body
 * ({@link https://docs.refold.ai/api-reference/customer/upsert-a-linked-account | Refold: Upsert linked account}).
 *
 * Order of work: the options are checked, then the request (both read when the call is
 * made; either failure means nothing is sent), then the request is sent and retried as
 * described on {@link ClientOptions.maxRetries}.
 *
 * Never throws synchronously: every failure is a rejected promise.
 *
 * @param request - The upsert body, in the API's own snake_case names. Checked by the same
 *   rules as {@link validateUpsertLinkedAccount}.
 * @param options - Credentials and transport settings ({@link ClientOptions}).
 * @returns The 200 body as the server sent it, a plain JSON-compatible object
 *   ({@link LinkedAccount}); fields the server adds are kept.
 * @throws (rejects with) {@link LinkedAccountError}, whose `code` is one of:
 *   - `"INVALID_OPTIONS"`: an option broke a rule; nothing was sent.
 *   - `"VALIDATION_FAILED"`: the request broke a rule; nothing was sent.
 *   - `"HTTP_ERROR"`: the server answered non-2xx (after retries, if retryable).
 *   - `"NETWORK_ERROR"`: `fetch` rejected (refused, reset, DNS, or a CORS block).
 *   - `"TIMEOUT"`: the last attempt exceeded `timeoutMs` ms.
 *   - `"ABORTED"`: `options.signal` fired.
 *   - `"DECODE_ERROR"`: a 2xx whose body is empty, not JSON, or not a linked account.
 *
 * @example
 * ```ts
 * const account = await upsertLinkedAccount(
 *   { linked_account_id: "acme-42", name: "Acme", udf: { plan: "pro", seats: 12 } },
 *   { apiKey: process.env.REFOLD_API_KEY },
 * );
 * console.log(account._id, account.udf);
 * ```
 */
export function upsertLinkedAccount(
  request: UpsertLinkedAccountRequest,
  options: ClientOptions,
): Promise<LinkedAccount>;

/**
 * Checks a request by the rules `upsertLinkedAccount` applies, without sending anything.
 *
 * Synchronous, and never throws for bad input (any value is accepted). Every broken rule is
 * reported at once, one issue per rule per place, with paths relative to the request
 * (`["udf", "plan"]`).
 *
 * @param request - Any value; typically a form's data before it is sent.
 * @returns Every {@link ValidationIssue}, or `[]` when the request is valid.
 *
 * @example
 * ```ts
 * for (const issue of validateUpsertLinkedAccount(formData)) {
 *   showError(issue.path.join("."), issue.message);
 * }
 * ```
 */
export function validateUpsertLinkedAccount(request: unknown): ValidationIssue[];

/**
 * Whether `error` is a {@link LinkedAccountError} from this package: an `Error` whose `name`
 * is `"LinkedAccountError"` and whose `code` is one of {@link ErrorCode}. Works across realms
 * and copies of the package (it checks names, not classes).
 *
 * @example
 * ```ts
 * try {
 *   await upsertLinkedAccount(request, options);
 * } catch (e) {
 *   if (isLinkedAccountError(e) && e.code === "HTTP_ERROR" && e.status === 401) reauth();
 *   else throw e;
 * }
 * ```
 */
export function isLinkedAccountError(error: unknown): error is LinkedAccountError;

// ---------------------------------------------------------------------------------------------
// Request
// ---------------------------------------------------------------------------------------------

/**
 * A user-defined field value. The API stores primitives; objects, arrays, `bigint`, `NaN`
 * and `±Infinity` are rejected before sending (`invalid_type` / `not_finite`).
 */
export type UdfValue = string | number | boolean | null;

/**
 * The body of `PUT /api/v2/public/linked-account`, in the API's snake_case names
 * ({@link https://docs.refold.ai/api-reference/customer/upsert-a-linked-account | Refold docs}).
 *
 * Must be a plain object (prototype `Object.prototype` or `null`). Any key not listed here,
 * at any level, is an `unrecognized_key` issue with a suggestion (`linkedAccountId` →
 * `linked_account_id`). A key whose value is `undefined` counts as absent, everywhere.
 */
export interface UpsertLinkedAccountRequest {
  /**
   * Your id for the account; the upsert key within the org and environment (the
   * environment comes from the API key). Required; a non-empty string that is not
   * whitespace-only and holds no control characters (U+0000–U+001F, U+007F–U+009F).
   *
   * Issues: `required`, `invalid_type`, `too_small`, `invalid_string`.
   */
  linked_account_id: string;
  /**
   * Display name. When given, replaces the stored name. `null` is not a string
   * (`invalid_type`).
   */
  name?: string | undefined;
  /**
   * Credentials your customer uses for *your* API (they seed the account's default app).
   * When given, `auth_credentials` is required inside it: Refold answers an error for an
   * empty `your_app`. Omit the whole object if you have no credentials.
   *
   * Issues: `required`, `invalid_type`, `unrecognized_key`, and those of its fields.
   */
  your_app?: YourApp | undefined;
  /**
   * User-defined fields, key → primitive value. Keys must be non-empty. The response
   * returns them as an array of {@link UdfEntry}.
   *
   * Issues: `invalid_type` (object, array, bigint … values), `not_finite` (`NaN`,
   * `±Infinity`), `too_small` (empty key).
   */
  udf?: Record<string, UdfValue> | undefined;
}

/** The `your_app` part of {@link UpsertLinkedAccountRequest}. */
export interface YourApp {
  /**
   * Header-like credential names → string values, e.g. `{ "x-api-key": "…" }`. At least
   * one key (`too_small`); keys non-empty; values strings (`invalid_type`); no two keys
   * equal ignoring ASCII case (`duplicate_key`, reported at the later key).
   *
   * Values are sent to Refold but never appear in an error message.
   */
  auth_credentials: Record<string, string>;
  /** Id of your default app in Refold (older API versions); a non-empty string. */
  app_id?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * The `fetch` the client calls: once per attempt, with one `Request` (method `PUT`, JSON
 * body, headers and an `AbortSignal` for the attempt's timeout and the caller's signal), and
 * `this` set to `undefined` (bind methods such as a Cloudflare service binding's `fetch`).
 * The global `fetch` fits. Resolving to something that is not a `Response` is a
 * `NETWORK_ERROR`.
 */
export type FetchFunction = (request: Request) => Promise<Response>;

/** Options shared by every way of authenticating. See {@link ClientOptions}. */
export interface BaseClientOptions {
  /**
   * API origin, optionally with a path prefix (a proxy): the request goes to
   * `{baseUrl}/api/v2/public/linked-account` (a trailing `/` is ignored).
   *
   * Default: `"https://app.refold.ai"`.
   *
   * `INVALID_OPTIONS` (`invalid_string` at `["baseUrl"]`) when it is not an absolute URL,
   * has a query or fragment, holds a username or password, or is not `https:` (plain
   * `http:` is allowed only to loopback: 127.0.0.0/8, `localhost`, `[::1]`, e.g. the
   * emulator).
   */
  baseUrl?: string | undefined;
  /**
   * Time limit of **each attempt**, in milliseconds, from sending until the whole body is
   * read; it aborts the fetch. When the last attempt runs out the call rejects with
   * `TIMEOUT`.
   *
   * Default: `30000` (30 s). An integer from 1 to 600000, else `INVALID_OPTIONS`.
   */
  timeoutMs?: number | undefined;
  /**
   * Retries after the first attempt, so at most `maxRetries + 1` requests.
   *
   * Retried: `NETWORK_ERROR`, `TIMEOUT`, and HTTP 408, 429, 502, 503, 504. Never retried:
   * HTTP 500 (Refold answers it for deterministic input errors), other statuses, `ABORTED`.
   * Backoff: 500 ms doubling per retry, capped at 8000 ms, each delay scaled by a random
   * factor in [0.5, 1]. A `Retry-After` header (seconds or HTTP-date) on a retryable
   * response replaces that delay exactly; above 60 s it is not waited out and the error is
   * raised with `retryAfterMs`.
   *
   * Default: `2`. An integer from 0 to 10, else `INVALID_OPTIONS`.
   */
  maxRetries?: number | undefined;
  /**
   * Cancels the call: aborts the in-flight fetch and any backoff wait at once, and the call
   * rejects with `ABORTED` (`cause` is `signal.reason`). Never retried. A signal that has
   * already fired rejects before anything is sent (`attempts: 0`).
   */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers, as a plain object or a `Headers`. Values must be strings without
   * NUL, CR, LF or characters above U+00FF; names must be valid HTTP tokens and not given
   * twice. `x-api-key`, `authorization` and `content-type` (any case) are set by the client
   * and are rejected here (`conflict`): use `apiKey` or `sessionToken`.
   */
  headers?: Record<string, string> | Headers | undefined;
  /**
   * A custom `fetch` for proxies, tracing, tests or edge bindings; see
   * {@link FetchFunction}. Default: the global `fetch`.
   */
  fetch?: FetchFunction | undefined;
  /**
   * Allows `apiKey` in a browser page (where `globalThis.document` exists), checked at call
   * time. Without it, `apiKey` in a browser is `INVALID_OPTIONS` (`conflict` at
   * `["apiKey"]`): the org key would be visible to every visitor. Use a `sessionToken`
   * minted by your backend, or a backend proxy as `baseUrl`; set this only for trusted
   * internal tools.
   *
   * Default: `false`.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/**
 * Authenticate with the org API key (server side), sent as `x-api-key`.
 * Cannot be combined with `sessionToken`.
 */
export interface ApiKeyAuth {
  /**
   * Org API key, sent as `x-api-key`. `tk…` keys act on the test environment, `pk…` on
   * production. Keep it server-side (see `dangerouslyAllowBrowser`).
   *
   * A non-empty string of visible ASCII (no whitespace or control characters), else
   * `INVALID_OPTIONS`. Never appears in an error message.
   */
  apiKey?: string | undefined;
  /** Not with `apiKey`: give one credential (`conflict` at `["sessionToken"]`). */
  sessionToken?: undefined;
}

/**
 * Authenticate with a session token (browsers), sent as `Authorization: Bearer …`.
 * Cannot be combined with `apiKey`.
 */
export interface SessionTokenAuth {
  /**
   * Session token minted by your backend (`POST /api/v2/public/session-token`), sent as
   * `Authorization: Bearer <token>`. The way to call the API from a browser.
   *
   * A non-empty string of visible ASCII, else `INVALID_OPTIONS`. Never appears in an error
   * message.
   */
  sessionToken?: string | undefined;
  /** Not with `sessionToken`: give one credential (`conflict` at `["sessionToken"]`). */
  apiKey?: undefined;
}

/**
 * Options of {@link upsertLinkedAccount}: one credential (`apiKey` **or** `sessionToken`,
 * never both) plus {@link BaseClientOptions}.
 *
 * | option | default |
 * | --- | --- |
 * | `apiKey` / `sessionToken` | — (one is required for a Refold host) |
 * | `baseUrl` | `"https://app.refold.ai"` |
 * | `timeoutMs` | `30000` ms per attempt |
 * | `maxRetries` | `2` |
 * | `signal`, `headers`, `fetch` | — (global `fetch`) |
 * | `dangerouslyAllowBrowser` | `false` |
 *
 * Neither credential is allowed only when `baseUrl` is not a Refold host (your proxy adds
 * auth); with a Refold host it is `INVALID_OPTIONS` (`required` at `["apiKey"]`). Unknown
 * keys are `INVALID_OPTIONS` (`unrecognized_key`, with a suggestion). Issue paths are
 * option names (`["timeoutMs"]`). A key whose value is `undefined` counts as absent.
 */
export type ClientOptions = (ApiKeyAuth | SessionTokenAuth) & BaseClientOptions;

// ---------------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------------

/** One user-defined field as the API returns it (the request's `udf` map becomes an array). */
export interface UdfEntry {
  /** The key of the request's `udf` map. */
  key_name: string;
  /** The value as stored. */
  key_value: UdfValue;
  /** 24-hex id of the entry. */
  _id: string;
  /** ISO-8601 timestamp with milliseconds and `Z`. */
  createdAt: string;
  /** ISO-8601 timestamp with milliseconds and `Z`. */
  updatedAt: string;
}

/**
 * The linked account: the 200 body of the upsert as the server sent it
 * ({@link https://docs.refold.ai/api-reference/customer/upsert-a-linked-account | Refold docs}).
 *
 * A plain JSON-compatible object: `JSON.parse(JSON.stringify(account))` deep-equals it, and
 * any field the server adds (`new_account`, `is_seed`, `tenant_account_id`, …) is kept.
 *
 * The client checks only that `_id` and `account_id` are strings (anything else is
 * `DECODE_ERROR`); the other fields are typed as Refold documents them and passed through
 * unchecked.
 */
export interface LinkedAccount {
  /** 24-hex id of the account. */
  _id: string;
  /** Id of the org that owns the account. */
  associated_org: string;
  /** The request's `linked_account_id`. */
  account_id: string;
  /** Which environment the API key addressed (`tk…` keys: `"test"`, `pk…`: `"production"`). */
  environment: "test" | "production" | (string & {});
  /** Display name, when one was set. */
  name?: string;
  /** User-defined fields, one entry per key. */
  udf: UdfEntry[];
  /** ISO-8601 timestamp with milliseconds and `Z`. */
  createdAt: string;
  /** ISO-8601 timestamp with milliseconds and `Z`. */
  updatedAt: string;
  /** Document version number; treat it as opaque. */
  __v: number;
  /** Newer API versions: `true` when this call created the account, `false` on update. */
  new_account?: boolean;
  /** Fields the server adds are kept as-is. */
  [field: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Validation issues
// ---------------------------------------------------------------------------------------------

/**
 * The kind of a {@link ValidationIssue}. Stable (semver API).
 *
 * - `"required"`: a required field or option is missing (or `undefined`).
 * - `"invalid_type"`: wrong type (`null` for a string, an array for an object, a fractional
 *   `timeoutMs` …).
 * - `"too_small"`: empty where a non-empty value is required, or a number below its minimum.
 * - `"too_big"`: a number above its maximum, a string over 1 048 576 UTF-16 code units, or (at
 *   path `[]`) a request or options whose JSON would pass 16 MiB.
 * - `"invalid_string"`: right type, wrong form (control characters, a bad URL …).
 * - `"unrecognized_key"`: a key this API does not know; the message suggests the closest one.
 * - `"duplicate_key"`: two keys equal ignoring ASCII case (reported at the later one).
 * - `"not_finite"`: `NaN` or `±Infinity`, which JSON cannot carry.
 * - `"conflict"`: settings that cannot be used together (`apiKey` with `sessionToken`,
 *   `apiKey` in a browser, a header the client owns).
 */
export type IssueCode =
  | "required"
  | "invalid_type"
  | "too_small"
  | "too_big"
  | "invalid_string"
  | "unrecognized_key"
  | "duplicate_key"
  | "not_finite"
  | "conflict";

/**
 * One broken rule at one place, e.g.
 * `{ path: ["udf", "plan"], code: "not_finite", message: "…" }`.
 */
export interface ValidationIssue {
  /**
   * Where: object keys and array indexes, relative to the request (`["your_app",
   * "auth_credentials", "X-Api-Key"]`) or, for options, the option name (`["apiKey"]`).
   * `[]` is the value itself.
   */
  path: (string | number)[];
  /** Which rule; stable. */
  code: IssueCode;
  /** For people; may change between versions. Never contains a secret value. */
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * The `code` of a {@link LinkedAccountError}. Stable (semver API); messages are for people
 * and may change.
 *
 * | code | when |
 * | --- | --- |
 * | `"VALIDATION_FAILED"` | the request broke a rule; nothing was sent |
 * | `"INVALID_OPTIONS"` | the options broke a rule; nothing was sent |
 * | `"HTTP_ERROR"` | the server answered non-2xx (after retries, if retryable) |
 * | `"NETWORK_ERROR"` | `fetch` rejected (refused, reset, DNS, CORS), or gave no `Response` |
 * | `"TIMEOUT"` | the last attempt exceeded `timeoutMs` |
 * | `"ABORTED"` | the caller's `signal` fired |
 * | `"DECODE_ERROR"` | a 2xx whose body is empty, not JSON, or not a linked account |
 */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_OPTIONS"
  | "HTTP_ERROR"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "DECODE_ERROR";

/**
 * Every error this package rejects with: a real `Error` with `name: "LinkedAccountError"`,
 * discriminated by `code`. Narrow on `code` to read the fields of one kind:
 *
 * ```ts
 * if (isLinkedAccountError(e)) {
 *   switch (e.code) {
 *     case "HTTP_ERROR": console.log(e.status, e.apiErrorCode, e.requestId); break;
 *     case "VALIDATION_FAILED": console.log(e.issues); break;
 *   }
 * }
 * ```
 *
 * `attempts` and `retryable` can be read without narrowing (`undefined` on the two errors
 * raised before sending). Messages never contain the API key, the session token or
 * credential values.
 */
export type LinkedAccountError =
  | ValidationFailedError
  | InvalidOptionsError
  | HttpError
  | NetworkError
  | TimeoutError
  | AbortedError
  | DecodeError;

/** The member of {@link LinkedAccountError} with code `C`: `LinkedAccountErrorOf<"HTTP_ERROR">`. */
export type LinkedAccountErrorOf<C extends ErrorCode> = Extract<LinkedAccountError, { code: C }>;

/** `VALIDATION_FAILED`: the request broke a rule; nothing was sent. */
export interface ValidationFailedError extends Error {
  name: "LinkedAccountError";
  code: "VALIDATION_FAILED";
  /** Every broken rule, paths relative to the request; never empty. */
  issues: ValidationIssue[];
  /** Absent: nothing was sent. */
  attempts?: undefined;
  /** Absent: nothing was sent. */
  retryable?: undefined;
}

/**
 * `INVALID_OPTIONS`: the options broke a rule; nothing was sent. Options are checked before
 * the request, so this is raised even if the request is also invalid.
 */
export interface InvalidOptionsError extends Error {
  name: "LinkedAccountError";
  code: "INVALID_OPTIONS";
  /** Every broken rule; paths are option names (`["apikey"]`, `["sessionToken"]`); never empty. */
  issues: ValidationIssue[];
  /** Absent: nothing was sent. */
  attempts?: undefined;
  /** Absent: nothing was sent. */
  retryable?: undefined;
}

/**
 * `HTTP_ERROR`: the server answered non-2xx, after retries when the status is retryable.
 * A body that is not JSON (an HTML 502 page from a proxy) still gives this error, with the
 * text in `rawBody`. When the body has a `message`, the error's `message` contains it.
 * Documented error bodies: `{ status_code, http_error_type, error_code | error, message,
 * request_id }`
 * ({@link https://docs.refold.ai/api-reference/customer/upsert-a-linked-account | Refold docs}).
 */
export interface HttpError extends Error {
  name: "LinkedAccountError";
  code: "HTTP_ERROR";
  /** HTTP status of the last response, e.g. `401`. */
  status: number;
  /** The body's `error_code`, or `error` in newer bodies (`"SERVER_ERROR"`); else `null`. */
  apiErrorCode: string | null;
  /** The body's `http_error_type` (`"UNAUTHORIZED"`); else `null`. */
  httpErrorType: string | null;
  /** The body's `request_id`, else the `x-request-id` header when readable; else `null`. */
  requestId: string | null;
  /** The body parsed as JSON, or `null` when it is not JSON. */
  body: unknown;
  /** The body text, at most 1024 characters (JS string length). */
  rawBody: string;
  /** Whether this status is retried (408, 429, 502, 503, 504), whether or not retries were left. */
  retryable: boolean;
  /**
   * The last response's `Retry-After` header in milliseconds, when present and parseable
   * (seconds or HTTP-date); else `null`. Above 60000 it was not waited out.
   */
  retryAfterMs: number | null;
  /** Requests made, including the first (1 to `maxRetries + 1`). */
  attempts: number;
}

/**
 * `NETWORK_ERROR`: `fetch` rejected (connection refused or reset, DNS failure, or a CORS
 * block: browsers cannot tell these apart, and the message says so), or a custom `fetch`
 * resolved to something that is not a `Response`. Retried.
 */
export interface NetworkError extends Error {
  name: "LinkedAccountError";
  code: "NETWORK_ERROR";
  /** The original JS error (or the non-`Response` value). */
  cause: unknown;
  /** Requests made, including the first. */
  attempts: number;
  /** Always `true`: network errors are retried. */
  retryable: true;
}

/** `TIMEOUT`: the last attempt exceeded `timeoutMs`; the fetch was aborted. Retried. */
export interface TimeoutError extends Error {
  name: "LinkedAccountError";
  code: "TIMEOUT";
  /** The per-attempt limit that ran out, in milliseconds. */
  timeoutMs: number;
  /** Requests made, including the first. */
  attempts: number;
  /** Always `true`: timeouts are retried. */
  retryable: true;
}

/** `ABORTED`: the caller's `signal` fired, during a request or a backoff wait. Never retried. */
export interface AbortedError extends Error {
  name: "LinkedAccountError";
  code: "ABORTED";
  /** The signal's `reason` (by default a `DOMException` named `AbortError`). */
  cause: unknown;
  /** Requests made; `0` when the signal had fired before the first. */
  attempts: number;
  /** Always `false`. */
  retryable: false;
}

/** `DECODE_ERROR`: a 2xx whose body is empty, not JSON, or not a linked account. Not retried. */
export interface DecodeError extends Error {
  name: "LinkedAccountError";
  code: "DECODE_ERROR";
  /** HTTP status (2xx). */
  status: number;
  /** The body text, at most 1024 characters (JS string length). */
  rawBody: string;
  /** The body's `request_id`, else the `x-request-id` header when readable; else `null`. */
  requestId: string | null;
  /** Requests made, including the first. */
  attempts: number;
  /** Always `false`. */
  retryable: false;
}
