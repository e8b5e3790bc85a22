// The built package (pkg/) from Node: ESM and CommonJS entry points against the emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

import { startEmulator, DEFAULT_TEST_KEY } from "../../pkg/emulator.mjs";
import * as esm from "../../pkg/index.node.mjs";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/index.cjs");

let emulator;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
});
after(() => emulator.close());

const seed = (id, value = "some data 1") => ({
  linked_account_id: id,
  name: "Mark Wood",
  your_app: { auth_credentials: { "x-api-key": "cred-7c1d", "base-url": "https://api.example.com" } },
  udf: { some_key1: value, some_key2: "some data 2", some_key3: "some data 3" },
});

test("ESM and CommonJS export exactly the public API", () => {
  const api = [
    "LinkedAccountError",
    "allLinkedAccounts",
    "createSessionToken",
    "deleteLinkedAccount",
    "getLinkedAccount",
    "isLinkedAccountError",
    "listLinkedAccounts",
    "upsertLinkedAccount",
    "validateUpsertLinkedAccount",
  ];
  assert.deepEqual(Object.keys(esm).sort(), api);
  assert.deepEqual(Object.keys(cjs).sort(), api);
});

for (const [name, sdk] of [["ESM", esm], ["CommonJS", cjs]]) {
  test(`${name}: create then update returns the server's account`, async () => {
    const id = `pkg-${name}-${Date.now()}@example.com`;
    const options = { apiKey: DEFAULT_TEST_KEY, baseUrl: emulator.url };
    const created = await sdk.upsertLinkedAccount(seed(id), options);
    assert.equal(Object.getPrototypeOf(created), Object.prototype);
    assert.deepEqual(JSON.parse(JSON.stringify(created)), created);
    assert.equal(created.account_id, id);
    assert.equal(created.__v, 0);
    assert.deepEqual(
      created.udf.map((e) => [e.key_name, e.key_value]),
      [["some_key1", "some data 1"], ["some_key2", "some data 2"], ["some_key3", "some data 3"]],
    );
    const updated = await sdk.upsertLinkedAccount(seed(id, "Updated Value"), options);
    assert.equal(updated.__v, 1);
    assert.equal(updated.udf[0].key_value, "Updated Value");
    assert.equal(updated.createdAt, created.createdAt);
  });

  test(`${name}: typed errors and validation`, async () => {
    assert.deepEqual(sdk.validateUpsertLinkedAccount(seed("x")), []);
    assert.deepEqual(sdk.validateUpsertLinkedAccount({ linked_account_id: "x", udf: { n: Infinity } }), [
      { path: ["udf", "n"], code: "not_finite", message: "udf numbers must be finite: NaN and ±Infinity cannot be sent as JSON" },
    ]);
    const error = await sdk
      .upsertLinkedAccount(seed("e@example.com"), { apiKey: "tk-not-a-key", baseUrl: emulator.url })
      .then(() => assert.fail("expected a rejection"), (e) => e);
    assert.ok(error instanceof Error);
    assert.ok(sdk.isLinkedAccountError(error));
    assert.equal(error.name, "LinkedAccountError");
    assert.equal(error.code, "HTTP_ERROR");
    assert.equal(error.status, 401);
    assert.equal(error.httpErrorType, "UNAUTHORIZED");
    assert.equal(error.requestId, error.body.request_id);
    assert.ok(!JSON.stringify(error).includes("tk-not-a-key"));
    assert.ok(!String(error).includes("tk-not-a-key"));
  });
}

test("never throws synchronously, whatever it is given", async () => {
  for (const args of [[], [null, null], [Symbol("s"), 1], [new Map(), new Set()], [{}, { fetch: 1 }]]) {
    let promise;
    assert.doesNotThrow(() => {
      promise = esm.upsertLinkedAccount(...args);
    });
    const error = await promise.then(() => null, (e) => e);
    assert.ok(esm.isLinkedAccountError(error), String(error));
  }
});
