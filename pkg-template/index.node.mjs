// Node, Deno and Bun: compile the wasm from the file next to this one, synchronously, so the
// exports are ready as soon as the import resolves. The glue is the browsers' one, unminified.
import { readFileSync } from "node:fs";
import { initSync } from "./refold_linked_accounts.node.js";

initSync({ module: readFileSync(new URL("./refold_linked_accounts_bg.wasm", import.meta.url)) });

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
} from "./refold_linked_accounts.node.js";
