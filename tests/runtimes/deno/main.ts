// Deno: the tarball is installed with npm into node_modules next to a package.json, so Deno
// resolves the bare name from there (its "manual" node_modules mode), with the "deno" condition.
import * as sdk from "refold-linked-accounts";
import { check } from "./check.mjs";

const env = Deno.env.toObject();
const result = await check(sdk, { baseUrl: env.REFOLD_EMULATOR_URL, apiKey: env.REFOLD_TEST_KEY, id: env.FIXTURE_ID });
const entry = import.meta.resolve("refold-linked-accounts");
console.log(`RESULT ${JSON.stringify({ entry, ...result })}`);
