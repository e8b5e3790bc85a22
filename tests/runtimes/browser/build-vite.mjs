// Production build of the fixture page with Vite. Usage: node build-vite.mjs FIXTURE_DIR
// (holding index.html, main.js, page.js, check.mjs and node_modules/). Writes FIXTURE_DIR/dist
// and prints `BUILT {"entry": <the package file the bundle took>, "files": [...]}`.
import { join } from "node:path";
import { build } from "vite";

const dir = process.argv[2];
const out = await build({
  root: dir,
  configFile: false,
  logLevel: "warn",
  mode: "production",
  build: { outDir: join(dir, "dist"), emptyOutDir: true },
});
const outputs = (Array.isArray(out) ? out : [out]).flatMap((o) => o.output);
const ids = outputs.flatMap((o) => o.moduleIds || []);
const entry = ids.find((id) => /node_modules\/refold-linked-accounts\/index\.[a-z]+\.mjs$/.test(id));
console.log(`BUILT ${JSON.stringify({ entry, files: outputs.map((o) => o.fileName).sort() })}`);
