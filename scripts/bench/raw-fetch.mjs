// The floor: raw `fetch` + `JSON.stringify` + `res.json()`, no validation, no retries.
// Weighed (bundled with esbuild like the baseline) and timed beside ours in bench/run.mjs.

/** PUT {baseUrl}/api/v2/public/linked-account with `x-api-key`; resolves with the JSON body. */
export async function upsertLinkedAccount(request, { apiKey, baseUrl }) {
  const res = await fetch(`${baseUrl}/api/v2/public/linked-account`, {
    method: "PUT",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify(request),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
