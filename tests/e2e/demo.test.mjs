// End-to-end test of the demo page (www/) in headless Debian Chromium through playwright-core:
// the page set to the emulator it was served with (on a free port, not the default 8787), live
// validation, two upserts against the emulator (__v 0 then 1), a network failure, the emulator's
// control plane out of the page's reach, the Accounts list (refreshed after an upsert, paged
// 10 at a time with the keyboard, Delete, a Delete of an account another tab already deleted,
// a list refused for a wrong key), and screenshots at 1280×800 and 360×740. Needs the built
// package: bash scripts/build.sh.
// Run: node --test tests/e2e/
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM as DEFAULT_CHROMIUM, CHROMIUM_ARGS } from "../../scripts/chromium.mjs";
import { startServer } from "../../scripts/serve.mjs";
import { DEFAULT_TEST_KEY, startEmulator } from "../../pkg-template/emulator.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const screenshots = join(root, "artifacts", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
const UPSERT_PATH = "/api/v2/public/linked-account";

const ACCOUNT_ID = "markwood@some_email.com";
const CREDENTIAL_VALUE = "demo-credential-5521";
const fingerprint = (value) => `redacted:${createHash("sha256").update(value).digest("hex").slice(0, 12)}`;

let emulator;
let site;
let browser;
let page;
// Console errors and uncaught page errors, checked after every step. While `expected` is set
// (a deliberate network failure or 404), Chromium's own log line for a failed request, with
// exactly that text and URL, is expected and counted in `expectedLogs` instead.
const problems = [];
let expected = null;
const expectedLogs = [];

async function closedPort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function emulatorRequests(method = "PUT") {
  const response = await fetch(`${emulator.url}/__emulator/requests`);
  assert.equal(response.status, 200);
  return (await response.json()).filter((entry) => entry.method === method);
}

// Upserts an account straight on the emulator (not through the page); resolves with it.
async function seedAccount(request) {
  const response = await fetch(`${emulator.url}${UPSERT_PATH}`, {
    method: "PUT",
    headers: { "content-type": "application/json", "x-api-key": DEFAULT_TEST_KEY },
    body: JSON.stringify(request),
  });
  assert.equal(response.status, 200);
  return response.json();
}

async function emulatorStatus(linkedAccountId) {
  const response = await fetch(`${emulator.url}${UPSERT_PATH}/${encodeURIComponent(linkedAccountId)}`, {
    headers: { "x-api-key": DEFAULT_TEST_KEY },
  });
  await response.arrayBuffer();
  return response.status;
}

// Collects the console errors and uncaught errors of a page into `problems`.
function watch(target) {
  target.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  target.on("console", (message) => {
    if (message.type() !== "error") return;
    const where = message.location().url;
    if (expected !== null && message.text() === expected.text && where === expected.url) {
      expectedLogs.push(where);
      return;
    }
    problems.push(`console.error: ${message.text()} (${where})`);
  });
}

// The Accounts table as [account id, name, __v, the Delete button's accessible name] per row.
function accountRows(target = page) {
  return target.$$eval("#accounts-rows tr", (rows) =>
    rows.map((row) =>
      [...row.cells].map((cell) => cell.querySelector("button")?.getAttribute("aria-label") ?? cell.textContent),
    ),
  );
}

// Waits until the Accounts summary reads `summary` and no list request is in flight.
async function accountsShow(summary, target = page) {
  await target.waitForFunction(
    (want) =>
      document.getElementById("accounts-summary").textContent === want &&
      !document.getElementById("accounts").hasAttribute("aria-busy"),
    summary,
    { timeout: 20_000 },
  );
}

// The focused element's id, else its accessible name (a Delete button has no id).
const focusedId = (target = page) =>
  target.evaluate(() => document.activeElement.id || document.activeElement.getAttribute("aria-label"));

// The elements that stick out to the right of the viewport.
function overflowing() {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((node) => node.id || node.className || node.tagName),
  );
}

async function queueFault(fault) {
  const response = await fetch(`${emulator.url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fault),
  });
  assert.equal(response.status, 200);
}

const text = (selector) => page.textContent(selector);
const attr = (selector, name) => page.getAttribute(selector, name);

// Clicks Upsert and waits until the call has finished (the button is back).
async function upsert() {
  await page.click("#upsert");
  await page.waitForFunction(
    () => {
      const button = document.getElementById("upsert");
      return !button.disabled && button.textContent === "Upsert";
    },
    null,
    { timeout: 20_000 },
  );
}

function assertNoProblems() {
  assert.deepEqual(problems, []);
}

before(async () => {
  assert.equal(
    existsSync(join(root, "pkg", "index.browser.mjs")),
    true,
    "pkg/index.browser.mjs is missing: run `bash scripts/build.sh` first",
  );
  await mkdir(screenshots, { recursive: true });
  emulator = await startEmulator({ port: 0, quiet: true });
  site = await startServer(0, { emulatorUrl: emulator.url });
  // launch() gives Chromium a fresh temporary profile of its own (and refuses --user-data-dir).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  watch(page);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.server.close(resolve) : resolve()));
  await emulator?.close();
});

test("the page loads the package and starts with the emulator it was served with, and its test key", async () => {
  await page.goto(site.url);
  await page.waitForFunction(() => document.getElementById("status").textContent === "Ready.");
  assert.equal(await page.title(), "Upsert a linked account · refold-linked-accounts demo");
  assert.equal(await page.isDisabled("#upsert"), false);
  assert.notEqual(emulator.port, 8787);
  assert.equal(await page.inputValue("#baseUrl"), emulator.url);
  assert.equal(
    (await text("#baseUrl-hint")).replace(/\s+/g, " "),
    `The local emulator, on port ${emulator.port} (started by scripts/main.sh, or by node pkg/emulator.mjs).`,
  );
  assert.equal(await page.inputValue("#apiKey"), DEFAULT_TEST_KEY);
  assert.equal(await attr("#apiKey", "type"), "password");
  // One empty udf row and one empty credential row, each labelled; nothing is flagged yet.
  assert.equal(await page.locator("#udf-rows .row").count(), 1);
  assert.equal(await page.locator("#cred-rows .row").count(), 1);
  assert.equal(await page.getAttribute("#cred-rows .row-value", "type"), "password");
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);
  assert.equal(await page.locator(".field-error:not([hidden])").count(), 0);
  // Every input has an accessible label.
  const unlabelled = await page.$$eval("input", (inputs) =>
    inputs.filter((input) => input.labels.length === 0 || input.labels[0].textContent.trim() === "").map((i) => i.id),
  );
  assert.deepEqual(unlabelled, []);
  assert.equal(await page.textContent('label[for="udf-key-1"]'), "Key, field 1");
  assert.equal(await page.textContent('label[for="cred-value-2"]'), "Value, credential 1");
  // The Accounts section lists the (still empty) environment of the key.
  await accountsShow("No accounts yet.");
  assert.equal(await page.isVisible("#accounts-table"), false);
  assert.equal(await page.isVisible("#accounts-error"), false);
  assert.equal(await page.isVisible("#accounts-prev"), false);
  assert.equal(await page.isVisible("#accounts-next"), false);
  assert.deepEqual(
    (await emulatorRequests("GET")).map((entry) => entry.path),
    [`${UPSERT_PATH}?page=1&limit=10`],
  );
  assertNoProblems();
});

test("a whitespace-only id gets the too_small message beside the id field", async () => {
  await page.fill("#linked_account_id", "   ");
  assert.equal(await text("#linked_account_id-error"), "linked_account_id must not be empty or whitespace only");
  assert.equal(await attr("#linked_account_id-error", "data-code"), "too_small");
  assert.equal(await page.isVisible("#linked_account_id-error"), true);
  assert.equal(await attr("#linked_account_id", "aria-invalid"), "true");
  assert.equal(await attr("#linked_account_id", "aria-describedby"), "linked_account_id-hint linked_account_id-error");
  // Typing a valid id clears it.
  await page.fill("#linked_account_id", ACCOUNT_ID);
  assert.equal(await page.isVisible("#linked_account_id-error"), false);
  assert.equal(await attr("#linked_account_id", "aria-invalid"), null);
  assert.equal(await attr("#linked_account_id", "aria-describedby"), "linked_account_id-hint");
  assertNoProblems();
});

test("a valid account is created: __v 0, typed udf values, credentials sent but not shown", async () => {
  // The Base URL field is left as the page set it.
  await page.fill("#name", "Mark Wood");
  await page.fill("#udf-key-1", "plan");
  await page.fill("#udf-value-1", "pro");
  await page.click("#add-udf");
  // The new row's key input has focus, so the keyboard user can type straight away.
  assert.equal(await page.evaluate(() => document.activeElement.id), "udf-key-3");
  await page.keyboard.type("seats");
  await page.fill("#udf-value-3", "12");
  assert.equal(await text("#udf-value-1-type"), "sent as string");
  assert.equal(await text("#udf-value-3-type"), "sent as number");
  await page.fill("#cred-key-2", "x-api-key");
  await page.fill("#cred-value-2", CREDENTIAL_VALUE);
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0);

  await upsert();

  assert.equal(await text("#status"), `Upserted "${ACCOUNT_ID}": __v 0.`);
  assert.equal(await text("#account-version"), "0");
  assert.equal(await text("#account-id"), ACCOUNT_ID);
  assert.equal(await text("#account-environment"), "test");
  const account = JSON.parse(await text("#account-json"));
  assert.equal(account.__v, 0);
  assert.equal(account.account_id, ACCOUNT_ID);
  assert.equal(account.name, "Mark Wood");
  assert.deepEqual(
    account.udf.map(({ key_name, key_value }) => ({ key_name, key_value })),
    [
      { key_name: "plan", key_value: "pro" },
      { key_name: "seats", key_value: 12 },
    ],
  );
  assert.equal(await text("#account-object-id"), account._id);
  assert.equal(await page.textContent("#account-json mark"), '"__v": 0,');
  // The credential went to the emulator (the log holds its fingerprint) and is not on the page.
  const [sent] = await emulatorRequests();
  assert.deepEqual(sent.body, {
    linked_account_id: ACCOUNT_ID,
    name: "Mark Wood",
    udf: { plan: "pro", seats: 12 },
    your_app: { auth_credentials: { "x-api-key": fingerprint(CREDENTIAL_VALUE) } },
  });
  assert.equal(sent.headers["x-api-key"], fingerprint(DEFAULT_TEST_KEY));
  assert.equal(await text("#result-call"), "upsertLinkedAccount()");
  // The Accounts list was refreshed: it shows the new account.
  await accountsShow("Page 1 of 1: account 1 of 1.");
  assert.deepEqual(await accountRows(), [[ACCOUNT_ID, "Mark Wood", "0", `Delete ${ACCOUNT_ID}`]]);
  assert.equal(await page.getByRole("button", { name: `Delete ${ACCOUNT_ID}`, exact: true }).count(), 1);
  assert.equal(await page.isVisible("#accounts-prev"), false);
  assert.equal(await page.isVisible("#accounts-next"), false);
  assert.equal((await page.content()).includes(CREDENTIAL_VALUE), false);
  assertNoProblems();
});

test("screenshots at 1280×800 and 360×740; no horizontal scroll at 360 px", async () => {
  const names = ["desktop-1280x800", "desktop-1280x800-full", "mobile-360x740", "mobile-360x740-full"];
  for (const name of names) await rm(join(screenshots, `demo-${name}.png`), { force: true });
  // Desktop: the viewport from the top (the result sits beside the form), and the whole page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshots, "demo-desktop-1280x800.png") });
  await page.screenshot({ path: join(screenshots, "demo-desktop-1280x800-full.png"), fullPage: true });
  await page.setViewportSize({ width: 360, height: 740 });
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.equal(scrollWidth <= 360, true, `scrollWidth ${scrollWidth} > 360`);
  assert.equal(scrollWidth, clientWidth);
  // No element sticks out to the right of the viewport either.
  assert.deepEqual(await overflowing(), []);
  // Mobile: the viewport scrolled to the result (below the form), and the whole page.
  await page.evaluate(() => document.getElementById("result").scrollIntoView());
  await page.screenshot({ path: join(screenshots, "demo-mobile-360x740.png") });
  await page.screenshot({ path: join(screenshots, "demo-mobile-360x740-full.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const name of names) {
    assert.equal(existsSync(join(screenshots, `demo-${name}.png`)), true);
  }
  assertNoProblems();
});

test("changing a udf value and upserting again gives __v 1 and the new value", async () => {
  await page.fill("#udf-value-1", "enterprise");
  // Slow the next PUT down so the in-flight state can be seen.
  await queueFault({ method: "PUT", path: UPSERT_PATH, delayMs: 1500 });
  await page.click("#upsert");
  assert.equal(await page.isDisabled("#upsert"), true);
  assert.equal(await text("#upsert"), "Upserting…");
  assert.equal(await attr("#result", "aria-busy"), "true");
  // A second click while disabled sends nothing more.
  await page.click("#upsert", { force: true });
  await page.waitForFunction(() => !document.getElementById("upsert").disabled, null, { timeout: 20_000 });

  assert.equal(await text("#upsert"), "Upsert");
  assert.equal(await attr("#result", "aria-busy"), null);
  assert.equal(await text("#status"), `Upserted "${ACCOUNT_ID}": __v 1.`);
  assert.equal(await text("#account-version"), "1");
  const account = JSON.parse(await text("#account-json"));
  assert.equal(account.__v, 1);
  assert.deepEqual(
    account.udf.map(({ key_name, key_value }) => ({ key_name, key_value })),
    [
      { key_name: "plan", key_value: "enterprise" },
      { key_name: "seats", key_value: 12 },
    ],
  );
  assert.equal((await emulatorRequests()).length, 2);
  // The list shows the new __v.
  await page.waitForFunction(() => document.querySelector("#accounts-rows .col-version")?.textContent === "1");
  assert.deepEqual(await accountRows(), [[ACCOUNT_ID, "Mark Wood", "1", `Delete ${ACCOUNT_ID}`]]);
  assertNoProblems();
});

test("a closed port shows NETWORK_ERROR with the attempts made", async () => {
  const port = await closedPort();
  const origin = `http://127.0.0.1:${port}`;
  expected = { text: "Failed to load resource: net::ERR_CONNECTION_REFUSED", url: `${origin}${UPSERT_PATH}` };
  const listsBefore = (await emulatorRequests("GET")).length;
  await page.fill("#baseUrl", origin);
  await upsert();

  assert.equal(await text("#status"), "Failed: NETWORK_ERROR.");
  assert.equal(await text("#error-code"), "NETWORK_ERROR");
  assert.equal(await text("#error-status"), "none");
  assert.equal(await text("#error-request-id"), "none");
  assert.equal(await text("#error-attempts"), "3");
  assert.equal(
    await text("#error-message"),
    "network error, no response from the Refold API (connection refused or reset, DNS failure, " +
      "or a CORS block: browsers do not say which): Failed to fetch",
  );
  assert.equal(await text("#result-call"), "upsertLinkedAccount()");
  assert.equal(await page.locator("#account-version").count(), 0);
  // Chromium logs one refused request per attempt, and nothing else went wrong.
  assert.deepEqual(expectedLogs.splice(0), Array(3).fill(`${origin}${UPSERT_PATH}`));
  expected = null;
  assert.equal((await emulatorRequests()).length, 2);
  // A failed upsert does not refresh the list: it still shows the account.
  assert.equal((await emulatorRequests("GET")).length, listsBefore);
  assert.deepEqual(await accountRows(), [[ACCOUNT_ID, "Mark Wood", "1", `Delete ${ACCOUNT_ID}`]]);
  assertNoProblems();
});

test("a page cannot read or drive the emulator's control plane; the API still answers it", async () => {
  // A second tab on the demo page's origin, which is not the emulator's.
  const other = await browser.newPage();
  try {
    await other.goto(site.url);
    await queueFault({ method: "GET", path: "/untouched", status: 500 });
    const outcome = await other.evaluate(async (base) => {
      const read = await fetch(`${base}/__emulator/requests`).then(
        () => "read",
        (error) => error.name,
      );
      // A simple POST needs no preflight: the browser sends it, and it must change nothing.
      await fetch(`${base}/__emulator/reset`, { method: "POST", mode: "no-cors", body: "{}" });
      await fetch(`${base}/__emulator/faults`, { method: "DELETE", mode: "no-cors" }).catch(() => {});
      const api = await fetch(`${base}/api/v2/public/linked-account/nobody`, {
        headers: { "x-api-key": "tk-unknown" },
      });
      return { read, api: api.status, requestId: api.headers.get("x-request-id") !== null };
    }, emulator.url);
    assert.deepEqual(outcome, { read: "TypeError", api: 401, requestId: true });
    // Nothing was reset or cleared: the account and the fault are still there.
    const account = await fetch(`${emulator.url}${UPSERT_PATH}/${encodeURIComponent(ACCOUNT_ID)}`, {
      headers: { "x-api-key": DEFAULT_TEST_KEY },
    });
    assert.equal(account.status, 200);
    const faults = await (await fetch(`${emulator.url}/__emulator/faults`)).json();
    assert.deepEqual(faults, [{ method: "GET", path: "/untouched", status: 500, count: 1 }]);
    await fetch(`${emulator.url}/__emulator/faults`, { method: "DELETE" });
  } finally {
    await other.close();
  }
  assertNoProblems();
});

// Eleven more accounts (twelve in all), created straight on the emulator in this order; the
// page lists them in creation order, after ACCOUNT_ID. One name is markup, which the page must
// show as text.
const SEEDED = Array.from({ length: 11 }, (_, i) => `account-${String(i + 1).padStart(2, "0")}`);
const MARKUP_NAME = '<img src="x" onerror="window.injected = true">';
let associatedOrg;

test("Refresh lists 12 accounts 10 a page; Next and Previous page with the keyboard", async () => {
  await page.fill("#baseUrl", emulator.url);
  for (const id of SEEDED) {
    const request = id === "account-03" ? { linked_account_id: id, name: MARKUP_NAME } : { linked_account_id: id };
    const account = await seedAccount(request);
    associatedOrg = account.associated_org;
  }
  const firstPage = [
    [ACCOUNT_ID, "Mark Wood", "1", `Delete ${ACCOUNT_ID}`],
    ...SEEDED.slice(0, 9).map((id) => [id, id === "account-03" ? MARKUP_NAME : "none", "0", `Delete ${id}`]),
  ];
  await page.getByRole("button", { name: "Refresh", exact: true }).click();
  await accountsShow("Page 1 of 2: accounts 1–10 of 12.");
  assert.equal(await text("#status"), "Page 1 of 2: accounts 1–10 of 12.");
  assert.deepEqual(await accountRows(), firstPage);
  // The markup is text: no element was made from it and its handler never ran.
  assert.equal(await page.locator("#accounts-rows img").count(), 0);
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.equal(await page.isVisible("#accounts-prev"), false);
  assert.equal(await page.isVisible("#accounts-next"), true);

  // At 360 px the table of ten fits without a horizontal scroll.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.deepEqual(await overflowing(), []);
  await page.evaluate(() => document.getElementById("accounts").scrollIntoView());
  await page.screenshot({ path: join(screenshots, "demo-accounts-mobile-360x740.png") });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Next, by keyboard: page 2 has the last two; Next is gone, so focus moves to Previous.
  await page.focus("#accounts-next");
  await page.keyboard.press("Enter");
  await accountsShow("Page 2 of 2: accounts 11–12 of 12.");
  assert.equal(await text("#status"), "Page 2 of 2: accounts 11–12 of 12.");
  assert.deepEqual(await accountRows(), [
    ["account-10", "none", "0", "Delete account-10"],
    ["account-11", "none", "0", "Delete account-11"],
  ]);
  assert.equal(await page.isVisible("#accounts-prev"), true);
  assert.equal(await page.isVisible("#accounts-next"), false);
  assert.equal(await focusedId(), "accounts-prev");
  // Previous, by keyboard: back to page 1, focus on Next.
  await page.keyboard.press("Enter");
  await accountsShow("Page 1 of 2: accounts 1–10 of 12.");
  assert.deepEqual(await accountRows(), firstPage);
  assert.equal(await focusedId(), "accounts-next");
  assert.deepEqual(
    (await emulatorRequests("GET")).slice(-3).map((entry) => entry.path),
    [`${UPSERT_PATH}?page=1&limit=10`, `${UPSERT_PATH}?page=2&limit=10`, `${UPSERT_PATH}?page=1&limit=10`],
  );
  assertNoProblems();
});

test("Delete removes the account at once and says so in the status line", async () => {
  await page.getByRole("button", { name: `Delete ${ACCOUNT_ID}`, exact: true }).focus();
  await page.keyboard.press("Enter");
  const deleted = `Deleted "${ACCOUNT_ID}".`;
  await page.waitForFunction((want) => document.getElementById("status").textContent === want, deleted);
  await accountsShow("Page 1 of 2: accounts 1–10 of 11.");
  assert.equal(await text("#status"), deleted);
  assert.deepEqual(
    await accountRows(),
    SEEDED.slice(0, 10).map((id) => [id, id === "account-03" ? MARKUP_NAME : "none", "0", `Delete ${id}`]),
  );
  // The result shows the delete's answer; focus is on the row that took the deleted one's place.
  assert.equal(await text("#result-call"), "deleteLinkedAccount()");
  assert.equal(await text("#deleted-account-id"), ACCOUNT_ID);
  assert.equal(await text("#deleted-message"), "User deleted successfully");
  assert.equal(await focusedId(), "Delete account-01");
  // The emulator got one DELETE (the id percent-encoded) and no longer has the account.
  assert.deepEqual(
    (await emulatorRequests("DELETE")).map((entry) => entry.path),
    [`${UPSERT_PATH}/${encodeURIComponent(ACCOUNT_ID)}`],
  );
  assert.equal(await emulatorStatus(ACCOUNT_ID), 404);
  assertNoProblems();
});

test("deleting an account another tab already deleted shows HTTP_ERROR 404", async () => {
  // This tab goes to page 2, which holds account-11 alone.
  await page.click("#accounts-next");
  await accountsShow("Page 2 of 2: account 11 of 11.");
  assert.deepEqual(await accountRows(), [["account-11", "none", "0", "Delete account-11"]]);

  // A second tab deletes account-11 from its own page 2; that page is then past the end, so it
  // shows page 1.
  const other = await browser.newPage();
  watch(other);
  try {
    await other.goto(site.url);
    await accountsShow("Page 1 of 2: accounts 1–10 of 11.", other);
    await other.click("#accounts-next");
    await accountsShow("Page 2 of 2: account 11 of 11.", other);
    await other.getByRole("button", { name: "Delete account-11", exact: true }).click();
    await accountsShow("Page 1 of 1: accounts 1–10 of 10.", other);
    assert.equal(await other.textContent("#status"), 'Deleted "account-11".');
  } finally {
    await other.close();
  }
  assert.equal(await emulatorStatus("account-11"), 404);

  // The first tab still shows the deleted row; its Delete gets a 404 (logged once by
  // Chromium), then the list refreshes to the last page that exists.
  const url = `${emulator.url}${UPSERT_PATH}/account-11`;
  expected = { text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url };
  await page.getByRole("button", { name: "Delete account-11", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("Could not delete"));
  assert.equal(await text("#status"), 'Could not delete "account-11": HTTP_ERROR.');
  assert.equal(await text("#result-call"), "deleteLinkedAccount()");
  assert.equal(await text("#error-code"), "HTTP_ERROR");
  assert.equal(await text("#error-status"), "404");
  assert.equal(await text("#error-api-code"), "NOT_FOUND");
  assert.equal(await text("#error-attempts"), "1");
  const requestId = await text("#error-request-id");
  assert.match(requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(
    await text("#error-message"),
    "Refold API answered HTTP 404 NOT_FOUND (NOT_FOUND): Linked Account with account id account-11 " +
      `for org ${associatedOrg} in environment test not found [request_id ${requestId}]`,
  );
  await accountsShow("Page 1 of 1: accounts 1–10 of 10.");
  assert.deepEqual(
    (await accountRows()).map((row) => row[0]),
    SEEDED.slice(0, 10),
  );
  assert.equal(await page.isVisible("#accounts-prev"), false);
  assert.equal(await page.isVisible("#accounts-next"), false);
  assert.equal(await focusedId(), "Delete account-01");
  assert.deepEqual(expectedLogs.splice(0), [url]);
  expected = null;
  assertNoProblems();
});

test("a list that fails shows its code and message in the section; Refresh recovers", async () => {
  const wrongKey = "tk-not-a-key-7731";
  const url = `${emulator.url}${UPSERT_PATH}?page=1&limit=10`;
  const logged = "Failed to load resource: the server responded with a status of 401 (Unauthorized)";
  expected = { text: logged, url };
  await page.fill("#apiKey", wrongKey);
  const answered = page.waitForResponse((response) => response.url() === url);
  await page.getByRole("button", { name: "Refresh", exact: true }).click();
  const requestId = (await answered).headers()["x-request-id"];
  await accountsShow("Could not list the accounts.");
  assert.equal(await text("#status"), "Could not list the accounts: HTTP_ERROR.");
  assert.equal(await attr("#accounts-error", "data-code"), "HTTP_ERROR");
  assert.equal(
    await text("#accounts-error"),
    "HTTP_ERROR: Refold API answered HTTP 401 UNAUTHORIZED (SERVER_ERROR): Invalid Credentials " +
      `[request_id ${requestId}]`,
  );
  assert.equal(await page.isVisible("#accounts-error"), true);
  assert.equal(await page.isVisible("#accounts-table"), false);
  assert.equal(await page.isVisible("#accounts-next"), false);
  // The result of the last delete is left as it was, and the key is nowhere on the page.
  assert.equal(await text("#result-call"), "deleteLinkedAccount()");
  assert.equal((await page.content()).includes(wrongKey), false);
  assert.deepEqual(expectedLogs.splice(0), [url]);
  expected = null;

  await page.fill("#apiKey", DEFAULT_TEST_KEY);
  await page.getByRole("button", { name: "Refresh", exact: true }).click();
  await accountsShow("Page 1 of 1: accounts 1–10 of 10.");
  assert.equal(await text("#status"), "Page 1 of 1: accounts 1–10 of 10.");
  assert.equal(await page.isVisible("#accounts-error"), false);
  assert.equal(await attr("#accounts-error", "data-code"), null);
  assert.deepEqual(
    (await accountRows()).map((row) => row[0]),
    SEEDED.slice(0, 10),
  );
  assertNoProblems();
});
