import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/errors.js';
import { createKiboApi } from '../../../src/kibo/api.js';
import { KiboClient } from '../../../src/kibo/client.js';
import { KiboPathError } from '../../../src/kibo/path.js';
import type { KiboClientSettings } from '../../../src/config.js';
import {
  API_ORIGIN,
  AUTH_ORIGIN,
  capturingLogger,
  mockKibo,
  testCredential,
  testSettings,
  tokenBody,
  type MockReply,
  type RecordedRequest,
} from './helpers.js';

let agents: MockAgent[] = [];

afterEach(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  agents = [];
});

function setup(handler: (request: RecordedRequest) => MockReply, settings: Partial<KiboClientSettings> = {}) {
  const mock = mockKibo([AUTH_ORIGIN, API_ORIGIN], (request) =>
    request.path.startsWith('/api/platform/applications') ? { status: 200, json: tokenBody('tok') } : handler(request),
  );
  agents.push(mock.agent);
  const client = new KiboClient({
    settings: testSettings(settings),
    logger: capturingLogger().logger,
    dispatcher: mock.agent,
    maxAttempts: 1,
  });
  const api = createKiboApi(client, testCredential(), { requestId: 'req-7' });
  const dataRequests = () => mock.requests.filter((request) => request.origin === API_ORIGIN);
  return { api, dataRequests };
}

const notFound: MockReply = { status: 404, json: { errorCode: 'ITEM_NOT_FOUND' } };

describe('createKiboApi', () => {
  it('reads a product by code', async () => {
    const { api, dataRequests } = setup(() => ({ status: 200, json: { productCode: 'A/B' } }));
    await expect(api.products.get('A/B')).resolves.toEqual({ productCode: 'A/B' });
    expect(dataRequests()[0]!.path).toBe('/api/commerce/catalog/admin/products/A%2FB');
    expect(dataRequests()[0]!.headers['x-request-id']).toBe('req-7');
  });

  it('returns null for a 404 from every get', async () => {
    const { api, dataRequests } = setup(() => notFound);
    await expect(api.products.get('missing')).resolves.toBeNull();
    await expect(api.orders.get('abc')).resolves.toBeNull();
    await expect(api.carts.get('cart-1')).resolves.toBeNull();
    await expect(api.carts.getByUser('user 1')).resolves.toBeNull();
    await expect(api.customers.get(1001)).resolves.toBeNull();
    expect(dataRequests().map((request) => request.path)).toEqual([
      '/api/commerce/catalog/admin/products/missing',
      '/api/commerce/orders/abc',
      '/api/commerce/carts/cart-1',
      '/api/commerce/carts/user/user%201',
      '/api/commerce/customer/accounts/1001',
    ]);
  });

  it('passes other failures on', async () => {
    const { api } = setup(() => ({ status: 403, json: {} }));
    await expect(api.orders.get('abc')).rejects.toMatchObject({ code: ErrorCode.KIBO_FORBIDDEN });
  });

  it('rejects an empty code or a fractional account id before any call', async () => {
    const { api, dataRequests } = setup(() => notFound);
    await expect(api.products.get('')).rejects.toBeInstanceOf(KiboPathError);
    await expect(api.customers.get(1.5)).rejects.toBeInstanceOf(KiboPathError);
    expect(dataRequests()).toHaveLength(0);
  });

  it('lists with paging and filter parameters', async () => {
    const page = { startIndex: 0, pageSize: 2, pageCount: 3, totalCount: 5, items: [{ id: 'o1' }, { id: 'o2' }] };
    const { api, dataRequests } = setup(() => ({ status: 200, json: page }));

    await expect(api.orders.list({ startIndex: 0, pageSize: 2, sortBy: 'submittedDate desc', filter: 'status eq Open' }))
      .resolves.toEqual(page);
    expect(dataRequests()[0]!.path).toBe(
      '/api/commerce/orders?startIndex=0&pageSize=2&sortBy=submittedDate%20desc&filter=status%20eq%20Open',
    );
  });

  it('fills in envelope numbers Kibo left out', async () => {
    const { api } = setup(() => ({ status: 200, json: { items: [{ id: 1 }] } }));
    await expect(api.customers.list({ pageSize: 10 })).resolves.toEqual({
      startIndex: 0,
      pageSize: 10,
      pageCount: 1,
      totalCount: 1,
      items: [{ id: 1 }],
    });
  });

  it('rejects a list response without an items array', async () => {
    const { api } = setup(() => ({ status: 200, json: { items: 'nope' } }));
    await expect(api.products.list()).rejects.toMatchObject({ code: ErrorCode.KIBO_BAD_RESPONSE });
  });
});

describe('inventory.query', () => {
  it('posts the item key and locations', async () => {
    const rows = [{ upc: 'A', locationCode: 'L1', available: 3 }];
    const { api, dataRequests } = setup(() => ({ status: 200, json: rows }));

    await expect(api.inventory.query({ productCodes: ['A', 'B', 'A'], locationCodes: ['L1', 'L2'] })).resolves.toEqual(rows);

    const [request] = dataRequests();
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/api/commerce/inventory/v5/inventory');
    expect(JSON.parse(request!.body!)).toEqual({
      type: 'ANY',
      items: [
        { upc: 'A', quantity: 1 },
        { upc: 'B', quantity: 1 },
      ],
      limit: 1000,
      pageSize: 1000,
      pageNum: 1,
      locationWhitelist: ['L1', 'L2'],
    });
  });

  it('reads further pages until one comes back short', async () => {
    const { api, dataRequests } = setup(
      (request) => {
        const body = JSON.parse(request.body!) as { pageNum: number };
        const count = body.pageNum < 3 ? 10 : 4;
        return { status: 200, json: Array.from({ length: count }, (_, index) => ({ upc: `P${body.pageNum}-${index}` })) };
      },
      { inventoryPageSize: 10 },
    );

    const rows = await api.inventory.query({ productCodes: ['A'] });

    expect(rows).toHaveLength(24);
    expect(dataRequests().map((request) => (JSON.parse(request.body!) as { pageNum: number }).pageNum)).toEqual([1, 2, 3]);
  });

  it('fails when the pages never end', async () => {
    const { api } = setup(() => ({ status: 200, json: Array.from({ length: 10 }, () => ({ upc: 'A' })) }), {
      inventoryPageSize: 10,
      inventoryMaxPages: 3,
    });

    await expect(api.inventory.query({ productCodes: ['A'] })).rejects.toMatchObject({ code: 'KIBO_RESPONSE_TOO_LARGE' });
  });

  it('splits more than 200 codes into several calls', async () => {
    const { api, dataRequests } = setup((request) => {
      const body = JSON.parse(request.body!) as { items: Array<{ sku: string }> };
      return { status: 200, json: body.items.map((item) => ({ sku: item.sku })) };
    }, { inventoryItemKey: 'sku' });
    const codes = Array.from({ length: 450 }, (_, index) => `P${index}`);

    const rows = await api.inventory.query({ productCodes: codes });

    const sizes = dataRequests().map((request) => (JSON.parse(request.body!) as { items: unknown[] }).items.length);
    expect(sizes.sort((a, b) => b - a)).toEqual([200, 200, 50]);
    expect(rows.map((row) => row.sku).sort()).toEqual([...codes].sort());
    expect(JSON.parse(dataRequests()[0]!.body!)).not.toHaveProperty('locationWhitelist');
  });

  it('makes no call for no codes', async () => {
    const { api, dataRequests } = setup(() => ({ status: 200, json: [] }));
    await expect(api.inventory.query({ productCodes: [] })).resolves.toEqual([]);
    expect(dataRequests()).toHaveLength(0);
  });

  it('replays the query after a 401', async () => {
    let calls = 0;
    const mockSetup = setup(() => {
      calls += 1;
      return calls === 1 ? { status: 401, json: {} } : { status: 200, json: [] };
    });
    await expect(mockSetup.api.inventory.query({ productCodes: ['A'] })).resolves.toEqual([]);
    expect(mockSetup.dataRequests()).toHaveLength(2);
  });

  it('rejects a response that is not an array', async () => {
    const { api } = setup(() => ({ status: 200, json: { items: [] } }));
    await expect(api.inventory.query({ productCodes: ['A'] })).rejects.toMatchObject({ code: ErrorCode.KIBO_BAD_RESPONSE });
  });
});
