/**
 * The local emulator of Refold's linked-account API (see EMULATOR.md in this package).
 * Also runnable as `npx refold-emulator [--host HOST] [--port PORT] [--udf merge|replace]
 * [--not-found 404|500] [--data FILE] [--api-key KEY]... [--allow-host NAME]... [--allow-origin ORIGIN]...`.
 */

/** The default test-environment API key (`tk…`). */
export declare const DEFAULT_TEST_KEY: string;
/** The default production-environment API key (`pk…`). */
export declare const DEFAULT_PRODUCTION_KEY: string;

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Interface to listen on. Default `"127.0.0.1"`. */
  host?: string;
  /** TCP port; `0` picks a free one. Default `8787`. */
  port?: number;
  /** How an upsert treats `udf`: merge by `key_name` (default) or replace the whole array. */
  udf?: "merge" | "replace";
  /**
   * The status for GET or DELETE of an unknown account: `404` (default, as Refold's newer docs
   * show) or `500` (as its older docs show).
   */
  notFound?: 404 | 500;
  /** JSON file to load state from and save it to (atomically) after every change. */
  dataFile?: string;
  /** Accepted API keys; `pk…` keys are production, others test. Default: the two default keys. */
  apiKeys?: string[];
  /**
   * `Host` names or addresses (no port) answered besides loopback ones (`localhost`,
   * `127.0.0.0/8`, `[::1]`), e.g. `"emulator.test"`. Other `Host`s get 403.
   */
  allowHosts?: string[];
  /**
   * Web pages allowed to use the `/__emulator/` control plane, as origins such as
   * `"http://127.0.0.1:5173"`. Requests from any other page get 403.
   */
  allowOrigins?: string[];
  /** Print nothing on start (by default: the URL, the keys and the control plane's URL). */
  quiet?: boolean;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `"http://127.0.0.1:8787"`; pass it as `baseUrl`. */
  url: string;
  /** The port it listens on. */
  port: number;
  /**
   * Stops it, closing open connections and flushing the data file. Rejects if the data file is
   * still behind memory (a write failed and the last retry failed too).
   */
  close(): Promise<void>;
}

/** Starts an emulator. Rejects when the port is taken or the data file is corrupt. */
export declare function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator>;
