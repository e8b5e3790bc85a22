// CommonJS entry of the emulator (Jest and other require() users): emulator.mjs has no
// top-level await, so Node >= 20.19 can require() it.
"use strict";
module.exports = require("./emulator.mjs");
