// The JS half of `src/snapshot.rs`: reads a caller's value in one pass on the JS side and
// hands wasm one string, instead of one call across the boundary per key, value and type test.
//
// The text is JSON with tags where JSON has no word for what validation must tell apart:
//   !u undefined      !N NaN      !I Infinity      !J -Infinity
//   !b bigint         !s symbol   !f function
//   !M Map   !S Set   !D Date   !A AbortSignal   !O any other class instance
//   !X an object that cannot be inspected (revoked Proxy, throwing trap)
//   !K a plain object whose keys cannot be listed
//   !T (a property value) its getter threw
//   !L (a string or key) longer than MAX_UNITS UTF-16 code units; not copied
//   !H followed by an object or !K: a Headers and its entries
//   !Z (the whole text) the value's text would pass MAX_TEXT_UNITS; it was not finished
// Every property is read exactly once, and what is read is what is validated and sent. Arrays
// are written as [] and objects deeper than MAX_DEPTH as {}: no rule looks inside them, and a
// cycle or a huge tree costs nothing. Strings that need an escape go through JSON.stringify,
// which escapes a lone surrogate as \uXXXX for the reader to flag.

const MAX_UNITS = 1048576; // value::MAX_STRING_UNITS
// No server takes a request body this large; past it the text is not finished, so a huge
// value never has to fit in wasm memory.
const MAX_TEXT_UNITS = 16 * MAX_UNITS; // bindings::TOO_BIG
// Set once the text being written has passed MAX_TEXT_UNITS. An object's text holds the text
// of the objects in it, so checking each object's own length as it grows finds it: exactly at
// the root, and early in a nested object that alone is too long.
let tooBig = false;
const MAX_DEPTH = 2; // the request's your_app.auth_credentials; the options' headers
const OBJECT = Object.prototype;
const { getPrototypeOf, keys, fromEntries } = Object;
const { stringify } = JSON;
const { isArray } = Array;
// Looked up on first use, not at load: in Node, reading globalThis.Headers loads the whole
// fetch implementation, which would add about 25 ms to every cold start.
let classes;
const knownClasses = () =>
  (classes ??= [
    [globalThis.Map, "!M"],
    [globalThis.Set, "!S"],
    [globalThis.Date, "!D"],
    [globalThis.Headers, "!H"],
    [globalThis.AbortSignal, "!A"],
  ].filter(([c]) => typeof c === "function"));

// A string that needs no escape (the usual case) is quoted directly: faster than a call to
// JSON.stringify, which handles the rest (quotes, backslashes, controls, surrogates).
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
const text = (s) =>
  s.length > MAX_UNITS ? "!L" : PLAIN_TEXT.test(s) ? '"' + s + '"' : stringify(s);

// Whether `aborted` reads as a boolean: a real signal's getter throws on a fake.
function readableSignal(v) {
  try {
    return typeof v.aborted === "boolean";
  } catch {
    return false;
  }
}

function object(v, depth, handles) {
  let names;
  try {
    names = keys(v);
  } catch {
    return "!K";
  }
  let out = "{";
  for (let i = 0; i < names.length && !tooBig; i++) {
    const name = names[i];
    let item;
    try {
      const value = v[name];
      if (handles !== undefined && (name === "signal" || name === "fetch")) handles[name] = value;
      item = write(value, depth + 1);
    } catch {
      item = "!T"; // only the read can throw: write() catches its own
    }
    out += (i ? "," : "") + text(name) + ":" + item;
    // With its closing brace, the text is then longer than MAX_TEXT_UNITS.
    if (out.length >= MAX_TEXT_UNITS) tooBig = true;
  }
  return out + "}";
}

function instance(v, proto, depth) {
  let link = proto;
  for (let n = 0; n < 32 && link !== null && typeof link === "object"; n++) {
    for (const [c, tag] of knownClasses()) {
      if (link !== c.prototype) continue;
      if (tag === "!A") return readableSignal(v) ? tag : "!O";
      if (tag !== "!H") return tag;
      if (depth > MAX_DEPTH) return "!H{}";
      try {
        return `!H${object(fromEntries(v), depth)}`;
      } catch {
        return "!H!K";
      }
    }
    link = getPrototypeOf(link);
  }
  // An AbortSignal from another realm or a polyfill.
  return readableSignal(v) && typeof v.addEventListener === "function" ? "!A" : "!O";
}

function write(v, depth, handles) {
  switch (typeof v) {
    case "string":
      return text(v);
    case "number":
      return v - v === 0 ? stringify(v) : v !== v ? "!N" : v > 0 ? "!I" : "!J";
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "!u";
    case "bigint":
      return "!b";
    case "symbol":
      return "!s";
    case "function":
      return "!f";
  }
  if (v === null) return "null";
  try {
    if (isArray(v)) return "[]";
    const proto = getPrototypeOf(v);
    // Plain: the prototype is null or some realm's Object.prototype (whose own is null).
    if (proto === OBJECT || proto === null || getPrototypeOf(proto) === null) {
      return depth > MAX_DEPTH ? "{}" : object(v, depth, handles);
    }
    return instance(v, proto, depth);
  } catch {
    return "!X";
  }
}

/** The snapshot text of `value` (a request), the root at depth 0. */
export function snapshot(value) {
  return measured(() => write(value, 0));
}

// `writeText()`, or "!Z" when its text passed MAX_TEXT_UNITS. The caller's flag is restored
// after: a getter may itself call into this package while a snapshot is being written.
function measured(writeText) {
  const outer = tooBig;
  tooBig = false;
  try {
    const text = writeText();
    return tooBig ? "!Z" : text;
  } finally {
    tooBig = outer;
  }
}

/**
 * The snapshot text of `options`, and the very `signal` and `fetch` values it read: they are
 * used as read, so a getter cannot hand validation one value and the call another.
 */
export function snapshotOptions(options) {
  const handles = {};
  const text = measured(() => write(options, 0, handles));
  return [text, handles.signal, handles.fetch];
}

// The last base URL and its parts: most callers pass the same one on every call, and parsing
// is a pure function of the string.
let lastUrl;
let lastParts = null;

/**
 * The parts of `new URL(s)` that options validation needs, in one string: protocol, hostname,
 * origin, pathname, search, hash and "1" when there is a username or password, each followed
 * by a line break (a parsed URL holds none); null when `new URL(s)` throws.
 */
export function urlParts(s) {
  if (s === lastUrl) return lastParts;
  let parts = null;
  try {
    const u = new URL(s);
    const fields = [u.protocol, u.hostname, u.origin, u.pathname, u.search, u.hash];
    parts = `${fields.join("\n")}\n${u.username || u.password ? "1" : ""}`;
  } catch {
    // Not a URL: null.
  }
  lastUrl = s;
  lastParts = parts;
  return parts;
}

/** Whether this is a browser page (`globalThis.document` exists; a throwing getter: no). */
export function inBrowser() {
  try {
    return globalThis.document != null;
  } catch {
    return false;
  }
}
