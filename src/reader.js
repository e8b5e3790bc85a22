// The guarded reader of caller input (requests and options). It reads a value once, in JS,
// and hands wasm a copy made of plain JSON values, which `src/input.rs` deserializes with
// serde-wasm-bindgen. Reading caller objects from wasm directly would throw out of wasm on a
// throwing getter or a revoked Proxy; here every read is guarded and whatever cannot be read
// becomes a validation issue.
//
// The copy: a JSON primitive stands for itself (strings only when well formed and at most
// MAX_UNITS long). Anything else is an array whose first item names what was found:
//   ["object", [[key, value], …]]   a plain object (prototype Object.prototype or null)
//   ["object"]                      a plain object whose keys cannot be listed
//   ["Headers", [[name, value], …]] a Fetch `Headers` and its entries
//   ["undefined"] ["NaN"] ["Infinity"] ["-Infinity"] ["bigint"] ["symbol"] ["function"]
//   ["array"] ["Map"] ["Set"] ["Date"] ["AbortSignal"] ["instance"] (any other class)
//   ["unreadable"]      an object that cannot be inspected (revoked Proxy, throwing trap)
//   ["threw"]           (a property value) its getter threw
//   ["lone_surrogate"]  (a string or key) holds a lone UTF-16 surrogate
//   ["too_long"]        (a string or key) longer than MAX_UNITS UTF-16 units; not copied
//   ["too_big"]         (the whole value) its JSON would pass MAX_JSON_UNITS
// Every property is read exactly once, and what is read is what is validated and sent.
// Arrays are not looked into and objects deeper than MAX_DEPTH are copied as empty objects:
// no rule looks inside them, and a cycle or a huge tree costs nothing.

const MAX_UNITS = 1048576; // input::MAX_STRING_UNITS
// No server takes a request body this large. The length of the JSON the value would make is
// counted as it is read; past the limit reading stops, so a huge value never reaches wasm.
const MAX_JSON_UNITS = 16 * MAX_UNITS;
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
    [globalThis.Map, "Map"],
    [globalThis.Set, "Set"],
    [globalThis.Date, "Date"],
    [globalThis.Headers, "Headers"],
    [globalThis.AbortSignal, "AbortSignal"],
  ].filter(([c]) => typeof c === "function"));

class TooBig extends Error {}

// One read of a caller's value: the copy, and the JSON length counted so far.
class Reader {
  units = 0;

  count(n) {
    this.units += n;
    if (this.units > MAX_JSON_UNITS) throw new TooBig();
  }

  // A string needing no escape (the usual case) counts its length plus quotes; others count
  // as JSON.stringify writes them.
  string(s) {
    if (s.length > MAX_UNITS) {
      this.count(2);
      return ["too_long"];
    }
    this.count(PLAIN_TEXT.test(s) ? s.length + 2 : stringify(s).length);
    return wellFormed(s) ? s : ["lone_surrogate"];
  }

  object(v, depth, handles) {
    let names;
    try {
      names = keys(v);
    } catch {
      this.count(2);
      return ["object"];
    }
    const entries = [];
    this.count(2 + Math.max(0, names.length - 1)); // braces and commas
    for (const name of names) {
      let item;
      try {
        const value = v[name];
        if (handles !== undefined && (name === "signal" || name === "fetch")) handles[name] = value;
        item = this.value(value, depth + 1);
      } catch (error) {
        if (error instanceof TooBig) throw error;
        this.count(2);
        item = ["threw"]; // only the read can throw: value() catches its own
      }
      entries.push([this.string(name), item]);
      this.count(1); // the colon
    }
    return ["object", entries];
  }

  instance(v, proto, depth) {
    let link = proto;
    for (let n = 0; n < 32 && link !== null && typeof link === "object"; n++) {
      for (const [c, tag] of knownClasses()) {
        if (link !== c.prototype) continue;
        if (tag === "AbortSignal") return readableSignal(v) ? [tag] : ["instance"];
        if (tag !== "Headers") return [tag];
        if (depth > MAX_DEPTH) return ["Headers", []];
        let copy;
        try {
          copy = fromEntries(v);
        } catch {
          return ["Headers"];
        }
        return ["Headers", this.object(copy, depth)[1]];
      }
      link = getPrototypeOf(link);
    }
    // An AbortSignal from another realm or a polyfill.
    return readableSignal(v) && typeof v.addEventListener === "function" ? ["AbortSignal"] : ["instance"];
  }

  value(v, depth, handles) {
    switch (typeof v) {
      case "string":
        return this.string(v);
      case "number":
        if (v - v === 0) {
          this.count(stringify(v).length);
          return v;
        }
        this.count(2);
        return [v !== v ? "NaN" : v > 0 ? "Infinity" : "-Infinity"];
      case "boolean":
        this.count(v ? 4 : 5);
        return v;
      case "undefined":
        this.count(2);
        return ["undefined"];
      case "bigint":
      case "symbol":
      case "function":
        this.count(2);
        return [typeof v];
    }
    if (v === null) {
      this.count(4);
      return null;
    }
    let kind;
    try {
      if (isArray(v)) {
        kind = ["array"];
      } else {
        const proto = getPrototypeOf(v);
        // Plain: the prototype is null or some realm's Object.prototype.
        if (proto === OBJECT || proto === null || isObjectPrototype(proto)) {
          if (depth <= MAX_DEPTH) return this.object(v, depth, handles);
          kind = ["object", []];
        } else {
          kind = this.instance(v, proto, depth);
        }
      }
    } catch (error) {
      if (error instanceof TooBig) throw error;
      kind = ["unreadable"];
    }
    this.count(2);
    return kind;
  }
}

const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;
// Every supported runtime has String.prototype.isWellFormed; without it, a string holding any
// surrogate is refused rather than risk sending a changed one.
const wellFormed = (s) =>
  typeof s.isWellFormed === "function" ? s.isWellFormed() : !/[\ud800-\udfff]/.test(s);

// Whether `proto` is another realm's Object.prototype (an iframe's, a vm context's): the end
// of the chain, whose constructor is that realm's `Object`. A null-prototype object made with
// Object.create, or the prototype of `class extends null`, is not. May throw (a hostile
// constructor getter): the caller catches.
function isObjectPrototype(proto) {
  if (getPrototypeOf(proto) !== null) return false;
  const ctor = proto.constructor;
  return typeof ctor === "function" && ctor.prototype === proto && ctor.name === "Object";
}

// Whether `aborted` reads as a boolean: a real signal's getter throws on a fake.
function readableSignal(v) {
  try {
    return typeof v.aborted === "boolean";
  } catch {
    return false;
  }
}

function read(value, handles) {
  try {
    return new Reader().value(value, 0, handles);
  } catch {
    // TooBig: nothing else escapes value().
    return ["too_big"];
  }
}

/** The copy of `value` (a request). Never throws. */
export function readRequest(value) {
  return read(value);
}

/**
 * `[copy, signal, fetch]`: the copy of `options`, and the very `signal` and `fetch` values it
 * read. They are used as read, so a getter cannot hand validation one value and the call
 * another. Never throws.
 */
export function readOptions(options) {
  const handles = {};
  const copy = read(options, handles);
  return [copy, handles.signal, handles.fetch];
}

// The last base URL and its parts: most callers pass the same one on every call, and parsing
// is a pure function of the string.
let lastUrl;
let lastParts = null;

/**
 * The parts of `new URL(s)` that options validation needs (`input::UrlParts`), or null when
 * `new URL(s)` throws.
 */
export function urlParts(s) {
  if (s === lastUrl) return lastParts;
  let parts = null;
  try {
    const u = new URL(s);
    parts = {
      protocol: u.protocol,
      hostname: u.hostname,
      origin: u.origin,
      pathname: u.pathname,
      search: u.search,
      hash: u.hash,
      has_credentials: Boolean(u.username || u.password),
    };
  } catch {
    // Not a URL: null.
  }
  lastUrl = s;
  lastParts = parts;
  return parts;
}

/**
 * Whether this code runs where every visitor can read it: a browser page (`document`) or a
 * dedicated, shared or service worker (`WorkerGlobalScope`). Never throws.
 */
export function inBrowser() {
  try {
    if (globalThis.document != null) return true;
    const scope = globalThis.WorkerGlobalScope;
    return typeof scope === "function" && globalThis instanceof scope;
  } catch {
    return false;
  }
}
