// The one check every runtime fixture runs, unchanged, inside its runtime (Node, Deno, Bun,
// workerd, Chromium): one real upsert against the emulator, one VALIDATION_FAILED case and one
// ABORTED call, both errors instances of the exported LinkedAccountError; then every other call
// on that account: get, list, every page with allLinkedAccounts, a session token, get with that
// token, delete, and get again (404).
// Plain ES module with no imports, so every bundler and runtime takes it as is. Throws on the
// first mismatch; returns a JSON-compatible summary that the runner compares again.

/** What the runner expects back from `check` for the account id `id`. */
export function expected(id) {
  return {
    account_id: id,
    __v: 0,
    new_account: true,
    udf: [["runtime", id], ["seats", 3]],
    requestIssues: [["udf", "seats"], "not_finite"],
    error: { code: "VALIDATION_FAILED", path: ["udf", "seats"], issueCode: "not_finite" },
    aborted: { code: "ABORTED", attempts: 0, cause: "stop", instance: true },
    calls: {
      get: { account_id: id, __v: 0, sameAsUpsert: true },
      list: { limit: 100, ours: pageIds(id) },
      all: { countIsTotalDocs: true, distinct: true, ours: pageIds(id) },
      token: { token: "string", expires_in: "number", refresh_token: "string" },
      getWithToken: { account_id: id, sameAsUpsert: true },
      deleted: [DELETED, DELETED, DELETED],
      afterDelete: { code: "HTTP_ERROR", status: 404, apiErrorCode: "NOT_FOUND" },
    },
  };
}

/** The list page size `check` walks every account with (`allLinkedAccounts`). */
export const ALL_LIMIT = 2;
const DELETED = { message: "User deleted successfully" };
/** The accounts `check` creates for `id`, in creation order. */
export const pageIds = (id) => [id, `${id}-page-a`, `${id}-page-b`];

const fail = (what, got, want) => {
  throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * @param {object} sdk the package's namespace as this runtime loaded it
 * @param {{ baseUrl: string, apiKey: string, id: string, browser?: boolean }} env
 */
export async function check(sdk, { baseUrl, apiKey, id, browser = false }) {
  for (const name of ["upsertLinkedAccount", "validateUpsertLinkedAccount", "isLinkedAccountError", "LinkedAccountError"]) {
    if (typeof sdk[name] !== "function") fail(`typeof ${name}`, typeof sdk[name], "function");
  }
  const options = { apiKey, baseUrl, maxRetries: 0, timeoutMs: 10000 };
  if (browser) options.dangerouslyAllowBrowser = true;

  // 1. A real call: create the account.
  const request = { linked_account_id: id, name: "Runtime fixture", udf: { runtime: id, seats: 3 } };
  const valid = sdk.validateUpsertLinkedAccount(request);
  if (!Array.isArray(valid) || valid.length !== 0) fail("validate(valid request)", valid, []);
  let account;
  try {
    account = await sdk.upsertLinkedAccount(request, options);
  } catch (e) {
    throw new Error(`upsert rejected: ${e && e.code} ${e && e.message}`);
  }
  if (account === null || typeof account !== "object") fail("account", account, "an object");
  if (account.account_id !== id) fail("account.account_id", account.account_id, id);
  if (account.__v !== 0) fail("account.__v", account.__v, 0);
  if (account.new_account !== true) fail("account.new_account", account.new_account, true);
  if (typeof account._id !== "string" || account._id === "") fail("account._id", account._id, "a string");
  const udf = Array.isArray(account.udf) ? account.udf.map((e) => [e.key_name, e.key_value]) : account.udf;
  if (!same(udf, expected(id).udf)) fail("account.udf", udf, expected(id).udf);

  // 2. VALIDATION_FAILED: rejected before sending, with the issue's path and code.
  const bad = { linked_account_id: `${id}-invalid`, udf: { seats: Infinity } };
  const issues = sdk.validateUpsertLinkedAccount(bad);
  const first = issues && issues[0];
  if (!first || !same([first.path, first.code], expected(id).requestIssues)) {
    fail("validate(bad request)[0]", issues, expected(id).requestIssues);
  }
  const error = await sdk.upsertLinkedAccount(bad, options).then(
    (value) => fail("upsert(bad request)", value, "a VALIDATION_FAILED rejection"),
    (e) => e,
  );
  if (!(error instanceof Error)) fail("rejection instanceof Error", String(error), true);
  if (sdk.isLinkedAccountError(error) !== true) fail("isLinkedAccountError(rejection)", false, true);
  if (error.name !== "LinkedAccountError") fail("error.name", error.name, "LinkedAccountError");
  if (!(error instanceof sdk.LinkedAccountError)) fail("rejection instanceof LinkedAccountError", false, true);
  const got = {
    code: error.code,
    path: error.issues && error.issues[0] && error.issues[0].path,
    issueCode: error.issues && error.issues[0] && error.issues[0].code,
  };
  if (!same(got, expected(id).error)) fail("VALIDATION_FAILED error", got, expected(id).error);

  // 3. An error made once the call is under way (here the caller's signal, which had fired) is
  // an instance of the exported class too.
  const stopped = await sdk
    .upsertLinkedAccount({ linked_account_id: `${id}-aborted` }, { ...options, signal: AbortSignal.abort("stop") })
    .then(
      (value) => fail("upsert(aborted signal)", value, "an ABORTED rejection"),
      (e) => e,
    );
  const aborted = {
    code: stopped.code,
    attempts: stopped.attempts,
    cause: stopped.cause,
    instance: stopped instanceof sdk.LinkedAccountError,
  };
  if (!same(aborted, expected(id).aborted)) fail("ABORTED", aborted, expected(id).aborted);

  // 4. The calls beside upsert. Their requests carry x-fixture-id, so the runner can find them
  // in the emulator's log.
  const tagged = { ...options, headers: { "x-fixture-id": id } };
  const { new_account: _, ...stored } = account;
  const fetched = await sdk.getLinkedAccount(id, tagged);
  for (const extra of pageIds(id).slice(1)) await sdk.upsertLinkedAccount({ linked_account_id: extra }, options);
  const ours = (accounts) => accounts.map((a) => a.account_id).filter((a) => pageIds(id).includes(a));
  const page = await sdk.listLinkedAccounts({ limit: 100 }, tagged);
  if (!Array.isArray(page.docs) || typeof page.totalDocs !== "number") fail("listLinkedAccounts", page, "a page");
  const all = [];
  for await (const a of sdk.allLinkedAccounts({ limit: ALL_LIMIT }, tagged)) all.push(a);
  const token = await sdk.createSessionToken(id, undefined, tagged);
  // The token is a secret: only its type is reported.
  const viaToken = await sdk.getLinkedAccount(id, { baseUrl, sessionToken: token.token, maxRetries: 0, timeoutMs: 10000, headers: { "x-fixture-id": id } });
  const deleted = [];
  for (const gone of pageIds(id)) deleted.push(await sdk.deleteLinkedAccount(gone, tagged));
  const missing = await sdk.getLinkedAccount(id, tagged).then(
    (value) => fail("getLinkedAccount after delete", value, "an HTTP_ERROR 404"),
    (e) => e,
  );
  // A get adds the installed apps (`integrations`, none on the emulator) to what upsert returned.
  const asStored = ({ integrations, ...rest }) => Array.isArray(integrations) && integrations.length === 0 && same(rest, stored);
  const calls = {
    get: { account_id: fetched.account_id, __v: fetched.__v, sameAsUpsert: asStored(fetched) },
    list: { limit: page.limit, ours: ours(page.docs) },
    all: { countIsTotalDocs: all.length === page.totalDocs, distinct: new Set(all.map((a) => a._id)).size === all.length, ours: ours(all) },
    token: { token: typeof token.token, expires_in: typeof token.expires_in, refresh_token: typeof token.refresh_token },
    getWithToken: { account_id: viaToken.account_id, sameAsUpsert: asStored(viaToken) },
    deleted,
    afterDelete: { code: missing.code, status: missing.status, apiErrorCode: missing.apiErrorCode },
  };
  if (!same(calls, expected(id).calls)) fail("get, list, all, token, delete", calls, expected(id).calls);

  return {
    account_id: account.account_id,
    __v: account.__v,
    new_account: account.new_account,
    udf,
    requestIssues: [first.path, first.code],
    error: got,
    aborted,
    calls,
    // Not compared with expected(id): how many accounts the emulator held, for the runner's
    // count of list requests.
    totalDocs: page.totalDocs,
  };
}
