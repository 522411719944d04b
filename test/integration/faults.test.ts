import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_CREDENTIAL_ID } from '../../src/credentials/index.js';
import type { FaultRuleInput } from '../emulator/server.js';
import { errorCodes, startStack, upstreamAttempts, waitFor, type TestStack } from './harness.js';

/*
 * Each row injects one upstream fault into the emulator and sends one GraphQL query through the real gateway over
 * HTTP. It checks the error code in the response, the number of requests the emulator logged, the time to the
 * response and that no upstream detail reached it. Then the next query must succeed once the fault is cleared.
 */

const CALL_TIMEOUT_MS = 1_500;
const MAX_RESPONSE_BYTES = 64 * 1024;
const QUERY = '{ orders(first: 2) { nodes { id } } }';
const ORDERS = '/api/commerce/orders';
const TOKEN = '/api/platform/applications/authtickets/oauth';

/** Text the emulator puts in fault bodies; none of it may reach a client. */
const UPSTREAM_MARKER = 'upstream-detail-7f3a';
const HTML_PAGE =
  `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>` +
  `<p>${UPSTREAM_MARKER} proxy http://10.1.2.3:8080/internal/orders failed</p></body></html>`;
const OVERSIZED_BODY = JSON.stringify({ items: [], padding: 'x'.repeat(MAX_RESPONSE_BYTES * 2) });

interface FaultCase {
  name: string;
  faults: FaultRuleInput[];
  /** Expected error code; absent when the query must succeed despite the fault. */
  code?: string;
  /** Expected number of requests at `countedPath`. */
  attempts: number;
  /** Upstream path whose requests are counted; default the orders list. */
  countedPath?: string;
  /** Generous bound on the query's duration, which catches hangs; it is not a speed target. Default 3 s. */
  maxMs?: number;
  /** Drops the cached token and tenant first, so the query has to ask the token endpoint. */
  needsNewToken?: boolean;
  /** The error's expected `retryAfter` extension. */
  retryAfter?: number;
}

const ordersFault = (rule: Omit<FaultRuleInput, 'match'>): FaultRuleInput => ({ match: ORDERS, method: 'GET', ...rule });
const persistent = 10;

const CASES: FaultCase[] = [
  {
    name: '429 with a Retry-After that fits',
    faults: [ordersFault({ status: 429, retryAfter: '1' })],
    attempts: 2,
    maxMs: 5_000,
  },
  {
    name: '429 with a Retry-After that does not fit',
    faults: [ordersFault({ status: 429, retryAfter: '30' })],
    code: 'KIBO_RATE_LIMITED',
    attempts: 1,
    retryAfter: 30,
  },
  { name: '500', faults: [ordersFault({ status: 500, count: persistent })], code: 'KIBO_UNAVAILABLE', attempts: 1 },
  { name: '502 once', faults: [ordersFault({ status: 502 })], attempts: 2 },
  { name: '502 persistent', faults: [ordersFault({ status: 502, count: persistent })], code: 'KIBO_UNAVAILABLE', attempts: 3 },
  { name: '503 once', faults: [ordersFault({ status: 503 })], attempts: 2 },
  { name: '503 persistent', faults: [ordersFault({ status: 503, count: persistent })], code: 'KIBO_UNAVAILABLE', attempts: 3 },
  { name: '504 once', faults: [ordersFault({ status: 504 })], attempts: 2 },
  { name: '504 persistent', faults: [ordersFault({ status: 504, count: persistent })], code: 'KIBO_UNAVAILABLE', attempts: 3 },
  { name: 'connection reset once', faults: [ordersFault({ reset: true })], attempts: 2 },
  {
    name: 'connection reset persistent',
    faults: [ordersFault({ reset: true, count: persistent })],
    code: 'KIBO_UNAVAILABLE',
    attempts: 3,
  },
  {
    name: 'headers slower than the call timeout',
    faults: [ordersFault({ delayMs: 10_000 })],
    code: 'KIBO_TIMEOUT',
    attempts: 1,
    maxMs: 5_000,
  },
  {
    name: 'body slower than the call timeout',
    faults: [ordersFault({ bodyDelayMs: 10_000 })],
    code: 'KIBO_TIMEOUT',
    attempts: 1,
    maxMs: 5_000,
  },
  {
    name: 'body over the size limit',
    faults: [ordersFault({ status: 200, body: OVERSIZED_BODY })],
    code: 'KIBO_RESPONSE_TOO_LARGE',
    attempts: 1,
  },
  {
    name: 'malformed JSON',
    faults: [ordersFault({ status: 200, body: `{"items": [{"id": "${UPSTREAM_MARKER}"` })],
    code: 'KIBO_BAD_RESPONSE',
    attempts: 1,
  },
  {
    name: 'HTML error page',
    faults: [ordersFault({ status: 502, body: HTML_PAGE, contentType: 'text/html', count: persistent })],
    code: 'KIBO_UNAVAILABLE',
    attempts: 3,
  },
  {
    name: 'HTML page with status 200',
    faults: [ordersFault({ status: 200, body: HTML_PAGE, contentType: 'text/html' })],
    code: 'KIBO_BAD_RESPONSE',
    attempts: 1,
  },
  { name: 'empty 200 body', faults: [ordersFault({ status: 200, body: '' })], code: 'KIBO_BAD_RESPONSE', attempts: 1 },
  {
    name: 'token endpoint down',
    faults: [{ match: TOKEN, status: 503, count: persistent }],
    code: 'KIBO_UNAVAILABLE',
    attempts: 3,
    countedPath: TOKEN,
    needsNewToken: true,
  },
  {
    name: 'token endpoint slow',
    faults: [{ match: TOKEN, delayMs: 10_000 }],
    code: 'KIBO_TIMEOUT',
    attempts: 1,
    countedPath: TOKEN,
    maxMs: 5_000,
    needsNewToken: true,
  },
];

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({
    environment: {
      KIBO_REQUEST_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
      KIBO_MAX_RESPONSE_BYTES: String(MAX_RESPONSE_BYTES),
      GATEWAY_REQUEST_TIMEOUT_MS: '20000',
    },
  });
  // Fetches the token and tenant once, so that only the token rows ask the token endpoint.
  expect(errorCodes(await stack.graphql(QUERY))).toEqual([]);
});

afterEach(() => {
  stack.emulator.clearFaults();
});

afterAll(async () => {
  await stack.close();
});

/** Waits until the emulator has logged `expected` attempts, then a little longer to catch any extra ones. */
async function settledAttempts(path: string, expected: number): Promise<number> {
  const method = path === TOKEN ? 'POST' : 'GET';
  await waitFor(() => upstreamAttempts(stack.emulator, method, path) >= expected, `${expected} attempts at ${path}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return upstreamAttempts(stack.emulator, method, path);
}

describe('upstream fault matrix', () => {
  it.each(CASES)('$name', async (fault) => {
    if (fault.needsNewToken) stack.gateway.kibo.forgetCredential(ENVIRONMENT_CREDENTIAL_ID);
    stack.emulator.clearRequests();
    for (const rule of fault.faults) stack.emulator.addFault(rule);

    const startedAt = performance.now();
    const response = await stack.graphql(QUERY);
    const elapsedMs = performance.now() - startedAt;

    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(fault.code === undefined ? [] : [fault.code]);
    if (fault.code === undefined) {
      expect(response.data?.orders).toBeTruthy();
    } else {
      // orders is non-null in the schema, so its error nulls the whole data.
      expect(response.data?.orders ?? null).toBeNull();
    }
    if (fault.retryAfter !== undefined) {
      expect(response.errors?.[0]?.extensions?.retryAfter).toBe(fault.retryAfter);
    }
    expect(await settledAttempts(fault.countedPath ?? ORDERS, fault.attempts)).toBe(fault.attempts);
    expect(elapsedMs).toBeLessThan(fault.maxMs ?? 3_000);

    const text = JSON.stringify({ data: response.data, errors: response.errors });
    expect(text).not.toContain(UPSTREAM_MARKER);
    expect(text).not.toMatch(/<[a-z!]/i);
    expect(text).not.toContain('Injected fault');
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toContain('127.0.0.1');

    stack.emulator.clearFaults();
    const next = await stack.graphql(QUERY);
    expect(errorCodes(next)).toEqual([]);
    expect(next.data?.orders).toBeTruthy();
  });

  it('waits out a Retry-After that fits', async () => {
    stack.emulator.addFault(ordersFault({ status: 429, retryAfter: '1' }));
    const startedAt = performance.now();
    const response = await stack.graphql(QUERY);
    expect(errorCodes(response)).toEqual([]);
    // Retrying earlier than Kibo asked would break its rate limit.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(950);
  });
});
