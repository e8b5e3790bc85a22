// Hostile traffic: large unauthenticated bodies cost no memory, another web page or a foreign
// Host cannot drive the control plane, deep bodies are a 400 and never break a control-plane
// read, --data loses nothing it acknowledged, and its temporary file is never a planted symlink.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import { ACCOUNTS, LISTENING, asReadOne, assertApiError, rawRequest, request, runCli } from "./helpers.mjs";

const MiB = 1024 * 1024;
// The documented bounds (EMULATOR.md, "Limits").
const LOG_MAX_BYTES = 8 * MiB;
const LOG_BODY_MAX_BYTES = 64 * 1024;
const MAX_JSON_DEPTH = 32;
// The emulator's peak resident memory after the flood below. Node itself starts at about 50 MiB;
// the old emulator, which kept every body in its log, passed 1 GiB.
const PEAK_RSS_BOUND = 160 * MiB;

let emulator;
let directory;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  directory = await mkdtemp(join(tmpdir(), "refold-emulator-hardening-"));
});
after(async () => {
  await emulator.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => control("POST", "/reset"));

const call = (method, path, options) => request(emulator.url, method, path, options);
const control = (method, path, body) => call(method, `/__emulator${path}`, { key: null, body });
const raw = (method, path, options) => rawRequest(emulator.url, method, path, options);
const port = () => new URL(emulator.url).port;

/** JSON text nesting `depth` arrays: `[[[…]]]`. */
const nested = (depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

function assertNoCors(response) {
  for (const name of ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"]) {
    assert.equal(response.headers.get(name), null, name);
  }
}

const DEEP_MESSAGE = `Request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`;
const CROSS_ORIGIN_MESSAGE =
  "The control plane answers only requests from its own origin or from outside a browser " +
  "(start the emulator with --allow-origin to allow a web page)";
const hostMessage = (host) =>
  `Host "${host}" is refused: only loopback names and addresses are served ` +
  `(start the emulator with --allow-host ${host} to allow it)`;

// ---------------------------------------------------------------------------------------------
// Memory

// Peak resident memory (VmHWM) of a process, from Linux's /proc.
function peakRss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)[1]) * 1024;
}

test(
  "bounded memory: 100 large unauthenticated bodies keep the emulator's peak RSS under 160 MiB",
  { skip: process.platform !== "linux" && "reads /proc" },
  async (t) => {
    const { child, firstLine, exited } = runCli(["--port", "0"]);
    const [, url] = LISTENING.exec(await firstLine);
    try {
      const atStart = peakRss(child.pid);
      const json = Buffer.from(JSON.stringify({ linked_account_id: "big", name: "x".repeat(9 * MiB) }));
      const text = Buffer.alloc(9 * MiB + 512 * 1024, "y");
      const oversized = Buffer.alloc(10 * MiB + 1, "z");
      const kinds = [
        { method: "PUT", path: ACCOUNTS, headers: { "content-type": "application/json" }, body: json, status: 401 },
        { method: "PUT", path: ACCOUNTS, headers: { "x-api-key": "tk-wrong" }, body: json, status: 401 },
        { method: "POST", path: "/nowhere", headers: {}, body: text, status: 404 },
        { method: "PUT", path: ACCOUNTS, headers: { "x-api-key": DEFAULT_TEST_KEY }, body: oversized, status: 413 },
      ];
      const total = 100;
      const statuses = [];
      let next = 0;
      const sender = async () => {
        while (next < total) {
          const index = next++;
          const { method, path, headers, body, status } = kinds[index % kinds.length];
          const response = await fetch(`${url}${path}`, { method, headers, body });
          await response.arrayBuffer();
          statuses.push([index, response.status, status]);
        }
      };
      await Promise.all(Array.from({ length: 4 }, sender));
      const peak = peakRss(child.pid);
      const mib = (bytes) => (bytes / MiB).toFixed(1);
      t.diagnostic(`emulator peak RSS: ${mib(atStart)} MiB at start, ${mib(peak)} MiB after`);

      for (const [index, status, expected] of statuses) assert.equal(status, expected, `request ${index}`);
      assert.equal(peak < PEAK_RSS_BOUND, true, `peak RSS ${mib(peak)} MiB`);
      // Every request is logged, none with its body, each with its size.
      const log = await (await fetch(`${url}/__emulator/requests`)).json();
      assert.equal(log.length, total);
      assert.equal(log.every((entry) => entry.body === null), true);
      const sizes = (list) => list.sort((a, b) => a - b);
      assert.deepEqual(
        sizes(log.map((entry) => entry.bodyBytes)),
        sizes(Array.from({ length: total }, (_, index) => kinds[index % kinds.length].body.length)),
      );
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  },
);

test("the request log holds at most 8 MiB of JSON, oldest dropped first; bodies over 64 KiB are not kept", async () => {
  const entryBody = JSON.stringify({ note: "n".repeat(60 * 1024) });
  for (let i = 0; i < 200; i += 1) {
    assert.equal((await call("POST", "/nowhere", { key: null, body: entryBody })).status, 404);
  }
  const response = await control("GET", "/requests");
  const log = response.json;
  assert.equal(Buffer.byteLength(response.text) <= LOG_MAX_BYTES, true, `${Buffer.byteLength(response.text)} bytes`);
  // Only as many entries as needed were dropped, the oldest first.
  assert.equal(Buffer.byteLength(response.text) > LOG_MAX_BYTES - 2 * entryBody.length, true);
  assert.deepEqual(
    log.map((entry) => entry.seq),
    Array.from({ length: log.length }, (_, index) => 200 - log.length + 1 + index),
  );
  assert.deepEqual(log.at(-1).body, JSON.parse(entryBody));
  assert.equal(log.at(-1).bodyBytes, entryBody.length);

  await control("DELETE", "/requests");
  const atLimit = `"${"a".repeat(LOG_BODY_MAX_BYTES - 2)}"`;
  const overLimit = `"${"a".repeat(LOG_BODY_MAX_BYTES - 1)}"`;
  await call("POST", "/nowhere", { key: null, body: atLimit });
  await call("POST", "/nowhere", { key: null, body: overLimit });
  await call("GET", "/nowhere", { key: null });
  assert.deepEqual(
    (await control("GET", "/requests")).json.map(({ seq, body, bodyBytes }) => ({ seq, body, bodyBytes })),
    [
      { seq: 1, body: "a".repeat(LOG_BODY_MAX_BYTES - 2), bodyBytes: LOG_BODY_MAX_BYTES },
      { seq: 2, body: null, bodyBytes: LOG_BODY_MAX_BYTES + 1 },
      { seq: 3, body: null, bodyBytes: 0 },
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// Another web page, a foreign Host

test("the control plane refuses other web pages: a foreign Origin or Sec-Fetch-Site is a 403, no CORS", async () => {
  await call("PUT", ACCOUNTS, { body: { linked_account_id: "kept" } });
  const page = "http://127.0.0.1:5173";
  const refused = [
    // A form or fetch POST as text/plain, which needs no preflight: would queue a fault.
    ["POST", "/faults", { origin: page, "content-type": "text/plain" }, '{"status":500}'],
    ["GET", "/requests", { origin: page }],
    ["GET", "/faults", { origin: "http://localhost:8080" }],
    ["POST", "/reset", { origin: "null" }],
    ["POST", "/reset", { origin: `http://localhost:${port()}` }],
    ["GET", "/requests", { "sec-fetch-site": "same-site" }],
    ["GET", "/health", { "sec-fetch-site": "cross-site" }],
    ["OPTIONS", "/reset", { origin: page, "access-control-request-method": "POST" }],
  ];
  for (const [method, path, headers, body] of refused) {
    const response = await raw(method, `/__emulator${path}`, { headers, body });
    assertApiError(response, 403, "FORBIDDEN", "FORBIDDEN", CROSS_ORIGIN_MESSAGE);
    assertNoCors(response);
  }
  // Nothing was queued, read or reset.
  assert.deepEqual((await control("GET", "/faults")).json, []);
  assert.equal((await call("GET", `${ACCOUNTS}/kept`)).status, 200);
  assert.equal((await call("PUT", ACCOUNTS, { body: { linked_account_id: "kept" } })).json.__v, 1);

  // No Origin (curl, Node), the emulator's own origin, or a page typed in the address bar.
  const allowed = [{}, { origin: emulator.url }, { "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }];
  for (const headers of allowed) {
    const response = await raw("GET", "/__emulator/health", { headers });
    assert.equal(response.status, 200, JSON.stringify(headers));
    assertNoCors(response);
  }
});

test("the API routes keep their CORS for any page", async () => {
  const page = "http://127.0.0.1:5173";
  const preflight = await raw("OPTIONS", ACCOUNTS, {
    headers: { origin: page, "access-control-request-method": "PUT", "access-control-request-headers": "x-api-key" },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  const upsert = await raw("PUT", ACCOUNTS, {
    headers: {
      origin: page,
      "sec-fetch-site": "same-site",
      "x-api-key": DEFAULT_TEST_KEY,
      "content-type": "application/json",
    },
    body: JSON.stringify({ linked_account_id: "from-a-page" }),
  });
  assert.equal(upsert.status, 200);
  assert.equal(upsert.headers.get("access-control-allow-origin"), "*");
  assert.equal(upsert.headers.get("access-control-expose-headers"), "x-request-id, retry-after");
});

test("every route refuses a Host that is not a loopback name or address", async () => {
  const foreign = [
    "evil.example",
    "127.0.0.1.evil.example",
    "localhost.evil.example",
    "0.0.0.0",
    "10.0.0.1",
    "127.0.0.256",
    "[::2]",
  ];
  const routes = [
    ["PUT", ACCOUNTS],
    ["GET", "/__emulator/requests"],
    ["POST", "/__emulator/reset"],
    ["OPTIONS", ACCOUNTS],
  ];
  for (const host of foreign) {
    for (const [method, path] of routes) {
      const response = await raw(method, path, {
        headers: { host: `${host}:${port()}`, "x-api-key": DEFAULT_TEST_KEY, "content-type": "application/json" },
        body: method === "PUT" ? JSON.stringify({ linked_account_id: "rebound" }) : undefined,
      });
      assertApiError(response, 403, "FORBIDDEN", "FORBIDDEN", hostMessage(host));
      assertNoCors(response);
    }
  }
  assert.equal((await call("GET", `${ACCOUNTS}/rebound`)).status, 404);
  // Refused requests are not logged.
  assert.deepEqual(
    (await control("GET", "/requests")).json.map((entry) => entry.path),
    [`${ACCOUNTS}/rebound`],
  );

  const p = port();
  const loopback = [`localhost:${p}`, `LocalHost:${p}`, "localhost", `127.0.0.1:${p}`, `127.8.9.10:${p}`, `[::1]:${p}`];
  for (const host of loopback) {
    const api = await raw("GET", `${ACCOUNTS}/nobody`, { headers: { host, "x-api-key": DEFAULT_TEST_KEY } });
    assert.equal(api.status, 404, host);
    assert.equal((await raw("GET", "/__emulator/health", { headers: { host } })).status, 200, host);
  }
});

test("allowHosts and allowOrigins (--allow-host, --allow-origin) widen what is served", async () => {
  const page = "http://127.0.0.1:5173";
  const widened = await startEmulator({
    port: 0,
    quiet: true,
    allowHosts: ["Emulator.Test"],
    allowOrigins: [page],
  });
  try {
    const host = `emulator.test:${widened.port}`;
    assert.equal((await rawRequest(widened.url, "GET", "/__emulator/health", { headers: { host } })).status, 200);
    assert.equal(
      (await rawRequest(widened.url, "GET", "/__emulator/health", { headers: { host: "other.test" } })).status,
      403,
    );
    const read = await rawRequest(widened.url, "GET", "/__emulator/requests", { headers: { origin: page } });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get("access-control-allow-origin"), page);
    assert.equal(read.headers.get("vary"), "origin");
    const preflight = await rawRequest(widened.url, "OPTIONS", "/__emulator/faults", {
      headers: {
        origin: page,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), page);
    assert.equal(preflight.headers.get("access-control-allow-headers"), "content-type");
    const other = await rawRequest(widened.url, "GET", "/__emulator/requests", {
      headers: { origin: "http://127.0.0.1:5174" },
    });
    assert.equal(other.status, 403);
    assertNoCors(other);
  } finally {
    await widened.close();
  }
  await assert.rejects(startEmulator({ allowOrigins: ["http://127.0.0.1:5173/"] }), {
    name: "TypeError",
    message: 'allowOrigins must be an array of origins such as "http://127.0.0.1:5173" (scheme, host and port only)',
  });
  await assert.rejects(startEmulator({ allowHosts: ["evil.example:80"] }), {
    name: "TypeError",
    message: 'allowHosts must be an array of host names or addresses without a port, such as "emulator.test"',
  });
});

// ---------------------------------------------------------------------------------------------
// Deep and malformed bodies

test(`bodies nested deeper than ${MAX_JSON_DEPTH} are a 400, and the request log stays readable`, async () => {
  const tooDeep = (response) => assertApiError(response, 400, "BAD_REQUEST", "INVALID_JSON", DEEP_MESSAGE);
  // 40 KB, no credentials: logged as sent, and the log can still be read.
  const deep = `{"a":${nested(20_000)}}`;
  const unauthenticated = await call("PUT", ACCOUNTS, { key: null, body: deep });
  assertApiError(unauthenticated, 401, "UNAUTHORIZED", "SERVER_ERROR", "Invalid Credentials");
  const log = await control("GET", "/requests");
  assert.equal(log.status, 200);
  assert.equal(log.json[0].body, deep);

  // A deep credential value, with credentials.
  const deepCredential = `{"linked_account_id":"deep","your_app":{"auth_credentials":{"k":${nested(20_000)}}}}`;
  tooDeep(await call("PUT", ACCOUNTS, { body: deepCredential }));
  tooDeep(await call("POST", ACCOUNTS, { body: deepCredential }));
  // Exactly at the bound is read; one more level is refused.
  const withExtra = (depth) => `{"linked_account_id":"edge","extra":${nested(depth - 1)}}`;
  tooDeep(await call("PUT", ACCOUNTS, { body: withExtra(MAX_JSON_DEPTH + 1) }));
  assert.equal((await call("PUT", ACCOUNTS, { body: withExtra(MAX_JSON_DEPTH) })).status, 200);
  // Brackets inside strings are text, not nesting.
  const brackets = { linked_account_id: "[[[{{{".repeat(100), name: '\\"[[[' };
  assert.equal((await call("PUT", ACCOUNTS, { body: brackets })).status, 200);
  assert.equal((await call("GET", `${ACCOUNTS}/deep`)).status, 404);

  tooDeep(await control("POST", "/faults", `[${nested(40)}]`));
  tooDeep(await control("POST", "/rate-limit", `{"limit":${nested(40)}}`));
  assert.deepEqual((await control("GET", "/faults")).json, []);
  const after = await control("GET", "/requests");
  assert.equal(after.status, 200);
  assert.equal(after.json.length, 7);
});

test("your_app holds only app_id and string credentials: anything else is a 400", async () => {
  const message = "your_app may hold only app_id (a string) and auth_credentials (an object of strings)";
  for (const yourApp of [
    { auth_credentials: { k: "v" }, extra: "x" },
    { auth_credentials: { k: "v" }, extra: { nested: [1, 2] } },
    { auth_credentials: { k: 5 } },
    { auth_credentials: { k: "v", j: { value: "v" } } },
    { auth_credentials: { k: "v" }, app_id: 7 },
  ]) {
    const body = { linked_account_id: "shape", your_app: yourApp };
    assertApiError(await call("PUT", ACCOUNTS, { body }), 400, "BAD_REQUEST", "INVALID_YOUR_APP", message);
  }
  assert.equal((await call("GET", `${ACCOUNTS}/shape`)).status, 404);
  const good = { linked_account_id: "shape", your_app: { app_id: "app-1", auth_credentials: { k: "v" } } };
  assert.equal((await call("PUT", ACCOUNTS, { body: good })).status, 200);
});

// ---------------------------------------------------------------------------------------------
// --data

async function startWithData(dataFile) {
  const run = runCli(["--port", "0", "--data", dataFile]);
  const [, url] = LISTENING.exec(await run.firstLine);
  return { ...run, url };
}

test("--data: a rejected deep body, more upserts, SIGTERM, restart: nothing acknowledged is lost", async () => {
  const dataFile = join(directory, "deep.json");
  const first = await startWithData(dataFile);
  const acknowledged = [];
  const upsert = async (id) => {
    const response = await request(first.url, "PUT", ACCOUNTS, { body: { linked_account_id: id, udf: { n: 1 } } });
    assert.equal(response.status, 200);
    acknowledged.push(response.json);
  };
  await upsert("before");
  const deep =
    '{"linked_account_id":"deep","your_app":{"auth_credentials":{"k":"v"},"extra":' + nested(20_000) + "}}";
  const refused = await request(first.url, "PUT", ACCOUNTS, { body: deep });
  // (Checked at the end: an emulator that took it must still keep it and everything after it.)
  if (refused.status === 200) acknowledged.push(refused.json);
  await upsert("after-1");
  await upsert("after-2");
  first.child.kill("SIGTERM");
  const stopped = await first.exited;
  assert.equal(stopped.code, 0);
  assert.equal(stopped.stderr, "");

  const second = await startWithData(dataFile);
  try {
    for (const account of acknowledged) {
      const fetched = await request(second.url, "GET", `${ACCOUNTS}/${account.account_id}`);
      assert.deepEqual(fetched.json, asReadOne(account));
    }
    assert.equal((await request(second.url, "GET", ACCOUNTS)).json.totalDocs, acknowledged.length);
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }
  assertApiError(refused, 400, "BAD_REQUEST", "INVALID_JSON", DEEP_MESSAGE);
});

test("--data: a change that cannot be written fails its request, is logged, and the stop exits 1", async () => {
  const dataFile = join(directory, "blocked.json");
  const run = await startWithData(dataFile);
  assert.equal((await request(run.url, "PUT", ACCOUNTS, { body: { linked_account_id: "saved" } })).status, 200);
  // The data file's name now holds a directory, so the rename that completes each write fails.
  await rm(dataFile);
  await mkdir(dataFile);
  await writeFile(join(dataFile, "occupied"), "");
  const failed = await request(run.url, "PUT", ACCOUNTS, { body: { linked_account_id: "unsaved" } });
  assertApiError(
    failed,
    500,
    "INTERNAL_SERVER_ERROR",
    "INTERNAL_SERVER_ERROR",
    "The change could not be written to the data file; see the emulator's stderr",
  );
  run.child.kill("SIGTERM");
  const { code, stderr } = await run.exited;
  assert.equal(code, 1);
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 3, stderr);
  assert.match(lines[0], new RegExp(`^refold emulator: cannot write ${dataFile}: EISDIR`));
  assert.match(lines[1], new RegExp(`^refold emulator: cannot write ${dataFile}: EISDIR`));
  assert.equal(
    lines[2],
    `refold-emulator: the data file ${dataFile} is behind memory: the last changes were not written`,
  );
  // No temporary file is left behind.
  assert.deepEqual((await readdir(directory)).filter((name) => name.startsWith("blocked.json.")), []);
});

test("--data: a symlink planted at the temporary file's name is not followed", async () => {
  const dataFile = join(directory, "linked.json");
  const victim = join(directory, "victim.txt");
  await writeFile(victim, "victim\n");
  const run = await startWithData(dataFile);
  try {
    await symlink(victim, `${dataFile}.tmp-${run.child.pid}`);
    assert.equal((await request(run.url, "PUT", ACCOUNTS, { body: { linked_account_id: "safe" } })).status, 200);
  } finally {
    run.child.kill("SIGTERM");
  }
  assert.equal((await run.exited).code, 0);
  assert.equal(await readFile(victim, "utf8"), "victim\n");
  const stats = await lstat(dataFile);
  assert.equal(stats.isFile(), true);
  assert.equal(stats.mode & 0o777, 0o600);
  assert.deepEqual(
    JSON.parse(await readFile(dataFile, "utf8")).accounts.map((account) => account.account_id),
    ["safe"],
  );
});
