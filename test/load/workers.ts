import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { Pool } from 'undici';

/** Counts and latencies of the responses that completed within one window of the run. */
export interface Window {
  /** Seconds from the start of the load to the end of the window. */
  endSeconds: number;
  requests: number;
  /** Responses with at least one error. */
  failedResponses: number;
  /** Responses by error code; a response counts once for each distinct code among its errors. */
  errors: Map<string, number>;
  /** Latency in microseconds. */
  latency: RecordableHistogram;
  /** Resident set size of the gateway process at the end of the window, in bytes. */
  rssBytes?: number;
  /** CPU time the gateway process and this process had used by the end of the window, in seconds. */
  cpuSeconds?: { gateway: number | undefined; load: number };
}

export function newWindow(endSeconds: number): Window {
  return { endSeconds, requests: 0, failedResponses: 0, errors: new Map(), latency: createHistogram() };
}

/** The GraphQL operations the clients send in turn: list pages with nested lookups, and single lookups. */
const OPERATIONS = [
  {
    query:
      '{ orders(first: 10) { nodes { id status total { amount currencyCode } customer { id emailAddress } ' +
      'items { quantity productCode product { name } } } } }',
  },
  { query: '{ products(first: 20) { nodes { productCode name price { amount currencyCode } } } }' },
  {
    query:
      'query Product($code: String!) { product(productCode: $code) { productCode name ' +
      'inventory { locationCode available } } }',
    productLookup: true,
  },
  { query: '{ customers(first: 10) { nodes { id emailAddress cart { id items { quantity } } } } }' },
];

export interface LoadOptions {
  graphqlUrl: string;
  clients: number;
  durationMs: number;
  /** Product codes the single-product lookups pick from. */
  productCodes: readonly string[];
  /** Called with the window a response completed in. */
  windowAt(elapsedMs: number): Window;
}

/**
 * Runs `clients` loops that each send one GraphQL request at a time until `durationMs` has passed, and records
 * every response in the window it completed in. Resolves once the last in-flight request has ended.
 */
export async function runClients(options: LoadOptions): Promise<void> {
  const origin = new URL(options.graphqlUrl).origin;
  const path = new URL(options.graphqlUrl).pathname;
  const pool = new Pool(origin, { connections: options.clients });
  const startedAt = performance.now();
  const stopAt = startedAt + options.durationMs;

  const runClient = async (clientIndex: number) => {
    for (let sent = 0; performance.now() < stopAt; sent += 1) {
      const operation = OPERATIONS[(clientIndex + sent) % OPERATIONS.length]!;
      const variables = operation.productLookup
        ? { code: options.productCodes[(clientIndex * 31 + sent) % options.productCodes.length] }
        : undefined;
      const requestStartedAt = performance.now();
      const codes = await sendOne(pool, path, { query: operation.query, variables });
      const finishedAt = performance.now();

      const window = options.windowAt(finishedAt - startedAt);
      window.requests += 1;
      window.latency.record(Math.max(1, Math.round((finishedAt - requestStartedAt) * 1000)));
      for (const code of new Set(codes)) window.errors.set(code, (window.errors.get(code) ?? 0) + 1);
      if (codes.length > 0) window.failedResponses += 1;
    }
  };

  try {
    await Promise.all(Array.from({ length: options.clients }, (_value, index) => runClient(index)));
  } finally {
    await pool.close();
  }
}

/** Sends one request and returns the error codes of its response: GraphQL codes, `HTTP_<status>` or `CLIENT_<code>`. */
async function sendOne(pool: Pool, path: string, body: unknown): Promise<string[]> {
  try {
    const response = await pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.body.text();
    const codes: string[] = response.statusCode === 200 ? [] : [`HTTP_${response.statusCode}`];
    try {
      const parsed = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
      for (const error of parsed.errors ?? []) codes.push(error.extensions?.code ?? 'NO_CODE');
    } catch {
      codes.push('CLIENT_INVALID_JSON');
    }
    return codes;
  } catch (error) {
    return [`CLIENT_${(error as NodeJS.ErrnoException).code ?? 'ERROR'}`];
  }
}
