// Demo page for refold-linked-accounts: a form for the upsert request, live validation with
// validateUpsertLinkedAccount() and a real call with upsertLinkedAccount(), and the list of
// accounts (listLinkedAccounts(), deleteLinkedAccount()). No bundler, no framework: served by
// scripts/serve.mjs, which mounts the built package (pkg/) at /pkg/ and answers /config.js
// with the emulator to talk to.
import {
  upsertLinkedAccount,
  listLinkedAccounts,
  deleteLinkedAccount,
  validateUpsertLinkedAccount,
  isLinkedAccountError,
} from "/pkg/index.browser.mjs";
import { EMULATOR_URL } from "./config.js";

const $ = (id) => document.getElementById(id);

const form = $("upsert-form");
const idInput = $("linked_account_id");
const nameInput = $("name");
const baseUrlInput = $("baseUrl");
const apiKeyInput = $("apiKey");
const submitButton = $("upsert");
const statusLine = $("status");
const resultSection = $("result");
const resultBody = $("result-body");
const accountsHeading = $("accounts-heading");
const accountsSection = $("accounts");
const accountsSummary = $("accounts-summary");
const accountsError = $("accounts-error");
const accountsTable = $("accounts-table");
const accountsRows = $("accounts-rows");
const prevButton = $("accounts-prev");
const nextButton = $("accounts-next");
const refreshButton = $("accounts-refresh");
const PAGE_SIZE = 10;

const KINDS = {
  udf: {
    rows: $("udf-rows"),
    head: $("udf-head"),
    groupError: $("udf-error"),
    addButton: $("add-udf"),
    noun: "field",
    valueType: "text",
  },
  cred: {
    rows: $("cred-rows"),
    head: $("cred-head"),
    groupError: $("cred-error"),
    addButton: $("add-cred"),
    noun: "credential",
    valueType: "password",
  },
};

// Issues are shown for a field once it has been edited or left (or after an Upsert click),
// so an untouched form does not open with a wall of "required" messages.
const touched = new Set();
let showAll = false;
// INVALID_OPTIONS issues from the last call, by input id; cleared when that input changes.
const optionIssues = new Map();
let rowSeq = 0;
let inFlight = false;

// ---------------------------------------------------------------------------------------------
// Rows (udf and credentials)

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function addRow(kind, { focus = false } = {}) {
  const k = KINDS[kind];
  const n = ++rowSeq;
  const keyId = `${kind}-key-${n}`;
  const valueId = `${kind}-value-${n}`;

  const keyLabel = el("label", { for: keyId, class: "visually-hidden" });
  const keyInput = el("input", {
    id: keyId,
    class: "row-key",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "off",
    "data-describedby": "",
  });
  const valueLabel = el("label", { for: valueId, class: "visually-hidden" });
  const valueInput = el("input", {
    id: valueId,
    class: "row-value",
    type: k.valueType,
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "off",
    "data-describedby": "",
  });
  const valueCell = el("div", { class: "cell" }, valueLabel, valueInput);
  if (kind === "udf") {
    const typeId = `${valueId}-type`;
    valueCell.append(el("span", { id: typeId, class: "type-tag", text: "not sent" }));
    valueInput.setAttribute("data-describedby", typeId);
  }
  const remove = el("button", { type: "button", class: "remove" });
  remove.append(el("span", { "aria-hidden": "true", text: "×" }));

  const row = el(
    "div",
    { class: "row", "data-kind": kind },
    el("div", { class: "row-inputs" }, el("div", { class: "cell" }, keyLabel, keyInput), valueCell, remove),
    el("p", { class: "field-error", id: `${keyId}-error`, hidden: "" }),
    el("p", { class: "field-error", id: `${valueId}-error`, hidden: "" }),
  );
  remove.addEventListener("click", () => removeRow(kind, row));
  k.rows.append(row);
  renumber(kind);
  if (focus) keyInput.focus();
  refresh();
}

function removeRow(kind, row) {
  const k = KINDS[kind];
  const rows = [...k.rows.children];
  const next = rows[rows.indexOf(row) + 1] ?? rows[rows.indexOf(row) - 1];
  for (const input of row.querySelectorAll("input")) {
    touched.delete(input.id);
  }
  row.remove();
  renumber(kind);
  refresh();
  // Keep keyboard focus in the list: the next row's remove button, else the add button.
  (next?.querySelector(".remove") ?? k.addButton).focus();
}

function renumber(kind) {
  const k = KINDS[kind];
  const rows = [...k.rows.children];
  k.head.hidden = rows.length === 0;
  rows.forEach((row, i) => {
    const [keyLabel, valueLabel] = row.querySelectorAll("label");
    keyLabel.textContent = `Key, ${k.noun} ${i + 1}`;
    valueLabel.textContent = `Value, ${k.noun} ${i + 1}`;
    row.querySelector(".remove").setAttribute("aria-label", `Remove ${k.noun} ${i + 1}`);
  });
}

function readRows(kind) {
  return [...KINDS[kind].rows.children].map((row) => {
    const keyInput = row.querySelector(".row-key");
    const valueInput = row.querySelector(".row-value");
    return { row, keyInput, valueInput, key: keyInput.value, raw: valueInput.value };
  });
}

// A udf value is a string unless it parses as a JSON number, true, false or null.
function parseUdfValue(raw) {
  try {
    const value = JSON.parse(raw);
    if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  } catch {
    // not JSON: a string
  }
  return raw;
}

const typeName = (value) => (value === null ? "null" : typeof value);

// ---------------------------------------------------------------------------------------------
// The request, and where each issue goes

function buildRequest() {
  const request = { linked_account_id: idInput.value };
  if (nameInput.value !== "") request.name = nameInput.value;

  const blank = (r) => r.key === "" && r.raw === "";
  const udfRows = readRows("udf").filter((r) => !blank(r));
  const credRows = readRows("cred").filter((r) => !blank(r));
  for (const r of readRows("udf")) {
    const tag = r.valueInput.parentElement.querySelector(".type-tag");
    tag.textContent = blank(r) ? "not sent" : `sent as ${typeName(parseUdfValue(r.raw))}`;
  }
  if (udfRows.length > 0) {
    request.udf = Object.fromEntries(udfRows.map((r) => [r.key, parseUdfValue(r.raw)]));
  }
  if (credRows.length > 0) {
    request.your_app = { auth_credentials: Object.fromEntries(credRows.map((r) => [r.key, r.raw])) };
  }
  return { request, udfRows, credRows };
}

// Two rows with the very same key would collapse into one object key, so the validator cannot
// see them: the page reports the later row itself.
function duplicateRowIssues(rows, label) {
  const issues = [];
  const first = new Map();
  rows.forEach((r) => {
    if (r.key.trim() === "") return; // the validator reports empty keys
    if (first.has(r.key)) {
      issues.push({
        input: r.keyInput,
        code: "duplicate_key",
        message: `${label} "${r.key}" is already used by an earlier row; each key can appear once`,
      });
    } else {
      first.set(r.key, r);
    }
  });
  return issues;
}

// Maps a ValidationIssue path to the input (or group) it is about.
function placeIssue(issue, udfRows, credRows) {
  const [head, second, third] = issue.path;
  const onKey = issue.code === "too_small" || issue.code === "duplicate_key";
  const inRows = (rows, key) => {
    const matching = rows.filter((r) => r.key === key);
    if (matching.length === 0) return [];
    // An empty key is reported once, but every row with it needs fixing; otherwise the last
    // row with the key is the one whose value was sent.
    const targets = issue.code === "too_small" ? matching : [matching[matching.length - 1]];
    return targets.map((r) => (onKey ? r.keyInput : r.valueInput));
  };
  if (head === "linked_account_id") return [idInput];
  if (head === "name") return [nameInput];
  if (head === "udf") {
    if (issue.path.length === 2) {
      const targets = inRows(udfRows, second);
      if (targets.length > 0) return targets;
    }
    return [KINDS.udf.groupError];
  }
  if (head === "your_app") {
    if (second === "auth_credentials" && issue.path.length === 3) {
      const targets = inRows(credRows, third);
      if (targets.length > 0) return targets;
    }
    return [KINDS.cred.groupError];
  }
  return []; // the form builds no other paths (no unknown keys, always a plain object)
}

// Runs the validator on the current form and shows each issue beside its field.
function refresh() {
  const { request, udfRows, credRows } = buildRequest();
  const messages = new Map(); // error element -> messages
  const add = (target, message, code) => {
    if (!messages.has(target)) messages.set(target, []);
    messages.get(target).push({ message, code });
  };
  const issues = validateUpsertLinkedAccount(request);
  for (const issue of issues) {
    for (const target of placeIssue(issue, udfRows, credRows)) add(target, issue.message, issue.code);
  }
  const pageIssues = [
    ...duplicateRowIssues(udfRows, "udf key"),
    ...duplicateRowIssues(credRows, "Credential key"),
  ];
  for (const issue of pageIssues) add(issue.input, issue.message, issue.code);
  for (const [id, issue] of optionIssues) add($(id), issue.message, issue.code);

  const inputs = [idInput, nameInput, baseUrlInput, apiKeyInput, ...form.querySelectorAll(".rows input")];
  for (const input of inputs) {
    const list = messages.get(input) ?? [];
    const visible = list.length > 0 && (showAll || touched.has(input.id) || optionIssues.has(input.id));
    showError(input, $(`${input.id}-error`), visible ? list : []);
  }
  for (const kind of Object.values(KINDS)) {
    const list = messages.get(kind.groupError) ?? [];
    const anyTouched = [...kind.rows.querySelectorAll("input")].some((i) => touched.has(i.id));
    showError(null, kind.groupError, showAll || anyTouched ? list : []);
  }
  return { request, issues, pageIssues, firstInvalid: form.querySelector('[aria-invalid="true"]') };
}

function showError(input, errorEl, list) {
  // The issue codes stay machine-readable for tests and tooling; people read the messages.
  errorEl.textContent = list.map((issue) => issue.message).join(" ");
  errorEl.dataset.code = list.map((issue) => issue.code).join(" ");
  errorEl.hidden = list.length === 0;
  if (!input) return;
  const base = (input.dataset.describedby ?? "").split(" ").filter(Boolean);
  if (list.length > 0) {
    input.setAttribute("aria-invalid", "true");
    base.push(errorEl.id);
  } else {
    input.removeAttribute("aria-invalid");
  }
  if (base.length > 0) input.setAttribute("aria-describedby", base.join(" "));
  else input.removeAttribute("aria-describedby");
}

// ---------------------------------------------------------------------------------------------
// Results

function field(list, label, value, id, { mono = false } = {}) {
  const dd = el("dd", { id });
  if (mono) dd.classList.add("mono");
  if (value === undefined || value === null || value === "") {
    dd.textContent = "none";
    dd.classList.add("none");
  } else {
    dd.textContent = String(value);
  }
  list.append(el("dt", { text: label }), dd);
}

// One line of pretty-printed JSON as a block: a line too long for a narrow screen wraps with a
// hanging indent, and its value moves to the next line whole when it fits there. The top-level
// "__v" line is highlighted.
function jsonLine(line) {
  const [, indent, key = "", value] = /^( *)("(?:[^"\\]|\\.)*": )?(.*)$/.exec(line);
  const block = el("span", { class: "json-line", style: `--indent: ${indent.length}ch` });
  const content = [key, ...(value === "" ? [] : [el("span", { class: "json-value", text: value })])];
  if (indent.length === 2 && key === '"__v": ') block.append(indent, el("mark", {}, ...content));
  else block.append(indent, ...content);
  return block;
}

function renderAccount(account) {
  const summary = el("dl", { class: "facts" });
  field(summary, "call", "upsertLinkedAccount()", "result-call", { mono: true });
  field(summary, "account_id", account.account_id, "account-id", { mono: true });
  field(summary, "_id", account._id, "account-object-id", { mono: true });
  field(summary, "environment", account.environment, "account-environment", { mono: true });
  field(summary, "updatedAt", account.updatedAt, "account-updated-at", { mono: true });

  const code = el("code");
  for (const line of JSON.stringify(account, null, 2).split("\n")) code.append(jsonLine(line));

  resultBody.replaceChildren(
    el(
      "div",
      { class: "outcome ok" },
      el(
        "div",
        { class: "outcome-head" },
        el("p", { class: "badge ok", text: "OK" }),
        el(
          "p",
          { class: "version" },
          el("span", { class: "version-label", text: "__v" }),
          el("span", { class: "version-value", id: "account-version", text: String(account.__v) }),
        ),
      ),
      summary,
      el("h3", { text: "Account JSON" }),
      el("pre", { id: "account-json" }, code),
    ),
  );
}

// ["udf", "plan"] → udf.plan; ["udf", ""] → udf[""]; ["a", 0] → a[0]
function formatPath(path) {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(part)) return i === 0 ? part : `.${part}`;
      return `[${JSON.stringify(part)}]`;
    })
    .join("");
}

// The result of a successful delete.
function renderDeleted(linkedAccountId, answer) {
  const facts = el("dl", { class: "facts" });
  field(facts, "call", "deleteLinkedAccount()", "result-call", { mono: true });
  field(facts, "account_id", linkedAccountId, "deleted-account-id", { mono: true });
  field(facts, "message", answer.message, "deleted-message");
  resultBody.replaceChildren(
    el(
      "div",
      { class: "outcome ok" },
      el("div", { class: "outcome-head" }, el("p", { class: "badge ok", text: "OK" })),
      facts,
    ),
  );
}

// `call` names the function that failed: upsertLinkedAccount or deleteLinkedAccount.
function renderError(error, call) {
  const known = isLinkedAccountError(error);
  const facts = el("dl", { class: "facts" });
  field(facts, "call", `${call}()`, "result-call", { mono: true });
  field(facts, "status", error?.status, "error-status");
  field(facts, "message", error?.message ?? String(error), "error-message");
  field(facts, "request id", error?.requestId, "error-request-id", { mono: true });
  field(facts, "attempts", error?.attempts, "error-attempts");
  if (error?.apiErrorCode != null) field(facts, "API error code", error.apiErrorCode, "error-api-code", { mono: true });
  if (error?.retryAfterMs != null) field(facts, "retry after (ms)", error.retryAfterMs, "error-retry-after");

  const parts = [
    el(
      "div",
      { class: "outcome-head" },
      el("p", { class: "badge error", text: "Error" }),
      el("p", { class: "error-code-title", id: "error-code", text: known ? error.code : "UNEXPECTED" }),
    ),
    facts,
  ];
  if (Array.isArray(error?.issues) && error.issues.length > 0) {
    parts.push(el("h3", { text: "Issues" }));
    const list = el("ul", { class: "issues", id: "error-issues" });
    for (const issue of error.issues) {
      const where = issue.path.length > 0 ? formatPath(issue.path) : "(request)";
      list.append(el("li", {}, el("code", { text: where }), ` ${issue.code}: ${issue.message}`));
    }
    parts.push(list);
  }
  if (typeof error?.rawBody === "string" && error.rawBody !== "") {
    parts.push(
      el(
        "details",
        {},
        el("summary", { text: "Response body" }),
        el("pre", { id: "error-raw-body" }, error.rawBody),
      ),
    );
  }
  resultBody.replaceChildren(el("div", { class: "outcome error" }, ...parts));
}

// ---------------------------------------------------------------------------------------------
// Connection

// The options of every call: the Connection fields. This page is a local tool for the local
// emulator, so it may pass an API key in the browser (see the note beside the key field).
function connectionOptions() {
  const options = { baseUrl: baseUrlInput.value.trim(), dangerouslyAllowBrowser: true };
  // An empty key sends no credentials: useful with a proxy that adds its own auth.
  if (apiKeyInput.value !== "") options.apiKey = apiKeyInput.value;
  return options;
}

// Shows the INVALID_OPTIONS issues of a failed call beside the Connection fields.
function showOptionIssues(error) {
  if (!isLinkedAccountError(error) || error.code !== "INVALID_OPTIONS") return;
  for (const issue of error.issues) {
    const id = { baseUrl: "baseUrl", apiKey: "apiKey" }[issue.path[0]];
    if (id) optionIssues.set(id, issue);
  }
}

const errorCode = (error) => (isLinkedAccountError(error) ? error.code : "UNEXPECTED");

// ---------------------------------------------------------------------------------------------
// Accounts: one page of listLinkedAccounts(), a Delete button per account

let accountsPage = 1;
let listSeq = 0; // only the answer to the latest list request is shown
const deleting = new Set(); // ids whose delete is in flight

// "Page 1 of 2: accounts 1–10 of 12."
function pageSummary(result) {
  if (result.totalDocs === 0) return "No accounts yet.";
  const first = result.pagingCounter;
  const last = first + result.docs.length - 1;
  const which =
    result.docs.length === 1
      ? `account ${first} of ${result.totalDocs}`
      : `accounts ${first}–${last} of ${result.totalDocs}`;
  return `Page ${result.page} of ${result.totalPages}: ${which}.`;
}

function accountRow(account) {
  const id = account.account_id;
  const name = el("td", { class: "col-name" });
  if (account.name === undefined || account.name === "") {
    name.textContent = "none";
    name.classList.add("none");
  } else {
    name.textContent = account.name;
  }
  const remove = el("button", {
    type: "button",
    class: "secondary danger",
    "aria-label": `Delete ${id}`,
    text: "Delete",
  });
  remove.addEventListener("click", () => deleteAccount(id, remove));
  return el(
    "tr",
    {},
    el("th", { scope: "row", class: "col-id mono", text: id }),
    name,
    el("td", { class: "col-version", text: String(account.__v) }),
    el("td", { class: "col-action" }, remove),
  );
}

// Loads page `page` and shows it. Resolves with the page shown, or null when the list failed
// (its code and message are shown in the section) or a later request superseded this one.
async function loadAccounts(page) {
  const seq = ++listSeq;
  accountsSection.setAttribute("aria-busy", "true");
  let result;
  try {
    result = await listLinkedAccounts({ page, limit: PAGE_SIZE }, connectionOptions());
  } catch (error) {
    if (seq !== listSeq) return null;
    accountsSection.removeAttribute("aria-busy");
    accountsSummary.textContent = "Could not list the accounts.";
    accountsError.textContent = `${errorCode(error)}: ${error?.message ?? String(error)}`;
    accountsError.dataset.code = errorCode(error);
    accountsError.hidden = false;
    accountsTable.hidden = true;
    accountsRows.replaceChildren();
    prevButton.hidden = true;
    nextButton.hidden = true;
    return null;
  }
  if (seq !== listSeq) return null;
  // A page past the end (its last accounts were deleted): show the last page instead.
  if (result.docs.length === 0 && result.page > result.totalPages) return loadAccounts(result.totalPages);
  accountsSection.removeAttribute("aria-busy");
  accountsPage = result.page;
  accountsSummary.textContent = pageSummary(result);
  accountsError.hidden = true;
  accountsError.textContent = "";
  delete accountsError.dataset.code;
  accountsRows.replaceChildren(...result.docs.map(accountRow));
  accountsTable.hidden = result.docs.length === 0;
  prevButton.hidden = !result.hasPrevPage;
  nextButton.hidden = !result.hasNextPage;
  return result;
}

// Previous, Next and Refresh: the outcome is announced in the status line; focus stays on the
// button pressed, or moves to the other page button when the pressed one is gone.
async function goToPage(page, button) {
  statusLine.textContent = "Loading the accounts…";
  const result = await loadAccounts(page);
  if (result === null) {
    if (!accountsError.hidden) statusLine.textContent = `Could not list the accounts: ${accountsError.dataset.code}.`;
    return;
  }
  statusLine.textContent = pageSummary(result);
  if (button.hidden) {
    const other = button === prevButton ? nextButton : prevButton;
    (other.hidden ? accountsHeading : other).focus();
  }
}

// Deletes at once (a local emulator: nothing to confirm), then reloads the page shown. Focus
// goes to the Delete button that took the deleted row's place, else the heading.
async function deleteAccount(linkedAccountId, button) {
  if (deleting.has(linkedAccountId)) return;
  deleting.add(linkedAccountId);
  const index = [...accountsRows.querySelectorAll("button")].indexOf(button);
  statusLine.textContent = `Deleting "${linkedAccountId}"…`;
  try {
    const answer = await deleteLinkedAccount(linkedAccountId, connectionOptions());
    renderDeleted(linkedAccountId, answer);
    statusLine.textContent = `Deleted "${linkedAccountId}".`;
  } catch (error) {
    showOptionIssues(error);
    refresh();
    renderError(error, "deleteLinkedAccount");
    statusLine.textContent = `Could not delete "${linkedAccountId}": ${errorCode(error)}.`;
  } finally {
    deleting.delete(linkedAccountId);
  }
  const focusWasHere = document.activeElement === button || document.activeElement === document.body;
  await loadAccounts(accountsPage);
  if (!focusWasHere || button.isConnected) return;
  const buttons = accountsRows.querySelectorAll("button");
  (buttons[Math.min(index, buttons.length - 1)] ?? accountsHeading).focus();
}

prevButton.addEventListener("click", () => goToPage(accountsPage - 1, prevButton));
nextButton.addEventListener("click", () => goToPage(accountsPage + 1, nextButton));
refreshButton.addEventListener("click", () => goToPage(accountsPage, refreshButton));

// ---------------------------------------------------------------------------------------------
// Events

form.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement)) return;
  touched.add(input.id);
  optionIssues.delete(input.id);
  refresh();
});

form.addEventListener("focusout", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || touched.has(input.id)) return;
  touched.add(input.id);
  refresh();
});

KINDS.udf.addButton.addEventListener("click", () => addRow("udf", { focus: true }));
KINDS.cred.addButton.addEventListener("click", () => addRow("cred", { focus: true }));

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (inFlight) return;
  showAll = true;
  const { request, pageIssues, firstInvalid } = refresh();
  if (pageIssues.length > 0) {
    statusLine.textContent = "Not sent: fix the highlighted fields first.";
    firstInvalid?.focus();
    return;
  }

  const options = connectionOptions();
  inFlight = true;
  submitButton.disabled = true;
  submitButton.textContent = "Upserting…";
  resultSection.setAttribute("aria-busy", "true");
  statusLine.textContent = `Sending PUT ${options.baseUrl}/api/v2/public/linked-account…`;
  try {
    const account = await upsertLinkedAccount(request, options);
    renderAccount(account);
    statusLine.textContent = `Upserted "${account.account_id}": __v ${account.__v}.`;
    loadAccounts(accountsPage);
  } catch (error) {
    showOptionIssues(error);
    renderError(error, "upsertLinkedAccount");
    const first = refresh().firstInvalid;
    statusLine.textContent = `Failed: ${isLinkedAccountError(error) ? error.code : "unexpected error"}.`;
    if (isLinkedAccountError(error) && ["VALIDATION_FAILED", "INVALID_OPTIONS"].includes(error.code)) {
      first?.focus();
    }
  } finally {
    inFlight = false;
    submitButton.disabled = false;
    submitButton.textContent = "Upsert";
    resultSection.removeAttribute("aria-busy");
  }
});

// ---------------------------------------------------------------------------------------------
// Start

baseUrlInput.value = EMULATOR_URL;
$("baseUrl-port").textContent = new URL(EMULATOR_URL).port || "80";
for (const input of [idInput, nameInput, baseUrlInput, apiKeyInput]) {
  input.dataset.describedby = input.getAttribute("aria-describedby") ?? "";
}
addRow("udf");
addRow("cred");
submitButton.disabled = false;
statusLine.textContent = "Ready.";
loadAccounts(1);
