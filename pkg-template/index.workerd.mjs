// Cloudflare Workers (workerd) compile no wasm from bytes at run time: the bundler hands us
// the module already compiled.
import wasm from "./refold_linked_accounts_bg.wasm";
import { initSync } from "./refold_linked_accounts.js";

initSync({ module: wasm });

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
