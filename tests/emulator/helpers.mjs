// Shared by the emulator's tests: one HTTP helper and the documented error-body check.
import assert from "node:assert/strict";
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

/** An account without the `new_account` flag, to compare one read back with one returned. */
export function withoutNewAccount({ new_account: _ignored, ...account }) {
  return account;
}

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
