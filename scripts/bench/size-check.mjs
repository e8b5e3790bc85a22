// CI size gate: what a browser downloads for the package — the .wasm, the wasm-bindgen glue
// and index.browser.mjs, each gzip -9 as a server would send it — must total at most 90 KiB
// (92 160 B), just above the build as it stands (docs/performance.md says where the bytes go). Prints every figure; exits 1 above the limit, 2 when pkg/ is not built.
//   node scripts/bench/size-check.mjs [PKG_DIR]      (default pkg/; build it with scripts/build.sh)
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const LIMIT = 90 * 1024;
const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = resolve(process.argv[2] ?? join(root, "pkg"));
const files = ["refold_linked_accounts_bg.wasm", "refold_linked_accounts.js", "index.browser.mjs"];

/** gzip -9 size in bytes (GNU gzip, no name in the header; zlib level 9 if gzip is absent). */
function gzipSize(bytes) {
  const r = spawnSync("gzip", ["-9", "-n", "-c"], { input: bytes, maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout.length : gzipSync(bytes, { level: 9 }).length;
}

let total = 0;
for (const name of files) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    console.error(`size-check: ${path} is missing; build the package first (bash scripts/build.sh)`);
    process.exit(2);
  }
  const bytes = readFileSync(path);
  const gz = gzipSize(bytes);
  total += gz;
  console.log(`size-check: ${name.padEnd(32)} ${String(bytes.length).padStart(8)} B raw  ${String(gz).padStart(7)} B gzip -9`);
}
const verdict = total <= LIMIT ? "ok" : "FAIL";
console.log(`size-check: total shipped gzip -9 ${total} B, limit ${LIMIT} B (90 KiB): ${verdict}`);
if (total > LIMIT) {
  console.error(`size-check: ${total - LIMIT} B over the limit`);
  process.exit(1);
}
