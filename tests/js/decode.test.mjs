// What a response may and may not be (docs/contract.md, Errors): the typed check of a 2xx body,
// charsets, maxResponseBytes (also against a gzip body that inflates far past it), and secrets
// echoed in every encoding, or in a body too deep to write again. Each against a real server
// on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { inspect } from "node:util";
import { createGzip } from "node:zlib";

import { emulator, caseOptions, sdk, DEFAULT_TEST_KEY, CREDENTIAL, uniqueId, seedRequest, rejection, assertNoSecrets } from "./helpers.mjs";

let emu;
before(async () => {
  emu = await emulator();
});
after(() => emu.close());

const options = (testCase, extra) => caseOptions(emu.url, testCase, extra);

const account = (extra = {}) => ({
  _id: "63cabcc596d0d10508a69bdf",
  account_id: "typed@example.com",
  environment: "test",
  udf: [{ key_name: "plan", key_value: "pro", _id: "64d5d69bfb78da0950f5e18f", createdAt: "2023-08-11T06:35:07.574Z", updatedAt: "2023-08-11T06:35:07.574Z" }],
  createdAt: "2023-01-20T16:09:41.700Z",
  updatedAt: "2023-08-11T06:35:07.574Z",
  __v: 3,
  ...extra,
});

for (const [name, body] of [
  ["udf is an object", account({ udf: { plan: "pro" } })],
  ["udf is missing", account({ udf: undefined })],
  ["udf is null", account({ udf: null })],
  ["__v is missing", account({ __v: undefined })],
  ["a udf entry has a number key_name", account({ udf: [{ ...account().udf[0], key_name: 7 }] })],
  ["a udf entry's key_value is an object", account({ udf: [{ ...account().udf[0], key_value: { a: 1 } }] })],
  ["__v is negative", account({ __v: -1 })],
  ["__v is a fraction", account({ __v: 1.5 })],
  ["__v is a string", account({ __v: "3" })],
  ["environment is a number", account({ environment: 1 })],
]) {
  test(`a 2xx whose ${name} is DECODE_ERROR, not retried`, async () => {
    await emu.faults({ status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("typed")), options("typed")), "DECODE_ERROR");
    assert.equal(error.status, 200);
    assert.equal(error.attempts, 1);
    assert.equal(error.retryable, false);
    assert.equal(error.rawBody, JSON.stringify(body));
    assert.match(error.message, /not a linked account \(udf must be an array of entries, __v a non-negative integer/);
  });
}

test("a 2xx with every typed field right, unknown fields and absent optional ones, is the account as sent", async () => {
  const body = account({ name: undefined, is_seed: false, integrations: [{ slug: "x" }], scope: null, environment: null });
  delete body.createdAt;
  await emu.faults({ status: 201, body: JSON.stringify(body) });
  const got = await sdk.upsertLinkedAccount(seedRequest(uniqueId("typed-ok")), options("typed-ok"));
  assert.deepEqual(got, JSON.parse(JSON.stringify(body)));
});

test("a 2xx labelled with a charset other than UTF-8 is DECODE_ERROR naming it; UTF-8 in any spelling passes", async () => {
  const body = JSON.stringify(account({ name: "Zoë" }));
  await emu.faults({ status: 200, headers: { "content-type": "application/json; charset=ISO-8859-1" }, body });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("cs")), options("cs")), "DECODE_ERROR");
  assert.match(error.message, /the body is in charset ISO-8859-1, not UTF-8/);
  assert.equal(error.attempts, 1);
  for (const type of ["application/json; charset=utf-8", 'application/json;charset="UTF-8"', "application/json"]) {
    await emu.faults({ status: 200, headers: { "content-type": type }, body });
    const got = await sdk.upsertLinkedAccount(seedRequest(uniqueId("cs")), options("cs"));
    assert.equal(got.name, "Zoë", type);
  }
});

test("a body longer than maxResponseBytes: a 2xx is DECODE_ERROR, a 502 is HTTP_ERROR with what was read; neither retried", async () => {
  const big = JSON.stringify(account({ pad: "p".repeat(5000) }));
  await emu.faults({ status: 200, body: big });
  const decode = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("cap")), options("cap", { maxResponseBytes: 2048 })),
    "DECODE_ERROR",
  );
  assert.match(decode.message, /longer than maxResponseBytes/);
  assert.equal(decode.attempts, 1);
  assert.equal(decode.rawBody, big.slice(0, 1024));
  await emu.faults({ status: 502, body: big, count: 3 });
  const http = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("cap")), options("cap-502", { maxResponseBytes: 2048, maxRetries: 2 })),
    "HTTP_ERROR",
  );
  assert.equal(http.status, 502);
  assert.equal(http.attempts, 1);
  assert.equal(http.retryable, false);
  assert.equal(http.body, null);
  assert.equal(http.rawBody, big.slice(0, 1024));
  assert.equal((await emu.requests("cap-502")).length, 1);
  await emu.clearFaults();
  // The same body under the default limit (10 MiB) is an account.
  await emu.faults({ status: 200, body: big });
  assert.equal((await sdk.upsertLinkedAccount(seedRequest(uniqueId("cap")), options("cap"))).pad.length, 5000);
});

test("a gzip body that inflates to 512 MiB stops at maxResponseBytes: memory stays bounded", async () => {
  // About 0.5 MB of gzip, made once, streamed from a plain server on 127.0.0.1.
  const chunks = [];
  const gzip = createGzip({ level: 1 });
  gzip.on("data", (c) => chunks.push(c));
  const done = new Promise((resolve) => gzip.on("end", resolve));
  const zeros = Buffer.alloc(1 << 20, 0x20);
  gzip.write('{"_id":"a","account_id":"b","pad":"');
  for (let i = 0; i < 512; i++) gzip.write(zeros);
  gzip.end('"}');
  await done;
  const bomb = Buffer.concat(chunks);
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(bomb);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const baseUrl = `http://127.0.0.1:${server.address().port}`;
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    const error = await rejection(
      sdk.upsertLinkedAccount(seedRequest(uniqueId("bomb")), { apiKey: DEFAULT_TEST_KEY, baseUrl, maxRetries: 2 }),
      "DECODE_ERROR",
    );
    const grown = process.memoryUsage().rss - before;
    assert.match(error.message, /longer than maxResponseBytes/);
    assert.equal(error.attempts, 1);
    // The default limit is 10 MiB; 512 MiB inflated would show far above this bound.
    assert.ok(grown < 96 * 1024 * 1024, `RSS grew by ${grown} bytes`);
    console.log(`# gzip of ${bomb.length} B (512 MiB inflated): RSS grew by ${grown} B`);
  } finally {
    server.close();
  }
});

// The options' API key, echoed by a server in every way it could be written.
const KEY = DEFAULT_TEST_KEY;
const encodings = {
  "HTML numeric entities": (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(""),
  "HTML hex entities, in part": (s) => s.replace(/[a-f]/g, (c) => `&#x${c.codePointAt(0).toString(16)};`),
  "percent-encoded": (s) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""),
  "percent-encoded, in part, upper case": (s) => s.replace(/-/g, "%2D"),
};
for (const [name, encode] of Object.entries(encodings)) {
  test(`a secret echoed ${name} is redacted in message, rawBody, body, inspect and JSON`, async () => {
    const echoed = `bad key ${encode(KEY)} and credential ${encode(CREDENTIAL)}`;
    await emu.faults({ status: 400, body: JSON.stringify({ message: echoed, request_id: "r-enc" }) });
    const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("enc")), options("enc")), "HTTP_ERROR");
    assert.equal(error.body.message, "bad key [redacted] and credential [redacted]");
    assert.match(error.message, /bad key \[redacted\] and credential \[redacted\]/);
    for (const view of [error.message, error.rawBody, JSON.stringify(error), inspect(error, { depth: null })]) {
      for (const secret of [KEY, CREDENTIAL, encode(KEY), encode(CREDENTIAL)]) assert.ok(!view.includes(secret), view.slice(0, 300));
    }
  });
}

test("an error body too deep to write again keeps no secret: body is null, JSON.stringify(error) does not throw", async () => {
  const depth = 20_000;
  // The secrets come after the first 1 MiB of text, where only the parsed body still has them.
  const text = `${'{"a":'.repeat(depth)}"${"x".repeat(1_100_000)} key ${KEY} cred ${CREDENTIAL}"${"}".repeat(depth)}`;
  await emu.faults({ status: 400, body: text });
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("deep")), options("deep")), "HTTP_ERROR");
  assert.equal(error.body, null);
  assert.equal(error.rawBody.length, 1024);
  const json = JSON.stringify(error);
  for (const view of [json, error.message, error.rawBody, inspect(error, { depth: null })]) {
    assert.ok(!view.includes(KEY) && !view.includes(CREDENTIAL));
  }
});

test("no error of this file shows a secret", () => {
  assertNoSecrets([KEY, CREDENTIAL]);
});

test("a custom fetch's Response.error() is NETWORK_ERROR, retried", async () => {
  let calls = 0;
  const fetch = () => (++calls, Response.error());
  const error = await rejection(sdk.upsertLinkedAccount(seedRequest(uniqueId("rerr")), options("rerr", { fetch, maxRetries: 1 })), "NETWORK_ERROR");
  assert.equal(error.retryable, true);
  assert.equal(error.attempts, 2);
  assert.equal(calls, 2);
});

test("a body stream that answers every read at once still times out; one that yields strings is NETWORK_ERROR", async () => {
  const endless = () =>
    new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(0)) }), { status: 200 });
  const started = performance.now();
  const timeout = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("chunks")), options("chunks", { fetch: endless, timeoutMs: 200, maxRetries: 0 })),
    "TIMEOUT",
  );
  assert.equal(timeout.timeoutMs, 200);
  assert.ok(performance.now() - started < 5000);
  const strings = () => new Response(new ReadableStream({ start: (c) => (c.enqueue("{}"), c.close()) }), { status: 200 });
  const network = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("chunks")), options("chunks", { fetch: strings, maxRetries: 0 })),
    "NETWORK_ERROR",
  );
  assert.match(network.message, /a chunk that is not bytes/);
});

test("a custom fetch that rejects with undefined keeps cause undefined", async () => {
  const error = await rejection(
    sdk.upsertLinkedAccount(seedRequest(uniqueId("undef")), options("undef", { fetch: () => Promise.reject(undefined), maxRetries: 0 })),
    "NETWORK_ERROR",
  );
  assert.equal(error.cause, undefined);
  assert.equal("cause" in error, false);
});

test("isLinkedAccountError recognizes an error from another realm; only Object.prototype or null makes an object plain", async () => {
  const { runInNewContext } = await import("node:vm");
  const foreign = runInNewContext('Object.assign(new Error("x"), { name: "LinkedAccountError", code: "TIMEOUT" })');
  assert.equal(foreign instanceof Error, false);
  assert.equal(sdk.isLinkedAccountError(foreign), true);
  assert.equal(sdk.isLinkedAccountError({ name: "LinkedAccountError", code: "TIMEOUT", message: "" }), false);
  // A plain object of another realm is plain; these are not.
  assert.deepEqual(sdk.validateUpsertLinkedAccount(runInNewContext('({ linked_account_id: "vm@example.com" })')), []);
  class Null extends null {}
  for (const value of [Object.create(Object.create(null)), Object.create(Null.prototype)]) {
    value.linked_account_id = "x";
    assert.deepEqual(
      sdk.validateUpsertLinkedAccount(value).map((i) => [i.path, i.code, i.message]),
      [[[], "invalid_type", "expected a plain object, received class instance"]],
    );
  }
});
