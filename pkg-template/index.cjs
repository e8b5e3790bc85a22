// Node `require`: the CommonJS wasm-bindgen glue loads the .wasm next to it synchronously.
// Only the public API is re-exported; the glue's other exports are internal.
"use strict";
const glue = require("./refold_linked_accounts.cjs");

exports.upsertLinkedAccount = glue.upsertLinkedAccount;
exports.getLinkedAccount = glue.getLinkedAccount;
exports.listLinkedAccounts = glue.listLinkedAccounts;
exports.allLinkedAccounts = glue.allLinkedAccounts;
exports.deleteLinkedAccount = glue.deleteLinkedAccount;
exports.createSessionToken = glue.createSessionToken;
exports.validateUpsertLinkedAccount = glue.validateUpsertLinkedAccount;
exports.isLinkedAccountError = glue.isLinkedAccountError;
exports.LinkedAccountError = glue.LinkedAccountError;
