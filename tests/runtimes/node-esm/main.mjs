// Node ESM: `import` the installed tarball by its name.
import * as sdk from "refold-linked-accounts";
import { check } from "./check.mjs";

const env = process.env;
const result = await check(sdk, { baseUrl: env.REFOLD_EMULATOR_URL, apiKey: env.REFOLD_TEST_KEY, id: env.FIXTURE_ID });
const entry = import.meta.resolve("refold-linked-accounts");
console.log(`RESULT ${JSON.stringify({ entry, ...result })}`);
