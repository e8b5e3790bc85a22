// Property test across the JS boundary: random JS values through validateUpsertLinkedAccount
// and upsertLinkedAccount. Each call returns issues or a typed error — never a trap, a throw or
// a hang — and the issues agree with an independent oracle of the request rules
// (docs/contract.md, Request rules).
//
// PROPERTY_RUNS sets the count (CI runs 20 000; `PROPERTY_RUNS=100000 node --test
// tests/js/property.test.mjs` runs the full 100 000), PROPERTY_SEED replays a failure.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import vm from "node:vm";

import { emulator, sdk, DEFAULT_TEST_KEY } from "./helpers.mjs";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 20000);
const SEED = Number(process.env.PROPERTY_SEED ?? 4242);

let emu;
before(async () => {
  emu = await emulator();
});
after(() => emu.close());

// ---- the oracle: the request rules written again, independently, in plain JS ---------------

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const isPlain = (v) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  if (v instanceof Map || v instanceof Set || v instanceof Date || v instanceof Headers || v instanceof AbortSignal) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
};
const wellFormed = (s) => s.isWellFormed();
const blank = (s) => s.trim() === "";
const present = (o) => Object.keys(o).filter((k) => o[k] !== undefined);

function oracle(request) {
  const issues = [];
  const add = (path, code) => issues.push(JSON.stringify([path, code]));
  const string = (v, path) => {
    if (typeof v !== "string") add(path, "invalid_type");
    else if (!wellFormed(v)) add(path, "invalid_string");
    else return v;
    return undefined;
  };
  if (!isPlain(request)) {
    add([], "invalid_type");
    return issues.sort();
  }
  let sawId = false;
  for (const key of present(request)) {
    const value = request[key];
    if (!wellFormed(key)) add([], "invalid_string");
    else if (key === "linked_account_id") {
      sawId = true;
      const id = string(value, [key]);
      if (id !== undefined) {
        if (blank(id)) add([key], "too_small");
        if (CONTROL.test(id)) add([key], "invalid_string");
      }
    } else if (key === "name") string(value, [key]);
    else if (key === "your_app") yourApp(value, add, string);
    else if (key === "udf") udf(value, add);
    else add([key], "unrecognized_key");
  }
  if (!sawId) add(["linked_account_id"], "required");
  return issues.sort();
}

function yourApp(app, add, string) {
  if (!isPlain(app)) return add(["your_app"], "invalid_type");
  let sawCredentials = false;
  for (const key of present(app)) {
    if (!wellFormed(key)) add(["your_app"], "invalid_string");
    else if (key === "auth_credentials") {
      sawCredentials = true;
      credentials(app[key], add);
    } else if (key === "app_id") {
      const id = string(app[key], ["your_app", "app_id"]);
      if (id !== undefined && blank(id)) add(["your_app", "app_id"], "too_small");
    } else add(["your_app", key], "unrecognized_key");
  }
  if (!sawCredentials) add(["your_app", "auth_credentials"], "required");
}

function credentials(creds, add) {
  const base = ["your_app", "auth_credentials"];
  if (!isPlain(creds)) return add(base, "invalid_type");
  const keys = present(creds);
  if (keys.length === 0) return add(base, "too_small");
  const seen = [];
  const lower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  for (const key of keys) {
    if (!wellFormed(key)) {
      add(base, "invalid_string");
      continue;
    }
    const path = [...base, key];
    if (blank(key)) add(path, "too_small");
    else if (seen.some((k) => lower(k) === lower(key))) add(path, "duplicate_key");
    seen.push(key);
    const value = creds[key];
    if (typeof value !== "string") add(path, "invalid_type");
    else if (!wellFormed(value)) add(path, "invalid_string");
  }
}

function udf(map, add) {
  if (!isPlain(map)) return add(["udf"], "invalid_type");
  for (const key of present(map)) {
    if (!wellFormed(key)) {
      add(["udf"], "invalid_string");
      continue;
    }
    const path = ["udf", key];
    if (blank(key)) add(path, "too_small");
    const value = map[key];
    if (typeof value === "string") {
      if (!wellFormed(value)) add(path, "invalid_string");
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) add(path, "not_finite");
    } else if (typeof value !== "boolean" && value !== null) add(path, "invalid_type");
  }
}

// ---- generators ---------------------------------------------------------------------------

const lone = fc.constantFrom("\ud800", "a\udc00b", "\udfff", "x\ud83d");
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("", " ", "   ", "\t\n", "\u00a0\ufeff", "a\u0000b", "x\u0085", "\u009f", "markwood@some_email.com", "Ünïcødé 🎉"),
  lone,
  fc.integer({ min: 0, max: 3 }).map((n) => "x".repeat(10 ** (n + 3))),
);
const key = fc.oneof(
  fc.constantFrom("linked_account_id", "name", "your_app", "udf", "auth_credentials", "app_id", "__proto__", "constructor", "linkedAccountId", "toString", "", " ", "X-Api-Key", "x-api-key", "X-API-KEY", "0", "1"),
  fc.string({ maxLength: 12 }),
  lone,
);
const leaf = fc.oneof(
  oddString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constantFrom(Symbol("s"), () => 1, new Date(0), new Map([["linked_account_id", "x"]]), new Set(), new Headers(), new AbortController().signal, Object.create(null), new (class Account {})(), new Uint8Array(2), new String("boxed")),
);
const { value: anything } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(key, tie("value"), { maxKeys: 5 })),
}));
const maybe = (arb) => fc.option(arb, { nil: undefined, freq: 3 });
const nearValid = fc.record(
  {
    linked_account_id: fc.oneof(fc.string({ minLength: 1 }), oddString, leaf),
    name: maybe(fc.oneof(fc.string(), leaf)),
    your_app: maybe(
      fc.oneof(
        fc.record({ auth_credentials: fc.oneof(fc.dictionary(key, fc.oneof(fc.string(), leaf), { maxKeys: 4 }), leaf), app_id: maybe(fc.oneof(fc.string(), leaf)) }, { requiredKeys: [] }),
        leaf,
      ),
    ),
    udf: maybe(fc.oneof(fc.dictionary(key, leaf, { maxKeys: 6 }), leaf)),
    extra: maybe(anything),
  },
  { requiredKeys: [] },
).map(({ extra, ...request }) => (extra === undefined ? request : { ...request, linkedAccountId: extra }));
const goodKey = fc.stringMatching(/^[A-Za-z][\w-]{0,15}$/);
const valid = fc.record(
  {
    linked_account_id: fc.stringMatching(/^[\w.+-]{1,30}@example\.com$/),
    name: maybe(fc.string()),
    your_app: maybe(fc.record({ auth_credentials: fc.dictionary(goodKey, fc.string(), { minKeys: 1, maxKeys: 4 }), app_id: maybe(goodKey) }, { requiredKeys: ["auth_credentials"] })),
    udf: maybe(fc.dictionary(goodKey, fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)), { maxKeys: 6 })),
  },
  { requiredKeys: ["linked_account_id"] },
);
const input = fc.oneof({ weight: 2, arbitrary: nearValid }, { weight: 2, arbitrary: valid }, { weight: 1, arbitrary: anything });

const ours = (issues) => issues.map((i) => JSON.stringify([i.path, i.code])).sort();

// ---- the properties -----------------------------------------------------------------------

test(`validateUpsertLinkedAccount agrees with the oracle on ${RUNS} random values`, () => {
  let valid = 0;
  fc.assert(
    fc.property(input, (request) => {
      const issues = sdk.validateUpsertLinkedAccount(request);
      assert.ok(Array.isArray(issues));
      for (const issue of issues) {
        assert.equal(typeof issue.message, "string");
        assert.ok(issue.message.length > 0);
      }
      assert.deepEqual(ours(issues), oracle(request));
      if (issues.length === 0) valid++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  console.log(`validate: ${RUNS} values, ${valid} valid`);
  assert.ok(valid > RUNS / 5, `only ${valid} valid requests were generated`);
});

// The same value with every plain object of this realm made in another realm (an iframe's, a
// vm context's): such objects are plain too, and must give exactly the same issues.
const otherRealm = vm.createContext();
const foreignObject = vm.runInContext("() => ({})", otherRealm);
function viaSlowPath(value) {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy = foreignObject();
  for (const k of Object.keys(value)) {
    Object.defineProperty(copy, k, { value: viaSlowPath(value[k]), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

test(`plain objects from another realm give the same issues on ${RUNS} random values`, () => {
  let copied = 0;
  fc.assert(
    fc.property(input, (request) => {
      const copy = viaSlowPath(request);
      if (copy !== request) copied++;
      assert.deepEqual(sdk.validateUpsertLinkedAccount(copy), sdk.validateUpsertLinkedAccount(request));
    }),
    { numRuns: RUNS, seed: SEED },
  );
  console.log(`realms: ${RUNS} values, ${copied} compared across realms`);
  assert.ok(copied > RUNS / 2, `only ${copied} plain values were generated`);
});

test(`upsertLinkedAccount gives an account or a typed error on ${RUNS} random values`, async () => {
  const options = { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url, maxRetries: 0 };
  const counts = { sent: 0, rejected: 0 };
  await fc.assert(
    fc.asyncProperty(input, async (request) => {
      const expected = oracle(request);
      const outcome = await sdk.upsertLinkedAccount(request, options).then(
        (account) => ({ account }),
        (error) => ({ error }),
      );
      if (expected.length === 0) {
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(outcome.account.account_id, request.linked_account_id);
        counts.sent++;
      } else {
        assert.ok(sdk.isLinkedAccountError(outcome.error), String(outcome.error));
        assert.equal(outcome.error.code, "VALIDATION_FAILED");
        assert.deepEqual(ours(outcome.error.issues), expected);
        counts.rejected++;
      }
    }),
    { numRuns: RUNS, seed: SEED + 1 },
  );
  console.log(`upsert: ${counts.sent} sent and stored, ${counts.rejected} rejected before sending`);
});

test("10 000-level nesting anywhere → issues, no stack overflow", async () => {
  let deep = "bottom";
  for (let i = 0; i < 10000; i++) deep = i % 2 ? { [`k${i}`]: deep } : [deep];
  const requests = [
    deep,
    { linked_account_id: deep },
    { linked_account_id: "a", udf: { deep } },
    { linked_account_id: "a", your_app: { auth_credentials: { deep } } },
    { linked_account_id: "a", deep },
  ];
  for (const request of requests) {
    const issues = sdk.validateUpsertLinkedAccount(request);
    assert.deepEqual(ours(issues), oracle(request));
    const error = await sdk.upsertLinkedAccount(request, { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url }).catch((e) => e);
    assert.equal(error.code, "VALIDATION_FAILED");
  }
});

test("__proto__ and constructor keys stay ordinary keys end to end", async () => {
  // An id the generators above cannot produce (they use @example.com), so no earlier random
  // upsert has touched this account.
  const request = JSON.parse('{"linked_account_id":"proto@example.org","udf":{"__proto__":"polluted?","constructor":"c","toString":"t"}}');
  assert.deepEqual(sdk.validateUpsertLinkedAccount(request), []);
  const account = await sdk.upsertLinkedAccount(request, { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url });
  assert.deepEqual(account.udf.map((e) => [e.key_name, e.key_value]), [["__proto__", "polluted?"], ["constructor", "c"], ["toString", "t"]]);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.toString.call({}), "[object Object]");
});
