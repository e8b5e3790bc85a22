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
// Every property is read once. Arrays are written as [] and objects deeper than MAX_DEPTH as
// {}: no rule looks inside them, and a cycle or a huge tree costs nothing. Strings go through
// JSON.stringify, which escapes a lone surrogate as \uXXXX for the reader to flag.

const MAX_UNITS = 1048576; // value::MAX_STRING_UNITS
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

const text = (s) => (s.length > MAX_UNITS ? "!L" : stringify(s));

// Whether `aborted` reads as a boolean: a real signal's getter throws on a fake.
function readableSignal(v) {
  try {
    return typeof v.aborted === "boolean";
  } catch {
    return false;
  }
}

function object(v, depth) {
  let names;
  try {
    names = keys(v);
  } catch {
    return "!K";
  }
  let out = "{";
  for (let i = 0; i < names.length; i++) {
    let item;
    try {
      item = write(v[names[i]], depth + 1);
    } catch {
      item = "!T"; // only the read can throw: write() catches its own
    }
    out += `${i ? "," : ""}${text(names[i])}:${item}`;
  }
  return `${out}}`;
}

function instance(v, proto, depth) {
  let link = proto;
  for (let n = 0; n < 32 && link !== null && typeof link === "object"; n++) {
    for (const [c, tag] of knownClasses()) {
      if (link !== c.prototype) continue;
      if (tag === "!A") return readableSignal(v) ? tag : "!O";
      if (tag !== "!H") return tag;
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

function write(v, depth) {
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
      return depth > MAX_DEPTH ? "{}" : object(v, depth);
    }
    return instance(v, proto, depth);
  } catch {
    return "!X";
  }
}

// Whether JSON.stringify writes `v` exactly as write() would: only strings, finite numbers,
// booleans, null and plain objects of plain prototype, no deeper than MAX_DEPTH. Arrays, which
// write() shortens to [], take the long way. The common request passes, and one native
// JSON.stringify is several times faster than write() (README, "Performance").
function plain(v, depth) {
  switch (typeof v) {
    case "string":
      return v.length <= MAX_UNITS;
    case "number":
      return v - v === 0;
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (v === null) return true;
  if (depth > MAX_DEPTH || getPrototypeOf(v) !== OBJECT) return false;
  const names = keys(v);
  for (let i = 0; i < names.length; i++) {
    if (names[i].length > MAX_UNITS || !plain(v[names[i]], depth + 1)) return false;
  }
  return true;
}

/**
 * The snapshot text of `value`, the root at depth 0. A plain value is read twice (checked,
 * then written by JSON.stringify, which a getter or Proxy sees as two reads); what wasm reads
 * is the text, so what is validated is what is sent. Anything else, or anything that throws
 * on the first read, is written by write(), which reads each property once.
 */
export function snapshot(value) {
  try {
    if (plain(value, 0)) return stringify(value);
  } catch {
    // A throwing getter or trap: write() reports it at its path.
  }
  return write(value, 0);
}

/**
 * The parts of `new URL(s)` that options validation needs, in one string: protocol, hostname,
 * origin, pathname, search, hash and "1" when there is a username or password, each followed
 * by a line break (a parsed URL holds none); null when `new URL(s)` throws.
 */
export function urlParts(s) {
  try {
    const u = new URL(s);
    const parts = [u.protocol, u.hostname, u.origin, u.pathname, u.search, u.hash];
    return `${parts.join("\n")}\n${u.username || u.password ? "1" : ""}`;
  } catch {
    return null;
  }
}

/** Whether this is a browser page (`globalThis.document` exists). */
export const inBrowser = () => globalThis.document != null;
