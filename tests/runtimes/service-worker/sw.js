// A module service worker (registered with `{ type: "module" }`), served as is: no bundler, so
// it imports the installed worker entry by its path (service workers read no import maps), and
// the browser loads the entry's own imports. Module service workers forbid a top-level `await`
// and never run `import()`. The page posts { api, key, id } with a MessagePort; the worker runs
// the shared check and answers on the port.
import * as sdk from "./node_modules/refold-linked-accounts/index.worker.mjs";
import { check } from "./check.mjs";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("message", (event) => {
  const { api, key, id } = event.data;
  const [port] = event.ports;
  const realm = Object.prototype.toString.call(self).slice(8, -1);
  event.waitUntil(
    check(sdk, { baseUrl: api, apiKey: key, id, browser: true }).then(
      (result) => port.postMessage({ ok: true, result: { realm, ...result } }),
      (e) => port.postMessage({ ok: false, error: String((e && e.stack) || e) }),
    ),
  );
});
