// Bun: `import` the installed tarball by its name (the "bun" condition).
import * as sdk from "refold-linked-accounts";
import { check } from "./check.mjs";

const env = Bun.env;
const result = await check(sdk, { baseUrl: env.REFOLD_EMULATOR_URL!, apiKey: env.REFOLD_TEST_KEY!, id: env.FIXTURE_ID! });
const entry = import.meta.resolve("refold-linked-accounts");
console.log(`RESULT ${JSON.stringify({ entry, ...result })}`);
