// Headless Chromium from Debian's package (scripts/setup.sh installs it), as the benchmark,
// the demo's end-to-end test and the runtime fixtures launch it.

/** The browser binary. */
export const CHROMIUM = "/usr/bin/chromium";

/** Launch flags: headless, no sandbox (containers), and nothing that reaches the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
