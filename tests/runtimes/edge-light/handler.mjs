// A Vercel Edge Function that imports the installed tarball by its name. run.mjs bundles it the
// way Vercel does (esbuild, the `edge-light` condition, `.wasm?module` imports bound to compiled
// modules) and runs it in Vercel's Edge Runtime emulation (the `edge-runtime` npm package).
import "./no-wasm-from-bytes.mjs"; // first: Vercel Edge's rule, enforced from the start
import * as sdk from "refold-linked-accounts";
import { check } from "./check.mjs";

export const config = { runtime: "edge" };

export default async function handler(request) {
  const q = new URL(request.url).searchParams;
  const json = (body, status) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  try {
    const result = await check(sdk, { baseUrl: q.get("api"), apiKey: q.get("key"), id: q.get("id") });
    return json({ ok: true, result, edgeRuntime: typeof EdgeRuntime === "string" ? EdgeRuntime : null }, 200);
  } catch (e) {
    return json({ ok: false, error: String((e && e.stack) || e) }, 500);
  }
}
