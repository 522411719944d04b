import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { buildDemoTenant } from './tenant.js';
import type { KiboCart, KiboCustomer, KiboInventoryRow, KiboOrder, KiboProduct, TenantData } from './types.js';

// Records keep every field they bring; the schema checks only the keys that the routes look records up by.
const recordSchemas = {
  products: z.looseObject({ productCode: z.string().min(1) }),
  customers: z.looseObject({ id: z.number().int() }),
  orders: z.looseObject({ id: z.string().min(1) }),
  carts: z.looseObject({ id: z.string().min(1), userId: z.string().nullish() }),
  inventory: z.looseObject({ locationCode: z.string().min(1) }),
};

const fileSchema = z.strictObject({
  products: z.array(recordSchemas.products).default([]),
  customers: z.array(recordSchemas.customers).default([]),
  orders: z.array(recordSchemas.orders).default([]),
  carts: z.array(recordSchemas.carts).default([]),
  inventory: z.array(recordSchemas.inventory).default([]),
});

/** Formats a zod issue path as `products[3].productCode`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') {
      return `${text}[${key}]`;
    }
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

/** Throws when two records of one kind share the key that routes look them up by. */
function rejectDuplicates(file: string, kind: string, keys: readonly unknown[]): void {
  const seen = new Set<unknown>();
  keys.forEach((key, index) => {
    if (seen.has(key)) {
      throw new Error(`Invalid tenant data in ${file}: ${kind}[${index}] repeats the key ${JSON.stringify(key)}.`);
    }
    seen.add(key);
  });
}

/**
 * Reads a JSON file of Kibo REST records, `{"products": [...], "customers": [...], "orders": [...], "carts": [...],
 * "inventory": [...]}`, for the demo tenant. Missing arrays are empty. The error thrown for a bad file names the
 * file and the offending key. A file is bad when it is not JSON or has an unknown top-level key, when a record
 * lacks its key field or has it with the wrong type, or when two records of one kind share a key.
 */
export async function loadTenantData(file: string): Promise<TenantData> {
  const text = await readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`Invalid JSON in ${file}: ${(error as Error).message}`);
  }

  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const details = result.error.issues.slice(0, 5).map((issue) => `${formatPath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new Error(`Invalid tenant data in ${file}: ${details.join('; ')}`);
  }

  const records = result.data;
  rejectDuplicates(file, 'products', records.products.map((product) => product.productCode));
  rejectDuplicates(file, 'customers', records.customers.map((customer) => customer.id));
  rejectDuplicates(file, 'orders', records.orders.map((order) => order.id));
  rejectDuplicates(file, 'carts', records.carts.map((cart) => cart.id));

  return {
    tenant: buildDemoTenant(),
    products: records.products as KiboProduct[],
    customers: records.customers as KiboCustomer[],
    orders: records.orders as KiboOrder[],
    carts: records.carts as KiboCart[],
    inventory: records.inventory as KiboInventoryRow[],
  };
}
