import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWKWARD_PRODUCT_CODES } from './data.js';
import { getJson, issueToken, send } from './http-helpers.js';
import type { KiboPage } from './listing.js';
import { DEMO_TENANT_ID, startEmulator, type RunningEmulator } from './server.js';
import type { KiboCustomer, KiboInventoryRow, KiboOrder } from './types.js';

const INVENTORY = '/api/commerce/inventory/v5/inventory';

let emulator: RunningEmulator;
let token: string;

/** Posts an InventoryRequest; `tenant` null leaves the x-vol-tenant header out. */
function queryInventory(body: unknown, tenant: string | null = String(DEMO_TENANT_ID)) {
  return send(emulator, 'POST', INVENTORY, { token, body, headers: tenant === null ? {} : { 'x-vol-tenant': tenant } });
}

beforeAll(async () => {
  emulator = await startEmulator();
  token = await issueToken(emulator);
});

afterAll(async () => {
  await emulator.close();
});

describe('orders', () => {
  it('lists orders of one account with a filter', async () => {
    const accountId = emulator.data.orders.find((order) => order.customerAccountId != null)?.customerAccountId;
    const expected = emulator.data.orders.filter((order) => order.customerAccountId === accountId);

    const response = await getJson(emulator, `/api/commerce/orders?filter=customerAccountId%20eq%20${accountId}&pageSize=200`, token);
    const page = response.body as KiboPage<KiboOrder>;

    expect(response.status).toBe(200);
    expect(page.totalCount).toBe(expected.length);
    expect(page.items.map((order) => order.id)).toEqual(expected.map((order) => order.id));
  });

  it('filters on submitted dates written in different forms', async () => {
    const filter = encodeURIComponent('submittedDate ge 2025-01-01T00:00:00Z and submittedDate lt 2025-02-01');
    const expected = emulator.data.orders.filter((order) => {
      const time = order.submittedDate ? Date.parse(order.submittedDate) : Number.NaN;
      return time >= Date.parse('2025-01-01T00:00:00Z') && time < Date.parse('2025-02-01T00:00:00Z');
    });

    const response = await getJson(emulator, `/api/commerce/orders?filter=${filter}&pageSize=200`, token);

    expect((response.body as KiboPage<KiboOrder>).totalCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('returns an order by its 32-hex id', async () => {
    const order = emulator.data.orders[3]!;

    const response = await getJson(emulator, `/api/commerce/orders/${order.id}`, token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(order);
    expect(order.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers an unknown order with ITEM_NOT_FOUND', async () => {
    const response = await getJson(emulator, `/api/commerce/orders/${'0'.repeat(32)}`, token);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errorCode: 'ITEM_NOT_FOUND', applicationName: 'Commerce' });
  });
});

describe('carts', () => {
  it('returns a cart by id and by user', async () => {
    const cart = emulator.data.carts[0]!;

    const byId = await getJson(emulator, `/api/commerce/carts/${cart.id}`, token);
    const byUser = await getJson(emulator, `/api/commerce/carts/user/${cart.userId}`, token);

    expect(byId.body).toEqual(cart);
    expect(byUser.body).toEqual(cart);
  });

  it('answers a user without a cart with 404', async () => {
    const withCart = new Set(emulator.data.carts.map((cart) => cart.userId));
    const customer = emulator.data.customers.find((candidate) => !withCart.has(candidate.userId));

    const response = await getJson(emulator, `/api/commerce/carts/user/${customer?.userId}`, token);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errorCode: 'ITEM_NOT_FOUND' });
  });

  it('answers an unknown cart with 404', async () => {
    const response = await getJson(emulator, '/api/commerce/carts/ffffffffffffffffffffffffffffffff', token);

    expect(response.status).toBe(404);
  });
});

describe('customer accounts', () => {
  it('lists accounts found by userId', async () => {
    const customer = emulator.data.customers[5]!;

    const response = await getJson(emulator, `/api/commerce/customer/accounts?filter=userId%20eq%20${customer.userId}`, token);
    const page = response.body as KiboPage<KiboCustomer>;

    expect(page.totalCount).toBe(1);
    expect(page.items[0]).toEqual(customer);
  });

  it('finds names with an apostrophe through a quoted filter value', async () => {
    const filter = encodeURIComponent("lastName eq 'O\\'Brien'");
    const expected = emulator.data.customers.filter((customer) => customer.lastName === "O'Brien");

    const response = await getJson(emulator, `/api/commerce/customer/accounts?filter=${filter}&pageSize=200`, token);

    expect((response.body as KiboPage<KiboCustomer>).totalCount).toBe(expected.length);
  });

  it('returns an account by integer id', async () => {
    const customer = emulator.data.customers[0]!;

    const response = await getJson(emulator, `/api/commerce/customer/accounts/${customer.id}`, token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(customer);
  });

  it('answers a non-integer account id with 400', async () => {
    const response = await getJson(emulator, '/api/commerce/customer/accounts/12ab', token);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errorCode: 'MISSING_OR_INVALID_PARAMETER',
      additionalErrorData: [{ name: 'ParameterName', value: 'accountId' }],
    });
  });

  it('answers an unknown account with 404', async () => {
    const response = await getJson(emulator, '/api/commerce/customer/accounts/1', token);

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ errorCode: 'ITEM_NOT_FOUND', applicationName: 'Customer' });
  });
});

describe('inventory', () => {
  it('returns a bare array of rows matched by upc', async () => {
    const response = await queryInventory({ type: 'ANY', items: [{ upc: 'BTL-0001', quantity: 1 }] });
    const rows = response.body as KiboInventoryRow[];
    const expected = emulator.data.inventory.filter((row) => row.upc === 'BTL-0001');

    expect(response.status).toBe(200);
    expect(Array.isArray(rows)).toBe(true);
    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });

  it.each([['partNumber'], ['sku']])('matches rows by %s', async (key) => {
    const response = await queryInventory({ type: 'ALL_STORES', items: [{ [key]: 'APP-0002' }] });
    const rows = response.body as KiboInventoryRow[];

    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((row) => row.partNumber === 'APP-0002')).toBe(true);
  });

  it('matches awkward codes', async () => {
    const awkward = emulator.data.products
      .filter((product) => AWKWARD_PRODUCT_CODES.includes(product.productCode ?? '') && product.productUsage === 'Standard')
      .map((product) => product.productCode ?? '');

    for (const code of awkward) {
      const response = await queryInventory({ type: 'ANY', items: [{ upc: code }] });

      expect((response.body as KiboInventoryRow[]).length, code).toBeGreaterThanOrEqual(3);
    }
    expect(awkward.length).toBeGreaterThan(5);
  });

  it('keeps zero-stock rows for ANY and drops them for PARTIAL', async () => {
    const empty = emulator.data.inventory.find((row) => row.onHand === 0)!;
    const item = { upc: empty.upc, quantity: 1 };

    const any = (await queryInventory({ type: 'ANY', items: [item] })).body as KiboInventoryRow[];
    const partial = (await queryInventory({ type: 'PARTIAL', items: [item] })).body as KiboInventoryRow[];

    expect(any.map((row) => row.locationCode)).toContain(empty.locationCode);
    expect(partial.map((row) => row.locationCode)).not.toContain(empty.locationCode);
  });

  it('restricts rows to the location whitelist', async () => {
    const response = await queryInventory({ type: 'ANY', items: [{ upc: 'BTL-0001' }], locationWhitelist: ['WH-WEST'] });

    expect((response.body as KiboInventoryRow[]).map((row) => row.locationCode)).toEqual(['WH-WEST']);
  });

  it('lists a whole location page by page without items', async () => {
    const atLocation = emulator.data.inventory.filter((row) => row.locationCode === 'WH-EAST');

    const second = await queryInventory({ type: 'ANY', requestLocation: { locationCode: 'WH-EAST' }, pageSize: 50, pageNum: 2 });

    expect(second.body).toEqual(atLocation.slice(50, 100));
  });

  it('requires the x-vol-tenant header', async () => {
    const missing = await queryInventory({ type: 'ANY', items: [{ upc: 'BTL-0001' }] }, null);
    const wrong = await queryInventory({ type: 'ANY', items: [{ upc: 'BTL-0001' }] }, '1');

    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ additionalErrorData: [{ name: 'ParameterName', value: 'x-vol-tenant' }] });
    expect(wrong.status).toBe(400);
  });

  it.each([
    ['a missing type', { items: [{ upc: 'BTL-0001' }] }],
    ['an unknown type', { type: 'SOME', items: [{ upc: 'BTL-0001' }] }],
    ['no items and no location', { type: 'ANY' }],
    ['an item without a key', { type: 'ANY', items: [{ quantity: 1 }] }],
  ])('rejects %s with 400', async (_case, body) => {
    const response = await queryInventory(body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errorCode: 'MISSING_OR_INVALID_PARAMETER', applicationName: 'Inventory' });
  });
});
