// The emulator this page talks to by default. scripts/serve.mjs answers /config.js itself with
// the emulator the main command started (EMULATOR_PORT); this file is what any other static
// server sends: the emulator's default address.
export const EMULATOR_URL = "http://127.0.0.1:8787";
