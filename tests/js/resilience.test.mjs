// Break-it suite (docs/contract.md, Errors and Retries): every fault the emulator can inject, the exact outcome, and a
// good call on the same loaded module after each one.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";

import { emulator, caseOptions, sdk, DEFAULT_TEST_KEY, CREDENTIAL, uniqueId, seedRequest, settle, rejection, assertNoSecrets } from "./helpers.mjs";

let emu;
let sessionToken;
before(async () => {
  emu = await emulator();
  const id = uniqueId("session");
  await sdk.upsertLinkedAccount(seedRequest(id), { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url });
  const issued = await emu.api("POST", "/api/v2/public/session-token", { linked_account_id: id });
  assert.equal(issued.status, 200);
  sessionToken = issued.body.token;
});
after(() => emu.close());

const options = (testCase, extra) => caseOptions(emu.url, testCase, extra);

// The poison check: whatever the last test did to the module, a good call still succeeds.
afterEach(async () => {
  await emu.clearFaults();
  const id = uniqueId("after");
  const account = await sdk.upsertLinkedAccount(seedRequest(id), options("after-each"));
  assert.equal(account.account_id, id);
});

const elapsed = async (fn) => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

const account = (id) => ({
  _id: "63cabcc596d0d10508a69bdf",
  associated_org: "63c93da0b46b7243785a1e17",
  account_id: id,
  environment: "test",
  name: "Mark Wood",
  udf: [],
  createdAt: "2023-01-20T16:09:41.700Z",
  updatedAt: "2023-08-11T06:35:07.574Z",
  __v: 326,
  is_seed: false,
});

test("HTML 502 then 200 → success after 2 attempts", async () => {
  await emu.faults({ status: 502, headers: { "content-type": "text/html" }, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
  const id = uniqueId("html502");
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("html502"));
  assert.equal(result.account_id, id);
  assert.equal((await emu.requests("html502")).length, 2);
});

test("HTML 502 on every attempt → HTTP_ERROR 502 with the page in rawBody", async () => {
  const page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
  await emu.faults({ status: 502, headers: { "content-type": "text/html" }, body: page, count: 2 });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("html502x")), options("html502x", { maxRetries: 1 })), "HTTP_ERROR");
  assert.equal(error.status, 502);
  assert.equal(error.rawBody, page);
  assert.equal(error.body, null);
  assert.equal(error.apiErrorCode, null);
  assert.equal(error.retryable, true);
  assert.equal(error.attempts, 2);
  assert.equal(typeof error.requestId, "string");
  assert.equal(error.requestId.length, 36);
});

test("503 with Retry-After: 1 → waits about 1 s, then succeeds", async () => {
  await emu.faults({ status: 503, headers: { "retry-after": "1" } });
  const id = uniqueId("ra1");
  const [result, ms] = await elapsed(() => sdk.upsertLinkedAccount(seedRequest(id), options("ra1")));
  assert.equal(result.account_id, id);
  assert.ok(ms >= 990, `waited only ${ms} ms`);
  assert.ok(ms < 5000, `waited ${ms} ms`);
  assert.equal((await emu.requests("ra1")).length, 2);
});

test("429 with Retry-After: 120 → no wait, HTTP_ERROR with retryAfterMs 120000", async () => {
  await emu.faults({ status: 429, headers: { "retry-after": "120" } });
  const [error, ms] = await elapsed(() => rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("ra120")), options("ra120")), "HTTP_ERROR"));
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, 120000);
  assert.equal(error.retryable, true);
  assert.equal(error.attempts, 1);
  assert.ok(ms < 5000, `took ${ms} ms`);
  assert.equal((await emu.requests("ra120")).length, 1);
});

test("429 with an HTTP-date Retry-After 2 s ahead → waits until then", async () => {
  const at = new Date(Date.now() + 2000);
  await emu.faults({ status: 429, headers: { "retry-after": at.toUTCString() } });
  const id = uniqueId("radate");
  const [result, ms] = await elapsed(() => sdk.upsertLinkedAccount(seedRequest(id), options("radate")));
  assert.equal(result.account_id, id);
  // toUTCString drops the milliseconds, so the wait is between 1 and 2 s.
  assert.ok(ms >= 900 && ms < 6000, `waited ${ms} ms`);
});

test("429 with an asctime Retry-After (no zone: it is GMT) 2 s ahead → waits until then", async () => {
  const at = new Date(Date.now() + 2000);
  const [, weekday, day, month, year, time] = at.toUTCString().match(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/);
  const asctime = `${weekday} ${month} ${String(Number(day)).padStart(2, " ")} ${time} ${year}`;
  await emu.faults({ status: 429, headers: { "retry-after": asctime } });
  const id = uniqueId("asctime");
  const [result, ms] = await elapsed(() => sdk.upsertLinkedAccount(seedRequest(id), options("asctime")));
  assert.equal(result.account_id, id);
  // Read as local time in a zone behind UTC, the date would lie hours ahead: no retry at all.
  assert.ok(ms >= 900 && ms < 6000, `waited ${ms} ms`);
});

test("rate-limit mode → 429 on every attempt, Retry-After honoured, then HTTP_ERROR", async () => {
  await emu.rateLimit({ retryAfter: 1 });
  try {
    const [error, ms] = await elapsed(() => rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("rl")), options("rl", { maxRetries: 1 })), "HTTP_ERROR"));
    assert.equal(error.status, 429);
    assert.equal(error.httpErrorType, "TOO_MANY_REQUESTS");
    assert.equal(error.apiErrorCode, "RATE_LIMIT_EXCEEDED");
    assert.equal(error.retryAfterMs, 1000);
    assert.equal(error.attempts, 2);
    assert.ok(ms >= 990 && ms < 6000, `took ${ms} ms`);
  } finally {
    await emu.rateLimit(null);
  }
});

test("500 → one attempt only", async () => {
  await emu.faults({ status: 500 });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("e500")), options("e500")), "HTTP_ERROR");
  assert.equal(error.status, 500);
  assert.equal(error.attempts, 1);
  assert.equal(error.retryable, false);
  assert.equal(error.requestId, error.body.request_id);
  assert.equal((await emu.requests("e500")).length, 1);
});

test("connection reset → retried, then success", async () => {
  await emu.faults({ reset: true });
  const id = uniqueId("reset");
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("reset"));
  assert.equal(result.account_id, id);
  assert.equal((await emu.requests("reset")).length, 2);
});

test("connection reset on every attempt → NETWORK_ERROR with the cause", async () => {
  await emu.faults({ reset: true, count: 3 });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("reset3")), options("reset3")), "NETWORK_ERROR");
  assert.equal(error.attempts, 3);
  assert.equal(error.retryable, true);
  assert.ok(error.cause instanceof Error);
  assert.equal(error.cause.message, "fetch failed");
  assert.match(error.message, /network error/);
});

test("stall before headers with timeoutMs 300 → TIMEOUT", async () => {
  await emu.faults({ stall: "headers" });
  const [error, ms] = await elapsed(() => rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("stallh")), options("stallh", { timeoutMs: 300, maxRetries: 0 })), "TIMEOUT"));
  assert.equal(error.timeoutMs, 300);
  assert.equal(error.attempts, 1);
  assert.equal(error.retryable, true);
  assert.ok(ms >= 290 && ms < 5000, `took ${ms} ms`);
});

test("stall before headers once → success on the next attempt", async () => {
  await emu.faults({ stall: "headers" });
  const id = uniqueId("stallh1");
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("stallh1", { timeoutMs: 300 }));
  assert.equal(result.account_id, id);
  assert.equal((await emu.requests("stallh1")).length, 2);
});

test("stall mid-body with timeoutMs 300 → TIMEOUT (the timer bounds reading the body)", async () => {
  await emu.faults({ stall: "body" });
  const [error, ms] = await elapsed(() => rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("stallb")), options("stallb", { timeoutMs: 300, maxRetries: 0 })), "TIMEOUT"));
  assert.equal(error.attempts, 1);
  assert.ok(ms >= 290 && ms < 5000, `took ${ms} ms`);
});

test("a response lost after the write, then a retry → the account was written twice (__v 1, new_account false)", async () => {
  // The first PUT is applied (the account is created), then its 200 stalls mid-body until the
  // attempt times out; the retry updates the account it created.
  await emu.faults({ stall: "body" });
  const id = uniqueId("lost");
  const account = await sdk.upsertLinkedAccount(seedRequest(id), options("lost", { timeoutMs: 300 }));
  assert.equal((await emu.requests("lost")).length, 2);
  assert.equal(account.account_id, id);
  assert.equal(account.__v, 1);
  assert.equal(account.new_account, false);
  assert.ok(account.updatedAt > account.createdAt, `${account.updatedAt} > ${account.createdAt}`);
  const stored = await emu.api("GET", `/api/v2/public/linked-account/${encodeURIComponent(id)}`);
  assert.equal(stored.status, 200);
  assert.equal(stored.body._id, account._id);
  assert.equal(stored.body.__v, 1);
});

test("truncated JSON 200 → DECODE_ERROR with rawBody, not retried", async () => {
  await emu.faults({ truncate: true });
  const id = uniqueId("trunc");
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(id), options("trunc")), "DECODE_ERROR");
  assert.equal(error.status, 200);
  assert.equal(error.attempts, 1);
  assert.equal(error.retryable, false);
  assert.ok(error.rawBody.startsWith('{"_id":"'), error.rawBody);
  assert.ok(error.rawBody.length > 20);
  assert.equal(error.requestId.length, 36);
  assert.match(error.message, /not JSON/);
  assert.equal((await emu.requests("trunc")).length, 1);
});

for (const [name, body, reason] of [
  ["empty 200", "", /empty/],
  ["200 with body null", "null", /not a JSON object/],
  ["200 with an array", "[]", /not a JSON object/],
  ["200 without _id", '{"account_id":"x"}', /not a linked account/],
  ["200 with HTML", "<html>ok</html>", /not JSON/],
]) {
  test(`${name} → DECODE_ERROR`, async () => {
    await emu.faults({ status: 200, body });
    const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("dec")), options("dec")), "DECODE_ERROR");
    assert.equal(error.status, 200);
    assert.equal(error.rawBody, body);
    assert.match(error.message, reason);
  });
}

test("200 with a UTF-8 BOM before the JSON → success, body as sent", async () => {
  const id = uniqueId("bom");
  await emu.faults({ status: 200, headers: { "content-type": "application/json" }, body: "\uFEFF" + JSON.stringify(account(id)) });
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("bom"));
  assert.deepEqual(result, account(id));
});

test("201 with a linked account → success (any 2xx)", async () => {
  const id = uniqueId("201");
  await emu.faults({ status: 201, body: JSON.stringify(account(id)) });
  assert.deepEqual(await sdk.upsertLinkedAccount(seedRequest(id), options("201")), account(id));
});

test("a 2 MiB success body → success with every entry", async () => {
  const id = uniqueId("big");
  const big = account(id);
  const entry = (i) => ({ key_name: `k${i}`, key_value: "x".repeat(200), _id: "64d5d69bfb78da0950f5e18f", createdAt: "2023-08-11T06:35:07.574Z", updatedAt: "2023-08-11T06:35:07.574Z" });
  big.udf = Array.from({ length: 6500 }, (_, i) => entry(i));
  const body = JSON.stringify(big);
  assert.ok(body.length > 2 * 1024 * 1024);
  await emu.faults({ status: 200, body });
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("big"));
  assert.equal(result.udf.length, 6500);
  assert.deepEqual(result, big);
});

test("a 2 MiB error body → HTTP_ERROR with rawBody cut to 1024 chars", async () => {
  const body = "é".repeat(2 * 1024 * 1024);
  await emu.faults({ status: 502, body });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("big502")), options("big502", { maxRetries: 0 })), "HTTP_ERROR");
  assert.equal(error.rawBody, "é".repeat(1024));
  assert.ok(error.message.length < 600, `message is ${error.message.length} chars`);
});

test("abort() during a long backoff → ABORTED at once", async () => {
  await emu.faults({ status: 503, headers: { "retry-after": "30" } });
  const controller = new AbortController();
  const reason = new Error("user navigated away");
  setTimeout(() => controller.abort(reason), 200);
  const [error, ms] = await elapsed(() => rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("abort")), options("abort", { signal: controller.signal })), "ABORTED"));
  assert.equal(error.cause, reason);
  assert.equal(error.attempts, 1);
  assert.equal(error.retryable, false);
  // The backoff would have lasted 30 000 ms.
  assert.ok(ms < 5000, `took ${ms} ms`);
  assert.equal((await emu.requests("abort")).length, 1);
});

test("abort() while the server stalls → ABORTED, not TIMEOUT, and never retried", async () => {
  await emu.faults({ stall: "headers", count: 3 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 150);
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("abort2")), options("abort2", { signal: controller.signal, timeoutMs: 10000 })), "ABORTED");
  assert.equal(error.attempts, 1);
  assert.equal(error.cause.name, "AbortError");
  assert.equal((await emu.requests("abort2")).length, 1);
});

test("an already-aborted signal sends nothing", async () => {
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("pre")), options("pre", { signal: AbortSignal.abort("stop") })), "ABORTED");
  assert.equal(error.attempts, 0);
  assert.equal(error.cause, "stop");
  assert.equal((await emu.requests("pre")).length, 0);
});

test("a custom fetch is used instead of the global one and receives a Request", async () => {
  const seen = [];
  const tracingFetch = (request, init) => {
    seen.push([request instanceof Request, request.method, request.url, request.headers.get("content-type"), init]);
    return fetch(request);
  };
  const id = uniqueId("customfetch");
  const result = await sdk.upsertLinkedAccount(seedRequest(id), options("customfetch", { fetch: tracingFetch }));
  assert.equal(result.account_id, id);
  assert.deepEqual(seen, [[true, "PUT", `${emu.url}/api/v2/public/linked-account`, "application/json", undefined]]);
});

for (const [name, fakeFetch, detail] of [
  ["resolves to a plain object", async () => ({ status: 200 }), /not a Response/],
  ["resolves to undefined", async () => undefined, /not a Response/],
  ["throws synchronously", () => { throw new TypeError("boom"); }, /boom/],
  ["rejects with a string", () => Promise.reject("nope"), /nope/],
]) {
  test(`a custom fetch that ${name} → NETWORK_ERROR`, async () => {
    const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("badfetch")), options("badfetch", { fetch: fakeFetch, maxRetries: 0 })), "NETWORK_ERROR");
    assert.match(error.message, detail);
    assert.equal(error.attempts, 1);
  });
}

test("a session token is sent as a Bearer token", async () => {
  const result = await sdk.upsertLinkedAccount({ linked_account_id: (await emu.api("GET", "/api/v2/public/session/active-linked-account", undefined, { authorization: `Bearer ${sessionToken}` })).body.account_id, name: "Via token" }, { sessionToken, baseUrl: emu.url, headers: { "x-test-case": "bearer" } });
  assert.equal(result.name, "Via token");
  const [logged] = await emu.requests("bearer");
  assert.match(logged.headers.authorization, /^redacted:[0-9a-f]{12}$/);
  assert.equal(logged.headers["x-api-key"], undefined);
});

test("a bad session token → HTTP_ERROR 401 without the token in it", async () => {
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("badtoken")), { sessionToken: `${sessionToken}x`, baseUrl: emu.url }), "HTTP_ERROR");
  assert.equal(error.status, 401);
});

test("a server that echoes the API key and a credential has them redacted from message and rawBody", async () => {
  const echoed = JSON.stringify({ status_code: 400, http_error_type: "BAD_REQUEST", error_code: "SERVER_ERROR", message: `bad key ${DEFAULT_TEST_KEY} for ${CREDENTIAL}` });
  await emu.faults({ status: 400, body: echoed });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("echo")), options("echo")), "HTTP_ERROR");
  assert.equal(error.message.includes("bad key [redacted] for [redacted]"), true, error.message);
  assert.equal(error.rawBody.includes(DEFAULT_TEST_KEY), false);
  assert.equal(error.body.message, "bad key [redacted] for [redacted]");
});

test("no error produced by this suite shows the API key, the session token or a credential", () => {
  assertNoSecrets([DEFAULT_TEST_KEY, sessionToken, CREDENTIAL]);
});
