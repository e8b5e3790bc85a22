// The measuring side of bench/run.mjs: each phase runs in a fresh Node process so that one
// phase's JIT state, heap and sockets cannot colour the next. Prints one JSON line on stdout.
// Light on purpose: no static import but the node: builtins and the request fixtures.
//
//   node child.mjs cold ENTRY_URL               import() → first validate result, in ms
//   node child.mjs emulator                      runs the emulator; prints {url}
//   node child.mjs throughput                    validations/s, ours vs zod, interleaved
//   node child.mjs percall BASE_URL              upsert latency (p50/p99) and rps at 100 in flight
//   node --expose-gc child.mjs memory ours|baseline BASE_URL
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { INVALID, VALID } from "./requests.mjs";

const root = new URL("../../", import.meta.url);
// run.mjs points this at its snapshot of pkg/, so one run measures one build throughout.
const PKG = process.env.BENCH_PKG_DIR ? pathToFileURL(`${process.env.BENCH_PKG_DIR}/`) : new URL("pkg/", root);
const OURS = new URL("index.node.mjs", PKG).href;
const BASELINE = new URL("scripts/bench/baseline.mjs", root).href;
const RAW = new URL("scripts/bench/raw-fetch.mjs", root).href;
const KEY = "tk5f0c7c2e-8a8b-4f6e-9a51-0d6b1c7e2a10"; // the emulator's DEFAULT_TEST_KEY

const [phase, ...args] = process.argv.slice(2);
const out = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function cold(entry) {
  const t0 = performance.now();
  const m = await import(entry);
  const issues = m.validateUpsertLinkedAccount(VALID);
  const ms = performance.now() - t0;
  out({ ms, issues: issues.length });
}

async function emulator() {
  const { startEmulator } = await import(new URL("pkg-template/emulator.mjs", root).href);
  const emu = await startEmulator({ port: 0, quiet: true });
  out({ url: emu.url });
  const stop = () => emu.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop); // the parent went away
  process.stdin.resume();
}

// Calls `fn` in batches until `ms` have passed; returns calls per second. `sink` keeps the
// results alive so no engine can drop the work.
let sink = 0;
function rate(fn, request, ms) {
  const batch = 64;
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < batch; i++) sink += fn(request).length;
    calls += batch;
    t = performance.now();
  }
  return (calls * 1000) / (t - t0);
}

async function throughput() {
  const ours = (await import(OURS)).validateUpsertLinkedAccount;
  const base = (await import(BASELINE)).validateUpsertLinkedAccount;
  const key = (issues) => JSON.stringify(issues.map((i) => [i.path, i.code]).sort());
  const parity = {
    valid: [ours(VALID).length, base(VALID).length],
    invalid: [ours(INVALID).length, base(INVALID).length],
    sameIssues: key(ours(INVALID)) === key(base(INVALID)),
  };
  const cases = [
    ["ours", "valid", ours, VALID],
    ["baseline", "valid", base, VALID],
    ["ours", "invalid", ours, INVALID],
    ["baseline", "invalid", base, INVALID],
  ];
  for (const [, , fn, req] of cases) rate(fn, req, 400); // warm-up: let every JIT tier settle
  const rounds = 12;
  const samples = Object.fromEntries(cases.map(([who, what]) => [`${who}/${what}`, []]));
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no case always runs right after a GC-heavy one.
    for (let i = 0; i < cases.length; i++) {
      const [who, what, fn, req] = cases[(i + r) % cases.length];
      samples[`${who}/${what}`].push(rate(fn, req, 150));
    }
  }
  const result = { parity, rounds, sink: sink > 0 };
  for (const [k, xs] of Object.entries(samples)) {
    result[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs };
  }
  out(result);
}

async function loadClients() {
  return {
    ours: (await import(OURS)).upsertLinkedAccount,
    baseline: (await import(BASELINE)).upsertLinkedAccount,
    raw: (await import(RAW)).upsertLinkedAccount,
  };
}

async function inFlight(fn, options, total, width) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const account = await fn(VALID, options);
      sink += account.__v;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: width }, worker));
  return (total * 1000) / (performance.now() - t0);
}

async function percall(baseUrl) {
  const clients = await loadClients();
  const names = Object.keys(clients);
  const options = { apiKey: KEY, baseUrl };
  for (const name of names) {
    const account = await clients[name](VALID, options);
    if (typeof account._id !== "string") throw new Error(`${name}: unexpected answer`);
  }
  // Warm-up, interleaved: JIT, keep-alive sockets, the emulator's own JIT.
  for (let i = 0; i < 200; i++) for (const name of names) await clients[name](VALID, options);

  const calls = 2000;
  const block = 50;
  const lat = Object.fromEntries(names.map((n) => [n, []]));
  for (let b = 0; b < calls / block; b++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + b) % names.length];
      const fn = clients[name];
      const xs = lat[name];
      for (let c = 0; c < block; c++) {
        const t0 = performance.now();
        const account = await fn(VALID, options);
        xs.push(performance.now() - t0);
        sink += account.__v;
      }
    }
  }
  const sequential = {};
  for (const name of names) {
    const s = lat[name].sort((a, b) => a - b);
    sequential[name] = {
      calls: s.length,
      p50: quantile(s, 0.5),
      p90: quantile(s, 0.9),
      p99: quantile(s, 0.99),
      mean: s.reduce((a, b) => a + b, 0) / s.length,
    };
  }

  const width = 100;
  const total = 1000;
  for (const name of names) await inFlight(clients[name], options, 300, width); // open 100 sockets
  const rounds = 3;
  const rps = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      rps[name].push(await inFlight(clients[name], options, total, width));
    }
  }
  const concurrent = {};
  for (const name of names) {
    const xs = rps[name];
    concurrent[name] = { inFlight: width, requests: total, rounds, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs };
  }
  out({ sequential, concurrent });
}

async function memory(which, baseUrl) {
  const mod = await import(which === "ours" ? OURS : BASELINE);
  let wasm = null;
  if (which === "ours") {
    // initSync returns the live instance's exports when the entry point already initialised it.
    const glue = await import(new URL("refold_linked_accounts.node.js", PKG).href);
    wasm = glue.initSync({ module: readFileSync(new URL("refold_linked_accounts_bg.wasm", PKG)) });
  }
  const options = { apiKey: KEY, baseUrl };
  const mark = () => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return {
      wasmBytes: wasm?.memory.buffer.byteLength ?? null,
      // Slots of wasm-bindgen's table of JS values held by the module; grows when slots leak.
      externrefTableLength: wasm?.__wbindgen_externrefs?.length ?? null,
      jsHeapUsed: m.heapUsed,
      external: m.external,
      rss: m.rss,
    };
  };
  const validate = (n) => {
    for (let i = 0; i < n; i++) sink += mod.validateUpsertLinkedAccount(i & 1 ? INVALID : VALID).length;
  };
  const upserts = async (n) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        sink += (await mod.upsertLinkedAccount(VALID, options)).__v;
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
  };
  validate(2000);
  await upserts(200);
  const warm = mark();
  validate(50_000);
  const halfValidations = mark();
  validate(50_000);
  const afterValidations = mark();
  await upserts(10_000);
  const afterUpserts = mark();
  out({ which, warm, halfValidations, afterValidations, afterUpserts, upsertsInFlight: 10 });
}

const phases = { cold, emulator, throughput, percall, memory };
if (!phases[phase]) {
  console.error(`unknown phase ${phase}; one of ${Object.keys(phases).join(", ")}`);
  process.exit(2);
}
await phases[phase](...args);
