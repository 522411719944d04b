/** Messages between the benchmark and the emulator child process, sent over Node's IPC channel. */
import type { EmulatorApplication, RequestLogEntry } from '../test/emulator/server.js';

/** Upstream calls the emulator served since the last reset. */
export interface CallCounts {
  /** Calls to Kibo's commerce routes: products, orders, customers, inventory and carts. */
  data: number;
  /** Calls to `/api/platform/…`: token requests and tenant lookups. */
  platform: number;
  /** Calls by route, such as `GET products` or `POST inventory`. */
  byRoute: Record<string, number>;
  /** Highest resident set size the emulator process reached, sampled every few milliseconds. */
  peakRssBytes: number;
  /** CPU time the emulator process used, user and system together, in milliseconds. */
  cpuMs: number;
}

export type EmulatorCommand =
  | { type: 'reset' }
  | { type: 'counts' }
  /** The first requests served since the last reset, as the emulator's request log records them. */
  | { type: 'captured' }
  | { type: 'setLatency'; latencyMs: number }
  /** Product codes made only of letters, digits, `-` and `_`, so the scenarios avoid the awkward codes. */
  | { type: 'productCodes'; count: number };

export interface EmulatorResults {
  reset: null;
  counts: CallCounts;
  captured: RequestLogEntry[];
  setLatency: null;
  productCodes: string[];
}

export interface CommandEnvelope {
  id: number;
  command: EmulatorCommand;
}

export type ChildMessage =
  | { type: 'ready'; url: string; application: EmulatorApplication }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'failure'; id: number; message: string };
