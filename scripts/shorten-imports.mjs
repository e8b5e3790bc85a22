#!/usr/bin/env node
// Renames the wasm module's imports to short names, in the .wasm and in every JS glue file
// that instantiates it. wasm-bindgen names each import after the JS function plus a 16-digit
// hash (`__wbg_parseFloat_da7810ff8b339a56`) and keys its import objects by file path
// (`./snippets/<crate>-<hash>/src/snapshot.js`); each name is written twice (in the .wasm
// and in the glue) and hashes do not compress. Shortening them saves about 1.9 KB gzipped.
//
// Usage: node scripts/shorten-imports.mjs <module.wasm> <glue.js>...
// Rewrites the files in place. Imports of JS snippets keep their names (they are the
// snippets' export names); only their module keys are shortened. Every name must appear in
// each glue file exactly as wasm-bindgen writes it (`name:` once; `"module":` at least once),
// otherwise nothing is written and the exit status is 1: a glue layout this script does not
// know fails the build instead of shipping a module whose imports do not resolve.
import fs from 'node:fs';

const [wasmPath, ...gluePaths] = process.argv.slice(2);
if (!wasmPath || gluePaths.length === 0) {
  console.error('usage: node scripts/shorten-imports.mjs <module.wasm> <glue.js>...');
  process.exit(2);
}

function readLeb(buf, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

function name(s) {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
}

// a, b, …, Z, aa, ba, …: valid JS identifiers, never a JS keyword.
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function shortName(i) {
  let s = '';
  do {
    s += LETTERS[i % LETTERS.length];
    i = Math.floor(i / LETTERS.length);
  } while (i);
  return s;
}

const wasm = fs.readFileSync(wasmPath);
if (wasm.length < 8 || wasm.readUInt32BE(0) !== 0x0061736d || wasm.readUInt32LE(4) !== 1) {
  console.error(`shorten-imports: ${wasmPath} is not a WebAssembly 1.0 module`);
  process.exit(1);
}
const sections = [wasm.subarray(0, 8)];
const renamedModules = new Map(); // old module key → new
const renamedImports = new Map(); // old import name → new (imports of the glue module only)
let at = 8;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  let size;
  [size, at] = readLeb(wasm, at);
  const end = at + size;
  if (id !== 2) {
    sections.push(wasm.subarray(start, end));
    at = end;
    continue;
  }
  // Import section: vec(module name, field name, import description).
  let count;
  [count, at] = readLeb(wasm, at);
  const out = [leb(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, at] = readLeb(wasm, at);
    const module = wasm.toString('utf8', at, at + len);
    at += len;
    [len, at] = readLeb(wasm, at);
    const field = wasm.toString('utf8', at, at + len);
    at += len;
    const descStart = at;
    const kind = wasm[at++];
    if (kind !== 0) {
      console.error(`shorten-imports: import ${module} ${field} is not a function (kind ${kind})`);
      process.exit(1);
    }
    [, at] = readLeb(wasm, at); // type index
    if (!renamedModules.has(module)) renamedModules.set(module, shortName(renamedModules.size));
    let newField = field;
    if (!module.startsWith('./snippets/')) {
      if (!renamedImports.has(field)) renamedImports.set(field, shortName(renamedImports.size));
      newField = renamedImports.get(field);
    }
    out.push(name(renamedModules.get(module)), name(newField), wasm.subarray(descStart, at));
  }
  if (at !== end) {
    console.error('shorten-imports: the import section did not parse to its end');
    process.exit(1);
  }
  const body = Buffer.concat(out);
  sections.push(Buffer.from([2]), leb(body.length), body);
}
if (![...renamedImports.keys()].some((field) => field.startsWith('__wbg'))) {
  console.error(`shorten-imports: ${wasmPath} has no wasm-bindgen import names (already shortened?)`);
  process.exit(1);
}

function countOf(text, needle) {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

const glues = gluePaths.map((path) => {
  let text = fs.readFileSync(path, 'utf8');
  for (const [from, to] of renamedImports) {
    const key = `${from}:`;
    if (countOf(text, key) !== 1 || countOf(text, from) !== 1) {
      console.error(`shorten-imports: ${path} names ${from} other than once, as "${key}"`);
      process.exit(1);
    }
    text = text.replace(key, `${to}:`);
  }
  for (const [from, to] of renamedModules) {
    const key = `${JSON.stringify(from)}:`;
    if (countOf(text, key) === 0) {
      console.error(`shorten-imports: ${path} never has the import object key ${key}`);
      process.exit(1);
    }
    text = text.split(key).join(`${JSON.stringify(to)}:`);
  }
  return [path, text];
});

fs.writeFileSync(wasmPath, Buffer.concat(sections));
for (const [path, text] of glues) fs.writeFileSync(path, text);
console.log(
  `shorten-imports: ${renamedImports.size} imports and ${renamedModules.size} modules renamed`,
);
