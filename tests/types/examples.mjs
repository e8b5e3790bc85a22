// Type-checks the code examples of README.md and pkg-template/README.md against the package's
// typings as built (pkg/index.d.ts, emulator.d.ts) with tsc --strict, so an example cannot
// drift from the API it shows. Each ```js / ```ts block (and the module script of an ```html
// block) becomes one file in a temporary folder: `.ts` for TypeScript, `.cjs` when it calls
// `require`, else `.mjs` (checked with checkJs). Blocks that import nothing (type listings,
// shell) are skipped. Run by tests/types/run.sh; needs `npm ci` at the repo root.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const sources = ["README.md", "pkg-template/README.md"];
const dir = mkdtempSync(join(tmpdir(), "readme-examples-"));

// The runtime globals the examples use, as far as they use them.
const prelude = `
declare const process: { env: Record<string, string | undefined> };
declare const Deno: { env: { get(name: string): string | undefined } };
declare const Bun: { env: Record<string, string | undefined> };
declare const chrome: {
  runtime: {
    onMessage: {
      addListener(
        listener: (message: any, sender: unknown, reply: (response: unknown) => void) => boolean | void,
      ): void;
    };
  };
};
`;

let count = 0;
for (const source of sources) {
  const text = readFileSync(join(root, source), "utf8");
  for (const match of text.matchAll(/```(js|ts|html)\n([\s\S]*?)```/g)) {
    let [, lang, code] = match;
    if (lang === "html") {
      const script = /<script type="module">([\s\S]*?)<\/script>/.exec(code);
      if (!script) continue;
      [lang, code] = ["js", script[1]];
    }
    const imports = /\bimport\b|\brequire\(/.test(code);
    if (!imports) continue;
    const line = text.slice(0, match.index).split("\n").length;
    const ext = lang === "ts" ? "ts" : code.includes("require(") ? "cjs" : "mjs";
    const name = `${source.replace(/[/.]/g, "_")}_${line}.${ext}`;
    writeFileSync(join(dir, name), `// ${source}:${line}\n${code}`);
    count++;
  }
}
if (count < 8) throw new Error(`expected the README examples, found only ${count} blocks`);

writeFileSync(join(dir, "prelude.d.ts"), prelude);
const typings = (file) => [join(root, "pkg", file)];
writeFileSync(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "bundler",
      lib: ["ES2022", "DOM"],
      types: [],
      paths: {
        "refold-linked-accounts": typings("index.d.ts"),
        "npm:refold-linked-accounts": typings("index.d.ts"),
        "refold-linked-accounts/worker": typings("index.d.ts"),
        "refold-linked-accounts/emulator": typings("emulator.d.ts"),
      },
    },
    include: ["*.ts", "*.mjs", "*.cjs"],
  }),
);

console.log(`tsc --strict on ${count} README examples`);
try {
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", dir], { stdio: "inherit" });
} catch {
  console.error(`README examples do not type-check (files kept in ${dir})`);
  process.exit(1);
}
rmSync(dir, { recursive: true });
console.log("README examples OK");
