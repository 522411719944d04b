import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWKWARD_PRODUCT_CODES } from './data.js';
import { getJson, issueToken } from './http-helpers.js';
import type { KiboPage } from './listing.js';
import { startEmulator, type RunningEmulator } from './server.js';
import type { KiboProduct } from './types.js';

const PRODUCTS = '/api/commerce/catalog/admin/products';

let emulator: RunningEmulator;
let token: string;

async function listProducts(query: Record<string, string>) {
  const response = await getJson(emulator, `${PRODUCTS}?${new URLSearchParams(query).toString()}`, token);
  return { status: response.status, page: response.body as KiboPage<KiboProduct>, body: response.body };
}

function codes(page: KiboPage<KiboProduct>): string[] {
  return page.items.map((product) => product.productCode ?? '');
}

beforeAll(async () => {
  emulator = await startEmulator();
  token = await issueToken(emulator);
});

afterAll(async () => {
  await emulator.close();
});

describe('product list paging', () => {
  it('returns the first 20 products by default', async () => {
    const { status, page } = await listProducts({});

    expect(status).toBe(200);
    expect(page.startIndex).toBe(0);
    expect(page.pageSize).toBe(20);
    expect(page.totalCount).toBe(emulator.data.products.length);
    expect(page.pageCount).toBe(Math.ceil(emulator.data.products.length / 20));
    expect(codes(page)).toEqual(emulator.data.products.slice(0, 20).map((product) => product.productCode));
  });

  it('honours startIndex and pageSize', async () => {
    const { page } = await listProducts({ startIndex: '45', pageSize: '10' });

    expect(page.startIndex).toBe(45);
    expect(page.pageSize).toBe(10);
    expect(codes(page)).toEqual(emulator.data.products.slice(45, 55).map((product) => product.productCode));
  });

  it('returns an empty page past the end', async () => {
    const { page } = await listProducts({ startIndex: '10000' });

    expect(page.items).toEqual([]);
    expect(page.totalCount).toBe(emulator.data.products.length);
  });

  it('reads parameter names in any case', async () => {
    const { page } = await listProducts({ STARTINDEX: '3', pagesize: '2' });

    expect(page.startIndex).toBe(3);
    expect(page.items).toHaveLength(2);
  });

  it('accepts the maximum page size of 200', async () => {
    const { status, page } = await listProducts({ pageSize: '200' });

    expect(status).toBe(200);
    expect(page.items).toHaveLength(200);
  });

  it('rejects a page size above 200', async () => {
    const { status, body } = await listProducts({ pageSize: '201' });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      errorCode: 'MISSING_OR_INVALID_PARAMETER',
      additionalErrorData: [{ name: 'ParameterName', value: 'pageSize' }],
    });
  });

  it.each([['-1'], ['ten'], ['1.5']])('rejects startIndex %s', async (startIndex) => {
    const { status } = await listProducts({ startIndex });

    expect(status).toBe(400);
  });
});

describe('product list sorting and filtering', () => {
  it('sorts by a dotted path in descending order', async () => {
    const { page } = await listProducts({ sortBy: 'price.price desc', pageSize: '50' });
    const prices = page.items.map((product) => product.price?.price ?? 0);

    expect(prices).toEqual([...prices].sort((left, right) => right - left));
    expect(prices[0]).toBe(Math.max(...emulator.data.products.map((product) => product.price?.price ?? 0)));
  });

  it('sorts by two keys', async () => {
    const { page } = await listProducts({ sortBy: 'productUsage asc,productCode desc', pageSize: '200' });
    const configurable = page.items.filter((product) => product.productUsage === 'Configurable');
    const configurableCodes = configurable.map((product) => product.productCode ?? '');

    expect(page.items[0]?.productUsage).toBe('Configurable');
    expect(configurableCodes).toEqual([...configurableCodes].sort().reverse());
  });

  it('rejects a malformed sortBy', async () => {
    const { status } = await listProducts({ sortBy: 'price sideways' });

    expect(status).toBe(400);
  });

  it('filters with an in list that holds awkward codes', async () => {
    const { page } = await listProducts({ filter: "productCode in [BTL-0001, 'BOX/2-PACK', 'GIFT CARD 25', 'O\\'BRIEN-SCARF']" });

    expect(codes(page).sort()).toEqual(['BOX/2-PACK', 'BTL-0001', 'GIFT CARD 25', "O'BRIEN-SCARF"]);
    expect(page.totalCount).toBe(4);
  });

  it('filters with or and counts the matches', async () => {
    const { page } = await listProducts({ filter: 'productCode eq BTL-0001 or productCode eq APP-0002' });

    expect(codes(page).sort()).toEqual(['APP-0002', 'BTL-0001']);
  });

  it('filters on a nested field with a number', async () => {
    const { page } = await listProducts({ filter: 'price.price gt 400 and productUsage eq Standard', pageSize: '200' });
    const expected = emulator.data.products.filter(
      (product) => (product.price?.price ?? 0) > 400 && product.productUsage === 'Standard',
    );

    expect(page.totalCount).toBe(expected.length);
    expect(page.totalCount).toBeGreaterThan(0);
  });

  it('rejects a malformed filter with 400', async () => {
    const { status, body } = await listProducts({ filter: 'productCode eq' });

    expect(status).toBe(400);
    expect(body).toMatchObject({
      errorCode: 'MISSING_OR_INVALID_PARAMETER',
      additionalErrorData: [{ name: 'ParameterName', value: 'filter' }],
    });
  });

  it('searches names with q', async () => {
    const name = emulator.data.products[7]?.content?.productName ?? '';
    const { page } = await listProducts({ q: name.toUpperCase() });

    expect(codes(page)).toContain(emulator.data.products[7]?.productCode);
  });
});

describe('product lookup', () => {
  it('returns a product by code', async () => {
    const response = await getJson(emulator, `${PRODUCTS}/BTL-0001`, token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(emulator.data.products[0]);
  });

  it.each(AWKWARD_PRODUCT_CODES.map((code) => [code]))('reaches %s as one encoded segment', async (code) => {
    const encoded = encodeURIComponent(code);
    emulator.clearRequests();

    const response = await getJson(emulator, `${PRODUCTS}/${encoded}`, token);

    expect(response.status).toBe(200);
    expect((response.body as KiboProduct).productCode).toBe(code);
    expect(emulator.requests().at(-1)?.path).toBe(`${PRODUCTS}/${encoded}`);
  });

  it('keeps an encoded slash in the recorded path', async () => {
    emulator.clearRequests();

    await getJson(emulator, `${PRODUCTS}/BOX%2F2-PACK`, token);

    expect(emulator.requests().at(-1)?.path).toBe(`${PRODUCTS}/BOX%2F2-PACK`);
  });

  it('does not treat an unencoded slash as part of the code', async () => {
    const response = await getJson(emulator, `${PRODUCTS}/BOX/2-PACK`, token);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errorCode: 'ROUTE_NOT_FOUND' });
  });

  it('answers an unknown code with ITEM_NOT_FOUND', async () => {
    const response = await getJson(emulator, `${PRODUCTS}/NO-SUCH-PRODUCT`, token);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({
      errorCode: 'ITEM_NOT_FOUND',
      applicationName: 'Catalog',
      correlationId: response.headers['x-vol-correlation'],
    });
  });
});
