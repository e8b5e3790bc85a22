// Imported first by the workerd and Vercel Edge fixtures. Neither platform compiles WebAssembly
// from bytes at run time (the bundler hands the code a compiled module); their local emulations
// (workerd outside a request, the edge-runtime VM always) do not enforce it. This makes the rule
// strict from the start, so an entry that compiled the wasm from bytes (instead of importing it
// as a module) fails here as it would when deployed.
const isBytes = (x) => x instanceof ArrayBuffer || ArrayBuffer.isView(x);
const refuse = (what) => {
  throw new Error(`${what} from bytes: this runtime compiles no wasm from bytes; the entry must import the .wasm as a compiled module`);
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
