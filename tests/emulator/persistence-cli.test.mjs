// --data persistence across restarts, option validation, and the command-line program.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { DEFAULT_PRODUCTION_KEY, DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";
import { ACCOUNTS, LISTENING, asReadOne, rawRequest, request as call, runCli } from "./helpers.mjs";

const EMULATOR = fileURLToPath(new URL("../../pkg-template/emulator.mjs", import.meta.url));

let directory;
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "refold-emulator-"));
});
after(() => rm(directory, { recursive: true, force: true }));

test("--data keeps accounts, tokens and the org across a restart", async () => {
  const dataFile = join(directory, "state.json");
  const secret = "persisted-secret-value";

  const first = await startEmulator({ port: 0, quiet: true, dataFile });
  const created = (
    await call(first.url, "PUT", ACCOUNTS, {
      body: {
        linked_account_id: "kept",
        name: "Kept",
        udf: { a: 1 },
        your_app: { auth_credentials: { token: secret } },
      },
    })
  ).json;
  await call(first.url, "PUT", ACCOUNTS, { key: DEFAULT_PRODUCTION_KEY, body: { linked_account_id: "prod" } });
  const { token } = (
    await call(first.url, "POST", "/api/v2/public/session-token", { body: { linked_account_id: "kept" } })
  ).json;
  await first.close();

  assert.deepEqual(await readdir(directory), ["state.json"]);
  assert.equal((await stat(dataFile)).mode & 0o777, 0o600);
  const saved = JSON.parse(await readFile(dataFile, "utf8"));
  assert.equal(saved.format, "refold-emulator/1");
  assert.equal(saved.associated_org, created.associated_org);
  assert.deepEqual(
    saved.accounts.map((account) => [account.environment, account.account_id]),
    [
      ["test", "kept"],
      ["production", "prod"],
    ],
  );
  assert.equal(saved.accounts[0].your_app.auth_credentials.token, secret);

  const second = await startEmulator({ port: 0, quiet: true, dataFile });
  try {
    assert.deepEqual((await call(second.url, "GET", `${ACCOUNTS}/kept`)).json, asReadOne(created));
    assert.equal((await call(second.url, "GET", `${ACCOUNTS}/prod`, { key: DEFAULT_PRODUCTION_KEY })).status, 200);
    const active = await call(second.url, "GET", "/api/v2/public/session/active-linked-account", { key: null, token });
    assert.equal(active.json.account_id, "kept");
    const updated = (await call(second.url, "PUT", ACCOUNTS, { body: { linked_account_id: "kept", name: "Updated" } }))
      .json;
    assert.equal(updated.__v, 1);
    assert.equal(updated.new_account, false);
    assert.equal(updated.associated_org, created.associated_org);
    assert.equal(updated.createdAt, created.createdAt);
  } finally {
    await second.close();
  }
  assert.equal(JSON.parse(await readFile(dataFile, "utf8")).accounts[0].name, "Updated");
});

test("close() flushes writes that were still pending", async () => {
  const dataFile = join(directory, "burst.json");
  const emulator = await startEmulator({ port: 0, quiet: true, dataFile });
  await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      call(emulator.url, "PUT", ACCOUNTS, { body: { linked_account_id: `burst-${index}` } }),
    ),
  );
  await emulator.close();
  assert.equal(JSON.parse(await readFile(dataFile, "utf8")).accounts.length, 20);
  assert.deepEqual(
    (await readdir(directory)).filter((name) => name.startsWith("burst")),
    ["burst.json"],
  );
});

test("a corrupt data file is refused with a clear error", async () => {
  const dataFile = join(directory, "corrupt.json");
  await writeFile(dataFile, '{"format": "refold-emulator/1", "accounts": [');
  await assert.rejects(startEmulator({ port: 0, quiet: true, dataFile }), (error) => {
    assert.equal(error.message.startsWith(`data file ${dataFile} is corrupt (`), true);
    assert.equal(error.message.endsWith("); fix it, or move it away to start empty"), true);
    return true;
  });

  await writeFile(
    dataFile,
    JSON.stringify({ format: "refold-emulator/1", associated_org: "nope", accounts: [], tokens: [] }),
  );
  await assert.rejects(startEmulator({ port: 0, quiet: true, dataFile }), {
    message: `data file ${dataFile} is corrupt ("associated_org" must be a 24-hex id); fix it, or move it away to start empty`,
  });
});

test("invalid options are refused", async () => {
  await assert.rejects(startEmulator({ udf: "sometimes" }), {
    name: "TypeError",
    message: 'udf must be "merge" or "replace"',
  });
  await assert.rejects(startEmulator({ port: 70000 }), {
    name: "TypeError",
    message: "port must be an integer from 0 to 65535",
  });
  await assert.rejects(startEmulator({ apiKeys: [] }), {
    name: "TypeError",
    message: "apiKeys must be a non-empty array of printable strings without spaces",
  });
  await assert.rejects(startEmulator({ prot: 0 }), {
    name: "TypeError",
    message: 'unknown option "prot" (known: host, port, udf, notFound, dataFile, apiKeys, allowHosts, allowOrigins, quiet)',
  });
  for (const notFound of ["404", 400, null]) {
    await assert.rejects(startEmulator({ notFound }), { name: "TypeError", message: "notFound must be 404 or 500" });
  }
});

test("CLI: prints its URL, serves, and exits 0 on SIGTERM", async () => {
  const { child, firstLine, exited } = runCli(["--port", "0"]);
  const line = await firstLine;
  const [, url] = LISTENING.exec(line);

  assert.deepEqual((await call(url, "GET", "/__emulator/health", { key: null })).json, { ok: true });
  assert.equal((await call(url, "PUT", ACCOUNTS, { body: { linked_account_id: "cli" } })).json.account_id, "cli");

  child.kill("SIGTERM");
  const { code, signal, stdout, stderr } = await exited;
  assert.equal(code, 0);
  assert.equal(signal, null);
  assert.equal(
    stdout,
    [
      line,
      `  test key:        ${DEFAULT_TEST_KEY}`,
      `  production key:  ${DEFAULT_PRODUCTION_KEY}`,
      `  control plane:   ${url}/__emulator/ (faults, rate limit, request log, reset; see EMULATOR.md)`,
      "",
    ].join("\n"),
  );
  assert.equal(stderr, "");
});

test("CLI: SIGINT with a stalled connection open still exits 0 and flushes --data", async () => {
  const dataFile = join(directory, "cli.json");
  const { child, firstLine, exited } = runCli([
    "--port",
    "0",
    "--data",
    dataFile,
    "--api-key",
    "pk-only",
    "--udf",
    "replace",
  ]);
  const [, url] = LISTENING.exec(await firstLine);

  const created = await call(url, "PUT", ACCOUNTS, {
    key: "pk-only",
    body: { linked_account_id: "sig", udf: { a: 1 } },
  });
  assert.equal(created.json.environment, "production");
  const replaced = await call(url, "PUT", ACCOUNTS, {
    key: "pk-only",
    body: { linked_account_id: "sig", udf: { b: 2 } },
  });
  assert.deepEqual(
    replaced.json.udf.map((entry) => entry.key_name),
    ["b"],
  );
  assert.equal((await call(url, "GET", ACCOUNTS)).status, 401);

  await call(url, "POST", "/__emulator/faults", { key: null, body: { stall: "headers" } });
  const stalled = new Promise((resolve) => {
    const outgoing = httpRequest(`${url}${ACCOUNTS}`, { method: "GET", headers: { "x-api-key": "pk-only" } });
    outgoing.on("error", (error) => resolve(error.code));
    outgoing.end();
  });
  while ((await call(url, "GET", "/__emulator/requests", { key: null })).json.length < 4);

  child.kill("SIGINT");
  const { code, stdout } = await exited;
  assert.equal(code, 0);
  assert.equal(await stalled, "ECONNRESET");
  // Keys given with --api-key are counted, never printed.
  assert.equal(stdout.split("\n")[1], "  API keys:        1 given (0 test, 1 production)");
  assert.equal(stdout.includes("pk-only"), false);
  const saved = JSON.parse(await readFile(dataFile, "utf8"));
  assert.deepEqual(
    saved.accounts.map((account) => account.udf.map((entry) => entry.key_value)),
    [[2]],
  );
});

test("CLI: a bad flag prints usage on stderr and exits 2", async () => {
  for (const args of [
    ["--bogus"],
    ["--udf", "sometimes"],
    ["--not-found", "410"],
    ["--not-found", "never"],
    ["--port", "abc"],
    ["--port", "70000"],
    ["stray"],
  ]) {
    const { code, stdout, stderr } = await runCli(args).exited;
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.equal(stderr.startsWith("refold-emulator: "), true);
    assert.equal(stderr.includes("\n\nUsage: refold-emulator [--host HOST] [--port PORT]"), true);
  }
  const { stderr } = await runCli(["--udf", "sometimes"]).exited;
  assert.equal(stderr.split("\n")[0], 'refold-emulator: udf must be "merge" or "replace"');
  const notFound = await runCli(["--not-found", "410"]).exited;
  assert.equal(notFound.stderr.split("\n")[0], "refold-emulator: notFound must be 404 or 500");
});

test("CLI: --help prints usage and exits 0; a corrupt --data file exits 1", async () => {
  const help = await runCli(["--help"]).exited;
  assert.equal(help.code, 0);
  assert.equal(
    help.stdout.startsWith("Usage: refold-emulator [--host HOST] [--port PORT] [--udf merge|replace]"),
    true,
  );
  // The keys and the control plane, where a newcomer looks first.
  assert.equal(
    help.stdout.endsWith(
      [
        "Default API keys:",
        `  test        ${DEFAULT_TEST_KEY}   (DEFAULT_TEST_KEY)`,
        `  production  ${DEFAULT_PRODUCTION_KEY}   (DEFAULT_PRODUCTION_KEY)`,
        "",
        "Control plane (for tests; faults, rate limit, request log, reset):",
        "  http://127.0.0.1:8787/__emulator/   (with the default host and port)",
        "",
      ].join("\n"),
    ),
    true,
  );
  for (const flag of ["--allow-host NAME", "--allow-origin ORIGIN"]) assert.equal(help.stdout.includes(flag), true);
  assert.equal(help.stderr, "");

  const dataFile = join(directory, "broken.json");
  await writeFile(dataFile, "not json");
  const broken = await runCli(["--port", "0", "--data", dataFile]).exited;
  assert.equal(broken.code, 1);
  assert.equal(broken.stdout, "");
  assert.equal(broken.stderr.startsWith(`refold-emulator: data file ${dataFile} is corrupt (`), true);
});

test("CLI: the default key pair works out of the box", async () => {
  const { child, firstLine, exited } = runCli(["--port", "0", "--host", "127.0.0.1"]);
  const [, url] = LISTENING.exec(await firstLine);
  assert.equal((await call(url, "PUT", ACCOUNTS, { body: { linked_account_id: "d" } })).json.environment, "test");
  const production = await call(url, "PUT", ACCOUNTS, {
    key: DEFAULT_PRODUCTION_KEY,
    body: { linked_account_id: "d" },
  });
  assert.equal(production.json.environment, "production");
  child.kill("SIGTERM");
  assert.equal((await exited).code, 0);
});

test("CLI: --allow-host and --allow-origin reach the server; bad values exit 2", async () => {
  const page = "http://127.0.0.1:5173";
  const { child, firstLine, exited } = runCli(["--port", "0", "--allow-host", "emulator.test", "--allow-origin", page]);
  const [, url, port] = LISTENING.exec(await firstLine);
  const health = await rawRequest(url, "GET", "/__emulator/health", {
    headers: { host: `emulator.test:${port}`, origin: page },
  });
  assert.equal(health.status, 200);
  assert.equal(health.headers.get("access-control-allow-origin"), page);
  child.kill("SIGTERM");
  assert.equal((await exited).code, 0);

  for (const [flag, value, option] of [
    ["--allow-host", "a.test:80", "allowHosts"],
    ["--allow-origin", "http://a.test/path", "allowOrigins"],
  ]) {
    const { code, stderr } = await runCli([flag, value]).exited;
    assert.equal(code, 2);
    assert.equal(stderr.split("\n")[0].startsWith(`refold-emulator: ${option} must be`), true);
  }
});

test("CLI under npx: when the shell npx started it in is killed, it stops and flushes --data", async () => {
  // npx runs a package's bin as `sh -c '<bin>'` and sends SIGTERM to that shell only.
  const dataFile = join(directory, "npx.json");
  const shell = spawn("sh", ["-c", `"${process.execPath}" "${EMULATOR}" --port 0 --data "${dataFile}"; exit $?`], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, npm_command: "exec" },
  });
  const line = await new Promise((resolve) => shell.stdout.setEncoding("utf8").once("data", resolve));
  const [, url] = LISTENING.exec(line.split("\n")[0]);
  const emulatorPid = Number(execFileSync("ps", ["-o", "pid=", "--ppid", String(shell.pid)], { encoding: "utf8" }));
  assert.equal((await call(url, "PUT", ACCOUNTS, { body: { linked_account_id: "npx" } })).status, 200);
  try {
    shell.kill("SIGTERM");
    const deadline = Date.now() + 5000;
    while (isRunning(emulatorPid) && Date.now() < deadline) await sleep(50);
    assert.equal(isRunning(emulatorPid), false, "the emulator outlived the shell");
    await assert.rejects(fetch(`${url}/__emulator/health`));
    assert.deepEqual(
      JSON.parse(await readFile(dataFile, "utf8")).accounts.map((account) => account.account_id),
      ["npx"],
    );
  } finally {
    if (isRunning(emulatorPid)) process.kill(emulatorPid, "SIGKILL");
  }
});

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
