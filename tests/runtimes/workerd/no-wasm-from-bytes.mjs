// Imported first by worker.mjs. Cloudflare's Workers compile no WebAssembly from bytes at run
// time; the local workerd only enforces that inside a request, not while the worker's top level
// runs. This makes the rule strict from the start, so an entry that compiled the wasm from
// bytes (instead of importing it as a module) fails here as it would when deployed.
const isBytes = (x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x);
const refuse = (what) => {
  throw new Error(`${what} from bytes: Workers compile no wasm from bytes; the workerd entry must import the .wasm as a module`);
};
const wasm = globalThis.WebAssembly;
const { compile, instantiate } = wasm;
wasm.Module = new Proxy(wasm.Module, {
  construct(target, args, newTarget) {
    if (isBytes(args[0])) refuse("new WebAssembly.Module");
    return Reflect.construct(target, args, newTarget);
  },
});
wasm.compile = function (bytes, ...rest) {
  if (isBytes(bytes)) refuse("WebAssembly.compile");
  return compile.call(this, bytes, ...rest);
};
wasm.instantiate = function (source, ...rest) {
  if (isBytes(source)) refuse("WebAssembly.instantiate");
  return instantiate.call(this, source, ...rest);
};
wasm.compileStreaming = () => refuse("WebAssembly.compileStreaming");
wasm.instantiateStreaming = () => refuse("WebAssembly.instantiateStreaming");
