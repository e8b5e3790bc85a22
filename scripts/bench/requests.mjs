// The two requests every measurement uses (shared by run.mjs, the Node children and the
// Chromium helper page).

/** Built from the example values on Refold's Upsert linked account page: valid. */
export const VALID = {
  linked_account_id: "markwood@some_email.com",
  name: "Mark Wood",
  your_app: {
    auth_credentials: { "x-api-key": "cust-key-0123456789", "base-url": "https://api.example.com" },
  },
  udf: { sample_key_1: "Example credentials", "base-sample_key_2": "Example credentials" },
};

/** Five issues: unrecognized_key (linkedAccountId), required (linked_account_id),
 * invalid_type (name: null), too_small (empty auth_credentials), not_finite (udf NaN). */
export const INVALID = {
  linkedAccountId: "markwood@some_email.com",
  name: null,
  your_app: { auth_credentials: {} },
  udf: { seats: Number.NaN },
};
