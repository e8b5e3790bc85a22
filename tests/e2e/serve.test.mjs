// The demo page's server (scripts/serve.mjs) as the main command runs it: it tells the page which
// emulator to use, answers a malformed path with 400 and keeps serving, and a busy port is one
// clear line, not a stack trace.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SERVE = fileURLToPath(new URL("../../scripts/serve.mjs", import.meta.url));

/** Runs `node scripts/serve.mjs ...args`; `url` resolves with the page's URL once it listens. */
function serve(args) {
  const child = spawn(process.execPath, [SERVE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  const url = new Promise((resolve, reject) => {
    child.stdout.on("data", () => {
      const found = /^Demo page: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (found) resolve(found[1]);
    });
    child.on("close", () => reject(new Error(`exited: ${stderr}`)));
  });
  url.catch(() => {});
  return { child, url, exited };
}

test("/config.js names the emulator it was given, or the emulator's default", async () => {
  for (const [args, expected] of [
    [["0", "http://127.0.0.1:18790"], "http://127.0.0.1:18790"],
    [["0"], "http://127.0.0.1:8787"],
  ]) {
    const { child, url, exited } = serve(args);
    try {
      const response = await fetch(new URL("config.js", await url));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "text/javascript; charset=utf-8");
      const source = await response.text();
      const module = await import(`data:text/javascript,${encodeURIComponent(source)}`);
      assert.equal(module.EMULATOR_URL, expected);
    } finally {
      child.kill();
      await exited;
    }
  }
});

test("a malformed path is a 400 and the server keeps serving", async () => {
  const { child, url, exited } = serve(["0"]);
  try {
    const base = await url;
    for (const path of ["%E0", "%", "a%ZZb", "pkg/%C0%AF"]) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 400, path);
      assert.equal(await response.text(), "malformed path");
    }
    assert.equal((await fetch(`${base}..%2F..%2Fetc%2Fpasswd`)).status, 403);
    assert.equal((await fetch(`${base}missing.js`)).status, 404);
    const page = await fetch(base);
    assert.equal(page.status, 200);
    assert.equal((await page.text()).includes("<title>Upsert a linked account"), true);
  } finally {
    child.kill();
  }
  const { code, stderr } = await exited;
  assert.equal(code, null);
  assert.equal(stderr, "");
});

test("a busy port is one clear line on stderr and exit status 1", async () => {
  const holder = createServer();
  await new Promise((resolve) => holder.listen(0, "127.0.0.1", resolve));
  const { port } = holder.address();
  try {
    const { code, stdout, stderr } = await serve([String(port)]).exited;
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      `demo page server: cannot listen on 127.0.0.1:${port}: the port is in use (choose another with DEMO_PORT)\n`,
    );
  } finally {
    holder.close();
  }
});
