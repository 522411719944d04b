import { generateProducts } from './generate-catalog.js';
import { generateCustomers } from './generate-customers.js';
import { generateInventory } from './generate-inventory.js';
import { generateCarts, generateOrders } from './generate-orders.js';
import { SeededRandom, roundMoney } from './random.js';
import { buildDemoTenant } from './tenant.js';
import type { KiboCustomer, KiboOrder, TenantData } from './types.js';

export type { TenantData } from './types.js';
export { AWKWARD_PRODUCT_CODES } from './generate-catalog.js';
export { LOCATIONS } from './generate-inventory.js';
export { loadTenantData } from './load.js';
export { buildDemoTenant } from './tenant.js';

export interface GenerateTenantOptions {
  /** Seed of the generator; the same seed and counts always give the same tenant. Default 1. */
  seed?: number;
  /** Number of admin products, default 500. */
  products?: number;
  /** Number of customer accounts, default 200. */
  customers?: number;
  /** Number of orders, default 1000. */
  orders?: number;
}

/** Sets each account's order count, order total and last order date from the submitted orders. */
function summarizeOrders(customers: KiboCustomer[], orders: readonly KiboOrder[]): void {
  const byAccount = new Map(customers.map((customer) => [customer.id, customer]));
  for (const order of orders) {
    const customer = order.customerAccountId == null ? undefined : byAccount.get(order.customerAccountId);
    const summary = customer?.commerceSummary;
    if (!summary || !order.submittedDate) {
      continue;
    }
    summary.orderCount = (summary.orderCount ?? 0) + 1;
    summary.totalOrderAmount = {
      currencyCode: 'USD',
      amount: roundMoney((summary.totalOrderAmount?.amount ?? 0) + (order.total ?? 0)),
    };
    if (!summary.lastOrderDate || Date.parse(order.submittedDate) > Date.parse(summary.lastOrderDate)) {
      summary.lastOrderDate = order.submittedDate;
    }
  }
}

/** Generates the sample tenant from a seed, without Math.random, so every run serves the same records. */
export function generateTenant(options: GenerateTenantOptions = {}): TenantData {
  // Each kind draws from its own stream, so products and customers stay the same when another count changes.
  const seed = options.seed ?? 1;
  const products = generateProducts(new SeededRandom(seed), options.products ?? 500);
  const customers = generateCustomers(new SeededRandom(seed + 1), options.customers ?? 200);
  const orders = generateOrders(new SeededRandom(seed + 2), options.orders ?? 1000, customers, products);
  const carts = generateCarts(new SeededRandom(seed + 3), customers, products);
  const inventory = generateInventory(new SeededRandom(seed + 4), products);
  summarizeOrders(customers, orders);
  return { tenant: buildDemoTenant(), products, customers, orders, carts, inventory };
}
