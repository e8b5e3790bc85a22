// Builds the extension as one is shipped: esbuild bundles sw.js (which imports
// `refold-linked-accounts/worker` through the package's `exports` map) into one ES module,
// keeping any top-level `await` a dependency has (a module service worker refuses to start on
// one), and copies the manifest and the page beside it.
// Usage: node build.mjs FIXTURE_DIR; writes FIXTURE_DIR/dist and prints
// `BUILT {"entry": <the package file the bundle took>, "files": [...]}`.
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

const dir = process.argv[2];
const dist = join(dir, "dist");
await mkdir(dist, { recursive: true });
const out = await build({
  entryPoints: [join(dir, "sw.js")],
  absWorkingDir: dir,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  outfile: join(dist, "sw.js"),
  metafile: true,
  logLevel: "warning",
});
for (const file of ["manifest.json", "page.html", "page.js"]) await copyFile(join(dir, file), join(dist, file));
const entry = Object.keys(out.metafile.inputs).find((p) => /node_modules\/refold-linked-accounts\/index\.[a-z-]+\.mjs$/.test(p));
console.log(`BUILT ${JSON.stringify({ entry, files: (await readdir(dist)).sort() })}`);
