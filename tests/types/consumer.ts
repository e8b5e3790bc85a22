// A consumer of refold-linked-accounts, type-checked by tests/types/run.sh (tsc --strict,
// no emit). It uses the API the normal ways; every `@ts-expect-error` line is a misuse the
// contract must reject (tsc fails if that line compiles).

import {
  allLinkedAccounts,
  createSessionToken,
  deleteLinkedAccount,
  getLinkedAccount,
  isLinkedAccountError,
  LinkedAccountError,
  listLinkedAccounts,
  upsertLinkedAccount,
  validateUpsertLinkedAccount,
  type ApiKeyClientOptions,
  type ClientOptions,
  type CreateSessionTokenOptions,
  type DeletedLinkedAccount,
  type ErrorCode,
  type FetchFunction,
  type HttpError,
  type IssueCode,
  type LinkedAccount,
  type LinkedAccountErrorOf,
  type LinkedAccountPage,
  type ListLinkedAccountsQuery,
  type SessionToken,
  type UdfEntry,
  type UdfValue,
  type UpsertLinkedAccountRequest,
  type ValidationIssue,
} from "refold-linked-accounts";

// --- type-level helpers ------------------------------------------------------------------------

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | undefined {
  return undefined;
}
declare const env: Record<string, string | undefined>;
declare function log(...values: unknown[]): void;

// --- the unions are exactly the documented codes --------------------------------------------

assertType<
  Equal<
    ErrorCode,
    | "VALIDATION_FAILED"
    | "INVALID_OPTIONS"
    | "HTTP_ERROR"
    | "NETWORK_ERROR"
    | "TIMEOUT"
    | "ABORTED"
    | "DECODE_ERROR"
  >
>();
assertType<Equal<LinkedAccountError["code"], ErrorCode>>();
assertType<
  Equal<
    IssueCode,
    | "required"
    | "invalid_type"
    | "too_small"
    | "too_big"
    | "invalid_string"
    | "unrecognized_key"
    | "duplicate_key"
    | "not_finite"
    | "conflict"
  >
>();
assertType<Equal<ValidationIssue["path"], (string | number)[]>>();
assertType<Equal<LinkedAccountError["name"], "LinkedAccountError">>();
assertType<Equal<LinkedAccountErrorOf<"HTTP_ERROR">, HttpError>>();
assertType<Equal<UdfValue, string | number | boolean | null>>();
assertType<Equal<ReturnType<typeof upsertLinkedAccount>, Promise<LinkedAccount>>>();
assertType<Equal<ReturnType<typeof validateUpsertLinkedAccount>, ValidationIssue[]>>();
assertType<Equal<ReturnType<typeof getLinkedAccount>, Promise<LinkedAccount>>>();
assertType<Equal<ReturnType<typeof listLinkedAccounts>, Promise<LinkedAccountPage>>>();
assertType<Equal<ReturnType<typeof allLinkedAccounts>, AsyncGenerator<LinkedAccount, void, undefined>>>();
assertType<Equal<ReturnType<typeof deleteLinkedAccount>, Promise<DeletedLinkedAccount>>>();
assertType<Equal<ReturnType<typeof createSessionToken>, Promise<SessionToken>>>();
assertType<Equal<Parameters<typeof listLinkedAccounts>[0], ListLinkedAccountsQuery | undefined>>();
assertType<Equal<Parameters<typeof allLinkedAccounts>[0], ListLinkedAccountsQuery | undefined>>();
assertType<Equal<Parameters<typeof createSessionToken>[1], CreateSessionTokenOptions | undefined>>();
assertType<Equal<Parameters<typeof getLinkedAccount>[1], ClientOptions>>();
assertType<Equal<Parameters<typeof deleteLinkedAccount>[1], ApiKeyClientOptions>>();
assertType<Equal<LinkedAccountPage["docs"], LinkedAccount[]>>();
assertType<Equal<LinkedAccountPage["nextPage"], number | null>>();
assertType<Equal<SessionToken["expires_in"], number | null | undefined>>();
assertType<Equal<SessionToken["token"], string>>();
assertType<Equal<HttpError["unansweredAttempts"], number>>();

// --- normal use -----------------------------------------------------------------------------

async function serverSide(): Promise<LinkedAccount> {
  const request: UpsertLinkedAccountRequest = {
    linked_account_id: "acme-42",
    name: "Acme Inc.",
    your_app: { auth_credentials: { "x-api-key": "customer-key" }, app_id: "64f0c0ffee" },
    udf: { plan: "pro", seats: 12, trial: false, churned_at: null },
  };
  const account = await upsertLinkedAccount(request, {
    apiKey: env["REFOLD_API_KEY"], // string | undefined is fine: undefined means absent
    timeoutMs: 10_000,
    maxRetries: 3,
    headers: { "x-trace-id": "abc" },
  });
  const id: string = account._id;
  const accountId: string = account.account_id;
  const env2: "test" | "production" | (string & {}) = account.environment;
  const version: number = account.__v;
  const created: boolean | undefined = account.new_account;
  const extra: unknown = account["is_seed"]; // fields the server adds stay readable
  const entries: UdfEntry[] = account.udf;
  for (const entry of entries) {
    const value: string | number | boolean | null = entry.key_value;
    log(entry.key_name, value, entry._id, entry.createdAt, entry.updatedAt);
  }
  log(id, accountId, env2, version, created, extra);
  return account;
}

async function browserSide(token: string, signal: AbortSignal): Promise<void> {
  const custom: FetchFunction = (req) => fetch(req);
  await upsertLinkedAccount(
    { linked_account_id: "acme-42" },
    {
      sessionToken: token,
      signal,
      headers: new Headers({ "x-trace-id": "abc" }),
      fetch: custom,
    },
  );
  // the global fetch fits the fetch option as-is
  await upsertLinkedAccount({ linked_account_id: "a" }, { sessionToken: token, fetch });
  // a proxy that adds auth: no credential at all
  await upsertLinkedAccount({ linked_account_id: "a" }, { baseUrl: "https://example.com/refold" });
  // internal tool that knowingly ships the org key to a browser
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", dangerouslyAllowBrowser: true });
  // options built up front
  const options: ClientOptions = { apiKey: "tk1", baseUrl: "http://127.0.0.1:8787" };
  await upsertLinkedAccount({ linked_account_id: "a" }, options);
}

// the calls beside upsert, server side with the org key
async function otherCalls(signal: AbortSignal): Promise<number> {
  const options: ApiKeyClientOptions = { apiKey: env["REFOLD_API_KEY"], timeoutMs: 5_000, signal };
  const one: LinkedAccount = await getLinkedAccount("markwood@example.com", options);
  log(one.account_id, one.udf);

  const query: ListLinkedAccountsQuery = { page: 2, limit: 100, env_variable_name: "plan", env_variable_value: "pro", scope: "team" };
  const page = await listLinkedAccounts(query, options);
  const firstId: string | undefined = page.docs[0]?.account_id;
  for (const doc of page.docs) {
    const accountId: string = doc.account_id;
    const version: number = doc.__v;
    log(accountId, version);
  }
  const total: number = page.totalDocs;
  const more: boolean = page.hasNextPage;
  const next: number | null = page.nextPage;
  const previous: number | null = page.prevPage;
  log(firstId, total, more, next, previous, page.limit, page.page, page.totalPages, page.pagingCounter, page.hasPrevPage);
  const firstPage: LinkedAccountPage = await listLinkedAccounts(undefined, options);
  log(firstPage);

  let count = 0;
  for await (const account of allLinkedAccounts({ limit: 100 }, options)) {
    assertType<Equal<typeof account, LinkedAccount>>();
    const accountId: string = account.account_id;
    log(accountId);
    count += 1;
  }
  for await (const account of allLinkedAccounts(undefined, { apiKey: "tk1" })) log(account._id);

  const token = await createSessionToken("markwood@example.com", undefined, options);
  const bearer: string = token.token;
  // Older API versions send only `token`; a `null` counts as absent.
  const expiresIn: number | null | undefined = token.expires_in;
  const refresh: string | null | undefined = token.refresh_token;
  const refreshExpiresIn: number | null | undefined = token.refresh_expires_in;
  // @ts-expect-error: expires_in may be absent or null
  const alwaysNumber: number = token.expires_in;
  log(alwaysNumber);
  log(expiresIn, refresh, refreshExpiresIn);
  const fresh: SessionToken = await createSessionToken("markwood@example.com", { forceRefresh: true }, options);
  log(fresh);

  // a session token reads its own account
  const mine: LinkedAccount = await getLinkedAccount("markwood@example.com", { sessionToken: bearer });
  log(mine);

  try {
    const gone: DeletedLinkedAccount = await deleteLinkedAccount("markwood@example.com", options);
    const message: string = gone.message;
    log(message);
  } catch (e) {
    if (isLinkedAccountError(e) && e.code === "HTTP_ERROR" && e.status === 404 && e.unansweredAttempts > 0) {
      log("an earlier attempt may have deleted it");
    }
  }
  return count;
}

function liveValidation(form: unknown): string[] {
  return validateUpsertLinkedAccount(form).map(
    (issue: ValidationIssue) => `${issue.path.join(".")}: ${issue.code} ${issue.message}`,
  );
}

function describe(e: LinkedAccountError): string {
  // common to every member
  const base = `${e.name} ${e.code} ${e.message} ${e.stack ?? ""}`;
  // readable without narrowing: undefined before sending
  const attempts: number | undefined = e.attempts;
  const retryable: boolean | undefined = e.retryable;
  log(attempts, retryable);
  switch (e.code) {
    case "VALIDATION_FAILED":
    case "INVALID_OPTIONS": {
      const issues: ValidationIssue[] = e.issues;
      return `${base} ${issues.map((i) => i.path.join(".")).join(", ")}`;
    }
    case "HTTP_ERROR": {
      const status: number = e.status;
      const apiErrorCode: string | null = e.apiErrorCode;
      const httpErrorType: string | null = e.httpErrorType;
      const requestId: string | null = e.requestId;
      const body: unknown = e.body;
      const raw: string = e.rawBody;
      const again: boolean = e.retryable;
      const after: number | null = e.retryAfterMs;
      const n: number = e.attempts;
      log(body, raw, again, after, n);
      return `${base} ${status} ${apiErrorCode} ${httpErrorType} ${requestId}`;
    }
    case "NETWORK_ERROR": {
      const cause: unknown = e.cause;
      // false for a createSessionToken with forceRefresh, which does not retry it
      const again: boolean = e.retryable;
      log(cause, again);
      return `${base} after ${e.attempts}`;
    }
    case "TIMEOUT": {
      const ms: number = e.timeoutMs;
      const again: boolean = e.retryable;
      log(again);
      return `${base} ${ms} ms after ${e.attempts}`;
    }
    case "ABORTED": {
      const no: false = e.retryable;
      log(e.cause, no);
      return `${base} after ${e.attempts}`;
    }
    case "DECODE_ERROR": {
      const no: false = e.retryable;
      log(no);
      return `${base} ${e.status} ${e.rawBody} ${e.requestId ?? "-"} after ${e.attempts}`;
    }
    default: {
      const unreachable: never = e;
      return unreachable;
    }
  }
}

async function catchAndNarrow(): Promise<void> {
  try {
    await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1" });
  } catch (e) {
    if (!isLinkedAccountError(e)) throw e;
    const asError: Error = e; // every member is a real Error
    log(asError, describe(e));
    if (e.code === "HTTP_ERROR" && e.status === 429 && e.retryAfterMs !== null) {
      log(`retry in ${e.retryAfterMs} ms`);
    }
    if (e.code === "HTTP_ERROR" || e.code === "DECODE_ERROR") {
      log(e.status, e.rawBody, e.requestId); // fields common to both
    }
    if ("status" in e) {
      log(e.status);
    }
  }
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1" }).catch((e: unknown) => {
    if (isLinkedAccountError(e) && e.retryable) log("was retried", e.attempts);
  });
}

// --- misuse the contract must reject ----------------------------------------------------------

async function negatives(e: LinkedAccountError, token: string): Promise<void> {
  // a missing linked_account_id
  // @ts-expect-error linked_account_id is required
  await upsertLinkedAccount({ name: "Acme" }, { apiKey: "tk1" });

  // a camelCase request key
  // @ts-expect-error the API's names are snake_case
  await upsertLinkedAccount({ linkedAccountId: "a" }, { apiKey: "tk1" });

  // a misspelt option
  // @ts-expect-error apikey is not an option (apiKey is)
  await upsertLinkedAccount({ linked_account_id: "a" }, { apikey: "tk1" });

  // reading status before narrowing on code
  // @ts-expect-error status exists only on HTTP_ERROR and DECODE_ERROR
  log(e.status);

  // reading issues before narrowing on code
  // @ts-expect-error issues exists only on VALIDATION_FAILED and INVALID_OPTIONS
  log(e.issues);

  // reading a field of another code after narrowing
  if (e.code === "TIMEOUT") {
    // @ts-expect-error a TIMEOUT has no status
    log(e.status);
  }

  // both credentials
  // @ts-expect-error give apiKey or sessionToken, not both
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", sessionToken: token });

  // @ts-expect-error the same through an annotated options object
  const both: ClientOptions = { sessionToken: token, apiKey: "tk1" };
  log(both);

  // a udf value that is an object
  // @ts-expect-error udf values are primitives
  await upsertLinkedAccount({ linked_account_id: "a", udf: { address: { city: "Pune" } } }, { apiKey: "tk1" });

  // a udf value that is an array
  // @ts-expect-error udf values are primitives
  await upsertLinkedAccount({ linked_account_id: "a", udf: { tags: ["x"] } }, { apiKey: "tk1" });

  // timeoutMs as a string
  // @ts-expect-error timeoutMs is a number of ms
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", timeoutMs: "30000" });

  // name: null
  // @ts-expect-error null is not a string
  await upsertLinkedAccount({ linked_account_id: "a", name: null }, { apiKey: "tk1" });

  // a credential value that is not a string
  // @ts-expect-error auth_credentials values are strings
  await upsertLinkedAccount({ linked_account_id: "a", your_app: { auth_credentials: { port: 443 } } }, { apiKey: "tk1" });

  // your_app without auth_credentials
  // @ts-expect-error auth_credentials is required inside your_app
  await upsertLinkedAccount({ linked_account_id: "a", your_app: { app_id: "x" } }, { apiKey: "tk1" });

  // a signal that is not an AbortSignal
  // @ts-expect-error signal must be an AbortSignal
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", signal: true });

  // options are required
  // @ts-expect-error options is a required argument
  await upsertLinkedAccount({ linked_account_id: "a" });

  // codes are closed unions
  // @ts-expect-error not an error code
  const code: ErrorCode = "RATE_LIMITED";
  // @ts-expect-error not an issue code
  const issueCode: IssueCode = "invalid_value";
  log(code, issueCode);

  // the resolved value's documented fields keep their types
  const account = await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1" });
  // @ts-expect-error _id is a string
  const n: number = account._id;
  log(n);

  // a misspelt field of the returned account
  // @ts-expect-error acount_id is not a field (account_id is)
  log(account.acount_id);

  // a misspelt request key
  // @ts-expect-error nmae is not a request key (name is)
  await upsertLinkedAccount({ linked_account_id: "a", nmae: "Acme" }, { apiKey: "tk1" });

  // maxResponseBytes is a number of bytes
  // @ts-expect-error maxResponseBytes is a number
  await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", maxResponseBytes: "1mb" });
}

async function otherNegatives(token: string, options: ClientOptions): Promise<void> {
  // @ts-expect-error page is a number, not a string
  await listLinkedAccounts({ page: "2" }, { apiKey: "tk1" });

  // @ts-expect-error env_variable_nme is not a filter (env_variable_name is)
  await listLinkedAccounts({ env_variable_nme: "plan" }, { apiKey: "tk1" });

  // @ts-expect-error limit is a number
  allLinkedAccounts({ limit: "100" }, { apiKey: "tk1" });

  // @ts-expect-error listLinkedAccounts takes the org key, not a session token
  await listLinkedAccounts(undefined, { sessionToken: token });

  // @ts-expect-error allLinkedAccounts takes the org key, not a session token
  allLinkedAccounts(undefined, { sessionToken: token });

  // @ts-expect-error deleteLinkedAccount takes the org key, not a session token
  await deleteLinkedAccount("a", { sessionToken: token });

  // @ts-expect-error createSessionToken takes the org key, not a session token
  await createSessionToken("a", undefined, { sessionToken: token });

  // @ts-expect-error options that may hold a session token do not fit a key-only call
  await deleteLinkedAccount("a", options);

  // @ts-expect-error an ApiKeyClientOptions holds no session token
  const keyOnly: ApiKeyClientOptions = { sessionToken: token };
  log(keyOnly);

  // @ts-expect-error forceRefresh is a boolean
  await createSessionToken("a", { forceRefresh: "yes" }, { apiKey: "tk1" });

  // @ts-expect-error the token options come second, the client options third
  await createSessionToken("a", { apiKey: "tk1" });

  // @ts-expect-error the id is a string
  await getLinkedAccount(42, { apiKey: "tk1" });

  // @ts-expect-error options are required
  allLinkedAccounts({ limit: 10 });

  const page = await listLinkedAccounts(undefined, { apiKey: "tk1" });
  // @ts-expect-error a page's accounts are in docs
  log(page.items);

  const session = await createSessionToken("a", undefined, { apiKey: "tk1" });
  // @ts-expect-error expires_in may be absent
  const seconds: number = session.expires_in;
  log(seconds);

  const deleted = await deleteLinkedAccount("a", { apiKey: "tk1" });
  // @ts-expect-error a delete answers { message }, not an account
  log(deleted.account_id);
}

async function withInstanceof(): Promise<void> {
  try {
    await upsertLinkedAccount({ linked_account_id: "a" }, { apiKey: "tk1", maxResponseBytes: 1 << 20 });
  } catch (e) {
    if (!(e instanceof LinkedAccountError)) throw e;
    // instanceof narrows to the union, as isLinkedAccountError does
    const same: LinkedAccountError = e;
    if (e.code === "DECODE_ERROR") log(e.status, e.rawBody, same);
  }
}

log(serverSide, browserSide, otherCalls, liveValidation, catchAndNarrow, negatives, otherNegatives, withInstanceof);
