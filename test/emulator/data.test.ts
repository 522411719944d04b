import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWKWARD_PRODUCT_CODES, LOCATIONS, generateTenant, loadTenantData } from './data.js';
import { stockCodes } from './generate-catalog.js';
import { getJson, issueToken } from './http-helpers.js';
import { startEmulator } from './server.js';

const tenant = generateTenant();

describe('generateTenant', () => {
  it('has the default counts', () => {
    expect(tenant.products).toHaveLength(500);
    expect(tenant.customers).toHaveLength(200);
    expect(tenant.orders).toHaveLength(1000);
    expect(tenant.carts.length).toBeGreaterThan(80);
    expect(tenant.carts.length).toBeLessThan(160);
  });

  it('is the same for the same seed', () => {
    expect(generateTenant({ seed: 7, products: 30, customers: 5, orders: 10 })).toEqual(
      generateTenant({ seed: 7, products: 30, customers: 5, orders: 10 }),
    );
  });

  it('differs for another seed', () => {
    const first = generateTenant({ seed: 1, products: 30, customers: 5, orders: 10 });
    const second = generateTenant({ seed: 2, products: 30, customers: 5, orders: 10 });

    expect(second.orders.map((order) => order.id)).not.toEqual(first.orders.map((order) => order.id));
  });

  it('includes every awkward product code once', () => {
    const codes = tenant.products.map((product) => product.productCode);

    for (const code of AWKWARD_PRODUCT_CODES) {
      expect(codes.filter((candidate) => candidate === code), code).toHaveLength(1);
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('has standard and configurable products with options', () => {
    const configurable = tenant.products.filter((product) => product.productUsage === 'Configurable');

    expect(configurable.length).toBeGreaterThan(20);
    expect(configurable.every((product) => (product.options?.[0]?.values?.length ?? 0) >= 3)).toBe(true);
    expect(tenant.products.some((product) => product.productUsage === 'Standard')).toBe(true);
  });

  it('keeps stock for every stock code at three or more locations', () => {
    const locationsByCode = new Map<string, Set<string>>();
    for (const row of tenant.inventory) {
      const locations = locationsByCode.get(row.upc ?? '') ?? new Set<string>();
      locations.add(row.locationCode ?? '');
      locationsByCode.set(row.upc ?? '', locations);
    }

    for (const product of tenant.products) {
      for (const code of stockCodes(product)) {
        expect(locationsByCode.get(code)?.size ?? 0, code).toBeGreaterThanOrEqual(3);
      }
    }
    expect(tenant.inventory.some((row) => row.onHand === 0)).toBe(true);
    expect(new Set(tenant.inventory.map((row) => row.locationCode)).size).toBe(LOCATIONS.length);
  });

  it('writes dates in all three Kibo forms', () => {
    const dates = tenant.orders.map((order) => order.submittedDate).filter((date): date is string => !!date);

    expect(dates.some((date) => /T\d{2}:\d{2}:\d{2}Z$/.test(date))).toBe(true);
    expect(dates.some((date) => /\.\d{3}Z$/.test(date))).toBe(true);
    expect(dates.some((date) => /[+-]\d{2}:\d{2}$/.test(date))).toBe(true);
  });

  it('links orders to existing customers and products', () => {
    const customerIds = new Set(tenant.customers.map((customer) => customer.id));
    const productCodes = new Set(tenant.products.map((product) => product.productCode));

    for (const order of tenant.orders) {
      expect(order.id).toMatch(/^[0-9a-f]{32}$/);
      if (order.customerAccountId != null) {
        expect(customerIds.has(order.customerAccountId)).toBe(true);
      }
      for (const item of order.items ?? []) {
        expect(productCodes.has(item.product?.productCode)).toBe(true);
      }
    }
  });

  it('prices orders consistently', () => {
    for (const order of tenant.orders) {
      const lines = (order.items ?? []).reduce((sum, item) => sum + (item.subtotal ?? 0), 0);
      const expected = (order.subtotal ?? 0) - (order.discountTotal ?? 0) + (order.taxTotal ?? 0) + (order.shippingTotal ?? 0);

      expect(order.subtotal).toBeCloseTo(lines, 2);
      expect(order.total).toBeCloseTo(expected, 2);
    }
  });

  it('gives each customer at most one cart', () => {
    const users = tenant.carts.map((cart) => cart.userId);

    expect(new Set(users).size).toBe(users.length);
  });

  it('summarizes each customer’s submitted orders', () => {
    const customer = tenant.customers.find((candidate) => (candidate.commerceSummary?.orderCount ?? 0) > 0)!;
    const submitted = tenant.orders.filter((order) => order.customerAccountId === customer.id && order.submittedDate);

    expect(customer.commerceSummary?.orderCount).toBe(submitted.length);
  });
});

describe('loadTenantData', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kibo-emulator-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function writeJson(name: string, text: string): Promise<string> {
    const file = join(directory, name);
    await writeFile(file, text);
    return file;
  }

  it('loads records and defaults missing arrays to empty', async () => {
    const file = await writeJson('small.json', JSON.stringify({ products: [{ productCode: 'ONLY-ONE', upc: '1' }] }));

    const data = await loadTenantData(file);

    expect(data.products).toEqual([{ productCode: 'ONLY-ONE', upc: '1' }]);
    expect(data.customers).toEqual([]);
    expect(data.orders).toEqual([]);
    expect(data.carts).toEqual([]);
    expect(data.inventory).toEqual([]);
    expect(data.tenant.id).toBeGreaterThan(0);
  });

  it('serves loaded records', async () => {
    const file = await writeJson('served.json', JSON.stringify({ products: [{ productCode: 'LOADED/1' }] }));
    const emulator = await startEmulator({ data: await loadTenantData(file) });
    try {
      const token = await issueToken(emulator);
      const response = await getJson(emulator, '/api/commerce/catalog/admin/products/LOADED%2F1', token);

      expect(response.body).toEqual({ productCode: 'LOADED/1' });
    } finally {
      await emulator.close();
    }
  });

  it('names the file when the JSON is invalid', async () => {
    const file = await writeJson('broken.json', '{"products": [');

    await expect(loadTenantData(file)).rejects.toThrow(`Invalid JSON in ${file}`);
  });

  it.each([
    ['a record without its key', { products: [{ upc: '1' }] }, 'products[0].productCode'],
    ['a non-array', { orders: { id: 'x' } }, 'orders'],
    ['an integer id given as text', { customers: [{ id: '1001' }] }, 'customers[0].id'],
    ['an unknown top-level key', { product: [] }, 'product'],
    ['a repeated key', { carts: [{ id: 'a' }, { id: 'a' }] }, 'carts[1]'],
  ])('names the key for %s', async (_case, content, key) => {
    const file = await writeJson('wrong.json', JSON.stringify(content));

    const error = await loadTenantData(file).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(key);
  });
});
