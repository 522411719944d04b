import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, startStack, upstreamAttempts, waitFor, type TestStack } from './harness.js';

/*
 * The request's time limit (1 s here) is shorter than the budget of one Kibo call (5 s), so every bound below
 * shows that the request's own deadline, not the call's, ended the upstream work.
 */

const REQUEST_TIMEOUT_MS = 1_000;
const ORDERS = '/api/commerce/orders';
const PRODUCTS = '/api/commerce/catalog/admin/products';
const QUERY = '{ orders(first: 2) { nodes { id } } }';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({
    environment: { GATEWAY_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), KIBO_REQUEST_TIMEOUT_MS: '5000' },
  });
  expect(errorCodes(await stack.graphql(QUERY))).toEqual([]);
});

beforeEach(() => {
  stack.emulator.clearRequests();
});

afterEach(() => {
  stack.emulator.clearFaults();
});

afterAll(async () => {
  await stack.close();
});

type LogLine = { level: number; msg: string; code?: string; aborted?: boolean; reqId?: string };

function logLines(): LogLine[] {
  return stack.logLines.map((line) => JSON.parse(line) as LogLine);
}

describe('request deadline', () => {
  it('aborts a slow upstream call with KIBO_TIMEOUT', async () => {
    stack.emulator.addFault({ match: ORDERS, delayMs: 4_000 });
    const startedAt = performance.now();
    const response = await stack.graphql(QUERY);

    expect(errorCodes(response)).toEqual(['KIBO_TIMEOUT']);
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    await waitFor(() => stack.emulator.requests().some((entry) => entry.aborted), 'the emulator to see the abort');
    expect(upstreamAttempts(stack.emulator, 'GET', ORDERS)).toBe(1);
  });

  it('aborts every upstream call of the request', async () => {
    stack.emulator.addFault({ match: ORDERS, delayMs: 4_000 });
    stack.emulator.addFault({ match: PRODUCTS, delayMs: 4_000 });
    const startedAt = performance.now();
    // Both fields are nullable, so each reports its own error.
    const response = await stack.graphql('{ order(id: "o-1") { id } product(productCode: "p-1") { productCode } }');

    expect(errorCodes(response)).toEqual(['KIBO_TIMEOUT', 'KIBO_TIMEOUT']);
    expect(performance.now() - startedAt).toBeLessThan(3_000);
    await waitFor(
      () => stack.emulator.requests().filter((entry) => entry.aborted).length === 2,
      'the emulator to see both calls aborted',
    );
  });

  it('logs the deadline as a timeout, not as a client abort', async () => {
    stack.emulator.addFault({ match: ORDERS, delayMs: 4_000 });
    const response = await stack.graphql(QUERY);
    const requestId = String(response.headers['x-request-id']);
    await waitFor(() => stack.emulator.requests().some((entry) => entry.aborted), 'the emulator to see the abort');

    const lines = logLines().filter((line) => line.reqId === requestId && line.msg === 'Kibo call failed');
    expect(lines.some((line) => line.code === 'KIBO_TIMEOUT')).toBe(true);
    expect(logLines().some((line) => line.reqId === requestId && line.aborted === true)).toBe(false);
  });

  it('fails at once on a Retry-After past the deadline', async () => {
    // Two seconds fit in the call's 5 s budget but not in the request's 1 s.
    stack.emulator.addFault({ match: ORDERS, status: 429, retryAfter: '2' });
    const startedAt = performance.now();
    const response = await stack.graphql(QUERY);

    expect(errorCodes(response)).toEqual(['KIBO_RATE_LIMITED']);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBe(2);
    expect(performance.now() - startedAt).toBeLessThan(REQUEST_TIMEOUT_MS);
    expect(upstreamAttempts(stack.emulator, 'GET', ORDERS)).toBe(1);
  });
});

describe('client disconnect', () => {
  it('aborts the upstream call and keeps serving', async () => {
    stack.emulator.addFault({ match: ORDERS, delayMs: 3_000 });
    const abortedAt = { value: 0 };
    const client = new AbortController();
    setTimeout(() => {
      abortedAt.value = performance.now();
      client.abort();
    }, 200);

    await expect(
      request(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
        signal: client.signal,
      }),
    ).rejects.toThrow();

    // The emulator delays the response by 3 s, so a close seen well before that came from the gateway's abort.
    await waitFor(() => stack.emulator.requests().some((entry) => entry.aborted), 'the upstream connection to close');
    expect(performance.now() - abortedAt.value).toBeLessThan(1_500);
    const aborted = logLines().filter((line) => line.msg === 'Kibo call aborted by the caller');
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted.every((line) => line.level === 20)).toBe(true);

    const next = await stack.graphql(QUERY);
    expect(errorCodes(next)).toEqual([]);
  });
});
