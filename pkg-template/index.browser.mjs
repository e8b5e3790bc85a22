// Browsers (with or without a bundler): fetch and compile the wasm once, before the exports
// are used; `validateUpsertLinkedAccount` is synchronous, so it needs the module ready.
import init from "./refold_linked_accounts.js";

await init({ module_or_path: new URL("./refold_linked_accounts_bg.wasm", import.meta.url) });

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
