// The I/O half of `src/transport.rs`: one `fetch` attempt with its timer and abort wiring,
// and an abortable wait. Decisions (what to send, whether and when to retry, what an answer
// means) are made in Rust; these functions only move bytes and report what happened.

const NOT_RESPONSE = "fetch resolved to something that is not a Response";
const MAX_HEADER_UNITS = 16384;

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

// `promise`, rejecting once `signal` (the attempt's own) aborts, even if a custom fetch
// ignores the signal, and at once if it aborted already (say, inside the custom fetch).
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

/**
 * Sends one attempt and reads the whole body within `timeoutMs`.
 * `headerLines` is "name\nvalue\n…". Resolves (never rejects) with
 * `{ status, requestId, retryAfter, text, json }` (`json` undefined when the body is not JSON)
 * or `{ failure: "aborted" | "timeout" | "network", cause, detail }`.
 */
async function attempt(custom, method, url, headerLines, body, timeoutMs, signal) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const unwatch = watch(signal, abort);
  const timer = setTimeout(abort, timeoutMs);
  // The failure kind; the caller's abort reason is read in Rust (transport.rs).
  const fail = (cause, detail) => {
    if (isAborted(signal)) return { failure: "aborted" };
    if (controller.signal.aborted) return { failure: "timeout" };
    return { failure: "network", cause, detail: detail ?? describe(cause) };
  };
  try {
    if (isAborted(signal)) return fail();
    const lines = headerLines.split("\n");
    const headers = [];
    for (let i = 0; i + 1 < lines.length; i += 2) headers.push([lines[i], lines[i + 1]]);
    // A redirect would carry the API key and the credentials to another URL.
    const init = { method, headers, body, signal: controller.signal, redirect: "manual" };
    let response;
    let text;
    try {
      // A custom fetch gets one Request; the platform's gets (url, init), which spares it
      // building a second Request from the first. Only a custom fetch needs the race.
      response = custom
        ? await untilAbort(Promise.resolve(custom(new Request(url, init))), controller.signal)
        : await fetch(url, init);
    } catch (error) {
      return fail(error);
    }
    let status;
    let read;
    try {
      // A real Response's status is 0 (opaque) or 200–599; a custom fetch's may be anything.
      status = response.status;
      read = Number.isInteger(status) && status >= 0 && status <= 999;
      read = read && typeof response.headers?.get === "function";
      read = read && typeof response.text === "function";
    } catch {
      read = false;
    }
    if (!read) return fail(response, NOT_RESPONSE);
    // A header value over MAX_HEADER_UNITS counts as absent: servers cap whole header blocks
    // near 8–16 KiB, and a custom fetch's giant value would only be copied into wasm memory.
    const header = (name) => {
      try {
        const value = response.headers.get(name);
        return typeof value === "string" && value.length <= MAX_HEADER_UNITS ? value : null;
      } catch {
        return null;
      }
    };
    const requestId = header("x-request-id");
    const retryAfter = header("retry-after");
    try {
      const reading = response.text();
      text = await (custom ? untilAbort(Promise.resolve(reading), controller.signal) : reading);
    } catch (error) {
      return fail(error);
    }
    if (typeof text !== "string") return fail(undefined, "Response.text() gave no string");
    let json;
    try {
      // Response.text() already drops a UTF-8 BOM; a custom fetch's Response may not.
      json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      json = undefined;
    }
    return { status, requestId, retryAfter, text, json };
  } finally {
    clearTimeout(timer);
    unwatch();
  }
}

/** Waits `ms`; resolves `true`, or `false` as soon as `signal` aborts. */
function sleep(ms, signal) {
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

// A `LinkedAccountError` (design §3). Rust writes every field but the JS values as one JSON
// object, `fields`, whose `cause`, `body` and `issues` hold `null` where those values go, so
// the properties come in one fixed order.
export function linkedAccountError(message, fields, cause, body, issues) {
  const error = new Error(message);
  error.name = "LinkedAccountError";
  const own = JSON.parse(fields);
  if ("cause" in own) own.cause = cause;
  if ("body" in own) own.body = body;
  if ("issues" in own) own.issues = issues;
  return Object.assign(error, own);
}

const SEND = -1; // transport.rs
const DONE = -2;

/**
 * Runs a `Call` (src/transport.rs) to its end: each step it returns is SEND, DONE or a wait
 * in ms. Resolves with the account, or rejects with the `LinkedAccountError` from finish().
 */
export async function drive(call, custom, signal, method, url, headerLines, body, timeoutMs) {
  try {
    let step = call.begin();
    while (step !== DONE) {
      step =
        step === SEND
          ? call.onAttempt(await attempt(custom, method, url, headerLines, body, timeoutMs, signal))
          : call.onWait(await sleep(step, signal));
    }
    return call.finish();
  } finally {
    call.free();
  }
}
