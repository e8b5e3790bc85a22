// The I/O half of `src/transport.rs`: one attempt with `fetch` (its timer, its abort wiring and
// a bounded read of the body) and an abortable wait. The request is built in Rust (gloo-net);
// decisions (whether and when to retry, what an answer means) are made in Rust too. These
// functions only move bytes and report what happened; none of them throws or rejects.

const NOT_RESPONSE = "fetch resolved to something that is not a Response";
// A header value longer than this counts as absent: servers cap whole header blocks near
// 8–16 KiB, and a custom fetch's giant value would only be copied into wasm memory.
const MAX_HEADER_UNITS = 16384;
const READ_HEADERS = ["x-request-id", "retry-after", "content-type"];

// A JS error's message, with Node's `cause.code` (ECONNREFUSED) when there is one. Reads
// nothing that could throw uncaught: the error may be any value, even a hostile Proxy.
function describe(error) {
  const read = (target, key) => {
    try {
      const value = target[key];
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const isObject = (v) => v !== null && typeof v === "object";
  let detail = isObject(error) ? read(error, "message") : typeof error === "string" ? error : "";
  detail ||= "fetch failed";
  let cause;
  try {
    cause = isObject(error) ? error.cause : undefined;
  } catch {
    cause = undefined;
  }
  const code = isObject(cause) ? read(cause, "code") ?? read(cause, "message") : undefined;
  return code === undefined ? detail : `${detail} (${code})`;
}

// `promise`, rejecting once `signal` (the attempt's own) aborts, even if a custom fetch or its
// body ignores the signal, and at once if it aborted already (say, inside the custom fetch).
function untilAbort(promise, signal) {
  if (signal.aborted) {
    // Not awaited: its rejection must not go unhandled (that ends a Node process).
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return Promise.race([
    promise,
    new Promise((_, reject) => signal.addEventListener("abort", reject, { once: true })),
  ]);
}

// The caller's signal is only known to look like an AbortSignal (it may be a polyfill or come
// from another realm), so every use of it is guarded: none may throw out of these functions.
function isAborted(signal) {
  try {
    return signal != null && Boolean(signal.aborted);
  } catch {
    return false;
  }
}

// One "abort" listener per caller signal, however many calls share it: a listener per call
// would trip Node's MaxListenersExceededWarning at 11 concurrent calls on one signal.
const watchers = new WeakMap();

/** Calls `fn` when `signal` aborts; returns the function that stops watching. */
function watch(signal, fn) {
  if (signal == null || (typeof signal !== "object" && typeof signal !== "function")) return () => {};
  let watcher = watchers.get(signal);
  if (watcher === undefined) {
    const callbacks = new Set();
    const fire = () => {
      for (const callback of [...callbacks]) callback();
    };
    try {
      signal.addEventListener("abort", fire);
    } catch {
      // A signal without working listeners still aborts through isAborted() checks.
      return () => {};
    }
    watcher = { callbacks, fire };
    watchers.set(signal, watcher);
  }
  watcher.callbacks.add(fn);
  return () => {
    watcher.callbacks.delete(fn);
    if (watcher.callbacks.size > 0 || watchers.get(signal) !== watcher) return;
    watchers.delete(signal);
    try {
      signal.removeEventListener("abort", watcher.fire);
    } catch {
      // Nothing more to undo.
    }
  };
}

// `{ response, native }`: what a fetch resolved with, in the shape gloo-net reads (`status`, and `headers.get(name)`
// giving a string or nothing), or null when it is not a Response. A real Response is used as
// it is, unless one of the headers read is over MAX_HEADER_UNITS. A custom fetch may also
// hand back a look-alike (a status, `headers.get` and `text()`), whose header values may be
// any JS value: then a plain object with just the headers read stands in for it, and the body
// is read from the original.
function readable(value) {
  let native;
  let status;
  let headers;
  try {
    native = value instanceof globalThis.Response;
    // `Response.error()`: the Fetch standard's network error, as mocks make one.
    if (native && value.type === "error") return null;
    status = value.status;
    // A real Response's status is 0 (opaque) or 200–599; a look-alike's may be anything.
    if (!Number.isInteger(status) || status < 0 || status > 999) return null;
    if (!native && typeof value.text !== "function") return null;
    headers = READ_HEADERS.map((name) => [name, value.headers.get(name)]);
  } catch {
    return null;
  }
  const kept = headers.filter(([, v]) => typeof v === "string" && v.length <= MAX_HEADER_UNITS);
  const whole = native && kept.length === headers.filter(([, v]) => v !== null).length;
  return { response: whole ? value : { status, headers: new Map(kept) }, native };
}

// The body text of a look-alike Response, cut to `maxBytes` of UTF-8.
async function lookAlikeBody(value, maxBytes, signal) {
  const text = await untilAbort(Promise.resolve(value.text()), signal);
  if (typeof text !== "string") throw new TypeError("Response.text() gave no string");
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= maxBytes) return { text, truncated: false };
  return { text: new TextDecoder().decode(bytes.subarray(0, maxBytes)), truncated: true };
}

// The body's bytes, as UTF-8 text (a BOM dropped, bad sequences as U+FFFD, like
// `Response.text()`), reading no more than `maxBytes` of the decoded body: a small compressed
// body that inflates to gigabytes stops there. Each read is raced against `signal`.
async function readBody(response, maxBytes, signal, deadline, abort) {
  const stream = response.body;
  if (stream == null) return { text: "", truncated: false };
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      // A stream that answers every read at once (empty chunks, say) would keep the attempt's
      // timer from ever running: the deadline is checked here too.
      if (performance.now() >= deadline) abort();
      const { done, value } = await untilAbort(reader.read(), signal);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new TypeError("the response body gave a chunk that is not bytes");
      if (size + value.byteLength > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Stops the download (and releases the connection) when the body was not read to its end.
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes), truncated };
}

// The body parsed as JSON (without a UTF-8 BOM, which a custom fetch's text may keep), or
// undefined when it is not JSON.
function parseJson(text) {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return undefined;
  }
}

/**
 * Sends `request` (a `Request` built by gloo-net), with `controller`'s signal, with the
 * custom `fetch` or the platform's, and reads the whole body, within `timeoutMs`. Resolves
 * (never rejects) with `{ response, text, truncated, json }` (`json` undefined when the
 * body is not JSON) or
 * `{ failure: "aborted" | "timeout" | "network", cause, detail }`.
 */
export async function attempt(request, controller, custom, signal, timeoutMs, maxBytes) {
  const abort = () => controller.abort();
  const unwatch = watch(signal, abort);
  const timer = setTimeout(abort, timeoutMs);
  const deadline = performance.now() + timeoutMs;
  // The failure kind; the caller's abort reason is read in Rust (transport.rs).
  const fail = (cause, detail) => {
    if (isAborted(signal)) return { failure: "aborted" };
    if (controller.signal.aborted) return { failure: "timeout" };
    return { failure: "network", cause, detail: detail ?? describe(cause) };
  };
  try {
    if (isAborted(signal)) return fail();
    let value;
    try {
      // The attempt's signal joins the request here. Only a custom fetch needs the race: the
      // platform's honours the signal.
      const init = { signal: controller.signal };
      value = custom
        ? await untilAbort(Promise.resolve(custom(new Request(request, init))), controller.signal)
        : await fetch(request, init);
    } catch (error) {
      return fail(error);
    }
    const read = readable(value);
    if (read === null) return fail(value, NOT_RESPONSE);
    const { response, native } = read;
    try {
      const { text, truncated } = native
        ? await readBody(value, maxBytes, controller.signal, deadline, abort)
          : await lookAlikeBody(value, maxBytes, controller.signal);
      return { response, text, truncated, json: parseJson(text) };
    } catch (error) {
      return fail(error);
    }
  } finally {
    clearTimeout(timer);
    unwatch();
  }
}

/** Waits `ms`; resolves `true`, or `false` as soon as `signal` aborts. */
export function sleep(ms, signal) {
  if (isAborted(signal)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (slept) => {
      clearTimeout(timer);
      unwatch();
      resolve(slept);
    };
    const timer = setTimeout(() => done(true), ms);
    const unwatch = watch(signal, () => done(false));
  });
}

/**
 * A request body as JSON text. serde-wasm-bindgen hands over each map of the body (`udf`,
 * `auth_credentials`) as a `Map`, written here as an object: serde-wasm-bindgen's own objects
 * set keys by assignment, which would make a `__proto__` key the object's prototype and drop
 * it from the JSON.
 */
export function bodyJson(value) {
  return JSON.stringify(value, (_, v) => (v instanceof Map ? Object.fromEntries(v) : v));
}
