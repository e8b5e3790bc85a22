// A static file server for the demo page: www/ at /, the built package at /pkg/, and
// /config.js, which tells the page which emulator to talk to. Loopback only.
// Usage: node scripts/serve.mjs [port] [emulator-url]
//   port: default 8080, 0 picks a free one; emulator-url: default http://127.0.0.1:8787
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const mounts = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

const configScript = (emulatorUrl) =>
  "// From scripts/serve.mjs: the emulator this page talks to by default.\n" +
  `export const EMULATOR_URL = ${JSON.stringify(emulatorUrl)};\n`;

function reply(res, status, type, body) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function respond(req, res, config) {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  } catch {
    return reply(res, 400, "text/plain", "malformed path");
  }
  if (path === "/config.js") return reply(res, 200, types[".js"], config);
  const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
  let file = normalize(join(dir, path.slice(prefix.length)));
  if (!file.startsWith(dir + sep) && file !== dir) return reply(res, 403, "text/plain", "forbidden");
  if (path.endsWith("/")) file = join(file, "index.html");
  let body;
  try {
    body = await readFile(file);
  } catch {
    return reply(res, 404, "text/plain", "not found");
  }
  return reply(res, 200, types[extname(file)] ?? "application/octet-stream", body);
}

/** Starts the server; resolves with `{ server, url }` once it listens, rejects if it cannot. */
export function startServer(port = 8080, { emulatorUrl = "http://127.0.0.1:8787" } = {}) {
  const config = configScript(emulatorUrl);
  const server = createServer((req, res) => {
    respond(req, res, config).catch((error) => {
      process.stderr.write(`demo page server: ${req.method} ${req.url}: ${error.message}\n`);
      if (res.headersSent) res.destroy();
      else reply(res, 500, "text/plain", "server error");
    });
  });
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", fail);
      done({ server, url: `http://127.0.0.1:${server.address().port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 8080);
  try {
    const { url } = await startServer(port, { emulatorUrl: process.argv[3] });
    console.log(`Demo page: ${url}`);
  } catch (error) {
    const reason =
      error.code === "EADDRINUSE" ? "the port is in use (choose another with DEMO_PORT)" : error.message;
    console.error(`demo page server: cannot listen on 127.0.0.1:${port}: ${reason}`);
    process.exitCode = 1;
  }
}
