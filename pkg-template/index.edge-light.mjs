// Vercel Edge (the `edge-light` condition) compiles no wasm from bytes at run time: Vercel's
// bundlers (Next.js, `vercel build`) turn `import x from "./file.wasm?module"` into the module
// already compiled, as Cloudflare's do for the workerd entry.
import wasm from "./refold_linked_accounts_bg.wasm?module";
import { initSync } from "./refold_linked_accounts.js";

initSync({ module: wasm });

export {
  upsertLinkedAccount,
  validateUpsertLinkedAccount,
  isLinkedAccountError,
} from "./refold_linked_accounts.js";
