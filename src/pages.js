// The async iteration of `allLinkedAccounts` (src/bindings.rs): page after page, each one a
// `listLinkedAccounts` call made by the cursor, requested only when the previous page's
// accounts have been consumed.

/**
 * Yields every account of page `cursor.first`, then of the next page, and so on; stops after
 * a page with `hasNextPage: false` or without accounts (a server that keeps saying there is
 * more, with nothing on the page, would be asked forever), or past the last page number a
 * query can name. Before each account it checks the caller's signal: once it has fired, the
 * walk rejects with `ABORTED`. When `error` is given, the first `next()` rejects with it and
 * nothing is sent.
 */
export async function* pages(cursor, error) {
  if (cursor === undefined) throw error;
  try {
    for (let n = cursor.first; ; n += 1) {
      const page = await cursor.page(n);
      if (page === null) return;
      for (const account of page.docs) {
        const aborted = cursor.aborted();
        if (aborted !== undefined) throw aborted;
        yield account;
      }
      if (!page.hasNextPage || page.docs.length === 0) return;
    }
  } finally {
    cursor.free();
  }
}
