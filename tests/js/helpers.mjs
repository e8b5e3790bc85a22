// Shared by the package's JS tests: an emulator per test file, its control plane, and a record
// of every error the package produced (scanned for secrets at the end of each file).
import assert from "node:assert/strict";

import { startEmulator, DEFAULT_TEST_KEY } from "../../pkg/emulator.mjs";
import * as sdk from "../../pkg/index.node.mjs";

export { sdk, DEFAULT_TEST_KEY };
export const UPSERT_PATH = "/api/v2/public/linked-account";
/** A credential value that must never appear in an error. */
export const CREDENTIAL = "cred-secret-4b1f9e2d";

export async function emulator(options = {}) {
  const emu = await startEmulator({ port: 0, quiet: true, ...options });
  const call = async (method, path, body) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url: emu.url,
    close: () => emu.close(),
    faults: (...faults) => call("POST", "/__emulator/faults", faults.map((f) => ({ method: "PUT", path: UPSERT_PATH, ...f }))),
    clearFaults: () => call("DELETE", "/__emulator/faults"),
    rateLimit: (settings) => call(settings ? "POST" : "DELETE", "/__emulator/rate-limit", settings),
    /** Requests the emulator received that carried `x-test-case: testCase`. */
    requests: async (testCase) => (await call("GET", "/__emulator/requests")).filter((r) => r.headers["x-test-case"] === testCase),
    api: async (method, path, body, headers = { "x-api-key": DEFAULT_TEST_KEY }) => {
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

/**
 * Client options for the emulator at `url`, tagging each request with `x-test-case` so the
 * request log can be filtered per test; `extra` overrides.
 */
export const caseOptions = (url, testCase, extra = {}) => ({
  apiKey: DEFAULT_TEST_KEY,
  baseUrl: url,
  headers: { "x-test-case": testCase },
  ...extra,
});

let counter = 0;
export const uniqueId = (prefix) => `${prefix}-${process.pid}-${++counter}@example.com`;

export const seedRequest = (id, someKey1 = "some data 1") => ({
  linked_account_id: id,
  name: "Mark Wood",
  your_app: { auth_credentials: { "x-api-key": CREDENTIAL, "base-url": "https://api.example.com" } },
  udf: { some_key1: someKey1, some_key2: "some data 2", some_key3: "some data 3" },
});

/** Every error the package produced in this process. */
export const errors = [];

/** Settles a call into `{ ok, value }` or `{ ok: false, error }`, recording errors. */
export async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    errors.push(error);
    return { ok: false, error };
  }
}

/** Awaits a rejection and checks it is a LinkedAccountError with `code`. */
export async function rejection(promise, code) {
  const outcome = await settle(promise);
  assert.equal(outcome.ok, false, `expected ${code}, got a value`);
  assert.ok(sdk.isLinkedAccountError(outcome.error), String(outcome.error));
  assert.equal(outcome.error.code, code, outcome.error.message);
  return outcome.error;
}

/** Captures console output so secret scans can include it. */
export const consoleLines = [];
for (const method of ["log", "info", "warn", "error", "debug"]) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    consoleLines.push(args.map(String).join(" "));
    original(...args);
  };
}

/** Asserts that no recorded error, nor the console, shows any of `secrets`. */
export function assertNoSecrets(secrets) {
  assert.ok(errors.length > 0, "no errors were recorded to scan");
  for (const error of errors) {
    const views = [error.message, String(error), JSON.stringify(error), error.stack ?? "", JSON.stringify(error.issues ?? [])];
    for (const secret of secrets) {
      for (const view of views) assert.ok(!view.includes(secret), `a secret leaked into ${error.code}: ${view.slice(0, 200)}`);
    }
  }
  for (const line of consoleLines) for (const secret of secrets) assert.ok(!line.includes(secret), "a secret reached the console");
}
