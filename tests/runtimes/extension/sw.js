// A Manifest V3 extension's background service worker (a module service worker: no top-level
// `await`, no `import()`, the extension's default content security policy) that imports the
// installed tarball's worker entry by its name. The extension's page sends { api, key, id };
// the worker runs the shared check and answers.
import * as sdk from "refold-linked-accounts/worker";
import { check } from "./check.mjs";

chrome.runtime.onMessage.addListener(({ api, key, id }, sender, reply) => {
  const realm = Object.prototype.toString.call(self).slice(8, -1);
  check(sdk, { baseUrl: api, apiKey: key, id, browser: true }).then(
    (result) => reply({ ok: true, result: { realm, ...result } }),
    (e) => reply({ ok: false, error: String((e && e.stack) || e) }),
  );
  return true; // the reply comes later
});
