// Types for `refold-linked-accounts/worker` where a resolver ignores the `exports` map
// (TypeScript's `node10` resolution): the same API as the main entry.
export * from "./index.js";
