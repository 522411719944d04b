import { beforeEach, describe, expect, it } from 'vitest';
import { type TestStack, useStack } from './harness.js';

const NESTED_ORDERS = /* GraphQL */ `
  query NestedOrders($first: Int!) {
    orders(first: $first) {
      nodes {
        id
        customer { id emailAddress }
        items { quantity product { productCode name inventory { locationCode available } } }
      }
    }
  }
`;

/** Upstream calls by route, without the platform calls (token and tenant lookup). */
function countDataCalls(stack: TestStack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of stack.emulator.requests()) {
    if (entry.path.startsWith('/api/platform/')) continue;
    const route = entry.path
      .replace(/^\/api\/commerce\/catalog\/admin\/products\/.+$/, 'product by code')
      .replace(/^\/api\/commerce\/catalog\/admin\/products$/, 'products')
      .replace(/^\/api\/commerce\/orders$/, 'orders')
      .replace(/^\/api\/commerce\/customer\/accounts\/.+$/, 'customer by id')
      .replace(/^\/api\/commerce\/customer\/accounts$/, 'customers')
      .replace(/^\/api\/commerce\/inventory\/v5\/inventory$/, 'inventory')
      .replace(/^\/api\/commerce\/carts\/user\/.+$/, 'cart by user');
    counts[`${entry.method} ${route}`] = (counts[`${entry.method} ${route}`] ?? 0) + 1;
  }
  return counts;
}

function totalCalls(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

describe('batching on', () => {
  const currentStack = useStack();
  let stack: TestStack;

  beforeEach(() => {
    stack = currentStack();
  });

  it('nested page of 50 orders costs a handful of calls', async () => {
    const response = await stack.graphql(NESTED_ORDERS, { first: 50 });
    expect(response.errors).toBeUndefined();

    const counts = countDataCalls(stack);
    expect(counts['GET orders']).toBe(1);
    expect(counts['GET products']).toBeGreaterThanOrEqual(1);
    expect(counts['GET products']).toBeLessThanOrEqual(2);
    expect(counts['GET customers']).toBe(1);
    expect(counts['POST inventory']).toBe(1);
    expect(counts['GET product by code']).toBeUndefined();
    expect(counts['GET customer by id']).toBeUndefined();
    expect(totalCalls(counts)).toBeLessThanOrEqual(5);

    const tokenCalls = stack.emulator.requests().filter((entry) => entry.path.endsWith('/authtickets/oauth'));
    expect(tokenCalls.length).toBeLessThanOrEqual(1);
  });

  it.each([
    ['location arguments', '{ orders(first: 30) { nodes { items { product { inventory(locationCodes: ["WH-EAST", "WH-WEST"]) { available } } } } } }'],
    ['fragments', '{ orders(first: 30) { nodes { items { product { ...Stock } } } } } fragment Stock on Product { inventory { available } }'],
    ['variables', 'query($at: [String!]) { orders(first: 30) { nodes { items { product { inventory(locationCodes: $at) { available } } } } } }'],
  ])('stock read ahead with %s costs one call', async (_case, query) => {
    const response = await stack.graphql(query, { at: ['WH-EAST'] });
    expect(response.errors).toBeUndefined();
    expect(countDataCalls(stack)['POST inventory']).toBe(1);
  });

  it('20 aliased product fields cost one call', async () => {
    const codes = stack.emulator.data.products.slice(10, 30).map((product) => product.productCode!);
    const fields = codes.map((_code, index) => `p${index}: product(productCode: $c${index}) { productCode }`).join('\n');
    const declarations = codes.map((_code, index) => `$c${index}: String!`).join(', ');
    const variables = Object.fromEntries(codes.map((code, index) => [`c${index}`, code]));

    const response = await stack.graphql<Record<string, { productCode: string }>>(
      `query(${declarations}) { ${fields} }`,
      variables,
    );
    expect(response.errors).toBeUndefined();
    codes.forEach((code, index) => expect(response.data![`p${index}`]!.productCode).toBe(code));
    expect(countDataCalls(stack)).toEqual({ 'GET products': 1 });
  });

  it('same product asked twice is fetched once', async () => {
    const code = stack.emulator.data.products[5]!.productCode!;
    const response = await stack.graphql('query($c: String!) { a: product(productCode: $c) { name } b: product(productCode: $c) { name } }', {
      c: code,
    });
    expect(response.errors).toBeUndefined();
    expect(countDataCalls(stack)).toEqual({ 'GET product by code': 1 });
  });

  it('customers with orders share one orders call', async () => {
    const response = await stack.graphql('{ customers(first: 10) { nodes { id orders(first: 3) { totalCount nodes { id } } } } }');
    expect(response.errors).toBeUndefined();
    const counts = countDataCalls(stack);
    expect(counts['GET customers']).toBe(1);
    expect(counts['GET orders']).toBe(1);
  });
});

describe('batching off', () => {
  const currentStack = useStack({ environment: { GATEWAY_BATCHING: 'false' } });

  it('nested page of 50 orders costs a call per lookup', async () => {
    const stack = currentStack();
    const response = await stack.graphql(NESTED_ORDERS, { first: 50 });
    expect(response.errors).toBeUndefined();
    expect(totalCalls(countDataCalls(stack))).toBeGreaterThan(100);
  });
});
