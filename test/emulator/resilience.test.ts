import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant } from './data.js';
import { getJson, issueToken, send } from './http-helpers.js';
import { startEmulator, type RunningEmulator } from './server.js';

const ORDERS = '/api/commerce/orders';
const CART_ITEMS = '/api/commerce/carts/current/items';
const DATA = generateTenant({ products: 20, customers: 5, orders: 10 });

let emulator: RunningEmulator;
let token: string;
const extraEmulators: RunningEmulator[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ data: DATA });
  token = await issueToken(emulator);
});

afterEach(async () => {
  emulator.clearFaults();
  emulator.clearRequests();
  while (extraEmulators.length > 0) await extraEmulators.pop()!.close();
});

afterAll(async () => {
  await emulator.close();
});

async function startExtra(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const extra = await startEmulator({ data: DATA, ...options });
  extraEmulators.push(extra);
  return extra;
}

describe('slow body fault', () => {
  it('sends the headers and half the body, then pauses', async () => {
    emulator.addFault({ match: ORDERS, bodyDelayMs: 300 });

    const started = performance.now();
    const response = await request(`${emulator.url}${ORDERS}`, { headers: { authorization: `Bearer ${token}` } });
    const headersAt = performance.now() - started;
    const body = (await response.body.json()) as { items: unknown[] };
    const bodyAt = performance.now() - started;

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-length']).toBeUndefined();
    expect(body.items.length).toBeGreaterThan(0);
    expect(bodyAt - headersAt).toBeGreaterThanOrEqual(250);
  });
});

describe('client aborts', () => {
  it('logs a request whose client left during a delay', async () => {
    emulator.addFault({ match: ORDERS, delayMs: 5_000 });
    const client = new AbortController();
    setTimeout(() => client.abort(), 100);

    await expect(
      request(`${emulator.url}${ORDERS}`, { headers: { authorization: `Bearer ${token}` }, signal: client.signal }),
    ).rejects.toThrow();

    await expect.poll(() => emulator.requests(), { timeout: 2_000 }).toEqual([
      { method: 'GET', path: ORDERS, query: {}, status: 0, faulted: true, aborted: true },
    ]);
  });
});

describe('random faults', () => {
  /** Sends `count` requests without a token, so every request that is not faulted gets a 401. */
  async function statuses(target: RunningEmulator, count: number): Promise<number[]> {
    const result: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const response = await request(`${target.url}${ORDERS}`).catch(() => undefined);
      result.push(response?.statusCode ?? 0);
      await response?.body.dump();
    }
    return result;
  }

  it('fails a seeded share of requests with 503, 429 or a reset', async () => {
    const first = await startExtra({ faultRate: 0.5, faultSeed: 7 });
    const second = await startExtra({ faultRate: 0.5, faultSeed: 7 });

    const firstStatuses = await statuses(first, 30);
    const secondStatuses = await statuses(second, 30);

    expect(firstStatuses).toEqual(secondStatuses);
    expect(new Set(firstStatuses)).toEqual(new Set([401, 503, 429, 0]));
    const counts = first.randomFaults();
    const faulted = first.requests().filter((entry) => entry.faulted).length;
    expect(counts.requests).toBe(30);
    expect(counts.http503 + counts.http429 + counts.reset).toBe(faulted);
  });

  it('rejects a rate outside 0 to 1', async () => {
    await expect(startEmulator({ faultRate: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe('keep-alive', () => {
  /** Sends one request on a raw socket and resolves with the response text and when the server closed it. */
  function requestOnce(target: RunningEmulator): Promise<{ text: string; closedAfterMs: number }> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: target.port });
      let text = '';
      let answeredAt = 0;
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
        answeredAt ||= performance.now();
      });
      socket.once('error', reject);
      socket.once('close', () => resolve({ text, closedAfterMs: performance.now() - answeredAt }));
      socket.write(`GET /_emulator/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    });
  }

  it('closes an idle connection after the timeout and announces it', async () => {
    const target = await startExtra({ keepAliveTimeoutMs: 1_000 });

    const { text, closedAfterMs } = await requestOnce(target);

    expect(text).toMatch(/\r\nkeep-alive: timeout=1\r\n/i);
    expect(closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(closedAfterMs).toBeLessThan(1_900);
  });

  it('closes without announcing when the hint is off', async () => {
    const target = await startExtra({ keepAliveTimeoutMs: 300, keepAliveHint: false });

    const { text, closedAfterMs } = await requestOnce(target);

    expect(text).not.toMatch(/\r\nkeep-alive:/i);
    expect(text).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(closedAfterMs).toBeLessThan(1_300);
    expect(target.connectionCount()).toBe(1);
  });
});

describe('add to cart', () => {
  it('returns the new item and logs the request body', async () => {
    const product = DATA.products[1]!;
    const response = await send(emulator, 'POST', CART_ITEMS, {
      token,
      body: { product: { productCode: product.productCode }, quantity: 3 },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ quantity: 3, product: { productCode: product.productCode } });
    expect(emulator.requests()[0]?.body).toEqual({ product: { productCode: product.productCode }, quantity: 3 });
  });

  it('answers 404 for an unknown product', async () => {
    const response = await send(emulator, 'POST', CART_ITEMS, { token, body: { product: { productCode: 'NOPE' } } });

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errorCode: 'ITEM_NOT_FOUND' });
  });

  it('answers 400 without a product code', async () => {
    const response = await send(emulator, 'POST', CART_ITEMS, { token, body: { quantity: 1 } });

    expect(response.status).toBe(400);
  });

  it('needs a token', async () => {
    expect((await send(emulator, 'POST', CART_ITEMS, { body: { product: { productCode: 'X' } } })).status).toBe(401);
    expect((await getJson(emulator, ORDERS, token)).status).toBe(200);
  });
});
