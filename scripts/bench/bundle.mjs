// The esbuild step of the benchmark: bundles and minifies, for the browser, the ky + zod
// baseline and the raw-fetch floor (so their weight is what a JS team would ship), and, for
// reference, our browser entry + glue as a consumer's bundler would minify it (the .wasm is
// referenced by URL and stays as it is).
//   node scripts/bench/bundle.mjs [OUT_DIR]     (default artifacts/bench)
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Bundles into `outDir` (ours from `pkgDir`); returns `{baseline, raw, oursMinifiedGlue}`
 * absolute file paths. */
export async function bundleAll(outDir = `${root}artifacts/bench`, pkgDir = `${root}pkg`) {
  mkdirSync(outDir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "warning",
  };
  const out = {
    baseline: `${outDir}/baseline.min.mjs`,
    raw: `${outDir}/raw-fetch.min.mjs`,
    oursMinifiedGlue: `${outDir}/ours-glue.min.mjs`,
  };
  await Promise.all([
    build({ ...common, entryPoints: ["scripts/bench/baseline.mjs"], outfile: out.baseline }),
    build({ ...common, entryPoints: ["scripts/bench/raw-fetch.mjs"], outfile: out.raw }),
    build({ ...common, entryPoints: [`${pkgDir}/index.browser.mjs`], outfile: out.oursMinifiedGlue }),
  ]);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await bundleAll(process.argv[2]));
}
