// Concurrency and memory (issue: resilience): 1 000 upserts in flight with random faults lose no
// write; 10 000 failed calls leave the wasm memory and the timer count flat.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";

import { initSync } from "../../pkg/refold_linked_accounts.node.js";
import { emulator, sdk, DEFAULT_TEST_KEY, settle } from "./helpers.mjs";

// index.node.mjs (imported by helpers) has already instantiated the module; this returns it.
const wasm = initSync();

let emu;
before(async () => {
  emu = await emulator();
});
after(() => emu.close());

/** A deterministic random source (mulberry32), so a failure can be replayed from its seed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("1 000 upserts in flight (200 ids × 5 writes, random faults) → no lost or duplicate write", async () => {
  const seed = Number(process.env.STRESS_SEED ?? 20261129);
  const rand = random(seed);
  const prefix = `conc-${process.pid}-${seed}`;
  // Faults that change no state, so each successful call is exactly one write on the server.
  // No `Retry-After: 0`: an instant retry could take the next queued fault, and the next, and
  // run out of retries; jittered backoff spreads retries past the burst of first attempts.
  const kinds = [
    () => ({ status: 502, body: "<html>bad gateway</html>" }),
    () => ({ status: 503 }),
    () => ({ status: 429 }),
    () => ({ reset: true }),
    () => ({ delayMs: Math.floor(rand() * 50) }),
  ];
  await emu.faults(...Array.from({ length: 150 }, () => kinds[Math.floor(rand() * kinds.length)]()));

  const ids = Array.from({ length: 200 }, (_, i) => `${prefix}-${i}`);
  const calls = ids.flatMap((id) =>
    [1, 2, 3, 4, 5].map((seq) => ({
      id,
      seq,
      promise: settle(
        sdk.upsertLinkedAccount(
          { linked_account_id: id, name: `write ${seq}`, udf: { seq, marker: `${id}#${seq}` } },
          { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url, maxRetries: 10 },
        ),
      ),
    })),
  );
  assert.equal(calls.length, 1000);
  const outcomes = await Promise.all(calls.map(async (c) => ({ ...c, outcome: await c.promise })));

  const failures = outcomes.filter((o) => !o.outcome.ok);
  assert.deepEqual(failures.map((f) => `${f.outcome.error.code} after ${f.outcome.error.attempts}: ${f.outcome.error.message}`), [], "every call succeeds within its retries");
  for (const id of ids) {
    const mine = outcomes.filter((o) => o.id === id).map((o) => o.outcome.value);
    const versions = mine.map((a) => a.__v).sort((a, b) => a - b);
    // One create (__v 0) and four updates: each write got its own version.
    assert.deepEqual(versions, [0, 1, 2, 3, 4], id);
    const last = mine.find((a) => a.__v === 4);
    const stored = await emu.api("GET", `/api/v2/public/linked-account/${encodeURIComponent(id)}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.__v, mine.length - 1);
    assert.equal(stored.body.name, last.name);
    assert.deepEqual(stored.body.udf.map((e) => [e.key_name, e.key_value]), last.udf.map((e) => [e.key_name, e.key_value]));
    assert.equal(stored.body._id, last._id);
  }
  const listed = [];
  for (let page = 1; ; page++) {
    const { body } = await emu.api("GET", `/api/v2/public/linked-account?page=${page}&limit=100`);
    listed.push(...body.docs.filter((d) => d.account_id.startsWith(prefix)));
    if (!body.hasNextPage) break;
  }
  assert.equal(listed.length, 200, "one account per id, no duplicates");
  assert.equal(new Set(listed.map((d) => d.account_id)).size, 200);
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

async function failedCalls(count, fault, makeOptions) {
  // Start from an empty queue: a fault left by an earlier phase would let a call succeed.
  await emu.clearFaults();
  await emu.faults({ ...fault, count });
  const codes = new Map();
  for (let done = 0; done < count; done += 200) {
    const batch = Array.from({ length: Math.min(200, count - done) }, () =>
      settle(sdk.upsertLinkedAccount({ linked_account_id: "mem@example.com" }, { apiKey: DEFAULT_TEST_KEY, baseUrl: emu.url, maxRetries: 0, ...makeOptions() })),
    );
    for (const outcome of await Promise.all(batch)) {
      assert.equal(outcome.ok, false, `a call under ${JSON.stringify(fault)} succeeded`);
      codes.set(outcome.error.code, (codes.get(outcome.error.code) ?? 0) + 1);
    }
  }
  await emu.clearFaults();
  return Object.fromEntries(codes);
}

test("10 000 failed calls (502s, timeouts, aborts) → wasm memory and timers stay flat", async () => {
  const mix = async (n) => ({
    ...(await failedCalls(n * 0.4, { status: 502 }, () => ({}))),
    ...(await failedCalls(n * 0.3, { stall: "headers" }, () => ({ timeoutMs: 20 }))),
    ...(await failedCalls(n * 0.3, { stall: "headers" }, () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 5);
      return { signal: controller.signal };
    })),
  });
  const timersBefore = timers();
  assert.deepEqual(await mix(1000), { HTTP_ERROR: 400, TIMEOUT: 300, ABORTED: 300 });
  const warm = wasm.memory.buffer.byteLength;
  assert.deepEqual(await mix(10000), { HTTP_ERROR: 4000, TIMEOUT: 3000, ABORTED: 3000 });
  const afterAll = wasm.memory.buffer.byteLength;
  await sleep(50);
  const timersAfter = timers();
  console.log(`wasm memory: ${warm} B after 1 000 failed calls, ${afterAll} B after 10 000 more; Timeout handles: ${timersBefore} before, ${timersAfter} after`);
  assert.ok(afterAll - warm <= 65536, `wasm memory grew by ${afterAll - warm} B`);
  assert.ok(timersAfter <= timersBefore, `${timersAfter - timersBefore} timers left pending`);
});
