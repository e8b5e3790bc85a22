// Hostile callers and servers: throwing getters, Proxies, fake signals, huge strings,
// redirects, echoed secrets. Every outcome is a typed rejection (never a throw, a trap or a
// hang) and the next call works.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";

import { emulator, sdk, DEFAULT_TEST_KEY, CREDENTIAL, uniqueId, seedRequest, rejection, settle, assertNoSecrets } from "./helpers.mjs";

let emu;
let other;
before(async () => {
  emu = await emulator();
  other = await emulator();
});
after(async () => {
  await emu.close();
  await other.close();
});
afterEach(async () => {
  await emu.clearFaults();
  const id = uniqueId("after");
  assert.equal((await sdk.upsertLinkedAccount(seedRequest(id), options())).account_id, id);
});

const options = (extra = {}) => ({ apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url, ...extra });
const paths = (error) => error.issues.map((i) => [i.path.join("."), i.code]);

test("a throwing getter is an issue at its path, and nothing is sent", async () => {
  const request = {
    linked_account_id: "getter@example.com",
    udf: {
      x: 1,
      get boom() {
        throw new Error("boom");
      },
    },
  };
  assert.deepEqual(sdk.validateUpsertLinkedAccount(request), [
    { path: ["udf", "boom"], code: "invalid_type", message: "could not be read: its getter threw" },
  ]);
  const error = await rejection(sdk.upsertLinkedAccount(request, options()), "VALIDATION_FAILED");
  assert.deepEqual(paths(error), [["udf.boom", "invalid_type"]]);
});

test("a throwing apiKey or timeoutMs getter is INVALID_OPTIONS, not a default", async () => {
  const bad = {
    baseUrl: emu.url,
    get apiKey() {
      throw new Error("no");
    },
    get timeoutMs() {
      throw new Error("no");
    },
  };
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest("o@example.com"), bad), "INVALID_OPTIONS");
  assert.deepEqual(paths(error), [["apiKey", "invalid_type"], ["timeoutMs", "invalid_type"]]);
});

test("Proxies whose traps throw, and revoked Proxies, are issues, not throws", async () => {
  const throwing = new Proxy({}, { ownKeys() { throw new Error("trap"); } });
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  for (const [request, expected] of [
    [throwing, [["", "invalid_type"]]],
    [revocable.proxy, [["", "invalid_type"]]],
    [{ linked_account_id: "p@example.com", udf: revocable.proxy }, [["udf", "invalid_type"]]],
    [{ linked_account_id: "p@example.com", your_app: { auth_credentials: throwing } }, [["your_app.auth_credentials", "invalid_type"]]],
  ]) {
    let issues;
    assert.doesNotThrow(() => {
      issues = sdk.validateUpsertLinkedAccount(request);
    });
    assert.deepEqual(issues.map((i) => [i.path.join("."), i.code]), expected);
    let promise;
    assert.doesNotThrow(() => {
      promise = sdk.upsertLinkedAccount(request, options());
    });
    await rejection(promise, "VALIDATION_FAILED");
  }
  let promise;
  assert.doesNotThrow(() => {
    promise = sdk.upsertLinkedAccount(seedRequest("p@example.com"), revocable.proxy);
  });
  await rejection(promise, "INVALID_OPTIONS");
});

test("an AbortSignal look-alike whose aborted cannot be read is INVALID_OPTIONS", async () => {
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest("s@example.com"), options({ signal: Object.create(AbortSignal.prototype) })), "INVALID_OPTIONS");
  assert.deepEqual(paths(error), [["signal", "invalid_type"]]);
});

test("a string longer than 1 048 576 UTF-16 units is too_big, rejected before it is copied", async () => {
  const huge = "€".repeat(2 ** 26);
  assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: huge }).map((i) => [i.path.join("."), i.code]), [["linked_account_id", "too_big"]]);
  const error = await rejection(sdk.upsertLinkedAccount({ linked_account_id: "h@example.com", udf: { big: huge } }, options()), "VALIDATION_FAILED");
  assert.deepEqual(paths(error), [["udf.big", "too_big"]]);
  assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "x".repeat(1048576) }), []);
});

test("a redirect is not followed: HTTP_ERROR 307, and the other origin sees nothing", async () => {
  await emu.faults({ status: 307, headers: { location: `${other.url}/api/v2/public/linked-account` } });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("redirect")), options({ headers: { "x-test-case": "redirect" } })), "HTTP_ERROR");
  assert.equal(error.status, 307);
  assert.equal(error.retryable, false);
  assert.equal(error.attempts, 1);
  assert.match(error.message, /redirects are not followed/);
  assert.equal((await other.requests("redirect")).length, 0);
});

test("a server echoing secrets (plain and JSON-escaped) has them redacted in message, rawBody and body", async () => {
  const credential = 'pa"ss\\wörd-9f3';
  const request = { linked_account_id: uniqueId("echo"), your_app: { auth_credentials: { k: credential, other: CREDENTIAL } } };
  const body = JSON.stringify({ status_code: 400, message: `key ${DEFAULT_TEST_KEY} cred ${credential} and ${CREDENTIAL}`, request_id: "r-echo" });
  assert.ok(body.includes('pa\\"ss\\\\wörd-9f3'), "the body carries the JSON-escaped form");
  await emu.faults({ status: 400, body });
  const error = await rejection(sdk.upsertLinkedAccount(request, options()), "HTTP_ERROR");
  assert.equal(error.body.message, "key [redacted] cred [redacted] and [redacted]");
  assert.equal(error.body.request_id, "r-echo");
  assert.equal(error.requestId, "r-echo");
  for (const view of [error.message, error.rawBody, JSON.stringify(error), String(error), error.stack]) {
    for (const secret of [DEFAULT_TEST_KEY, credential, CREDENTIAL]) assert.ok(!view.includes(secret), view);
    assert.ok(!view.includes('pa\\"ss'), view);
  }
  assertNoSecrets([DEFAULT_TEST_KEY, CREDENTIAL, credential]);
});

test("extra headers from a Headers instance are sent, and owned ones refused in any case", async () => {
  const id = uniqueId("headers");
  await sdk.upsertLinkedAccount(seedRequest(id), options({ headers: new Headers({ "X-Trace-Id": "t-1", "x-test-case": "headers-instance" }) }));
  const [sent] = await emu.requests("headers-instance");
  assert.equal(sent.headers["x-trace-id"], "t-1");
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(id), options({ headers: new Headers({ "Content-Length": "1" }) })), "INVALID_OPTIONS");
  assert.deepEqual(paths(error), [["headers.content-length", "conflict"]]);
});

// ---- each property read once; the values read are the values used ----------------------------

test("every request property is read exactly once, and what was read is what is sent", async () => {
  const reads = {};
  const counted = (key, values) => ({
    enumerable: true,
    get() {
      reads[key] = (reads[key] ?? 0) + 1;
      return values[Math.min(reads[key], values.length) - 1];
    },
  });
  const id = uniqueId("once");
  // The second read of `seats` would be NaN, of `name` a throw: neither may be seen.
  const udf = Object.defineProperty({}, "seats", counted("seats", [7, Number.NaN]));
  const request = Object.defineProperties({ udf }, {
    linked_account_id: counted("id", [id, "other@example.com"]),
    name: counted("name", ["Once", undefined]),
  });
  assert.deepEqual(sdk.validateUpsertLinkedAccount(request), []);
  assert.deepEqual(reads, { id: 1, name: 1, seats: 1 });
  for (const key of Object.keys(reads)) delete reads[key];
  const account = await sdk.upsertLinkedAccount(request, options());
  assert.deepEqual(reads, { id: 1, name: 1, seats: 1 });
  assert.equal(account.account_id, id);
  assert.equal(account.name, "Once");
  assert.deepEqual(account.udf.map((u) => [u.key_name, u.key_value]), [["seats", 7]]);
});

test("signal and fetch are read once: the fetch that was validated is the one called", async () => {
  let fetchReads = 0;
  let signalReads = 0;
  let called = 0;
  const custom = (request) => {
    called++;
    return fetch(request);
  };
  const opts = Object.defineProperties(options(), {
    fetch: { enumerable: true, get: () => (++fetchReads === 1 ? custom : undefined) },
    signal: { enumerable: true, get: () => (++signalReads === 1 ? new AbortController().signal : undefined) },
  });
  const id = uniqueId("handles");
  assert.equal((await sdk.upsertLinkedAccount(seedRequest(id), opts)).account_id, id);
  assert.deepEqual([fetchReads, signalReads, called], [1, 1, 1]);
});

test("a Proxy over an array is an array, whatever its getPrototypeOf says", () => {
  const udf = new Proxy([1], { getPrototypeOf: () => Object.prototype });
  assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "p@example.com", udf }), [
    { path: ["udf"], code: "invalid_type", message: "expected an object of primitive values, received array" },
  ]);
});

// ---- custom fetch and signal oddities: always a LinkedAccountError ----------------------------

test("a fake Response with non-string header values or a bad status is a typed error, 200 times", async () => {
  const fakes = [
    [{ status: 400, headers: { get: (n) => (n === "x-request-id" ? 1 : null) }, text: () => "" }, "HTTP_ERROR"],
    [{ status: 503, headers: new Map([["retry-after", 5]]), text: () => "" }, "HTTP_ERROR"],
    [{ status: 200.5, headers: { get: () => null }, text: () => "{}" }, "NETWORK_ERROR"],
    [{ status: 1e9, headers: { get: () => null }, text: () => "{}" }, "NETWORK_ERROR"],
    [{ status: -1, headers: { get: () => null }, text: () => "{}" }, "NETWORK_ERROR"],
  ];
  for (let i = 0; i < 200; i++) {
    const [response, code] = fakes[i % fakes.length];
    const error = await rejection(
      sdk.upsertLinkedAccount(seedRequest("fake@example.com"), options({ fetch: () => response, maxRetries: 0 })),
      code,
    );
    if (code === "HTTP_ERROR") {
      assert.equal(error.requestId, null);
      assert.equal(error.retryAfterMs, null);
    } else {
      assert.match(error.message, /not a Response/);
    }
  }
});

test("Retry-After values that are neither delay-seconds nor an HTTP-date are ignored", async () => {
  // Date.parse reads "1.5 GMT" or "-5 GMT" as dates in 2001: they must not become a 0 ms wait.
  for (const value of ["1.5", "-5", "+5", "1e3", "0x10", "soon", "5 GMT"]) {
    const response = { status: 503, headers: new Map([["retry-after", value]]), text: () => "" };
    const error = await rejection(
      sdk.upsertLinkedAccount(seedRequest("ra@example.com"), options({ fetch: () => response, maxRetries: 0 })),
      "HTTP_ERROR",
    );
    assert.equal(error.retryAfterMs, null, value);
  }
  const huge = { status: 429, headers: new Map([["retry-after", "9".repeat(30)]]), text: () => "" };
  const error = await rejection(
    sdk.upsertLinkedAccount(seedRequest("ra@example.com"), options({ fetch: () => huge })),
    "HTTP_ERROR",
  );
  assert.equal(error.retryAfterMs, Number.MAX_SAFE_INTEGER);
  assert.equal(error.attempts, 1);
});

test("header values over 16 384 units count as absent; shorter ones are kept exactly", async () => {
  const id = "r-\u2028\"\\-" + "x".repeat(16_000);
  for (const [requestId, expected] of [[id, id], ["y".repeat(16_385), null]]) {
    const headers = new Map([["x-request-id", requestId], ["retry-after", "1".repeat(16_385)]]);
    const error = await rejection(
      sdk.upsertLinkedAccount(
        seedRequest("hdr@example.com"),
        options({ fetch: () => ({ status: 400, headers, text: () => "{}" }), maxRetries: 0 }),
      ),
      "HTTP_ERROR",
    );
    assert.equal(error.requestId, expected);
    assert.equal(error.retryAfterMs, null);
  }
});

test("thousands of issues whose JSON passes 4 MiB all arrive, in order, from both functions", async () => {
  // 3 000 keys of 2 000 characters with NaN values: about 12 MB of issue text, parsed in chunks.
  const udf = {};
  const keys = [];
  for (let i = 0; i < 3000; i++) {
    const key = String(i).padStart(4, "0") + "k".repeat(1996);
    keys.push(key);
    udf[key] = Number.NaN;
  }
  const request = { linked_account_id: "many@example.com", udf };
  const issues = sdk.validateUpsertLinkedAccount(request);
  assert.equal(issues.length, 3000);
  assert.deepEqual(
    issues.map((i) => i.path[1]),
    keys,
  );
  assert.ok(issues.every((i) => i.code === "not_finite" && i.path[0] === "udf"));
  const error = await rejection(sdk.upsertLinkedAccount(request, options()), "VALIDATION_FAILED");
  assert.deepEqual(error.issues, issues);
  assert.match(error.message, /3000 issues: .*… and 2980 more$/);
});

test("a request or options over 16 MiB of JSON is one too_big issue, not a copy into wasm", async () => {
  const big = "b".repeat(1_000_000);
  const udf = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, big]));
  // 15 strings of a million units fit; 17 do not.
  assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "big@example.com", udf: udf(15) }), []);
  const tooBig = [
    {
      path: [],
      code: "too_big",
      message: "the request would be over 16 MiB of JSON (16 777 216 UTF-16 units): no server takes a body that large",
    },
  ];
  const request = { linked_account_id: "big@example.com", udf: udf(17) };
  assert.deepEqual(sdk.validateUpsertLinkedAccount(request), tooBig);
  const error = await rejection(sdk.upsertLinkedAccount(request, options()), "VALIDATION_FAILED");
  assert.deepEqual(error.issues, tooBig);
  // The count is the JSON's length to the unit: at the limit it passes, one more is too big.
  const sized = (extra) => {
    const r = { linked_account_id: "big@example.com", your_app: { auth_credentials: { k: "v" } }, udf: udf(16) };
    Object.assign(r.udf, { n: -1.2345678901234567e-300, t: true, z: null, pad: "" });
    r.udf.pad = "p".repeat(16 * 1048576 - JSON.stringify(r).length + extra);
    return r;
  };
  assert.deepEqual(sdk.validateUpsertLinkedAccount(sized(0)), []);
  assert.deepEqual(sdk.validateUpsertLinkedAccount(sized(1)), tooBig);
  // Numbers, booleans and punctuation count too, not only strings.
  const numbers = {};
  for (let i = 0; i < 700_000; i++) numbers[`k${i}`] = -1.2345678901234567e-300;
  assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "n@example.com", udf: numbers }), tooBig);
  // A getter that validates another request while this one is being read does not reset
  // this one's count.
  let innerCalls = 0;
  const nested = { linked_account_id: "big@example.com", first: udf(9) };
  Object.defineProperty(nested, "name", {
    enumerable: true,
    get: () => {
      innerCalls += 1;
      assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "inner@example.com" }), []);
      return "n";
    },
  });
  nested.second = udf(8);
  assert.deepEqual(sdk.validateUpsertLinkedAccount(nested), tooBig);
  assert.equal(innerCalls, 1);
  const headers = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`x-h${i}`, big]));
  const optionsError = await rejection(
    sdk.upsertLinkedAccount(seedRequest("big@example.com"), options({ headers })),
    "INVALID_OPTIONS",
  );
  assert.deepEqual(optionsError.issues.map((i) => [i.path, i.code]), [[[], "too_big"]]);
  assert.match(optionsError.issues[0].message, /^the options would be over 16 MiB/);
});

test("a signal polyfill without removeEventListener, or with throwing methods, still works", async () => {
  class Polyfill {
    get aborted() {
      return false;
    }
    addEventListener() {}
  }
  class Throwing {
    get aborted() {
      return false;
    }
    addEventListener() {
      throw new Error("no listeners here");
    }
    removeEventListener() {
      throw new Error("no listeners here");
    }
  }
  for (const signal of [new Polyfill(), new Throwing()]) {
    const id = uniqueId("polyfill");
    assert.equal((await sdk.upsertLinkedAccount(seedRequest(id), options({ signal }))).account_id, id);
  }
});

test("an abort inside a custom fetch is ABORTED, not ignored", async () => {
  const controller = new AbortController();
  const custom = (request) => {
    controller.abort(new Error("changed my mind"));
    return fetch(request.url, { method: request.method, headers: request.headers, body: "{}" });
  };
  const error = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("inner")), options({ fetch: custom, signal: controller.signal })),
    "ABORTED",
  );
  assert.equal(error.cause.message, "changed my mind");
  assert.equal(error.attempts, 1);
});

test("a throwing globalThis.document getter does not make the call throw synchronously", async () => {
  Object.defineProperty(globalThis, "document", {
    configurable: true,
    get() {
      throw new Error("no document");
    },
  });
  try {
    let promise;
    assert.doesNotThrow(() => {
      promise = sdk.upsertLinkedAccount(seedRequest(uniqueId("doc")), options());
    });
    assert.ok((await promise).account_id);
  } finally {
    delete globalThis.document;
  }
});

test("100 calls sharing one signal: one listener on it, no warning, and one abort stops them all", async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on("warning", onWarning);
  try {
    const shared = new AbortController();
    const added = [];
    const add = shared.signal.addEventListener.bind(shared.signal);
    shared.signal.addEventListener = (type, fn, opts) => {
      added.push(type);
      return add(type, fn, opts);
    };
    const ids = Array.from({ length: 100 }, () => uniqueId("shared"));
    const accounts = await Promise.all(ids.map((id) => sdk.upsertLinkedAccount(seedRequest(id), options({ signal: shared.signal }))));
    assert.deepEqual(accounts.map((a) => a.account_id), ids);
    await emu.faults({ delayMs: 5000, count: 100 });
    const pending = ids.map((id) => settle(sdk.upsertLinkedAccount(seedRequest(id), options({ signal: shared.signal }))));
    setTimeout(() => shared.abort(new Error("all of them")), 100);
    const outcomes = await Promise.all(pending);
    assert.deepEqual(new Set(outcomes.map((o) => o.error?.code)), new Set(["ABORTED"]));
    assert.ok(added.length <= 2, `${added.length} listeners were added`);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, []);
  } finally {
    process.off("warning", onWarning);
  }
});

test("a custom fetch that aborts the caller's signal and then rejects: ABORTED, no unhandled rejection", async () => {
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    for (const variant of ["fetch", "text"]) {
      const controller = new AbortController();
      const custom =
        variant === "fetch"
          ? (request) => {
              controller.abort(new Error("budget"));
              return fetch(request); // rejects: the request's signal has aborted
            }
          : () => ({
              status: 200,
              headers: new Headers(),
              text: () => {
                controller.abort(new Error("budget"));
                return Promise.reject(new Error("read failed"));
              },
            });
      const error = await rejection(
        sdk.upsertLinkedAccount(seedRequest(uniqueId("abort-reject")), options({ fetch: custom, signal: controller.signal })),
        "ABORTED",
      );
      assert.equal(error.cause.message, "budget");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
});

test("a Headers whose iterator yields itself is read only to the usual depth", () => {
  const h = new Headers();
  let iterations = 0;
  h[Symbol.iterator] = function* () {
    iterations++;
    yield ["x", h];
    yield ["y", h];
  };
  const issues = sdk.validateUpsertLinkedAccount({ linked_account_id: "h@example.com", udf: { a: h } });
  // Listed once, at udf.a; below the usual depth it is not listed again (it would be twice
  // per level, for ever).
  assert.equal(iterations, 1);
  assert.deepEqual(issues.map((i) => [i.path.join("."), i.code]), [["udf.a", "invalid_type"]]);
});
