// Runs every runtime fixture against the packed tarball; run.sh is the entry point (read it first).
//
// 1. `npm pack` pkg/ once into a temp dir; lint the tarball with publint and attw.
// 2. One fresh temp project per fixture, each installing that tarball (offline, no scripts).
// 3. Start the emulator from the tarball's own copy (127.0.0.1, port 0).
// 4. Each fixture runs tests/runtimes/check.mjs in its runtime: one real upsert, one
//    VALIDATION_FAILED case, then get, list, allLinkedAccounts, createSessionToken, get with the
//    token and delete; it prints its summary; this runner compares the summary with
//    expected(id) again, checks which package file the runtime loaded (and, for the workers,
//    that the check ran in a ServiceWorkerGlobalScope), and reads the emulator's request log to
//    prove the upsert reached it exactly once, the invalid one never did, and each other call
//    sent exactly its requests (one list request per page).
// 5. Print the matrix; exit 1 if anything failed.
//
// Env: PKG_DIR=dir packs that dir instead of pkg/ (to test this runner); KEEP=1 keeps the temp dir; CHROMIUM=path overrides /usr/bin/chromium; ONLY=name,name
// runs only those fixtures (the lint rows always run).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, lstat, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { ALL_LIMIT, expected, pageIds } from "./check.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = resolve(here, "../..");
const pkgDir = process.env.PKG_DIR ? resolve(process.env.PKG_DIR) : join(repo, "pkg");
const bin = (name) => join(repo, "node_modules", ".bin", name);
const node = process.execPath;
const started = performance.now();
const runId = Date.now().toString(36);
const TEST_KEY_FALLBACK = "tk5f0c7c2e-8a8b-4f6e-9a51-0d6b1c7e2a10";

// ------------------------------------------------------------------------------------------
// Fixtures. `files` are copied (flat) into the fixture project next to check.mjs.
// ------------------------------------------------------------------------------------------
const fixtures = [
  {
    name: "node-esm",
    label: "Node ESM (import)",
    files: ["node-esm/main.mjs"],
    run: (dir) => [node, "main.mjs"],
    entry: "index.node.mjs",
  },
  {
    name: "node-cjs",
    label: "Node CJS (require)",
    files: ["node-cjs/main.cjs"],
    run: (dir) => [node, "main.cjs"],
    entry: "index.cjs",
  },
  {
    name: "deno",
    label: "Deno",
    files: ["deno/main.ts"],
    run: (dir) => [bin("deno"), "run", "--allow-read", "--allow-net", "--allow-env", "main.ts"],
    env: (dir) => ({ DENO_DIR: join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }),
    entry: "index.node.mjs",
  },
  {
    name: "bun",
    label: "Bun",
    files: ["bun/main.ts"],
    run: (dir) => [bin("bun"), "main.ts"],
    env: () => ({ DO_NOT_TRACK: "1", NO_COLOR: "1" }),
    entry: "index.node.mjs",
  },
  {
    name: "workerd",
    label: "workerd (miniflare)",
    files: ["workerd/worker.mjs", "no-wasm-from-bytes.mjs"],
    run: (dir) => [node, join(here, "workerd/run.mjs"), dir],
    entry: "index.workerd.mjs",
  },
  {
    name: "edge-light",
    label: "Vercel Edge (edge-runtime)",
    files: ["edge-light/handler.mjs", "no-wasm-from-bytes.mjs"],
    run: (dir) => [node, join(here, "edge-light/run.mjs"), dir],
    entry: "index.edge-light.mjs",
  },
  {
    name: "edge-light-dev",
    label: "Vercel Edge as vercel dev runs it",
    files: ["edge-light/handler.mjs", "no-wasm-from-bytes.mjs"],
    run: (dir) => [node, join(here, "edge-light/run.mjs"), dir, "--node-realm"],
    entry: "index.edge-light.mjs",
  },
  {
    name: "vite",
    label: "Vite build + Chromium",
    files: ["browser/main.js", "browser/page.js", ["browser/vite.html", "index.html"]],
    build: (dir) => [node, join(here, "browser/build-vite.mjs"), dir],
    serve: "dist",
    emitsWasm: true,
    entry: "index.browser.mjs",
  },
  {
    name: "webpack",
    label: "webpack 5 build + Chromium",
    files: ["browser/main.js", "browser/page.js", ["browser/webpack.html", "index.html"]],
    build: (dir) => [node, join(here, "browser/build-webpack.mjs"), dir],
    serve: "dist",
    emitsWasm: true,
    entry: "index.browser.mjs",
  },
  {
    name: "no-bundler",
    label: "No bundler + Chromium",
    files: ["browser/page.js", ["browser/nobundler.html", "index.html"]],
    serve: ".",
    entry: "index.browser.mjs",
  },
  {
    name: "service-worker",
    label: "Service worker, no bundler + Chromium",
    files: ["service-worker/sw.js", "service-worker/index.html"],
    serve: ".",
    entry: "index.worker.mjs",
    realm: "ServiceWorkerGlobalScope",
  },
  {
    name: "extension",
    label: "MV3 extension, esbuild + Chromium",
    files: ["extension/sw.js", "extension/manifest.json", "extension/page.html", "extension/page.js"],
    build: (dir) => [node, join(here, "extension/build.mjs"), dir],
    extension: "dist",
    entry: "index.worker.mjs",
    realm: "ServiceWorkerGlobalScope",
  },
];

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const short = (s, n = 300) => {
  const one = String(s).replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
};

/** Runs a command; resolves {code, stdout, stderr, ms}; kills the whole group on timeout. */
function sh(argv, { cwd, env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((done) => {
    const t0 = performance.now();
    let child;
    try {
      child = spawn(argv[0], argv.slice(1), {
        cwd,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (e) {
      done({ code: -1, stdout: "", stderr: String(e), ms: 0 });
      return;
    }
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: `${stderr}${e.message}`, ms: performance.now() - t0 });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n(timed out after ${secs(timeoutMs)})`;
      done({ code: code ?? (signal ? 128 : -1), stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** The JSON after `TAG ` on the last line that starts with it, or undefined. */
function tagged(stdout, tag) {
  const line = stdout.split("\n").reverse().find((l) => l.startsWith(`${tag} `));
  return line ? JSON.parse(line.slice(tag.length + 1)) : undefined;
}

/** Why a child failed, in one line: the last meaningful stderr lines. */
function reasonOf(r) {
  const lines = `${r.stderr}\n${r.stdout}`.split("\n").map((l) => l.trim()).filter(Boolean);
  const thrown = lines.filter((l) => /^(Uncaught )?(\w*Error|error)\b|^\(timed out/.test(l));
  const err = thrown.length ? thrown : lines.filter((l) => /error|Error|fail|want|timed out/.test(l));
  return short((err.length ? err.slice(0, 3) : lines.slice(-3)).join(" | ") || `exit ${r.code}`);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".css": "text/css",
};

/** A static file server for `root` on 127.0.0.1, port 0. */
async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return res.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      await stat(file);
    } catch {
      return res.writeHead(404).end("not found");
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Throws unless got deep-equals (as JSON) want. */
function same(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

// ------------------------------------------------------------------------------------------
// Main
// ------------------------------------------------------------------------------------------
const rows = []; // { label, ok, detail, ms }
const row = (label, ok, detail, ms) => {
  rows.push({ label, ok, detail, ms });
  console.log(`${ok ? "PASS" : "FAIL"}  ${label}: ${detail}${ms != null ? ` (${secs(ms)})` : ""}`);
};

const only = process.env.ONLY ? new Set(process.env.ONLY.split(",")) : null;
const selected = fixtures.filter((f) => !only || only.has(f.name));
const work = await mkdtemp(join(tmpdir(), "refold-runtimes-"));
let emulator;
let browser;
let linting;
let keep = process.env.KEEP === "1";

try {
  // 1. Pack once.
  const pack = await sh(["npm", "pack", "--json", "--pack-destination", work], { cwd: pkgDir });
  if (pack.code !== 0) throw new Error(`npm pack failed: ${reasonOf(pack)}`);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[")));
  const tgz = join(work, info.filename);
  console.log(`\nTarball ${info.filename}: ${info.size} B packed, ${info.unpackedSize} B unpacked, ${info.files.length} files`);
  for (const f of info.files) console.log(`  ${String(f.size).padStart(7)}  ${f.path}`);
  console.log(`Work dir ${work}\n`);

  // 2. Lint the tarball and install it into each fixture project, all at once.
  const lint = async () => {
    const p = await sh([bin("publint"), "run", "--strict", tgz], { cwd: work });
    const pOut = `${p.stdout}${p.stderr}`;
    row("publint", p.code === 0 && /All good/.test(pOut), p.code === 0 ? short(pOut.split("\n").filter(Boolean).pop()) : reasonOf(p), p.ms);
    // attw on every entry point, strict profile, no @types lookup (offline). Any problem fails
    // the row.
    const a = await sh([bin("attw"), tgz, "--no-definitely-typed", "--format", "json"], { cwd: work });
    let problems;
    let entrypoints;
    try {
      const report = JSON.parse(a.stdout);
      problems = Object.values(report.problems ?? {}).flat();
      entrypoints = Object.keys(report.analysis?.entrypoints ?? {});
    } catch {
      row("attw", false, `no JSON from attw (exit ${a.code}): ${reasonOf(a)}`, a.ms);
      return;
    }
    row(
      "attw",
      problems.length === 0,
      problems.length === 0 ? `no problems on ${entrypoints.map((e) => JSON.stringify(e)).join(", ")}` : short(JSON.stringify(problems), 600),
      a.ms,
    );
  };
  const install = async (f) => {
    f.dir = join(work, f.name);
    await mkdir(f.dir);
    await writeFile(join(f.dir, "package.json"), `${JSON.stringify({ name: `fixture-${f.name}`, version: "0.0.0", private: true }, null, 2)}\n`);
    await copyFile(join(here, "check.mjs"), join(f.dir, "check.mjs"));
    for (const spec of f.files) {
      const [from, to] = Array.isArray(spec) ? spec : [spec, spec.split("/").pop()];
      await copyFile(join(here, from), join(f.dir, to));
    }
    const r = await sh(
      ["npm", "install", "--no-audit", "--no-fund", "--offline", "--ignore-scripts", "--no-package-lock", "--loglevel=error", tgz],
      { cwd: f.dir, timeoutMs: 120000 },
    );
    const installed = join(f.dir, "node_modules", "refold-linked-accounts");
    if (r.code !== 0) f.failed = `npm install of the tarball failed: ${reasonOf(r)}`;
    else if (!(await lstat(installed).then((s) => s.isDirectory() && !s.isSymbolicLink(), () => false))) {
      f.failed = `npm install did not unpack the tarball into ${installed}`;
    }
  };
  linting = lint();
  await Promise.all(selected.map(install));

  // 3. The emulator, from the tarball's own copy.
  const anyDir = selected.find((f) => !f.failed)?.dir;
  if (!anyDir) throw new Error("no fixture project could install the tarball");
  const emu = await import(pathToFileURL(join(anyDir, "node_modules/refold-linked-accounts/emulator.mjs")).href);
  const apiKey = emu.DEFAULT_TEST_KEY;
  if (apiKey !== TEST_KEY_FALLBACK) throw new Error(`DEFAULT_TEST_KEY is ${apiKey}, expected ${TEST_KEY_FALLBACK}`);
  emulator = await emu.startEmulator({ host: "127.0.0.1", port: 0, quiet: true });
  const keyFingerprint = `redacted:${createHash("sha256").update(apiKey).digest("hex").slice(0, 12)}`;

  /** Proves the upsert reached the emulator exactly once, and the invalid one never did. */
  const checkLog = async (id, totalDocs) => {
    const log = await (await fetch(`${emulator.url}/__emulator/requests`)).json();
    const puts = log.filter((e) => e.method === "PUT" && e.body && typeof e.body === "object");
    const mine = puts.filter((e) => e.body.linked_account_id === id);
    if (mine.length !== 1) throw new Error(`emulator saw ${mine.length} PUTs for ${id}, want 1: the call did not happen as it should`);
    if (mine[0].path !== "/api/v2/public/linked-account") throw new Error(`PUT went to ${mine[0].path}`);
    if (mine[0].headers["x-api-key"] !== keyFingerprint) throw new Error("the PUT did not carry the test key");
    const invalid = puts.filter((e) => e.body.linked_account_id === `${id}-invalid`);
    if (invalid.length) throw new Error("the invalid request was sent; VALIDATION_FAILED must send nothing");
    // The other calls, tagged with x-fixture-id; preflights left out.
    const calls = log
      .filter((e) => e.headers["x-fixture-id"] === id && e.method !== "OPTIONS")
      .map((e) => [e.method, e.path, e.headers["x-api-key"] === keyFingerprint ? "key" : /^redacted:/.test(e.headers.authorization ?? "") ? "token" : "none"]);
    const account = (i) => `/api/v2/public/linked-account/${encodeURIComponent(i)}`;
    const pages = Math.max(1, Math.ceil(totalDocs / ALL_LIMIT));
    same("requests of get, list, all, token, delete", calls, [
      ["GET", account(id), "key"],
      ["GET", "/api/v2/public/linked-account?limit=100", "key"],
      ...Array.from({ length: pages }, (_, i) => ["GET", `/api/v2/public/linked-account?page=${i + 1}&limit=${ALL_LIMIT}`, "key"]),
      ["POST", "/api/v2/public/session-token", "key"],
      ["GET", account(id), "token"],
      ...pageIds(id).map((i) => ["DELETE", account(i), "key"]),
      ["GET", account(id), "key"],
    ]);
    const token = log.find((e) => e.headers["x-fixture-id"] === id && e.method === "POST");
    same("session-token body", token.body, { linked_account_id: id });
  };

  /** Compares a fixture's summary with expected(id), its entry file, and the request log. */
  const verify = async (f, id, result) => {
    if (!result) throw new Error("no RESULT line: the check did not run to the end");
    const { entry, wasmModules, realm, totalDocs, ...summary } = result;
    same("summary", summary, expected(id));
    if (!Number.isInteger(totalDocs) || totalDocs < pageIds(id).length) throw new Error(`totalDocs ${totalDocs}: the list missed this fixture's accounts`);
    if (realm !== f.realm) throw new Error(`the check ran in ${realm}, want ${f.realm}`);
    const entryFile = String(entry ?? "").split("/").pop();
    if (entryFile !== f.entry || !String(entry).includes("node_modules/refold-linked-accounts/")) throw new Error(`loaded ${entry}, want …/refold-linked-accounts/${f.entry}`);
    await checkLog(id, totalDocs);
    return `${f.entry}${realm ? ` in a ${realm}` : ""}; account_id ${id}, __v 0; VALIDATION_FAILED at udf.seats (not_finite); ABORTED; both instanceof LinkedAccountError; get, list, all (${totalDocs} accounts, ${Math.ceil(totalDocs / ALL_LIMIT)} pages), session token, get with it, delete, 404${wasmModules ? `; wasm handed in compiled: ${wasmModules.join(",")}` : ""}`;
  };

  const envFor = (f, id) => ({ REFOLD_EMULATOR_URL: emulator.url, REFOLD_TEST_KEY: apiKey, FIXTURE_ID: id, ...(f.env ? f.env(f.dir) : {}) });
  const idFor = (f) => `rt-${f.name}-${runId}@example.com`;

  // 4a. Runtimes that run a script. The bundler builds start alongside them.
  const builds = new Map();
  for (const f of selected.filter((f) => f.build && !f.failed)) {
    builds.set(f, sh(f.build(f.dir), { cwd: f.dir, env: { NO_COLOR: "1" }, timeoutMs: 120000 }));
  }
  for (const f of selected.filter((f) => f.run)) {
    if (f.failed) {
      row(f.label, false, f.failed);
      continue;
    }
    const id = idFor(f);
    const r = await sh(f.run(f.dir), { cwd: f.dir, env: envFor(f, id), timeoutMs: 60000 });
    try {
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${reasonOf(r)}`);
      row(f.label, true, await verify(f, id, tagged(r.stdout, "RESULT")), r.ms);
    } catch (e) {
      row(f.label, false, short(e.message, 600), r.ms);
    }
  }

  // 4b. Browser pages, in one Chromium; an extension in a Chromium of its own that loads it.
  const pages = selected.filter((f) => f.serve || f.extension);
  if (pages.length) {
    const { chromium } = await import("playwright-core");
    const { CHROMIUM, CHROMIUM_ARGS } = await import("../../scripts/chromium.mjs");
    const executablePath = process.env.CHROMIUM || CHROMIUM;
    try {
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    } catch (e) {
      for (const f of pages) row(f.label, false, `Chromium (${executablePath}) did not launch: ${short(e.message)}`);
    }
    /** The extension in dir, loaded into a fresh profile: its context and its page's URL. */
    const loadExtension = async (dir) => {
      const context = await chromium.launchPersistentContext(join(dir, "..", "profile"), {
        executablePath,
        args: [...CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
      });
      const worker =
        context.serviceWorkers()[0] ??
        (await context.waitForEvent("serviceworker", { timeout: 15000 }).catch(() => null));
      if (!worker) {
        await context.close();
        throw new Error("the extension's background service worker did not start within 15 s");
      }
      const url = new URL(worker.url());
      if (url.protocol !== "chrome-extension:" || url.pathname !== "/sw.js") {
        await context.close();
        throw new Error(`unexpected service worker ${url.href}`);
      }
      // A module that threw while evaluating leaves a worker that never registered its listener
      // (without 'wasm-unsafe-eval' in the manifest's CSP, compiling the wasm throws).
      let listening = false;
      for (let i = 0; i < 50 && !listening; i++) {
        if (i) await new Promise((ok) => setTimeout(ok, 100));
        listening = await worker.evaluate(() => chrome.runtime.onMessage.hasListeners()).catch(() => false);
      }
      if (!listening) {
        await context.close();
        throw new Error("the extension's background worker did not finish loading (no runtime.onMessage listener)");
      }
      return { context, base: `chrome-extension://${url.host}/page.html` };
    };
    for (const f of browser ? pages : []) {
      const t0 = performance.now();
      let server;
      let context;
      try {
        if (f.failed) throw new Error(f.failed);
        let entry = `node_modules/refold-linked-accounts/${f.entry}`;
        if (f.build) {
          const b = await builds.get(f);
          if (b.code !== 0) throw new Error(`build failed: ${reasonOf(b)}`);
          const built = tagged(b.stdout, "BUILT");
          entry = built?.entry;
          const wasmFiles = (built?.files ?? []).filter((n) => n.endsWith(".wasm"));
          if (f.emitsWasm && !wasmFiles.length) throw new Error(`the build emitted no .wasm: ${JSON.stringify(built?.files)}`);
          if (!f.emitsWasm && wasmFiles.length) throw new Error(`the build emitted ${wasmFiles.join(", ")}; this entry carries the wasm inside its JS`);
        }
        let base;
        if (f.extension) {
          ({ context, base } = await loadExtension(join(f.dir, f.extension)));
        } else {
          server = await serve(join(f.dir, f.serve));
          context = await browser.newContext();
          base = `${server.url}/`;
        }
        const page = await context.newPage();
        const problems = [];
        page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
        const id = idFor(f);
        // The check's last call, a get after the delete, is answered 404 on purpose; Chromium
        // logs every failed response. That one, and only that one, is expected.
        const expected404 = `${emulator.url}/api/v2/public/linked-account/${encodeURIComponent(id)}`;
        page.on("console", (m) => {
          const wanted = m.type() === "error" && m.location().url === expected404 && /status of 404/.test(m.text());
          if (!wanted && (m.type() === "error" || m.type() === "warning")) problems.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
        });
        const q = new URLSearchParams({ api: emulator.url, key: apiKey, id });
        await page.goto(`${base}?${q}`);
        // The outcome, or the first uncaught error (a failed import never sets __fixture).
        const crashed = new Promise((ok) => page.once("pageerror", (e) => ok({ ok: false, error: `the page threw before finishing: ${e.message}` })));
        const outcome = await Promise.race([
          crashed,
          page
            .waitForFunction(() => window.__fixture, null, { timeout: 20000 })
            .then((h) => h.jsonValue())
            .catch(() => ({ ok: false, error: "window.__fixture never set within 20 s (the page did not run the check)" })),
        ]);
        if (!outcome.ok) throw new Error(`${outcome.error}${problems.length ? ` | ${problems.join(" | ")}` : ""}`);
        if (problems.length) throw new Error(`the page logged: ${problems.join(" | ")}`);
        row(f.label, true, await verify(f, id, { entry, ...outcome.result }), performance.now() - t0);
      } catch (e) {
        row(f.label, false, short(e.message, 600), performance.now() - t0);
      } finally {
        await context?.close();
        await server?.close();
      }
    }
  }
} catch (e) {
  row("runner", false, short(e.stack || e.message, 800));
} finally {
  await browser?.close().catch(() => {});
  await emulator?.close().catch(() => {});
  await linting?.catch((e) => row("publint", false, `lint crashed: ${short(e.message)}`));
}

// 5. The matrix, in a fixed order (the lint rows finish whenever they finish).
const order = ["publint", "attw", ...fixtures.map((f) => f.label)];
const rank = (r) => (order.includes(r.label) ? order.indexOf(r.label) : order.length);
rows.sort((a, b) => rank(a) - rank(b));
const failed = rows.filter((r) => !r.ok);
const width = Math.max(...rows.map((r) => r.label.length));
console.log(`\n${"runtime".padEnd(width)}  result  detail`);
console.log(`${"-".repeat(width)}  ------  ------`);
for (const r of rows) console.log(`${r.label.padEnd(width)}  ${r.ok ? "PASS  " : "FAIL  "}  ${r.detail}`);
if (failed.length) keep = true;
if (keep) console.log(`\nFixture projects kept in ${work}`);
else await rm(work, { recursive: true, force: true });
console.log(`\nruntimes: ${secs(performance.now() - started)} in all`);
console.log(`${rows.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
