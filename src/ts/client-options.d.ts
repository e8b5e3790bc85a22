// The options of `upsertLinkedAccount`, hand-written: the TypeScript generated from Rust
// types cannot say "apiKey or sessionToken, not both", nor name `fetch` and `AbortSignal`.
// Rules: docs/contract.md, Options; checked by src/options.rs.

/**
 * The `fetch` the client calls: once per attempt, with one `Request` (the call's method, URL,
 * headers and JSON body, and an `AbortSignal` for the attempt's timeout and the caller's signal), and
 * `this` set to `undefined` (bind methods such as a Cloudflare service binding's `fetch`).
 * The global `fetch` fits. Resolving to something that is not a `Response` is a
 * `NETWORK_ERROR`.
 */
export type FetchFunction = (this: void, request: Request) => Promise<Response>;

/** Options shared by every way of authenticating. See {@link ClientOptions}. */
export interface BaseClientOptions {
  /**
   * API origin, optionally with a path prefix (a proxy): an upsert goes to
   * `{baseUrl}/api/v2/public/linked-account`, the other calls to their paths under it (a
   * trailing `/` is ignored).
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
   * Retried: `NETWORK_ERROR`, `TIMEOUT`, and HTTP 408, 429, 502, 503, 504 (by
   * `createSessionToken` with `forceRefresh`, only 408, 429, 503: a repeat could mint a second
   * token). Never retried:
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
   * Most bytes of (decoded) response body read, in bytes; past it reading stops. A 2xx
   * longer than this is `DECODE_ERROR`, a longer non-2xx is `HTTP_ERROR` with what was read;
   * neither is retried.
   *
   * Default: `10485760` (10 MiB). An integer from 1024 to 1073741824, else
   * `INVALID_OPTIONS`.
   */
  maxResponseBytes?: number | undefined;
  /**
   * Cancels the call: aborts the in-flight fetch and any backoff wait at once, and the call
   * rejects with `ABORTED` (`cause` is `signal.reason`). Never retried. A signal that has
   * already fired rejects before anything is sent (`attempts: 0`).
   */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers, as a plain object or a `Headers`. Values must be strings without
   * control characters other than tab (U+0000–U+0008, U+000A–U+001F, U+007F–U+009F) or
   * characters above U+00FF; names must be valid HTTP tokens and not given twice.
   * `x-api-key`, `authorization` and `content-type` (any case) are set by the client and are
   * rejected here (`conflict`): use `apiKey` or `sessionToken`; so are the headers the
   * platform owns (`content-length`, `host`, `connection`, `transfer-encoding`, `keep-alive`,
   * `upgrade`, `expect`, `te`, `trailer`).
   */
  headers?: Record<string, string> | Headers | undefined;
  /**
   * A custom `fetch` for proxies, tracing, tests or edge bindings; see
   * {@link FetchFunction}. Default: the global `fetch`.
   */
  fetch?: FetchFunction | undefined;
  /**
   * Allows `apiKey` in a browser page (where `globalThis.document` exists) or a dedicated,
   * shared or service worker, checked at call time. Without it, `apiKey` in a browser is `INVALID_OPTIONS` (`conflict` at
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
 * Options of {@link upsertLinkedAccount} and {@link getLinkedAccount}: one credential (`apiKey` **or** `sessionToken`,
 * never both) plus {@link BaseClientOptions}.
 *
 * | option | default |
 * | --- | --- |
 * | `apiKey` / `sessionToken` | — (one is required for a Refold host) |
 * | `baseUrl` | `"https://app.refold.ai"` |
 * | `timeoutMs` | `30000` ms per attempt |
 * | `maxRetries` | `2` |
 * | `maxResponseBytes` | `10485760` bytes |
 * | `signal`, `headers`, `fetch` | — (global `fetch`) |
 * | `dangerouslyAllowBrowser` | `false` |
 *
 * Neither credential is allowed only when `baseUrl` is not a Refold host (your proxy adds
 * auth); with a Refold host it is `INVALID_OPTIONS` (`required` at `["apiKey"]`). Unknown
 * keys are `INVALID_OPTIONS` (`unrecognized_key`, with a suggestion). Issue paths are
 * option names (`["timeoutMs"]`). A key whose value is `undefined` counts as absent.
 */
export type ClientOptions = (ApiKeyAuth | SessionTokenAuth) & BaseClientOptions;

/**
 * Options of the calls Refold serves only with the org API key (`listLinkedAccounts`,
 * `allLinkedAccounts`, `deleteLinkedAccount`, `createSessionToken`): {@link ClientOptions}
 * without `sessionToken` (giving one is `INVALID_OPTIONS`, `conflict` at `["sessionToken"]`).
 * `apiKey` may be left out only when `baseUrl` is your own proxy that adds it.
 */
export type ApiKeyClientOptions = ApiKeyAuth & BaseClientOptions;
