// Service workers, browser-extension background workers and any other place that forbids a
// top-level `await` (module service workers do) or cannot fetch the .wasm next to this file:
// the wasm ships inside a JS module, as base64, and is compiled synchronously on import, so
// the exports are ready as soon as the import resolves. On a page, prefer the default entry:
// it compiles the .wasm file while it downloads, without the base64 (a third larger).
import base64 from "./refold_linked_accounts_bg.wasm.js";
import { initSync } from "./refold_linked_accounts.js";

const text = atob(base64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
initSync({ module: bytes });

export {
  upsertLinkedAccount,
  getLinkedAccount,
  listLinkedAccounts,
  allLinkedAccounts,
  deleteLinkedAccount,
  createSessionToken,
  validateUpsertLinkedAccount,
  isLinkedAccountError,
  LinkedAccountError,
} from "./refold_linked_accounts.js";
