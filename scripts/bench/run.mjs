// The benchmark: ours (pkg/, the Rust→wasm package) against a baseline that does the same job
// the way a JS team would (scripts/bench/baseline.mjs: ky + zod, bundled and minified with
// esbuild) and against raw fetch with no validation (scripts/bench/raw-fetch.mjs).
//
//   bash scripts/build.sh && node scripts/bench/run.mjs [--quick]
//
// Measures, in one run: shipped weight (gzip -9), cold start (Node processes and Chromium
// pages), validation throughput, per-call cost against the emulator on loopback (p50/p99
// sequential, requests/s with 100 in flight) and wasm linear memory. Prints a table (every
// figure beside the baseline's, with the ratio) and writes artifacts/bench.json. It asserts
// nothing: the figures are for people; the CI size gate is scripts/bench/size-check.mjs.
// Every Node measurement runs in a fresh child process (child.mjs); the emulator runs in its
// own process so that the server's work does not share the client's event loop.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { cpus } from "node:os";
import { extname, join, normalize } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { bundleAll } from "./bundle.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "../chromium.mjs";

const started = performance.now();
const root = fileURLToPath(new URL("../../", import.meta.url));
const child = fileURLToPath(new URL("child.mjs", import.meta.url));
const quick = process.argv.includes("--quick");
const COLD_RUNS = quick ? 5 : 20;

// pkg/ may be rebuilt while this runs (scripts/build.sh starts with rm -rf pkg), so every
// phase measures one snapshot of it, taken now.
const SNAPSHOT = "artifacts/bench/pkg";
const SNAPSHOT_FILES = [
  "refold_linked_accounts_bg.wasm",
  "refold_linked_accounts.js",
  "refold_linked_accounts.node.js",
  "index.browser.mjs",
  "index.node.mjs",
  "package.json",
];
rmSync(join(root, SNAPSHOT), { recursive: true, force: true });
mkdirSync(join(root, SNAPSHOT), { recursive: true });
for (const f of SNAPSHOT_FILES) {
  if (!existsSync(join(root, "pkg", f))) {
    console.error(`pkg/${f} is missing: build the package first (bash scripts/build.sh)`);
    process.exit(2);
  }
  copyFileSync(join(root, "pkg", f), join(root, SNAPSHOT, f));
}
process.env.BENCH_PKG_DIR = join(root, SNAPSHOT); // inherited by every child
const PKG_FILES = {
  wasm: `${SNAPSHOT}/refold_linked_accounts_bg.wasm`,
  glue: `${SNAPSHOT}/refold_linked_accounts.js`,
  entry: `${SNAPSHOT}/index.browser.mjs`,
};
// Which build was measured: the figures belong to these bytes (the names are pkg/'s).
const pkgSha256 = Object.fromEntries(
  Object.values(PKG_FILES).map((f) => [f.replace(SNAPSHOT, "pkg"), createHash("sha256").update(readFileSync(join(root, f))).digest("hex")]),
);

const log = (msg) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length, samples: xs });

/** gzip -9 size in bytes (GNU gzip, no name in the header; zlib level 9 if gzip is absent). */
function gzipSize(file) {
  const bytes = readFileSync(file);
  const r = spawnSync("gzip", ["-9", "-n", "-c"], { input: bytes, maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout.length : gzipSync(bytes, { level: 9 }).length;
}

function runChild(args, nodeFlags = []) {
  const stdout = execFileSync(process.execPath, [...nodeFlags, child, ...args], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  const last = stdout.trim().split("\n").pop();
  return JSON.parse(last);
}

// ---------------------------------------------------------------- 1. shipped weight
log("bundling the baseline and raw fetch with esbuild");
const bundles = await bundleAll(join(root, "artifacts/bench"), join(root, SNAPSHOT));
const oursParts = Object.fromEntries(
  Object.entries(PKG_FILES).map(([k, f]) => [k, { file: f, raw: readFileSync(join(root, f)).length, gzip: gzipSize(join(root, f)) }]),
);
const weight = {
  ours: {
    gzip: oursParts.wasm.gzip + oursParts.glue.gzip + oursParts.entry.gzip,
    wasmGzip: oursParts.wasm.gzip,
    jsGzip: oursParts.glue.gzip + oursParts.entry.gzip,
    raw: oursParts.wasm.raw + oursParts.glue.raw + oursParts.entry.raw,
    parts: oursParts,
  },
  oursGlueMinified: {
    note: "what a consumer's bundler would ship: the same wasm + index.browser.mjs and glue minified by esbuild",
    gzip: oursParts.wasm.gzip + gzipSize(bundles.oursMinifiedGlue),
    jsGzip: gzipSize(bundles.oursMinifiedGlue),
  },
  baseline: { gzip: gzipSize(bundles.baseline), raw: readFileSync(bundles.baseline).length, file: "artifacts/bench/baseline.min.mjs" },
  raw: { gzip: gzipSize(bundles.raw), raw: readFileSync(bundles.raw).length, file: "artifacts/bench/raw-fetch.min.mjs" },
};

// ---------------------------------------------------------------- 2a. cold start, Node
const entries = {
  ours: pathToFileURL(join(root, SNAPSHOT, "index.node.mjs")).href,
  baseline: pathToFileURL(bundles.baseline).href,
  baselineUnbundled: pathToFileURL(join(root, "scripts/bench/baseline.mjs")).href,
};
log(`cold start: ${COLD_RUNS} fresh Node processes each (ours, baseline bundle, baseline from node_modules), interleaved`);
const nodeCold = { ours: [], baseline: [], baselineUnbundled: [] };
for (let i = 0; i < COLD_RUNS; i++) {
  const order = Object.keys(nodeCold);
  for (let j = 0; j < order.length; j++) {
    const who = order[(i + j) % order.length];
    const r = runChild(["cold", entries[who]]);
    if (r.issues !== 0) throw new Error(`${who}: the valid request gave ${r.issues} issues`);
    nodeCold[who].push(r.ms);
  }
}

// ---------------------------------------------------------------- 2b. cold start, Chromium
const MIME = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };
const SERVED = ["scripts/bench/", "artifacts/bench/"];
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
  if (!SERVED.some((p) => path.startsWith(p)) || !existsSync(join(root, path))) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": MIME[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" });
  res.end(readFileSync(join(root, path)));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const chromiumCold = { ours: [], baseline: [] };
let chromiumVersion = null;
let chromiumError = null;
try {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  chromiumVersion = browser.version();
  log(`cold start: ${COLD_RUNS} fresh pages each in headless Chromium ${chromiumVersion}, each in a new context (empty cache), interleaved`);
  const pageEntries = { ours: `/${SNAPSHOT}/index.browser.mjs`, baseline: "/artifacts/bench/baseline.min.mjs" };
  try {
    // One throw-away page first so that the browser's own first-page costs land on no one.
    for (const entry of Object.values(pageEntries)) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${origin}/scripts/bench/cold-start.html?entry=${entry}`);
      await page.waitForFunction(() => globalThis.__coldStart);
      await ctx.close();
    }
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const who of i % 2 ? ["baseline", "ours"] : ["ours", "baseline"]) {
        const ctx = await browser.newContext();
        const page = await ctx.newPage();
        await page.goto(`${origin}/scripts/bench/cold-start.html?entry=${pageEntries[who]}`);
        await page.waitForFunction(() => globalThis.__coldStart, null, { timeout: 30_000 });
        const r = await page.evaluate(() => globalThis.__coldStart);
        await ctx.close();
        if (r.error || r.issues !== 0) throw new Error(`${who} in Chromium: ${r.error ?? `${r.issues} issues`}`);
        chromiumCold[who].push(r.ms);
      }
    }
  } finally {
    await browser.close();
  }
} catch (error) {
  chromiumError = String(error?.message ?? error);
  log(`Chromium cold start skipped: ${chromiumError}`);
} finally {
  server.close();
}

// ---------------------------------------------------------------- 3. validation throughput
log("validation throughput: ours vs zod, valid and invalid, interleaved in one process");
const throughput = runChild(["throughput"]);

// ---------------------------------------------------------------- 4, 5. per call, memory
log("starting the emulator (its own process)");
const emu = spawn(process.execPath, [child, "emulator"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
const emuUrl = await new Promise((resolve, reject) => {
  let buf = "";
  emu.stdout.on("data", (d) => {
    buf += d;
    if (buf.includes("\n")) resolve(JSON.parse(buf.split("\n")[0]).url);
  });
  emu.on("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
});
let perCall;
let memory;
try {
  log(`per-call cost: 2000 sequential upserts each (ours, baseline, raw fetch) in blocks of 50, then 100 in flight, against ${emuUrl}`);
  perCall = runChild(["percall", emuUrl]);
  log("memory: 100 000 validations then 10 000 upserts, ours and baseline each in a fresh process");
  memory = {
    ours: runChild(["memory", "ours", emuUrl], ["--expose-gc"]),
    baseline: runChild(["memory", "baseline", emuUrl], ["--expose-gc"]),
  };
} finally {
  emu.kill("SIGTERM");
}

// ---------------------------------------------------------------- report
const ratio = (a, b) => (typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : null);
// Median of per-round ratios: each pair ran back to back, so a burst of load from elsewhere on
// the machine hits both sides of a pair; the steadier figure on a shared 2-core box.
const paired = (a, b) => median(a.map((v, i) => v / b[i]));
const cold = {
  node: { ours: summary(nodeCold.ours), baseline: summary(nodeCold.baseline), baselineUnbundled: summary(nodeCold.baselineUnbundled) },
  chromium: chromiumError
    ? { error: chromiumError }
    : { version: chromiumVersion, ours: summary(chromiumCold.ours), baseline: summary(chromiumCold.baseline) },
};
cold.node.pairedRatio = paired(nodeCold.ours, nodeCold.baseline);
if (!chromiumError) cold.chromium.pairedRatio = paired(chromiumCold.ours, chromiumCold.baseline);
throughput.pairedRatio = {
  valid: paired(throughput["ours/valid"].samples, throughput["baseline/valid"].samples),
  invalid: paired(throughput["ours/invalid"].samples, throughput["baseline/invalid"].samples),
};
const seq = perCall.sequential;
const conc = perCall.concurrent;
const mem = memory.ours;
const wasmGrowth = mem.afterUpserts.wasmBytes - mem.afterValidations.wasmBytes;
const wasmGrowthFromWarm = mem.afterUpserts.wasmBytes - mem.warm.wasmBytes;
// The size gate of the test command (size-check.mjs).
const LIMIT_KB = 90 * 1024;

const targets = {
  shippedGzipWithinSizeGate: { met: weight.ours.gzip <= LIMIT_KB, ours: weight.ours.gzip, limit: LIMIT_KB },
  perCallP50AtMost125PctOfRawFetch: { met: seq.ours.p50 <= 1.25 * seq.raw.p50, ratio: ratio(seq.ours.p50, seq.raw.p50) },
  rps100InFlightAtLeast90PctOfRawFetch: {
    met: conc.ours.median >= 0.9 * conc.raw.median,
    ratio: ratio(conc.ours.median, conc.raw.median),
    pairedRatio: paired(conc.ours.samples, conc.raw.samples),
  },
  validThroughputAtLeastZod: {
    met: throughput["ours/valid"].median >= throughput["baseline/valid"].median,
    ratio: ratio(throughput["ours/valid"].median, throughput["baseline/valid"].median),
    pairedRatio: throughput.pairedRatio.valid,
  },
  invalidThroughputAtLeastZod: {
    met: throughput["ours/invalid"].median >= throughput["baseline/invalid"].median,
    ratio: ratio(throughput["ours/invalid"].median, throughput["baseline/invalid"].median),
    pairedRatio: throughput.pairedRatio.invalid,
  },
  coldStartNodeAtMost150PctOfBaseline: {
    met: cold.node.ours.median <= 1.5 * cold.node.baseline.median,
    ratio: ratio(cold.node.ours.median, cold.node.baseline.median),
    pairedRatio: cold.node.pairedRatio,
  },
  coldStartChromiumAtMost150PctOfBaseline: chromiumError
    ? { met: null, error: chromiumError }
    : {
        met: cold.chromium.ours.median <= 1.5 * cold.chromium.baseline.median,
        ratio: ratio(cold.chromium.ours.median, cold.chromium.baseline.median),
        pairedRatio: cold.chromium.pairedRatio,
      },
  wasmMemoryFlat: {
    met: wasmGrowth <= 65536,
    growthBytes: wasmGrowth,
    between: "after 100 000 validations → after 10 000 upserts",
    growthSinceWarmUpBytes: wasmGrowthFromWarm,
  },
};

const seconds = (performance.now() - started) / 1000;
const gitCommit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    return null;
  }
})();
const report = {
  meta: {
    date: new Date().toISOString(),
    gitCommit,
    node: process.version,
    chromium: chromiumVersion,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    quick,
    runSeconds: seconds,
    pkgSha256,
    requests: "scripts/bench/requests.mjs (VALID: Refold's documented example; INVALID: five issues)",
    baseline: "scripts/bench/baseline.mjs: ky + zod (strict objects), esbuild --bundle --minify for the browser",
    raw: "scripts/bench/raw-fetch.mjs: fetch + JSON.stringify + res.json(), no validation, no retries",
  },
  weight,
  coldStart: cold,
  throughput,
  perCall,
  memory,
  targets,
};
mkdirSync(join(root, "artifacts"), { recursive: true });
writeFileSync(join(root, "artifacts/bench.json"), `${JSON.stringify(report, null, 2)}\n`);

// The table: every figure beside the baseline's and raw fetch's, with the ratios.
const int = (n) => Math.round(n).toLocaleString("en-US");
const fmt = {
  B: (n) => `${int(n)} B`,
  ms: (n) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`,
  "/s": (n) => `${int(n)}/s`,
};
const x = (r) => (r == null ? "" : `${r.toFixed(2)}×`);
const rows = [];
const row = (label, unit, ours, base, raw) => {
  const f = (v) => (typeof v === "number" ? fmt[unit](v) : (v ?? ""));
  rows.push([label, f(ours), f(base), f(raw), x(ratio(ours, base)), x(ratio(ours, raw))]);
};
const section = (title) => rows.push([title]);

section("Shipped weight, gzip -9 (lower is better)");
row("  total a browser downloads", "B", weight.ours.gzip, weight.baseline.gzip, weight.raw.gzip);
row("    of which .wasm", "B", weight.ours.wasmGzip, "—", "—");
row("    of which JS", "B", weight.ours.jsGzip, weight.baseline.gzip, weight.raw.gzip);
row("  (ours, JS minified by a bundler)", "B", weight.oursGlueMinified.gzip, weight.baseline.gzip, weight.raw.gzip);
section(`Cold start, import() → first validate result, median of ${COLD_RUNS} (lower is better)`);
row("  Node, fresh process", "ms", cold.node.ours.median, cold.node.baseline.median, "—");
row("  (Node, baseline unbundled from node_modules)", "ms", cold.node.ours.median, cold.node.baselineUnbundled.median, "—");
if (!chromiumError) row("  Chromium, fresh page", "ms", cold.chromium.ours.median, cold.chromium.baseline.median, "—");
else rows.push(["  Chromium, fresh page", `skipped: ${chromiumError}`]);
section("Validation throughput, one process, interleaved (higher is better)");
row("  valid (documented example)", "/s", throughput["ours/valid"].median, throughput["baseline/valid"].median, "—");
row("  invalid (five issues)", "/s", throughput["ours/invalid"].median, throughput["baseline/invalid"].median, "—");
section("Per call, upsert to the emulator on loopback (lower is better, except requests/s)");
row("  p50 of 2 000 sequential", "ms", seq.ours.p50, seq.baseline.p50, seq.raw.p50);
row("  p99 of 2 000 sequential", "ms", seq.ours.p99, seq.baseline.p99, seq.raw.p99);
row("  requests/s, 100 in flight", "/s", conc.ours.median, conc.baseline.median, conc.raw.median);
section("Memory, fresh process each, after GC (lower is better)");
const marks = [
  ["warm-up", "warm"],
  ["+50 000 validations", "halfValidations"],
  ["+100 000 validations", "afterValidations"],
  ["+10 000 upserts", "afterUpserts"],
];
for (const [label, key] of marks) row(`  wasm linear memory, ${label}`, "B", memory.ours[key].wasmBytes, "— (no wasm)", "—");
for (const [label, key] of marks) {
  rows.push([`  externref table slots, ${label}`, int(memory.ours[key].externrefTableLength), "— (no wasm)", "—", "", ""]);
}
for (const [label, key] of marks) row(`  JS heap used, ${label}`, "B", memory.ours[key].jsHeapUsed, memory.baseline[key].jsHeapUsed, "—");
row("  wasm + JS heap, +10 000 upserts", "B", memory.ours.afterUpserts.wasmBytes + memory.ours.afterUpserts.jsHeapUsed, memory.baseline.afterUpserts.jsHeapUsed, "—");

const header = ["", "ours", "baseline (ky+zod)", "raw fetch", "ours/baseline", "ours/raw"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => (r[i] ?? "").length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? (c ?? "").padEnd(widths[i]) : (c ?? "").padStart(widths[i]))).join("  ");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(r.length === 1 ? r[0] : line(r));

console.log("\nGoals (information only; nothing here fails the run):");
const yes = (m) => (m === null ? "n/a" : m ? "MET    " : "NOT MET");
console.log(`  ${yes(targets.shippedGzipWithinSizeGate.met)} total shipped gzip ≤ 90 KiB (the size gate): ${int(weight.ours.gzip)} B`);
console.log(`  ${yes(targets.perCallP50AtMost125PctOfRawFetch.met)} per-call p50 ≤ 1.25 × raw fetch: ${x(targets.perCallP50AtMost125PctOfRawFetch.ratio)}`);
const pr = (t) => (t.pairedRatio == null ? "" : ` (median of paired rounds ${x(t.pairedRatio)})`);
console.log(`  ${yes(targets.rps100InFlightAtLeast90PctOfRawFetch.met)} 100-in-flight requests/s ≥ 0.9 × raw fetch: ${x(targets.rps100InFlightAtLeast90PctOfRawFetch.ratio)}${pr(targets.rps100InFlightAtLeast90PctOfRawFetch)}`);
console.log(`  ${yes(targets.validThroughputAtLeastZod.met)} valid-request throughput ≥ 1.0 × zod: ${x(targets.validThroughputAtLeastZod.ratio)}${pr(targets.validThroughputAtLeastZod)}`);
console.log(`  ${yes(targets.invalidThroughputAtLeastZod.met)} invalid-request throughput ≥ 1.0 × zod: ${x(targets.invalidThroughputAtLeastZod.ratio)}${pr(targets.invalidThroughputAtLeastZod)}`);
console.log(`  ${yes(targets.coldStartNodeAtMost150PctOfBaseline.met)} cold start ≤ 1.5 × baseline, Node: ${x(targets.coldStartNodeAtMost150PctOfBaseline.ratio)}${pr(targets.coldStartNodeAtMost150PctOfBaseline)}`);
console.log(`  ${yes(targets.coldStartChromiumAtMost150PctOfBaseline.met)} cold start ≤ 1.5 × baseline, Chromium: ${x(targets.coldStartChromiumAtMost150PctOfBaseline.ratio)}${pr(targets.coldStartChromiumAtMost150PctOfBaseline)}`);
console.log(`  ${yes(targets.wasmMemoryFlat.met)} wasm memory flat (≤ 64 KiB growth, 100 000 validations → 10 000 upserts): +${int(wasmGrowth)} B (since warm-up: +${int(wasmGrowthFromWarm)} B)`);
const p = throughput.parity;
console.log(`\nIssue parity: valid → ${p.valid.join(" / ")} issues, invalid → ${p.invalid.join(" / ")} issues (ours / baseline), same paths and codes: ${p.sameIssues}`);
console.log(`Node ${process.version}, ${cpus().length} cores${chromiumVersion ? `, Chromium ${chromiumVersion}` : ""}; ran in ${seconds.toFixed(0)} s; wrote artifacts/bench.json`);
