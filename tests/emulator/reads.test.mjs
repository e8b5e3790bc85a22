// Reading accounts: list filters (env_variable_name, env_variable_value, scope) and their paging,
// the stored scope, integrations on reads of one account, and the --not-found switch.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { DEFAULT_PRODUCTION_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import {
  ACCOUNTS,
  LISTENING,
  asReadOne,
  assertApiError,
  notFoundMessage,
  request,
  runCli,
  withoutNewAccount,
} from "./helpers.mjs";

const ACTIVE_ACCOUNT = "/api/v2/public/session/active-linked-account";

let emulator;
let directory;
before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  directory = await mkdtemp(join(tmpdir(), "refold-emulator-reads-"));
});
after(async () => {
  await emulator.close();
  await rm(directory, { recursive: true, force: true });
});
beforeEach(() => fetch(`${emulator.url}/__emulator/reset`, { method: "POST" }));

const call = (method, path, { base = emulator.url, ...options } = {}) => request(base, method, path, options);
const upsert = (body, options) => call("PUT", ACCOUNTS, { ...options, body });
const list = async (query, options) => {
  const response = await call("GET", `${ACCOUNTS}?${query}`, options);
  assert.equal(response.status, 200);
  return response.json;
};
const ids = (page) => page.docs.map((doc) => doc.account_id);
const invalidQuery = (message) => [400, "BAD_REQUEST", "INVALID_QUERY", message];

test("a filtered list pages over the matching accounts only, in creation order", async () => {
  // 25 accounts, created out of name order; the 10 with region "eu" match.
  const order = Array.from({ length: 25 }, (_, index) => ((index * 7) % 25) + 1);
  const created = new Map();
  for (const number of order) {
    const id = `acct-${String(number).padStart(2, "0")}`;
    const region = number % 5 === 0 || number % 5 === 2 ? "eu" : "us";
    const udf = number % 3 === 0 ? { region, tier: "gold" } : { region };
    created.set(id, (await upsert({ linked_account_id: id, name: `Account ${number}`, udf })).json);
  }
  // An update keeps the account's place and shows in the list.
  const updated = (await upsert({ linked_account_id: "acct-10", name: "Renamed" })).json;
  created.set("acct-10", updated);

  const matching = [...created.keys()].filter((id) => created.get(id).udf[0].key_value === "eu");
  assert.deepEqual(matching, [
    "acct-15",
    "acct-22",
    "acct-25",
    "acct-07",
    "acct-10",
    "acct-17",
    "acct-20",
    "acct-02",
    "acct-05",
    "acct-12",
  ]);
  const docs = (slice) => slice.map((id) => withoutNewAccount(created.get(id)));
  const query = "env_variable_name=region&env_variable_value=eu&limit=4";

  assert.deepEqual(await list(query), {
    docs: docs(matching.slice(0, 4)),
    totalDocs: 10,
    limit: 4,
    totalPages: 3,
    page: 1,
    pagingCounter: 1,
    hasPrevPage: false,
    hasNextPage: true,
    prevPage: null,
    nextPage: 2,
  });
  assert.deepEqual(await list(`${query}&page=2`), {
    docs: docs(matching.slice(4, 8)),
    totalDocs: 10,
    limit: 4,
    totalPages: 3,
    page: 2,
    pagingCounter: 5,
    hasPrevPage: true,
    hasNextPage: true,
    prevPage: 1,
    nextPage: 3,
  });
  assert.deepEqual(await list(`${query}&page=3`), {
    docs: docs(matching.slice(8)),
    totalDocs: 10,
    limit: 4,
    totalPages: 3,
    page: 3,
    pagingCounter: 9,
    hasPrevPage: true,
    hasNextPage: false,
    prevPage: 2,
    nextPage: null,
  });
  assert.deepEqual(await list(`${query}&page=4`), {
    docs: [],
    totalDocs: 10,
    limit: 4,
    totalPages: 3,
    page: 4,
    pagingCounter: 13,
    hasPrevPage: true,
    hasNextPage: false,
    prevPage: 3,
    nextPage: null,
  });
  assert.equal((await list(query)).docs[0].name, "Account 15");
  assert.equal((await list(`${query}&page=2`)).docs[0].name, "Renamed");

  // The unfiltered list still holds all 25, in the same order.
  const all = await list("limit=100");
  assert.equal(all.totalDocs, 25);
  assert.deepEqual(ids(all), [...created.keys()]);
  // No match: one empty page.
  assert.deepEqual(await list("env_variable_name=region&env_variable_value=apac"), {
    docs: [],
    totalDocs: 0,
    limit: 10,
    totalPages: 1,
    page: 1,
    pagingCounter: 1,
    hasPrevPage: false,
    hasNextPage: false,
    prevPage: null,
    nextPage: null,
  });
});

test("env_variable_name alone keeps the accounts that have that udf key, whatever its value", async () => {
  await upsert({ linked_account_id: "a", udf: { plan: "pro" } });
  await upsert({ linked_account_id: "b", udf: { seats: 3 } });
  await upsert({ linked_account_id: "c", udf: { plan: null } });
  await upsert({ linked_account_id: "d" });
  await upsert({ linked_account_id: "e", udf: { Plan: "pro", planned: "yes" } });
  await upsert({ linked_account_id: "f", udf: { plan: "free" } }, { key: DEFAULT_PRODUCTION_KEY });

  const byName = await list("env_variable_name=plan");
  assert.deepEqual(ids(byName), ["a", "c"]);
  assert.equal(byName.totalDocs, 2);
  assert.deepEqual(ids(await list("env_variable_name=seats")), ["b"]);
  assert.deepEqual(ids(await list("env_variable_name=pla")), []);
  assert.deepEqual(ids(await list("env_variable_name=plan", { key: DEFAULT_PRODUCTION_KEY })), ["f"]);
});

test("env_variable_value matches the whole value exactly, numbers, booleans and null as their JSON text", async () => {
  await upsert({ linked_account_id: "text-3", udf: { seats: "3" } });
  await upsert({ linked_account_id: "number-3", udf: { seats: 3 } });
  await upsert({ linked_account_id: "number-1.5", udf: { seats: 1.5 } });
  await upsert({ linked_account_id: "true", udf: { seats: true } });
  await upsert({ linked_account_id: "null", udf: { seats: null } });
  await upsert({ linked_account_id: "spaced", udf: { seats: "3 seats", note: "a b" } });
  await upsert({ linked_account_id: "other-key", udf: { size: 3 } });

  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=3")), ["text-3", "number-3"]);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=1.5")), ["number-1.5"]);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=true")), ["true"]);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=null")), ["null"]);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=3%20seats")), ["spaced"]);
  assert.deepEqual(ids(await list("env_variable_name=note&env_variable_value=a+b")), ["spaced"]);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=seats")), []);
  assert.deepEqual(ids(await list("env_variable_name=seats&env_variable_value=TRUE")), []);
  assert.deepEqual(ids(await list("env_variable_name=size&env_variable_value=3")), ["other-key"]);
});

test("a filter follows udf changes: merge updates the value, replace drops the key", async (t) => {
  await upsert({ linked_account_id: "m", udf: { stage: "trial" } });
  await upsert({ linked_account_id: "m", udf: { stage: "paid" } });
  assert.deepEqual(ids(await list("env_variable_name=stage&env_variable_value=trial")), []);
  assert.deepEqual(ids(await list("env_variable_name=stage&env_variable_value=paid")), ["m"]);

  const replacing = await startEmulator({ port: 0, quiet: true, udf: "replace" });
  t.after(() => replacing.close());
  const base = replacing.url;
  await upsert({ linked_account_id: "r", udf: { stage: "trial" } }, { base });
  await upsert({ linked_account_id: "r", udf: { other: "x" } }, { base });
  assert.deepEqual(ids(await list("env_variable_name=stage", { base })), []);
  assert.deepEqual(ids(await list("env_variable_name=other", { base })), ["r"]);
});

test("scope is stored when given, shown only when set, kept when absent and replaced when given", async () => {
  const plain = (await upsert({ linked_account_id: "plain", name: "Plain" })).json;
  assert.equal(Object.hasOwn(plain, "scope"), false);

  const scoped = (await upsert({ linked_account_id: "scoped", name: "Scoped", scope: "tenant-a" })).json;
  assert.deepEqual(Object.keys(scoped), [
    "_id",
    "associated_org",
    "account_id",
    "environment",
    "name",
    "scope",
    "udf",
    "createdAt",
    "updatedAt",
    "__v",
    "new_account",
  ]);
  assert.equal(scoped.scope, "tenant-a");

  const renamed = (await upsert({ linked_account_id: "scoped", name: "Renamed" })).json;
  assert.equal(renamed.scope, "tenant-a");
  assert.equal(renamed.__v, 1);
  const moved = (await upsert({ linked_account_id: "scoped", scope: "tenant-b" })).json;
  assert.equal(moved.scope, "tenant-b");
  assert.equal(moved.name, "Renamed");
  assert.equal(moved.__v, 2);

  const created = await call("POST", ACCOUNTS, { body: { linked_account_id: "posted", scope: "tenant-a" } });
  assert.equal(created.status, 200);
  assert.equal(created.json.scope, "tenant-a");

  assert.deepEqual((await call("GET", `${ACCOUNTS}/scoped`)).json, asReadOne(moved));
  assert.deepEqual((await list("")).docs, [
    withoutNewAccount(plain),
    withoutNewAccount(moved),
    withoutNewAccount(created.json),
  ]);
});

test("scope filters by exact value, within the key's environment", async () => {
  await upsert({ linked_account_id: "a1", scope: "tenant-a" });
  await upsert({ linked_account_id: "none" });
  await upsert({ linked_account_id: "b1", scope: "tenant-b" });
  await upsert({ linked_account_id: "a2", scope: "tenant-a" });
  await upsert({ linked_account_id: "upper", scope: "Tenant-A" });
  await upsert({ linked_account_id: "prod-a", scope: "tenant-a" }, { key: DEFAULT_PRODUCTION_KEY });

  const tenantA = await list("scope=tenant-a");
  assert.deepEqual(ids(tenantA), ["a1", "a2"]);
  assert.equal(tenantA.totalDocs, 2);
  assert.deepEqual(ids(await list("scope=tenant-b")), ["b1"]);
  assert.deepEqual(ids(await list("scope=tenant")), []);
  assert.deepEqual(ids(await list("scope=Tenant-A")), ["upper"]);
  assert.deepEqual(ids(await list("scope=tenant-a", { key: DEFAULT_PRODUCTION_KEY })), ["prod-a"]);
});

test("filters combine: an account is listed only when it matches every one given", async () => {
  await upsert({ linked_account_id: "a-eu", scope: "tenant-a", udf: { region: "eu" } });
  await upsert({ linked_account_id: "a-us", scope: "tenant-a", udf: { region: "us" } });
  await upsert({ linked_account_id: "b-eu", scope: "tenant-b", udf: { region: "eu" } });
  await upsert({ linked_account_id: "a-none", scope: "tenant-a" });
  await upsert({ linked_account_id: "eu-unscoped", udf: { region: "eu" } });

  assert.deepEqual(ids(await list("scope=tenant-a&env_variable_name=region")), ["a-eu", "a-us"]);
  const combined = await list("scope=tenant-a&env_variable_name=region&env_variable_value=eu");
  assert.deepEqual(ids(combined), ["a-eu"]);
  assert.equal(combined.totalDocs, 1);
  assert.deepEqual(ids(await list("env_variable_name=region&env_variable_value=eu")), ["a-eu", "b-eu", "eu-unscoped"]);
  assert.deepEqual(ids(await list("scope=tenant-b&env_variable_name=region&env_variable_value=us")), []);
  // Unknown parameters are ignored, as before.
  assert.deepEqual(ids(await list("scope=tenant-b&sort=name")), ["b-eu"]);
});

test("400 INVALID_QUERY for a repeated or empty filter, or a value without a name", async () => {
  await upsert({ linked_account_id: "a", scope: "tenant-a", udf: { region: "eu" } });
  for (const [query, message] of [
    ["env_variable_name=region&env_variable_name=tier", "env_variable_name must be given once"],
    ["env_variable_name=region&env_variable_name=region", "env_variable_name must be given once"],
    ["env_variable_name=region&env_variable_value=eu&env_variable_value=us", "env_variable_value must be given once"],
    ["scope=tenant-a&scope=tenant-b", "scope must be given once"],
    ["env_variable_name=", "env_variable_name must not be empty"],
    ["env_variable_name", "env_variable_name must not be empty"],
    ["env_variable_name=region&env_variable_value=", "env_variable_value must not be empty"],
    ["scope=", "scope must not be empty"],
    ["env_variable_value=eu", "env_variable_value needs env_variable_name"],
    ["scope=tenant-a&env_variable_value=eu", "env_variable_value needs env_variable_name"],
  ]) {
    assertApiError(await call("GET", `${ACCOUNTS}?${query}`), ...invalidQuery(message));
  }
  // page and limit are checked first.
  assertApiError(
    await call("GET", `${ACCOUNTS}?limit=0&scope=`),
    ...invalidQuery("limit must be an integer from 1 to 100"),
  );
});

test("400 INVALID_SCOPE for a scope that is not a non-empty string; nothing is stored", async () => {
  const expected = [400, "BAD_REQUEST", "INVALID_SCOPE", "scope must be a non-empty string"];
  for (const scope of ["", 7, null, ["tenant-a"], { id: "tenant-a" }]) {
    assertApiError(await upsert({ linked_account_id: "bad", scope }), ...expected);
    assertApiError(await call("POST", ACCOUNTS, { body: { linked_account_id: "bad", scope } }), ...expected);
  }
  assert.equal((await call("GET", `${ACCOUNTS}/bad`)).status, 404);
  await upsert({ linked_account_id: "kept", scope: "tenant-a" });
  assertApiError(await upsert({ linked_account_id: "kept", scope: "" }), ...expected);
  assert.equal((await call("GET", `${ACCOUNTS}/kept`)).json.scope, "tenant-a");
});

test("GET of one account carries integrations after udf; list, create and upsert do not", async () => {
  const yourApp = { app_id: "app-1", auth_credentials: { "x-api-key": "integration-secret" } };
  const upserted = (await upsert({ linked_account_id: "acme", name: "Acme", udf: { plan: "pro" }, your_app: yourApp }))
    .json;
  const posted = (await call("POST", ACCOUNTS, { body: { linked_account_id: "posted" } })).json;
  assert.equal(Object.hasOwn(upserted, "integrations"), false);
  assert.equal(Object.hasOwn(posted, "integrations"), false);

  const fetched = await call("GET", `${ACCOUNTS}/acme`);
  assert.equal(fetched.status, 200);
  assert.deepEqual(fetched.json, asReadOne(upserted));
  assert.deepEqual(Object.keys(fetched.json), [
    "_id",
    "associated_org",
    "account_id",
    "environment",
    "name",
    "udf",
    "integrations",
    "createdAt",
    "updatedAt",
    "__v",
  ]);
  assert.deepEqual(fetched.json.integrations, []);
  assert.equal(fetched.text.includes("integration-secret"), false);
  assert.equal(fetched.text.includes("app-1"), false);

  const { token } = (await call("POST", "/api/v2/public/session-token", { body: { linked_account_id: "acme" } })).json;
  assert.deepEqual((await call("GET", ACTIVE_ACCOUNT, { key: null, token })).json, asReadOne(upserted));
  assert.deepEqual((await call("GET", `${ACCOUNTS}/acme`, { key: null, token })).json, asReadOne(upserted));

  const listed = await list("");
  assert.deepEqual(listed.docs, [withoutNewAccount(upserted), withoutNewAccount(posted)]);
  for (const doc of listed.docs) assert.equal(Object.hasOwn(doc, "integrations"), false);
});

test("notFound 500: GET and DELETE of an unknown account answer the older docs' 500", async (t) => {
  const older = await startEmulator({ port: 0, quiet: true, notFound: 500 });
  t.after(() => older.close());
  const base = older.url;
  const { associated_org: org } = (await upsert({ linked_account_id: "here" }, { base })).json;
  const serverError = (accountId, environment) => [
    500,
    "INTERNAL_SERVER_ERROR",
    "SERVER_ERROR",
    notFoundMessage(accountId, org, environment),
  ];

  assertApiError(await call("GET", `${ACCOUNTS}/nobody`, { base }), ...serverError("nobody", "test"));
  assertApiError(await call("DELETE", `${ACCOUNTS}/nobody`, { base }), ...serverError("nobody", "test"));
  assertApiError(
    await call("GET", `${ACCOUNTS}/here`, { base, key: DEFAULT_PRODUCTION_KEY }),
    ...serverError("here", "production"),
  );
  assert.equal((await call("GET", `${ACCOUNTS}/here`, { base })).status, 200);
  assert.deepEqual((await call("DELETE", `${ACCOUNTS}/here`, { base })).json, { message: "User deleted successfully" });
  assertApiError(await call("DELETE", `${ACCOUNTS}/here`, { base }), ...serverError("here", "test"));
  // Only unknown accounts change: an unknown path is still a 404.
  assertApiError(
    await call("GET", "/api/v2/public/nope", { base }),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    "Route GET /api/v2/public/nope not found",
  );

  // The default is the newer docs' 404, with the same message.
  const { associated_org: defaultOrg } = (await upsert({ linked_account_id: "x" })).json;
  assertApiError(
    await call("DELETE", `${ACCOUNTS}/nobody`),
    404,
    "NOT_FOUND",
    "NOT_FOUND",
    notFoundMessage("nobody", defaultOrg),
  );
});

test("CLI: --not-found 500 and --not-found 404", async () => {
  for (const [flag, status] of [
    ["500", 500],
    ["404", 404],
  ]) {
    const { child, firstLine, exited } = runCli(["--port", "0", "--not-found", flag]);
    const [, url] = LISTENING.exec(await firstLine);
    try {
      assert.equal((await call("GET", `${ACCOUNTS}/nobody`, { base: url })).status, status);
      assert.equal((await call("DELETE", `${ACCOUNTS}/nobody`, { base: url })).status, status);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal((await exited).code, 0);
  }
});

test("--data keeps scope across a restart", async () => {
  const dataFile = join(directory, "scoped.json");
  const first = await startEmulator({ port: 0, quiet: true, dataFile });
  const scoped = (await upsert({ linked_account_id: "s", scope: "tenant-a" }, { base: first.url })).json;
  const plain = (await upsert({ linked_account_id: "p" }, { base: first.url })).json;
  await first.close();

  const saved = JSON.parse(await readFile(dataFile, "utf8"));
  assert.deepEqual(
    saved.accounts.map((account) => [account.account_id, account.scope]),
    [
      ["s", "tenant-a"],
      ["p", undefined],
    ],
  );
  const second = await startEmulator({ port: 0, quiet: true, dataFile });
  try {
    const base = second.url;
    assert.deepEqual((await list("scope=tenant-a", { base })).docs, [withoutNewAccount(scoped)]);
    assert.deepEqual((await call("GET", `${ACCOUNTS}/p`, { base })).json, asReadOne(plain));
  } finally {
    await second.close();
  }
});
