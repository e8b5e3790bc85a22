// The emulator's public API: upsert semantics, environments, credentials, errors, list, delete, CORS.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { DEFAULT_PRODUCTION_KEY, DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import { ACCOUNTS, UUID, asReadOne, assertApiError, notFoundMessage, request } from "./helpers.mjs";

const HEX_ID = /^[0-9a-f]{24}$/;
const ACCOUNT_KEYS = [
  "_id",
  "associated_org",
  "account_id",
  "environment",
  "name",
  "udf",
  "createdAt",
  "updatedAt",
  "__v",
];
const UDF_ENTRY_KEYS = ["key_name", "key_value", "_id", "createdAt", "updatedAt"];

let emulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());
beforeEach(() => fetch(`${emulator.url}/__emulator/reset`, { method: "POST" }));

const call = (method, path, { base = emulator.url, ...options } = {}) => request(base, method, path, options);
const upsert = (body, options) => call("PUT", ACCOUNTS, { ...options, body });
const isoTime = (value) => new Date(value).toISOString() === value;
const later = (a, b) => Date.parse(b) > Date.parse(a);

test("upsert creates an account in the documented shape", async () => {
  const response = await upsert({ linked_account_id: "acme", name: "Acme", udf: { plan: "pro", seats: 3 } });
  const account = response.json;

  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(UUID.test(response.headers.get("x-request-id")), true);
  assert.deepEqual(Object.keys(account), [...ACCOUNT_KEYS, "new_account"]);
  assert.equal(HEX_ID.test(account._id), true);
  assert.equal(HEX_ID.test(account.associated_org), true);
  assert.equal(account.account_id, "acme");
  assert.equal(account.environment, "test");
  assert.equal(account.name, "Acme");
  assert.equal(account.__v, 0);
  assert.equal(account.new_account, true);
  assert.equal(isoTime(account.createdAt), true);
  assert.equal(account.updatedAt, account.createdAt);
  assert.deepEqual(
    account.udf.map((entry) => [entry.key_name, entry.key_value]),
    [
      ["plan", "pro"],
      ["seats", 3],
    ],
  );
  for (const entry of account.udf) {
    assert.deepEqual(Object.keys(entry), UDF_ENTRY_KEYS);
    assert.equal(HEX_ID.test(entry._id), true);
    assert.equal(entry.createdAt, account.createdAt);
    assert.equal(entry.updatedAt, account.createdAt);
  }
  assert.equal(new Set([account._id, ...account.udf.map((entry) => entry._id)]).size, 3);
});

test("upsert updates: name replaced, udf merged by key_name, createdAt kept, __v counts updates", async () => {
  const first = (await upsert({ linked_account_id: "acme", name: "Acme", udf: { plan: "pro", seats: 3 } })).json;
  const second = (await upsert({ linked_account_id: "acme", name: "Acme Corp", udf: { seats: 5, region: "eu" } })).json;

  assert.equal(second._id, first._id);
  assert.equal(second.associated_org, first.associated_org);
  assert.equal(second.name, "Acme Corp");
  assert.equal(second.__v, 1);
  assert.equal(second.new_account, false);
  assert.equal(second.createdAt, first.createdAt);
  assert.equal(later(first.updatedAt, second.updatedAt), true);
  assert.equal(second.udf.length, 3);
  const [plan, seats, region] = second.udf;
  assert.deepEqual(plan, first.udf[0]);
  assert.deepEqual(seats, { ...first.udf[1], key_value: 5, updatedAt: second.updatedAt });
  assert.equal(region.key_name, "region");
  assert.equal(region.key_value, "eu");
  assert.equal(HEX_ID.test(region._id), true);
  assert.equal(region.createdAt, second.updatedAt);
  assert.equal(region.updatedAt, second.updatedAt);

  const third = (await upsert({ linked_account_id: "acme" })).json;
  assert.equal(third.name, "Acme Corp");
  assert.deepEqual(third.udf, second.udf);
  assert.equal(third.__v, 2);
  assert.equal(third.new_account, false);
  assert.equal(third.createdAt, first.createdAt);
  assert.equal(later(second.updatedAt, third.updatedAt), true);

  const fetched = await call("GET", `${ACCOUNTS}/acme`);
  assert.equal(fetched.status, 200);
  assert.deepEqual(fetched.json, asReadOne(third));
});

test("updatedAt strictly increases even for updates within one millisecond", async () => {
  const stamps = [];
  for (let round = 0; round < 8; round += 1) stamps.push((await upsert({ linked_account_id: "fast" })).json.updatedAt);
  for (let index = 1; index < stamps.length; index += 1) assert.equal(later(stamps[index - 1], stamps[index]), true);
});

test("an account created without a name has no name key", async () => {
  const account = (await upsert({ linked_account_id: "nameless" })).json;
  assert.deepEqual(Object.keys(account), [...ACCOUNT_KEYS.filter((key) => key !== "name"), "new_account"]);
  assert.deepEqual(account.udf, []);
});

test('udf "replace" policy rebuilds the udf array from the request', async (t) => {
  const replacing = await startEmulator({ port: 0, quiet: true, udf: "replace" });
  t.after(() => replacing.close());
  const base = replacing.url;

  const first = (await upsert({ linked_account_id: "r", udf: { a: 1, b: 2 } }, { base })).json;
  const second = (await upsert({ linked_account_id: "r", udf: { b: 3 } }, { base })).json;
  assert.equal(second.udf.length, 1);
  assert.deepEqual(Object.keys(second.udf[0]), UDF_ENTRY_KEYS);
  assert.equal(second.udf[0].key_name, "b");
  assert.equal(second.udf[0].key_value, 3);
  assert.notEqual(second.udf[0]._id, first.udf[1]._id);
  assert.equal(second.udf[0].createdAt, second.updatedAt);
  assert.equal(second.__v, 1);

  const third = (await upsert({ linked_account_id: "r", name: "kept udf" }, { base })).json;
  assert.deepEqual(third.udf, second.udf);
  const emptied = (await upsert({ linked_account_id: "r", udf: {} }, { base })).json;
  assert.deepEqual(emptied.udf, []);
  assert.equal(emptied.__v, 3);
});

test("credentials are stored but never returned", async () => {
  const secret = "sk_live_0123456789-very-secret";
  const yourApp = {
    app_id: "app-7",
    auth_credentials: { "x-api-key": secret, "base-url": "https://api.example.test" },
  };
  const texts = [
    (await upsert({ linked_account_id: "holder", your_app: yourApp })).text,
    (await upsert({ linked_account_id: "holder", your_app: yourApp, name: "again" })).text,
    (await call("POST", ACCOUNTS, { body: { linked_account_id: "holder-2", your_app: yourApp } })).text,
    (await call("GET", `${ACCOUNTS}/holder`)).text,
    (await call("GET", ACCOUNTS)).text,
  ];
  const token = (await call("POST", "/api/v2/public/session-token", { body: { linked_account_id: "holder" } })).json
    .token;
  texts.push((await call("GET", "/api/v2/public/session/active-linked-account", { key: null, token })).text);

  for (const text of texts) {
    assert.equal(text.includes(secret), false);
    assert.equal(text.includes("your_app"), false);
    assert.equal(text.includes("auth_credentials"), false);
    assert.equal(text.includes("app-7"), false);
  }
});

test("the environment follows the key: one id under tk and pk keys is two accounts", async () => {
  const testSide = (await upsert({ linked_account_id: "shared", name: "Test side" })).json;
  const prodSide = (await upsert({ linked_account_id: "shared", name: "Prod side" }, { key: DEFAULT_PRODUCTION_KEY }))
    .json;

  assert.equal(testSide.environment, "test");
  assert.equal(prodSide.environment, "production");
  assert.equal(prodSide.new_account, true);
  assert.notEqual(prodSide._id, testSide._id);
  assert.equal(prodSide.associated_org, testSide.associated_org);
  assert.equal((await call("GET", `${ACCOUNTS}/shared`)).json.name, "Test side");
  assert.equal((await call("GET", `${ACCOUNTS}/shared`, { key: DEFAULT_PRODUCTION_KEY })).json.name, "Prod side");

  await upsert({ linked_account_id: "test-only" });
  assertApiError(
    await call("GET", `${ACCOUNTS}/test-only`, { key: DEFAULT_PRODUCTION_KEY }),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    notFoundMessage("test-only", testSide.associated_org, "production"),
  );
  assert.equal((await call("GET", ACCOUNTS)).json.totalDocs, 2);
  assert.equal((await call("GET", ACCOUNTS, { key: DEFAULT_PRODUCTION_KEY })).json.totalDocs, 1);
});

test("apiKeys replaces the default keys; a pk prefix means production", async (t) => {
  const custom = await startEmulator({ port: 0, quiet: true, apiKeys: ["pk-custom-1", "custom-test-key"] });
  t.after(() => custom.close());
  const base = custom.url;

  assertApiError(
    await upsert({ linked_account_id: "a" }, { base }),
    401,
    "UNAUTHORIZED",
    "SERVER_ERROR",
    "Invalid Credentials",
  );
  assert.equal((await upsert({ linked_account_id: "a" }, { base, key: "pk-custom-1" })).json.environment, "production");
  assert.equal((await upsert({ linked_account_id: "a" }, { base, key: "custom-test-key" })).json.environment, "test");
});

test("401 for a missing, unknown or differently-cased key and for an unknown bearer token", async () => {
  const expected = ["UNAUTHORIZED", "SERVER_ERROR", "Invalid Credentials"];
  assertApiError(await upsert({ linked_account_id: "a" }, { key: null }), 401, ...expected);
  assertApiError(await upsert({ linked_account_id: "a" }, { key: "tk-not-a-real-key" }), 401, ...expected);
  assertApiError(await upsert({ linked_account_id: "a" }, { key: DEFAULT_TEST_KEY.toUpperCase() }), 401, ...expected);
  assertApiError(await upsert({ linked_account_id: "a" }, { key: null, token: "a.b.c" }), 401, ...expected);
  assertApiError(await call("GET", ACCOUNTS, { key: null }), 401, ...expected);
  assert.equal((await call("GET", `${ACCOUNTS}/a`)).status, 404);
});

test("auth is checked before the body", async () => {
  assertApiError(await upsert("{not json", { key: null }), 401, "UNAUTHORIZED", "SERVER_ERROR", "Invalid Credentials");
});

test("400 when the body is not a JSON object", async () => {
  const expected = [400, "BAD_REQUEST", "INVALID_JSON", "Request body must be a JSON object"];
  assertApiError(await upsert('{"linked_account_id":'), ...expected);
  assertApiError(await upsert("[]"), ...expected);
  assertApiError(await upsert('"acme"'), ...expected);
  assertApiError(await call("PUT", ACCOUNTS), ...expected);
});

test("400 when linked_account_id is missing, empty or not a string", async () => {
  const expected = [400, "BAD_REQUEST", "INVALID_LINKED_ACCOUNT_ID", "linked_account_id required"];
  assertApiError(await upsert({ name: "No id" }), ...expected);
  assertApiError(await upsert({ linked_account_id: "" }), ...expected);
  assertApiError(await upsert({ linked_account_id: "   " }), ...expected);
  assertApiError(await upsert({ linked_account_id: 42 }), ...expected);
  assertApiError(await call("POST", ACCOUNTS, { body: {} }), ...expected);
  assertApiError(await upsert({ your_app: {} }), ...expected);
});

test('500 "A valid app_id is required" when your_app lacks credentials', async () => {
  const expected = [500, "BAD_REQUEST", "INTERNAL_SERVER_ERROR", "A valid app_id is required"];
  assertApiError(await upsert({ linked_account_id: "a", your_app: {} }), ...expected);
  assertApiError(await upsert({ linked_account_id: "a", your_app: { app_id: "app-1" } }), ...expected);
  assertApiError(await upsert({ linked_account_id: "a", your_app: { auth_credentials: {} } }), ...expected);
  assertApiError(await upsert({ linked_account_id: "a", your_app: { auth_credentials: "key" } }), ...expected);
  assertApiError(await upsert({ linked_account_id: "a", your_app: null }), ...expected);
  assertApiError(await call("POST", ACCOUNTS, { body: { linked_account_id: "a", your_app: {} } }), ...expected);
  assert.equal((await call("GET", `${ACCOUNTS}/a`)).status, 404);
});

test("400 for credential keys equal ignoring ASCII case", async () => {
  const yourApp = { auth_credentials: { "X-Api-Key": "one", "x-api-key": "two" } };
  const expected = [400, "BAD_REQUEST", "SERVER_ERROR", "Duplicate Auth key_name not allowed"];
  assertApiError(await upsert({ linked_account_id: "a", your_app: yourApp }), ...expected);
  assertApiError(await call("POST", ACCOUNTS, { body: { linked_account_id: "a", your_app: yourApp } }), ...expected);
  const distinct = { auth_credentials: { "x-api-key": "one", "x-api-keys": "two" } };
  assert.equal((await upsert({ linked_account_id: "a", your_app: distinct })).status, 200);
});

test("400 for a name that is not a string or a udf that is not flat", async () => {
  assertApiError(
    await upsert({ linked_account_id: "a", name: null }),
    400,
    "BAD_REQUEST",
    "INVALID_NAME",
    "name must be a string",
  );
  const udfMessage = "udf must be an object whose values are strings, numbers, booleans or null";
  assertApiError(
    await upsert({ linked_account_id: "a", udf: { nested: {} } }),
    400,
    "BAD_REQUEST",
    "INVALID_UDF",
    udfMessage,
  );
  assertApiError(await upsert({ linked_account_id: "a", udf: ["x"] }), 400, "BAD_REQUEST", "INVALID_UDF", udfMessage);
  const flat = await upsert({ linked_account_id: "a", udf: { s: "x", n: 1.5, b: false, z: null } });
  assert.deepEqual(
    flat.json.udf.map((entry) => entry.key_value),
    ["x", 1.5, false, null],
  );
});

test("POST creates once, then refuses", async () => {
  const created = await call("POST", ACCOUNTS, { body: { linked_account_id: "new", name: "New", udf: { a: "b" } } });
  assert.equal(created.status, 200);
  assert.deepEqual(Object.keys(created.json), [...ACCOUNT_KEYS, "new_account"]);
  assert.equal(created.json.__v, 0);
  assert.equal(created.json.new_account, true);
  assert.equal(created.json.name, "New");

  const again = await call("POST", ACCOUNTS, { body: { linked_account_id: "new", name: "Other" } });
  assertApiError(again, 400, "BAD_REQUEST", "SERVER_ERROR", "Linked account creation failed");
  assert.equal((await call("GET", `${ACCOUNTS}/new`)).json.name, "New");
});

test("GET decodes the id and answers 404 for an unknown account", async () => {
  const { associated_org: org } = (await upsert({ linked_account_id: "mark wood@example.com/1" })).json;
  const found = await call("GET", `${ACCOUNTS}/${encodeURIComponent("mark wood@example.com/1")}`);
  assert.equal(found.status, 200);
  assert.equal(found.json.account_id, "mark wood@example.com/1");
  assert.deepEqual(Object.keys(found.json), [
    ...ACCOUNT_KEYS.filter((key) => key !== "name" && key !== "createdAt" && key !== "updatedAt" && key !== "__v"),
    "integrations",
    "createdAt",
    "updatedAt",
    "__v",
  ]);

  assertApiError(
    await call("GET", `${ACCOUNTS}/${encodeURIComponent("nobody@example.com")}`),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    notFoundMessage("nobody@example.com", org),
  );
});

test("404 for an unknown path and 405 with allow for a wrong method", async () => {
  assertApiError(
    await call("GET", "/api/v2/public/nope"),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    "Route GET /api/v2/public/nope not found",
  );

  const collection = await call("DELETE", ACCOUNTS);
  assertApiError(
    collection,
    405,
    "METHOD_NOT_ALLOWED",
    "METHOD_NOT_ALLOWED",
    `Method DELETE is not allowed on ${ACCOUNTS}`,
  );
  assert.equal(collection.headers.get("allow"), "GET, PUT, POST, OPTIONS");

  const single = await call("PUT", `${ACCOUNTS}/acme`, { body: {} });
  assert.equal(single.status, 405);
  assert.equal(single.headers.get("allow"), "GET, DELETE, OPTIONS");
});

test("413 for a body over 10 MiB", async () => {
  const body = `{"linked_account_id":"big","name":"${"x".repeat(10 * 1024 * 1024)}"}`;
  assertApiError(
    await upsert(body),
    413,
    "PAYLOAD_TOO_LARGE",
    "PAYLOAD_TOO_LARGE",
    "Request body exceeds 10485760 bytes",
  );
  assert.equal((await call("GET", `${ACCOUNTS}/big`)).status, 404);
});

test("concurrent upserts to one account lose no writes", async () => {
  const writers = Array.from({ length: 25 }, (_, index) =>
    upsert({ linked_account_id: "busy", udf: { [`k${index}`]: index } }),
  );
  const responses = await Promise.all(writers);

  assert.deepEqual(
    responses.map((response) => response.json.__v).sort((a, b) => a - b),
    Array.from({ length: 25 }, (_, index) => index),
  );
  assert.equal(responses.filter((response) => response.json.new_account).length, 1);
  const final = (await call("GET", `${ACCOUNTS}/busy`)).json;
  assert.equal(final.__v, 24);
  assert.deepEqual(
    final.udf.map((entry) => entry.key_name).sort(),
    Array.from({ length: 25 }, (_, index) => `k${index}`).sort(),
  );
});

test("list paginates in creation order within the key environment", async () => {
  for (const id of ["a", "b", "c"]) await upsert({ linked_account_id: id });
  await upsert({ linked_account_id: "p" }, { key: DEFAULT_PRODUCTION_KEY });
  await upsert({ linked_account_id: "a", name: "updating keeps the position" });

  const meta = ({ docs, ...rest }) => ({ ids: docs.map((doc) => doc.account_id), ...rest });
  assert.deepEqual(meta((await call("GET", ACCOUNTS)).json), {
    ids: ["a", "b", "c"],
    totalDocs: 3,
    limit: 10,
    totalPages: 1,
    page: 1,
    pagingCounter: 1,
    hasPrevPage: false,
    hasNextPage: false,
    prevPage: null,
    nextPage: null,
  });
  assert.deepEqual(meta((await call("GET", `${ACCOUNTS}?page=1&limit=2`)).json), {
    ids: ["a", "b"],
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
  assert.deepEqual(meta((await call("GET", `${ACCOUNTS}?page=2&limit=2`)).json), {
    ids: ["c"],
    totalDocs: 3,
    limit: 2,
    totalPages: 2,
    page: 2,
    pagingCounter: 3,
    hasPrevPage: true,
    hasNextPage: false,
    prevPage: 1,
    nextPage: null,
  });
  assert.deepEqual(meta((await call("GET", `${ACCOUNTS}?page=5&limit=2`)).json), {
    ids: [],
    totalDocs: 3,
    limit: 2,
    totalPages: 2,
    page: 5,
    pagingCounter: 9,
    hasPrevPage: true,
    hasNextPage: false,
    prevPage: 4,
    nextPage: null,
  });
  const production = (await call("GET", ACCOUNTS, { key: DEFAULT_PRODUCTION_KEY })).json;
  assert.deepEqual(
    production.docs.map((doc) => doc.account_id),
    ["p"],
  );
  assert.deepEqual(
    Object.keys(production.docs[0]),
    ACCOUNT_KEYS.filter((key) => key !== "name"),
  );
});

test("an empty list still has one page", async () => {
  assert.deepEqual((await call("GET", ACCOUNTS)).json, {
    docs: [],
    totalDocs: 0,
    limit: 10,
    totalPages: 1,
    page: 1,
    pagingCounter: 1,
    hasPrevPage: false,
    hasNextPage: false,
    prevPage: null,
    nextPage: null,
  });
});

test("400 INVALID_QUERY for bad page or limit", async () => {
  const pageMessage = "page must be a positive integer";
  const limitMessage = "limit must be an integer from 1 to 100";
  for (const [query, message] of [
    ["page=0", pageMessage],
    ["page=abc", pageMessage],
    ["page=1.5", pageMessage],
    ["page=", pageMessage],
    ["limit=0", limitMessage],
    ["limit=101", limitMessage],
    ["limit=-1", limitMessage],
  ]) {
    assertApiError(await call("GET", `${ACCOUNTS}?${query}`), 400, "BAD_REQUEST", "INVALID_QUERY", message);
  }
  assert.equal((await call("GET", `${ACCOUNTS}?limit=100`)).status, 200);
});

test("DELETE removes the account", async () => {
  const { associated_org: org } = (await upsert({ linked_account_id: "gone" })).json;
  const deleted = await call("DELETE", `${ACCOUNTS}/gone`);
  assert.equal(deleted.status, 200);
  assert.deepEqual(deleted.json, { message: "User deleted successfully" });
  assert.equal((await call("GET", `${ACCOUNTS}/gone`)).status, 404);
  assertApiError(
    await call("DELETE", `${ACCOUNTS}/gone`),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    notFoundMessage("gone", org),
  );
  assert.equal((await upsert({ linked_account_id: "gone" })).json.new_account, true);
});

test("CORS: preflight echoes the requested headers, responses expose the request id", async () => {
  const preflight = await fetch(`${emulator.url}${ACCOUNTS}`, {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:5173",
      "access-control-request-method": "PUT",
      "access-control-request-headers": "x-api-key,content-type,x-trace",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(await preflight.text(), "");
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.equal(preflight.headers.get("access-control-allow-methods"), "GET, PUT, POST, DELETE, OPTIONS");
  assert.equal(preflight.headers.get("access-control-allow-headers"), "x-api-key,content-type,x-trace");
  assert.equal(preflight.headers.get("access-control-max-age"), "600");
  assert.equal(UUID.test(preflight.headers.get("x-request-id")), true);

  const bare = await fetch(`${emulator.url}/api/v2/public/session-token`, { method: "OPTIONS" });
  assert.equal(bare.status, 204);
  assert.equal(bare.headers.get("access-control-allow-headers"), "x-api-key, authorization, content-type");

  for (const response of [await call("GET", ACCOUNTS), await call("GET", ACCOUNTS, { key: null })]) {
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("access-control-expose-headers"), "x-request-id, retry-after");
  }
});
