// Shared by the emulator's tests: HTTP helpers, the command-line runner and the documented
// error-body check.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { fileURLToPath } from "node:url";
import { DEFAULT_TEST_KEY } from "../../pkg-template/emulator.mjs";

export const ACCOUNTS = "/api/v2/public/linked-account";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * One request to the emulator at `base`. `key` (default: the test key; null for none) goes in
 * `x-api-key`, `token` in `Authorization: Bearer`; an object `body` is sent as JSON, a string
 * as is. Resolves with `{ status, headers, text, json }` (`json` undefined when not JSON).
 */
export async function request(base, method, path, { key = DEFAULT_TEST_KEY, token, body, headers = {}, signal } = {}) {
  const sent = { ...headers };
  if (key) sent["x-api-key"] = key;
  if (token) sent.authorization = `Bearer ${token}`;
  if (body !== undefined) sent["content-type"] = "application/json";
  const response = await fetch(`${base}${path}`, {
    method,
    headers: sent,
    body: body === undefined || typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** An account without the `new_account` flag, to compare a listed one with one returned by upsert. */
export function withoutNewAccount({ new_account: _ignored, ...account }) {
  return account;
}

/**
 * An account returned by upsert or create as a read of that one account (GET by id, the
 * session's account) returns it: without `new_account`, with `integrations` after `udf` (the
 * emulator's accounts never have an integration, so it is empty).
 */
export function asReadOne({ new_account: _ignored, createdAt, updatedAt, __v, ...head }) {
  return { ...head, integrations: [], createdAt, updatedAt, __v };
}

/** The documented message for an account that does not exist. */
export const notFoundMessage = (accountId, org, environment = "test") =>
  `Linked Account with account id ${accountId} for org ${org} in environment ${environment} not found`;

/** The documented error body, with `request_id` equal to the `x-request-id` header. */
export function assertApiError(response, status, httpErrorType, errorCode, message) {
  const requestId = response.headers.get("x-request-id");
  assert.equal(response.status, status);
  assert.equal(UUID.test(requestId), true);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(response.json, {
    status_code: status,
    http_error_type: httpErrorType,
    error_code: errorCode,
    message,
    request_id: requestId,
  });
}

/**
 * One request over node:http, which (unlike fetch) may send any `host`, `origin` or
 * `sec-fetch-site` header. Resolves like `request`: `{ status, headers, text, json }`.
 */
export function rawRequest(base, method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${base}${path}`, { method, headers });
    outgoing.on("error", reject);
    outgoing.on("response", (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) headers.set(name, String(value));
        resolve({ status: response.statusCode, headers, text, json });
      });
    });
    outgoing.end(body);
  });
}

const EMULATOR_FILE = fileURLToPath(new URL("../../pkg-template/emulator.mjs", import.meta.url));

/**
 * Runs the command-line emulator with `args`. `firstLine` resolves with its first stdout line
 * (rejects if it exits first); `exited` with `{ code, signal, stdout, stderr }`.
 */
export function runCli(args) {
  const child = spawn(process.execPath, [EMULATOR_FILE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const firstLine = new Promise((resolve, reject) => {
    const check = () => {
      const end = stdout.indexOf("\n");
      if (end !== -1) resolve(stdout.slice(0, end));
    };
    child.stdout.on("data", check);
    child.on("close", () => reject(new Error(`exited before printing its URL: ${stderr}`)));
  });
  // Runs that are expected to fail never print a URL; only a test that awaits firstLine should see that.
  firstLine.catch(() => {});
  return { child, firstLine, exited };
}

/** The URL in the command-line emulator's first line. */
export const LISTENING = /^Refold emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/;
