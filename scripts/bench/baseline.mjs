// The benchmark's baseline: the same client written the way a JS team would write it, with
// `zod` (strict object schemas) for validation and `ky` for fetch, retries and timeouts.
// Same public shape as the package: upsertLinkedAccount(request, options),
// validateUpsertLinkedAccount(request) → {path, code, message}[], isLinkedAccountError(e).
// Same request rules (docs/contract.md, Request rules: strict objects, unknown keys rejected,
// every issue at once), same retry policy (docs/contract.md, Retries: 408/429/502/503/504,
// network errors and timeouts; 500 ms doubling, capped at 8 s, jitter ×[0.5, 1]; Retry-After
// honoured up to 60 s).
// Not shipped: bench/run.mjs bundles it with esbuild to weigh it and times it beside ours.
import ky, { HTTPError, TimeoutError } from "ky";
import * as z from "zod";

const DEFAULT_BASE_URL = "https://app.refold.ai";
const RETRY_STATUSES = [408, 429, 502, 503, 504];
// U+0000–U+001F and U+007F–U+009F.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

const isPlainObject = (v) => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const notBlank = (s) => s.trim().length > 0;
const wellFormed = (s) => s.isWellFormed?.() ?? true;
const rule = (code, message) => ({ message, params: { code } });

// zod's object type accepts Map, Date and class instances; the request rules want plain objects only.
const plain = (what, schema) =>
  z.custom(isPlainObject, rule("invalid_type", `expected ${what}`)).pipe(schema);

const text = (field) =>
  z.string().refine(wellFormed, rule("invalid_string", `${field} holds a lone UTF-16 surrogate`));

const nonBlankText = (field) =>
  text(field).refine(notBlank, rule("too_small", `${field} must not be empty or whitespace only`));

// zod skips refinements once a value failed; the request rules want every issue at once.
const ALWAYS = { when: () => true };

// Record keys: non-empty after trim(); for credentials also unique ignoring ASCII case.
const checkKeys = (what, { unique }) => (record, ctx) => {
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  if (unique && keys.length === 0) {
    ctx.addIssue({ code: "custom", ...rule("too_small", `${what} must have at least one key`) });
    return;
  }
  const seen = new Map();
  for (const key of keys) {
    if (!notBlank(key)) {
      ctx.addIssue({
        code: "custom",
        path: [key],
        ...rule("too_small", `${what} keys must not be empty or whitespace only`),
      });
    } else if (unique) {
      const folded = key.toLowerCase();
      if (seen.has(folded)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          ...rule("duplicate_key", `credential key "${key}" repeats "${seen.get(folded)}" ignoring case`),
        });
      } else seen.set(folded, key);
    }
  }
};

const credentials = plain(
  "an object of string credentials",
  z
    .record(z.string(), text("a credential").optional())
    .superRefine(checkKeys("auth_credentials", { unique: true }), ALWAYS),
);

const udfValue = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

export const UpsertLinkedAccountRequest = plain(
  "a plain object",
  z.strictObject({
    linked_account_id: nonBlankText("linked_account_id").refine(
      (s) => !CONTROL.test(s),
      rule("invalid_string", "linked_account_id must not contain control characters"),
    ),
    name: text("name").optional(),
    your_app: plain(
      "an object with auth_credentials",
      z.strictObject({
        auth_credentials: credentials,
        app_id: nonBlankText("app_id").optional(),
      }),
    ).optional(),
    udf: plain(
      "an object of primitive values",
      z.record(z.string(), udfValue).superRefine(checkKeys("udf", { unique: false }), ALWAYS),
    ).optional(),
  }),
);

const KNOWN_KEYS = {
  "": ["linked_account_id", "name", "your_app", "udf"],
  your_app: ["auth_credentials", "app_id"],
};
const OPTION_KEYS = [
  "apiKey",
  "sessionToken",
  "baseUrl",
  "timeoutMs",
  "maxRetries",
  "signal",
  "headers",
  "fetch",
  "dangerouslyAllowBrowser",
];

const squash = (s) => s.replace(/[-_ ]/g, "").toLowerCase();
const suggest = (key, known) => {
  const wanted = squash(key);
  return known.find((k) => squash(k) === wanted) ?? known.find((k) => wanted.length >= 4 && (squash(k).startsWith(wanted) || wanted.startsWith(squash(k))));
};
const unknownKey = (key, known) => {
  const hit = known && suggest(key, known);
  return `unknown key "${key}"${hit ? `; did you mean "${hit}"?` : ""}`;
};

const valueAt = (root, path) => {
  let v = root;
  for (const seg of path) v = v == null ? undefined : v[seg];
  return v;
};

// zod issues → the package's {path, code, message} issues.
function toIssues(zodIssues, input, knownKeys) {
  const out = [];
  for (const issue of zodIssues) {
    const path = issue.path;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys[path.join(".")] ?? knownKeys;
      for (const key of issue.keys) {
        if (valueAt(input, [...path, key]) === undefined) continue; // `undefined` = absent
        out.push({ path: [...path, key], code: "unrecognized_key", message: unknownKey(key, Array.isArray(known) ? known : undefined) });
      }
      continue;
    }
    const value = valueAt(input, path);
    let code = issue.params?.code ?? issue.code;
    if (value === undefined && path.length > 0) code = "required";
    else if (issue.code === "invalid_union" || issue.code === "invalid_type") {
      code = typeof value === "number" && !Number.isFinite(value) ? "not_finite" : "invalid_type";
    } else if (issue.code === "too_big") code = "too_big";
    else if (issue.code === "too_small") code = "too_small";
    else if (issue.code === "invalid_format") code = "invalid_string";
    out.push({ path, code, message: issue.message });
  }
  return out;
}

/** Every broken request rule (docs/contract.md, Request rules), at once; `[]` when valid. Never throws. */
export function validateUpsertLinkedAccount(request) {
  const result = UpsertLinkedAccountRequest.safeParse(request);
  return result.success ? [] : toIssues(result.error.issues, request, KNOWN_KEYS);
}

const secret = z
  .string()
  .min(1)
  .regex(VISIBLE_ASCII, { message: "must be visible ASCII", params: { code: "invalid_string" } });
const OWNED_HEADERS = new Set(["x-api-key", "authorization", "content-type"]);
const isLoopback = (host) =>
  host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
const isRefoldHost = (host) => /(^|\.)refold\.ai\.?$/.test(host);

const ClientOptions = plain(
  "an options object",
  z
    .strictObject({
      apiKey: secret.optional(),
      sessionToken: secret.optional(),
      baseUrl: z
        .string()
        .refine((s) => {
          if (!URL.canParse(s)) return false;
          const u = new URL(s);
          if (u.search || u.hash || s.includes("#") || s.includes("?")) return false;
          return u.protocol === "https:" || (u.protocol === "http:" && isLoopback(u.hostname));
        }, rule("invalid_string", "baseUrl must be an absolute https: URL (http: only to loopback) without query or fragment"))
        .optional(),
      timeoutMs: z.number().int().min(1).max(600_000).optional(),
      maxRetries: z.number().int().min(0).max(10).optional(),
      signal: z.instanceof(AbortSignal).optional(),
      headers: z
        .union([z.instanceof(Headers), plain("headers", z.record(z.string(), z.string()))])
        .optional(),
      fetch: z.custom((v) => typeof v === "function", rule("invalid_type", "fetch must be a function")).optional(),
      dangerouslyAllowBrowser: z.boolean().optional(),
    })
    .superRefine((o, ctx) => {
      if (o.apiKey !== undefined && o.sessionToken !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sessionToken"], ...rule("conflict", "give apiKey or sessionToken, not both") });
      }
      const host = new URL(o.baseUrl ?? DEFAULT_BASE_URL).hostname;
      if (o.apiKey === undefined && o.sessionToken === undefined && isRefoldHost(host)) {
        ctx.addIssue({ code: "custom", path: ["apiKey"], ...rule("required", "apiKey or sessionToken is required") });
      }
      if (o.apiKey !== undefined && globalThis.document !== undefined && o.dangerouslyAllowBrowser !== true) {
        ctx.addIssue({ code: "custom", path: ["apiKey"], ...rule("conflict", "keep the org API key server-side; use a sessionToken in a browser") });
      }
      const names = o.headers instanceof Headers ? [...o.headers.keys()] : Object.keys(o.headers ?? {});
      for (const name of names) {
        if (OWNED_HEADERS.has(name.toLowerCase())) {
          ctx.addIssue({ code: "custom", path: ["headers", name], ...rule("conflict", `the client sets ${name} itself`) });
        }
      }
    }),
);

class LinkedAccountError extends Error {
  constructor(code, message, extra) {
    super(message, extra?.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "LinkedAccountError";
    this.code = code;
    Object.assign(this, extra);
  }
}

/** `e` is an error this client raised. */
export const isLinkedAccountError = (e) =>
  e instanceof Error && e.name === "LinkedAccountError" && typeof e.code === "string";

const parseJson = (t) => {
  try {
    return JSON.parse(t.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
};

/** PUT {baseUrl}/api/v2/public/linked-account, validated first, retried as docs/contract.md, Retries says. */
export async function upsertLinkedAccount(request, options) {
  const issues = validateUpsertLinkedAccount(request);
  if (issues.length) throw new LinkedAccountError("VALIDATION_FAILED", "invalid request", { issues });
  const parsed = ClientOptions.safeParse(options ?? {});
  if (!parsed.success) {
    throw new LinkedAccountError("INVALID_OPTIONS", "invalid options", {
      issues: toIssues(parsed.error.issues, options, OPTION_KEYS),
    });
  }
  const o = parsed.data;
  const headers = new Headers(o.headers);
  headers.set("accept", "application/json");
  if (o.apiKey !== undefined) headers.set("x-api-key", o.apiKey);
  if (o.sessionToken !== undefined) headers.set("authorization", `Bearer ${o.sessionToken}`);
  const timeoutMs = o.timeoutMs ?? 30_000;
  let attempts = 0;
  let response;
  try {
    response = await ky.put("api/v2/public/linked-account", {
      prefixUrl: o.baseUrl ?? DEFAULT_BASE_URL,
      json: request,
      headers,
      timeout: timeoutMs,
      signal: o.signal,
      fetch: o.fetch,
      retry: {
        limit: o.maxRetries ?? 2,
        methods: ["put"],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: RETRY_STATUSES,
        maxRetryAfter: 60_000,
        backoffLimit: 8_000,
        delay: (n) => 500 * 2 ** (n - 1),
        jitter: (d) => d * (0.5 + Math.random() / 2),
        retryOnTimeout: true,
      },
      hooks: { beforeRequest: [() => void attempts++] },
    });
  } catch (error) {
    if (error instanceof HTTPError) {
      const rawBody = (await error.response.text().catch(() => "")).slice(0, 1024);
      const body = parseJson(rawBody) ?? null;
      const status = error.response.status;
      throw new LinkedAccountError("HTTP_ERROR", body?.message ?? `HTTP ${status}`, {
        status,
        apiErrorCode: body?.error_code ?? body?.error ?? null,
        httpErrorType: body?.http_error_type ?? null,
        requestId: body?.request_id ?? error.response.headers.get("x-request-id"),
        body,
        rawBody,
        retryable: RETRY_STATUSES.includes(status),
        attempts,
      });
    }
    if (error instanceof TimeoutError) {
      throw new LinkedAccountError("TIMEOUT", `timed out after ${timeoutMs} ms`, { timeoutMs, attempts, retryable: true });
    }
    if (o.signal?.aborted) {
      throw new LinkedAccountError("ABORTED", "aborted", { cause: o.signal.reason, attempts, retryable: false });
    }
    throw new LinkedAccountError("NETWORK_ERROR", `network error: ${error?.message}`, { cause: error, attempts, retryable: true });
  }
  const rawBody = await response.text();
  const account = parseJson(rawBody);
  if (!isPlainObject(account) || typeof account._id !== "string" || typeof account.account_id !== "string") {
    throw new LinkedAccountError("DECODE_ERROR", "the response is not a linked account", {
      status: response.status,
      rawBody: rawBody.slice(0, 1024),
      requestId: response.headers.get("x-request-id"),
      attempts,
      retryable: false,
    });
  }
  return account;
}
