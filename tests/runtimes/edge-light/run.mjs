// Runs handler.mjs (copied into the fixture project, next to its node_modules) in Vercel's Edge
// Runtime emulation. Usage: node run.mjs FIXTURE_DIR [--node-realm]; env REFOLD_EMULATOR_URL,
// REFOLD_TEST_KEY, FIXTURE_ID.
// 1. Bundle as Vercel bundles an Edge Function: esbuild for the browser platform with the
//    `edge-light` condition, into one CommonJS script; each `import x from "./f.wasm?module"`
//    becomes a global binding that the platform fills with the compiled module (Vercel's
//    `?module` rule; a `.wasm` imported any other way has no loader and fails the build).
// 2. Run the script in an EdgeRuntime (the `edge-runtime` package: the Web APIs of Vercel Edge
//    in a fresh V8 context). The harness compiles each .wasm with that context's own
//    WebAssembly.Module, as the deployed platform does, and hands it in; with --node-realm it
//    compiles it with Node's, as `next dev` and `vercel dev` do (then `instanceof
//    WebAssembly.Module` is false inside the function). The function itself compiles nothing
//    from bytes (no-wasm-from-bytes.mjs refuses it). Then one request is dispatched to the
//    function's fetch listener.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runInContext } from "node:vm";
import { EdgeRuntime } from "edge-runtime";
import { build } from "esbuild";

const [dir, mode] = process.argv.slice(2);
const nodeRealm = mode === "--node-realm";
const wasmModules = new Map(); // global binding name → absolute .wasm path

const vercelWasmRule = {
  name: "wasm-module-binding",
  setup(b) {
    b.onResolve({ filter: /\.wasm\?module$/ }, async (args) => {
      const r = await b.resolve(args.path.replace(/\?module$/, ""), { resolveDir: args.resolveDir, kind: args.kind });
      if (r.errors.length) return { errors: r.errors };
      const name = `wasm_${createHash("sha1").update(await readFile(r.path)).digest("hex")}`;
      wasmModules.set(name, r.path);
      return { path: name, namespace: "wasm-module" };
    });
    b.onLoad({ filter: /.*/, namespace: "wasm-module" }, (args) => ({
      contents: `export default globalThis[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
};

const out = await build({
  entryPoints: [join(dir, "handler.mjs")],
  absWorkingDir: dir,
  bundle: true,
  format: "cjs",
  platform: "browser",
  target: "es2022",
  conditions: ["edge-light"],
  plugins: [vercelWasmRule],
  write: false,
  metafile: true,
  logLevel: "silent",
}).catch((e) => {
  const first = e.errors?.[0];
  console.error(`Error: the bundle failed: ${first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ""}` : e.message}`);
  process.exit(1);
});
const entries = Object.keys(out.metafile.inputs).filter((p) => p.includes("node_modules/refold-linked-accounts/"));
const wasmProblem =
  wasmModules.size === 1
    ? null
    : `expected the edge-light entry to import exactly one .wasm?module, got ${JSON.stringify([...wasmModules.values()])}`;

// The function's module.exports.default answers each fetch event, as on Vercel.
const initialCode = `"use strict";
(() => {
${out.outputFiles[0].text}
})();
const handler = module.exports.default;
addEventListener("fetch", (event) => event.respondWith(handler(event.request)));
`;
const wasmBytes = new Map();
for (const [name, path] of wasmModules) wasmBytes.set(name, await readFile(path));

try {
  let runtime;
  try {
    runtime = new EdgeRuntime({
      initialCode,
      extend(context) {
        context.module = { exports: {} };
        const Module = nodeRealm ? WebAssembly.Module : runInContext("WebAssembly.Module", context);
        for (const [name, bytes] of wasmBytes) context[name] = new Module(bytes);
        return context;
      },
    });
  } catch (e) {
    throw new Error(`the function did not load: ${e && e.message}${wasmProblem ? `; ${wasmProblem}` : ""}`);
  }
  const q = new URLSearchParams({
    api: process.env.REFOLD_EMULATOR_URL,
    key: process.env.REFOLD_TEST_KEY,
    id: process.env.FIXTURE_ID,
  });
  let body;
  try {
    const response = await runtime.dispatchFetch(`http://fixture.local/api/upsert?${q}`);
    await response.waitUntil();
    body = await response.json();
  } catch (e) {
    throw new Error(`the function did not answer: ${e.message}`);
  }
  if (!body.ok) throw new Error(`function: ${body.error}`);
  if (wasmProblem) throw new Error(wasmProblem);
  if (body.edgeRuntime !== "edge-runtime") throw new Error(`globalThis.EdgeRuntime is ${body.edgeRuntime}, want "edge-runtime"`);
  const entry = entries.find((p) => /index\.[a-z-]+\.mjs$/.test(p));
  const realm = nodeRealm ? " (compiled in Node's realm)" : "";
  const wasm = [...wasmModules.values()].map((p) => `./${p.split("/").pop()}?module${realm}`);
  console.log(`RESULT ${JSON.stringify({ entry, wasmModules: wasm, ...body.result })}`);
} catch (e) {
  console.error(`Error: ${e.message}`);
  process.exitCode = 1;
}
