#!/usr/bin/env node
// Refold linked-account API emulator.
//
// An offline stand-in for Refold's `/api/v2/public/linked-account` REST API, in the
// spirit of stripe-mock: point a client's `baseUrl` at it instead of
// https://app.refold.ai. One file, Node >= 20, `node:` built-ins only, so it ships as
// the npm package's `bin` and can also be imported (`startEmulator`). Endpoints,
// policies and the `/__emulator/` control plane are documented in EMULATOR.md.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { setMaxListeners } from "node:events";
import { createServer, STATUS_CODES, validateHeaderName, validateHeaderValue } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export const DEFAULT_TEST_KEY = "tk5f0c7c2e-8a8b-4f6e-9a51-0d6b1c7e2a10";
export const DEFAULT_PRODUCTION_KEY = "pk9d3e1b74-2c6a-4e0f-8b3d-7a1f5e2c4b90";

const DEFAULT_HOST = "127.0.0.1";
const DEFAULT_PORT = 8787;
const UDF_POLICIES = ["merge", "replace"];
const NOT_FOUND_STATUSES = [404, 500];
// The bounds documented in EMULATOR.md ("Bounds"): the body of one request, how deep JSON may
// nest, and the request log (entries, bytes of JSON, and the largest body an entry keeps).
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_JSON_DEPTH = 32;
const LOG_MAX_ENTRIES = 10_000;
const LOG_MAX_BYTES = 8 * 1024 * 1024;
const LOG_BODY_MAX_BYTES = 64 * 1024;
const TOKEN_TTL_MS = 86_400_000;
const REFRESH_TOKEN_TTL_MS = 604_800_000;
const DATA_FORMAT = "refold-emulator/1";
const CONTROL_PREFIX = "/__emulator/";
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
const EXPOSED_HEADERS = "x-request-id, retry-after";
const PREFLIGHT_METHODS = "GET, PUT, POST, DELETE, OPTIONS";
const PREFLIGHT_DEFAULT_HEADERS = "x-api-key, authorization, content-type";
const OBJECT_ID = /^[0-9a-f]{24}$/;
const ENVIRONMENTS = ["test", "production"];

// ---------------------------------------------------------------------------
// Small values

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
const isPositiveInteger = (value) => Number.isInteger(value) && value > 0;
const isPrimitive = (value) => value === null || ["string", "number", "boolean"].includes(typeof value);
const asciiLowerCase = (text) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

function fingerprint(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `redacted:${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}

const objectIdMachine = randomBytes(5).toString("hex");
let objectIdCounter = randomBytes(3).readUIntBE(0, 3);

// MongoDB ObjectId layout (seconds, per-process random, counter) so ids sort by creation like the real API's.
function objectId() {
  objectIdCounter = (objectIdCounter + 1) % 0x1000000;
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  return `${seconds}${objectIdMachine}${objectIdCounter.toString(16).padStart(6, "0")}`;
}

// Clients order updates by `updatedAt`, so two updates within one millisecond must still differ.
function timestampAfter(previous) {
  return new Date(Math.max(Date.now(), Date.parse(previous) + 1)).toISOString();
}

// ---------------------------------------------------------------------------
// Errors in the documented body shape

class ApiError extends Error {
  constructor(status, httpErrorType, errorCode, message, headers = {}) {
    super(message);
    this.status = status;
    this.httpErrorType = httpErrorType;
    this.errorCode = errorCode;
    this.headers = headers;
  }
}

const badRequest = (errorCode, message) => new ApiError(400, "BAD_REQUEST", errorCode, message);
const unauthorized = () => new ApiError(401, "UNAUTHORIZED", "SERVER_ERROR", "Invalid Credentials");
const forbidden = (message) => new ApiError(403, "FORBIDDEN", "FORBIDDEN", message);
const notFound = (message) => new ApiError(404, "NOT_FOUND", "NOT_FOUND", message);
// Refold's newer docs answer an unknown account with a 404, its older ones with this 500; the
// --not-found switch picks one (see EMULATOR.md, "Checks and errors").
function accountNotFound(status, { org, environment, accountId }) {
  const message = `Linked Account with account id ${accountId} for org ${org} in environment ${environment} not found`;
  if (status === 500) return new ApiError(500, "INTERNAL_SERVER_ERROR", "SERVER_ERROR", message);
  return notFound(message);
}
const sessionMismatch = () => forbidden("linked_account_id does not match the session token");
const payloadTooLarge = () =>
  new ApiError(413, "PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE", `Request body exceeds ${MAX_BODY_BYTES} bytes`);
const tooDeep = () =>
  badRequest("INVALID_JSON", `Request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`);
const invalidYourApp = () =>
  badRequest(
    "INVALID_YOUR_APP",
    "your_app may hold only app_id (a string) and auth_credentials (an object of strings)",
  );
const notWritten = () =>
  new ApiError(
    500,
    "INTERNAL_SERVER_ERROR",
    "INTERNAL_SERVER_ERROR",
    "The change could not be written to the data file; see the emulator's stderr",
  );
const crossOrigin = () =>
  forbidden(
    "The control plane answers only requests from its own origin or from outside a browser " +
      "(start the emulator with --allow-origin to allow a web page)",
  );
const foreignHost = (name) =>
  forbidden(
    `Host "${name}" is refused: only loopback names and addresses are served ` +
      `(start the emulator with --allow-host ${name} to allow it)`,
  );
// The real API answers this input error with a 500 typed BAD_REQUEST; clients must cope with exactly that.
const yourAppWithoutCredentials = () =>
  new ApiError(500, "BAD_REQUEST", "INTERNAL_SERVER_ERROR", "A valid app_id is required");

function methodNotAllowed(method, pathname, allow) {
  const message = `Method ${method} is not allowed on ${pathname}`;
  return new ApiError(405, "METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED", message, { allow });
}

function rateLimited(retryAfterSeconds) {
  const headers = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  return new ApiError(429, "TOO_MANY_REQUESTS", "RATE_LIMIT_EXCEEDED", "Rate Limit Hit", headers);
}

function errorForStatus(status) {
  if (status === 401) return unauthorized();
  if (status === 429) return rateLimited();
  const reason = STATUS_CODES[status] ?? `HTTP ${status}`;
  const type = reason.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  return new ApiError(status, type, type, reason);
}

// ---------------------------------------------------------------------------
// Replies: { status, headers?, body } where an object body is JSON and a string is sent raw

const ok = (body) => ({ status: 200, body });
// The reply to a request that changed state: with --data it is sent only once the change is
// written (`written` settles then), and a write that fails turns it into a 500.
const afterWrite = (emu, reply) => ({ ...reply, written: emu.save() });

function errorReply(error, requestId) {
  return {
    status: error.status,
    headers: error.headers,
    body: {
      status_code: error.status,
      http_error_type: error.httpErrorType,
      error_code: error.errorCode,
      message: error.message,
      request_id: requestId,
    },
  };
}

function encodeBody(body) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  return Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
}

const hasNoBody = (status) => status === 204 || status === 304;

function replyHeaders(reply) {
  const contentType = hasNoBody(reply.status) ? {} : { "content-type": JSON_CONTENT_TYPE };
  return { ...contentType, ...reply.headers };
}

function send(res, reply) {
  const payload = encodeBody(reply.body);
  const length = hasNoBody(reply.status) ? {} : { "content-length": payload.length };
  res.writeHead(reply.status, { ...replyHeaders(reply), ...length });
  res.end(payload);
}

function sendFirstHalf(res, reply, { holdOpen }) {
  const payload = encodeBody(reply.body);
  const half = payload.subarray(0, Math.floor(payload.length / 2));
  res.writeHead(reply.status, { ...replyHeaders(reply), "content-length": holdOpen ? payload.length : half.length });
  if (holdOpen) res.write(half);
  else res.end(half);
}

function preflightReply(headers) {
  return {
    status: 204,
    headers: {
      "access-control-allow-methods": PREFLIGHT_METHODS,
      "access-control-allow-headers": headers["access-control-request-headers"] || PREFLIGHT_DEFAULT_HEADERS,
      "access-control-max-age": "600",
      vary: "access-control-request-headers",
    },
  };
}

// ---------------------------------------------------------------------------
// Request bodies

// Whether JSON text nests objects and arrays deeper than MAX_JSON_DEPTH, found by scanning the
// text: what the emulator keeps is later written by recursive code (JSON.stringify), which a
// value nested thousands deep would run out of stack.
function nestsTooDeep(text) {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) return true;
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return false;
}

function parseJson(text) {
  if (nestsTooDeep(text)) throw tooDeep();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("INVALID_JSON", "Request body must be valid JSON");
  }
}

function parseJsonObject(text) {
  if (nestsTooDeep(text)) throw tooDeep();
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isObject(value)) throw badRequest("INVALID_JSON", "Request body must be a JSON object");
  return value;
}

function requireLinkedAccountId(value) {
  if (typeof value !== "string" || value.trim() === "") {
    throw badRequest("INVALID_LINKED_ACCOUNT_ID", "linked_account_id required");
  }
  return value;
}

// With a session token the token names the account, so the body may omit it but must not contradict it.
function accountIdFor(body, auth) {
  if (auth.kind !== "session") return requireLinkedAccountId(body.linked_account_id);
  if (body.linked_account_id === undefined) return auth.accountId;
  const accountId = requireLinkedAccountId(body.linked_account_id);
  if (accountId !== auth.accountId) throw sessionMismatch();
  return accountId;
}

function checkYourApp(yourApp) {
  const credentials = isObject(yourApp) ? yourApp.auth_credentials : undefined;
  if (!isObject(credentials) || Object.keys(credentials).length === 0) throw yourAppWithoutCredentials();
  const seen = new Set();
  for (const key of Object.keys(credentials)) {
    const folded = asciiLowerCase(key);
    if (seen.has(folded)) throw badRequest("SERVER_ERROR", "Duplicate Auth key_name not allowed");
    seen.add(folded);
  }
  if (!isStorableYourApp(yourApp)) throw invalidYourApp();
}

// What Refold's docs allow in your_app, and all the emulator stores of it.
function isStorableYourApp(yourApp) {
  return (
    isObject(yourApp) &&
    Object.keys(yourApp).every((key) => key === "app_id" || key === "auth_credentials") &&
    (yourApp.app_id === undefined || typeof yourApp.app_id === "string") &&
    isObject(yourApp.auth_credentials) &&
    Object.values(yourApp.auth_credentials).every((value) => typeof value === "string")
  );
}

function checkAccountFields(body) {
  if (body.your_app !== undefined) checkYourApp(body.your_app);
  if (body.name !== undefined && typeof body.name !== "string") {
    throw badRequest("INVALID_NAME", "name must be a string");
  }
  if (body.udf !== undefined && !(isObject(body.udf) && Object.values(body.udf).every(isPrimitive))) {
    throw badRequest("INVALID_UDF", "udf must be an object whose values are strings, numbers, booleans or null");
  }
  if (body.scope !== undefined && !(typeof body.scope === "string" && body.scope !== "")) {
    throw badRequest("INVALID_SCOPE", "scope must be a non-empty string");
  }
}

function queryInteger(query, name, fallback, max) {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = /^[1-9][0-9]*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `an integer from 1 to ${max}`;
    throw badRequest("INVALID_QUERY", `${name} must be ${range}`);
  }
  return value;
}

// A list filter: absent, or given once and not empty.
function queryFilter(query, name) {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw badRequest("INVALID_QUERY", `${name} must be given once`);
  if (values[0] === "") throw badRequest("INVALID_QUERY", `${name} must not be empty`);
  return values[0];
}

// A query string holds text, so a udf value is compared as text: a string as it is, a number,
// boolean or null as its JSON text (3, 1.5, true, null).
const udfValueText = (value) => (typeof value === "string" ? value : JSON.stringify(value));

// Which accounts the list's filters keep: all of them when none is given, else those matching every one given.
function accountFilter(query) {
  const name = queryFilter(query, "env_variable_name");
  const value = queryFilter(query, "env_variable_value");
  const scope = queryFilter(query, "scope");
  if (value !== undefined && name === undefined) {
    throw badRequest("INVALID_QUERY", "env_variable_value needs env_variable_name");
  }
  const hasVariable = (account) =>
    account.udf.some(
      (entry) => entry.key_name === name && (value === undefined || udfValueText(entry.key_value) === value),
    );
  return (account) => (scope === undefined || account.scope === scope) && (name === undefined || hasVariable(account));
}

// ---------------------------------------------------------------------------
// Linked accounts

const accountKey = (environment, accountId) => `${environment}:${accountId}`;

function findAccount(emu, environment, accountId) {
  const account = emu.state.accounts.get(accountKey(environment, accountId));
  if (!account) throw accountNotFound(emu.config.notFound, { org: emu.state.org, environment, accountId });
  return account;
}

function udfEntry(keyName, keyValue, now) {
  return { key_name: keyName, key_value: keyValue, _id: objectId(), createdAt: now, updatedAt: now };
}

const udfEntries = (udf, now) => Object.entries(udf).map(([keyName, keyValue]) => udfEntry(keyName, keyValue, now));

function mergeUdf(entries, udf, now) {
  const merged = entries.map((entry) => ({ ...entry }));
  // Indexed by key_name, so a merge stays linear in the number of keys.
  const byName = new Map(merged.map((entry) => [entry.key_name, entry]));
  for (const [keyName, keyValue] of Object.entries(udf)) {
    const existing = byName.get(keyName);
    if (existing) Object.assign(existing, { key_value: keyValue, updatedAt: now });
    else {
      const entry = udfEntry(keyName, keyValue, now);
      merged.push(entry);
      byName.set(keyName, entry);
    }
  }
  return merged;
}

function newAccount(org, environment, accountId, { name, scope, your_app: yourApp, udf = {} }) {
  const now = new Date().toISOString();
  return {
    _id: objectId(),
    associated_org: org,
    account_id: accountId,
    environment,
    name,
    scope,
    udf: udfEntries(udf, now),
    createdAt: now,
    updatedAt: now,
    __v: 0,
    your_app: yourApp,
  };
}

function updateAccount(account, { name, scope, your_app: yourApp, udf }, udfPolicy) {
  const now = timestampAfter(account.updatedAt);
  if (name !== undefined) account.name = name;
  if (scope !== undefined) account.scope = scope;
  if (yourApp !== undefined) account.your_app = yourApp;
  if (udf !== undefined) account.udf = udfPolicy === "replace" ? udfEntries(udf, now) : mergeUdf(account.udf, udf, now);
  account.updatedAt = now;
  account.__v += 1;
}

// Integrations are connected through Refold's hosted authorization flows, which the emulator does
// not have: its accounts never have one. Each would be { type, name, app_id } (see EMULATOR.md).
const integrationsOf = () => [];

// An explicit allow-list, so stored credentials can never reach a response. Reads of one account
// (GET by id, the session's account) also carry its `integrations`; list, create and upsert do not.
function publicAccount(account, { withIntegrations = false } = {}) {
  return {
    _id: account._id,
    associated_org: account.associated_org,
    account_id: account.account_id,
    environment: account.environment,
    ...(account.name !== undefined && { name: account.name }),
    ...(account.scope !== undefined && { scope: account.scope }),
    udf: account.udf.map(({ key_name, key_value, _id, createdAt, updatedAt }) => ({
      key_name,
      key_value,
      _id,
      createdAt,
      updatedAt,
    })),
    ...(withIntegrations && { integrations: integrationsOf(account) }),
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
    __v: account.__v,
  };
}

// ---------------------------------------------------------------------------
// Session tokens

function fakeJwt(claims) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  // JWT-shaped so clients that peek at claims work; the signature is random, only this emulator's table validates it.
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}.${randomBytes(32).toString("base64url")}`;
}

function newSession(org, environment, accountId, issuedAt) {
  const claims = (type, ttl) => ({
    typ: type,
    org_id: org,
    linked_account_id: accountId,
    environment,
    iat: Math.floor(issuedAt / 1000),
    exp: Math.floor((issuedAt + ttl) / 1000),
    jti: randomUUID(),
  });
  return {
    token: fakeJwt(claims("access", TOKEN_TTL_MS)),
    refresh_token: fakeJwt(claims("refresh", REFRESH_TOKEN_TTL_MS)),
    environment,
    account_id: accountId,
    expiresAt: issuedAt + TOKEN_TTL_MS,
    refreshExpiresAt: issuedAt + REFRESH_TOKEN_TTL_MS,
  };
}

function newestValidSession(state, environment, accountId, now) {
  let newest;
  for (const session of state.tokens.values()) {
    const matches = session.environment === environment && session.account_id === accountId;
    if (matches && session.expiresAt > now) newest = session;
  }
  return newest;
}

function pruneExpiredSessions(state, now) {
  for (const [token, session] of state.tokens) if (session.expiresAt <= now) state.tokens.delete(token);
}

function revokeSessions(state, environment, accountId) {
  for (const [token, session] of state.tokens) {
    if (session.environment === environment && session.account_id === accountId) state.tokens.delete(token);
  }
}

function sessionTokenBody(session, now) {
  const secondsUntil = (deadline) => Math.ceil((deadline - now) / 1000);
  return {
    token: session.token,
    refresh_token: session.refresh_token,
    expires_in: secondsUntil(session.expiresAt),
    refresh_expires_in: secondsUntil(session.refreshExpiresAt),
  };
}

// ---------------------------------------------------------------------------
// Auth

const environmentOfKey = (key) => (key.startsWith("pk") ? "production" : "test");

function authenticate({ config, state }, headers) {
  const apiKey = headers["x-api-key"];
  if (apiKey !== undefined) {
    return config.apiKeys.includes(apiKey) ? { kind: "apiKey", environment: environmentOfKey(apiKey) } : null;
  }
  const token = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? "")?.[1];
  const session = token === undefined ? undefined : state.tokens.get(token);
  if (!session || session.expiresAt <= Date.now()) return null;
  return { kind: "session", environment: session.environment, accountId: session.account_id };
}

function authorize(emu, headers, mode) {
  const auth = authenticate(emu, headers);
  if (!auth) throw unauthorized();
  if (mode === "apiKey" && auth.kind !== "apiKey") {
    throw forbidden("This endpoint needs an API key (x-api-key); session tokens are not accepted");
  }
  if (mode === "session" && auth.kind !== "session") {
    throw forbidden("This endpoint needs a session token (Authorization: Bearer)");
  }
  return auth;
}

// ---------------------------------------------------------------------------
// API endpoints: (emu, request) => reply, synchronous so no other request interleaves

function upsertAccount(emu, { bodyText, auth }) {
  const body = parseJsonObject(bodyText);
  const accountId = accountIdFor(body, auth);
  checkAccountFields(body);
  const key = accountKey(auth.environment, accountId);
  const existing = emu.state.accounts.get(key);
  if (existing) updateAccount(existing, body, emu.config.udf);
  else emu.state.accounts.set(key, newAccount(emu.state.org, auth.environment, accountId, body));
  return afterWrite(emu, ok({ ...publicAccount(emu.state.accounts.get(key)), new_account: !existing }));
}

function createAccount(emu, { bodyText, auth }) {
  const body = parseJsonObject(bodyText);
  const accountId = requireLinkedAccountId(body.linked_account_id);
  checkAccountFields(body);
  const key = accountKey(auth.environment, accountId);
  if (emu.state.accounts.has(key)) throw badRequest("SERVER_ERROR", "Linked account creation failed");
  const account = newAccount(emu.state.org, auth.environment, accountId, body);
  emu.state.accounts.set(key, account);
  return afterWrite(emu, ok({ ...publicAccount(account), new_account: true }));
}

function getAccount(emu, { auth, params }) {
  if (auth.kind === "session" && params.id !== auth.accountId) throw sessionMismatch();
  return ok(publicAccount(findAccount(emu, auth.environment, params.id), { withIntegrations: true }));
}

function listAccounts(emu, { auth, query }) {
  const page = queryInteger(query, "page", 1, Number.MAX_SAFE_INTEGER);
  const limit = queryInteger(query, "limit", 10, 100);
  const keep = accountFilter(query);
  // In creation order (a Map keeps insertion order), so pages are stable.
  const accounts = [...emu.state.accounts.values()].filter(
    (account) => account.environment === auth.environment && keep(account),
  );
  const totalPages = Math.ceil(accounts.length / limit) || 1;
  const hasPrevPage = page > 1;
  const hasNextPage = page < totalPages;
  return ok({
    docs: accounts.slice((page - 1) * limit, page * limit).map(publicAccount),
    totalDocs: accounts.length,
    limit,
    totalPages,
    page,
    pagingCounter: (page - 1) * limit + 1,
    hasPrevPage,
    hasNextPage,
    prevPage: hasPrevPage ? page - 1 : null,
    nextPage: hasNextPage ? page + 1 : null,
  });
}

function deleteAccount(emu, { auth, params }) {
  findAccount(emu, auth.environment, params.id);
  emu.state.accounts.delete(accountKey(auth.environment, params.id));
  revokeSessions(emu.state, auth.environment, params.id);
  return afterWrite(emu, ok({ message: "User deleted successfully" }));
}

function issueSessionToken(emu, { bodyText, auth, query }) {
  const body = parseJsonObject(bodyText);
  const accountId = requireLinkedAccountId(body.linked_account_id);
  if (!emu.state.accounts.has(accountKey(auth.environment, accountId))) {
    throw badRequest("INVALID_LINKED_ACCOUNT_ID", "Invalid linked_account_id");
  }
  const now = Date.now();
  const forceRefresh = query.get("force_refresh") === "true";
  const reused = forceRefresh ? undefined : newestValidSession(emu.state, auth.environment, accountId, now);
  if (reused) return ok(sessionTokenBody(reused, now));
  pruneExpiredSessions(emu.state, now);
  const session = newSession(emu.state.org, auth.environment, accountId, now);
  emu.state.tokens.set(session.token, session);
  return afterWrite(emu, ok(sessionTokenBody(session, now)));
}

function getActiveAccount(emu, { auth }) {
  return ok(publicAccount(findAccount(emu, auth.environment, auth.accountId), { withIntegrations: true }));
}

// ---------------------------------------------------------------------------
// Control plane

const FAULT_RULES = {
  method: [(value) => typeof value === "string" && /^[A-Za-z]+$/.test(value), 'an HTTP method name such as "PUT"'],
  path: [(value) => typeof value === "string" && /^\/[^?#]*$/.test(value), 'a path starting with "/", without query'],
  count: [isPositiveInteger, "a positive integer"],
  status: [(value) => Number.isInteger(value) && value >= 200 && value <= 599, "an integer from 200 to 599"],
  headers: [isHeaderMap, "an object of valid header names to string values"],
  body: [(value) => typeof value === "string", "a string"],
  delayMs: [(value) => Number.isInteger(value) && value >= 0 && value <= 600_000, "an integer from 0 to 600000"],
  stall: [(value) => value === "headers" || value === "body", '"headers" or "body"'],
  reset: [(value) => typeof value === "boolean", "a boolean"],
  truncate: [(value) => typeof value === "boolean", "a boolean"],
};
const FAULT_EFFECTS = ["status", "headers", "delayMs", "stall", "reset", "truncate"];

function isHeaderMap(value) {
  if (!isObject(value)) return false;
  try {
    for (const [name, text] of Object.entries(value)) {
      if (typeof text !== "string") return false;
      validateHeaderName(name);
      validateHeaderValue(name, text);
    }
    return true;
  } catch {
    return false;
  }
}

function parseFault(input, where) {
  if (!isObject(input)) throw badRequest("INVALID_FAULT", `${where} must be an object`);
  for (const [field, value] of Object.entries(input)) {
    if (!Object.hasOwn(FAULT_RULES, field)) {
      const known = Object.keys(FAULT_RULES).join(", ");
      throw badRequest("INVALID_FAULT", `${where}.${field} is not a fault field (known: ${known})`);
    }
    const [isValid, expected] = FAULT_RULES[field];
    if (!isValid(value)) throw badRequest("INVALID_FAULT", `${where}.${field} must be ${expected}`);
  }
  if (!FAULT_EFFECTS.some((field) => input[field] !== undefined && input[field] !== false)) {
    throw badRequest("INVALID_FAULT", `${where} needs at least one of ${FAULT_EFFECTS.join(", ")}`);
  }
  if (input.body !== undefined && input.status === undefined) {
    throw badRequest("INVALID_FAULT", `${where}.body needs a status`);
  }
  const fault = { ...input, count: input.count ?? 1 };
  if (fault.method) fault.method = fault.method.toUpperCase();
  if (fault.headers) {
    fault.headers = Object.fromEntries(Object.entries(fault.headers).map(([name, text]) => [name.toLowerCase(), text]));
  }
  return fault;
}

function parseRateLimit(bodyText) {
  const body = parseJsonObject(bodyText);
  const unknown = Object.keys(body).find((field) => !["limit", "windowMs", "retryAfter"].includes(field));
  if (unknown) throw badRequest("INVALID_RATE_LIMIT", `${unknown} is not a rate-limit field`);
  const { limit, windowMs, retryAfter } = body;
  const hasWindow = limit !== undefined || windowMs !== undefined;
  if (hasWindow && !(isPositiveInteger(limit) && isPositiveInteger(windowMs))) {
    throw badRequest("INVALID_RATE_LIMIT", "limit and windowMs must both be positive integers");
  }
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
    throw badRequest("INVALID_RATE_LIMIT", "retryAfter must be a non-negative integer (seconds)");
  }
  if (!hasWindow && retryAfter === undefined) {
    throw badRequest("INVALID_RATE_LIMIT", "expected {limit, windowMs} or {retryAfter}");
  }
  return hasWindow ? { limit, windowMs, ...(retryAfter !== undefined && { retryAfter }) } : { retryAfter };
}

class FaultQueue {
  #faults = [];

  add(faults) {
    this.#faults.push(...faults);
    return this.#faults.length;
  }

  list() {
    return this.#faults;
  }

  clear() {
    this.#faults = [];
  }

  take(method, pathname) {
    const index = this.#faults.findIndex((fault) => FaultQueue.#matches(fault, method, pathname));
    if (index === -1) return undefined;
    const fault = this.#faults[index];
    fault.count -= 1;
    if (fault.count === 0) this.#faults.splice(index, 1);
    return { ...fault };
  }

  // A preflight only matches a fault that names OPTIONS, so a fault meant for a browser's PUT reaches the PUT.
  static #matches(fault, method, pathname) {
    const methodMatches = fault.method === undefined ? method !== "OPTIONS" : fault.method === method;
    return methodMatches && (fault.path === undefined || fault.path === pathname);
  }
}

class RateLimiter {
  #settings = null;
  #windowStart = 0;
  #used = 0;

  configure(settings) {
    this.#settings = settings;
    this.#windowStart = 0;
    this.#used = 0;
  }

  describe() {
    return this.#settings ? { enabled: true, ...this.#settings } : { enabled: false };
  }

  /** Seconds for `Retry-After` when this request must be refused, else null. */
  throttle(now = Date.now()) {
    const settings = this.#settings;
    if (!settings) return null;
    if (settings.limit === undefined) return settings.retryAfter;
    if (now - this.#windowStart >= settings.windowMs) {
      this.#windowStart = now;
      this.#used = 0;
    }
    if (this.#used < settings.limit) {
      this.#used += 1;
      return null;
    }
    return settings.retryAfter ?? Math.max(1, Math.ceil((this.#windowStart + settings.windowMs - now) / 1000));
  }
}

function redactCredentials(body) {
  const yourApp = isObject(body) ? body.your_app : undefined;
  const credentials = isObject(yourApp) ? yourApp.auth_credentials : undefined;
  if (credentials === undefined || credentials === null) return body;
  yourApp.auth_credentials = isObject(credentials)
    ? Object.fromEntries(Object.entries(credentials).map(([key, value]) => [key, fingerprint(value)]))
    : fingerprint(credentials);
  return body;
}

// The body as the log keeps it: parsed JSON with credentials redacted, or the text as sent when
// it is not JSON (or nests too deep to keep parsed), or null when empty or over LOG_BODY_MAX_BYTES.
function loggedBody(text) {
  if (!text) return null;
  if (nestsTooDeep(text)) return text;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  return redactCredentials(body);
}

function loggedHeaders(headers) {
  const copy = { ...headers };
  for (const name of ["x-api-key", "authorization"]) if (copy[name] !== undefined) copy[name] = fingerprint(copy[name]);
  return copy;
}

// Bounded in entries and in bytes: the log as JSON (what GET /__emulator/requests sends) stays
// within LOG_MAX_BYTES, the oldest entries dropped first.
class RequestLog {
  #entries = [];
  #costs = [];
  #bytes = 0;
  #seq = 0;

  /** `bodyText` is null when the body was not kept (over LOG_BODY_MAX_BYTES). */
  record({ receivedAt, method, url, headers }, bodyBytes, bodyText) {
    this.#seq += 1;
    const entry = {
      seq: this.#seq,
      time: receivedAt,
      method,
      path: url,
      headers: loggedHeaders(headers),
      body: bodyBytes <= LOG_BODY_MAX_BYTES ? loggedBody(bodyText) : null,
      bodyBytes,
    };
    // Its JSON and the comma before the next one; the list's brackets take the last byte.
    const cost = Buffer.byteLength(JSON.stringify(entry)) + 1;
    this.#entries.push(entry);
    this.#costs.push(cost);
    this.#bytes += cost;
    while (this.#entries.length > LOG_MAX_ENTRIES || this.#bytes > LOG_MAX_BYTES - 1) {
      this.#entries.shift();
      this.#bytes -= this.#costs.shift();
    }
  }

  list() {
    return this.#entries;
  }

  clear() {
    this.#entries = [];
    this.#costs = [];
    this.#bytes = 0;
    this.#seq = 0;
  }
}

function queueFaults(emu, { bodyText }) {
  const input = parseJson(bodyText);
  const faults = Array.isArray(input)
    ? input.map((fault, index) => parseFault(fault, `faults[${index}]`))
    : [parseFault(input, "fault")];
  return ok({ queued: emu.faults.add(faults) });
}

function clearFaults(emu) {
  emu.faults.clear();
  return ok({ queued: 0 });
}

function setRateLimit(emu, { bodyText }) {
  emu.rateLimiter.configure(parseRateLimit(bodyText));
  return ok(emu.rateLimiter.describe());
}

function clearRateLimit(emu) {
  emu.rateLimiter.configure(null);
  return ok(emu.rateLimiter.describe());
}

function clearRequestLog(emu) {
  emu.requestLog.clear();
  return ok({ ok: true });
}

function resetEmulator(emu) {
  emu.state.accounts.clear();
  emu.state.tokens.clear();
  emu.faults.clear();
  emu.rateLimiter.configure(null);
  emu.requestLog.clear();
  return afterWrite(emu, ok({ ok: true }));
}

// ---------------------------------------------------------------------------
// Routing

function route(template, endpoints) {
  const names = [];
  const source = template.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  const pattern = new RegExp(`^${source}$`);
  return {
    endpoints,
    allow: [...Object.keys(endpoints), "OPTIONS"].join(", "),
    match(pathname) {
      const found = pattern.exec(pathname);
      if (!found) return null;
      try {
        return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
      } catch {
        return null;
      }
    },
  };
}

const API_ROUTES = [
  route("/api/v2/public/linked-account", {
    GET: { auth: "apiKey", handle: listAccounts },
    PUT: { auth: "any", handle: upsertAccount },
    POST: { auth: "apiKey", handle: createAccount },
  }),
  route("/api/v2/public/linked-account/:id", {
    GET: { auth: "any", handle: getAccount },
    DELETE: { auth: "apiKey", handle: deleteAccount },
  }),
  route("/api/v2/public/session-token", { POST: { auth: "apiKey", handle: issueSessionToken } }),
  route("/api/v2/public/session/active-linked-account", { GET: { auth: "session", handle: getActiveAccount } }),
];

const CONTROL_ROUTES = [
  route("/__emulator/faults", {
    GET: { handle: (emu) => ok(emu.faults.list()) },
    POST: { handle: queueFaults },
    DELETE: { handle: clearFaults },
  }),
  route("/__emulator/rate-limit", {
    GET: { handle: (emu) => ok(emu.rateLimiter.describe()) },
    POST: { handle: setRateLimit },
    DELETE: { handle: clearRateLimit },
  }),
  route("/__emulator/requests", {
    GET: { handle: (emu) => ok(emu.requestLog.list()) },
    DELETE: { handle: clearRequestLog },
  }),
  route("/__emulator/reset", { POST: { handle: resetEmulator } }),
  route("/__emulator/health", { GET: { handle: () => ok({ ok: true }) } }),
];

function resolveRoute(routes, { method, pathname }) {
  for (const candidate of routes) {
    const params = candidate.match(pathname);
    if (!params) continue;
    const endpoint = candidate.endpoints[method];
    if (!endpoint) throw methodNotAllowed(method, pathname, candidate.allow);
    return { endpoint, params };
  }
  throw notFound(`Route ${method} ${pathname} not found`);
}

function replyOrError(exchange, produce) {
  try {
    return produce();
  } catch (error) {
    if (error instanceof ApiError) return errorReply(error, exchange.requestId);
    throw error;
  }
}

function respondToApi(emu, exchange) {
  if (exchange.method === "OPTIONS") return preflightReply(exchange.headers);
  return replyOrError(exchange, () => {
    const retryAfter = emu.rateLimiter.throttle();
    if (retryAfter !== null) throw rateLimited(retryAfter);
    const { endpoint, params } = resolveRoute(API_ROUTES, exchange);
    const auth = authorize(emu, exchange.headers, endpoint.auth);
    return endpoint.handle(emu, { ...exchange, params, auth });
  });
}

// Whether an API request will reach its endpoint, judged from its method, path and credentials:
// only then is its body kept. The body of a request that will be refused (no or unknown
// credentials, unknown route) is read and dropped, so a flood of them costs no memory.
function reachesEndpoint(emu, exchange) {
  if (exchange.method === "OPTIONS") return false;
  try {
    const { endpoint } = resolveRoute(API_ROUTES, exchange);
    authorize(emu, exchange.headers, endpoint.auth);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  }
}

function respondToControl(emu, exchange) {
  if (exchange.method === "OPTIONS") return preflightReply(exchange.headers);
  return replyOrError(exchange, () => {
    const { endpoint, params } = resolveRoute(CONTROL_ROUTES, exchange);
    return endpoint.handle(emu, { ...exchange, params });
  });
}

// Waits until the reply's change is in the data file (see afterWrite); if it could not be
// written, the request fails.
async function whenWritten(reply, requestId) {
  if (!reply.written) return reply;
  const { written, ...rest } = reply;
  try {
    await written;
    return rest;
  } catch {
    return errorReply(notWritten(), requestId);
  }
}

// ---------------------------------------------------------------------------
// Who may talk to the emulator: loopback Hosts only (a page that rebinds its own DNS name to
// 127.0.0.1 still sends its own name), and to the control plane no other web page.

const LOOPBACK_IPV4 = /^127(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;
const WILDCARD_HOSTS = ["0.0.0.0", "[::]"];

// The name in a Host header, lowercase and without the port: "localhost", "127.0.0.1", "[::1]".
function hostName(host = "") {
  const name = host.toLowerCase();
  return name.startsWith("[") ? name.slice(0, name.indexOf("]") + 1) : name.replace(/:[0-9]*$/, "");
}

function isServedHost(emu, name) {
  return name === "localhost" || name === "[::1]" || LOOPBACK_IPV4.test(name) || emu.allowedHosts.has(name);
}

// A browser names the page behind a request in Origin (Chromium also in Sec-Fetch-Site);
// clients that are not a web page (curl, Node, tests) send neither.
function isControlClientAllowed(emu, headers) {
  const { origin } = headers;
  if (origin !== undefined) return origin === `http://${headers.host.toLowerCase()}` || emu.allowedOrigins.has(origin);
  const site = headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none";
}

// ---------------------------------------------------------------------------
// HTTP plumbing

function openExchange(req, res) {
  const requestId = randomUUID();
  res.setHeader("x-request-id", requestId);
  const queryStart = req.url.indexOf("?");
  return {
    req,
    res,
    requestId,
    receivedAt: new Date().toISOString(),
    method: req.method,
    url: req.url,
    pathname: queryStart === -1 ? req.url : req.url.slice(0, queryStart),
    query: new URLSearchParams(queryStart === -1 ? "" : req.url.slice(queryStart + 1)),
    headers: req.headers,
    bodyText: "",
  };
}

// Reads the whole body but keeps at most `keep` bytes of it: `text` is null when it was longer.
// Bodies are drained rather than cut off, so the client is still there to read the answer.
async function readBody(req, keep) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= keep) chunks.push(chunk);
    else chunks.length = 0;
  }
  return { size, text: size <= keep ? Buffer.concat(chunks).toString("utf8") : null };
}

const isControlPath = (pathname) => pathname.startsWith(CONTROL_PREFIX) || pathname === CONTROL_PREFIX.slice(0, -1);

function faultReply(fault, requestId) {
  if (fault.body !== undefined) return { status: fault.status, body: fault.body };
  if (fault.status < 400) return { status: fault.status, body: "" };
  return errorReply(errorForStatus(fault.status), requestId);
}

async function applyFault(emu, exchange, fault) {
  if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: emu.lifetime.signal });
  if (fault.reset) return void exchange.req.socket.resetAndDestroy();
  if (fault.stall === "headers") return undefined;
  const base =
    fault.status === undefined
      ? await whenWritten(respondToApi(emu, exchange), exchange.requestId)
      : faultReply(fault, exchange.requestId);
  const reply = { ...base, headers: { ...base.headers, ...fault.headers } };
  if (fault.stall === "body") return sendFirstHalf(exchange.res, reply, { holdOpen: true });
  if (fault.truncate) return sendFirstHalf(exchange.res, reply, { holdOpen: false });
  return send(exchange.res, reply);
}

// The API: CORS for any page, every request logged, faults and rate limiting applied.
async function serveApi(emu, exchange) {
  const { req, res, requestId } = exchange;
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
  const body = await readBody(req, reachesEndpoint(emu, exchange) ? MAX_BODY_BYTES : LOG_BODY_MAX_BYTES);
  emu.requestLog.record(exchange, body.size, body.text);
  if (body.size > MAX_BODY_BYTES) return send(res, errorReply(payloadTooLarge(), requestId));
  exchange.bodyText = body.text ?? "";
  const fault = emu.faults.take(exchange.method, exchange.pathname);
  if (fault) return applyFault(emu, exchange, fault);
  return send(res, await whenWritten(respondToApi(emu, exchange), requestId));
}

// The control plane: no CORS (unless --allow-origin names the page), not logged, no faults.
async function serveControl(emu, exchange) {
  const { req, res, requestId, headers } = exchange;
  if (!isControlClientAllowed(emu, headers)) return send(res, errorReply(crossOrigin(), requestId));
  if (emu.allowedOrigins.has(headers.origin)) {
    res.setHeader("access-control-allow-origin", headers.origin);
    res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    res.setHeader("vary", "origin");
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body.text === null) return send(res, errorReply(payloadTooLarge(), requestId));
  exchange.bodyText = body.text;
  return send(res, await whenWritten(respondToControl(emu, exchange), requestId));
}

async function serve(emu, exchange) {
  const name = hostName(exchange.headers.host);
  if (!isServedHost(emu, name)) return send(exchange.res, errorReply(foreignHost(name), exchange.requestId));
  if (isControlPath(exchange.pathname)) return serveControl(emu, exchange);
  return serveApi(emu, exchange);
}

// Reached when the client went away mid-request, the emulator is closing, or the emulator has a bug.
function abandon(emu, { req, res, requestId }, error) {
  if (req.socket.destroyed || emu.lifetime.signal.aborted) return void req.socket.destroy();
  process.stderr.write(`refold emulator: ${error.stack ?? error}\n`);
  if (res.headersSent) return void req.socket.destroy();
  const failure = new ApiError(500, "INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR", "Emulator failure");
  return send(res, errorReply(failure, requestId));
}

async function handleRequest(emu, req, res) {
  const exchange = openExchange(req, res);
  try {
    await serve(emu, exchange);
  } catch (error) {
    abandon(emu, exchange, error);
  }
}

// ---------------------------------------------------------------------------
// State and persistence

const createState = (org) => ({ org, accounts: new Map(), tokens: new Map() });

function serializeState(state) {
  const data = {
    format: DATA_FORMAT,
    associated_org: state.org,
    accounts: [...state.accounts.values()],
    tokens: [...state.tokens.values()],
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function isStoredAccount(account) {
  return (
    isObject(account) &&
    OBJECT_ID.test(account._id) &&
    typeof account.account_id === "string" &&
    ENVIRONMENTS.includes(account.environment) &&
    (account.name === undefined || typeof account.name === "string") &&
    (account.scope === undefined || typeof account.scope === "string") &&
    Array.isArray(account.udf) &&
    account.udf.every((entry) => isObject(entry) && typeof entry.key_name === "string") &&
    !Number.isNaN(Date.parse(account.createdAt)) &&
    !Number.isNaN(Date.parse(account.updatedAt)) &&
    Number.isInteger(account.__v)
  );
}

function isStoredSession(session) {
  return (
    isObject(session) &&
    typeof session.token === "string" &&
    typeof session.refresh_token === "string" &&
    ENVIRONMENTS.includes(session.environment) &&
    typeof session.account_id === "string" &&
    Number.isFinite(session.expiresAt) &&
    Number.isFinite(session.refreshExpiresAt)
  );
}

function restoreState(data) {
  const check = (condition, problem) => {
    if (!condition) throw new Error(problem);
  };
  check(isObject(data) && data.format === DATA_FORMAT, `"format" must be "${DATA_FORMAT}"`);
  check(OBJECT_ID.test(data.associated_org), '"associated_org" must be a 24-hex id');
  check(Array.isArray(data.accounts) && data.accounts.every(isStoredAccount), '"accounts" holds an invalid account');
  check(Array.isArray(data.tokens) && data.tokens.every(isStoredSession), '"tokens" holds an invalid token');
  const state = createState(data.associated_org);
  for (const account of data.accounts) state.accounts.set(accountKey(account.environment, account.account_id), account);
  for (const session of data.tokens) state.tokens.set(session.token, session);
  return state;
}

async function loadState(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw new Error(`cannot read data file ${path}: ${error.message}`);
  }
  try {
    return restoreState(JSON.parse(text));
  } catch (error) {
    throw new Error(`data file ${path} is corrupt (${error.message}); fix it, or move it away to start empty`);
  }
}

async function writeAtomically(path, text) {
  // A fresh name in the same directory, created exclusively so that nothing planted there (a
  // symlink) is followed, and owner-only: the file holds linked accounts' credentials in clear.
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  const file = await open(temporary, "wx", 0o600);
  try {
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

// Writes the state to the data file, one write at a time. A save joins the next write (one under
// way may have read the state before the change) and settles with it, so the requests waiting on
// a write succeed or fail together. A failed write is reported on stderr and leaves the file
// behind memory until a later write succeeds.
class StateFile {
  #path;
  #snapshot;
  #current = null;
  #next = null;
  #behind = false;

  constructor(path, snapshot) {
    this.#path = path;
    this.#snapshot = snapshot;
  }

  writeNow() {
    return writeAtomically(this.#path, this.#snapshot());
  }

  /** Resolves once a write that includes every change made so far has finished; rejects if it failed. */
  save() {
    if (!this.#next) {
      this.#next = this.#afterCurrent();
      // Requests await it; this keeps a failure nobody awaits from being an unhandled rejection.
      this.#next.catch(() => {});
    }
    return this.#next;
  }

  /** Waits for every write asked for; if the file is behind memory, tries once more, then rejects. */
  async close() {
    while (this.#next) await this.#next.catch(() => {});
    await this.#current?.catch(() => {});
    if (this.#behind) await this.save().catch(() => {});
    if (this.#behind) {
      throw new Error(`the data file ${this.#path} is behind memory: the last changes were not written`);
    }
  }

  async #afterCurrent() {
    await this.#current?.catch(() => {});
    this.#next = null;
    this.#current = this.#write();
    return this.#current;
  }

  async #write() {
    try {
      await this.writeNow();
      this.#behind = false;
    } catch (error) {
      this.#behind = true;
      process.stderr.write(`refold emulator: cannot write ${this.#path}: ${error.message}\n`);
      throw error;
    }
  }
}

// ---------------------------------------------------------------------------
// Public API

const OPTION_NAMES = ["host", "port", "udf", "notFound", "dataFile", "apiKeys", "allowHosts", "allowOrigins", "quiet"];

const isOrigin = (text) => {
  try {
    return text !== "null" && new URL(text).origin === text;
  } catch {
    return false;
  }
};
const isHostName = (text) => text !== "" && hostName(text) === text.toLowerCase();

function resolveOptions(options = {}) {
  const unknown = Object.keys(options).find((name) => !OPTION_NAMES.includes(name));
  if (unknown) throw new TypeError(`unknown option "${unknown}" (known: ${OPTION_NAMES.join(", ")})`);
  const { host = DEFAULT_HOST, port = DEFAULT_PORT, udf = "merge", notFound = 404, dataFile, quiet = false } = options;
  const apiKeys = options.apiKeys ?? [DEFAULT_TEST_KEY, DEFAULT_PRODUCTION_KEY];
  if (typeof host !== "string" || host === "") throw new TypeError("host must be a non-empty string");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError("port must be an integer from 0 to 65535");
  }
  if (!UDF_POLICIES.includes(udf)) throw new TypeError('udf must be "merge" or "replace"');
  if (!NOT_FOUND_STATUSES.includes(notFound)) throw new TypeError("notFound must be 404 or 500");
  if (dataFile !== undefined && (typeof dataFile !== "string" || dataFile === "")) {
    throw new TypeError("dataFile must be a non-empty string");
  }
  const validKey = (key) => typeof key === "string" && /^[\x21-\x7e]+$/.test(key);
  if (!Array.isArray(apiKeys) || apiKeys.length === 0 || !apiKeys.every(validKey)) {
    throw new TypeError("apiKeys must be a non-empty array of printable strings without spaces");
  }
  const { allowHosts = [], allowOrigins = [] } = options;
  const validHost = (name) => typeof name === "string" && /^[\x21-\x7e]+$/.test(name) && isHostName(name);
  if (!Array.isArray(allowHosts) || !allowHosts.every(validHost)) {
    throw new TypeError(
      'allowHosts must be an array of host names or addresses without a port, such as "emulator.test"',
    );
  }
  if (!Array.isArray(allowOrigins) || !allowOrigins.every((origin) => typeof origin === "string" && isOrigin(origin))) {
    throw new TypeError(
      'allowOrigins must be an array of origins such as "http://127.0.0.1:5173" (scheme, host and port only)',
    );
  }
  return {
    host,
    port,
    udf,
    notFound,
    dataFile,
    apiKeys: [...apiKeys],
    allowHosts: allowHosts.map((name) => name.toLowerCase()),
    allowOrigins: [...allowOrigins],
    quiet: Boolean(quiet),
  };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

const urlHost = (host) => (host.includes(":") ? `[${host}]` : host);

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [host] interface to listen on, default "127.0.0.1"
 * @property {number} [port] default 8787; 0 picks a free port
 * @property {'merge'|'replace'} [udf] how an update applies `udf`, default "merge"
 * @property {404|500} [notFound] the status for an unknown account on GET and DELETE, default 404
 * @property {string} [dataFile] persist state to this JSON file
 * @property {string[]} [apiKeys] accepted keys, replacing the defaults; a "pk" prefix means production
 * @property {string[]} [allowHosts] Host names served besides loopback ones, e.g. "emulator.test"
 * @property {string[]} [allowOrigins] web pages allowed to use the control plane, e.g. "http://127.0.0.1:5173"
 * @property {boolean} [quiet] do not print the start-up lines
 */

/**
 * Starts an emulator; resolves once it is listening.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<{url: string, port: number, close(): Promise<void>}>}
 */
export async function startEmulator(options) {
  const config = resolveOptions(options);
  const state = (config.dataFile && (await loadState(config.dataFile))) || createState(objectId());
  const stateFile = config.dataFile && new StateFile(config.dataFile, () => serializeState(state));
  // Written once up front so the org id survives a restart and an unwritable path fails at start, not later.
  if (stateFile) await stateFile.writeNow();

  const emu = {
    config,
    state,
    faults: new FaultQueue(),
    rateLimiter: new RateLimiter(),
    requestLog: new RequestLog(),
    lifetime: new AbortController(),
    save: () => stateFile?.save(),
    // The address it listens on is served too, unless it is a wildcard (0.0.0.0, ::).
    allowedHosts: new Set(
      [...config.allowHosts, urlHost(config.host).toLowerCase()].filter((name) => !WILDCARD_HOSTS.includes(name)),
    ),
    allowedOrigins: new Set(config.allowOrigins),
  };
  // Every delayed request listens on it until it fires: any number may be in flight.
  setMaxListeners(0, emu.lifetime.signal);

  const sockets = new Set();
  const server = createServer((req, res) => void handleRequest(emu, req, res));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await listen(server, config.port, config.host);
  server.on("error", (error) => process.stderr.write(`refold emulator: ${error.message}\n`));

  const { port } = server.address();
  const url = `http://${urlHost(config.host)}:${port}`;
  if (!config.quiet) process.stdout.write(startUpLines(url, config.apiKeys));

  let closing;
  const shutDown = async () => {
    emu.lifetime.abort();
    const closed = new Promise((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    await stateFile?.close();
  };
  return { url, port, close: () => (closing ??= shutDown()) };
}

// ---------------------------------------------------------------------------
// Command line

// What it prints on start: the URL first (on a line of its own, for scripts), then the keys and
// the control plane. Keys given in place of the defaults are not printed: they may be real.
function startUpLines(url, apiKeys) {
  const defaults = apiKeys.length === 2 && apiKeys[0] === DEFAULT_TEST_KEY && apiKeys[1] === DEFAULT_PRODUCTION_KEY;
  const production = apiKeys.filter((key) => environmentOfKey(key) === "production").length;
  const keys = defaults
    ? [`  test key:        ${DEFAULT_TEST_KEY}`, `  production key:  ${DEFAULT_PRODUCTION_KEY}`]
    : [`  API keys:        ${apiKeys.length} given (${apiKeys.length - production} test, ${production} production)`];
  return [
    `Refold emulator listening on ${url}`,
    ...keys,
    `  control plane:   ${url}${CONTROL_PREFIX} (faults, rate limit, request log, reset; see EMULATOR.md)`,
    "",
  ].join("\n");
}

const USAGE = `Usage: refold-emulator [--host HOST] [--port PORT] [--udf merge|replace] [--not-found 404|500]
                       [--data FILE] [--api-key KEY]... [--allow-host NAME]... [--allow-origin ORIGIN]...

Runs a local emulator of Refold's linked-account API (see EMULATOR.md).

Options:
  --host HOST           interface to listen on (default ${DEFAULT_HOST})
  --port PORT           port to listen on; 0 picks a free one (default ${DEFAULT_PORT})
  --udf merge|replace   how an update applies "udf" (default merge)
  --not-found 404|500   the status for an unknown account on GET and DELETE (default 404)
  --data FILE           keep state in FILE across restarts (written atomically)
  --api-key KEY         accepted API key, repeatable; replaces the two default keys
                        (a key starting with "pk" is production, any other is test)
  --allow-host NAME     serve requests whose Host is NAME, repeatable (loopback names and
                        addresses always are: localhost, 127.0.0.0/8, [::1])
  --allow-origin ORIGIN let the web page at ORIGIN (e.g. http://127.0.0.1:5173) use the control
                        plane, repeatable (the API answers every page)
  -h, --help            show this help

Default API keys:
  test        ${DEFAULT_TEST_KEY}   (DEFAULT_TEST_KEY)
  production  ${DEFAULT_PRODUCTION_KEY}   (DEFAULT_PRODUCTION_KEY)

Control plane (for tests; faults, rate limit, request log, reset):
  http://${DEFAULT_HOST}:${DEFAULT_PORT}${CONTROL_PREFIX}   (with the default host and port)
`;

// "404" and "500" become numbers; any other text is left for resolveOptions to refuse.
const notFoundStatus = (text) => (/^[0-9]+$/.test(text) ? Number(text) : text);

function parseCommandLine(args) {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      udf: { type: "string" },
      "not-found": { type: "string" },
      data: { type: "string" },
      "api-key": { type: "string", multiple: true },
      "allow-host": { type: "string", multiple: true },
      "allow-origin": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  if (values.port !== undefined && !/^[0-9]{1,5}$/.test(values.port)) {
    throw new TypeError("--port must be an integer from 0 to 65535");
  }
  const options = {
    host: values.host,
    port: values.port === undefined ? undefined : Number(values.port),
    udf: values.udf,
    notFound: values["not-found"] === undefined ? undefined : notFoundStatus(values["not-found"]),
    dataFile: values.data,
    apiKeys: values["api-key"],
    allowHosts: values["allow-host"],
    allowOrigins: values["allow-origin"],
  };
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { options: resolveOptions(given) };
}

async function main(args) {
  let parsed;
  try {
    parsed = parseCommandLine(args);
  } catch (error) {
    process.stderr.write(`refold-emulator: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  let emulator;
  try {
    emulator = await startEmulator(parsed.options);
  } catch (error) {
    process.stderr.write(`refold-emulator: ${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const stop = async () => {
    try {
      await emulator.close();
    } catch (error) {
      process.stderr.write(`refold-emulator: ${error.message}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // npx runs it under `sh -c` and passes SIGTERM to that shell only, which dies and leaves the
  // emulator running: under npx, the parent going away stops it as a signal would.
  if (process.env.npm_command === "exec") {
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && void stop(), 250).unref();
  }
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
}

// No top-level await: it would stop `require("refold-linked-accounts/emulator")` (require of
// ES modules works only for modules without it).
if (isMainModule()) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`refold-emulator: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
