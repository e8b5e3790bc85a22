/**
 * Every rejection of this package: a real `Error` with `name` "LinkedAccountError", a stable
 * `code` and the fields of that code (`docs/contract.md`, "Errors"). Rust serializes the
 * fields (`crate::error::Error`, serde); `cause`, when given, is set as `Error` sets it:
 * own but not enumerable, so `JSON.stringify(error)` leaves it out and cannot throw on it.
 */
export class LinkedAccountError extends Error {
  constructor(message, fields) {
    const { cause, ...rest } = fields ?? {};
    super(message, "cause" in (fields ?? {}) ? { cause } : undefined);
    this.name = "LinkedAccountError";
    Object.assign(this, rest);
  }
}

/**
 * Whether `value` is an `Error` of any realm (an iframe's, a vm context's): its brand, as
 * `Object.prototype.toString` reads it. Never throws.
 */
export function isErrorObject(value) {
  try {
    return value !== null && typeof value === "object" && Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

/** A new `LinkedAccountError` (called from wasm). */
export function linkedAccountError(message, fields) {
  return new LinkedAccountError(message, fields);
}
