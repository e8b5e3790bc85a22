// Runs the shared check in the page and publishes the outcome as window.__fixture, which the
// runner waits for. Query string: api (emulator URL), key (test key), id (account id).
import { check } from "./check.mjs";

export async function run(sdk) {
  const q = new URLSearchParams(location.search);
  try {
    const result = await check(sdk, { baseUrl: q.get("api"), apiKey: q.get("key"), id: q.get("id"), browser: true });
    window.__fixture = { ok: true, result };
  } catch (e) {
    window.__fixture = { ok: false, error: String((e && e.stack) || e) };
  }
  document.body.textContent = JSON.stringify(window.__fixture);
}
