import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, KiboError } from '../../../src/errors.js';
import { KiboClient, type KiboClientOptions } from '../../../src/kibo/client.js';
import { kiboPath } from '../../../src/kibo/path.js';
import {
  API_ORIGIN,
  AUTH_ORIGIN,
  capturingLogger,
  mockKibo,
  SECRET,
  testCredential,
  testSettings,
  tokenBody,
  type MockReply,
  type RecordedRequest,
} from './helpers.js';

const TOKEN_PATH = '/api/platform/applications/authtickets/oauth';
const credential = testCredential();
const productPath = kiboPath`/commerce/catalog/admin/products/${'SHIRT-1'}`;

let agents: MockAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

/** Builds a client on a MockAgent; the token endpoint issues `token-1`, `token-2`, … unless `handler` handles that request. */
function setup(handler: (request: RecordedRequest) => MockReply | undefined, options: Partial<KiboClientOptions> = {}) {
  let tokens = 0;
  const mock = mockKibo([AUTH_ORIGIN, API_ORIGIN], (request) => {
    const reply = handler(request);
    if (reply !== undefined) return reply;
    if (request.path === TOKEN_PATH) {
      tokens += 1;
      return { status: 200, json: tokenBody(`token-${tokens}`) };
    }
    return { status: 500, raw: 'unexpected request' };
  });
  agents.push(mock.agent);
  const log = capturingLogger();
  const client = new KiboClient({
    settings: testSettings(),
    logger: log.logger,
    dispatcher: mock.agent,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 2,
    ...options,
  });
  const dataRequests = () => mock.requests.filter((request) => request.path !== TOKEN_PATH);
  const tokenRequests = () => mock.requests.filter((request) => request.path === TOKEN_PATH);
  return { client, requests: mock.requests, dataRequests, tokenRequests, log };
}

describe('KiboClient GET', () => {
  it('sends the token and context headers to the API host', async () => {
    const { client, dataRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 200, json: { productCode: 'SHIRT-1' } } : undefined,
    );

    const product = await client.get<{ productCode: string }>(credential, productPath, { pageSize: 999, q: 'a b' }, {
      requestId: 'req-42',
    });

    expect(product.productCode).toBe('SHIRT-1');
    const [request] = dataRequests();
    expect(request!.origin).toBe(API_ORIGIN);
    expect(request!.method).toBe('GET');
    expect(request!.path).toBe('/api/commerce/catalog/admin/products/SHIRT-1?pageSize=200&q=a%20b');
    expect(request!.headers).toMatchObject({
      authorization: 'Bearer token-1',
      accept: 'application/json',
      'x-vol-tenant': '100',
      'x-vol-site': '200',
      'x-vol-catalog': '1',
      'x-vol-master-catalog': '2',
      'x-request-id': 'req-42',
    });
  });

  it('reuses the cached token', async () => {
    const { client, tokenRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 200, json: {} } : undefined,
    );
    await client.get(credential, productPath);
    await client.get(credential, productPath);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('gets one new token and replays once after a 401', async () => {
    const { client, dataRequests, tokenRequests } = setup((request) => {
      if (!request.path.startsWith('/api/commerce')) return undefined;
      return request.headers.authorization === 'Bearer token-1' ? { status: 401, json: {} } : { status: 200, json: { ok: 1 } };
    });

    await expect(client.get(credential, productPath)).resolves.toEqual({ ok: 1 });

    expect(tokenRequests()).toHaveLength(2);
    expect(dataRequests().map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('replays a GET only once when the new token is rejected too', async () => {
    const { client, dataRequests, tokenRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 401, json: {} } : undefined,
    );

    await expect(client.get(credential, productPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAUTHENTICATED });
    expect(dataRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('retries a 503 up to maxAttempts with growing backoff', async () => {
    const { client, dataRequests, log } = setup(
      (request) => (request.path.startsWith('/api/commerce') ? { status: 503, raw: '<html>down</html>' } : undefined),
      { maxAttempts: 3, retryBaseDelayMs: 20, retryMaxDelayMs: 1_000, random: () => 0.999 },
    );
    const startedAt = Date.now();

    const error = (await client.get(credential, productPath).catch((caught: unknown) => caught)) as KiboError;

    expect(error.code).toBe(ErrorCode.KIBO_UNAVAILABLE);
    expect(error.message).not.toContain('down');
    expect(dataRequests()).toHaveLength(3);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(19 + 39);
    const retries = log.lines().filter((line) => line.msg === 'Retrying Kibo call');
    expect(retries.map((line) => [line.level, line.attempt, line.reason, line.delayMs])).toEqual([
      [40, 1, 'HTTP 503', 19],
      [40, 2, 'HTTP 503', 39],
    ]);
  });

  it('succeeds when a retry succeeds', async () => {
    let calls = 0;
    const { client, dataRequests } = setup((request) => {
      if (!request.path.startsWith('/api/commerce')) return undefined;
      calls += 1;
      return calls === 1 ? { status: 502, json: {} } : { status: 200, json: { ok: true } };
    });
    await expect(client.get(credential, productPath)).resolves.toEqual({ ok: true });
    expect(dataRequests()).toHaveLength(2);
  });

  it('stops retrying when the backoff would pass the call budget', async () => {
    const { client, dataRequests } = setup(
      (request) => (request.path.startsWith('/api/commerce') ? { status: 503, json: {} } : undefined),
      { maxAttempts: 5, retryBaseDelayMs: 400, retryMaxDelayMs: 400, random: () => 0.99, callTimeoutMs: 500 },
    );
    await expect(client.get(credential, productPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
    expect(dataRequests()).toHaveLength(2);
  });

  it('fails at once on a 429 whose Retry-After passes the budget', async () => {
    const { client, dataRequests } = setup(
      (request) =>
        request.path.startsWith('/api/commerce') ? { status: 429, raw: '', headers: { 'retry-after': '60' } } : undefined,
      { callTimeoutMs: 1_000 },
    );
    const startedAt = Date.now();

    const error = (await client.get(credential, productPath).catch((caught: unknown) => caught)) as KiboError;

    expect(error.code).toBe(ErrorCode.KIBO_RATE_LIMITED);
    expect(error.retryAfterSeconds).toBe(60);
    expect(dataRequests()).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(500);
  });

  it('fails at once on a 429 whose Retry-After passes the caller deadline', async () => {
    // The call's own budget of 10 s would fit the wait; the caller's deadline in 1 s does not.
    const { client, dataRequests } = setup(
      (request) =>
        request.path.startsWith('/api/commerce') ? { status: 429, raw: '', headers: { 'retry-after': '2' } } : undefined,
      { callTimeoutMs: 10_000 },
    );

    const call = client.get(credential, productPath, undefined, { deadline: Date.now() + 1_000 });

    await expect(call).rejects.toMatchObject({ code: ErrorCode.KIBO_RATE_LIMITED, retryAfterSeconds: 2 });
    expect(dataRequests()).toHaveLength(1);
  });

  it('waits for a Retry-After that fits the budget', async () => {
    let calls = 0;
    const { client, dataRequests } = setup(
      (request) => {
        if (!request.path.startsWith('/api/commerce')) return undefined;
        calls += 1;
        return calls === 1 ? { status: 429, raw: '', headers: { 'retry-after': '1' } } : { status: 200, json: {} };
      },
      { callTimeoutMs: 3_000 },
    );
    const startedAt = Date.now();

    await client.get(credential, productPath);

    expect(dataRequests()).toHaveLength(2);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
  });

  it('does not retry a 404 and maps it to NOT_FOUND', async () => {
    const { client, dataRequests, log } = setup((request) =>
      request.path.startsWith('/api/commerce')
        ? { status: 404, json: { errorCode: 'ITEM_NOT_FOUND' }, headers: { 'x-vol-correlation': 'c-9' } }
        : undefined,
    );
    const error = (await client.get(credential, productPath).catch((caught: unknown) => caught)) as KiboError;
    expect(error.code).toBe(ErrorCode.NOT_FOUND);
    expect(error.kiboErrorCode).toBe('ITEM_NOT_FOUND');
    expect(error.correlationId).toBe('c-9');
    expect(dataRequests()).toHaveLength(1);
    const failures = log.lines().filter((line) => String(line.msg).startsWith('Kibo call failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 20, route: '/commerce/catalog/admin/products/{}', credentialId: 'cred-a' });
  });

  it.each([
    ['malformed JSON', { status: 200, raw: '{"a":', headers: { 'content-type': 'application/json' } }],
    ['an empty body', { status: 200, raw: '' }],
    ['HTML', { status: 200, raw: '<html></html>', headers: { 'content-type': 'text/html' } }],
    ['JSON null', { status: 200, raw: 'null', headers: { 'content-type': 'application/json' } }],
  ])('maps %s on success to KIBO_BAD_RESPONSE', async (_name, reply) => {
    const { client } = setup((request) => (request.path.startsWith('/api/commerce') ? reply : undefined));
    await expect(client.get(credential, productPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_BAD_RESPONSE });
  });

  it('rejects a body over maxResponseBytes', async () => {
    const { client } = setup(
      (request) =>
        request.path.startsWith('/api/commerce') ? { status: 200, json: { blob: 'x'.repeat(5_000) } } : undefined,
      { settings: testSettings({ maxResponseBytes: 1_024 }) },
    );
    await expect(client.get(credential, productPath)).rejects.toMatchObject({ code: ErrorCode.KIBO_RESPONSE_TOO_LARGE });
  });

  it('writes neither the secret nor the token to the log', async () => {
    const { client, log } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 401, json: { message: 'nope' } } : undefined,
    );
    await client.get(credential, productPath).catch(() => undefined);
    expect(log.text()).not.toContain(SECRET);
    expect(log.text()).not.toMatch(/token-\d/);
  });
});

describe('KiboClient POST', () => {
  const inventoryPath = kiboPath`/commerce/inventory/v5/inventory`;

  it('sends a JSON body', async () => {
    const { client, dataRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 200, json: [] } : undefined,
    );
    await client.post(credential, inventoryPath, { type: 'ANY', items: [] }, { idempotent: true });
    const [request] = dataRequests();
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body!)).toEqual({ type: 'ANY', items: [] });
  });

  it('does not replay a write after a 401 but drops the token', async () => {
    const { client, dataRequests, tokenRequests } = setup((request) => {
      if (!request.path.startsWith('/api/commerce')) return undefined;
      return request.headers.authorization === 'Bearer token-1' ? { status: 401, json: {} } : { status: 200, json: {} };
    });

    await expect(client.post(credential, inventoryPath, {})).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAUTHENTICATED });
    expect(dataRequests()).toHaveLength(1);

    await client.get(credential, productPath);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('replays an idempotent POST after a 401', async () => {
    const { client, dataRequests } = setup((request) => {
      if (!request.path.startsWith('/api/commerce')) return undefined;
      return request.headers.authorization === 'Bearer token-1' ? { status: 401, json: {} } : { status: 200, json: [] };
    });
    await expect(client.post(credential, inventoryPath, {}, { idempotent: true })).resolves.toEqual([]);
    expect(dataRequests()).toHaveLength(2);
  });

  it('never retries a write on 503', async () => {
    const { client, dataRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 503, json: {} } : undefined,
    );
    await expect(client.post(credential, inventoryPath, {})).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAVAILABLE });
    expect(dataRequests()).toHaveLength(1);
  });

  it('retries an idempotent POST on 503', async () => {
    const { client, dataRequests } = setup((request) =>
      request.path.startsWith('/api/commerce') ? { status: 503, json: {} } : undefined,
    );
    await expect(client.post(credential, inventoryPath, {}, { idempotent: true })).rejects.toBeInstanceOf(KiboError);
    expect(dataRequests()).toHaveLength(3);
  });
});

describe('KiboClient verify', () => {
  it('requests a new token and returns its expiry only', async () => {
    const { client, tokenRequests } = setup(() => undefined);
    await client.verify(credential);
    const check = await client.verify(credential);
    expect(tokenRequests()).toHaveLength(2);
    expect(Object.keys(check).sort()).toEqual(['durationMs', 'expiresAt']);
    expect(check.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('maps rejected credentials to KIBO_UNAUTHENTICATED', async () => {
    const { client } = setup((request) => (request.path === TOKEN_PATH ? { status: 401, json: {} } : undefined));
    await expect(client.verify(credential)).rejects.toMatchObject({ code: ErrorCode.KIBO_UNAUTHENTICATED });
  });
});
