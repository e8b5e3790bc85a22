// The calls beside upsert (getLinkedAccount, listLinkedAccounts, allLinkedAccounts,
// deleteLinkedAccount, createSessionToken) against the emulator over HTTP: the exact answer of
// each, every fault the emulator can inject, each call's retry policy, ids percent-encoded as
// one path segment, paging on demand, what is refused before sending, and a good call on the
// same loaded module after each failure.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { emulator, caseOptions, sdk, DEFAULT_TEST_KEY, UPSERT_PATH, uniqueId, settle, rejection, assertNoSecrets } from "./helpers.mjs";

const TOKEN_PATH = "/api/v2/public/session-token";
const ACTIVE_PATH = "/api/v2/public/session/active-linked-account";
const DELETED = { message: "User deleted successfully" };
/** A token-like value a misbehaving server puts in a 2xx that is not a session token. */
const FAKE_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJmYWtlIjoidG9rZW4ifQ.c2VjcmV0LXNpZ25hdHVyZQ";

const fingerprint = (value) => `redacted:${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;

/**
 * `id` as one path segment, written here without the package's code: every UTF-8 byte but
 * RFC 3986's unreserved characters (A–Z a–z 0–9 - . _ ~) as %XX.
 */
const segment = (id) =>
  [...new TextEncoder().encode(id)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /^[A-Za-z0-9\-._~]$/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
const accountPath = (id) => `${UPSERT_PATH}/${segment(id)}`;

let emu;
before(async () => {
  emu = await emulator();
});
after(() => emu.close());

/** Every session token the tests saw, for the secrets scan at the end. */
const tokens = [];

const options = (testCase, extra) => caseOptions(emu.url, testCase, extra);
/** Queues faults for `method` on `path` (`undefined`: any path). */
const fault = (method, path, ...faults) => emu.faults(...faults.map((f) => ({ method, path, ...f })));
const resetEmulator = () => fetch(`${emu.url}/__emulator/reset`, { method: "POST" }).then((r) => assert.equal(r.status, 200));

/** Creates an account through the emulator's API (not the package); resolves with it as get returns it. */
async function seed(id, udf = { plan: "pro" }) {
  const created = await emu.api("PUT", UPSERT_PATH, { linked_account_id: id, name: "Mark Wood", udf });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const { new_account, ...stored } = created.body;
  assert.equal(new_account, true);
  return stored;
}

/** The emulator's 404 message for an unknown id (its org id is random per run). */
const notFoundMessage = (id) =>
  new RegExp(`^Linked Account with account id ${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} for org [0-9a-f]{24} in environment test not found$`);

/** An account as a get returns it: with the (emulator's empty) `integrations` list. */
const asRead = (account) => ({ ...account, integrations: [] });

/** The account as the emulator holds it now: `{ status, body }`. */
const stored = (id) => emu.api("GET", accountPath(id));

const elapsed = async (fn) => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

/** Checks a session token the emulator just minted for `id`, and that it works. */
async function assertToken(token, id) {
  tokens.push(token.token, token.refresh_token);
  assert.deepEqual(Object.keys(token), ["token", "refresh_token", "expires_in", "refresh_expires_in"]);
  assert.equal(token.expires_in, 86400);
  assert.equal(token.refresh_expires_in, 604800);
  const claims = JSON.parse(Buffer.from(token.token.split(".")[1], "base64url").toString("utf8"));
  assert.equal(claims.typ, "access");
  assert.equal(claims.linked_account_id, id);
  assert.equal(claims.environment, "test");
  const active = await emu.api("GET", ACTIVE_PATH, undefined, { authorization: `Bearer ${token.token}` });
  assert.equal(active.status, 200);
  assert.equal(active.body.account_id, id);
}

// The poison check: whatever the last test did to the module, good calls still succeed.
afterEach(async () => {
  await emu.clearFaults();
  const id = uniqueId("after");
  const account = await sdk.upsertLinkedAccount({ linked_account_id: id }, options("after-each"));
  assert.deepEqual(await sdk.getLinkedAccount(id, options("after-each")), asRead((({ new_account, ...rest }) => rest)(account)));
});

// ------------------------------------------------------------------------------------------
// The fault matrix, once per call. Each entry: the request it makes (method, path), how to
// prepare the state for one call, the call, and its exact expected answer.
// ------------------------------------------------------------------------------------------

const PAGE_OF_THREE = (accounts) => ({
  docs: accounts.slice(0, 2),
  totalDocs: 3,
  limit: 2,
  totalPages: 2,
  page: 1,
  pagingCounter: 1,
  hasPrevPage: false,
  hasNextPage: true,
  prevPage: null,
  nextPage: 2,
});

const calls = [
  {
    name: "getLinkedAccount",
    method: "GET",
    async prepare(testCase) {
      const id = uniqueId(testCase);
      const account = await seed(id);
      return { path: accountPath(id), call: (o) => sdk.getLinkedAccount(id, o), check: (result) => assert.deepEqual(result, asRead(account)), missing: () => sdk.getLinkedAccount(`${id}-missing`, options(testCase)), id };
    },
    // A 2xx that is not a linked account, and why.
    malformed: [
      ['{"account_id":"x"}', /not a linked account \(no string _id and account_id\)/],
      ['{"_id":"1","account_id":"x","udf":{},"__v":0}', /udf must be an array/],
      ["[]", /not a JSON object/],
    ],
    big: (id) => JSON.stringify({ _id: "63cabcc596d0d10508a69bdf", account_id: id, udf: [], __v: 0, name: "x".repeat(2000) }),
  },
  {
    name: "listLinkedAccounts",
    method: "GET",
    async prepare(testCase) {
      // A fresh emulator state, so the page is known exactly.
      await resetEmulator();
      const accounts = [];
      for (let i = 1; i <= 3; i++) accounts.push(await seed(uniqueId(`${testCase}-${i}`)));
      return {
        path: UPSERT_PATH,
        query: "?limit=2",
        call: (o) => sdk.listLinkedAccounts({ limit: 2 }, o),
        check: (result) => assert.deepEqual(result, PAGE_OF_THREE(accounts)),
      };
    },
    malformed: [
      [JSON.stringify({ ...PAGE_OF_THREE([]), docs: {} }), /not a page of linked accounts/],
      [JSON.stringify((({ hasNextPage, ...rest }) => rest)(PAGE_OF_THREE([]))), /not a page of linked accounts/],
      [JSON.stringify({ ...PAGE_OF_THREE([]), docs: [{ account_id: "x" }] }), /not a page of linked accounts/],
      [JSON.stringify({ ...PAGE_OF_THREE([]), page: -1 }), /not a page of linked accounts/],
    ],
    big: () => JSON.stringify({ ...PAGE_OF_THREE([]), docs: [{ _id: "63cabcc596d0d10508a69bdf", account_id: "x", udf: [], __v: 0, name: "x".repeat(2000) }] }),
  },
  {
    name: "deleteLinkedAccount",
    method: "DELETE",
    async prepare(testCase) {
      const id = uniqueId(testCase);
      await seed(id);
      return {
        path: accountPath(id),
        call: (o) => sdk.deleteLinkedAccount(id, o),
        async check(result) {
          assert.deepEqual(result, DELETED);
          assert.equal((await stored(id)).status, 404);
        },
        missing: () => sdk.deleteLinkedAccount(`${id}-missing`, options(testCase)),
        id,
      };
    },
    malformed: [
      ['{"msg":"gone"}', /not a delete confirmation/],
      ['{"message":5}', /not a delete confirmation/],
      ["", /the body is empty/],
    ],
    big: () => JSON.stringify({ message: "x".repeat(2000) }),
  },
  {
    name: "createSessionToken",
    method: "POST",
    secretBody: true,
    async prepare(testCase) {
      const id = uniqueId(testCase);
      await seed(id);
      return { path: TOKEN_PATH, call: (o) => sdk.createSessionToken(id, undefined, o), check: (result) => assertToken(result, id), id };
    },
    malformed: [
      [JSON.stringify({ tokn: FAKE_TOKEN, expires_in: 86400 }), /not a session token/],
      [JSON.stringify({ token: FAKE_TOKEN, expires_in: "86400" }), /not a session token/],
      [JSON.stringify({ token: 42, refresh_token: FAKE_TOKEN }), /not a session token/],
      [FAKE_TOKEN, /not JSON/],
    ],
    big: () => JSON.stringify({ token: FAKE_TOKEN, refresh_token: `${FAKE_TOKEN}${"x".repeat(2000)}` }),
  },
];

const NOT_FOUND_500 = (id) =>
  JSON.stringify({
    status_code: 500,
    http_error_type: "INTERNAL_SERVER_ERROR",
    error_code: "INTERNAL_SERVER_ERROR",
    message: `Linked Account with account id ${id} not found`,
    request_id: "2a0e6f5c-77b4-4b7e-9a0c-3c0f2d1e9b11",
  });

for (const spec of calls) {
  const { name, method } = spec;

  test(`${name}: success → the exact answer, one ${method} with x-api-key, accept and the extra headers`, async () => {
    const testCase = `${name}-ok`;
    const { path, query = "", call, check, id } = await spec.prepare(testCase);
    const result = await call(options(testCase, { headers: { "x-test-case": testCase, "x-trace-id": "trace-7f3a" } }));
    await check(result);
    const log = await emu.requests(testCase);
    assert.equal(log.length, 1);
    const [sent] = log;
    assert.equal(sent.method, method);
    assert.equal(sent.path, `${path}${query}`);
    assert.equal(sent.headers["x-api-key"], fingerprint(DEFAULT_TEST_KEY));
    assert.equal(sent.headers.accept, "application/json");
    assert.equal(sent.headers["x-trace-id"], "trace-7f3a");
    assert.equal(sent.headers.authorization, undefined);
    if (method === "POST") {
      assert.equal(sent.headers["content-type"], "application/json");
      assert.deepEqual(sent.body, { linked_account_id: id });
    } else {
      assert.equal(sent.headers["content-type"], undefined);
      assert.equal(sent.body, null);
      assert.equal(sent.bodyBytes, 0);
    }
  });

  test(`${name}: a stall on every attempt → TIMEOUT after 3 attempts (maxRetries 2)`, async () => {
    const testCase = `${name}-timeout`;
    const { path, call } = await spec.prepare(testCase);
    await fault(method, path, { stall: "headers", count: 3 });
    const error = await rejection(call(options(testCase, { timeoutMs: 250 })), "TIMEOUT");
    assert.equal(error.timeoutMs, 250);
    assert.equal(error.attempts, 3);
    assert.equal(error.retryable, true);
    assert.equal((await emu.requests(testCase)).length, 3);
  });

  test(`${name}: a stall once → retried, the exact answer`, async () => {
    const testCase = `${name}-timeout1`;
    const { path, call, check } = await spec.prepare(testCase);
    await fault(method, path, { stall: "headers" });
    await check(await call(options(testCase, { timeoutMs: 250 })));
    assert.equal((await emu.requests(testCase)).length, 2);
  });

  test(`${name}: 429 with Retry-After: 1 → waits 1 s, retried, the exact answer`, async () => {
    const testCase = `${name}-429`;
    const { path, call, check } = await spec.prepare(testCase);
    await fault(method, path, { status: 429, headers: { "retry-after": "1" } });
    const [result, ms] = await elapsed(() => call(options(testCase)));
    await check(result);
    assert.ok(ms >= 990 && ms < 5000, `took ${ms} ms`);
    assert.equal((await emu.requests(testCase)).length, 2);
  });

  test(`${name}: 503 twice → retried twice, the exact answer`, async () => {
    const testCase = `${name}-503`;
    const { path, call, check } = await spec.prepare(testCase);
    await fault(method, path, { status: 503, count: 2 });
    await check(await call(options(testCase)));
    assert.equal((await emu.requests(testCase)).length, 3);
  });

  test(`${name}: 503 with maxRetries 0 → HTTP_ERROR 503 after 1 attempt, retryable`, async () => {
    const testCase = `${name}-503x`;
    const { path, call } = await spec.prepare(testCase);
    await fault(method, path, { status: 503 });
    const error = await rejection(call(options(testCase, { maxRetries: 0 })), "HTTP_ERROR");
    assert.equal(error.status, 503);
    assert.equal(error.attempts, 1);
    assert.equal(error.retryable, true);
    assert.equal(error.unansweredAttempts, 0);
    assert.equal((await emu.requests(testCase)).length, 1);
  });

  test(`${name}: a connection reset → retried, the exact answer`, async () => {
    const testCase = `${name}-reset`;
    const { path, call, check } = await spec.prepare(testCase);
    await fault(method, path, { reset: true });
    await check(await call(options(testCase)));
    assert.equal((await emu.requests(testCase)).length, 2);
  });

  test(`${name}: 404 not found → HTTP_ERROR 404 with apiErrorCode and requestId, not retried`, async () => {
    const testCase = `${name}-404`;
    const prepared = await spec.prepare(testCase);
    let promise;
    if (prepared.missing) {
      // The emulator's own answer for an id it does not hold.
      promise = prepared.missing();
    } else {
      await fault(method, prepared.path, { status: 404 });
      promise = prepared.call(options(testCase));
    }
    const error = await rejection(promise, "HTTP_ERROR");
    assert.equal(error.status, 404);
    assert.equal(error.apiErrorCode, "NOT_FOUND");
    assert.equal(error.httpErrorType, "NOT_FOUND");
    assert.match(error.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(error.requestId, error.body.request_id);
    assert.equal(error.attempts, 1);
    assert.equal(error.retryable, false);
    assert.equal(error.unansweredAttempts, 0);
    if (prepared.missing) {
      assert.match(error.body.message, notFoundMessage(`${prepared.id}-missing`));
      assert.ok(error.message.includes(error.body.message), error.message);
    }
    assert.equal((await emu.requests(testCase)).length, 1);
  });

  test(`${name}: 500 not found (older API versions) → HTTP_ERROR 500, not retried`, async () => {
    const testCase = `${name}-500`;
    const { path, call } = await spec.prepare(testCase);
    await fault(method, path, { status: 500, body: NOT_FOUND_500("gone@example.com") });
    const error = await rejection(call(options(testCase)), "HTTP_ERROR");
    assert.equal(error.status, 500);
    assert.equal(error.apiErrorCode, "INTERNAL_SERVER_ERROR");
    assert.equal(error.httpErrorType, "INTERNAL_SERVER_ERROR");
    assert.equal(error.requestId, "2a0e6f5c-77b4-4b7e-9a0c-3c0f2d1e9b11");
    assert.equal(error.rawBody, NOT_FOUND_500("gone@example.com"));
    assert.equal(error.attempts, 1);
    assert.equal(error.retryable, false);
    assert.equal(error.unansweredAttempts, 0);
    assert.match(error.message, /HTTP 500 INTERNAL_SERVER_ERROR \(INTERNAL_SERVER_ERROR\): Linked Account with account id gone@example\.com not found/);
    assert.equal((await emu.requests(testCase)).length, 1);
  });

  for (const [index, [body, reason]] of spec.malformed.entries()) {
    test(`${name}: 200 with ${JSON.stringify(body.slice(0, 40))} → DECODE_ERROR, not retried${spec.secretBody ? ", no text kept" : ""}`, async () => {
      const testCase = `${name}-decode-${index}`;
      const { path, call } = await spec.prepare(testCase);
      await fault(method, path, { status: 200, body });
      const error = await rejection(call(options(testCase)), "DECODE_ERROR");
      assert.equal(error.status, 200);
      assert.equal(error.attempts, 1);
      assert.equal(error.retryable, false);
      assert.match(error.message, reason);
      assert.equal(error.requestId.length, 36);
      if (spec.secretBody) {
        // The answer of a session-token call may hold a token: none of it is kept.
        assert.equal(error.rawBody, "");
        for (const view of [error.message, JSON.stringify(error), String(error), error.stack]) {
          assert.ok(!view.includes(FAKE_TOKEN), "the body's token reached the error");
          assert.ok(!view.includes(FAKE_TOKEN.slice(0, 20)), "part of the body's token reached the error");
        }
      } else {
        assert.equal(error.rawBody, body);
      }
      assert.equal((await emu.requests(testCase)).length, 1);
    });
  }

  test(`${name}: a 2xx over maxResponseBytes → DECODE_ERROR, not retried`, async () => {
    const testCase = `${name}-big`;
    const { path, call, id } = await spec.prepare(testCase);
    const body = spec.big(id);
    assert.ok(body.length > 2000);
    await fault(method, path, { status: 200, body });
    const error = await rejection(call(options(testCase, { maxResponseBytes: 1024 })), "DECODE_ERROR");
    assert.match(error.message, /longer than maxResponseBytes/);
    assert.equal(error.attempts, 1);
    if (spec.secretBody) {
      assert.equal(error.rawBody, "");
      assert.ok(!JSON.stringify(error).includes(FAKE_TOKEN.slice(0, 20)));
      assert.ok(!error.message.includes(FAKE_TOKEN.slice(0, 20)));
    } else {
      assert.ok(body.startsWith(error.rawBody) && error.rawBody.length > 0 && error.rawBody.length <= 1024, error.rawBody);
    }
    assert.equal((await emu.requests(testCase)).length, 1);
  });

  test(`${name}: a custom fetch receives one Request with the method, URL and headers`, async () => {
    const testCase = `${name}-fetch`;
    const { path, query = "", call, check, id } = await spec.prepare(testCase);
    const seen = [];
    const tracingFetch = async (request, init) => {
      seen.push({
        isRequest: request instanceof Request,
        init,
        method: request.method,
        url: request.url,
        accept: request.headers.get("accept"),
        keyIsTheTestKey: request.headers.get("x-api-key") === DEFAULT_TEST_KEY,
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        testCase: request.headers.get("x-test-case"),
        body: request.body === null ? null : await request.clone().text(),
        redirect: request.redirect,
      });
      return fetch(request);
    };
    await check(await call(options(testCase, { fetch: tracingFetch })));
    assert.deepEqual(seen, [
      {
        isRequest: true,
        init: undefined,
        method,
        url: `${emu.url}${path}${query}`,
        accept: "application/json",
        keyIsTheTestKey: true,
        authorization: null,
        contentType: method === "POST" ? "application/json" : null,
        testCase,
        body: method === "POST" ? JSON.stringify({ linked_account_id: id }) : null,
        redirect: "manual",
      },
    ]);
  });

  test(`${name}: an already-aborted signal → ABORTED with attempts 0, nothing sent`, async () => {
    const testCase = `${name}-preabort`;
    const { call } = await spec.prepare(testCase);
    const error = await rejection(call(options(testCase, { signal: AbortSignal.abort("stop") })), "ABORTED");
    assert.equal(error.attempts, 0);
    assert.equal(error.cause, "stop");
    assert.equal(error.retryable, false);
    assert.equal((await emu.requests(testCase)).length, 0);
  });

  test(`${name}: abort() while the server stalls → ABORTED with the reason, not retried`, async () => {
    const testCase = `${name}-abort`;
    const { path, call } = await spec.prepare(testCase);
    await fault(method, path, { stall: "headers", count: 3 });
    const controller = new AbortController();
    const reason = new Error("the user left");
    setTimeout(() => controller.abort(reason), 150);
    const [error, ms] = await elapsed(() => rejection(call(options(testCase, { signal: controller.signal, timeoutMs: 10000 })), "ABORTED"));
    assert.equal(error.cause, reason);
    assert.equal(error.attempts, 1);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.equal((await emu.requests(testCase)).length, 1);
  });
}

// ------------------------------------------------------------------------------------------
// Ids: one path segment, whatever they hold.
// ------------------------------------------------------------------------------------------

for (const [id, encoded] of [
  ["a/b?c#d", "a%2Fb%3Fc%23d"],
  ["markwood@some_email.com", "markwood%40some_email.com"],
  ["Zoë 北京 😀", "Zo%C3%AB%20%E5%8C%97%E4%BA%AC%20%F0%9F%98%80"],
  ["50%25 off+tax", "50%2525%20off%2Btax"],
]) {
  test(`the id ${JSON.stringify(id)} reaches the server whole: get, token and delete on /${encoded}`, async () => {
    assert.equal(segment(id), encoded);
    const testCase = `id-${encoded}`;
    const o = options(testCase);
    const created = await sdk.upsertLinkedAccount({ linked_account_id: id, udf: { k: "v" } }, o);
    assert.equal(created.account_id, id);
    const { new_account, ...account } = created;
    assert.deepEqual(await sdk.getLinkedAccount(id, o), asRead(account));
    await assertToken(await sdk.createSessionToken(id, undefined, o), id);
    assert.deepEqual(await sdk.deleteLinkedAccount(id, o), DELETED);
    const error = await rejection(sdk.getLinkedAccount(id, o), "HTTP_ERROR");
    assert.equal(error.status, 404);
    assert.match(error.body.message, notFoundMessage(id));
    const log = await emu.requests(testCase);
    assert.deepEqual(
      log.map((r) => [r.method, r.path]),
      [
        ["PUT", UPSERT_PATH],
        ["GET", `${UPSERT_PATH}/${encoded}`],
        ["POST", TOKEN_PATH],
        ["DELETE", `${UPSERT_PATH}/${encoded}`],
        ["GET", `${UPSERT_PATH}/${encoded}`],
      ],
    );
    assert.deepEqual(log[2].body, { linked_account_id: id });
  });
}

// "." and ".." cannot be one path segment: URL parsing (WHATWG, as every fetch does) removes
// them as dot segments, and their percent-encoded forms (%2E, %2e%2E …) too, so
// `getLinkedAccount("..")` would ask for `/api/v2/public/` and `deleteLinkedAccount(".")` would
// send `DELETE /api/v2/public/linked-account/`, the collection's path. Such an id must be
// refused before sending.
for (const [name, call] of [
  ["getLinkedAccount", (id, o) => sdk.getLinkedAccount(id, o)],
  ["deleteLinkedAccount", (id, o) => sdk.deleteLinkedAccount(id, o)],
]) {
  for (const id of [".", ".."]) {
    test(`${name}(${JSON.stringify(id)}) → VALIDATION_FAILED at linked_account_id (a dot segment cannot be sent), nothing sent`, async () => {
      const testCase = `${name}-dots-${id.length}`;
      const error = await rejection(call(id, options(testCase)), "VALIDATION_FAILED");
      assert.deepEqual(error.issues.map((i) => [i.path, i.code]), [[["linked_account_id"], "invalid_string"]]);
      assert.deepEqual(await emu.requests(testCase), []);
    });
  }
}

// ------------------------------------------------------------------------------------------
// listLinkedAccounts: the query on the wire.
// ------------------------------------------------------------------------------------------

test("listLinkedAccounts sends page, limit and the filters in that order, percent-encoded", async () => {
  const testCase = "list-query";
  await resetEmulator();
  const page = await sdk.listLinkedAccounts(
    { scope: "team a/b", env_variable_value: "pro & more", env_variable_name: "plan", limit: 5, page: 3 },
    options(testCase),
  );
  assert.deepEqual(page, { docs: [], totalDocs: 0, limit: 5, totalPages: 1, page: 3, pagingCounter: 11, hasPrevPage: true, hasNextPage: false, prevPage: 2, nextPage: null });
  const [sent] = await emu.requests(testCase);
  assert.equal(sent.path, `${UPSERT_PATH}?page=3&limit=5&env_variable_name=plan&env_variable_value=pro%20%26%20more&scope=team%20a%2Fb`);
});

test("listLinkedAccounts without a query → GET with no query string, the server's first page of 10", async () => {
  const testCase = "list-noquery";
  await resetEmulator();
  const accounts = [];
  for (let i = 0; i < 12; i++) accounts.push(await seed(uniqueId(`${testCase}-${i}`)));
  const page = await sdk.listLinkedAccounts(undefined, options(testCase));
  assert.deepEqual(page, { docs: accounts.slice(0, 10), totalDocs: 12, limit: 10, totalPages: 2, page: 1, pagingCounter: 1, hasPrevPage: false, hasNextPage: true, prevPage: null, nextPage: 2 });
  assert.deepEqual(await sdk.listLinkedAccounts({}, options(testCase)), page);
  assert.deepEqual((await emu.requests(testCase)).map((r) => r.path), [UPSERT_PATH, UPSERT_PATH]);
});

// ------------------------------------------------------------------------------------------
// allLinkedAccounts: one request per page, only when needed.
// ------------------------------------------------------------------------------------------

/** A fresh emulator holding `n` accounts; resolves with them in creation order. */
async function seedMany(n, prefix) {
  await resetEmulator();
  const accounts = [];
  for (let i = 0; i < n; i++) accounts.push(await seed(`${prefix}-${String(i).padStart(3, "0")}@example.com`, { n: i }));
  return accounts;
}

const listPaths = async (testCase) => (await emu.requests(testCase)).map((r) => `${r.method} ${r.path}`);

test("for await over 250 accounts with { limit: 100 } → 3 list requests, 250 distinct accounts in order", async () => {
  const testCase = "all-250";
  const accounts = await seedMany(250, testCase);
  const seen = [];
  for await (const account of sdk.allLinkedAccounts({ limit: 100 }, options(testCase))) seen.push(account);
  assert.equal(seen.length, 250);
  assert.equal(new Set(seen.map((a) => a._id)).size, 250);
  assert.deepEqual(seen, accounts);
  assert.deepEqual(await listPaths(testCase), [1, 2, 3].map((n) => `GET ${UPSERT_PATH}?page=${n}&limit=100`));
});

test("allLinkedAccounts requests a page only once the previous page is consumed", async () => {
  const testCase = "all-lazy";
  const accounts = await seedMany(5, testCase);
  const iterator = sdk.allLinkedAccounts({ limit: 2 }, options(testCase));
  assert.equal((await emu.requests(testCase)).length, 0, "nothing is sent before the first next()");
  assert.deepEqual(await iterator.next(), { value: accounts[0], done: false });
  assert.equal((await emu.requests(testCase)).length, 1);
  assert.deepEqual(await iterator.next(), { value: accounts[1], done: false });
  assert.equal((await emu.requests(testCase)).length, 1, "page 1 consumed, page 2 not asked for yet");
  assert.deepEqual(await iterator.next(), { value: accounts[2], done: false });
  assert.equal((await emu.requests(testCase)).length, 2);
  const rest = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
  assert.deepEqual(rest, accounts.slice(3));
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.deepEqual(await listPaths(testCase), [1, 2, 3].map((n) => `GET ${UPSERT_PATH}?page=${n}&limit=2`));
});

test("breaking out of for await after the first page → no further request", async () => {
  const testCase = "all-break";
  const accounts = await seedMany(5, testCase);
  const seen = [];
  for await (const account of sdk.allLinkedAccounts({ limit: 2 }, options(testCase))) {
    seen.push(account);
    if (seen.length === 2) break;
  }
  assert.deepEqual(seen, accounts.slice(0, 2));
  assert.deepEqual(await listPaths(testCase), [`GET ${UPSERT_PATH}?page=1&limit=2`]);
});

test("a page's query and filters are kept on every page; query.page is where it starts", async () => {
  const testCase = "all-from-2";
  const accounts = await seedMany(5, testCase);
  const seen = [];
  // Every seeded account has the udf key "n", so the filter keeps them all.
  for await (const account of sdk.allLinkedAccounts({ page: 2, limit: 2, env_variable_name: "n" }, options(testCase))) seen.push(account);
  assert.deepEqual(seen, accounts.slice(2));
  assert.deepEqual(await listPaths(testCase), [2, 3].map((n) => `GET ${UPSERT_PATH}?page=${n}&limit=2&env_variable_name=n`));
});

test("allLinkedAccounts with no accounts → done at once, after one request", async () => {
  const testCase = "all-empty";
  await resetEmulator();
  const iterator = sdk.allLinkedAccounts(undefined, options(testCase));
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.deepEqual(await listPaths(testCase), [`GET ${UPSERT_PATH}?page=1`]);
});

test("a server that says hasNextPage with an empty page → iteration stops", async () => {
  const testCase = "all-endless";
  await resetEmulator();
  const endless = { docs: [], totalDocs: 9, limit: 10, totalPages: 9, page: 1, pagingCounter: 1, hasPrevPage: false, hasNextPage: true, prevPage: null, nextPage: 2 };
  await fault("GET", UPSERT_PATH, { status: 200, body: JSON.stringify(endless), count: 5 });
  const seen = [];
  for await (const account of sdk.allLinkedAccounts(undefined, options(testCase))) seen.push(account);
  assert.deepEqual(seen, []);
  assert.equal((await emu.requests(testCase)).length, 1);
});

test("aborting the signal between pages → the next next() rejects ABORTED with attempts 0, nothing sent", async () => {
  const testCase = "all-abort-between";
  const accounts = await seedMany(5, testCase);
  const controller = new AbortController();
  const iterator = sdk.allLinkedAccounts({ limit: 2 }, options(testCase, { signal: controller.signal }));
  assert.deepEqual((await iterator.next()).value, accounts[0]);
  assert.deepEqual((await iterator.next()).value, accounts[1]);
  controller.abort("enough");
  const error = await rejection(iterator.next(), "ABORTED");
  assert.equal(error.attempts, 0);
  assert.equal(error.cause, "enough");
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal((await emu.requests(testCase)).length, 1);
});

test("aborting the signal in the middle of a page → the next next() rejects ABORTED; no account after it", async () => {
  const testCase = "all-abort-mid-page";
  const accounts = await seedMany(5, testCase);
  const controller = new AbortController();
  const seen = [];
  const error = await rejection(
    (async () => {
      for await (const account of sdk.allLinkedAccounts({ limit: 10 }, options(testCase, { signal: controller.signal }))) {
        seen.push(account);
        if (seen.length === 2) controller.abort("enough");
      }
    })(),
    "ABORTED",
  );
  assert.deepEqual(seen, accounts.slice(0, 2));
  assert.equal(error.attempts, 0);
  assert.equal(error.cause, "enough");
  assert.equal((await emu.requests(testCase)).length, 1);
});

test("a server that ignores ?page= → the second page is a DECODE_ERROR, not page 1 again", async () => {
  const testCase = "all-page-ignored";
  const accounts = await seedMany(12, testCase);
  // A proxy that drops the query string: the server answers its first page of 10 every time.
  const fetchWithoutQuery = (request) => fetch(new Request(request.url.split("?")[0], request));
  const seen = [];
  const error = await rejection(
    (async () => {
      for await (const account of sdk.allLinkedAccounts({ limit: 2 }, options(testCase, { fetch: fetchWithoutQuery }))) seen.push(account);
    })(),
    "DECODE_ERROR",
  );
  // Page 1 comes as the server's default page (ten accounts, more to come); page 2 is page 1
  // again.
  assert.deepEqual(seen, accounts.slice(0, 10));
  assert.equal(error.status, 200);
  assert.match(error.message, /the body is page 1, not page 2 that was asked for \(the server did not apply \?page=\)/);
  assert.equal((await emu.requests(testCase)).length, 2);
});

test("a walk stops after page 4294967295, the last page number a query can name", async () => {
  const testCase = "all-last-page-number";
  const pagesAsked = [];
  const docs = [{ _id: "63cabcc596d0d10508a69bdf", account_id: "x", udf: [], __v: 0 }];
  const endless = (request) => {
    const page = Number(new URL(request.url).searchParams.get("page"));
    pagesAsked.push(page);
    const body = { docs, totalDocs: 1e10, limit: 1, totalPages: 1e10, page, pagingCounter: page, hasPrevPage: true, hasNextPage: true, prevPage: page - 1, nextPage: page + 1 };
    return Promise.resolve(Response.json(body));
  };
  const seen = [];
  for await (const account of sdk.allLinkedAccounts({ page: 2 ** 32 - 2, limit: 1 }, options(testCase, { fetch: endless }))) seen.push(account);
  assert.deepEqual(pagesAsked, [2 ** 32 - 2, 2 ** 32 - 1]);
  assert.equal(seen.length, 2);
});

test("aborting the signal while a page is on its way → ABORTED", async () => {
  const testCase = "all-abort-during";
  const accounts = await seedMany(5, testCase);
  const controller = new AbortController();
  const iterator = sdk.allLinkedAccounts({ limit: 2 }, options(testCase, { signal: controller.signal }));
  assert.deepEqual((await iterator.next()).value, accounts[0]);
  assert.deepEqual((await iterator.next()).value, accounts[1]);
  await fault("GET", UPSERT_PATH, { delayMs: 3000 });
  setTimeout(() => controller.abort("enough"), 150);
  const [error, ms] = await elapsed(() => rejection(iterator.next(), "ABORTED"));
  assert.equal(error.attempts, 1);
  assert.equal(error.cause, "enough");
  assert.ok(ms < 2500, `took ${ms} ms`);
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal((await emu.requests(testCase)).length, 2);
});

test("a page that fails after its retries → next() rejects with it, after the accounts already yielded", async () => {
  const testCase = "all-fail";
  const accounts = await seedMany(5, testCase);
  const seen = [];
  const iterator = sdk.allLinkedAccounts({ limit: 2 }, options(testCase, { maxRetries: 1 }));
  seen.push((await iterator.next()).value, (await iterator.next()).value);
  await fault("GET", UPSERT_PATH, { status: 502, count: 2 });
  const error = await rejection(iterator.next(), "HTTP_ERROR");
  assert.equal(error.status, 502);
  assert.equal(error.attempts, 2);
  assert.deepEqual(seen, accounts.slice(0, 2));
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal((await emu.requests(testCase)).length, 3);
});

test("a page retried after a timeout → iteration goes on with the same accounts", async () => {
  const testCase = "all-retry";
  const accounts = await seedMany(5, testCase);
  await fault("GET", UPSERT_PATH, { stall: "headers" });
  const seen = [];
  for await (const account of sdk.allLinkedAccounts({ limit: 2 }, options(testCase, { timeoutMs: 250 }))) seen.push(account);
  assert.deepEqual(seen, accounts);
  assert.deepEqual(await listPaths(testCase), [1, 1, 2, 3].map((n) => `GET ${UPSERT_PATH}?page=${n}&limit=2`));
});

test("allLinkedAccounts never throws synchronously; an invalid query or options reject the first next(), nothing sent", async () => {
  const testCase = "all-invalid";
  const bad = sdk.allLinkedAccounts({ page: "2", limt: 3 }, options(testCase));
  assert.equal(typeof bad[Symbol.asyncIterator], "function");
  const error = await rejection(bad.next(), "VALIDATION_FAILED");
  assert.deepEqual(error.issues, [
    { path: ["page"], code: "invalid_type", message: "expected an integer, received string" },
    { path: ["limt"], code: "unrecognized_key", message: 'unrecognized key "limt"; did you mean "limit"?' },
  ]);
  assert.match(error.message, /^invalid allLinkedAccounts request, nothing was sent: 2 issues/);
  assert.deepEqual(await bad.next(), { value: undefined, done: true });
  const withToken = await rejection(sdk.allLinkedAccounts(undefined, { sessionToken: "session-token-value", baseUrl: emu.url, headers: { "x-test-case": testCase } }).next(), "INVALID_OPTIONS");
  assert.deepEqual(withToken.issues, [
    { path: ["sessionToken"], code: "conflict", message: "allLinkedAccounts needs the org apiKey (server side): Refold does not accept a session token for it" },
  ]);
  const badOptions = await rejection(sdk.allLinkedAccounts({ limit: 0 }, options(testCase, { timeoutMs: 0 })).next(), "INVALID_OPTIONS");
  assert.deepEqual(badOptions.issues.map((i) => i.path), [["timeoutMs"]]);
  assert.equal((await emu.requests(testCase)).length, 0);
});

// ------------------------------------------------------------------------------------------
// createSessionToken: what forceRefresh changes.
// ------------------------------------------------------------------------------------------

test("createSessionToken without forceRefresh → the account's valid token again; with it → a new one", async () => {
  const testCase = "token-reuse";
  const id = uniqueId(testCase);
  await seed(id);
  const o = options(testCase);
  const first = await sdk.createSessionToken(id, undefined, o);
  await assertToken(first, id);
  const again = await sdk.createSessionToken(id, { forceRefresh: false }, o);
  tokens.push(again.token);
  assert.ok(again.token === first.token, "without forceRefresh the valid token comes back");
  const fresh = await sdk.createSessionToken(id, { forceRefresh: true }, o);
  await assertToken(fresh, id);
  assert.ok(fresh.token !== first.token, "forceRefresh mints a new token");
  assert.deepEqual(
    (await emu.requests(testCase)).map((r) => r.path),
    [TOKEN_PATH, TOKEN_PATH, `${TOKEN_PATH}?force_refresh=true`],
  );
});

test("createSessionToken without forceRefresh: a timeout is retried, and the retry returns the token of an earlier call", async () => {
  const testCase = "token-timeout";
  const id = uniqueId(testCase);
  await seed(id);
  const earlier = await sdk.createSessionToken(id, undefined, options(testCase));
  tokens.push(earlier.token);
  // The lost attempt reaches the server (it answers half a body, then holds).
  await fault("POST", TOKEN_PATH, { stall: "body" });
  const retried = await sdk.createSessionToken(id, undefined, options(testCase, { timeoutMs: 250 }));
  tokens.push(retried.token);
  assert.ok(retried.token === earlier.token, "the retry returned another token");
  assert.equal((await emu.requests(testCase)).length, 3);
});

test("createSessionToken without forceRefresh: 502 and 504 are retried", async () => {
  const testCase = "token-502";
  const id = uniqueId(testCase);
  await seed(id);
  await fault("POST", TOKEN_PATH, { status: 502 }, { status: 504 });
  await assertToken(await sdk.createSessionToken(id, undefined, options(testCase)), id);
  assert.equal((await emu.requests(testCase)).length, 3);
});

for (const [what, faults, code, check] of [
  ["a timeout", [{ stall: "headers" }], "TIMEOUT", (e) => assert.equal(e.timeoutMs, 250)],
  ["a response lost mid-body", [{ stall: "body" }], "TIMEOUT", (e) => assert.equal(e.timeoutMs, 250)],
  ["a connection reset", [{ reset: true }], "NETWORK_ERROR", (e) => assert.match(e.message, /ECONNRESET/)],
  ["502", [{ status: 502 }], "HTTP_ERROR", (e) => assert.equal(e.status, 502)],
  ["504", [{ status: 504 }], "HTTP_ERROR", (e) => assert.equal(e.status, 504)],
]) {
  test(`createSessionToken with forceRefresh: ${what} → ${code} after 1 attempt, retryable false`, async () => {
    const testCase = `force-${code}-${what}`;
    const id = uniqueId("force");
    await seed(id);
    await fault("POST", TOKEN_PATH, ...faults.map((f) => ({ ...f, count: 3 })));
    const error = await rejection(sdk.createSessionToken(id, { forceRefresh: true }, options(testCase, { timeoutMs: 250 })), code);
    assert.equal(error.attempts, 1);
    assert.equal(error.retryable, false);
    check(error);
    const log = await emu.requests(testCase);
    assert.deepEqual(log.map((r) => r.path), [`${TOKEN_PATH}?force_refresh=true`]);
  });
}

for (const [status, headers] of [
  [429, { "retry-after": "1" }],
  [503, {}],
  [408, {}],
]) {
  test(`createSessionToken with forceRefresh: ${status} → retried (the server did not act), a new token`, async () => {
    const testCase = `force-${status}`;
    const id = uniqueId(testCase);
    await seed(id);
    await fault("POST", TOKEN_PATH, { status, headers });
    const token = await sdk.createSessionToken(id, { forceRefresh: true }, options(testCase));
    await assertToken(token, id);
    assert.equal((await emu.requests(testCase)).length, 2);
  });
}

test("createSessionToken with forceRefresh: 429 on every attempt → HTTP_ERROR after maxRetries + 1 attempts, retryable", async () => {
  const testCase = "force-429x";
  const id = uniqueId(testCase);
  await seed(id);
  await fault("POST", TOKEN_PATH, { status: 429, headers: { "retry-after": "0" }, count: 2 });
  const error = await rejection(sdk.createSessionToken(id, { forceRefresh: true }, options(testCase, { maxRetries: 1 })), "HTTP_ERROR");
  assert.equal(error.status, 429);
  assert.equal(error.attempts, 2);
  assert.equal(error.retryable, true);
  assert.equal(error.retryAfterMs, 0);
});

test("createSessionToken for an unknown account → HTTP_ERROR 400 INVALID_LINKED_ACCOUNT_ID", async () => {
  const testCase = "token-unknown";
  const error = await rejection(sdk.createSessionToken(uniqueId("nobody"), undefined, options(testCase)), "HTTP_ERROR");
  assert.equal(error.status, 400);
  assert.equal(error.apiErrorCode, "INVALID_LINKED_ACCOUNT_ID");
  assert.equal(error.body.message, "Invalid linked_account_id");
  assert.equal(error.attempts, 1);
});

// ------------------------------------------------------------------------------------------
// deleteLinkedAccount: a retry that finds the account gone.
// ------------------------------------------------------------------------------------------

test("DELETE whose first answer is lost after the server deleted, then 404 → HTTP_ERROR 404 with unansweredAttempts 1", async () => {
  const testCase = "delete-lost";
  const id = uniqueId(testCase);
  await seed(id);
  // The server deletes, sends half its 200, then holds the connection until the client gives up.
  await fault("DELETE", accountPath(id), { stall: "body" });
  const error = await rejection(sdk.deleteLinkedAccount(id, options(testCase, { timeoutMs: 250 })), "HTTP_ERROR");
  assert.equal(error.status, 404);
  assert.equal(error.apiErrorCode, "NOT_FOUND");
  assert.equal(error.attempts, 2);
  assert.equal(error.unansweredAttempts, 1);
  assert.equal(error.retryable, false);
  assert.match(error.message, /; 1 earlier attempt got no answer \(timeout or network error\): the server may have acted on it/);
  assert.equal((await stored(id)).status, 404);
  assert.equal((await emu.requests(testCase)).length, 2);
});

test("DELETE lost twice, then 500 not found (older API versions) → unansweredAttempts 2", async () => {
  const testCase = "delete-lost2";
  const id = uniqueId(testCase);
  await seed(id);
  await fault("DELETE", accountPath(id), { stall: "body" }, { stall: "headers" }, { status: 500, body: NOT_FOUND_500(id) });
  const error = await rejection(sdk.deleteLinkedAccount(id, options(testCase, { timeoutMs: 250 })), "HTTP_ERROR");
  assert.equal(error.status, 500);
  assert.equal(error.attempts, 3);
  assert.equal(error.unansweredAttempts, 2);
  assert.match(error.message, /; 2 earlier attempts got no answer \(timeouts or network errors\): the server may have acted on them/);
});

test("DELETE whose response a custom fetch loses (network error after the server answered), then 404 → unansweredAttempts 1", async () => {
  const testCase = "delete-fetch-lost";
  const id = uniqueId(testCase);
  await seed(id);
  let attempt = 0;
  const losingFetch = async (request) => {
    attempt += 1;
    const response = await fetch(request);
    if (attempt > 1) return response;
    await response.arrayBuffer();
    throw new TypeError("the connection dropped before the answer arrived");
  };
  const error = await rejection(sdk.deleteLinkedAccount(id, options(testCase, { fetch: losingFetch })), "HTTP_ERROR");
  assert.equal(error.status, 404);
  assert.equal(error.attempts, 2);
  assert.equal(error.unansweredAttempts, 1);
  assert.match(error.message, /1 earlier attempt got no answer/);
});

test("DELETE answered 503, then 404 → unansweredAttempts 0: an answered attempt does not count", async () => {
  const testCase = "delete-503-404";
  const id = uniqueId(testCase);
  await fault("DELETE", accountPath(id), { status: 503 });
  const error = await rejection(sdk.deleteLinkedAccount(id, options(testCase)), "HTTP_ERROR");
  assert.equal(error.status, 404);
  assert.equal(error.attempts, 2);
  assert.equal(error.unansweredAttempts, 0);
  assert.doesNotMatch(error.message, /earlier attempt/);
});

test("deleteLinkedAccount revokes the account's session tokens", async () => {
  const testCase = "delete-revokes";
  const id = uniqueId(testCase);
  await seed(id);
  const token = await sdk.createSessionToken(id, undefined, options(testCase));
  tokens.push(token.token);
  assert.deepEqual(await sdk.deleteLinkedAccount(id, options(testCase)), DELETED);
  const error = await rejection(sdk.getLinkedAccount(id, { sessionToken: token.token, baseUrl: emu.url }), "HTTP_ERROR");
  assert.equal(error.status, 401);
});

// ------------------------------------------------------------------------------------------
// getLinkedAccount with a session token.
// ------------------------------------------------------------------------------------------

test("getLinkedAccount with a session token → its own account; another account → HTTP_ERROR 403", async () => {
  const testCase = "get-token";
  const id = uniqueId(testCase);
  const account = await seed(id);
  const other = uniqueId(`${testCase}-other`);
  await seed(other);
  const { token } = await sdk.createSessionToken(id, undefined, options(testCase));
  tokens.push(token);
  const o = { sessionToken: token, baseUrl: emu.url, headers: { "x-test-case": testCase } };
  assert.deepEqual(await sdk.getLinkedAccount(id, o), asRead(account));
  const error = await rejection(sdk.getLinkedAccount(other, o), "HTTP_ERROR");
  assert.equal(error.status, 403);
  assert.equal(error.apiErrorCode, "FORBIDDEN");
  const [, get] = await emu.requests(testCase);
  assert.equal(get.headers.authorization, fingerprint(`Bearer ${token}`));
  assert.equal(get.headers["x-api-key"], undefined);
});

test("a server that echoes the session token in an error → [redacted] in message, rawBody and body", async () => {
  const testCase = "get-token-echo";
  const id = uniqueId(testCase);
  await seed(id);
  const { token } = await sdk.createSessionToken(id, undefined, options(testCase));
  tokens.push(token);
  const echoed = JSON.stringify({ status_code: 401, http_error_type: "UNAUTHORIZED", error_code: "SERVER_ERROR", message: `token ${token} expired` });
  await fault("GET", accountPath(id), { status: 401, body: echoed });
  const error = await rejection(sdk.getLinkedAccount(id, { sessionToken: token, baseUrl: emu.url }), "HTTP_ERROR");
  assert.equal(error.body.message, "token [redacted] expired");
  assert.ok(error.message.includes("token [redacted] expired"), error.message);
  assert.ok(!error.rawBody.includes(token));
});

// ------------------------------------------------------------------------------------------
// Refused before sending.
// ------------------------------------------------------------------------------------------

for (const [name, call] of [
  ["listLinkedAccounts", (o) => sdk.listLinkedAccounts(undefined, o)],
  ["deleteLinkedAccount", (o) => sdk.deleteLinkedAccount("markwood@example.com", o)],
  ["createSessionToken", (o) => sdk.createSessionToken("markwood@example.com", undefined, o)],
]) {
  test(`${name} with a sessionToken → INVALID_OPTIONS (conflict at sessionToken), nothing sent`, async () => {
    const testCase = `${name}-session`;
    const error = await rejection(call({ sessionToken: "a-session-token-value", baseUrl: emu.url, headers: { "x-test-case": testCase } }), "INVALID_OPTIONS");
    assert.deepEqual(error.issues, [
      { path: ["sessionToken"], code: "conflict", message: `${name} needs the org apiKey (server side): Refold does not accept a session token for it` },
    ]);
    assert.equal(error.attempts, undefined);
    const both = await rejection(call(options(testCase, { sessionToken: "a-session-token-value" })), "INVALID_OPTIONS");
    assert.deepEqual(both.issues, [{ path: ["sessionToken"], code: "conflict", message: "give apiKey or sessionToken, not both" }]);
    assert.equal((await emu.requests(testCase)).length, 0);
  });
}

const ID_REQUIRED = { path: ["linked_account_id"], code: "required", message: "linked_account_id is required: the customer's unique id in your system" };
const ID_EMPTY = { path: ["linked_account_id"], code: "too_small", message: "linked_account_id must not be empty or whitespace only" };
const ID_NUMBER = { path: ["linked_account_id"], code: "invalid_type", message: "expected string, received number" };
const ID_CONTROL = { path: ["linked_account_id"], code: "invalid_string", message: "linked_account_id must not contain control characters (U+0000–U+001F, U+007F–U+009F)" };

for (const [name, call, issues] of [
  ["getLinkedAccount", (o) => sdk.getLinkedAccount(undefined, o), [ID_REQUIRED]],
  ["getLinkedAccount", (o) => sdk.getLinkedAccount("   ", o), [ID_EMPTY]],
  ["getLinkedAccount", (o) => sdk.getLinkedAccount(42, o), [ID_NUMBER]],
  ["getLinkedAccount", (o) => sdk.getLinkedAccount("a\nb", o), [ID_CONTROL]],
  ["deleteLinkedAccount", (o) => sdk.deleteLinkedAccount("", o), [ID_EMPTY]],
  ["deleteLinkedAccount", (o) => sdk.deleteLinkedAccount(null, o), [{ ...ID_NUMBER, message: "expected string, received null" }]],
  [
    "listLinkedAccounts",
    (o) => sdk.listLinkedAccounts({ page: "2", limt: 3 }, o),
    [
      { path: ["page"], code: "invalid_type", message: "expected an integer, received string" },
      { path: ["limt"], code: "unrecognized_key", message: 'unrecognized key "limt"; did you mean "limit"?' },
    ],
  ],
  [
    "listLinkedAccounts",
    (o) => sdk.listLinkedAccounts({ page: 0, limit: 101 }, o),
    [
      { path: ["page"], code: "too_small", message: "page must be an integer from 1 to 4294967295" },
      { path: ["limit"], code: "too_big", message: "limit must be an integer from 1 to 100" },
    ],
  ],
  [
    "listLinkedAccounts",
    (o) => sdk.listLinkedAccounts({ limit: 0, page: NaN, scope: "", env_variable_name: 3 }, o),
    [
      { path: ["limit"], code: "too_small", message: "limit must be an integer from 1 to 100" },
      { path: ["page"], code: "not_finite", message: "page must be an integer from 1 to 4294967295" },
      { path: ["scope"], code: "too_small", message: "scope must not be empty (leave it out instead)" },
      { path: ["env_variable_name"], code: "invalid_type", message: "expected string, received number" },
    ],
  ],
  ["listLinkedAccounts", (o) => sdk.listLinkedAccounts([], o), [{ path: [], code: "invalid_type", message: "expected a query object, received array" }]],
  [
    "createSessionToken",
    (o) => sdk.createSessionToken("", { forceRefresh: "yes", force: true }, o),
    [
      ID_EMPTY,
      { path: ["forceRefresh"], code: "invalid_type", message: "expected boolean, received string" },
      { path: ["force"], code: "unrecognized_key", message: 'unrecognized key "force"; did you mean "forceRefresh"?' },
    ],
  ],
  ["createSessionToken", (o) => sdk.createSessionToken("x", null, o), [{ path: [], code: "invalid_type", message: "expected an object such as { forceRefresh: true }, received null" }]],
]) {
  test(`${name} → VALIDATION_FAILED with exactly ${issues.map((i) => `${i.path.join(".") || "(root)"} ${i.code}`).join(", ")}; nothing sent`, async () => {
    const testCase = `${name}-invalid`;
    await emu.api("DELETE", "/__emulator/requests");
    const error = await rejection(call(options(testCase)), "VALIDATION_FAILED");
    assert.deepEqual(error.issues, issues);
    assert.ok(error.message.startsWith(`invalid ${name} request, nothing was sent: ${issues.length} issue`), error.message);
    assert.equal(error.attempts, undefined);
    assert.equal((await emu.requests(testCase)).length, 0);
  });
}

test("invalid options are reported before invalid arguments", async () => {
  const error = await rejection(sdk.getLinkedAccount("", { baseUrl: emu.url, apiKey: DEFAULT_TEST_KEY, timoutMs: 5 }), "INVALID_OPTIONS");
  assert.deepEqual(error.issues.map((i) => [i.path, i.code]), [[["timoutMs"], "unrecognized_key"]]);
});

test("no error produced by this suite shows the API key or a session token", () => {
  assert.ok(tokens.length > 10, `only ${tokens.length} tokens were seen`);
  assertNoSecrets([DEFAULT_TEST_KEY, FAKE_TOKEN, ...new Set(tokens)]);
});
