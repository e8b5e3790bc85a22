// Production build of the fixture page with webpack 5. Usage: node build-webpack.mjs FIXTURE_DIR
// (holding main.js, page.js, check.mjs, index.html and node_modules/). Writes FIXTURE_DIR/dist
// and prints `BUILT {"entry": <the package file the bundle took>, "files": [...]}`.
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import webpack from "webpack";

const dir = process.argv[2];
const compiler = webpack({
  mode: "production",
  context: dir,
  entry: "./main.js",
  target: "web",
  output: { path: join(dir, "dist"), filename: "main.js", clean: true },
});
const stats = await new Promise((resolve, reject) =>
  compiler.run((err, s) => compiler.close(() => (err ? reject(err) : resolve(s)))),
);
const info = stats.toJson({ all: false, errors: true, warnings: true, modules: true, assets: true, nestedModules: true });
if (stats.hasErrors()) throw new Error(info.errors.map((e) => e.message).join("\n"));
for (const w of info.warnings) console.error(`webpack warning: ${w.message}`);
await copyFile(join(dir, "index.html"), join(dir, "dist", "index.html"));
const names = [];
const walk = (ms) => ms.forEach((m) => (names.push(m.name), walk(m.modules || [])));
walk(info.modules);
const entry = names.find((n) => /node_modules\/refold-linked-accounts\/index\.[a-z]+\.mjs/.test(n));
console.log(`BUILT ${JSON.stringify({ entry, files: info.assets.map((a) => a.name).sort() })}`);
