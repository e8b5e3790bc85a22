// A Cloudflare Worker that imports the installed tarball by its name. run.mjs bundles it the way
// Wrangler does (esbuild, conditions workerd/worker/browser, `.wasm` imports left as
// CompiledWasm modules) and runs it in workerd through miniflare.
import "./no-wasm-from-bytes.mjs"; // first: Cloudflare's rule, enforced from the start
import * as sdk from "refold-linked-accounts";
import { check } from "./check.mjs";

export default {
  async fetch(request) {
    const q = new URL(request.url).searchParams;
    try {
      const result = await check(sdk, { baseUrl: q.get("api"), apiKey: q.get("key"), id: q.get("id") });
      return Response.json({ ok: true, result });
    } catch (e) {
      return Response.json({ ok: false, error: String((e && e.stack) || e) }, { status: 500 });
    }
  },
};
