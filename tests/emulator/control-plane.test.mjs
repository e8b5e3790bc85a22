// The /__emulator/ control plane: faults, rate limiting, the request log and reset.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { after, before, beforeEach, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import { ACCOUNTS, UUID, assertApiError, request } from "./helpers.mjs";


let emulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());
beforeEach(() => control("POST", "/reset"));

const call = (method, path, options) => request(emulator.url, method, path, options);
const control = (method, path, body) => call(method, `/__emulator${path}`, { key: null, body });
const upsert = (body) => call("PUT", ACCOUNTS, { body });
const fingerprint = (value) => `redacted:${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;

function rawPut(body) {
  return [
    `PUT ${ACCOUNTS} HTTP/1.1`,
    `host: ${new URL(emulator.url).host}`,
    `x-api-key: ${DEFAULT_TEST_KEY}`,
    "content-type: application/json",
    `content-length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ].join("\r\n");
}

// Sends raw bytes and reports everything that came back before the connection ended.
function rawExchange(text) {
  return new Promise((resolve) => {
    const received = [];
    let failure = null;
    const socket = connect(emulator.port, "127.0.0.1", () => socket.write(text));
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", (error) => {
      failure = error;
    });
    socket.on("close", () => resolve({ data: Buffer.concat(received), error: failure }));
  });
}

// Reads a response head and whatever body arrives within `waitMs`, then hangs up.
function partialResponse(path, body, waitMs) {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${emulator.url}${path}`, {
      method: "PUT",
      headers: { "x-api-key": DEFAULT_TEST_KEY, "content-type": "application/json" },
    });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", () => {});
      setTimeout(() => {
        resolve({ response, data: Buffer.concat(chunks), complete: response.complete });
        outgoing.destroy();
      }, waitMs);
    });
    outgoing.end(JSON.stringify(body));
  });
}

// What upsert answered when it created the account: GET's body without `integrations`, plus `new_account`.
async function fullCreateBody(accountId) {
  const { integrations: _none, ...account } = (await call("GET", `${ACCOUNTS}/${accountId}`)).json;
  return JSON.stringify({ ...account, new_account: true });
}

test("a status fault answers instead of the API, once, without changing state", async () => {
  const queued = await control("POST", "/faults", {
    method: "put",
    path: ACCOUNTS,
    status: 503,
    headers: { "Retry-After": "2" },
  });
  assert.equal(queued.status, 200);
  assert.deepEqual(queued.json, { queued: 1 });
  assert.deepEqual((await control("GET", "/faults")).json, [
    { method: "PUT", path: ACCOUNTS, status: 503, headers: { "retry-after": "2" }, count: 1 },
  ]);

  const faulted = await upsert({ linked_account_id: "f1" });
  assertApiError(faulted, 503, "SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE", "Service Unavailable");
  assert.equal(faulted.headers.get("retry-after"), "2");
  assert.equal(faulted.headers.get("access-control-allow-origin"), "*");
  assert.equal((await call("GET", `${ACCOUNTS}/f1`)).status, 404);

  assert.equal((await upsert({ linked_account_id: "f1" })).status, 200);
  assert.deepEqual((await control("GET", "/faults")).json, []);
});

test("a status fault can carry a raw body and its own headers", async () => {
  await control("POST", "/faults", {
    status: 502,
    body: "<html>Bad Gateway</html>",
    headers: { "content-type": "text/html" },
  });
  const response = await upsert({ linked_account_id: "raw" });
  assert.equal(response.status, 502);
  assert.equal(response.text, "<html>Bad Gateway</html>");
  assert.equal(response.headers.get("content-type"), "text/html");

  await control("POST", "/faults", { status: 200, body: "" });
  const empty = await upsert({ linked_account_id: "raw" });
  assert.equal(empty.status, 200);
  assert.equal(empty.text, "");

  await control("POST", "/faults", { status: 401 });
  assertApiError(
    await upsert({ linked_account_id: "raw" }),
    401,
    "UNAUTHORIZED",
    "SERVER_ERROR",
    "Invalid Credentials",
  );
  await control("POST", "/faults", { status: 429 });
  const limited = await upsert({ linked_account_id: "raw" });
  assertApiError(limited, 429, "TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED", "Rate Limit Hit");
  assert.equal(limited.headers.get("retry-after"), null);
});

test("faults match by method and path, apply count times, first match wins", async () => {
  const queued = await control("POST", "/faults", [
    { method: "GET", status: 500, count: 2 },
    { path: ACCOUNTS, status: 504 },
    { status: 503 },
  ]);
  assert.deepEqual(queued.json, { queued: 3 });

  assert.equal((await upsert({ linked_account_id: "m" })).status, 504);
  assert.equal((await call("GET", `${ACCOUNTS}/m`)).status, 500);
  assert.deepEqual((await control("GET", "/faults")).json, [
    { method: "GET", status: 500, count: 1 },
    { status: 503, count: 1 },
  ]);
  assert.equal((await call("GET", `${ACCOUNTS}/m`)).status, 500);
  assert.equal((await call("GET", `${ACCOUNTS}/m`)).status, 503);
  assert.equal((await call("GET", `${ACCOUNTS}/m`)).status, 404);
});

test("control-plane requests and preflights do not consume faults", async () => {
  await control("POST", "/faults", { status: 500 });
  assert.deepEqual((await control("GET", "/health")).json, { ok: true });
  const preflight = await call("OPTIONS", ACCOUNTS, { key: null, headers: { "access-control-request-method": "PUT" } });
  assert.equal(preflight.status, 204);
  assert.equal((await upsert({ linked_account_id: "p" })).status, 500);

  await control("POST", "/faults", { method: "OPTIONS", status: 500 });
  assert.equal((await call("OPTIONS", ACCOUNTS, { key: null })).status, 500);
});

test("faults can be listed and cleared", async () => {
  await control("POST", "/faults", [{ status: 500, count: 3 }, { delayMs: 10 }]);
  assert.deepEqual((await control("DELETE", "/faults")).json, { queued: 0 });
  assert.deepEqual((await control("GET", "/faults")).json, []);
  assert.equal((await upsert({ linked_account_id: "clear" })).status, 200);
});

test("invalid faults are refused and nothing is queued", async () => {
  const known = "method, path, count, status, headers, body, delayMs, stall, reset, truncate";
  assertApiError(
    await control("POST", "/faults", { stauts: 500 }),
    400,
    "BAD_REQUEST",
    "INVALID_FAULT",
    `fault.stauts is not a fault field (known: ${known})`,
  );
  assertApiError(
    await control("POST", "/faults", [{ status: 500 }, { status: 99 }]),
    400,
    "BAD_REQUEST",
    "INVALID_FAULT",
    "faults[1].status must be an integer from 200 to 599",
  );
  assertApiError(
    await control("POST", "/faults", { count: 2 }),
    400,
    "BAD_REQUEST",
    "INVALID_FAULT",
    "fault needs at least one of status, headers, delayMs, stall, reset, truncate",
  );
  assertApiError(
    await control("POST", "/faults", { body: "x", delayMs: 1 }),
    400,
    "BAD_REQUEST",
    "INVALID_FAULT",
    "fault.body needs a status",
  );
  assertApiError(
    await control("POST", "/faults", "{"),
    400,
    "BAD_REQUEST",
    "INVALID_JSON",
    "Request body must be valid JSON",
  );
  assert.deepEqual((await control("GET", "/faults")).json, []);
});

test("reset fault: the connection is reset with no response and nothing is stored", async () => {
  await control("POST", "/faults", { reset: true, count: 2 });
  const { data, error } = await rawExchange(rawPut('{"linked_account_id":"reset-me"}'));
  assert.equal(data.length, 0);
  assert.equal(error?.code, "ECONNRESET");

  await assert.rejects(upsert({ linked_account_id: "reset-me" }), (failure) => {
    assert.equal(failure.name, "TypeError");
    assert.equal(failure.message, "fetch failed");
    return true;
  });
  assert.equal((await call("GET", `${ACCOUNTS}/reset-me`)).status, 404);
});

test('stall "headers": no response until the client gives up; the emulator keeps serving', async () => {
  await control("POST", "/faults", { stall: "headers" });
  const started = performance.now();
  await assert.rejects(
    call("PUT", ACCOUNTS, { body: { linked_account_id: "stalled" }, signal: AbortSignal.timeout(300) }),
    (failure) => {
      assert.equal(failure.name, "TimeoutError");
      return true;
    },
  );
  assert.equal(performance.now() - started >= 295, true);
  assert.equal((await call("GET", `${ACCOUNTS}/stalled`)).status, 404);
  assert.equal((await control("GET", "/requests")).json[0].body.linked_account_id, "stalled");
});

test('stall "body": full content-length, half the body, then silence', async () => {
  await control("POST", "/faults", { stall: "body" });
  const { response, data, complete } = await partialResponse(ACCOUNTS, { linked_account_id: "half" }, 300);
  const full = await fullCreateBody("half");

  assert.equal(response.statusCode, 200);
  assert.equal(response.headers["content-length"], String(Buffer.byteLength(full)));
  assert.equal(response.headers["content-type"], "application/json; charset=utf-8");
  assert.equal(data.toString(), full.slice(0, Math.floor(full.length / 2)));
  assert.equal(complete, false);
});

test('stall "body" makes a fetch body read time out', async () => {
  await control("POST", "/faults", { stall: "body" });
  const signal = AbortSignal.timeout(300);
  const response = await fetch(`${emulator.url}${ACCOUNTS}`, {
    method: "PUT",
    headers: { "x-api-key": DEFAULT_TEST_KEY },
    body: JSON.stringify({ linked_account_id: "slow-body" }),
    signal,
  });
  assert.equal(response.status, 200);
  await assert.rejects(response.text(), (failure) => {
    assert.equal(failure.name, "TimeoutError");
    return true;
  });
});

test("truncate: the request is handled but only half the body is sent", async () => {
  await control("POST", "/faults", { method: "PUT", truncate: true });
  const response = await upsert({ linked_account_id: "cut", name: "Cut short", udf: { a: 1 } });
  const full = await fullCreateBody("cut");

  assert.equal(response.status, 200);
  assert.equal(response.text, full.slice(0, Math.floor(full.length / 2)));
  assert.equal(response.headers.get("content-length"), String(Math.floor(full.length / 2)));
  assert.equal(response.json, undefined);
});

test("delayMs delays a normal response, or a faulted one", async () => {
  await control("POST", "/faults", { delayMs: 300 });
  let started = performance.now();
  const delayed = await upsert({ linked_account_id: "late" });
  assert.equal(performance.now() - started >= 295, true);
  assert.equal(delayed.status, 200);
  assert.equal(delayed.json.new_account, true);

  await control("POST", "/faults", { delayMs: 200, status: 504 });
  started = performance.now();
  const timedOut = await upsert({ linked_account_id: "late" });
  assert.equal(performance.now() - started >= 195, true);
  assertApiError(timedOut, 504, "GATEWAY_TIMEOUT", "GATEWAY_TIMEOUT", "Gateway Timeout");
});

test("rate limit: N requests per window, then 429 with Retry-After", async () => {
  const configured = await control("POST", "/rate-limit", { limit: 2, windowMs: 60_000 });
  assert.deepEqual(configured.json, { enabled: true, limit: 2, windowMs: 60_000 });

  assert.equal((await upsert({ linked_account_id: "r" })).status, 200);
  assert.equal((await call("GET", `${ACCOUNTS}/r`)).status, 200);
  const refused = await upsert({ linked_account_id: "r" });
  assertApiError(refused, 429, "TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED", "Rate Limit Hit");
  assert.equal(refused.headers.get("retry-after"), "60");
  assert.equal(refused.headers.get("access-control-expose-headers"), "x-request-id, retry-after");
  assert.deepEqual((await control("GET", "/health")).json, { ok: true });
  assert.equal((await call("OPTIONS", ACCOUNTS, { key: null })).status, 204);

  assert.deepEqual((await control("GET", "/rate-limit")).json, { enabled: true, limit: 2, windowMs: 60_000 });
  assert.deepEqual((await control("DELETE", "/rate-limit")).json, { enabled: false });
  assert.equal((await call("GET", `${ACCOUNTS}/r`)).status, 200);
});

test("rate limit: the window rolls over", async () => {
  await control("POST", "/rate-limit", { limit: 1, windowMs: 300 });
  assert.equal((await call("GET", ACCOUNTS)).status, 200);
  const refused = await call("GET", ACCOUNTS);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "1");
  await sleep(350);
  assert.equal((await call("GET", ACCOUNTS)).status, 200);
});

test("rate limit: retryAfter alone refuses every API request", async () => {
  assert.deepEqual((await control("POST", "/rate-limit", { retryAfter: 7 })).json, { enabled: true, retryAfter: 7 });
  for (const path of [ACCOUNTS, `${ACCOUNTS}/x`, "/api/v2/public/unknown"]) {
    const refused = await call("GET", path);
    assertApiError(refused, 429, "TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED", "Rate Limit Hit");
    assert.equal(refused.headers.get("retry-after"), "7");
  }
  assertApiError(
    await control("POST", "/rate-limit", { limit: 0, windowMs: 10 }),
    400,
    "BAD_REQUEST",
    "INVALID_RATE_LIMIT",
    "limit and windowMs must both be positive integers",
  );
});

test("request log: method, path with query, headers and body, secrets redacted", async () => {
  const secret = "pa55-w0rd-never-logged";
  const apiKeyCredential = "customer-api-key-123";
  await upsert({
    linked_account_id: "logged",
    your_app: { app_id: "app-1", auth_credentials: { "x-api-key": apiKeyCredential, password: secret } },
    udf: { plan: "pro" },
  });
  const { token } = (await call("POST", "/api/v2/public/session-token", { body: { linked_account_id: "logged" } }))
    .json;
  await call("GET", `${ACCOUNTS}/logged?verbose=1`, { key: null, headers: { authorization: `Bearer ${token}` } });
  await call("POST", ACCOUNTS, { body: "not json at all" });
  await call("OPTIONS", ACCOUNTS, { key: null });
  await control("GET", "/health");

  const log = (await control("GET", "/requests")).json;
  assert.deepEqual(
    log.map((entry) => [entry.seq, entry.method, entry.path]),
    [
      [1, "PUT", ACCOUNTS],
      [2, "POST", "/api/v2/public/session-token"],
      [3, "GET", `${ACCOUNTS}/logged?verbose=1`],
      [4, "POST", ACCOUNTS],
      [5, "OPTIONS", ACCOUNTS],
    ],
  );
  const [put, , get, rawPost, preflight] = log;
  assert.deepEqual(Object.keys(put), ["seq", "time", "method", "path", "headers", "body", "bodyBytes"]);
  assert.equal(put.bodyBytes, Number(put.headers["content-length"]));
  assert.equal(new Date(put.time).toISOString(), put.time);
  assert.equal(put.headers["x-api-key"], fingerprint(DEFAULT_TEST_KEY));
  assert.equal(put.headers["content-type"], "application/json");
  assert.deepEqual(put.body, {
    linked_account_id: "logged",
    your_app: {
      app_id: "app-1",
      auth_credentials: { "x-api-key": fingerprint(apiKeyCredential), password: fingerprint(secret) },
    },
    udf: { plan: "pro" },
  });
  assert.equal(get.headers.authorization, fingerprint(`Bearer ${token}`));
  assert.equal(get.headers["x-api-key"], undefined);
  assert.equal(get.body, null);
  assert.equal(get.bodyBytes, 0);
  assert.equal(rawPost.body, "not json at all");
  assert.equal(rawPost.bodyBytes, 15);
  assert.equal(preflight.body, null);

  const text = JSON.stringify(log);
  for (const hidden of [secret, apiKeyCredential, DEFAULT_TEST_KEY, token]) assert.equal(text.includes(hidden), false);

  assert.deepEqual((await control("DELETE", "/requests")).json, { ok: true });
  assert.deepEqual((await control("GET", "/requests")).json, []);
  await call("GET", ACCOUNTS);
  assert.equal((await control("GET", "/requests")).json[0].seq, 1);
});

test("faulted and rate-limited requests are logged too", async () => {
  await control("POST", "/faults", [{ reset: true }, { status: 503 }]);
  await upsert({ linked_account_id: "x" }).catch(() => {});
  await upsert({ linked_account_id: "x" });
  await control("POST", "/rate-limit", { retryAfter: 1 });
  await upsert({ linked_account_id: "x" });
  const log = (await control("GET", "/requests")).json;
  assert.deepEqual(
    log.map((entry) => [entry.seq, entry.body.linked_account_id]),
    [
      [1, "x"],
      [2, "x"],
      [3, "x"],
    ],
  );
});

test("reset clears accounts, tokens, faults, rate limit and log but keeps the org", async () => {
  const account = (await upsert({ linked_account_id: "old" })).json;
  const { token } = (await call("POST", "/api/v2/public/session-token", { body: { linked_account_id: "old" } })).json;
  await control("POST", "/faults", { path: "/never", status: 500 });
  await control("POST", "/rate-limit", { limit: 100, windowMs: 1000 });

  assert.deepEqual((await control("POST", "/reset")).json, { ok: true });
  assert.deepEqual((await control("GET", "/requests")).json, []);
  assert.deepEqual((await control("GET", "/faults")).json, []);
  assert.deepEqual((await control("GET", "/rate-limit")).json, { enabled: false });
  assert.equal((await call("GET", `${ACCOUNTS}/old`)).status, 404);
  assert.equal(
    (
      await call("GET", "/api/v2/public/session/active-linked-account", {
        key: null,
        headers: { authorization: `Bearer ${token}` },
      })
    ).status,
    401,
  );
  const again = (await upsert({ linked_account_id: "old" })).json;
  assert.equal(again.associated_org, account.associated_org);
  assert.equal(again.new_account, true);
});

test("control plane: health, unknown routes, wrong methods, request ids", async () => {
  const health = await control("GET", "/health");
  assert.deepEqual(health.json, { ok: true });
  assert.equal(UUID.test(health.headers.get("x-request-id")), true);
  // No CORS: another web page may not read it (see hardening.test.mjs).
  assert.equal(health.headers.get("access-control-allow-origin"), null);
  assertApiError(await control("GET", "/nope"), 404, "NOT_FOUND", "NOT_FOUND", "Route GET /__emulator/nope not found");
  const wrongMethod = await control("GET", "/reset");
  assertApiError(
    wrongMethod,
    405,
    "METHOD_NOT_ALLOWED",
    "METHOD_NOT_ALLOWED",
    "Method GET is not allowed on /__emulator/reset",
  );
  assert.equal(wrongMethod.headers.get("allow"), "POST, OPTIONS");
});

test("survives clients that abort mid-body and malformed requests", async () => {
  await new Promise((resolve) => {
    const socket = connect(emulator.port, "127.0.0.1", () => {
      socket.write(`PUT ${ACCOUNTS} HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{"linked_acc`);
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on("close", resolve);
  });
  const malformed = await rawExchange("THIS IS NOT HTTP\r\n\r\n");
  assert.equal(malformed.data.toString().startsWith("HTTP/1.1 400 Bad Request"), true);
  const hugeHeader = await rawExchange(
    `GET ${ACCOUNTS} HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(64 * 1024)}\r\n\r\n`,
  );
  assert.equal(hugeHeader.data.toString().startsWith("HTTP/1.1 431"), true);
  assert.deepEqual((await control("GET", "/health")).json, { ok: true });
  assert.deepEqual((await control("GET", "/requests")).json, []);
});
