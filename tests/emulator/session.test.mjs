// Session tokens: issuing, reuse, Bearer auth on upsert/get/active-linked-account, revocation on delete.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { DEFAULT_PRODUCTION_KEY, DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import { ACCOUNTS, assertApiError, request } from "./helpers.mjs";

const SESSION_TOKEN = "/api/v2/public/session-token";
const ACTIVE_ACCOUNT = "/api/v2/public/session/active-linked-account";
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

let emulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" });
  await call("PUT", ACCOUNTS, { body: { linked_account_id: "user-1", name: "User One" } });
  await call("PUT", ACCOUNTS, { body: { linked_account_id: "user-2", name: "User Two" } });
});

const call = (method, path, options) => request(emulator.url, method, path, options);
const issue = async (accountId, { key, query = "" } = {}) =>
  (await call("POST", `${SESSION_TOKEN}${query}`, { key, body: { linked_account_id: accountId } })).json;
const asToken = (token) => ({ key: null, token });

const mismatch = [403, "FORBIDDEN", "FORBIDDEN", "linked_account_id does not match the session token"];
const invalidCredentials = [401, "UNAUTHORIZED", "SERVER_ERROR", "Invalid Credentials"];

test("issues a JWT-shaped token pair with the documented lifetimes", async () => {
  const response = await call("POST", SESSION_TOKEN, { body: { linked_account_id: "user-1" } });
  assert.equal(response.status, 200);
  assert.deepEqual(Object.keys(response.json), ["token", "refresh_token", "expires_in", "refresh_expires_in"]);
  assert.equal(JWT_SHAPE.test(response.json.token), true);
  assert.equal(JWT_SHAPE.test(response.json.refresh_token), true);
  assert.notEqual(response.json.token, response.json.refresh_token);
  assert.equal(response.json.expires_in, 86400);
  assert.equal(response.json.refresh_expires_in, 604800);

  const claims = JSON.parse(Buffer.from(response.json.token.split(".")[1], "base64url").toString());
  assert.equal(claims.linked_account_id, "user-1");
  assert.equal(claims.environment, "test");
  assert.equal(claims.exp - claims.iat, 86400);
});

test("reuses a valid token unless force_refresh=true", async () => {
  const first = await issue("user-1");
  assert.equal((await issue("user-1")).token, first.token);
  const refreshed = await issue("user-1", { query: "?force_refresh=true" });
  assert.notEqual(refreshed.token, first.token);
  assert.equal((await issue("user-1")).token, refreshed.token);
  assert.notEqual((await issue("user-2")).token, refreshed.token);
});

test("400 for a missing or unknown linked_account_id", async () => {
  assertApiError(
    await call("POST", SESSION_TOKEN, { body: { linked_account_id: "nobody" } }),
    400,
    "BAD_REQUEST",
    "INVALID_LINKED_ACCOUNT_ID",
    "Invalid linked_account_id",
  );
  assertApiError(
    await call("POST", SESSION_TOKEN, { body: {} }),
    400,
    "BAD_REQUEST",
    "INVALID_LINKED_ACCOUNT_ID",
    "linked_account_id required",
  );
  assertApiError(
    await call("POST", SESSION_TOKEN, { body: { linked_account_id: "user-1" }, key: DEFAULT_PRODUCTION_KEY }),
    400,
    "BAD_REQUEST",
    "INVALID_LINKED_ACCOUNT_ID",
    "Invalid linked_account_id",
  );
});

test("Bearer upsert updates the token account; the body id may be omitted but must match", async () => {
  const { token } = await issue("user-1");

  const withoutId = await call("PUT", ACCOUNTS, {
    ...asToken(token),
    body: { name: "Renamed", udf: { tier: "gold" } },
  });
  assert.equal(withoutId.status, 200);
  assert.equal(withoutId.json.account_id, "user-1");
  assert.equal(withoutId.json.name, "Renamed");
  assert.equal(withoutId.json.__v, 1);
  assert.equal(withoutId.json.new_account, false);

  const withId = await call("PUT", ACCOUNTS, {
    ...asToken(token),
    body: { linked_account_id: "user-1", name: "Again" },
  });
  assert.equal(withId.json.__v, 2);

  assertApiError(
    await call("PUT", ACCOUNTS, { ...asToken(token), body: { linked_account_id: "user-2" } }),
    ...mismatch,
  );
  assert.equal((await call("GET", `${ACCOUNTS}/user-2`)).json.name, "User Two");
});

test("Bearer reads only its own account", async () => {
  const { token } = await issue("user-1");
  const own = await call("GET", `${ACCOUNTS}/user-1`, asToken(token));
  assert.equal(own.status, 200);
  assert.equal(own.json.account_id, "user-1");
  assertApiError(await call("GET", `${ACCOUNTS}/user-2`, asToken(token)), ...mismatch);

  const active = await call("GET", ACTIVE_ACCOUNT, asToken(token));
  assert.equal(active.status, 200);
  assert.deepEqual(active.json, own.json);
});

test("API-key-only and Bearer-only endpoints refuse the other credential", async () => {
  const { token } = await issue("user-1");
  const needsKey = [
    403,
    "FORBIDDEN",
    "FORBIDDEN",
    "This endpoint needs an API key (x-api-key); session tokens are not accepted",
  ];
  assertApiError(await call("GET", ACCOUNTS, asToken(token)), ...needsKey);
  assertApiError(await call("POST", ACCOUNTS, { ...asToken(token), body: { linked_account_id: "x" } }), ...needsKey);
  assertApiError(await call("DELETE", `${ACCOUNTS}/user-1`, asToken(token)), ...needsKey);
  assertApiError(
    await call("POST", SESSION_TOKEN, { ...asToken(token), body: { linked_account_id: "user-1" } }),
    ...needsKey,
  );
  assertApiError(
    await call("GET", ACTIVE_ACCOUNT),
    403,
    "FORBIDDEN",
    "FORBIDDEN",
    "This endpoint needs a session token (Authorization: Bearer)",
  );
  assertApiError(await call("GET", ACTIVE_ACCOUNT, { key: null }), ...invalidCredentials);
});

test("a production token acts in production", async () => {
  await call("PUT", ACCOUNTS, { key: DEFAULT_PRODUCTION_KEY, body: { linked_account_id: "user-1", name: "Prod" } });
  const { token } = await issue("user-1", { key: DEFAULT_PRODUCTION_KEY });
  const updated = await call("PUT", ACCOUNTS, { ...asToken(token), body: { udf: { live: true } } });
  assert.equal(updated.json.environment, "production");
  assert.equal(updated.json.name, "Prod");
  assert.deepEqual((await call("GET", `${ACCOUNTS}/user-1`)).json.udf, []);
});

test("deleting the account revokes its tokens", async () => {
  const first = await issue("user-1");
  const second = await issue("user-1", { query: "?force_refresh=true" });
  const other = await issue("user-2");

  assert.deepEqual((await call("DELETE", `${ACCOUNTS}/user-1`)).json, { message: "User deleted successfully" });
  assertApiError(await call("GET", ACTIVE_ACCOUNT, asToken(first.token)), ...invalidCredentials);
  assertApiError(await call("GET", ACTIVE_ACCOUNT, asToken(second.token)), ...invalidCredentials);
  assertApiError(
    await call("PUT", ACCOUNTS, { ...asToken(second.token), body: { name: "ghost" } }),
    ...invalidCredentials,
  );
  assert.equal((await call("GET", `${ACCOUNTS}/user-1`)).status, 404);
  assert.equal((await call("GET", ACTIVE_ACCOUNT, asToken(other.token))).json.account_id, "user-2");
});
