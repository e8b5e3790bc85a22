// Runs worker.mjs (copied into the fixture project, next to its node_modules) in workerd.
// Usage: node run.mjs FIXTURE_DIR; env REFOLD_EMULATOR_URL, REFOLD_TEST_KEY, FIXTURE_ID.
// 1. Bundle like `wrangler deploy`: esbuild with the conditions Wrangler passes
//    (workerd, worker, browser), and every `.wasm` import kept external, to be uploaded as a
//    CompiledWasm module (Wrangler's default module rule for `**/*.wasm`).
// 2. Run the bundle in workerd (miniflare), which refuses to compile wasm from bytes, and call it.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const dir = process.argv[2];
const wasmModules = new Map(); // bundle-relative name → absolute source path

const wranglerWasmRule = {
  name: "wasm-as-compiled-module",
  setup(b) {
    b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
      const source = join(args.resolveDir, args.path.replace(/\?module$/, ""));
      const name = `./${basename(source)}`;
      wasmModules.set(name, source);
      return { path: name, external: true };
    });
  },
};

const out = await build({
  entryPoints: [join(dir, "worker.mjs")],
  absWorkingDir: dir,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  plugins: [wranglerWasmRule],
  write: false,
  metafile: true,
  logLevel: "silent",
});
const entries = Object.keys(out.metafile.inputs).filter((p) => p.includes("node_modules/refold-linked-accounts/"));
const wasmProblem =
  wasmModules.size === 1
    ? null
    : `expected the workerd entry to import exactly one .wasm module, got ${JSON.stringify([...wasmModules.keys()])}`;

const root = join(dir, "bundle");
const modules = [{ type: "ESModule", path: join(root, "worker.mjs"), contents: out.outputFiles[0].text }];
for (const [name, source] of wasmModules) {
  modules.push({ type: "CompiledWasm", path: join(root, name), contents: await readFile(source) });
}

const mf = new Miniflare({ modules, modulesRoot: root, compatibilityDate: "2026-07-01" });
try {
  try {
    await mf.ready;
  } catch (e) {
    // The runtime's own stderr (the worker's uncaught error) is inside the message.
    const why = String(e.message).split("\n").find((l) => /Uncaught/.test(l)) ?? e.message;
    throw new Error(`the worker did not start: ${why.trim()}${wasmProblem ? `; ${wasmProblem}` : ""}`);
  }
  const q = new URLSearchParams({
    api: process.env.REFOLD_EMULATOR_URL,
    key: process.env.REFOLD_TEST_KEY,
    id: process.env.FIXTURE_ID,
  });
  let body;
  try {
    body = await (await mf.dispatchFetch(`http://fixture.local/?${q}`)).json();
  } catch (e) {
    throw new Error(`the worker did not answer: ${e.message}`);
  }
  if (!body.ok) throw new Error(`worker: ${body.error}`);
  if (wasmProblem) throw new Error(wasmProblem);
  const entry = entries.find((p) => /index\.[a-z]+\.mjs$/.test(p));
  console.log(`RESULT ${JSON.stringify({ entry, wasmModules: [...wasmModules.keys()], ...body.result })}`);
} catch (e) {
  console.error(`Error: ${e.message}`);
  process.exitCode = 1;
} finally {
  await mf.dispose().catch(() => {});
}
