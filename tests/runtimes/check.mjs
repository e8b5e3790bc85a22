// The one check every runtime fixture runs, unchanged, inside its runtime (Node, Deno, Bun,
// workerd, Chromium): one real upsert against the emulator, one VALIDATION_FAILED case and one
// ABORTED call, both errors instances of the exported LinkedAccountError.
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
  };
}

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

  return {
    account_id: account.account_id,
    __v: account.__v,
    new_account: account.new_account,
    udf,
    requestIssues: [first.path, first.code],
    error: got,
    aborted,
  };
}
