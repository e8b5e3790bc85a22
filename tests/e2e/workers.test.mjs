// The browser apiKey guard in browser workers (docs/contract.md, Options): in headless Chromium,
// a dedicated and a shared worker each load the package (index.browser.mjs) and call
// upsertLinkedAccount with an apiKey: without dangerouslyAllowBrowser it is INVALID_OPTIONS
// (conflict at ["apiKey"]) and nothing is sent; with it, or with a sessionToken, the call
// reaches the emulator. Needs the built package: bash scripts/build.sh.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM as DEFAULT_CHROMIUM, CHROMIUM_ARGS } from "../../scripts/chromium.mjs";
import { DEFAULT_TEST_KEY, startEmulator } from "../../pkg/emulator.mjs";

const pkg = fileURLToPath(new URL("../../pkg/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
const types = { ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

// The worker: loads the package, makes one call with the options it is sent, and posts back
// the outcome. `self.onconnect` makes the same script a shared worker. The package is imported
// once a message comes: a static import would hold the script at the entry's top-level await
// while the first message (or connection) arrives, with no handler set yet.
const WORKER = `
async function run(options) {
  const sdk = await import("/pkg/index.browser.mjs");
  try {
    const account = await sdk.upsertLinkedAccount({ linked_account_id: options.id }, options.options);
    return { ok: true, account_id: account.account_id, scope: self.constructor.name };
  } catch (error) {
    return { ok: false, code: error.code, issues: error.issues, scope: self.constructor.name,
      instance: error instanceof sdk.LinkedAccountError };
  }
}
self.onmessage = async (event) => self.postMessage(await run(event.data));
self.onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = async (message) => port.postMessage(await run(message.data));
};
`;

let emulator;
let server;
let origin;
let browser;
let page;

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") return res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>workers</title>");
    if (path === "/worker.mjs") return res.writeHead(200, { "content-type": "text/javascript" }).end(WORKER);
    const file = normalize(join(pkg, path.replace(/^\/pkg\//, "")));
    if (!path.startsWith("/pkg/") || !file.startsWith(pkg) || file.includes(`${sep}..`)) return res.writeHead(404).end();
    let body;
    try {
      body = await readFile(file);
    } catch {
      return res.writeHead(404).end();
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.goto(`${origin}/`);
});

after(async () => {
  await browser?.close();
  server?.close();
  await emulator?.close();
});

/** Runs one call in a new worker of `kind` ("dedicated" or "shared") and returns its outcome. */
const inWorker = (kind, data) =>
  page.evaluate(
    ([kind, data]) =>
      new Promise((resolve, reject) => {
        if (kind === "dedicated") {
          const worker = new Worker("/worker.mjs", { type: "module" });
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage(data);
        } else {
          const worker = new SharedWorker("/worker.mjs", { type: "module", name: String(Math.random()) });
          worker.port.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => reject(new Error(String(e.message)));
          worker.port.start();
          worker.port.postMessage(data);
        }
      }),
    [kind, data],
  );

const sent = async (id) =>
  (await (await fetch(`${emulator.url}/__emulator/requests`)).json()).filter((r) => r.body?.linked_account_id === id).length;

for (const [kind, scope] of [["dedicated", "DedicatedWorkerGlobalScope"], ["shared", "SharedWorkerGlobalScope"]]) {
  test(`an apiKey in a ${kind} worker is INVALID_OPTIONS unless dangerouslyAllowBrowser`, async () => {
    const id = `${kind}-guard@example.com`;
    const base = { apiKey: DEFAULT_TEST_KEY, baseUrl: emulator.url, maxRetries: 0 };
    const refused = await inWorker(kind, { id, options: base });
    assert.equal(refused.scope, scope);
    assert.equal(refused.ok, false);
    assert.equal(refused.code, "INVALID_OPTIONS");
    assert.equal(refused.instance, true);
    assert.deepEqual(refused.issues.map((i) => [i.path, i.code]), [[["apiKey"], "conflict"]]);
    assert.match(refused.issues[0].message, /browser page or worker is visible to every visitor/);
    assert.equal(await sent(id), 0, "nothing was sent");
    const allowed = await inWorker(kind, { id, options: { ...base, dangerouslyAllowBrowser: true } });
    assert.deepEqual(allowed, { ok: true, account_id: id, scope });
    assert.equal(await sent(id), 1);
  });
}
