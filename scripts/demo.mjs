// The main job's real upsert: creates an example account on the emulator, then
// upserts it again with one udf value changed and shows that __v went up.
// Usage: node scripts/demo.mjs http://127.0.0.1:8787
import { upsertLinkedAccount } from "../pkg/index.node.mjs";
import { DEFAULT_TEST_KEY } from "../pkg/emulator.mjs";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8787";
const options = { apiKey: DEFAULT_TEST_KEY, baseUrl };
const request = {
  linked_account_id: "markwood@some_email.com",
  name: "Mark Wood",
  your_app: { auth_credentials: { "x-api-key": "demo-credential", "base-url": "https://api.example.com" } },
  udf: { some_key1: "some data 1", some_key2: "some data 2", some_key3: "some data 3" },
};

const first = await upsertLinkedAccount(request, options);
console.log(`PUT ${baseUrl}/api/v2/public/linked-account → the account as returned:`);
console.log(JSON.stringify(first, null, 2));

const second = await upsertLinkedAccount({ ...request, udf: { ...request.udf, some_key1: "Updated Value" } }, options);
const before = first.udf.find((e) => e.key_name === "some_key1").key_value;
const after = second.udf.find((e) => e.key_name === "some_key1").key_value;
console.log(`\nUpserted again with udf.some_key1 changed:`);
console.log(`  __v: ${first.__v} → ${second.__v}`);
console.log(`  udf.some_key1: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
console.log(`  createdAt kept: ${first.createdAt === second.createdAt}; updatedAt: ${first.updatedAt} → ${second.updatedAt}`);
if (!(second.__v > first.__v && after === "Updated Value")) {
  console.error("the update did not take effect");
  process.exit(1);
}
