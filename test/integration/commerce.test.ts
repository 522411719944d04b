import { beforeEach, describe, expect, it } from 'vitest';
import { AWKWARD_PRODUCT_CODES } from '../emulator/data.js';
import { errorCodes, type TestStack, useStack } from './harness.js';

const ORDERS_PAGE = /* GraphQL */ `
  query OrdersPage {
    orders(first: 20) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id orderNumber status
        total { amount currencyCode }
        customer { id emailAddress firstName lastName }
        items { quantity productCode product { productCode name price { amount currencyCode } inventory { locationCode available } } }
      }
    }
  }
`;

const CATALOG = /* GraphQL */ `
  query Catalog($code: String!) {
    products(first: 5) { totalCount nodes { productCode name } }
    product(productCode: $code) { productCode name description price { amount currencyCode } inventory { locationCode onHand available } }
  }
`;

const CUSTOMERS = /* GraphQL */ `
  query Customers {
    customers(first: 5) { totalCount nodes { id userId emailAddress cart { id items { quantity product { name } } } orders(first: 3) { totalCount nodes { id status } } } }
  }
`;

const STOCK = /* GraphQL */ `
  query Stock($codes: [String!]!) { inventory(productCodes: $codes) { productCode locationCode onHand available } }
`;

type Row = Record<string, unknown>;

const currentStack = useStack();
let stack: TestStack;

beforeEach(() => {
  stack = currentStack();
});

function dataRequests() {
  return stack.emulator.requests().filter((entry) => !entry.path.startsWith('/api/platform/'));
}

describe('commerce queries against the emulator', () => {
  it('OrdersPage returns orders with items, products, customers and stock', async () => {
    const response = await stack.graphql<{ orders: Row }>(ORDERS_PAGE);
    expect(response.errors).toBeUndefined();
    const orders = response.data!.orders as { totalCount: number; pageInfo: Row; nodes: Row[] };
    expect(orders.totalCount).toBe(stack.emulator.data.orders.length);
    expect(orders.nodes).toHaveLength(20);
    expect(orders.pageInfo.hasNextPage).toBe(true);

    const first = orders.nodes[0] as {
      id: string;
      total: { currencyCode: string };
      customer: { id: string } | null;
      items: Array<{ productCode: string; product: { productCode: string; inventory: unknown[] } }>;
    };
    const expected = stack.emulator.data.orders.find((order) => order.id === first.id);
    expect(expected).toBeDefined();
    expect(first.total.currencyCode).toBe(expected!.currencyCode);
    expect(first.items.length).toBe(expected!.items!.length);
    for (const item of first.items) {
      expect(item.product.productCode).toBe(item.productCode);
      expect(item.product.inventory.length).toBeGreaterThan(0);
    }
    if (expected!.customerAccountId) expect(first.customer?.id).toBe(String(expected!.customerAccountId));
  });

  it('Catalog returns a page and one product', async () => {
    const code = stack.emulator.data.products[3]!.productCode!;
    const response = await stack.graphql<{ products: Row; product: Row }>(CATALOG, { code });
    expect(response.errors).toBeUndefined();
    expect((response.data!.products.nodes as Row[]).length).toBe(5);
    expect(response.data!.product.productCode).toBe(code);
    expect((response.data!.product.inventory as Row[]).length).toBeGreaterThan(0);
  });

  it('Customers returns carts and orders per customer', async () => {
    const response = await stack.graphql<{ customers: { nodes: Row[] } }>(CUSTOMERS);
    expect(response.errors).toBeUndefined();
    const customers = response.data!.customers.nodes;
    expect(customers).toHaveLength(5);
    for (const customer of customers) {
      const orders = customer.orders as { totalCount: number; nodes: Row[] };
      const expectedCount = stack.emulator.data.orders.filter((order) => String(order.customerAccountId) === customer.id).length;
      expect(orders.totalCount).toBe(expectedCount);
      expect(orders.nodes.length).toBe(Math.min(3, expectedCount));
    }
  });

  it('Stock returns levels for the requested codes', async () => {
    const codes = stack.emulator.data.products.slice(0, 3).map((product) => product.productCode!);
    const response = await stack.graphql<{ inventory: Row[] }>(STOCK, { codes });
    expect(response.errors).toBeUndefined();
    expect(new Set(response.data!.inventory.map((row) => row.productCode))).toEqual(new Set(codes));
  });

  it('Cart returns a cart by id and by user', async () => {
    const cart = stack.emulator.data.carts[0]!;
    const response = await stack.graphql<{ cart: Row; userCart: Row }>(
      'query($id: ID!, $userId: String!) { cart(id: $id) { id total { amount currencyCode } subtotal { amount } items { quantity productCode unitPrice { amount } product { productCode } } } userCart(userId: $userId) { id expiresAt } }',
      { id: cart.id, userId: cart.userId },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.cart.id).toBe(cart.id);
    expect(response.data!.cart.total).toEqual({ amount: cart.total, currencyCode: cart.currencyCode });
    expect((response.data!.cart.subtotal as Row).amount).toBe(cart.subtotal);
    expect((response.data!.cart.items as Row[]).length).toBe(cart.items!.length);
    expect(response.data!.userCart.id).toBe(cart.id);
  });

  it('pages with cursors', async () => {
    const firstPage = await stack.graphql<{ orders: { pageInfo: { endCursor: string }; nodes: Row[] } }>(
      '{ orders(first: 2) { pageInfo { endCursor } nodes { id } } }',
    );
    const secondPage = await stack.graphql<{ orders: { pageInfo: { hasPreviousPage: boolean }; nodes: Row[] } }>(
      'query($after: String) { orders(first: 2, after: $after) { pageInfo { hasPreviousPage } nodes { id } } }',
      { after: firstPage.data!.orders.pageInfo.endCursor },
    );
    const ids = stack.emulator.data.orders.slice(0, 4).map((order) => order.id);
    expect(firstPage.data!.orders.nodes.map((order) => order.id)).toEqual(ids.slice(0, 2));
    expect(secondPage.data!.orders.nodes.map((order) => order.id)).toEqual(ids.slice(2, 4));
    expect(secondPage.data!.orders.pageInfo.hasPreviousPage).toBe(true);
  });
});

describe('lookups of what does not exist', () => {
  it('product with an awkward unknown code is NOT_FOUND and reaches Kibo intact', async () => {
    const response = await stack.graphql('{ product(productCode: "no/such?code") { productCode } }');
    expect(response.data).toEqual({ product: null });
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(response.errors![0]!.path).toEqual(['product']);

    const calls = dataRequests();
    expect(calls.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'GET /api/commerce/catalog/admin/products/no%2Fsuch%3Fcode',
    ]);
  });

  it('unknown order is null while its sibling resolves', async () => {
    const response = await stack.graphql<{ order: null; products: { totalCount: number } }>(
      '{ order(id: "0123456789abcdef0123456789abcdef") { id } products(first: 1) { totalCount } }',
    );
    expect(response.data!.order).toBeNull();
    expect(response.data!.products.totalCount).toBeGreaterThan(0);
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it.each(AWKWARD_PRODUCT_CODES)('product code %j resolves to itself', async (code) => {
    const response = await stack.graphql<{ product: { productCode: string } }>(
      'query($code: String!) { product(productCode: $code) { productCode } }',
      { code },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.product.productCode).toBe(code);
    expect(dataRequests()).toHaveLength(1);
  });
});

describe('bad input', () => {
  it('rejects a malformed cursor', async () => {
    const response = await stack.graphql('{ orders(after: "not-a-cursor") { totalCount } }');
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(dataRequests()).toHaveLength(0);
  });

  it('rejects first above 200', async () => {
    const response = await stack.graphql('{ products(first: 500) { totalCount } }');
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions!.field).toBe('first');
    expect(dataRequests()).toHaveLength(0);
  });

  it('rejects a customer id that is not an integer', async () => {
    const response = await stack.graphql('{ customer(id: "12; DROP") { id } }');
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(dataRequests()).toHaveLength(0);
  });

  it('escapes filter values instead of pasting them', async () => {
    const response = await stack.graphql<{ customers: { totalCount: number } }>(
      'query($email: String) { customers(filter: { emailAddress: $email }) { totalCount } }',
      { email: "x' or id gt 0 or emailAddress eq 'y" },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.customers.totalCount).toBe(0);
  });
});
