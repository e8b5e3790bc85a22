// Vercel Edge (the `edge-light` condition) compiles no wasm from bytes at run time: Vercel's
// bundlers (Next.js, `vercel build`) turn `import x from "./file.wasm?module"` into the module
// already compiled, as Cloudflare's do for the workerd entry.
import wasm from "./refold_linked_accounts_bg.wasm?module";
import { initSync } from "./refold_linked_accounts.js";

// `next dev` and `vercel dev` compile that module with Node's WebAssembly, outside the realm
// the function runs in, where the glue's `instanceof WebAssembly.Module` is false and it would
// try to compile the module again. It is a module all the same: give it this realm's prototype.
if (!(wasm instanceof WebAssembly.Module) && Object.prototype.toString.call(wasm) === "[object WebAssembly.Module]") {
  Object.setPrototypeOf(wasm, WebAssembly.Module.prototype);
}
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
