// Node CommonJS: `require` the installed tarball by its name. The exports must be usable at
// once (no init call), so the synchronous validator is called before anything is awaited.
"use strict";
const sdk = require("refold-linked-accounts");

const env = process.env;
const issues = sdk.validateUpsertLinkedAccount({ linked_account_id: "" });
if (!Array.isArray(issues) || issues.length !== 1) throw new Error(`sync validate right after require: ${JSON.stringify(issues)}`);
const entry = require.resolve("refold-linked-accounts");
import("./check.mjs")
  .then(({ check }) => check(sdk, { baseUrl: env.REFOLD_EMULATOR_URL, apiKey: env.REFOLD_TEST_KEY, id: env.FIXTURE_ID }))
  .then((result) => console.log(`RESULT ${JSON.stringify({ entry, ...result })}`))
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
