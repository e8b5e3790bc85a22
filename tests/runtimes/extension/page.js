// The extension's page (extension pages run no inline scripts): hands the query string (api,
// key, id) to the background worker and publishes its answer as window.__fixture, which the
// runner waits for.
const q = new URLSearchParams(location.search);
const publish = (outcome) => {
  window.__fixture = outcome;
  document.body.textContent = JSON.stringify(outcome);
};
chrome.runtime.sendMessage({ api: q.get("api"), key: q.get("key"), id: q.get("id") }).then(
  (answer) => publish(answer ?? { ok: false, error: "the background worker sent no answer" }),
  (e) => publish({ ok: false, error: `the background worker did not answer: ${e && e.message}` }),
);
