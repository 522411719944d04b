import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateTenant } from './data.js';
import { getJson, issueToken, send } from './http-helpers.js';
import type { RequestLogEntry } from './request-log.js';
import { DEMO_CLIENT_SECRET, DEMO_TENANT_ID, startEmulator, type RunningEmulator } from './server.js';

const ORDERS = '/api/commerce/orders';
const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';

let emulator: RunningEmulator;
let token: string;

async function readLog(): Promise<RequestLogEntry[]> {
  return (await send(emulator, 'GET', '/_emulator/requests')).body as RequestLogEntry[];
}

function addFault(rule: Record<string, unknown>) {
  return send(emulator, 'POST', '/_emulator/faults', { body: rule });
}

beforeAll(async () => {
  emulator = await startEmulator({ data: generateTenant({ products: 40, customers: 10, orders: 30 }) });
  token = await issueToken(emulator);
});

afterEach(async () => {
  await send(emulator, 'DELETE', '/_emulator/faults');
  emulator.setLatency(0);
});

afterAll(async () => {
  await emulator.close();
});

describe('request log', () => {
  it('records method, raw path, query and status', async () => {
    await send(emulator, 'DELETE', '/_emulator/requests');

    await getJson(emulator, `${ORDERS}?pageSize=5&filter=${encodeURIComponent('status eq Completed')}`, token);
    await getJson(emulator, '/api/commerce/catalog/admin/products/NO%2FSUCH', token);

    expect(await readLog()).toEqual([
      { method: 'GET', path: ORDERS, query: { pageSize: '5', filter: 'status eq Completed' }, status: 200 },
      { method: 'GET', path: '/api/commerce/catalog/admin/products/NO%2FSUCH', query: {}, status: 404 },
    ]);
  });

  it('leaves the emulator routes out', async () => {
    await send(emulator, 'DELETE', '/_emulator/requests');

    await readLog();
    await send(emulator, 'GET', '/_emulator/faults');

    expect(await readLog()).toEqual([]);
  });

  it('stores POST bodies but never the token request', async () => {
    emulator.clearRequests();

    await issueToken(emulator);
    await send(emulator, 'POST', '/api/commerce/inventory/v5/inventory', {
      token,
      headers: { 'x-vol-tenant': String(DEMO_TENANT_ID) },
      body: { type: 'ANY', items: [{ upc: 'BTL-0001' }] },
    });
    const log = await readLog();

    expect(log[0]).toEqual({ method: 'POST', path: TOKEN_PATH, query: {}, status: 200 });
    expect(log[1]?.body).toEqual({ type: 'ANY', items: [{ upc: 'BTL-0001' }] });
    expect(JSON.stringify(log)).not.toContain(DEMO_CLIENT_SECRET);
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it('is cleared by DELETE', async () => {
    await getJson(emulator, ORDERS, token);

    const cleared = await send(emulator, 'DELETE', '/_emulator/requests');

    expect(cleared.status).toBe(204);
    expect(await readLog()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
  });
});

describe('faults', () => {
  it('answers the next matching request with the status and Retry-After', async () => {
    const added = await addFault({ match: ORDERS, status: 503, retryAfter: '2' });

    const faulted = await getJson(emulator, ORDERS, token);
    const next = await getJson(emulator, ORDERS, token);

    expect(added.status).toBe(201);
    expect(faulted.status).toBe(503);
    expect(faulted.headers['retry-after']).toBe('2');
    expect(faulted.headers['x-vol-correlation']).toMatch(/^[0-9a-f]{32}$/);
    expect(faulted.body).toMatchObject({ errorCode: 'UNEXPECTED_ERROR', correlationId: faulted.headers['x-vol-correlation'] });
    expect(next.status).toBe(200);
  });

  it('answers 429 with an empty body, as Kibo does', async () => {
    await addFault({ match: ORDERS, status: 429, retryAfter: 60 });

    const response = await request(`${emulator.url}${ORDERS}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.body.text();

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('60');
    expect(text).toBe('');
  });

  it('sends a given body and content type', async () => {
    await addFault({ match: ORDERS, status: 502, body: '<html>Bad Gateway</html>', contentType: 'text/html' });

    const response = await request(`${emulator.url}${ORDERS}`, { headers: { authorization: `Bearer ${token}` } });

    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(await response.body.text()).toBe('<html>Bad Gateway</html>');
  });

  it('applies to count requests and then stops', async () => {
    await addFault({ match: ORDERS, status: 500, count: 2 });

    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await getJson(emulator, ORDERS, token)).status);
    }

    expect(statuses).toEqual([500, 500, 200]);
  });

  it('matches the method when given', async () => {
    await addFault({ match: '/api/commerce', method: 'post', status: 500 });

    const get = await getJson(emulator, ORDERS, token);
    const post = await send(emulator, 'POST', '/api/commerce/inventory/v5/inventory', { token, body: {} });

    expect(get.status).toBe(200);
    expect(post.status).toBe(500);
  });

  it('resets the connection before any response', async () => {
    await addFault({ match: ORDERS, reset: true });
    emulator.clearRequests();

    await expect(request(`${emulator.url}${ORDERS}`, { headers: { authorization: `Bearer ${token}` } })).rejects.toThrow();
    const after = await getJson(emulator, ORDERS, token);

    expect(after.status).toBe(200);
    expect(emulator.requests()[0]).toEqual({ method: 'GET', path: ORDERS, query: {}, status: 0, faulted: true });
  });

  it('delays and then serves normally when only delayMs is set', async () => {
    await addFault({ match: ORDERS, delayMs: 150 });
    emulator.clearRequests();

    const started = performance.now();
    const response = await getJson(emulator, ORDERS, token);
    const elapsed = performance.now() - started;

    expect(response.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(emulator.requests()[0]).toMatchObject({ status: 200, faulted: true });
  });

  it('faults the token endpoint too', async () => {
    await addFault({ match: TOKEN_PATH, status: 503 });

    await expect(issueToken(emulator)).rejects.toThrow(/HTTP 503/);
    await expect(issueToken(emulator)).resolves.toEqual(expect.any(String));
  });

  it('records faulted requests in the log', async () => {
    await addFault({ match: ORDERS, status: 503 });
    emulator.clearRequests();

    await getJson(emulator, ORDERS, token);

    expect(emulator.requests()).toEqual([{ method: 'GET', path: ORDERS, query: {}, status: 503, faulted: true }]);
  });

  it('are all removed by DELETE', async () => {
    await addFault({ match: ORDERS, status: 500, count: 5 });

    const cleared = await send(emulator, 'DELETE', '/_emulator/faults');
    const response = await getJson(emulator, ORDERS, token);

    expect(cleared.status).toBe(204);
    expect(response.status).toBe(200);
    expect((await send(emulator, 'GET', '/_emulator/faults')).body).toEqual([]);
  });

  it.each([
    ['a missing match', { status: 500 }],
    ['a relative match', { match: 'api/commerce', status: 500 }],
    ['a status out of range', { match: ORDERS, status: 99 }],
    ['a zero count', { match: ORDERS, status: 500, count: 0 }],
    ['an unknown field', { match: ORDERS, statusCode: 500 }],
  ])('rejects a rule with %s', async (_case, rule) => {
    const response = await addFault(rule);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errorCode: 'MISSING_OR_INVALID_PARAMETER' });
  });
});

describe('latency', () => {
  it('delays every Kibo response by the set amount', async () => {
    emulator.setLatency(120);

    const started = performance.now();
    await getJson(emulator, ORDERS, token);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(110);
  });

  it('rejects a negative latency', () => {
    expect(() => emulator.setLatency(-1)).toThrow(RangeError);
  });
});
